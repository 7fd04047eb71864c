#!/usr/bin/env bash
# tests/run.sh - run test programs and scripts, add up what they report, and say what did not run.
#
# Usage: tests/run.sh [-j N] PROG...
#   -j N   run up to N programs at once (default: every core); each one's output is printed
#          whole when it ends, in the order they end.
#
# Every program ends its output with "N passed, N failed, N skipped" (tests/lp_test.h,
# tests/lp_test.sh) and prints one line "skipped: REASON" per skipped case. A program counts as
# one failure when it exits non-zero with no failure counted, ends without that line, or prints
# a different number of "skipped:" lines than it counts (a skip must say why).
#
# LP_TEST_STRICT=1 (set by make test once its own dependency step has installed everything):
# a skip is a failure unless its reason starts with "needs an Alveo card" or "needs Vitis",
# the two things no test machine has.
#
# LP_MISSING_SUITES="name:reason ...": suites this build has not got (tests/tests.mk); each is
# a failure in strict mode and one skipped entry otherwise.
#
# The last lines: the list of skipped cases with their reasons, then the totals.
set -u
jobs=$(nproc 2>/dev/null || echo 1)
if [ "${1:-}" = "-j" ]; then jobs=$2; shift 2; fi
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
strict=${LP_TEST_STRICT:-0}
allowed='^skipped: needs (an Alveo card|Vitis)'

dir=$(mktemp -d "${TMPDIR:-/tmp}/lpsgd-run.XXXXXX")
trap 'rm -rf "$dir"' EXIT

echo "tests/run.sh: $# programs, $jobs at a time$([ "$strict" = 1 ] && echo ', strict: only card/Vitis skips allowed')"
# the suites, one per tests/ folder (the sanitizer builds as their own)
for t in "$@"; do
  case $t in */san/tests/*) echo "san:$(basename "$(dirname "$t")")" ;; *) basename "$(dirname "$t")" ;; esac
done | sort | uniq -c | awk '{ printf "%s%s (%d)", (NR > 1 ? ", " : "suites: "), $2, $1 } END { print "" }'

# run_one I PROG: run PROG, leave its output in $dir/I.out and "rc seconds" in $dir/I.rc
run_one() {
  local start rc
  start=$(date +%s)
  "$2" >"$dir/$1.out" 2>&1 </dev/null
  rc=$?
  echo "$rc $(( $(date +%s) - start ))" >"$dir/$1.rc"
}

# report I PROG: print the program's output and its verdict; add to the totals
tp=0; tf=0; ts=0
report() {
  local i=$1 t=$2 out="$dir/$1.out" rc secs line p f s nskip extra=""
  read -r rc secs <"$dir/$i.rc"
  echo "== $t"
  cat "$out"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$out" | tail -n 1)
  nskip=$(grep -c '^skipped: ' "$out")
  if [ -z "$line" ]; then
    tf=$((tf + 1)); extra="FAIL $t exited $rc without a summary line"
  else
    p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
    s=$(sed -nE 's/.*, ([0-9]+) skipped$/\1/p' <<<"$line")
    s=${s:-0}
    tp=$((tp + p)); tf=$((tf + f)); ts=$((ts + s))
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then tf=$((tf + 1)); extra="FAIL $t exited $rc"; fi
    if [ "$nskip" != "$s" ]; then
      tf=$((tf + 1)); extra="FAIL $t counts $s skipped but gives $nskip reasons"
    fi
  fi
  grep '^skipped: ' "$out" | sed "s|^skipped: |$(basename "$t"): |" >>"$dir/skips"
  if [ "$strict" = 1 ]; then
    local bad
    bad=$(grep '^skipped: ' "$out" | grep -Evc "$allowed")
    if [ "$bad" -gt 0 ]; then
      tf=$((tf + bad)); extra="${extra:+$extra; }FAIL $t skipped $bad case(s) on a provisioned machine"
    fi
  fi
  [ -n "$extra" ] && echo "$extra"
  echo "   ($secs s)"
}

# a pool of $jobs runners; outputs are reported as programs end
declare -A running=()
names=("$@")
next=0; done_n=0
: >"$dir/skips"
while [ "$done_n" -lt "$#" ]; do
  while [ "${#running[@]}" -lt "$jobs" ] && [ "$next" -lt "$#" ]; do
    run_one "$next" "${names[$next]}" &
    running[$next]=$!
    next=$((next + 1))
  done
  wait -n 2>/dev/null || true
  for i in "${!running[@]}"; do
    if [ -f "$dir/$i.rc" ]; then
      wait "${running[$i]}" 2>/dev/null
      unset "running[$i]"
      report "$i" "${names[$i]}"
      done_n=$((done_n + 1))
    fi
  done
done

for m in ${LP_MISSING_SUITES:-}; do
  name=${m%%:*}; why=$(tr '-' ' ' <<<"${m#*:}")
  if [ "$strict" = 1 ]; then
    tf=$((tf + 1)); echo "FAIL suite $name did not run on a provisioned machine: $why"
  else
    ts=$((ts + 1)); echo "run.sh: suite $name: $why" >>"$dir/skips"
  fi
done
if [ -s "$dir/skips" ]; then
  echo "Skipped ($ts):"
  sort "$dir/skips" | uniq -c | sed -E 's/^ *1 /  /; s/^ *([0-9]+) /  \1x /'
fi
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" = 0 ]
