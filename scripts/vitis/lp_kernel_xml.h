/*
 * lp_kernel_xml.h - the two XML views of the SGD kernel's interface, printed from the one
 * register-map table in hls/sgd/lp_sgd_regmap.h (never typed by hand):
 *
 *   lp_kernel_xml_package()   kernel.xml for Vivado's package_xo (the RTL kernel): ports
 *                             s_axi_control / m_axi_<bundle>, each argument's offset, size
 *                             and port; hwControlProtocol="ap_ctrl_hs".
 *   lp_kernel_xml_embedded()  the EMBEDDED_METADATA section of an xclbin as v++ -l writes
 *                             it (project/platform/device/core/kernel/arg), which XRT parses
 *                             for argument offsets. The xclbin test fixture embeds this.
 *
 * Both functions only print; they return 0, or -1 if a write to `out` failed.
 */
#ifndef LP_KERNEL_XML_H
#define LP_KERNEL_XML_H

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "sgd/lp_sgd_regmap.h"

#define LP_KERNEL_DATA_WIDTH 512u      /* bits of each m_axi port (one 64-byte beat)      */
#define LP_KERNEL_CTRL_RANGE 0x1000u   /* bytes decoded by s_axi_control (>= REG_SPAN)    */
#define LP_KERNEL_VLNV "lpsgd.org:kernel:" LP_SGD_KERNEL_NAME ":1.0"

/* Distinct m_axi bundles of the table, in first-use order; returns their number. */
static inline unsigned lp_kernel_bundles(const char *names[LP_SGD_NARGS])
{
    unsigned n = 0;
    for (unsigned i = 0; i < LP_SGD_NARGS; i++) {
        unsigned seen = 0;
        if (!lp_sgd_args[i].is_pointer)
            continue;
        for (unsigned j = 0; j < n; j++)
            seen |= !strcmp(names[j], lp_sgd_args[i].bundle);
        if (!seen)
            names[n++] = lp_sgd_args[i].bundle;
    }
    return n;
}

/* "m_axi_gmem0" (upper=0) or "M_AXI_GMEM0" (upper=1) for a bundle; "s_axi_control" for "". */
static inline void lp_kernel_port_name(char *buf, size_t size, const char *bundle, int upper)
{
    size_t i;
    snprintf(buf, size, "%s_axi_%s", *bundle ? "m" : "s", *bundle ? bundle : "control");
    for (i = 0; upper && buf[i]; i++)
        buf[i] = (char)toupper((unsigned char)buf[i]);
}

/* One <arg> line per argument of the table; ports upper-case in xclbin metadata. */
static inline void lp_kernel_xml_args(FILE *out, const char *indent, int upper)
{
    char port[64];
    for (unsigned i = 0; i < LP_SGD_NARGS; i++) {
        const lp_sgd_arg_t *a = &lp_sgd_args[i];
        lp_kernel_port_name(port, sizeof port, a->bundle, upper);
        fprintf(out, "%s<arg name=\"%s\" addressQualifier=\"%u\" id=\"%u\" port=\"%s\" size=\"0x%X\" "
                     "offset=\"0x%X\" hostOffset=\"0x0\" hostSize=\"0x%X\" type=\"%s\"/>\n",
                indent, a->name, a->is_pointer, i, port, a->size, a->offset, a->size, a->c_type);
    }
}

/* The <port> lines: s_axi_control, then one m_axi port per bundle. */
static inline void lp_kernel_xml_ports(FILE *out, const char *indent, int upper, const char *master_range)
{
    const char *bundles[LP_SGD_NARGS];
    unsigned nb = lp_kernel_bundles(bundles);
    char port[64];
    lp_kernel_port_name(port, sizeof port, "", upper);
    fprintf(out, "%s<port name=\"%s\" mode=\"slave\" range=\"0x%X\" dataWidth=\"32\" "
                 "portType=\"addressable\" base=\"0x0\"/>\n", indent, port, LP_KERNEL_CTRL_RANGE);
    for (unsigned b = 0; b < nb; b++) {
        lp_kernel_port_name(port, sizeof port, bundles[b], upper);
        fprintf(out, "%s<port name=\"%s\" mode=\"master\" range=\"%s\" dataWidth=\"%u\" "
                     "portType=\"addressable\" base=\"0x0\"/>\n", indent, port, master_range, LP_KERNEL_DATA_WIDTH);
    }
}

