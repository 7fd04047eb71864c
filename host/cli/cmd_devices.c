/*
 * cmd_devices.c - `lpsgd devices`: the Alveo cards XRT sees (index, PCIe address, shell,
 * loaded xclbin), then the OpenCL platforms and devices (--backend opencl: whether lpsgd can
 * run its kernels there, and why not). No card or no device is not an error: it says so and
 * exits 0.
 */
#include <stdio.h>
#include <string.h>

#include "backend/opencl.h"
#include "backend/xrt.h"
#include "cli.h"

#define MAX_CARDS 64
#define MAX_CL 64

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", (unsigned char)*s);
        else
            putchar(*s);
    }
    putchar('"');
}

/* The OpenCL part: ", \"opencl\": {...}" of the JSON object, or a table. */
static void opencl_devices(int json)
{
    static lp_opencl_dev_t devs[MAX_CL];
    lp_err_t err;
    int n = lp_opencl_list(devs, MAX_CL, &err), shown = n < MAX_CL ? n : MAX_CL;
    if (json) {
        printf(", \"opencl\": {\"built\": %s, \"error\": ", lp_opencl_built() ? "true" : "false");
        json_str(n < 0 ? err.msg : "");
        printf(", \"devices\": [");
        for (int i = 0; i < shown; i++) {
            const lp_opencl_dev_t *d = &devs[i];
            printf("%s\n  {\"platform\": %u, \"device\": %u, \"platform_name\": ", i ? "," : "", d->platform,
                   d->device);
            json_str(d->platform_name);
            printf(", \"device_name\": ");
            json_str(d->device_name);
            printf(", \"version\": ");
            json_str(d->version);
            printf(", \"usable\": %s, \"why\": ", d->usable ? "true" : "false");
            json_str(d->why);
            printf("}");
        }
        printf("%s]}", shown > 0 ? "\n" : "");
        return;
    }
    printf("\n");
    if (n < 0) {
        printf("%s\n", err.msg); /* "opencl: this lpsgd was built without OpenCL ..." */
        return;
    }
    if (n == 0) {
        printf("No OpenCL platform found (--backend opencl): install pocl-opencl-icd for the CPU, or a vendor's\n"
               "OpenCL driver (XRT on a card host).\n");
        return;
    }
    printf("OpenCL (--backend opencl --device P:D):\n");
    printf("%-5s  %-28s  %-40s  %-22s  %s\n", "P:D", "platform", "device", "version", "lpsgd");
    for (int i = 0; i < shown; i++) {
        char pd[24];
        snprintf(pd, sizeof pd, "%u:%u", devs[i].platform, devs[i].device);
        printf("%-5s  %-28.28s  %-40.40s  %-22.22s  %s: %s\n", pd, devs[i].platform_name, devs[i].device_name,
               devs[i].version, devs[i].usable ? "yes" : "no", devs[i].why);
    }
}

int cmd_devices(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: lpsgd devices [--json]\n\n"
                   "Lists the Alveo cards XRT finds: the index and PCIe address that --device takes,\n"
                   "the card, the shell it runs and the uuid of the xclbin loaded on it. Build the\n"
                   "xclbin for the platform of that shell, e.g. shell xilinx_u250_gen3x16_xdma_shell_4_1:\n"
                   "  make xclbin TARGET=hw PLATFORM=xilinx_u250_gen3x16_xdma_4_1_202210_1\n"
                   "Without a card it says so and exits 0.\n\n"
                   "Then the OpenCL platforms and devices the ICD loader finds (--backend opencl\n"
                   "--device P:D): platform, device, version, and whether lpsgd can run its kernels\n"
                   "there (IEEE FP32 with denormals and round to nearest, an OpenCL C 1.2 compiler,\n"
                   "or XRT's platform with an xclbin) and why not (docs/opencl.md).\n\n"
                   "XRT: Xilinx's (source /opt/xilinx/xrt/setup.sh) or Debian's libxrt1 (found by\n"
                   "itself). XCL_EMULATION_MODE=noop shows XRT's noop shim as one device that computes\n"
                   "nothing (what the tests use; docs/alveo.md).\n");
            return 0;
        } else {
            fprintf(stderr, "lpsgd devices: unknown option '%s' (try --help)\n", argv[i]);
            return 2;
        }
    }
    static lp_xrt_card_t cards[MAX_CARDS];
    char env[1024];
    lp_err_t err;
    int n = lp_xrt_list(cards, MAX_CARDS, env, sizeof env, &err);
    if (n < 0 && lp_xrt_built()) {
        fprintf(stderr, "lpsgd devices: %s\n", err.msg);
        return 2;
    }
    if (n < 0) { /* no XRT in this lpsgd: say so, list the OpenCL devices */
        if (json) {
            printf("{\"xrt\": ");
            json_str(err.msg);
            printf(", \"noop\": false, \"devices\": []");
            opencl_devices(1);
            printf("}\n");
        } else {
            printf("%s\n", err.msg);
            opencl_devices(0);
        }
        return 0;
    }
    int shown = n < MAX_CARDS ? n : MAX_CARDS, noop = lp_xrt_is_noop();
    if (json) {
        printf("{\"xrt\": ");
        json_str(env);
        printf(", \"noop\": %s, \"devices\": [", noop ? "true" : "false");
        for (int i = 0; i < shown; i++) {
            printf("%s\n  {\"index\": %u, \"name\": ", i ? "," : "", cards[i].index);
            json_str(cards[i].name);
            printf(", \"bdf\": ");
            json_str(cards[i].bdf);
            printf(", \"shell\": ");
            json_str(cards[i].shell);
            printf(", \"xclbin\": ");
            json_str(cards[i].xclbin);
            printf("}");
        }
        printf("%s]", shown ? "\n" : "");
        opencl_devices(1);
        printf("}\n");
        return 0;
    }
    if (n == 0) {
        printf("No Alveo card found (XRT: %s).\n"
               "Install the card and its XRT (source /opt/xilinx/xrt/setup.sh), or run the host path\n"
               "without one on XRT's noop shim: XCL_EMULATION_MODE=noop (docs/alveo.md).\n",
               env);
        opencl_devices(0);
        return 0;
    }
    printf("XRT: %s\n", env);
    printf("%-5s  %-11s  %-12s  %-36s  %s\n", "index", "card", "bdf", "shell", "xclbin");
    for (int i = 0; i < shown; i++)
        printf("%-5u  %-11s  %-12s  %-36s  %s\n", cards[i].index, *cards[i].name ? cards[i].name : "-",
               *cards[i].bdf ? cards[i].bdf : "-",
               noop && !*cards[i].shell ? "(noop shim: no card, computes nothing)"
                                        : (*cards[i].shell ? cards[i].shell : "-"),
               *cards[i].xclbin ? cards[i].xclbin : "(none loaded)");
    if (n > shown)
        printf("(%d more not shown)\n", n - shown);
    opencl_devices(0);
    return 0;
}
