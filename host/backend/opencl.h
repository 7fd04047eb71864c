/*
 * opencl.h - what the opencl backend offers beyond backend.h: the platform/device list for
 * `lpsgd devices`. All OpenCL calls stay in host/backend/opencl.c (docs/opencl.md).
 */
#ifndef LP_OPENCL_H
#define LP_OPENCL_H

#include "backend.h"

/*
 * Why quantize and shrink cannot run on XRT's OpenCL platform: the xclbin holds the SGD
 * kernel lp_sgd only (the whole step), not the quantize-only entry lp_quantize_cl that
 * lpsgd builds from source on other OpenCL devices.
 */
#define LP_OPENCL_XILINX_NO_QUANTIZE                                                                            \
    "on XRT's OpenCL platform the xclbin holds the SGD kernel lp_sgd only (no quantize-only entry): quantize "  \
    "and shrink run on an OpenCL device that builds the kernels from source (PoCL), or --backend csim"

/* 1 if this lpsgd was built with OpenCL (headers, ICD loader and the kernel source), else 0. */
int lp_opencl_built(void);

typedef struct {
    unsigned platform, device; /* indices: what --device P:D takes                          */
    char platform_name[96];    /* CL_PLATFORM_NAME                                           */
    char device_name[128];     /* CL_DEVICE_NAME                                             */
    char version[96];          /* CL_DEVICE_VERSION                                          */
    int usable;                /* lpsgd can run its kernels there                            */
    char why[200];             /* how (builds from source / loads an xclbin) or why not      */
} lp_opencl_dev_t;

/*
 * Fills up to `max` devices of every OpenCL platform the ICD loader finds and returns how
 * many there are (0: none, not an error), or -1 with err set when this lpsgd has no OpenCL.
 */
int lp_opencl_list(lp_opencl_dev_t *devs, int max, lp_err_t *err);

#endif
