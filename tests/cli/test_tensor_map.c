/*
 * test_tensor_map.c - lpsgd quantize's input path (host/io): lp_io_tensor_next, which hands
 * out the elements in place in a mapping of the file (or read into the caller's buffer where
 * it does not map), and lp_map_guard, which turns the SIGBUS of a file that shrinks under
 * its mapping into an error.
 *
 * The oracle is the file's content as this test wrote it (element i = i * 0.25f + 1, a value
 * whose bits differ for every i below 2^22): every piece must hold exactly those bits, for
 * pieces that cross the 2 MiB mapping windows and page boundaries, for a .npy whose data
 * starts inside a page, and on the read(2) fallback. A file truncated after its piece was
 * handed out must give LP_MAP_FAULT from the guarded read (twice: the guard re-arms), and
 * the same read outside a guard must still end a process with SIGBUS.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/lp_file.h"
#include "io/lp_io.h"
#include "lp_test.h"

static char dir[] = "/tmp/lp_tensor_map.XXXXXX";

static float value(uint64_t i) { return (float)i * 0.25f + 1.0f; }

/* A .f32 of n elements, or a .npy with header bytes head (a multiple of 64, >= 128). */
static void write_tensor(const char *path, uint64_t n, int npy)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    if (npy) {
        char dict[200];
        int len = snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (%llu,), }",
                           (unsigned long long)n);
        int hl = (10 + len + 1 + 63) / 64 * 64 - 10; /* the header after the 10 fixed bytes */
        fwrite("\x93NUMPY\x01\x00", 1, 8, f);
        fputc(hl & 0xFF, f);
        fputc(hl >> 8, f);
        fprintf(f, "%-*s\n", hl - 1, dict);
    }
    for (uint64_t i = 0; i < n; i++) {
        float v = value(i);
        fwrite(&v, 4, 1, f);
    }
    fclose(f);
}

/* Every element of path through lp_io_tensor_next in pieces of `piece`; the mismatches. */
static uint64_t read_all(const char *path, uint32_t piece, int no_map, int *mapped)
{
    lp_tensor_in_t in;
    lp_tensor_info_t info;
    lp_err_t err;
    if (lp_io_tensor_open(path, &in, &info, &err)) {
        printf("  %s\n", err.msg);
        return UINT64_MAX;
    }
    in.no_map = no_map;
    float *buf = malloc((size_t)piece * 4);
    uint64_t bad = 0;
    *mapped = 1;
    for (uint64_t at = 0; at < info.n;) {
        uint32_t len = info.n - at < piece ? (uint32_t)(info.n - at) : piece;
        const float *p = lp_io_tensor_next(&in, buf, len, &err);
        if (!p) {
            bad = UINT64_MAX;
            break;
        }
        *mapped &= p != buf;
        for (uint32_t k = 0; k < len; k++)
            bad += memcmp(&p[k], &(float){value(at + k)}, 4) != 0;
        at += len;
    }
    lp_io_tensor_close(&in);
    free(buf);
    return bad;
}

static void pieces(void)
{
    char f32[64], npy[64];
    snprintf(f32, sizeof f32, "%s/a.f32", dir);
    snprintf(npy, sizeof npy, "%s/a.npy", dir);
    uint64_t n = (9u << 20) / 4 + 1000; /* over four 2 MiB windows */
    write_tensor(f32, n, 0);
    write_tensor(npy, n, 1);
    const uint32_t sizes[] = {64, 1000, 262144, 1u << 21, 3000000};
    for (int k = 0; k < 5; k++) {
        int mapped;
        uint64_t bad = read_all(f32, sizes[k], 0, &mapped);
        LP_CASE("f32 mapped", bad == 0 && mapped, "pieces of %u: %llu wrong, mapped %d", sizes[k],
                (unsigned long long)bad, mapped);
        bad = read_all(npy, sizes[k], 0, &mapped);
        LP_CASE("npy mapped (data inside a page)", bad == 0 && mapped, "pieces of %u: %llu wrong, mapped %d",
                sizes[k], (unsigned long long)bad, mapped);
        bad = read_all(npy, sizes[k], 1, &mapped);
        LP_CASE("npy read(2) fallback", bad == 0 && !mapped, "pieces of %u: %llu wrong, mapped %d", sizes[k],
                (unsigned long long)bad, mapped);
    }
}

/* Sum the piece's bits (a read of every element) under the guard or not. */
typedef struct {
    const float *p;
    uint32_t len;
    uint32_t sum;
} touch_t;

static int touch(void *arg)
{
    touch_t *t = arg;
    for (uint32_t k = 0; k < t->len; k++) {
        uint32_t b;
        memcpy(&b, &t->p[k], 4);
        t->sum += b;
    }
    return 7; /* what a finished fn returns comes back through the guard */
}

static void shrink(void)
{
    char path[64];
    snprintf(path, sizeof path, "%s/s.f32", dir);
    uint64_t n = 1u << 20;
    write_tensor(path, n, 0);
    lp_tensor_in_t in;
    lp_tensor_info_t info;
    lp_err_t err;
    if (lp_io_tensor_open(path, &in, &info, &err)) {
        LP_CHECK(0, "%s", err.msg);
        return;
    }
    float buf[1];
    touch_t t = {lp_io_tensor_next(&in, buf, (uint32_t)n, &err), (uint32_t)n, 0};
    LP_CHECK(t.p && t.p != buf, "the piece is not mapped");
    int r = lp_map_guard(touch, &t);
    LP_CASE("a whole file reads through the guard", r == 7, "guard returned %d", r);
    LP_CHECK(truncate(path, 4096) == 0, "truncate");
    for (int round = 0; round < 2; round++) {
        t.sum = 0;
        r = lp_map_guard(touch, &t);
        LP_CASE("a file that shrank under its mapping: LP_MAP_FAULT, not a crash", r == LP_MAP_FAULT,
                "round %d: guard returned %d", round, r);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        touch(&t); /* no guard: the process must die of it */
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    LP_CASE("outside the guard a SIGBUS still ends the process", WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS,
            "child status 0x%x", st);
    lp_io_tensor_close(&in);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    pieces();
    shrink();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
    return lp_test_summary();
}
