#!/usr/bin/env bash
# make bench: 10 epochs of Fashion-MNIST softmax regression with fp8_e4m3 gradients on the
# csim backend, beside scikit-learn's SGDClassifier (Debian python3-sklearn, /usr/bin/python3,
# logistic loss, same L2 weight, one thread) on the same data, in the same run. lpsgd runs
# twice: the binary `make` builds (-O2, no -march: what users run; the SGD step and the
# quantizer on the vector unit the CPU has, picked at run time; $BUILD/default/lpsgd, a
# csim-only build with those flags, or LPSGD_DEFAULT) and the bench build (-O3
# -march=native). Prints the times (wall and CPU), the ratios and the test accuracies.
# Target: lpsgd's default build >= 3x faster at equal or better accuracy. It reports; it
# does not fail on time (tests never assert on time).
set -u
cd "$(dirname "$0")/.."
lpsgd=${LPSGD:-${BUILD:-build}/lpsgd}
lpsgd_default=${LPSGD_DEFAULT:-${BUILD:-build}/default/lpsgd}
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
TIMEFORMAT='%R %U %S'
# run_lp NAME BINARY: the training run; sets NAME_loop, NAME_cpu, NAME_acc (empty on failure)
run_lp() {
    local n=$1 bin=$2 wall user sys
    eval "${n}_loop= ${n}_cpu= ${n}_acc="
    if [ ! -x "$bin" ]; then
        echo "note: $bin not built: not measured"; return
    fi
    echo "== $bin train --format fp8_e4m3 --epochs $epochs --schedule halving --lr 0.2 --period 2500 (softmax, batch 64, lambda 1e-4, csim)"
    { time "$bin" train --data fashion-mnist --model softmax --format fp8_e4m3 --epochs "$epochs" \
          --schedule halving --lr 0.2 --period 2500 --json >"$tmp/$n.json" 2>"$tmp/$n.err"; } 2>"$tmp/$n.time"
    local rc=$?
    if [ $rc != 0 ]; then
        echo "FAIL lpsgd train exited $rc: $(cat "$tmp/$n.err")"; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
    read -r wall user sys <"$tmp/$n.time"
    eval "${n}_cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
    eval "${n}_loop=$(sed -n 's/.*"seconds": \([0-9.e+-]*\), "final".*/\1/p' "$tmp/$n.json")"
    eval "${n}_acc=$(sed -n 's/.*"final": {[^}]*"test_acc": \([0-9.e+-]*\)}.*/\1/p' "$tmp/$n.json")"
}
run_lp def "$lpsgd_default"
run_lp nat "$lpsgd"
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
printf '\n%-40s %10s %10s %9s\n' "" "train s" "CPU s" "test acc"
row() { [ -n "$2" ] && printf '%-40s %10.2f %10.2f %8.2f%%\n' "$1" "$2" "$3" "$(awk -v a="$4" 'BEGIN { print 100 * a }')"; }
row "lpsgd csim, make's build (-O2)" "$def_loop" "$def_cpu" "$def_acc"
row "lpsgd csim, -O3 -march=native" "$nat_loop" "$nat_cpu" "$nat_acc"
if [ $peer_ok = 1 ]; then
    sk_fit=$(num "$tmp/sk.json" fit_seconds); sk_cpu=$(num "$tmp/sk.json" total_cpu_seconds)
    sk_acc=$(num "$tmp/sk.json" test_acc)
    row "sklearn SGDClassifier (fit)" "$sk_fit" "$sk_cpu" "$sk_acc"
    # ratios NAME LABEL: sklearn fit / lpsgd's training loop (incl. its per-epoch evaluation),
    # and whole-process CPU (load + train + evaluate)
    ratios() {
        local loop cpu acc
        eval "loop=\$${1}_loop cpu=\$${1}_cpu acc=\$${1}_acc"
        [ -n "$loop" ] || return 0
        awk -v lf="$loop" -v sf="$sk_fit" -v lc="$cpu" -v sc="$sk_cpu" -v la="$acc" -v sa="$sk_acc" -v n="$2" 'BEGIN {
            r = sf / lf; rc = sc / lc
            printf "\n%s: speed-up %.2fx (sklearn fit / lpsgd training loop incl. its per-epoch evaluation), %.2fx whole-process CPU\n", n, r, rc
            printf "%s: accuracy lpsgd %.2f %% vs sklearn %.2f %% (%+.2f points); target (>= 3x at equal or better accuracy): %s\n",
                n, 100 * la, 100 * sa, 100 * (la - sa), (r >= 3 && rc >= 3 && la >= sa) ? "met" : "NOT met"
        }'
    }
    ratios def "make's build (-O2)"
    ratios nat "-O3 -march=native"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
