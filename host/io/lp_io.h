/*
 * lp_io.h - the file formats of the lpsgd CLI: float32 tensors in and out (.npy, raw .f32),
 * the packed-code file (.lpqc) and a JSON number helper.
 *
 * Tensors
 *   .npy   NumPy format versions 1.0, 2.0 and 3.0; dtype float32 little-endian ('<f4'),
 *          any shape (including the 0-d scalar), C or Fortran order. The header is parsed
 *          by a small strict parser of the Python dict literal NumPy writes (keys 'descr',
 *          'fortran_order', 'shape', each exactly once); data must follow the header and
 *          hold exactly prod(shape) * 4 bytes. Element order is kept as stored: every
 *          lpsgd operation is elementwise, so Fortran order needs no transposition.
 *   .f32   raw little-endian IEEE binary32, no header; the size must be a non-zero
 *          multiple of 4. Its "shape" is one dimension of n elements.
 *   The kind is chosen by the file name's extension (.npy or .f32, any letter case).
 *   Empty tensors (no elements) are refused: there is nothing to quantize.
 *
 * Input files must be regular files (lp_file_open_in: no FIFO, device or directory) of at
 * most LP_IO_MAX_FILE bytes.
 *
 * Writing is atomic: data go to a temporary file next to the destination, which is
 * renamed over it only when complete, so an interrupted or failed write never leaves a
 * half-written file behind. A command with several outputs renames them together
 * (lp_io_atomic_commit_all) once every one is complete, and none if one failed; with
 * lp_sig_catch(.., LP_SIG_CLEANUP) (lp_file.h) SIGINT, SIGTERM, SIGHUP and SIGPIPE remove the
 * temporaries.
 *
 * Every function returns 0 on success, or -1 with a message in err->msg naming the file
 * and the problem (the CLI prints it and exits with code 2).
 */
#ifndef LP_IO_H
#define LP_IO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "backend/backend.h" /* lp_err_t */

#define LP_NPY_MAXDIM 64          /* NumPy's own limit (NPY_MAXDIMS) */
#define LP_IO_MAX_ELEMS 0xFFFFFFFFu /* backends take a uint32_t element count */
/* The largest input file read: the data of LP_IO_MAX_ELEMS floats and 1 MiB of header. */
#define LP_IO_MAX_FILE (4ull * LP_IO_MAX_ELEMS + (1ull << 20))

enum { LP_IO_NPY = 1, LP_IO_F32 = 2 };

/* What describes a tensor file besides its data: kept from the input to write the output. */
typedef struct {
    int kind;                        /* LP_IO_NPY or LP_IO_F32                          */
    int npy_major, npy_minor;        /* npy: format version (1.0, 2.0 or 3.0)           */
    int fortran_order;               /* npy: 'fortran_order': True                      */
    int ndim;                        /* npy: number of dimensions (0 = scalar); f32: 1  */
    uint64_t shape[LP_NPY_MAXDIM];   /* the dimensions                                  */
    uint64_t n;                      /* elements = product of the dimensions            */
    size_t data_offset;              /* npy: bytes before the data (header included)    */
} lp_tensor_info_t;

/* LP_IO_NPY / LP_IO_F32 from a path's extension; 0 (and a message) for anything else. */
int lp_io_kind(const char *path, lp_err_t *err);

/*
 * Parse a whole .npy file held in memory (buf[len]): magic, version, header dict, and
 * the data size. On success *info describes it and the data are buf + info->data_offset.
 * This is the parser the fuzz target (tests/fuzz) drives; `name` only labels messages.
 */
int lp_npy_parse(const uint8_t *buf, size_t len, const char *name, lp_tensor_info_t *info, lp_err_t *err);
/* The same from the file's first bytes: buf[avail] holds its first min(len, 12) bytes and then
 * its first min(len, lp_npy_head_len(buf, that)) bytes (magic, preamble and header dict);
 * len is the whole file's size, which the data size is checked against. */
int lp_npy_parse_head(const uint8_t *buf, size_t avail, uint64_t len, const char *name, lp_tensor_info_t *info,
                      lp_err_t *err);
size_t lp_npy_head_len(const uint8_t *buf, size_t avail);

/*
 * Format a .npy header (magic through the final '\n', padded to a multiple of 64 bytes)
 * for info's version, order and shape into out[cap]; returns its length, or 0 (and a
 * message) if it does not fit. Version 1.0 is promoted to 2.0 if the header needs it.
 */
size_t lp_npy_header(const lp_tensor_info_t *info, uint8_t *out, size_t cap, lp_err_t *err);

/* Read a whole regular file (at most LP_IO_MAX_FILE bytes) into a malloc'd buffer (*len
 * bytes). Empty files, directories, FIFOs and devices are an error. */
