/*
 * lp_test.h - the tiny test harness every C test program uses.
 *
 * LP_CHECK(cond, fmt, ...) counts one check; a failure prints its location and message.
 * LP_CASE(name, cond, fmt, ...) is a named check that also prints "ok   name" on success,
 * for the cases worth seeing in the log (one per format/option sweep, say).
 * LP_SKIP(fmt, ...) records one case that did not run, with its reason, as a line
 * "skipped: reason" (never as a pass). A reason that begins "needs an Alveo card" or
 * "needs Vitis" names what no test machine has; any other skip fails `make test` on a
 * machine its own dependency step provisioned (tests/run.sh, LP_TEST_STRICT).
 * return lp_test_summary(); ends main: it prints "N passed, N failed, N skipped" (the line
 * tests/run.sh adds up; it checks that N skipped equals the number of "skipped:" lines) and
 * returns non-zero on any failure.
 */
#ifndef LP_TEST_H
#define LP_TEST_H

#include <stdio.h>

/* LP_TEST_SAN: 1 in a build with AddressSanitizer (gcc or clang), where tests run smaller samples */
#if defined(__SANITIZE_ADDRESS__)
#define LP_TEST_SAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LP_TEST_SAN 1
#endif
#endif
#ifndef LP_TEST_SAN
#define LP_TEST_SAN 0
#endif

static int lp_test_passed, lp_test_failed, lp_test_skipped;

#define LP_CHECK(cond, ...)                                                                                  \
    do {                                                                                                     \
        if (cond) {                                                                                          \
            lp_test_passed++;                                                                                \
        } else {                                                                                             \
            lp_test_failed++;                                                                                \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                      \
            printf(__VA_ARGS__);                                                                             \
            printf("\n");                                                                                    \
            fflush(stdout);                                                                                  \
        }                                                                                                    \
    } while (0)

#define LP_CASE(name, cond, ...)                                                                             \
    do {                                                                                                     \
        int lp_case_ok_ = (cond);                                                                            \
        LP_CHECK(lp_case_ok_, __VA_ARGS__);                                                                  \
        if (lp_case_ok_) {                                                                                   \
            printf("ok   %s\n", name);                                                                       \
            fflush(stdout);                                                                                  \
        }                                                                                                    \
    } while (0)

#define LP_SKIP(...)                                                                                         \
    do {                                                                                                     \
        lp_test_skipped++;                                                                                   \
        printf("skipped: ");                                                                                 \
        printf(__VA_ARGS__);                                                                                 \
        printf("\n");                                                                                        \
        fflush(stdout);                                                                                      \
    } while (0)

static inline int lp_test_summary(void)
{
    printf("%d passed, %d failed, %d skipped\n", lp_test_passed, lp_test_failed, lp_test_skipped);
    return lp_test_failed ? 1 : 0;
}

#endif
