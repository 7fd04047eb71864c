#!/bin/bash
# make bench: bench_quant (lpsgd's quantizer in the default build's code beside NVIDIA's host
# routines), then ml_dtypes (and numpy for fp16) on the data and values bench_quant dumped,
# from a virtual environment under $BUILD/venv that this script sets up where python3's venv
# and PyPI are available (a line says so where not). Never part of lpsgd itself.
set -e
BUILD=${BUILD:-build}
dump=$BUILD/bench-data
rm -rf "$dump"
mkdir -p "$dump"
trap 'rm -rf "$dump"' EXIT
LP_BENCH_DUMP=$dump "$BUILD/tests/bench/bench_quant"

# lpsgd quantize end to end against cp of the same 1 GiB file on the same disk, in this run:
# the values above (x.f32) repeated to 1 GiB, as a .f32 and as a .npy under
# $BUILD/bench-stream (until 2026-12 this was 16 copies of the 2^22 values, 256 MiB, though
# it was printed as 1 GB). Before
# each timed command: sync (no writeback of the one before) and the input read once (both
# cp and lpsgd read it from the page cache). lpsgd renames its outputs into place when they
# are whole and, like cp, leaves their writeback to the kernel; with --sync it fsyncs them
# first, so that row's peer is "cp + sync FILE" (the copy fsynced). cp copies file to file
# inside the kernel (copy_file_range), so "dd bs=1M" (read(2) and write(2) of 1 MiB blocks
# through a user buffer, no computation) is shown too; lpsgd maps its input (no read copy).
stream=$BUILD/bench-stream
rm -rf "$stream"
mkdir -p "$stream"
trap 'rm -rf "$dump" "$stream"' EXIT
reps=$(( (1 << 30) / $(stat -c %s "$dump/x.f32") ))
for _ in $(seq "$reps"); do cat "$dump/x.f32"; done >"$stream/in.f32"
n=$(( $(stat -c %s "$stream/in.f32") / 4 ))
dict="{'descr': '<f4', 'fortran_order': False, 'shape': ($n,), }"
hl=$(( (10 + ${#dict} + 1 + 63) / 64 * 64 - 10 ))
{ printf '\x93NUMPY\x01\x00'; printf "\\x$(printf %02x $((hl % 256)))\\x$(printf %02x $((hl / 256)))";
  printf '%-*s\n' $((hl - 1)) "$dict"; cat "$stream/in.f32"; } >"$stream/in.npy"
secs() { # SECONDS of "$@" (stdout dropped), the best of 3 runs (one run scatters by 10x on a
  # shared machine), each with the input cached and no writeback pending; the files the
  # command writes ($stream/cp.* and q.*) are removed after each run
  local best="" t0 t1 t
  for _ in 1 2 3; do
    sync; cat "$stream/in.f32" "$stream/in.npy" >/dev/null
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    rm -f "$stream"/cp.* "$stream"/q.*
    t=$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f", (a - b) / 1e9 }')
    best=$(awk -v a="$t" -v b="${best:-1e9}" 'BEGIN { print (a < b ? a : b) }')
  done
  printf '%.3f' "$best"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "lpsgd quantize end to end, $(( n * 4 >> 20 )) MiB ($n elements), input in the page cache, same disk ($BUILD), best of 3 runs each:"
for ext in f32 npy; do
  in=$stream/in.$ext
  tcp=$(secs cp "$in" "$stream/cp.$ext")
  tcs=$(secs sh -c "cp '$in' '$stream/cp.$ext' && sync '$stream/cp.$ext'")
  tdd=$(secs dd if="$in" of="$stream/cp.$ext" bs=1M status=none)
  printf '  .%s  cp %6.2f s   cp + sync %6.2f s   dd bs=1M %6.2f s\n' "$ext" "$tcp" "$tcs" "$tdd"
  for opts in "--format fp8_e4m3" "--format fp8_e4m3 --sync" "--format fp8_e4m3 --codes $stream/q.lpqc" \
              "--format fp8_e4m3 --scale block32" "--format fp8_e4m3 --rounding sr" \
              "--format fp8_e4m3 --scale block32 --codes $stream/q.lpqc" "--format fp8_e4m3 --scale tensor"; do
    # shellcheck disable=SC2086
    t=$(secs "$LPSGD" quantize $opts "$in" "$stream/q.$ext")
    printf '  .%s  lpsgd quantize %-58s %6.2f s  %5.2fx cp  %5.2fx cp+sync  %5.2fx dd\n' "$ext" "${opts//$stream\//}" \
      "$t" "$(ratio "$t" "$tcp")" "$(ratio "$t" "$tcs")" "$(ratio "$t" "$tdd")"
  done
done
rm -f "$stream/in.f32" "$stream/in.npy"
venv=$BUILD/venv
if ! "$venv/bin/python" -c 'import ml_dtypes, numpy' 2>/dev/null; then
  if ! { python3 -m venv "$venv" && timeout 600 "$venv/bin/pip" install -q ml_dtypes numpy; } >"$BUILD/venv.log" 2>&1; then
    echo "ml_dtypes: not measured: no python3 venv or PyPI not reachable (see $BUILD/venv.log)"
    exit 0
  fi
fi
echo
"$venv/bin/python" tests/bench/bench_mldtypes.py "$dump"
