#!/usr/bin/env bash
# tests/sweep/test_sweep.sh - `lpsgd sweep` (docs/sweep.md) on the local cores:
#   - a 3 formats x 3 stepsizes x 3 seeds grid runs with two jobs at once and progress; every
#     job's log is byte-identical to the same `lpsgd train` run by hand (the oracle: train
#     itself, outside the sweep), and index.csv's figures equal what awk reads off the logs;
#   - a re-run skips the finished jobs; a kill -9 (and a Ctrl-C) in the middle, then the same
#     command, gives the same log.csv and index.csv bytes as a sweep never interrupted;
#   - a second sweep on a running directory, and another grid on a finished one, are refused;
#   - the INI study file gives the same plan as the flags; --list, --task, --collect, --slurm;
#   - bad input: one message, exit 2.
. "$(dirname "$0")/../lp_test.sh"
L=$LPSGD
D=(-- --data synthetic:n=512,d=8 --model lsq --epochs 2 --batch 32)

# ---- the 27-job grid ----
G=(--format fp32,fp8_e4m3,fp4_e2m1 --lr 0.02,0.05,0.1 --seeds 1-3)
"$L" sweep "$T/a" "${G[@]}" -j 2 "${D[@]}" >"$T/a.out" 2>"$T/a.err"
rc=$?
expect_eq "27-job sweep exits 0" "$rc" 0
expect_eq "27 rows in index.csv, all done" "$(awk -F, 'NR > 1 && $2 == "done"' "$T/a/index.csv" | wc -l)" 27
grep -q "2 running" "$T/a.err" && ok "two jobs ran at once (-j 2)" || bad "-j 2" "no '2 running' progress line"
grep -q "^sweep: 27/27 done, 0 running, 0 failed" "$T/a.err" && ok "progress ends 27/27 done" \
    || bad "progress" "$(tail -2 "$T/a.err")"
expect_eq "index.json has 27 jobs" "$(grep -c '"status": "done"' "$T/a/index.json")" 27

# the oracle: a job's log equals train run by hand with the job's options
id=0013_fp8_e4m3_lr0.05_s2
"$L" train --data synthetic:n=512,d=8 --model lsq --format fp8_e4m3 --lr 0.05 --seed 2 --epochs 2 --batch 32 \
    --log "$T/hand.csv" >/dev/null 2>&1
cmp -s "$T/hand.csv" "$T/a/jobs/$id/log.csv" && ok "job $id's log == lpsgd train by hand" \
    || bad "job log vs train" "differs"
