#!/usr/bin/env bash
# lpsgd sweep --slurm on a real Slurm: a private one-node cluster on this machine
# (tests/sweep/slurm_cluster.sh: munged, slurmctld, slurmd started by hand; the node has a
# feature and a gres standing in for an FPGA node's cards), a trivial job array to prove the
# cluster, then one small grid run twice - as a local sweep and as a job array submitted
# through sbatch (with --partition, --time, --constraint, --gres) and collected with `lpsgd
# sweep --collect` - whose logs and index must be the same bytes. Also: the script's #SBATCH
# lines, --collect on a directory with a job missing (exit 1, naming it), and no process of
# the cluster left afterwards. Needs Debian's slurm-wlm and munge (scripts/deps.sh test
# installs them); root or not (the daemons run as the user who runs the test). About 10 s.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/../lp_test.sh
. "$here/../lp_test.sh"
# shellcheck source=SCRIPTDIR/slurm_cluster.sh
. "$here/slurm_cluster.sh"

missing=""
for c in sbatch squeue sinfo scancel slurmctld slurmd munged mungekey; do
    command -v "$c" >/dev/null || missing="$missing $c"
done
if [ -n "$missing" ]; then
    skip "needs slurm-wlm and munge: no$missing on PATH (scripts/deps.sh test installs them)"
    summary
fi

C=$T/cluster
trap 'slurm_cluster_stop "$C"; rm -rf "$T"' EXIT
cd "$T" || exit 1 # sbatch's default output files land in the working directory

# -- the cluster ------------------------------------------------------------------------------
# the node looks like an FPGA node of a real cluster: a feature and two "cards" as a gres
if slurm_cluster_start "$C" --feature u280 --gres fpga:2 2>"$T/cluster.err"; then
    ok "one-node cluster up: node $(hostname -s) idle ($(sinfo -h -o '%c CPUs, partition %P, feature %f, gres %G'))"
else
    bad "one-node cluster up" "$(head -n 1 "$T/cluster.err") ... $(tail -c 3000 "$T/cluster.err")"
    summary
fi

# a trivial array: three tasks, each writes its index
# shellcheck disable=SC2016 # expanded by the task's shell
id=$(sbatch --parsable --array=0-2 --output="$T/triv-%a.out" --wrap 'echo "task $SLURM_ARRAY_TASK_ID"' 2>"$T/err")
if [ -z "$id" ]; then
    bad "sbatch of a 3-task array" "$(cat "$T/err")"
    summary
fi
if slurm_cluster_wait "$id" 30 2>"$T/err"; then ok "3-task array $id left the queue"; else bad "3-task array $id left the queue" "$(cat "$T/err")"; fi
tasks=$(cat "$T"/triv-0.out "$T"/triv-1.out "$T"/triv-2.out 2>&1 | tr '\n' ' ')
expect_eq "every array task ran once" "$tasks" "task 0 task 1 task 2 "

# -- the same grid locally and through Slurm --------------------------------------------------
# shellcheck disable=SC2054 # the commas are lpsgd's list syntax
grid=(--format fp32,fp8_e4m3 --lr 0.05,0.1 --seeds 1-2)
# shellcheck disable=SC2054
fixed=(-- --data synthetic:n=512,d=8 --model lsq --epochs 2)
njobs=8

check "local sweep" "$LPSGD" sweep "$T/local" "${grid[@]}" -j 2 "${fixed[@]}"

S=$T/slurm
"$LPSGD" sweep "$S" "${grid[@]}" --slurm --partition debug --time 5 --constraint u280 --gres fpga:1 \
    --submit "${fixed[@]}" >"$T/out" 2>"$T/err"
rc=$?
jobid=$(sed -n 's/^submitted Slurm job \([0-9][0-9]*\).*/\1/p' "$T/out")
if [ "$rc" = 0 ] && [ -n "$jobid" ]; then
    ok "sweep --slurm --submit: job $jobid"
else
    bad "sweep --slurm --submit" "exit $rc, stdout [$(head -c 200 "$T/out")], stderr: $(head -c 500 "$T/err")"
fi