int lp_io_slurp(const char *path, uint8_t **buf, size_t *len, lp_err_t *err);
/* The same with a limit of max bytes; `what` names the expected content in the messages
 * ("PATH: not a regular file but a directory; give the path of WHAT"). */
int lp_io_read_file(const char *path, uint64_t max, const char *what, uint8_t **buf, size_t *len, lp_err_t *err);
/* The same for a text file: a malloc'd NUL-terminated string of *len bytes; a NUL byte
 * inside is an error ("not a text file"). */
int lp_io_read_text(const char *path, uint64_t max, const char *what, char **text, size_t *len, lp_err_t *err);

/*
 * Read a float32 tensor (.npy or .f32 by extension) into a malloc'd array of info->n
 * floats (the caller frees *data).
 */
int lp_io_read_tensor(const char *path, float **data, lp_tensor_info_t *info, lp_err_t *err);

/*
 * A tensor file read in pieces (O(piece) memory): lp_io_tensor_open reads and checks the
 * header against the file's size (a truncated or overlong file is refused here, before any
 * data is read), lp_io_tensor_read reads the next count elements, lp_io_tensor_rewind goes
 * back to the first (a second pass), lp_io_tensor_close closes. The file is read with
 * read(2) in the caller's pieces, sequential access advised, or mapped piece by piece
 * (lp_io_tensor_next: no copy, for the quantizer's stream).
 */
typedef struct {
    int fd;
    const char *path;
    uint64_t data_offset, n, done; /* bytes before the data, elements, elements read */
    void *map;                     /* lp_io_tensor_next's window of the file, or NULL */
    uint64_t map_at;               /* the window's first byte in the file */
    size_t map_len;
    int no_map;                    /* the file would not map: read(2) from here on */
} lp_tensor_in_t;

int lp_io_tensor_open(const char *path, lp_tensor_in_t *in, lp_tensor_info_t *info, lp_err_t *err);
int lp_io_tensor_read(lp_tensor_in_t *in, float *buf, uint32_t count, lp_err_t *err);
/* The next count elements without a copy: a pointer into a read-only mapping (mmap) of a
 * window of the file (2 MiB, or the count's pages when more), valid until the next call,
 * rewind or close (a call whose elements lie outside the window maps the next one), so
 * memory stays O(count + window); where the file does not map, they are read into buf
 * (count elements) and buf returned, and read(2) continues from there on.
 * NULL on an error (err). A file that shrinks while mapped raises SIGBUS at the read: read
 * through the pointer only inside lp_map_guard (lp_file.h). */
const float *lp_io_tensor_next(lp_tensor_in_t *in, float *buf, uint32_t count, lp_err_t *err);
int lp_io_tensor_rewind(lp_tensor_in_t *in, lp_err_t *err);
void lp_io_tensor_close(lp_tensor_in_t *in);

/*
 * Atomic file writing: lp_io_atomic_open creates a temporary file next to path (the
 * message names path when the directory is not writable; the temporary is registered for
 * removal on signals, lp_file.h); lp_io_atomic_commit flushes, fsyncs, closes and renames it
 * over path; lp_io_atomic_abort closes and removes it (harmless after a commit). The file
 * is whole or absent after a kill at any moment (the rename is atomic); the fsync makes it
 * so after a crash of the OS or a power loss too. A caller whose output can be made again
 * (lpsgd quantize without --sync) sets no_fsync after the open: the commit then renames
 * without the fsync, as cp and numpy.save leave their files.
 * lp_io_atomic_commit_all does the same for n files at once: all are completed first, and
 * only if every one succeeded are all renamed (with the signals held back meanwhile);
 * otherwise all temporaries are removed and the old files stay untouched.
 */
typedef struct {
    FILE *f;
    char tmp[4096];
    const char *path;
    int live; /* the temporary exists */
    int64_t wb; /* bytes whose writeback lp_io_atomic_writeback started */
    int no_fsync; /* commit without fsync (0 after the open) */
} lp_atomic_t;

int lp_io_atomic_open(lp_atomic_t *a, const char *path, lp_err_t *err);
int lp_io_atomic_commit(lp_atomic_t *a, lp_err_t *err);
int lp_io_atomic_commit_all(lp_atomic_t *const *a, int n, lp_err_t *err);
void lp_io_atomic_abort(lp_atomic_t *a);
/* Start writing back to the disk what a holds so far (advice, asynchronous), so that the
 * commit's fsync of a large file waits for its tail only; errors show at the commit. Nothing
 * with no_fsync (the kernel writes the file back in its own time, as after cp). */
void lp_io_atomic_writeback(lp_atomic_t *a);

