#!/usr/bin/env bash
# tests/opencl/test_cli_opencl.sh - `--backend opencl` (the kernels of hls/ compiled as OpenCL
# C 1.2 by PoCL on the CPU) against `--backend csim` (the same source compiled by gcc): the
# per-step CSV logs and checkpoints of `lpsgd train` byte-identical for every model, schedule,
# scaling, --compensate and stochastic rounding; `lpsgd quantize` outputs, codes and --json,
# and `lpsgd shrink` tables identical for several formats; `lpsgd selftest --backend opencl`
# (both depths); `lpsgd theory`; `lpsgd devices`; the user-facing errors. XRT's OpenCL platform (an Alveo
# card) is tried where lpsgd devices lists one, else one "skipped: needs an Alveo card" line.
# Skipped with its reason when this lpsgd has no OpenCL or no OpenCL device (make test on a
# machine it provisioned counts that skip as a failure: tests/run.sh, LP_TEST_STRICT).
set -u
LPSGD=${LPSGD:-build/lpsgd}
. "$(dirname "$0")/../lp_test.sh"
tmp=$T
# PoCL's kernel cache inside this test's directory (lp_test.sh sets it; said again here):
# no run depends on ~/.cache, and the first build of the kernel source is reused by the
# later runs of this script
export POCL_CACHE_DIR="$tmp/pocl-cache"
mkdir -p "$POCL_CACHE_DIR"
unset LPSGD_OPENCL_DEVICE LPSGD_OPENCL_BANK

SYN="synthetic:n=400,d=20,noise=0.1"
probe_or_skip "--backend opencl" "built without OpenCL\|no OpenCL platform\|none of the .* OpenCL device" \
  "$LPSGD" train --backend opencl --data synthetic:n=64,d=4 --model lsq --epochs 1 --batch 16

binary_csv "$tmp/bin.csv" 300 8 # a small binary CSV: 8 features, the label last; a 3-class one
multiclass_csv "$tmp/mc.csv" 240 8
BIN="csv:$tmp/bin.csv"
MC="csv:$tmp/mc.csv"

# same DATA MODEL ARGS...: csim and opencl give byte-identical logs and checkpoints
# (train_same, tests/lp_test.sh); $OCL_ARGS: options for the opencl run only, e.g. --device
same() { train_same opencl "${OCL_ARGS:-}" "train $2 ${*:3} ${OCL_ARGS:-}" "$@"; }

# the four models, formats, rounding modes
same "$SYN" lsq --format fp32 --lr 0.05 --batch 16 --epochs 1
same "$SYN" lsq --format fp8_e4m3 --lr 0.05 --batch 16 --epochs 2 --lambda 0.001
same "$SYN" lsq --format fp4_e2m1 --rounding sr --seed 3 --lr 0.05 --batch 8 --epochs 1
same "$SYN" lsq --format e3m4 --rounding rtz --subnormals off --lr 0.05 --batch 16 --epochs 1
same "$BIN" hinge --format fp8_e5m2 --lr 0.1 --batch 10 --epochs 1
same "$BIN" logistic --format fp16 --lr 0.5 --batch 10 --epochs 1
same "$BIN" logistic --format fp4_e2m1 --rounding sr --lr 0.5 --batch 10 --epochs 1
same "$MC" softmax --format bf16 --lr 0.3 --batch 8 --epochs 1 --lambda 0.001
# the schedules, --compensate, the two scalings
same "$SYN" lsq --format fp8_e4m3 --schedule inverse --gamma 10 --lr 0.5 --batch 16 --epochs 1
same "$SYN" lsq --format fp4_e2m1 --rounding sr --schedule halving --period 5 --compensate --lr 0.05 --batch 16 --epochs 1
same "$BIN" logistic --format fp8_e4m3 --compensate --lr 0.5 --batch 10 --epochs 1
same "$SYN" lsq --format fp8_e4m3 --scale tensor --lr 0.05 --batch 16 --epochs 1
same "$SYN" lsq --format bf16 --scale block32 --lr 0.02 --batch 32 --epochs 1
same "$MC" softmax --format fp4_e2m1 --rounding sr --seed 5 --scale block32 --schedule inverse --gamma 4 \
  --lr 1 --batch 5 --epochs 1 --compensate
# small chunks: many runs through the two buffers (double buffering), results unchanged
same "$MC" softmax --format fp6_e3m2 --scale tensor --schedule halving --period 7 --lr 0.3 --batch 8 --epochs 1 --chunk 3

