/*
 * data_int.h - internals shared by the loaders in host/data/ (not part of the interface;
 * the fuzz targets and tests/data use them to reach the parsers on memory buffers).
 */
#ifndef LP_DATA_INT_H
#define LP_DATA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"

/* One message into err (truncated to errlen), printf-style. */
void lp_data_err(char *err, unsigned errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * splitmix64 (Steele, Lea, Flood 2014): the one PRNG of the loaders (held-out split,
 * synthetic data).  state += 0x9E3779B97F4A7C15; z = state;
 * z = (z ^ z>>30) * 0xBF58476D1CE4E5B9; z = (z ^ z>>27) * 0x94D049BB133111EB; return z ^ z>>31.
 */
static inline uint64_t lp_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* ---- text.c: whole-file reading, lines, numbers ------------------------------------ */

/* Read a text file whole (<= LP_DATA_MAX_FILE bytes, no NUL bytes), NUL-terminated. */
int lp_text_read(const char *path, char **buf, size_t *len, char *err, unsigned errlen);

/* Line iterator over [p, end): lines end in LF; a CR before the LF, everything from '#'
 * on, and leading/trailing blanks (space, tab) are dropped; empty lines are skipped. */
typedef struct {
    const char *p, *end;
    uint32_t line; /* 1-based number of the line last returned */
} lp_lines_t;
void lp_lines_init(lp_lines_t *it, const char *buf, size_t len);
int lp_lines_next(lp_lines_t *it, const char **b, const char **e); /* 1: a line; 0: end */

enum { LP_NUM_OK = 0, LP_NUM_EMPTY, LP_NUM_LONG, LP_NUM_BAD, LP_NUM_NONFINITE, LP_NUM_RANGE };
/* [b, e) as a number (strtod, C locale): all characters consumed, finite, |v| <= FLT_MAX. */
int lp_text_number(const char *b, const char *e, double *v);
const char *lp_text_number_why(int code);
/* [b, e) for a message: at most 40 characters, non-printable bytes as \xNN. */
void lp_text_quote(const char *b, const char *e, char *out, size_t outlen);

/* ---- data.c: shared pieces of the loaders ------------------------------------------ */

/* What a text scan learns: rows, features, and the label statistics for the task rule. */
typedef struct {
    uint32_t n, d;
    uint64_t nonint;   /* labels that are not integers        */
    uint64_t nzero;    /* labels equal to 0                   */
    double ymin, ymax; /* over all labels (n >= 1)            */
    uint32_t header;   /* CSV: line number of the header, 0 if none */
} lp_scan_t;
void lp_scan_init(lp_scan_t *s);
void lp_scan_label(lp_scan_t *s, double y);

/* Allocate an n x d dataset (zeroed) within the limits of dataset.h. */
int lp_data_alloc(lp_dataset_t *ds, uint32_t n, uint32_t d, const char *name, char *err, unsigned errlen);
void lp_dataset_free(lp_dataset_t *ds);
/* The label rule of dataset.h over one or two scans; sets task/classes, maps -1 to 0. */
void lp_data_labels(lp_dataset_t *a, const lp_scan_t *sa, lp_dataset_t *b, const lp_scan_t *sb);
/* Seeded held-out split: floor(n/6) rows (at least 1) to test, file order kept. */
int lp_data_split(lp_dataset_t *all, uint32_t seed, lp_dataset_t *train, lp_dataset_t *test, const char *name,
                  char *err, unsigned errlen);

/* ---- libsvm.c, csv.c: two passes over a buffer (scan, then fill) ------------------- */
int lp_libsvm_scan(const char *buf, size_t len, const char *name, lp_scan_t *s, char *err, unsigned errlen);
/* Fill ds (allocated here, d >= the scanned d) from the same buffer. */
int lp_libsvm_fill(const char *buf, size_t len, const char *name, const lp_scan_t *s, uint32_t d, lp_dataset_t *ds,
                   char *err, unsigned errlen);
int lp_csv_scan(const char *buf, size_t len, const char *name, lp_scan_t *s, char *err, unsigned errlen);
int lp_csv_fill(const char *buf, size_t len, const char *name, const lp_scan_t *s, lp_dataset_t *ds, char *err,
                unsigned errlen);
/* Both passes plus the label rule on one buffer (fuzz targets, tests). */
int lp_libsvm_parse(const char *buf, size_t len, const char *name, lp_dataset_t *ds, char *err, unsigned errlen);
int lp_csv_parse(const char *buf, size_t len, const char *name, lp_dataset_t *ds, char *err, unsigned errlen);

/* ---- idx.c: IDX (LeCun's MNIST format) --------------------------------------------- */
#define LP_IDX_MAX_DIMS 8
typedef struct {
    uint32_t ndims;
    uint32_t dims[LP_IDX_MAX_DIMS];
    uint64_t count;      /* product of dims                                     */
    const uint8_t *data; /* count unsigned bytes (points into the parsed buffer) */
} lp_idx_t;
int lp_idx_parse(const uint8_t *buf, size_t len, const char *name, lp_idx_t *out, char *err, unsigned errlen);
/* Read an IDX file, gzip-compressed or not, bounded by its header; then lp_idx_parse. */
int lp_idx_read(const char *path, uint8_t **buf, size_t *len, char *err, unsigned errlen);
/* images (n x ...) and labels (n) to a dataset: x = byte / 255.0f, y = label, labels < max_classes. */
int lp_idx_dataset(const lp_idx_t *img, const char *iname, const lp_idx_t *lab, const char *lname,
                   uint32_t max_classes, lp_dataset_t *ds, char *err, unsigned errlen);

/* ---- fashion.c, synthetic.c -------------------------------------------------------- */
int lp_fashion_load(const char *dir, lp_data_t *out, char *err, unsigned errlen);
int lp_synthetic_load(const char *keys, uint32_t seed, double lambda, lp_data_t *out, char *err, unsigned errlen);

#endif
