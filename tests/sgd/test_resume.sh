#!/usr/bin/env bash
# tests/sgd/test_resume.sh - nothing is lost or mixed up across `lpsgd train --resume`:
#   - a run killed with SIGKILL at several moments and resumed gives the log, checkpoint
#     and results of an uninterrupted run, byte for byte (the log is cut back to the length
#     the checkpoint recorded); a log first created by a resumed run has its header row; a
#     log missing or shorter than the checkpoint recorded is refused;
#   - resuming on other data of the same shape (another synthetic seed, a CSV edited in
#     place) is refused, naming the digests;
#   - a second run on the same --checkpoint or --log is refused while the first holds them;
#   - the refusal to resume a finished checkpoint describes the checkpoint truthfully;
#   - --resume of a non-regular file (/dev/zero, a FIFO, a directory) or of a file larger
#     than any checkpoint is refused at once; so is a checkpoint of the old format version.
set -u
LPSGD=${LPSGD:-build/lpsgd}
. "$(dirname "$0")/../lp_test.sh"

# Long enough (about 2 s here) to be killed mid-run; a checkpoint after each of its 200
# short epochs (250 steps), an evaluation every 60 steps besides.
BIG=(--data "synthetic:n=4000,d=256,noise=0.1" --model lsq --format fp8_e4m3 --lr 0.002 --batch 16
     --epochs 200 --eval-every 60)
SYN="synthetic:n=600,d=12,noise=0.1"
SMALL=(--model lsq --format fp8_e4m3 --lr 0.05 --batch 8)

# the result lines of a run's stdout without their wall times
results() { grep -E '^(epoch +[0-9]+/|done:)' "$1" | tail -2 | sed -E 's/ +[0-9.]+ s$//; s/ in [0-9.]+ s;/;/'; }

