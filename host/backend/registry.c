/*
 * registry.c - the backends built into lpsgd, found by name.
 */
#include <stdio.h>
#include <string.h>

#include "backend.h"

extern const lp_backend_ops_t lp_backend_csim;
extern const lp_backend_ops_t lp_backend_xrt; /* host/backend/xrt.c */
extern const lp_backend_ops_t lp_backend_verilator; /* host/backend/verilator.c */
extern const lp_backend_ops_t lp_backend_opencl; /* host/backend/opencl.c */
extern const lp_backend_ops_t lp_backend_vcard; /* host/backend/vcard.c */

static const lp_backend_ops_t *const backends[] = {
    &lp_backend_csim,
    &lp_backend_verilator,
    &lp_backend_xrt,
    &lp_backend_opencl,
    &lp_backend_vcard,
};

const char *lp_backend_names(void)
{
    static char buf[160];
    buf[0] = '\0';
    for (unsigned i = 0; i < sizeof backends / sizeof backends[0]; i++) {
        if (i)
            strncat(buf, ", ", sizeof buf - strlen(buf) - 1);
        strncat(buf, backends[i]->name, sizeof buf - strlen(buf) - 1);
    }
    return buf;
}

const lp_backend_ops_t *lp_backend_find(const char *name, lp_err_t *err)
{
    for (unsigned i = 0; i < sizeof backends / sizeof backends[0]; i++)
        if (!strcmp(backends[i]->name, name))
            return backends[i];
    lp_fail(err, "unknown backend '%s' (this lpsgd has: %s)", name, lp_backend_names());
    return NULL;
}
