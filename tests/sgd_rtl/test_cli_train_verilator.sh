#!/usr/bin/env bash
# tests/sgd_rtl/test_cli_train_verilator.sh - `lpsgd train --backend verilator` (the whole
# RTL kernel rtl/kernel/lp_sgd.sv: AXI, controller, cfg/scalar units, step engine) against `--backend csim` (the C kernel): the per-step CSV logs and
# the checkpoints (model and state) must be byte-identical, for least squares on synthetic
# data, hinge/logistic on a small CSV and softmax (K = 3, through the 16-class kernel
# build) on another, several formats, rounding modes, schedules and scalings.
# Skipped with its reason when this lpsgd has no Verilated backend (make test on a machine
# it provisioned counts that skip as a failure: tests/run.sh, LP_TEST_STRICT).
set -u
LPSGD=${LPSGD:-build/lpsgd}
. "$(dirname "$0")/../lp_test.sh"
tmp=$T

SYN="synthetic:n=400,d=20,noise=0.1"
probe_or_skip "train --backend verilator" "without Verilator\|cannot train" \
  "$LPSGD" train --backend verilator --data "$SYN" --model lsq --epochs 1 --batch 16

binary_csv "$tmp/bin.csv" 300 8 # a small binary CSV: 8 features, the label last

# same DATA MODEL ARGS...: csim and verilator give identical logs and checkpoints (train_same,
# tests/lp_test.sh)
same() { train_same verilator "" "$2 ${*:3}" "$@"; }

same "$SYN" lsq --format fp32 --lr 0.05 --batch 16 --epochs 2
same "$SYN" lsq --format fp8_e4m3 --lr 0.05 --batch 16 --epochs 2 --lambda 0.001
same "$SYN" lsq --format fp4_e2m1 --rounding sr --seed 3 --lr 0.05 --batch 8 --epochs 1
same "$SYN" lsq --format bf16 --scale block32 --lr 0.02 --batch 32 --epochs 1
same "csv:$tmp/bin.csv" hinge --format fp8_e5m2 --lr 0.1 --batch 10 --epochs 2
same "csv:$tmp/bin.csv" logistic --format fp16 --lr 0.5 --batch 10 --epochs 2
same "csv:$tmp/bin.csv" logistic --format fp4_e2m1 --rounding sr --lr 0.5 --batch 10 --epochs 1
# the schedules and --compensate (the kernel's scalar unit)
same "$SYN" lsq --format fp8_e4m3 --schedule inverse --gamma 10 --lr 0.5 --batch 16 --epochs 1
same "$SYN" lsq --format fp4_e2m1 --rounding sr --schedule halving --period 5 --compensate --lr 0.05 --batch 16 --epochs 1
same "csv:$tmp/bin.csv" logistic --format fp8_e4m3 --compensate --lr 0.5 --batch 10 --epochs 2

# --trace: an FST waveform of the training run (the engine's clock), and the results unchanged
"$LPSGD" train --backend verilator --trace "$tmp/train.fst" --data "$SYN" --model lsq --format fp8_e4m3 \
  --lr 0.05 --batch 16 --epochs 1 --log "$tmp/traced.csv" >/dev/null 2>"$tmp/t.err"
rc=$?
if [ $rc = 0 ] && [ "$(head -c 8 "$tmp/train.fst" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 0000000000000001 ]; then
  ok "train --trace: FST waveform written ($(wc -c <"$tmp/train.fst") bytes)"
else
  bad "train --trace: rc $rc, $(head -c 300 "$tmp/t.err")"
fi

# softmax (K = 3 classes: the 16-class kernel build): the --json result identical (but for
# "backend" and "seconds"), the cycles/efficiency line on stderr with LPSGD_CYCLES=1; then
# logs and checkpoints as above. A build without the 16-class kernel (make
# LP_VKERNEL_BUILDS=1) must refuse softmax with one message saying how to build it.
multiclass_csv "$tmp/mc.csv" 240 8
MC="csv:$tmp/mc.csv"
norm() { sed -e 's/"backend": "[a-z]*"/"backend": _/' -e 's/"seconds": [0-9.e+-]*/"seconds": _/g' "$1"; }
"$LPSGD" train --backend csim --data "$MC" --model softmax --format fp8_e4m3 --lr 0.3 --batch 8 --epochs 1 \
  --json >"$tmp/sm_csim.json" 2>"$tmp/sm_csim.err"
LPSGD_CYCLES=1 "$LPSGD" train --backend verilator --data "$MC" --model softmax --format fp8_e4m3 --lr 0.3 \
  --batch 8 --epochs 1 --json >"$tmp/sm_vl.json" 2>"$tmp/sm_vl.err"
rc=$?
if [ $rc != 0 ] && grep -q "LP_VKERNEL_BUILDS" "$tmp/sm_vl.err" && [ "$(wc -l <"$tmp/sm_vl.err")" -le 2 ]; then
  # a build without the 16-class kernel (make LP_VKERNEL_BUILDS=1): the softmax cases did not run
  skip "softmax through the RTL kernel (4 cases): $(head -n 1 "$tmp/sm_vl.err")"
else
  if [ $rc = 0 ] && [ -s "$tmp/sm_csim.json" ] && [ "$(norm "$tmp/sm_csim.json")" = "$(norm "$tmp/sm_vl.json")" ]; then
    ok "softmax K=3 fp8_e4m3 --json: verilator = csim ($(wc -c <"$tmp/sm_csim.json") bytes)"
  else
    bad "softmax K=3 --json: rc $rc, differs from csim: $(head -c 300 "$tmp/sm_vl.err")"
  fi
  if grep -q "cycles ap_start..ap_done (.* per step.*of the one-beat-per-cycle bound" "$tmp/sm_vl.err"; then
    ok "softmax: $(grep -o 'verilator: RTL kernel.*' "$tmp/sm_vl.err" | head -n 1)"
  else
    bad "softmax: no cycles line on stderr with LPSGD_CYCLES=1: $(head -c 300 "$tmp/sm_vl.err")"
  fi
  same "$MC" softmax --format bf16 --lr 0.3 --batch 8 --epochs 1 --lambda 0.001
  same "$MC" softmax --format fp4_e2m1 --rounding sr --seed 5 --scale block32 --schedule inverse --gamma 4 \
    --lr 1 --batch 5 --epochs 1 --compensate
fi

# tensor scaling (the on-chip amax pass): identical to csim
same "$SYN" lsq --format fp8_e4m3 --scale tensor --lr 0.05 --batch 16 --epochs 1

summary
