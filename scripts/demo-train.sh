#!/usr/bin/env bash
# The training demo (make demo): the paper's experiment on Fashion-MNIST softmax
# regression. Gradients in FP32, FP8 (e4m3) and FP4 (e2m1) at one stepsize MU; then FP4
# with a measurable shrinkage (per-tensor scaling and truncating rounding: q_proj ~ 0.8)
# at MU, at the larger stepsize MU / q (q measured from that run's log), and at MU with
# --compensate (the kernel divides by its own running q estimate). One table, one PNG; then
# out/index.csv lists the seven runs in the form of docs/sweep.md and `lpsgd report out`
# turns them into one page, out/report.html (and out/report.md).
#
# Each run is EPOCHS epochs (default 3: about 1.5 CPU-seconds per epoch with evaluations
# on this machine's cores, so the seven runs take about 30-60 s; well under 5 minutes on 2
# cores). LPSGD names the program (default build/lpsgd), OUT the output folder (out).
set -euo pipefail
cd "$(dirname "$0")/.."
lpsgd=${LPSGD:-build/lpsgd}
out=${OUT:-out}
epochs=${EPOCHS:-3}
mu=${MU:-0.02}
if [ ! -x "$lpsgd" ]; then
    echo "demo-train: $lpsgd not found: run 'make' first" >&2
    exit 2
fi
if [ ! -r /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
    echo "demo-train: Fashion-MNIST is missing: run 'sudo make deps' (Debian package dataset-fashion-mnist)" >&2
    exit 2
fi
mkdir -p "$out"
start=$(date +%s)
common=(--data fashion-mnist --model softmax --batch 64 --epochs "$epochs" --eval-every 468 --seed 1)

# mean of the q_proj column (5) of a train log, over the steps
qmean() { awk -F, 'NR > 1 && $5 != "" { s += $5; n++ } END { printf "%.6f", s / n }' "$1"; }

# one CSV field (quoted when it holds a comma or a quote; docs/sweep.md's index.csv)
csv_field() {
    case $1 in
        *[,\"]*) printf '"%s"' "${1//\"/\"\"}" ;;
        *) printf '%s' "$1" ;;
    esac
}

run() { # run NAME LABEL ARGS...
    local name=$1 label=$2; shift 2
    local cmd="$lpsgd train ${common[*]} $* --log $out/train-$name.csv --json"
    echo "== lpsgd train ${common[*]} $* --log $out/train-$name.csv"
    "$lpsgd" train "${common[@]}" "$@" --log "$out/train-$name.csv" --json >"$out/train-$name.json"
    labels+=("$label=$out/train-$name.csv")
    names+=("$name")
    # its row of out/index.csv (docs/sweep.md): the parameters from the arguments, the metric
    # columns empty (lpsgd report computes every figure from the log itself)
    local fmt=fp32 rounding=rne scale=none lr=0.1 comp=off
    while [ $# -gt 0 ]; do
        case $1 in
            --format) fmt=$2; shift ;;
            --rounding) rounding=$2; shift ;;
            --scale) scale=$2; shift ;;
            --lr) lr=$2; shift ;;
            --compensate) comp=on ;;
        esac
        shift
    done
    rows+=("$(printf '%04d_%s,done,fashion-mnist,softmax,csim,%s,%s,%s,const,%s,%s,1,,,,,,,,,,,,,train-%s.csv,train-%s.json,%s' \
        "$((${#names[@]} - 1))" "$name" "$fmt" "$rounding" "$scale" "$lr" "$comp" "$name" "$name" "$(csv_field "$cmd")")")
}
labels=()
names=()
rows=()
run fp32 "fp32, lr $mu" --format fp32 --lr "$mu"
run fp8 "fp8_e4m3, lr $mu" --format fp8_e4m3 --lr "$mu"
run fp4 "fp4_e2m1 unscaled, lr $mu" --format fp4_e2m1 --lr "$mu"
run fp4t "fp4_e2m1 tensor-scaled, lr $mu" --format fp4_e2m1 --scale tensor --lr "$mu"
run fp4tz "fp4_e2m1 scaled+rtz, lr $mu" --format fp4_e2m1 --scale tensor --rounding rtz --lr "$mu"
q=$(qmean "$out/train-fp4tz.csv")
mu2=$(awk -v m="$mu" -v q="$q" 'BEGIN { printf "%.6g", m / q }')
run fp4tz-big "fp4_e2m1 scaled+rtz, lr $mu2 (lr/q)" --format fp4_e2m1 --scale tensor --rounding rtz --lr "$mu2"
run fp4tz-comp "fp4_e2m1 scaled+rtz, lr $mu, --compensate" --format fp4_e2m1 --scale tensor --rounding rtz \
    --lr "$mu" --compensate

echo
printf '%-44s %10s %9s %9s %10s %8s\n' "run ($epochs epochs, batch 64)" "train loss" "test acc" "q_proj" "underflow" "seconds"
for i in "${!names[@]}"; do
    n=${names[$i]}
    label=${labels[$i]%=*}
    f="$out/train-$n.csv"
    # the last evaluation row: train_loss is column 14, test_acc column 17
    read -r loss acc < <(awk -F, 'NR > 1 && $14 != "" { l = $14; a = $17 } END { print l, a }' "$f")
    und=$(awk -F, 'NR > 1 && $7 != "" { s += $7; n++ } END { printf "%.1f%%", s / n }' "$f")
    secs=$(sed -n 's/.*"seconds": \([0-9.e+-]*\), "final".*/\1/p' "$out/train-$n.json")
    printf '%-44s %10.5f %8.2f%% %9.4f %10s %8.1f\n' "$label" "$loss" "$(awk -v a="$acc" 'BEGIN{print 100*a}')" \
        "$(qmean "$f")" "$und" "$secs"
done
"$lpsgd" curves --plot "$out/train-compare.png" \
    --title "Fashion-MNIST softmax regression: gradient format vs stepsize (lpsgd, csim)" "${labels[@]}"
{
    echo "id,status,data,model,backend,format,rounding,scale,schedule,lr,compensate,seed,steps,final_step,train_loss,train_acc,test_loss,test_acc,q_norm_mean,q_norm_min,q_proj_mean,q_proj_min,underflow_pct,saturated_mean,log,result,command"
    printf '%s\n' "${rows[@]}"
} >"$out/index.csv.tmp"
mv "$out/index.csv.tmp" "$out/index.csv"
echo
"$lpsgd" report "$out" --title "make demo: Fashion-MNIST softmax regression, gradient widths compared"
echo
echo "wrote $out/train-compare.png (loss, test accuracy and q_proj vs epoch for every run),"
echo "the per-step logs $out/train-*.csv and the results $out/train-*.json."
echo "measured q_proj of the scaled+rtz FP4 run: $q, so lr/q = $mu2."
echo "demo-train took $(( $(date +%s) - start )) s."