static inline int lp_kernel_xml_package(FILE *out)
{
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<!-- generated from hls/sgd/lp_sgd_regmap.h by scripts/vitis/gen_kernel_xml; "
                 "do not edit -->\n"
                 "<root versionMajor=\"1\" versionMinor=\"6\">\n"
                 "  <kernel name=\"%s\" language=\"ip_c\" vlnv=\"%s\" attributes=\"\" "
                 "preferredWorkGroupSizeMultiple=\"0\" workGroupSize=\"1\" interrupt=\"true\" "
                 "hwControlProtocol=\"ap_ctrl_hs\">\n    <ports>\n",
            LP_SGD_KERNEL_NAME, LP_KERNEL_VLNV);
    lp_kernel_xml_ports(out, "      ", 0, "0xFFFFFFFFFFFFFFFF");
    fprintf(out, "    </ports>\n    <args>\n");
    lp_kernel_xml_args(out, "      ", 0);
    fprintf(out, "    </args>\n  </kernel>\n</root>\n");
    return ferror(out) ? -1 : 0;
}

/* The kernel instance (compute unit) name in an xclbin: "<kernel>_1". */
#define LP_KERNEL_CU_NAME LP_SGD_KERNEL_NAME "_1"

static inline int lp_kernel_xml_embedded(FILE *out, const char *platform, unsigned long long cu_base)
{
    char port[64];

    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<project name=\"%s\">\n"
                 "  <platform vendor=\"xilinx\" boardid=\"%s\" name=\"%s\" featureRomTime=\"0\">\n"
                 "    <version major=\"1\" minor=\"0\"/>\n"
                 "    <description/>\n"
                 "    <device name=\"fpga0\" fpgaDevice=\"\" addrWidth=\"0\">\n"
                 "      <core name=\"OCL_REGION_0\" target=\"bitstream\" type=\"clc_region\" "
                 "clockFreq=\"0MHz\" numComputeUnits=\"1\">\n"
                 "        <kernelClocks>\n"
                 "          <clock port=\"KERNEL_CLK\" frequency=\"300.000000MHz\"/>\n"
                 "        </kernelClocks>\n"
                 "        <kernel name=\"%s\" language=\"c\" vlnv=\"%s\" preferredWorkGroupSizeMultiple=\"0\" "
                 "workGroupSize=\"1\" debug=\"false\" interrupt=\"true\" hwControlProtocol=\"ap_ctrl_hs\">\n"
                 "          <module name=\"%s\"/>\n",
            LP_SGD_KERNEL_NAME, platform, platform, LP_SGD_KERNEL_NAME, LP_KERNEL_VLNV, LP_SGD_KERNEL_NAME);
    lp_kernel_xml_ports(out, "          ", 1, "0xFFFFFFFF");
    lp_kernel_xml_args(out, "          ", 1);
    lp_kernel_port_name(port, sizeof port, "", 1); /* the instance's control port */
    fprintf(out, "          <compileWorkGroupSize x=\"1\" y=\"1\" z=\"1\"/>\n"
                 "          <maxWorkGroupSize x=\"1\" y=\"1\" z=\"1\"/>\n"
                 "          <instance name=\"%s\">\n"
                 "            <addrRemap base=\"0x%llX\" range=\"0x10000\" port=\"%s\"/>\n"
                 "          </instance>\n"
                 "        </kernel>\n"
                 "      </core>\n"
                 "    </device>\n"
                 "  </platform>\n"
                 "</project>\n",
            LP_KERNEL_CU_NAME, cu_base, port);
    return ferror(out) ? -1 : 0;
}

#endif
