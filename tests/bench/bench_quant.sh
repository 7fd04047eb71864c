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
venv=$BUILD/venv
if ! "$venv/bin/python" -c 'import ml_dtypes, numpy' 2>/dev/null; then
  if ! { python3 -m venv "$venv" && timeout 600 "$venv/bin/pip" install -q ml_dtypes numpy; } >"$BUILD/venv.log" 2>&1; then
    echo "ml_dtypes: not measured: no python3 venv or PyPI not reachable (see $BUILD/venv.log)"
    exit 0
  fi
fi
echo
"$venv/bin/python" tests/bench/bench_mldtypes.py "$dump"
