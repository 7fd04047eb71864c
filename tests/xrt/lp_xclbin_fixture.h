/*
 * lp_xclbin_fixture.h - writes an xclbin that describes the SGD kernel exactly as v++ -l
 * would (minus the bitstream), from the public structures of <xclbin.h> and the one
 * register-map table (hls/sgd/lp_sgd_regmap.h, through scripts/vitis/lp_kernel_xml.h):
 *
 *   IP_LAYOUT          IP_KERNEL "lp_sgd:lp_sgd_1" (and lp_sgd_2 ... with ncu > 1, as
 *                      constraints/u250.cfg's nk= line makes), ap_ctrl_hs, interrupt enabled
 *   EMBEDDED_METADATA  the kernel XML: argument names, ids, ports, offsets, sizes
 *   MEM_TOPOLOGY       DDR banks (U250-like: bank0..bank3) or HBM pseudo-channels
 *   CONNECTIVITY       each CU's pointer arguments to the bank their m_axi bundle is wired
 *                      to; with several CUs, banks of each CU's own (lp_fixture_bank)
 *
 * XRT's noop shim (XCL_EMULATION_MODE=noop) loads such a file like a real one, so the whole
 * host path of the xrt backend runs here; the kernel itself computes nothing.
 *
 * Faults for the error tests: a kernel name other than lp_sgd (missing kernel), a
 * truncated file or a wrong magic (broken xclbin), an argument at the wrong offset.
 */
#ifndef LP_XCLBIN_FIXTURE_H
#define LP_XCLBIN_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xclbin.h>

#include "lp_kernel_xml.h"

typedef struct {
    const char *kernel;   /* kernel name in IP_LAYOUT/XML; NULL = lp_sgd                    */
    int hbm;              /* 0: 4 DDR4 banks (U250), 1: 32 HBM pseudo-channels (U280/U55C) */
    int bad_magic;        /* write "xclbin0" instead of "xclbin2"                          */
    long truncate;        /* > 0: write only this many bytes                               */
    int bad_offset;       /* the model argument 4 bytes off (another kernel version)       */
    unsigned char uuid_seed; /* varies the xclbin uuid (two different xclbins)             */
    int ncu;              /* compute units lp_sgd_1..N (0: 1; at most 4 with DDR, 8 with HBM) */
} lp_fixture_opts_t;

#define LP_FIXTURE_CU_BASE 0x1800000ull

#define LP_FIXTURE_CU_STRIDE 0x10000ull /* CU i's registers at LP_FIXTURE_CU_BASE + i * this */

/*
 * Bank (mem_topology index) that CU cu's bundle is connected to. One CU: gmem0 -> 0, gmem1
 * -> 1 (DDR) or HBM[0], HBM[2]. Several, as the constraints/ configs place them: DDR: every
 * argument of CU i on bank i; HBM: CU i's gmem0 on HBM[4i], gmem1 on HBM[4i+2].
 */
static inline int lp_fixture_bank(const char *bundle, int hbm, int cu, int ncu)
{
    int n = atoi(bundle + 4); /* "gmemN" */
    if (hbm)
        return 4 * cu + 2 * n;
    return ncu > 1 ? cu : n;
}

static inline void lp_fixture_put(unsigned char **buf, size_t *len, size_t *cap, const void *p, size_t n)
{
    if (*len + n > *cap) {
        size_t c = *cap ? *cap : 4096;
        while (c < *len + n)
            c *= 2;
        unsigned char *nb = realloc(*buf, c);
        if (!nb) {
            fprintf(stderr, "fixture: out of memory\n");
            exit(2);
        }
        *buf = nb, *cap = c;
    }
    memcpy(*buf + *len, p, n);
    *len += n;
}