# lpsgd quantize: output, codes and statistics identical (--json but for "backend" and "out")
python3 - "$tmp" <<'PY' || bad "quantize: cannot write the inputs (python3)"
import random, struct, sys
random.seed(5)
v = [random.gauss(0, 1) * 10 ** random.uniform(-7, 3) for _ in range(2500)]
open(sys.argv[1] + "/g.f32", "wb").write(struct.pack("<%df" % len(v), *v))
w = v[:997] + [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1e-40, -3e38, 7e-46]
open(sys.argv[1] + "/s.f32", "wb").write(struct.pack("<%df" % len(w), *w))
PY
normq() { sed -e 's/"backend": "[a-z]*"/"backend": _/' -e 's/"out": "[^"]*"/"out": _/' "$1"; }
qsame() { # INPUT ARGS...
  local in=$1; shift
  local name="quantize $(basename "$in") $*"
  for be in csim opencl; do
    if ! "$LPSGD" quantize --backend $be "$@" --codes "$tmp/$be.lpqc" --json "$in" "$tmp/$be.q.f32" \
         >"$tmp/$be.qjson" 2>"$tmp/$be.qerr"; then
      bad "$name --backend $be failed: $(head -c 300 "$tmp/$be.qerr")"
      return
    fi
  done
  if cmp -s "$tmp/csim.q.f32" "$tmp/opencl.q.f32" && cmp -s "$tmp/csim.lpqc" "$tmp/opencl.lpqc" &&
     [ "$(normq "$tmp/csim.qjson")" = "$(normq "$tmp/opencl.qjson")" ]; then
    ok "$name: opencl = csim (output, codes $(wc -c <"$tmp/csim.lpqc") bytes, --json)"
  else
    bad "$name: opencl differs ($(cmp "$tmp/csim.q.f32" "$tmp/opencl.q.f32" 2>&1 | head -n 1); $(cmp "$tmp/csim.lpqc" "$tmp/opencl.lpqc" 2>&1 | head -n 1))"
  fi
}
qsame "$tmp/g.f32" --format fp8_e4m3
qsame "$tmp/g.f32" --format fp4_e2m1 --scale block32
qsame "$tmp/g.f32" --format fp6_e2m3 --scale tensor --rounding rtz
qsame "$tmp/g.f32" --format fp8_e5m2 --rounding sr --seed 9 --step 17
qsame "$tmp/g.f32" --format bf16 --subnormals off
qsame "$tmp/g.f32" --format fixed8.4 --overflow sat
qsame "$tmp/s.f32" --format fp16 --overflow inf
qsame "$tmp/s.f32" --format fp8_e4m3 --scale block32 --rounding sr --seed 2

# lpsgd shrink: the whole table identical but for the backend's name
shsame() {
  "$LPSGD" shrink --backend csim "$@" >"$tmp/sh.csim" 2>&1 && "$LPSGD" shrink --backend opencl "$@" >"$tmp/sh.ocl" 2>&1
  local rc=$?
  if [ $rc = 0 ] && [ "$(sed 's/backend csim/backend _/' "$tmp/sh.csim")" = "$(sed 's/backend opencl/backend _/' "$tmp/sh.ocl")" ]; then
    ok "shrink $*: opencl = csim ($(wc -l <"$tmp/sh.csim") lines)"
  else
    bad "shrink $*: rc $rc, opencl differs: $(diff "$tmp/sh.csim" "$tmp/sh.ocl" | head -n 3)"
  fi
}
shsame
shsame --rounding rtz --amp 1e-3
shsame --rounding sr --seed 4

# lpsgd theory: the kernel's records feed the bounds; the whole report identical
"$LPSGD" theory --backend csim --formats fp8_e4m3,fp4_e2m1 >"$tmp/th.csim" 2>&1 &&
  "$LPSGD" theory --backend opencl --formats fp8_e4m3,fp4_e2m1 >"$tmp/th.ocl" 2>&1
rc=$?
if [ $rc = 0 ] && cmp -s "$tmp/th.csim" "$tmp/th.ocl"; then ok "theory --formats fp8_e4m3,fp4_e2m1: opencl = csim ($(wc -l <"$tmp/th.csim") lines)"
else bad "theory: rc $rc, opencl differs: $(diff "$tmp/th.csim" "$tmp/th.ocl" | head -n 3)"; fi

# lpsgd selftest --backend opencl: 4 jobs bit-identical, one and two runs in flight
for depth in 1 2; do
  out=$("$LPSGD" selftest --backend opencl --depth $depth 2>&1); rc=$?
  if [ $rc = 0 ] && [ "$(grep -c 'identical' <<<"$out")" = 4 ] && grep -q '^TEST PASSED$' <<<"$out"; then
    ok "selftest --backend opencl --depth $depth: 4 jobs bit-identical, TEST PASSED"
  else bad "selftest opencl --depth $depth: rc $rc: $(tail -n 4 <<<"$out")"; fi
done

