# tests/report/study.sh - sourced by the report tests: make_study DIR builds a tiny study by
# hand in the layout of docs/sweep.md (jobs/ID/log.csv, result.json, command.txt, index.csv):
# least squares on synthetic data (8 features, 1024 rows), formats fp32 and fp4_e2m1, lr 0.02
# and 0.05, seeds 1 and 2, plus fp4_e2m1 at lr 0.02 with --compensate (seeds 1, 2), one
# failed and one pending job. Under a second on one core.
STUDY_HEADER="id,status,data,model,backend,format,rounding,scale,schedule,lr,compensate,seed,steps,final_step,train_loss,train_acc,test_loss,test_acc,q_norm_mean,q_norm_min,q_proj_mean,q_proj_min,underflow_pct,saturated_mean,log,result,command"
STUDY_DATA="synthetic:n=1024,d=8"

# csv_field S: S as one CSV field (quoted when it holds a comma or a quote)
csv_field() {
    case $1 in
        *[,\"]*) printf '"%s"' "${1//\"/\"\"}" ;;
        *) printf '%s' "$1" ;;
    esac
}

# study_job DIR N STATUS FORMAT LR COMP SEED: run (when done) and append the job's row
study_job() {
    local dir=$1 n=$2 status=$3 fmt=$4 lr=$5 comp=$6 seed=$7
    local id
    id=$(printf '%04d_%s_lr%s_%s_s%s' "$n" "$fmt" "$lr" "$comp" "$seed")
    local args=(train --data "$STUDY_DATA" --model lsq --format "$fmt" --lr "$lr" --seed "$seed" --epochs 2
        --eval-every 4)
    [ "$comp" = on ] && args+=(--compensate)
    mkdir -p "$dir/jobs/$id"
    local cmd="lpsgd ${args[*]} --log jobs/$id/log.csv --json"
    echo "$cmd" >"$dir/jobs/$id/command.txt"
    if [ "$status" = done ]; then
        "$LPSGD" "${args[@]}" --log "$dir/jobs/$id/log.csv" --json >"$dir/jobs/$id/result.json" ||
            echo "study_job: $id failed" >&2
    fi
    # metric columns left empty: report computes every figure from the logs
    printf '%s,%s,%s,lsq,csim,%s,rne,none,const,%s,%s,%s,,,,,,,,,,,,,jobs/%s/log.csv,%s,%s\n' \
        "$id" "$status" "$(csv_field "$STUDY_DATA")" "$fmt" "$lr" "$comp" "$seed" "$id" \
        "$([ "$status" = done ] && echo "jobs/$id/result.json")" "$(csv_field "$cmd")" >>"$dir/index.csv"
}

make_study() {
    local dir=$1 n=0 fmt lr seed
    mkdir -p "$dir"
    echo "$STUDY_HEADER" >"$dir/index.csv"
    for fmt in fp32 fp4_e2m1; do
        for lr in 0.02 0.05; do
            for seed in 1 2; do
                study_job "$dir" $n done "$fmt" "$lr" off "$seed"
                n=$((n + 1))
            done
        done
    done
    for seed in 1 2; do
        study_job "$dir" $n done fp4_e2m1 0.02 on "$seed"
        n=$((n + 1))
    done
    study_job "$dir" $n failed fp8_e4m3 0.02 off 1
    study_job "$dir" $((n + 1)) pending fp8_e4m3 0.02 off 2
}