/*
 * Write n floats as a tensor into the open atomic file a. The kind comes from a->path's
 * extension; a .npy gets like's version, order and shape when like is a .npy of n
 * elements, else a version 1.0 one-dimensional header.
 */
int lp_io_put_tensor(lp_atomic_t *a, const float *data, uint64_t n, const lp_tensor_info_t *like, lp_err_t *err);
/* The same in pieces: the header of a tensor of n elements (nothing for .f32), then the data
 * with lp_io_put_floats, n in all. */
int lp_io_put_tensor_head(lp_atomic_t *a, uint64_t n, const lp_tensor_info_t *like, lp_err_t *err);
int lp_io_put_floats(lp_atomic_t *a, const float *data, size_t count, lp_err_t *err);

/*
 * The packed-code file (.lpqc), version 1, all integers little-endian:
 *
 *   offset size  field
 *        0    4  magic "LPQC"
 *        4    2  version = 1
 *        6    1  code_bits B: width of one encoded element, 1..32 (1+E+M, or W for fixed)
 *        7    1  scale mode: 0 none, 1 tensor, 2 block32 (LP_SCALE_*)
 *        8    8  n: number of elements
 *       16   24  format name, ASCII, NUL-padded ("fp8_e4m3", "e3m4", "fixed16.8")
 *       40    S  scales: none -> S = 0;
 *                tensor  -> S = 4: the scale exponent k as int32; value = decode(code) * 2^-k
 *                block32 -> S = ceil(n/32): one OCP MX E8M0 byte per 32-element block,
 *                           X = 2^(byte-127), value = decode(code) * X
 *   40+S      D  codes: element i occupies bits [i*B, i*B+B) of a little-endian bit stream
 *                (stream bit j is bit j%8 of byte j/8; a code's least significant bit
 *                first), D = ceil(n*B/8), the last byte's unused high bits are 0.
 *                So fp4_e2m1 packs element 2j in the low nibble of byte j and 2j+1 in the
 *                high nibble (as OCP MX does), and fp8 is one byte per element.
 *
 * A code is the format's encoding: sign, biased exponent, mantissa (floats), or two's
 * complement (fixed); `lpsgd formats` lists each format's parameters.
 */
#define LP_CODES_HEADER 40

/* Write the packed-code file into the open atomic file a. */
int lp_io_put_codes(lp_atomic_t *a, const char *fmt_name, unsigned code_bits, int scale_mode,
                    const uint32_t *codes, const int32_t *scale_k, uint64_t n, lp_err_t *err);

/*
 * The same file in pieces (lp_io_put_codes is begin, one piece, end): begin writes the
 * header (n is known up front) and, for LP_SCALE_TENSOR, the exponent tensor_k; each piece
 * packs len codes behind the previous ones and, for LP_SCALE_BLOCK32, writes the E8M0 bytes
 * of its ceil(len/32) blocks (scale_k) in place in the scales field; every piece but the
 * last holds a multiple of 32 elements (a piece starts on a block and a byte). end checks
 * that n codes came and frees the buffer.
 */
typedef struct {
    lp_atomic_t *a;
    unsigned bits;
    int scale_mode;
    uint64_t n, done; /* elements in all, elements written */
    uint8_t *buf;     /* one piece, packed */
    size_t cap;
} lp_codes_out_t;

int lp_io_codes_begin(lp_codes_out_t *w, lp_atomic_t *a, const char *fmt_name, unsigned code_bits, int scale_mode,
                      uint64_t n, int32_t tensor_k, lp_err_t *err);
int lp_io_codes_put(lp_codes_out_t *w, const uint32_t *codes, const int32_t *scale_k, uint32_t len, lp_err_t *err);
int lp_io_codes_end(lp_codes_out_t *w, lp_err_t *err);

/*
 * v as a human table (or CSV) prints it: a NaN of either sign becomes the positive NaN,
 * which printf writes "nan". Statistics that overflow (inf/inf, inf - inf) give a NaN with
 * the sign bit set on x86, which glibc would print "-nan".
 */
double lp_num_shown(double v);

/* Flush stdout; -1 with a message if anything printed there was lost (full disk, closed pipe). */
int lp_io_stdout_done(lp_err_t *err);

/* Print a double as a JSON number (17 significant digits), or null when not finite. */
void lp_json_num(FILE *out, double v);

/* Print n members "key": number (lp_json_num) separated by ", ", no braces around them. */
void lp_json_fields(FILE *out, const char *const *keys, const double *vals, size_t n);

/* Print a string as a JSON string literal (quotes, backslashes, control characters escaped). */
void lp_json_str(FILE *out, const char *s);

#endif
