# tests/lp_test.sh - the shell twin of tests/lp_test.h, sourced by every test script.
#   LPSGD       the program under test (make test exports it)
#   ok NAME / bad NAME WHY      count a check
#   skip REASON                 count a case that did not run, as "skipped: REASON" (never a
#                               pass; see tests/lp_test.h for the reasons make test accepts)
#   check NAME CMD...           run CMD, pass if it exits 0
#   expect_eq NAME GOT WANT     pass if the strings are equal
#   expect_err NAME PATTERN CMD...   CMD must exit 2 and print exactly one line on stderr
#                                    matching the extended regex PATTERN, nothing on stdout
#   f32le HEX...                the little-endian bytes of FP32 words given in hex
#   npy_bytes VER ORDER SHAPE DESCR   a .npy header (version 1|2|3, True|False, "(2, 3)")
#   hexwords FILE [SKIP]        the file's 32-bit little-endian words in hex, one per line
#   backends                    the names of the backends built into $LPSGD
#   probe_or_skip LABEL PATTERN CMD...   run CMD (a small train); if it fails with a message
#                               matching the grep PATTERN (the backend is not built or has no
#                               device), count "skipped: LABEL: <its message>" and exit
#   binary_csv FILE ROWS COLS   a binary-classification CSV: COLS features in [-1, 1], the
#                               label (0/1) last, seeded (the same file every run)
#   multiclass_csv FILE ROWS COLS   a 3-class CSV: COLS features in [-1, 1] shifted by 0.8
#                               where j % 3 is the class, the class (i % 3) last, seeded
#   train_same BE OPTS NAME DATA MODEL ARGS...   lpsgd train --data DATA --model MODEL ARGS
#                               with --backend csim and with --backend BE OPTS (OPTS: options
#                               for BE's run only, split at spaces; "" for none): one check
#                               "NAME: BE = csim (...)", passed when the per-step CSV logs and
#                               the checkpoints are byte-identical (cmp)
#   summary                     print "N passed, N failed, N skipped" and exit accordingly
# POCL_CACHE_DIR is set to a directory under $T (PoCL's kernel cache, --backend opencl).
set -u
: "${LPSGD:?set LPSGD to the lpsgd program (make test does)}"
PASS=0
FAIL=0
SKIP=0
T=$(mktemp -d "${TMPDIR:-/tmp}/lpsgd-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
# --backend opencl on PoCL caches compiled kernels: in this script's directory, not ~/.cache
export POCL_CACHE_DIR="$T/pocl-cache"

ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $1${2:+: $2}"; }
skip() { SKIP=$((SKIP + 1)); echo "skipped: $1"; }

check() {
    local name=$1; shift
    if "$@" >"$T/out" 2>"$T/err"; then ok "$name"; else bad "$name" "exit $? from $*: $(head -c 300 "$T/err")"; fi
}

expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got [$2] want [$3]"; fi
}

expect_err() {
    local name=$1 pat=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    local lines
    lines=$(wc -l <"$T/err")
    if [ "$rc" != 2 ]; then
        bad "$name" "exit $rc, want 2 (stderr: $(head -c 300 "$T/err"))"
    elif [ "$lines" != 1 ]; then
        bad "$name" "$lines lines on stderr, want 1: $(head -c 400 "$T/err")"
    elif [ -s "$T/out" ]; then
        bad "$name" "wrote to stdout: $(head -c 200 "$T/out")"
    elif ! grep -Eq -- "$pat" "$T/err"; then
        bad "$name" "message [$(cat "$T/err")] does not match /$pat/"
    else
        ok "$name  ($(cat "$T/err"))"
    fi
}

f32le() {
    local h
    for h in "$@"; do
        h=$(printf '%08x' "0x$h")
        printf "\\x${h:6:2}\\x${h:4:2}\\x${h:2:2}\\x${h:0:2}"
    done
}

npy_bytes() {
    local ver=$1 order=$2 shape=$3 descr=${4:-<f4}
    local dict="{'descr': '$descr', 'fortran_order': $order, 'shape': $shape, }"
    local pre=10
    [ "$ver" != 1 ] && pre=12
    local total=$(( (pre + ${#dict} + 1 + 63) / 64 * 64 ))
    local hlen=$((total - pre))
    printf '\x93NUMPY'
    printf "\\x$(printf %02x "$ver")\\x00"
    printf "\\x$(printf %02x $((hlen & 255)))\\x$(printf %02x $((hlen >> 8)))"
    [ "$ver" != 1 ] && printf '\x00\x00'
    printf '%s' "$dict"
    printf "%$((hlen - ${#dict} - 1))s" ''
    printf '\n'
}

hexwords() {
    od -An -v -tx4 -j "${2:-0}" "$1" | tr -s ' ' '\n' | sed '/^$/d'
}

# The backends built into $LPSGD (from the unknown-backend message).
backends() {
    "$LPSGD" quantize --backend '?' --format fp16 x.f32 y.f32 2>&1 | sed -n 's/.*this lpsgd has: \(.*\)).*/\1/p' | tr -d ','
}

summary() {
    echo "$PASS passed, $FAIL failed, $SKIP skipped"
    [ "$FAIL" = 0 ]
    exit
}

probe_or_skip() {
    local label=$1 pat=$2; shift 2
    if ! "$@" >"$T/probe.out" 2>"$T/probe.err" && grep -q -- "$pat" "$T/probe.err"; then
        skip "$label: $(head -n 1 "$T/probe.err")"
        summary
    fi
}

binary_csv() {
    awk -v rows="$2" -v cols="$3" 'BEGIN { srand(7); for (i = 0; i < rows; i++) { s = 0; line = "";
         for (j = 0; j < cols; j++) { x = 2 * rand() - 1; s += (j % 2 ? -x : x); line = line sprintf("%.4f,", x) }
         print line (s > 0 ? 1 : 0) } }' >"$1"
}

multiclass_csv() {
    awk -v rows="$2" -v cols="$3" 'BEGIN { srand(11); for (i = 0; i < rows; i++) { c = i % 3; line = "";
         for (j = 0; j < cols; j++) { x = 2 * rand() - 1 + (j % 3 == c ? 0.8 : 0); line = line sprintf("%.4f,", x) }
         print line c } }' >"$1"
}

train_same() {
    local be=$1 opts=$2 name=$3 data=$4 model=$5 b extra
    shift 5
    for b in csim "$be"; do
        extra=""
        [ "$b" = "$be" ] && extra=$opts
        # shellcheck disable=SC2086 # OPTS are several options
        if ! "$LPSGD" train --backend "$b" $extra --data "$data" --model "$model" "$@" --log "$T/same.$b.csv" \
             --checkpoint "$T/same.$b.ckpt" >"$T/same.$b.out" 2>"$T/same.$b.err"; then
            bad "$name --backend $b failed: $(head -c 300 "$T/same.$b.err")"
            return
        fi
    done
    local c=$T/same.csim o=$T/same.$be
    if cmp -s "$c.csv" "$o.csv" && cmp -s "$c.ckpt" "$o.ckpt"; then
        ok "$name: $be = csim (log $(wc -l <"$c.csv") lines, checkpoint $(wc -c <"$c.ckpt") bytes)"
    else
        bad "$name: $be differs from csim ($(cmp "$c.csv" "$o.csv" 2>&1 | head -n 1); $(cmp "$c.ckpt" "$o.ckpt" 2>&1 | head -n 1))"
    fi
}
