#!/usr/bin/env bash
# make bench: 10 epochs of Fashion-MNIST softmax regression with fp8_e4m3 gradients on the
# csim backend (the HLS C kernel compiled -O3 -march=native), beside scikit-learn's
# SGDClassifier (Debian python3-sklearn, /usr/bin/python3, logistic loss, same L2 weight,
# one thread) on the same data, in the same run. Prints both times (wall and CPU), the
# ratio and both test accuracies. Target: lpsgd >= 3x faster at equal or better accuracy.
# It reports; it does not fail on time (tests never assert on time).
set -u
cd "$(dirname "$0")/.."
lpsgd=${LPSGD:-${BUILD:-build}/lpsgd}
epochs=${EPOCHS:-10}
data=/usr/share/datasets/fashion-mnist
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -r "$data/train-images-idx3-ubyte.gz" ]; then
    echo "skipped: Fashion-MNIST missing (sudo make deps installs dataset-fashion-mnist)"
    exit 0
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== lpsgd train --format fp8_e4m3 --epochs $epochs --schedule halving --lr 0.2 --period 2500 (softmax, batch 64, lambda 1e-4, csim)"
TIMEFORMAT='%R %U %S'
{ time "$lpsgd" train --data fashion-mnist --model softmax --format fp8_e4m3 --epochs "$epochs" \
      --schedule halving --lr 0.2 --period 2500 --json \
      >"$tmp/lp.json" 2>"$tmp/lp.err"; } 2>"$tmp/lp.time"
rc=$?
if [ $rc != 0 ]; then
    echo "FAIL lpsgd train exited $rc: $(cat "$tmp/lp.err")"; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
read -r lp_wall lp_user lp_sys <"$tmp/lp.time"
lp_loop=$(sed -n 's/.*"seconds": \([0-9.e+-]*\), "final".*/\1/p' "$tmp/lp.json")
lp_acc=$(sed -n 's/.*"final": {[^}]*"test_acc": \([0-9.e+-]*\)}.*/\1/p' "$tmp/lp.json")
peer_ok=0
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import sklearn" 2>/dev/null; then
    echo "== scikit-learn SGDClassifier(loss='log_loss', alpha=1e-4, max_iter=$epochs, tol=None, n_jobs=1)"
    if /usr/bin/python3 scripts/bench-train-sklearn.py "$data" "$epochs" >"$tmp/sk.json" 2>"$tmp/sk.err"; then
        pass=$((pass + 1)); peer_ok=1
    else
        echo "FAIL sklearn peer: $(tail -3 "$tmp/sk.err")"; fail=$((fail + 1))
    fi
else
    echo "note: python3-sklearn not installed: no peer this run (sudo make deps installs it)"
fi
num() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
printf '\n%-34s %10s %10s %10s %9s\n' "" "train s" "CPU s" "wall s" "test acc"
lp_cpu=$(awk -v u="$lp_user" -v s="$lp_sys" 'BEGIN { printf "%.2f", u + s }')
printf '%-34s %10.2f %10.2f %10.2f %8.2f%%\n' "lpsgd csim fp8_e4m3 ($epochs epochs)" "$lp_loop" "$lp_cpu" "$lp_wall" \
    "$(awk -v a="$lp_acc" 'BEGIN { print 100 * a }')"
if [ $peer_ok = 1 ]; then
    sk_fit=$(num "$tmp/sk.json" fit_seconds); sk_cpu=$(num "$tmp/sk.json" total_cpu_seconds)
    sk_fcpu=$(num "$tmp/sk.json" fit_cpu_seconds); sk_acc=$(num "$tmp/sk.json" test_acc)
    sk_wall=$(awk -v a="$(num "$tmp/sk.json" load_seconds)" -v b="$sk_fit" 'BEGIN { print a + b }')
    printf '%-34s %10.2f %10.2f %10.2f %8.2f%%\n' "sklearn SGDClassifier (fit)" "$sk_fit" "$sk_cpu" "$sk_wall" \
        "$(awk -v a="$sk_acc" 'BEGIN { print 100 * a }')"
    awk -v lf="$lp_loop" -v sf="$sk_fit" -v lc="$lp_cpu" -v sc="$sk_cpu" -v la="$lp_acc" -v sa="$sk_acc" -v sfc="$sk_fcpu" 'BEGIN {
        r = sf / lf; rc = sc / lc
        printf "\nspeed-up (sklearn fit / lpsgd training loop incl. its per-epoch evaluation): %.2fx wall\n", r
        printf "speed-up (whole process CPU time, load + train + evaluate):                %.2fx\n", rc
        printf "accuracy: lpsgd %.2f %% vs sklearn %.2f %% (%+.2f points)\n", 100 * la, 100 * sa, 100 * (la - sa)
        printf "target (>= 3x at equal or better accuracy): %s\n", (r >= 3 && rc >= 3 && la >= sa) ? "met" : "NOT met"
    }'
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
