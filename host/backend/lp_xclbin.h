/*
 * lp_xclbin.h - the checks lpsgd makes on an xclbin before XRT sees it, and what it reads
 * from it: the uuid, the platform, and the compute units (CUs) of the kernel lp_sgd from
 * the IP_LAYOUT section (their names go into the errors, e.g. on a kernel that hangs).
 *
 * An xclbin is an untrusted file (a user passes any path with --xclbin), so this is a
 * parser of hostile input: pure C, no XRT call, no XRT header (the layout of xrt's
 * <xclbin.h> is written down in lp_xclbin.c and checked against it by the tests), fuzzed by
 * tests/fuzz/fuzz_xclbin.c and mutated by tests/xrt/test_xclbin_mutate.c under ASan.
 */
#ifndef LP_XCLBIN_READER_H
#define LP_XCLBIN_READER_H

#include <stddef.h>
#include <stdint.h>

#define LP_XCLBIN_MAX_SECTIONS 1024 /* v++ writes about 10-30; more is a damaged file */
#define LP_XCLBIN_MAX_CUS 16        /* CUs of lp_sgd that are named in the messages   */

enum { LP_XCLBIN_OK = 0, LP_XCLBIN_NOT_XCLBIN = 1, LP_XCLBIN_DAMAGED = 2 };

typedef struct {
    unsigned char uuid[16];
    char platform[65];                   /* m_platformVBNV, NUL-terminated here     */
    uint32_t nsections;
    unsigned ncu;                        /* IP_KERNEL entries "lp_sgd:<instance>"    */
    char cu[LP_XCLBIN_MAX_CUS][65];      /* their full names: "lp_sgd:lp_sgd_1"      */
} lp_xclbin_t;

/*
 * Checks the whole file image buf[0..len) (len is the file's size): the magic, that the
 * header's length is the file's, that the section table and every section lie inside the
 * file (no overflow), and the IP_LAYOUT section's entries. Returns LP_XCLBIN_OK and fills
 * *x, or LP_XCLBIN_NOT_XCLBIN / LP_XCLBIN_DAMAGED with one line in why ("is truncated or
 * damaged: ...", meant to follow the file's name).
 */
int lp_xclbin_parse(const unsigned char *buf, size_t len, lp_xclbin_t *x, char *why, size_t whysize);

/* The CU names of x joined with ", " ("lp_sgd" when the IP_LAYOUT names none). */
void lp_xclbin_cu_list(const lp_xclbin_t *x, char *out, size_t size);

#endif
