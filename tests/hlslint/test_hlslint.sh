#!/usr/bin/env bash
# tests/hlslint/test_hlslint.sh - hlslint (scripts/hlslint, docs/hls-lint.md) on planted
# violations: bad_<rule>.c holds violations of that one rule, each line marked with a
# comment /* PLANT: rule [rule...] */ (a rule twice: two violations on the line); hlslint must report exactly those (rule and line), nothing else,
# and exit 1. The clean kernel (good_kernel.c/.h) prints nothing and exits 0; --root decides
# whether a header is checked; bad usage, a missing file and a syntax error exit 2.
# The program: $HLSLINT, else hlslint beside $LPSGD (make test), else build/hlslint.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lp_test.sh"
if [ -z "${HLSLINT:-}" ]; then
    case $LPSGD in
        -) HLSLINT=$here/../../build/hlslint ;;
        *) HLSLINT=$(dirname "$LPSGD")/hlslint ;;
    esac
fi
if [ ! -x "$HLSLINT" ]; then
    if [ ! -f "${LLVM_DIR:-/usr/lib/llvm-14}/include/clang-c/Index.h" ]; then
        skip "hlslint: needs libclang-dev (scripts/deps.sh test installs it)"
    else
        bad "hlslint is built" "$HLSLINT is missing (make build/hlslint)"
    fi
    summary
fi
cd "$here"

# planted FILE...: "LINE RULE" per planted violation, from the PLANT: markers
planted() {
    awk '{ if (match($0, /\/\* PLANT: [a-z -]*[a-z] \*\//)) {
               n = split(substr($0, RSTART + 10, RLENGTH - 13), r, " ")
               for (i = 1; i <= n; i++) print FNR, r[i] } }' "$@" | sort -k1,1n -k2
}
# reported FILE: "LINE RULE" per line hlslint printed
reported() {
    sed -nE 's/^[^:]+:([0-9]+):[0-9]+: ([a-z-]+): .+$/\1 \2/p' "$1" | sort -k1,1n -k2
}

for rule in recursion dynamic-memory function-pointer external-call double unbounded-loop maxi-pointer-arith; do
    f=bad_${rule//-/_}.c
    want=$(planted "$f")
    n=$(grep -c . <<<"$want")
    "$HLSLINT" --top top "$f" >"$T/out" 2>"$T/err"
    rc=$?
    expect_eq "$rule: $f exits 1" "$rc" 1
    expect_eq "$rule: the $n planted violations (line rule), nothing else" "$(reported "$T/out")" "$want"
    expect_eq "$rule: every output line is FILE:LINE:COL: RULE: MESSAGE" \
        "$(grep -cvE "^$f:[0-9]+:[0-9]+: $rule: [^ ].*$" "$T/out")" 0
    expect_eq "$rule: stderr counts them" "$(cat "$T/err")" "hlslint: $n violation$([ "$n" = 1 ] || echo s)"
done

# ports exist only through --top: without it the same file is clean
"$HLSLINT" bad_maxi_pointer_arith.c >"$T/out" 2>&1
expect_eq "maxi-pointer-arith: no --top, no port, no report" "$?:$(cat "$T/out")" "0:"

# the clean kernel, as Vitis sees it (-DLP_HLS) and as gcc does
for args in "-- -DLP_HLS" ""; do
    # shellcheck disable=SC2086
    "$HLSLINT" --top gk_top --root . good_kernel.c $args >"$T/out" 2>&1
    rc=$?
    expect_eq "good_kernel.c ${args:-(no LP_HLS)}: exit 0" "$rc" 0
    expect_eq "good_kernel.c ${args:-(no LP_HLS)}: no output" "$(cat "$T/out")" ""
done

# a header is checked code under --root only; outside, its function is an external call
"$HLSLINT" root_main.c >"$T/out" 2>/dev/null
expect_eq "no --root: the header's function is external" "$?:$(reported "$T/out")" "1:7 external-call"
"$HLSLINT" --root . root_main.c >"$T/out" 2>/dev/null
expect_eq "--root .: the header's loop is reported" "$?:$(reported "$T/out")" "1:8 unbounded-loop"
expect_eq "--root .: reported in the header" "$(cut -d: -f1 "$T/out")" "root_header.h"
# the call graph spans the files: a function defined in another file is not external
"$HLSLINT" --root . root_main.c good_kernel.c >"$T/out" 2>/dev/null
expect_eq "two files: one report" "$?:$(reported "$T/out")" "1:8 unbounded-loop"

# bad usage, a missing file: exit 2 and one line
expect_err "no input file" '^hlslint: no input file \(usage: ' "$HLSLINT"
expect_err "unknown option" "^hlslint: unknown option '--frobnicate'" "$HLSLINT" --frobnicate good_kernel.c
expect_err "--top without a value" '^hlslint: --top needs a value' "$HLSLINT" --top
expect_err "--root of no folder" '^hlslint: --root nosuch: no such folder' "$HLSLINT" --root nosuch good_kernel.c
expect_err "--top of no function" '^hlslint: --top nosuch: no such function defined' \
    "$HLSLINT" --top nosuch good_kernel.c
expect_err "missing file" '^hlslint: nosuch\.c: No such file or directory$' "$HLSLINT" nosuch.c

# a syntax error: exit 2, clang's diagnostic on stderr, nothing on stdout
"$HLSLINT" bad_syntax.c good_kernel.c >"$T/out" 2>"$T/err"
expect_eq "syntax error: exit 2" "$?" 2
expect_eq "syntax error: clang's diagnostic" "$(head -n 1 "$T/err")" "bad_syntax.c:4:23: error: expected ';' at end of declaration"
expect_eq "syntax error: the file named" "$(tail -n 1 "$T/err")" "hlslint: bad_syntax.c does not parse"
expect_eq "syntax error: nothing on stdout" "$(cat "$T/out")" ""

# the kernel itself: the sources hls/opencl/lp_kernels.cl includes (the kernel, as OpenCL
# and Vitis HLS compile it), with its m_axi top lp_sgd, are clean
root=$here/../..
kernel=$(sed -n 's|^#include "\.\./\([a-z]*/[a-z_]*\.c\)"$|hls/\1|p' "$root/hls/opencl/lp_kernels.cl")
(cd "$root" && "$HLSLINT" --root hls --top lp_sgd $kernel -- -Ihls -DLP_HLS) >"$T/out" 2>&1
expect_eq "the kernel sources ($(echo $kernel | wc -w) files) are clean: exit 0" "$?" 0
expect_eq "the kernel sources: no report" "$(cat "$T/out")" ""
summary