sb=$S/slurm/sweep.sbatch
if [ -f "$sb" ]; then
    check "sweep.sbatch: --array over the $njobs jobs" grep -Eq "^#SBATCH +--array[= ]0-$((njobs - 1))( |$)" "$sb"
    check "sweep.sbatch: --partition given" grep -Eq '^#SBATCH +(--partition[= ]|-p +)debug( |$)' "$sb"
    check "sweep.sbatch: --time given" grep -Eq '^#SBATCH +(--time[= ]|-t +)5( |$)' "$sb"
    check "sweep.sbatch: --constraint given" grep -Eq '^#SBATCH +(--constraint[= ]|-C +)u280( |$)' "$sb"
    check "sweep.sbatch: --gres given" grep -Eq '^#SBATCH +--gres[= ]fpga:1( |$)' "$sb"
    check "sweep.sbatch: each task runs its job by index, absolute paths" \
        grep -Eq "^exec '?/[^ ]*lpsgd'? sweep --task \"?\\\$\\{?SLURM_ARRAY_TASK_ID\\}?\"? '?$S'?\$" "$sb"
else
    bad "sweep.sbatch written" "no $sb"
fi

if [ -n "$jobid" ]; then
    if slurm_cluster_wait "$jobid" 45 2>"$T/err"; then
        ok "array $jobid left the queue"
    else
        bad "array $jobid left the queue" "$(cat "$T/err")"
    fi
fi

"$LPSGD" sweep --collect "$S" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" = 0 ]; then ok "sweep --collect: every job done"; else
    bad "sweep --collect" "exit $rc: $(head -c 500 "$T/err") task outputs: $(tail -n 5 "$S"/slurm/*.out 2>/dev/null | head -c 1500)"
fi

# bit for bit: the job directories, every log, and the index (DIR replaced where it appears)
(cd "$T/local/jobs" && ls) >"$T/local.ids" 2>/dev/null
(cd "$S/jobs" && ls) >"$T/slurm.ids" 2>/dev/null
expect_eq "$njobs job directories, local" "$(wc -l <"$T/local.ids")" "$njobs"
expect_eq "the same job ids, local and Slurm" "$(tr '\n' ' ' <"$T/slurm.ids")" "$(tr '\n' ' ' <"$T/local.ids")"
n=0
while read -r j; do
    if cmp -s "$T/local/jobs/$j/log.csv" "$S/jobs/$j/log.csv" && [ -s "$S/jobs/$j/log.csv" ]; then
        n=$((n + 1))
    else
        bad "log.csv of $j identical" "$(cmp "$T/local/jobs/$j/log.csv" "$S/jobs/$j/log.csv" 2>&1)"
    fi
done <"$T/local.ids"
expect_eq "every log.csv identical, local and Slurm" "$n" "$njobs"

for f in index.csv index.json; do
    if [ -s "$T/local/$f" ] && [ -s "$S/$f" ]; then
        sed "s|$T/local|DIR|g" "$T/local/$f" >"$T/local.$f"
        sed "s|$S|DIR|g" "$S/$f" >"$T/slurm.$f"
        if cmp -s "$T/local.$f" "$T/slurm.$f"; then
            ok "$f identical, local and Slurm ($(wc -l <"$S/$f") lines)"
        else
            bad "$f identical, local and Slurm" "$(diff "$T/local.$f" "$T/slurm.$f" | head -c 1500)"
        fi
    else
        bad "$f written by both" "local: $([ -s "$T/local/$f" ] && echo yes || echo no), Slurm: $([ -s "$S/$f" ] && echo yes || echo no)"
    fi
done
expect_eq "index.csv: a header and $njobs rows, all done" \
    "$(tail -n +2 "$S/index.csv" 2>/dev/null | cut -d, -f2 | sort | uniq -c | tr -s ' ')" " $njobs done"

# -- collect with a job missing ----------------------------------------------------------------
gone=$(sed -n 3p "$T/slurm.ids")
if [ -n "$gone" ]; then
    cp -a "$S" "$T/partial" && rm -rf "$T/partial/jobs/$gone"
    "$LPSGD" sweep --collect "$T/partial" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" != 1 ]; then
        bad "collect with $gone missing exits 1" "exit $rc: $(head -c 300 "$T/err")"
    elif ! grep -qF -- "$gone" "$T/out" "$T/err"; then
        bad "collect with $gone missing names it" "stdout [$(head -c 300 "$T/out")] stderr [$(head -c 300 "$T/err")]"
    else
        ok "collect with $gone missing: exit 1, names it"
    fi
fi

# -- nothing left behind --------------------------------------------------------------------------
slurm_cluster_stop "$C"
left=$(_slurm_cluster_pids "$C" | tr '\n' ' ')
expect_eq "no process of the cluster left after stop" "$left" ""
summary
