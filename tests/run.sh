#!/usr/bin/env bash
# Run test programs and scripts, each ending in "N passed, N failed"; add the counts up.
# Usage: tests/run.sh PROG...   A program that exits non-zero without such a line counts
# as one failure; one that skips prints "skipped: reason" and is counted as skipped.
set -u
tp=0; tf=0; ts=0
for t in "$@"; do
  echo "== $t"
  out=$(mktemp)
  start=$(date +%s)
  "$t" >"$out" 2>&1
  rc=$?
  cat "$out"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
  if [ -n "$line" ]; then
    p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    s=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
    tp=$((tp + p)); tf=$((tf + f)); ts=$((ts + ${s:-0}))
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then tf=$((tf + 1)); echo "FAIL $t exited $rc"; fi
  elif grep -q '^skipped:' "$out" && [ "$rc" = 0 ]; then
    ts=$((ts + 1))
  else
    tf=$((tf + 1)); echo "FAIL $t exited $rc without a summary line"
  fi
  echo "   ($(( $(date +%s) - start )) s)"
  rm -f "$out"
done
if [ "$ts" -gt 0 ]; then
  echo "$tp passed, $tf failed, $ts skipped"
else
  echo "$tp passed, $tf failed"
fi
[ "$tf" = 0 ]
