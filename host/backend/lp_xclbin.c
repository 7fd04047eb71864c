/*
 * lp_xclbin.c - checks an xclbin image before XRT parses it (lp_xclbin.h). Every field is read
 * with explicit little-endian loads at the offsets of xrt's <xclbin.h> (written down
 * below; tests/xrt/test_xclbin_mutate.c checks them with offsetof), every offset and
 * size is checked against the file's length without overflow before it is used.
 */
#include "lp_xclbin.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sgd/lp_sgd_regmap.h"

/* struct axlf, struct axlf_header, struct axlf_section_header, struct ip_layout/ip_data */
enum {
    AXLF_LENGTH = 304,   /* m_header.m_length (uint64)                 */
    AXLF_VBNV = 352,     /* m_header.m_platformVBNV[64]                */
    AXLF_UUID = 416,     /* m_header.uuid[16]                          */
    AXLF_NSECT = 448,    /* m_header.m_numSections (uint32)            */
    AXLF_SECTIONS = 456, /* m_sections[]                               */
    SECT_SIZE = 40,      /* sizeof(struct axlf_section_header)         */
    SECT_KIND = 0,       /* m_sectionKind (uint32)                     */
    SECT_OFFSET = 24,    /* m_sectionOffset (uint64)                   */
    SECT_BYTES = 32,     /* m_sectionSize (uint64)                     */
    KIND_IP_LAYOUT = 8,
    IPL_DATA = 8,        /* ip_layout: int32 m_count, then ip_data[]   */
    IP_SIZE = 80,        /* sizeof(struct ip_data)                     */
    IP_NAME = 16,        /* ip_data.m_name[64]                         */
    IP_TYPE_KERNEL = 1,
};

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static int refuse(int code, char *why, size_t whysize, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int refuse(int code, char *why, size_t whysize, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whysize, fmt, ap);
    va_end(ap);
    return code;
}

/* The IP_LAYOUT section sec[0..size): its kernel CUs named "lp_sgd:..." into x. */
static int ip_layout(const unsigned char *sec, uint64_t size, lp_xclbin_t *x, char *why, size_t whysize)
{
    static const char prefix[] = LP_SGD_KERNEL_NAME ":";
    if (size < IPL_DATA)
        return refuse(LP_XCLBIN_DAMAGED, why, whysize, "is damaged: its IP_LAYOUT section has %llu bytes, "
                      "fewer than its count", (unsigned long long)size);
    uint32_t count = le32(sec);
    if (count > (size - IPL_DATA) / IP_SIZE)
        return refuse(LP_XCLBIN_DAMAGED, why, whysize, "is damaged: its IP_LAYOUT section lists %d IPs in %llu bytes",
                      (int32_t)count, (unsigned long long)size);
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *ip = sec + IPL_DATA + (size_t)i * IP_SIZE;
        const char *name = (const char *)ip + IP_NAME;
        if (!memchr(name, '\0', 64))
            return refuse(LP_XCLBIN_DAMAGED, why, whysize, "is damaged: IP %u of its IP_LAYOUT has a name of 64 "
                          "characters without an end", i);
        if (le32(ip) == IP_TYPE_KERNEL && !strncmp(name, prefix, sizeof prefix - 1) && x->ncu < LP_XCLBIN_MAX_CUS)
            snprintf(x->cu[x->ncu++], sizeof x->cu[0], "%s", name);
    }
    return LP_XCLBIN_OK;
}

/* The header and the section table; the first IP_LAYOUT section read into x. */
int lp_xclbin_parse(const unsigned char *buf, size_t len, lp_xclbin_t *x, char *why, size_t whysize)
{
    memset(x, 0, sizeof *x);
    if (len < 8 || memcmp(buf, "xclbin2", 8) != 0)
        return refuse(LP_XCLBIN_NOT_XCLBIN, why, whysize, "is not an xclbin (it does not start with \"xclbin2\")");
    if (len < AXLF_SECTIONS)
        return refuse(LP_XCLBIN_DAMAGED, why, whysize, "is truncated or damaged: the file has %zu bytes, fewer "
                      "than the xclbin header's %d", len, AXLF_SECTIONS);
    uint64_t length = le64(buf + AXLF_LENGTH);
    if (length != len)
        return refuse(LP_XCLBIN_DAMAGED, why, whysize, "is truncated or damaged: its header says %llu bytes, the "
                      "file has %zu", (unsigned long long)length, len);
    x->nsections = le32(buf + AXLF_NSECT);
    if (x->nsections == 0 || x->nsections > LP_XCLBIN_MAX_SECTIONS ||
        AXLF_SECTIONS + (uint64_t)x->nsections * SECT_SIZE > len)
        return refuse(LP_XCLBIN_DAMAGED, why, whysize, "is truncated or damaged: its header lists %u sections "
                      "(1..%d fit the file's %zu bytes)", x->nsections, LP_XCLBIN_MAX_SECTIONS, len);
    memcpy(x->uuid, buf + AXLF_UUID, sizeof x->uuid);
    memcpy(x->platform, buf + AXLF_VBNV, 64);
    int have_ip = 0;
    for (uint32_t s = 0; s < x->nsections; s++) {
        const unsigned char *sh = buf + AXLF_SECTIONS + (size_t)s * SECT_SIZE;
        uint64_t off = le64(sh + SECT_OFFSET), size = le64(sh + SECT_BYTES);
        if (size > len || off > len - size)
            return refuse(LP_XCLBIN_DAMAGED, why, whysize, "is truncated or damaged: section %u (kind %u) at offset "
                          "%llu with %llu bytes lies outside the file's %zu bytes", s, le32(sh + SECT_KIND),
                          (unsigned long long)off, (unsigned long long)size, len);
        if (le32(sh + SECT_KIND) == KIND_IP_LAYOUT && !have_ip) {
            int rc = ip_layout(buf + off, size, x, why, whysize);
            if (rc)
                return rc;
            have_ip = 1;
        }
    }
    return LP_XCLBIN_OK;
}

void lp_xclbin_cu_list(const lp_xclbin_t *x, char *out, size_t size)
{
    size_t n = 0;
    snprintf(out, size, "%s", x->ncu ? "" : LP_SGD_KERNEL_NAME);
    for (unsigned i = 0; i < x->ncu && n < size; i++) {
        int w = snprintf(out + n, size - n, "%s%s", i ? ", " : "", x->cu[i]);
        n += w > 0 ? (size_t)w : 0;
    }
}
