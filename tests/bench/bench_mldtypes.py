"""bench_mldtypes.py - ml_dtypes (the conversion library JAX uses) as a peer of bench_quant.

Reads what bench_quant wrote under LP_BENCH_DUMP (dir): the input x.f32, lpsgd's values per
format and its rates (rates.txt). For each format, times ml_dtypes' conversion FP32 ->
format -> FP32 (numpy's astype(float16) for fp16), with np.clip to the format's largest
finite value first so it saturates as lpsgd does (ml_dtypes' e4m3fn turns overflow into
NaN), best of 15 on one core; prints elements/s, lpsgd / ml_dtypes for the full and the fast
path, and whether ml_dtypes' values equal lpsgd's. Never part of lpsgd; make bench only.
"""
import sys
import time

import ml_dtypes
import numpy as np

PASSES = 15
TYPES = [("fp8_e4m3", "float8_e4m3fn"), ("fp8_e5m2", "float8_e5m2"), ("fp6_e3m2", "float6_e3m2fn"),
         ("fp6_e2m3", "float6_e2m3fn"), ("fp4_e2m1", "float4_e2m1fn"), ("fp16", None), ("bf16", "bfloat16")]


def main(d):
    x = np.fromfile(f"{d}/x.f32", dtype=np.float32)
    rates = {}
    with open(f"{d}/rates.txt") as f:
        for line in f:
            name, full, fast = line.split()
            rates[name] = (float(full), float(fast))
    print(f"ml_dtypes {ml_dtypes.__version__}, numpy {np.__version__}: FP32 -> format -> FP32 "
          f"(np.clip to max finite first), {x.size} elements, best of {PASSES}")
    for name, tname in TYPES:
        t = np.float16 if tname is None else getattr(ml_dtypes, tname, None)
        if t is None or name not in rates:
            print(f"{name:<9} ml_dtypes has no {tname} here")
            continue
        m = np.float32(ml_dtypes.finfo(t).max)
        best = 1e30
        for _ in range(PASSES):
            t0 = time.perf_counter()
            y = np.clip(x, -m, m).astype(t).astype(np.float32)
            best = min(best, time.perf_counter() - t0)
        ours = np.fromfile(f"{d}/{name}.f32", dtype=np.float32)
        differ = int(np.count_nonzero(y.view(np.uint32) != ours.view(np.uint32)))
        peer = x.size / best
        what = "astype(np.float16)" if tname is None else f"ml_dtypes.{tname}"
        print(f"{name:<9} {what:<26} {peer:9.3g} elements/s")
        who = "numpy" if tname is None else "ml_dtypes"
        print(f"{name:<9} lpsgd / {who}: full path {rates[name][0] / peer:.2f}x, fast path "
              f"{rates[name][1] / peer:.2f}x; {who} values equal lpsgd's: {'NO' if differ else 'yes'} "
              f"({differ} of {x.size} differ)")


if __name__ == "__main__":
    main(sys.argv[1])
