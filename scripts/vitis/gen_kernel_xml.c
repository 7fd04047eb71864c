/*
 * gen_kernel_xml.c - prints the SGD kernel's interface from hls/sgd/lp_sgd_regmap.h, so
 * that the register map is written in one place only:
 *
 *   gen_kernel_xml kernel      kernel.xml for package_xo (the RTL kernel)
 *   gen_kernel_xml metadata    the EMBEDDED_METADATA XML an xclbin carries (for checks)
 *   gen_kernel_xml regs-tcl    Tcl lists for package_xo.tcl: the s_axi_control registers
 *   gen_kernel_xml args        one line per argument: index name offset size bundle
 */
#include <stdio.h>
#include <string.h>

#include "lp_kernel_xml.h"

static int regs_tcl(void)
{
    const char *bundles[LP_SGD_NARGS];
    unsigned nb = lp_kernel_bundles(bundles);
    char port[64];
    printf("# generated from hls/sgd/lp_sgd_regmap.h by scripts/vitis/gen_kernel_xml; do not edit\n");
    printf("set lp_kernel_name %s\nset lp_ctrl_range 0x%X\n", LP_SGD_KERNEL_NAME, LP_KERNEL_CTRL_RANGE);
    printf("set lp_ctrl_regs {\n  {CTRL 0x%02X 32 {}}\n  {GIER 0x%02X 32 {}}\n  {IP_IER 0x%02X 32 {}}\n"
           "  {IP_ISR 0x%02X 32 {}}\n",
           LP_REG_CTRL, LP_REG_GIE, LP_REG_IER, LP_REG_ISR);
    for (unsigned i = 0; i < LP_SGD_NARGS; i++) {
        const lp_sgd_arg_t *a = &lp_sgd_args[i];
        lp_kernel_port_name(port, sizeof port, a->bundle, 0);
        printf("  {%s 0x%02X %u {%s}}\n", a->name, a->offset, a->size * 8, a->is_pointer ? port : "");
    }
    printf("}\nset lp_m_axi {");
    for (unsigned b = 0; b < nb; b++) {
        lp_kernel_port_name(port, sizeof port, bundles[b], 0);
        printf("%s%s", b ? " " : "", port);
    }
    printf("}\n");
    return ferror(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "kernel"))
        return lp_kernel_xml_package(stdout) ? 1 : 0;
    if (argc == 2 && !strcmp(argv[1], "metadata"))
        return lp_kernel_xml_embedded(stdout, "xilinx_u250_gen3x16_xdma_4_1_202210_1", 0x1800000ull) ? 1 : 0;
    if (argc == 2 && !strcmp(argv[1], "regs-tcl"))
        return regs_tcl();
    if (argc == 2 && !strcmp(argv[1], "args")) {
        for (unsigned i = 0; i < LP_SGD_NARGS; i++)
            printf("%u %s 0x%02X %u %s\n", i, lp_sgd_args[i].name, lp_sgd_args[i].offset, lp_sgd_args[i].size,
                   lp_sgd_args[i].is_pointer ? lp_sgd_args[i].bundle : "-");
        return 0;
    }
    fprintf(stderr, "usage: gen_kernel_xml kernel|metadata|regs-tcl|args\n");
    return 2;
}