/* Writes the xclbin to `path`. Returns 0, or -1 (and a message on stderr). */
static inline int lp_fixture_write(const char *path, const lp_fixture_opts_t *o)
{
    enum { NSEC = 4 };
    const char *kname = o->kernel ? o->kernel : LP_SGD_KERNEL_NAME;
    const int nbanks = o->hbm ? 32 : 4, ncu = o->ncu > 1 ? o->ncu : 1;
    if (ncu > (o->hbm ? 8 : 4)) {
        fprintf(stderr, "fixture: %d CUs do not get banks of their own\n", ncu);
        return -1;
    }
    unsigned char *sec[NSEC] = {0};
    size_t seclen[NSEC] = {0}, seccap[NSEC] = {0};
    const uint32_t kinds[NSEC] = {IP_LAYOUT, EMBEDDED_METADATA, MEM_TOPOLOGY, CONNECTIVITY};
    const char *names[NSEC] = {"ip_layout", "metadata", "mem_topology", "connectivity"};

    /* IP_LAYOUT */
    {
        int32_t count[2] = {ncu, 0}; /* m_count, then padding to the 8-byte aligned array */
        lp_fixture_put(&sec[0], &seclen[0], &seccap[0], count, sizeof count);
        for (int c = 0; c < ncu; c++) {
            struct ip_data ip;
            memset(&ip, 0, sizeof ip);
            ip.m_type = IP_KERNEL;
            ip.properties = IP_INT_ENABLE_MASK | (AP_CTRL_HS << IP_CONTROL_SHIFT);
            ip.m_base_address = LP_FIXTURE_CU_BASE + (uint64_t)c * LP_FIXTURE_CU_STRIDE;
            snprintf((char *)ip.m_name, sizeof ip.m_name, "%s:%s_%d", kname, kname, c + 1);
            lp_fixture_put(&sec[0], &seclen[0], &seccap[0], &ip, sizeof ip);
        }
    }
    /* EMBEDDED_METADATA: the kernel XML, with the kernel renamed for the missing-kernel case */
    {
        char *xml = NULL;
        size_t xlen = 0;
        FILE *m = open_memstream(&xml, &xlen);
        if (!m || lp_kernel_xml_embedded(m, o->hbm ? "xilinx_u55c_gen3x16_xdma_3_202210_1"
                                                   : "xilinx_u250_gen3x16_xdma_4_1_202210_1",
                                         LP_FIXTURE_CU_BASE) != 0 || fclose(m) != 0) {
            fprintf(stderr, "fixture: cannot build the kernel XML\n");
            free(xml);
            return -1;
        }
        if (o->bad_offset) { /* move the model argument: offset="0x1C" -> "0x20" */
            char from[32], *at;
            snprintf(from, sizeof from, "offset=\"0x%X\"", lp_sgd_args[LP_ARG_MODEL].offset);
            if ((at = strstr(xml, from)) != NULL) { /* two hex digits at 10, 11; the quote at 12 */
                static const char hex[] = "0123456789ABCDEF";
                unsigned v = lp_sgd_args[LP_ARG_MODEL].offset + 4;
                at[10] = hex[(v >> 4) & 15], at[11] = hex[v & 15];
            }
        }
        if (o->kernel) { /* rename every occurrence of the kernel name */
            const char *p = xml, *q;
            size_t kl = strlen(LP_SGD_KERNEL_NAME);
            while ((q = strstr(p, LP_SGD_KERNEL_NAME)) != NULL) {
                lp_fixture_put(&sec[1], &seclen[1], &seccap[1], p, (size_t)(q - p));
                lp_fixture_put(&sec[1], &seclen[1], &seccap[1], kname, strlen(kname));
                p = q + kl;
            }
            lp_fixture_put(&sec[1], &seclen[1], &seccap[1], p, strlen(p));
        } else {
            lp_fixture_put(&sec[1], &seclen[1], &seccap[1], xml, xlen);
        }
        free(xml);
    }
    /* MEM_TOPOLOGY */
    {
        int32_t count[2] = {nbanks, 0};
        lp_fixture_put(&sec[2], &seclen[2], &seccap[2], count, sizeof count);
        for (int b = 0; b < nbanks; b++) {
            struct mem_data md;
            memset(&md, 0, sizeof md);
            md.m_type = o->hbm ? MEM_HBM : MEM_DDR4;
            md.m_used = 1;
            md.m_size = o->hbm ? 256u * 1024 : 16u * 1024 * 1024; /* KB */
            md.m_base_address = o->hbm ? 0x0ull + (uint64_t)b * 0x10000000ull
                                       : 0x4000000000ull + (uint64_t)b * 0x400000000ull;
            snprintf((char *)md.m_tag, sizeof md.m_tag, o->hbm ? "HBM[%d]" : "bank%d", b);
            lp_fixture_put(&sec[2], &seclen[2], &seccap[2], &md, sizeof md);
        }
    }
    /* CONNECTIVITY: pointer arguments only (scalars are skipped, as v++ does) */
    {
        int32_t count = 0;
        lp_fixture_put(&sec[3], &seclen[3], &seccap[3], &count, 4);
        for (int cu = 0; cu < ncu; cu++)
            for (unsigned i = 0; i < LP_SGD_NARGS; i++) {
                struct connection c;
                if (!lp_sgd_args[i].is_pointer)
                    continue;
                c.arg_index = (int32_t)i;
                c.m_ip_layout_index = cu;
                c.mem_data_index = lp_fixture_bank(lp_sgd_args[i].bundle, o->hbm, cu, ncu);
                lp_fixture_put(&sec[3], &seclen[3], &seccap[3], &c, sizeof c);
                count++;
            }
        memcpy(sec[3], &count, 4);
    }

    /* axlf header, then NSEC section headers, then the sections (8-byte aligned) */
    size_t hdr = sizeof(struct axlf) + (NSEC - 1) * sizeof(struct axlf_section_header);
    size_t off[NSEC], total = (hdr + 7) & ~(size_t)7;
    for (int s = 0; s < NSEC; s++) {
        off[s] = total;
        total = (total + seclen[s] + 7) & ~(size_t)7;
    }
    unsigned char *img = calloc(1, total);
    if (!img) {
        fprintf(stderr, "fixture: out of memory\n");
        return -1;
    }
    struct axlf *top = (struct axlf *)img;
    memcpy(top->m_magic, o->bad_magic ? "xclbin0" : "xclbin2", 8);
    top->m_signature_length = -1;
    memset(top->reserved, 0xFF, sizeof top->reserved);
    memset(top->m_keyBlock, 0xFF, sizeof top->m_keyBlock);
    top->m_uniqueId = 0x6c7073676400ull | o->uuid_seed;
    top->m_header.m_length = total;
    top->m_header.m_timeStamp = 0;
    top->m_header.m_versionMajor = 2;
    top->m_header.m_versionMinor = 13;
    top->m_header.m_mode = XCLBIN_FLAT;
    snprintf((char *)top->m_header.m_platformVBNV, sizeof top->m_header.m_platformVBNV, "%s",
             o->hbm ? "xilinx_u55c_gen3x16_xdma_3_202210_1" : "xilinx_u250_gen3x16_xdma_4_1_202210_1");
    for (int i = 0; i < 16; i++) /* a fixed, valid (version 4) uuid, varied by uuid_seed */
        top->m_header.uuid[i] = (unsigned char)(0x11 * (i + 1) + o->uuid_seed);
    top->m_header.uuid[6] = (unsigned char)(0x40 | (top->m_header.uuid[6] & 0x0F));
    top->m_header.uuid[8] = (unsigned char)(0x80 | (top->m_header.uuid[8] & 0x3F));
    top->m_header.m_numSections = NSEC;
    for (int s = 0; s < NSEC; s++) {
        struct axlf_section_header *sh = &top->m_sections[s];
        sh->m_sectionKind = kinds[s];
        snprintf(sh->m_sectionName, sizeof sh->m_sectionName, "%s", names[s]);
        sh->m_sectionOffset = off[s];
        sh->m_sectionSize = seclen[s];
        memcpy(img + off[s], sec[s], seclen[s]);
        free(sec[s]);
    }

    size_t nwrite = o->truncate > 0 && (size_t)o->truncate < total ? (size_t)o->truncate : total;
    FILE *f = fopen(path, "wb");
    int rc = 0;
    if (!f || fwrite(img, 1, nwrite, f) != nwrite)
        rc = -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc)
        fprintf(stderr, "fixture: cannot write %s\n", path);
    free(img);
    return rc;
}

#endif