# the ASan/UBSan build of lpsgd (when make test built it): the backend's host path, leaks included
if [ -n "${LPSGD_SAN:-}" ] && [ -x "${LPSGD_SAN:-}" ]; then
  out=$("$LPSGD_SAN" selftest --backend opencl --depth 2 2>&1); rc=$?
  if [ $rc = 0 ] && grep -q '^TEST PASSED$' <<<"$out"; then ok "selftest --backend opencl --depth 2, lpsgd built with ASan/UBSan: TEST PASSED"
  else bad "selftest opencl under ASan/UBSan: rc $rc: $(tail -n 6 <<<"$out")"; fi
  "$LPSGD_SAN" quantize --backend opencl --format fp4_e2m1 --scale block32 --codes "$tmp/san.lpqc" "$tmp/g.f32" "$tmp/san.f32" \
    >/dev/null 2>"$tmp/san.err"; rc=$?
  "$LPSGD" quantize --format fp4_e2m1 --scale block32 --codes "$tmp/ref.lpqc" "$tmp/g.f32" "$tmp/ref.f32" >/dev/null 2>&1
  if [ $rc = 0 ] && cmp -s "$tmp/san.f32" "$tmp/ref.f32" && cmp -s "$tmp/san.lpqc" "$tmp/ref.lpqc"; then
    ok "quantize --backend opencl, lpsgd built with ASan/UBSan: = csim"
  else bad "quantize opencl under ASan/UBSan: rc $rc: $(head -c 400 "$tmp/san.err")"; fi
fi

# --device: by index and by a piece of the name (the same device here), results unchanged
dev=$("$LPSGD" devices --json | python3 -c 'import json,sys; d=[x for x in json.load(sys.stdin)["opencl"]["devices"] if x["usable"]]; print("%d:%d %s" % (d[0]["platform"], d[0]["device"], d[0]["platform_name"].split()[0]))' 2>/dev/null)
if [ -n "$dev" ]; then
  ok "devices --json: lists the OpenCL device lpsgd uses ($dev)"
  OCL_ARGS="--device ${dev%% *}" same "$SYN" lsq --format fp8_e4m3 --lr 0.05 --batch 16 --epochs 1
  LPSGD_OPENCL_DEVICE="${dev#* }" same "$SYN" lsq --format fp4_e2m1 --lr 0.05 --batch 16 --epochs 1
else bad "devices --json: no usable OpenCL device listed: $("$LPSGD" devices --json 2>&1 | head -c 300)"; fi
out=$("$LPSGD" devices 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^OpenCL (--backend opencl --device P:D):' <<<"$out" && grep -Eq '^[0-9]+:[0-9]+ .* yes: ' <<<"$out"; then
  ok "devices: the OpenCL table with a usable device"
else bad "devices: rc $rc: $out"; fi

# a sweep over the backend axis: the opencl job's log is the csim job's, byte for byte
if "$LPSGD" sweep "$tmp/sw" --backend csim,opencl --format fp8_e4m3 -j 2 -- --data "$SYN" --model lsq \
     --epochs 1 --batch 16 >"$tmp/sw.out" 2>&1 &&
   cmp -s "$tmp/sw/jobs/0000_csim/log.csv" "$tmp/sw/jobs/0001_opencl/log.csv"; then
  ok "sweep --backend csim,opencl: the two jobs' logs identical"
else bad "sweep --backend csim,opencl" "$(tail -n 3 "$tmp/sw.out")"; fi

# errors: one line on stderr, exit 2
expect_err "train --device that matches nothing: says how to list them" "opencl: no OpenCL device matches 'nosuchdevice'.*lpsgd devices" \
  "$LPSGD" train --backend opencl --device nosuchdevice --data "$SYN" --model lsq --epochs 1
expect_err "train --device 9:9: no such index" "opencl: no OpenCL device matches '9:9'" \
  "$LPSGD" train --backend opencl --device 9:9 --data "$SYN" --model lsq --epochs 1
expect_err "no OpenCL platform (empty ICD directory): says what to install" "opencl: no OpenCL platform found: install pocl-opencl-icd" \
  env OCL_ICD_VENDORS="$tmp/no-vendors" "$LPSGD" train --backend opencl --data "$SYN" --model lsq --epochs 1
mkdir -p "$tmp/no-vendors"
out=$(OCL_ICD_VENDORS="$tmp/no-vendors" "$LPSGD" devices 2>&1); rc=$?
if [ $rc = 0 ] && grep -q 'No OpenCL platform found' <<<"$out"; then ok "devices without an OpenCL platform: says so, exit 0"
else bad "devices without an OpenCL platform: rc $rc: $out"; fi

# XRT's OpenCL platform: only where one is listed (an Alveo card with XRT); nothing pretends
if "$LPSGD" devices 2>/dev/null | grep -Eq '^[0-9]+:[0-9]+ +Xilinx.* yes: '; then
  out=$("$LPSGD" selftest --backend opencl --device Xilinx 2>&1); rc=$?
  if [ $rc = 0 ] && grep -q '^TEST PASSED$' <<<"$out"; then ok "selftest --backend opencl --device Xilinx: TEST PASSED on the card"
  else bad "selftest on XRT's OpenCL platform: rc $rc: $(tail -n 4 <<<"$out")"; fi
else
  skip "needs an Alveo card (XRT's OpenCL platform: lpsgd devices lists none here; the xclbin path of host/backend/opencl.c is unrun)"
fi

summary