# index.csv's final train loss and mean q_proj, read off the log independently (awk)
want=$(awk -F, 'NR > 1 && $14 != "" { l = $14 } NR > 1 && $5 != "" { s += $5; n++ }
                END { printf "%.6g %.6g", l, s / n }' "$T/a/jobs/$id/log.csv")
# (the data field "synthetic:n=512,d=8" is quoted and holds one comma: awk sees one field more)
got=$(awk -F, -v id="$id" '$1 == id { printf "%.6g %.6g", $16, $22 }' "$T/a/index.csv")
expect_eq "index.csv train_loss, q_proj_mean == the log's" "$got" "$want"
"$L" sweep "$T/a" >"$T/b.out" 2>"$T/b.err" && ok "re-run of a finished study exits 0" || bad "re-run" "exit $?"
[ "$(stat -c %Y "$T/a/jobs/$id/result.json")" -le "$(stat -c %Y "$T/a/index.csv")" ] \
    && grep -q "^sweep: 27/27 done, 0 running" "$T/b.err" && ! grep -q "1 running" "$T/b.err" \
    && ok "re-run runs no job again" || bad "re-run" "$(cat "$T/b.err")"

# ---- kill -9 and Ctrl-C in the middle, then resume: the same bytes ----
S=(-j 2 --format fp32,fp4_e2m1 --lr 0.05 --seeds 1-2 -- --data synthetic:n=60000,d=128 --model lsq --epochs 3
   --batch 16 --chunk 4)
"$L" sweep "$T/ref" "${S[@]}" >/dev/null 2>&1 || bad "reference sweep" "exit $?"
resume() { # DIR: the same command again, until the killed sweep's jobs have let go of the lock
    local i  # (the same command: a kill before study.ini was written leaves no plan to resume alone)
    for i in $(seq 1 100); do
        "$L" sweep "$1" "${S[@]}" >"$T/r.out" 2>"$T/r.err" && return 0
        grep -q "another sweep" "$T/r.err" || return 1
        sleep 0.2
    done
    return 1
}
same_as_ref() { # NAME DIR
    local f n=0 d=0
    for f in "$T"/ref/jobs/*/log.csv; do
        n=$((n + 1))
        cmp -s "$f" "$2/${f#"$T"/ref/}" || d=$((d + 1))
    done
    if [ "$d" = 0 ] && [ "$n" = 4 ] && cmp -s <(sed "s|$T/ref|DIR|g" "$T/ref/index.csv") \
        <(sed "s|$2|DIR|g" "$2/index.csv"); then ok "$1: 4 logs and index.csv == the uninterrupted sweep's"
    else bad "$1" "$d of $n logs differ or index.csv differs"; fi
}
for at in 0.3 1.2 2.5; do
    "$L" sweep "$T/k$at" "${S[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep "$at"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if resume "$T/k$at"; then same_as_ref "kill -9 after ${at}s, resume" "$T/k$at"
    else bad "resume after kill -9 at ${at}s" "$(cat "$T/r.err")"; fi
done
env --default-signal=INT "$L" sweep "$T/int" "${S[@]}" >/dev/null 2>"$T/int.err" &
pid=$!
for i in $(seq 1 200); do ls "$T"/int/jobs/*/log.csv >/dev/null 2>&1 && break; sleep 0.05; done
kill -INT "$pid"   # while the first jobs train (each runs about a second)
wait "$pid"
rc=$?
if [ "$rc" = 130 ] && grep -q "interrupted:.*resumes the rest" "$T/int.err"; then ok "SIGINT: exit 130, says how to resume"
else bad "SIGINT while jobs train" "exit $rc: $(tail -1 "$T/int.err")"; fi
resume "$T/int" && same_as_ref "SIGINT, resume" "$T/int" || bad "resume after SIGINT" "$(cat "$T/r.err")"

# ---- collisions ----
"$L" sweep "$T/busy" "${S[@]}" >/dev/null 2>&1 &
pid=$!
for i in $(seq 1 50); do [ -f "$T/busy/study.ini" ] && break; sleep 0.1; done
expect_err "a second sweep on a running directory" "another sweep .* is running" "$L" sweep "$T/busy"
expect_err "--collect while a sweep runs" "another sweep" "$L" sweep --collect "$T/busy"
kill -TERM "$pid"
wait "$pid"
expect_err "another grid on a finished directory" "holds another study" "$L" sweep "$T/a" --format fp16 "${D[@]}"

# ---- the study file, --list, --task, --collect, --slurm ----
cat >"$T/s.ini" <<'INI'
; the 27-job grid as a study file
[grid]
format = fp32, fp8_e4m3
format = fp4_e2m1
lr = 0.02, 0.05, 0.1
seeds = 1-3
data = synthetic:n=512,d=8
model = lsq
[train]
epochs = 2
batch = 32   ; inline comment
[sweep]
jobs = 2
INI
"$L" sweep "$T/ini" --study "$T/s.ini" --list >"$T/list.out" 2>"$T/list.err"
cmp -s "$T/a/study.ini" "$T/ini/study.ini" && ok "--study FILE: the same study.ini as the flags" \
    || bad "--study" "$(diff "$T/a/study.ini" "$T/ini/study.ini" | head -5)"
expect_eq "--list: 27 jobs, nothing run" "$(wc -l <"$T/list.out") $(ls "$T"/ini/jobs/*/log.csv 2>/dev/null | wc -l)" "27 0"
"$L" sweep --task 4 "$T/ini" >/dev/null 2>&1 && [ -f "$T/ini/jobs/0004_fp32_lr0.05_s2/result.json" ] \
    && ok "--task 4 runs job 4" || bad "--task" "no result"
cmp -s "$T/ini/jobs/0004_fp32_lr0.05_s2/log.csv" "$T/a/jobs/0004_fp32_lr0.05_s2/log.csv" \
    && ok "--task's log == the local sweep's" || bad "--task log" "differs"
"$L" sweep --collect "$T/ini" >"$T/c.out" 2>"$T/c.err"
rc=$?
[ "$rc" = 1 ] && grep -q "job 0 (0000_fp32_lr0.02_s1) is not done" "$T/c.err" && grep -q "1 of 27 jobs done" "$T/c.out" \
    && ok "--collect with jobs missing: exit 1, names them" || bad "--collect" "exit $rc $(head -2 "$T/c.err")"
"$L" sweep "$T/a" --slurm --partition fpga --time 0:10:00 --constraint u280 >"$T/sl.out" 2>&1 \
    && grep -q -- "--array=0-26" "$T/a/slurm/sweep.sbatch" && grep -q -- "--partition=fpga" "$T/a/slurm/sweep.sbatch" \
    && grep -q -- "--constraint=u280" "$T/a/slurm/sweep.sbatch" && grep -q "sweep --task \"\$SLURM_ARRAY_TASK_ID\"" \
    "$T/a/slurm/sweep.sbatch" && ok "--slurm writes the array script" || bad "--slurm" "$(cat "$T/sl.out")"

# ---- bad input ----
expect_err "no directory" "directory is missing" "$L" sweep --format fp32
expect_err "unknown format" "--format: " "$L" sweep "$T/x1" --format fp9 "${D[@]}"
expect_err "seeds range backwards" "--seeds: '5-1'" "$L" sweep "$T/x2" --seeds 5-1 "${D[@]}"
expect_err "a value listed twice" "listed twice" "$L" sweep "$T/x3" --lr 0.1,0.1 "${D[@]}"
expect_err "--log is the sweep's" "--log: the sweep sets it" "$L" sweep "$T/x4" "${D[@]}" --log x.csv
expect_err "an axis flag twice" "given twice" "$L" sweep "$T/x5" --lr 0.1 --lr 0.2 "${D[@]}"
expect_err "no such DIR" "nothing-here: no such directory" "$L" sweep "$T/nothing-here"
mkdir "$T/empty"
expect_err "no study in DIR" "has no study" "$L" sweep "$T/empty"
expect_err "train refuses an option: the sweep stops" "job 0: lpsgd train: --batch: 0 is out of range" \
    "$L" sweep "$T/x6" --format fp32 -- --data synthetic:n=64,d=4 --model lsq --batch 0
printf '[grid]\nformat = fp32\n[nosuch]\nx = 1\n' >"$T/bad.ini"
expect_err "study file: unknown section" "bad.ini: \[nosuch\] x = 1" "$L" sweep "$T/x7" --study "$T/bad.ini"
printf '[grid]\nwat = 1\n' >"$T/bad2.ini"
expect_err "study file: unknown axis" "has no axis 'wat'" "$L" sweep "$T/x8" --study "$T/bad2.ini"
printf '[grid]\nformat fp32\n' >"$T/bad3.ini"
expect_err "study file: not an INI line" "bad3.ini:2: not an INI line" "$L" sweep "$T/x10" --study "$T/bad3.ini"
{ printf '[grid]\nlr = '; for i in $(seq 1 60); do printf '0.%d, ' "$i"; done; printf '1\n'; } >"$T/long.ini"
expect_err "study file: a line inih would cut" "long.ini:2: a line longer than" "$L" sweep "$T/x11" --study "$T/long.ini"
expect_err "study file: a FIFO is refused" "not a regular file" "$L" sweep "$T/x9" --study <(printf '[grid]\n')
expect_err "--task out of range" "--task 99: .* has 27 jobs" "$L" sweep --task 99 "$T/a"
summary