# wait_for FILE PID: until FILE exists (the run got past its first checkpoint or lock)
wait_for() {
  local i
  for ((i = 0; i < 3000; i++)); do
    [ -e "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}

# ---- 1. SIGKILL and resume: log, checkpoint and results byte-identical ----------------
"$LPSGD" train "${BIG[@]}" --log "$T/ref.csv" --checkpoint "$T/ref.ck" >"$T/ref.out" 2>"$T/ref.err" ||
  bad "uninterrupted reference run" "$(cat "$T/ref.err")"

# kill_resume NAME DELAY...: a fresh run killed DELAY s after its first checkpoint, then
# resumed and killed again for each further DELAY, then resumed to the end.
kill_resume() {
  local name=$1 d first=1 pid; shift
  rm -f "$T/k.csv" "$T/k.ck" "$T/k.ck.lock"
  for d in "$@"; do
    if [ $first = 1 ]; then
      "$LPSGD" train "${BIG[@]}" --log "$T/k.csv" --checkpoint "$T/k.ck" >/dev/null 2>&1 &
    else
      "$LPSGD" train --resume "$T/k.ck" --log "$T/k.csv" --checkpoint "$T/k.ck" >/dev/null 2>&1 &
    fi
    pid=$!
    first=0
    if ! wait_for "$T/k.ck" $pid; then
      wait $pid; bad "$name" "no checkpoint appeared before the run ended"; return
    fi
    sleep "$d"
    if ! kill -0 $pid 2>/dev/null; then
      wait $pid; bad "$name" "the run ended before the kill at +$d s (machine too fast for this data?)"; return
    fi
    kill -KILL $pid
    wait $pid 2>/dev/null
  done
  "$LPSGD" train --resume "$T/k.ck" --log "$T/k.csv" --checkpoint "$T/k.ck" >"$T/k.out" 2>"$T/k.err"
  local rc=$?
  if [ $rc != 0 ]; then
    bad "$name" "the last resume exited $rc: $(head -c 300 "$T/k.err")"
  elif ! cmp -s "$T/ref.csv" "$T/k.csv"; then
    bad "$name" "log differs: $(cmp "$T/ref.csv" "$T/k.csv" 2>&1 | head -1) ($(wc -c <"$T/ref.csv") vs $(wc -c <"$T/k.csv") bytes)"
  elif ! cmp -s "$T/ref.ck" "$T/k.ck"; then
    bad "$name" "final checkpoint differs"
  elif [ "$(results "$T/ref.out")" != "$(results "$T/k.out")" ]; then
    bad "$name" "results differ: [$(results "$T/k.out")] vs [$(results "$T/ref.out")]"
  else
    ok "$name: log ($(wc -c <"$T/k.csv") bytes), checkpoint and results byte-identical"
  fi
}
kill_resume "SIGKILL right after the first checkpoint, resumed" 0
kill_resume "SIGKILL 0.13 s after the first checkpoint, resumed" 0.13
kill_resume "SIGKILL 0.41 s after the first checkpoint, resumed" 0.41
kill_resume "SIGKILL three times (0.05, 0.2, 0.33 s into each run), resumed each time" 0.05 0.2 0.33

# a log first created by a resumed run starts with the header row
"$LPSGD" train --data "$SYN" "${SMALL[@]}" --epochs 2 --checkpoint "$T/n.ck" >/dev/null 2>&1
"$LPSGD" train --resume "$T/n.ck" --epochs 4 --log "$T/n.csv" >/dev/null 2>"$T/n.err"
expect_eq "a log created by a resumed run has its header row" "$(head -1 "$T/n.csv" | cut -d, -f1-3)" "step,epoch,lr"
expect_eq "... followed by step 151 (the checkpoint's next)" "$(sed -n 2p "$T/n.csv" | cut -d, -f1)" "151"

# the checkpoint recorded a log: missing or shorter is refused (and nothing is trained)
"$LPSGD" train --data "$SYN" "${SMALL[@]}" --epochs 2 --checkpoint "$T/l.ck" --log "$T/l.csv" >/dev/null 2>&1
expect_err "resume with the log missing refused" "--log .*missing.*logged [0-9]+ bytes" \
  "$LPSGD" train --resume "$T/l.ck" --epochs 4 --log "$T/gone.csv"
head -c 1000 "$T/l.csv" >"$T/short.csv"
expect_err "resume with a log shorter than recorded refused" "--log .*shorter than the [0-9]+ .*recorded" \
  "$LPSGD" train --resume "$T/l.ck" --epochs 4 --log "$T/short.csv"
expect_eq "... and the short log left as it was" "$(wc -c <"$T/short.csv")" "1000"

# ---- 2. other data of the same shape ----------------------------------------------------
expect_err "resume on another synthetic seed refused" "train data differ from the checkpoint's \(digest [0-9a-f]+, checkpoint has [0-9a-f]+\)" \
  "$LPSGD" train --resume "$T/l.ck" --epochs 4 --data "$SYN,seed=5"
/usr/bin/python3 - "$T/d.csv" <<'EOF'
import sys, random
random.seed(3)
with open(sys.argv[1], "w") as f:
    for i in range(200):
        x = [random.uniform(-1, 1) for _ in range(4)]
        f.write(",".join("%.4f" % v for v in x) + ",%d\n" % (x[0] > 0))
EOF
"$LPSGD" train --data "csv:$T/d.csv" --model logistic --lr 0.1 --batch 10 --epochs 1 --checkpoint "$T/d.ck" >/dev/null 2>&1
check "resume on the unchanged CSV accepted" "$LPSGD" train --resume "$T/d.ck" --epochs 2
sed -i '7s/^[-0-9.]*,/0.1234,/' "$T/d.csv"
expect_err "resume on a CSV edited in place refused" "train data differ from the checkpoint's" \
  "$LPSGD" train --resume "$T/d.ck" --epochs 3

# ---- 3. two runs on the same outputs ----------------------------------------------------
"$LPSGD" train "${BIG[@]}" --log "$T/a.csv" --checkpoint "$T/a.ck" >"$T/a.out" 2>&1 &
apid=$!
if wait_for "$T/a.csv" $apid && sleep 0.1; then
  expect_err "a second run on the same --checkpoint and --log refused" \
    "--checkpoint .*/a.ck: another lpsgd run holds it" \
    "$LPSGD" train "${BIG[@]}" --log "$T/a.csv" --checkpoint "$T/a.ck"
  expect_err "a second run on the same --log refused" "--log .*/a.csv: another lpsgd run holds it" \
    "$LPSGD" train --data "$SYN" "${SMALL[@]}" --epochs 1 --log "$T/a.csv"
  expect_err "a second run on the same --checkpoint refused" "--checkpoint .*/a.ck: another lpsgd run holds it" \
    "$LPSGD" train --data "$SYN" "${SMALL[@]}" --epochs 1 --checkpoint "$T/a.ck"
  kill -0 $apid 2>/dev/null && ok "the first run still ran meanwhile" || bad "the first run ended too early to test"
  wait $apid
  arc=$?
  if [ $arc = 0 ] && cmp -s "$T/ref.csv" "$T/a.csv" && cmp -s "$T/ref.ck" "$T/a.ck"; then
    ok "the first run's log and checkpoint are untouched by the refused ones"
  else
    bad "first run" "exit $arc, or its log/checkpoint differ from the reference"
  fi
else
  wait $apid
  bad "concurrent runs" "the first run ended before it opened its log"
fi

# ---- 5. the refusal to resume describes the checkpoint itself ---------------------------
"$LPSGD" train --data "$SYN" "${SMALL[@]}" --epochs 3 --checkpoint "$T/f.ck" >/dev/null 2>&1
expect_err "--resume of a 3-epoch checkpoint with --epochs 2: the message tells its own epochs and step" \
  "checkpoint is at step 225 \(epoch 3\.00; its run's target: 3 epochs of 75 steps\); --epochs 2 ends at step 150.*--epochs 4 or more" \
  "$LPSGD" train --resume "$T/f.ck" --epochs 2
"$LPSGD" train --resume "$T/f.ck" --epochs 5 >"$T/f.out" 2>&1
if grep -Eq "^resume .*f.ck: at step 225 \(epoch 3\.00; its run's target: 3 epochs\), training on to epoch 5 \(step 375\)" "$T/f.out"; then
  ok "a resumed run says where it starts and where it will end"
else
  bad "resume message" "$(head -3 "$T/f.out")"
fi

# ---- 6. non-regular and oversized files -------------------------------------------------
mkfifo "$T/fifo"
mkdir "$T/dir.ck"
expect_err "--resume /dev/zero refused at once" "/dev/zero: not a regular file but a character device" \
  timeout 10 "$LPSGD" train --resume /dev/zero
expect_err "--resume of a FIFO refused at once (no wait for a writer)" "fifo: not a regular file but a FIFO" \
  timeout 10 "$LPSGD" train --resume "$T/fifo"
expect_err "--resume of a directory refused" "dir.ck: not a regular file but a directory" \
  timeout 10 "$LPSGD" train --resume "$T/dir.ck"
truncate -s 200M "$T/huge.ck"
expect_err "--resume of a 200 MB file refused without reading it" "more than an lpsgd checkpoint can hold" \
  timeout 10 "$LPSGD" train --resume "$T/huge.ck"

# ---- the format version ------------------------------------------------------------------
cp "$T/f.ck" "$T/v1.ck"
printf '\001\000\000\000' | dd of="$T/v1.ck" bs=1 seek=4 conv=notrunc status=none
expect_err "a version-1 checkpoint refused, saying so" "older lpsgd \(format version 1" \
  "$LPSGD" train --resume "$T/v1.ck" --epochs 5

summary
