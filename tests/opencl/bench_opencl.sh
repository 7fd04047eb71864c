#!/usr/bin/env bash
# tests/opencl/bench_opencl.sh (make bench) - training throughput, samples/s, of
# --backend opencl (the kernels as OpenCL C on PoCL, the CPU) beside --backend csim (the same
# source compiled by gcc) in the same run, on the same jobs: least squares on synthetic data
# and, when Debian's dataset-fashion-mnist is installed, softmax on Fashion-MNIST. The
# training loop's own time ("seconds" of --json: steps, transfers and waits, not the program's
# start) gives samples/s = rows trained / seconds. The first opencl run also builds the kernel
# source (PoCL caches the binary in POCL_CACHE_DIR): its wall time is shown apart. Reports;
# never fails on time (tests never assert on time); fails when a run fails.
set -u
BUILD=${BUILD:-build}
lpsgd=${LPSGD:-$BUILD/lpsgd}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export POCL_CACHE_DIR="$tmp/pocl-cache"
mkdir -p "$POCL_CACHE_DIR"
pass=0; fail=0
if ! "$lpsgd" train --backend opencl --data synthetic:n=64,d=4 --model lsq --epochs 1 --batch 16 >/dev/null 2>"$tmp/probe.err"; then
  echo "skipped: --backend opencl: $(head -n 1 "$tmp/probe.err")"
  echo "0 passed, 0 failed, 1 skipped"; exit 0
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "opencl device: $("$lpsgd" devices 2>/dev/null | grep -E '^[0-9]+:[0-9]+ .* yes: ' | head -n 1 | awk '{ $1 = ""; print }' | cut -c2-80)"
TIMEFORMAT='%R'
# cold build: a fresh cache, one tiny run; wall time (mostly PoCL compiling the kernel source)
rm -rf "$POCL_CACHE_DIR" && mkdir -p "$POCL_CACHE_DIR"
cold=$( { time "$lpsgd" train --backend opencl --data synthetic:n=64,d=4 --model lsq --epochs 1 --batch 16 >/dev/null 2>&1; } 2>&1 )
warm=$( { time "$lpsgd" train --backend opencl --data synthetic:n=64,d=4 --model lsq --epochs 1 --batch 16 >/dev/null 2>&1; } 2>&1 )
echo "opencl start-up (a 4-step job, wall): ${cold} s with a fresh PoCL cache (kernel build), ${warm} s cached"
printf '\n%-52s %-8s %9s %12s %9s\n' "job" "backend" "loop s" "samples/s" "vs csim"
# job NAME ROWS_PER_EPOCH EPOCHS ARGS...: both backends, samples/s of each
job() {
  local name=$1 rows=$2 epochs=$3; shift 3
  local csim_rate=""
  for be in csim opencl; do
    if ! "$lpsgd" train --backend $be "$@" --epochs "$epochs" --json >"$tmp/$be.json" 2>"$tmp/$be.err"; then
      echo "FAIL $name --backend $be: $(head -c 300 "$tmp/$be.err")"; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
    local secs rate
    secs=$(sed -n 's/.*"steps": [0-9]*, "seconds": \([0-9.e+-]*\),.*/\1/p' "$tmp/$be.json")
    rate=$(awk -v n="$rows" -v e="$epochs" -v s="$secs" 'BEGIN { printf "%.0f", n * e / s }')
    [ $be = csim ] && csim_rate=$rate
    printf '%-52s %-8s %9.3f %12s %9s\n' "$name" "$be" "$secs" "$rate" \
      "$(awk -v r="$rate" -v c="$csim_rate" 'BEGIN { printf "%.3fx", r / c }')"
  done
  if cmp -s <(sed 's/"backend": "[a-z]*"//; s/"seconds": [0-9.e+-]*//g' "$tmp/csim.json") \
            <(sed 's/"backend": "[a-z]*"//; s/"seconds": [0-9.e+-]*//g' "$tmp/opencl.json"); then
    echo "  (results identical)"
  else
    echo "FAIL $name: the --json results differ between csim and opencl"; fail=$((fail + 1))
  fi
}
job "lsq synthetic n=20000 d=60, fp8_e4m3, batch 64" 20000 20 \
  --data synthetic:n=20000,d=60 --model lsq --format fp8_e4m3 --batch 64 --lr 0.05
job "lsq synthetic n=20000 d=250, fp4_e2m1 SR block32" 20000 5 \
  --data synthetic:n=20000,d=250 --model lsq --format fp4_e2m1 --rounding sr --scale block32 --batch 64 --lr 0.02
if [ -r /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  job "softmax Fashion-MNIST (60000 rows, d=784), fp8_e4m3" 60000 1 \
    --data fashion-mnist --model softmax --format fp8_e4m3 --batch 64 --lr 0.2
else
  echo "note: Fashion-MNIST missing (sudo make deps installs dataset-fashion-mnist): softmax not measured"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
