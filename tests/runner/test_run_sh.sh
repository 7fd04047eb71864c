#!/usr/bin/env bash
# tests/runner/test_run_sh.sh - what `make test` counts (tests/run.sh) and what it rebuilds (the
# configuration stamp), checked on small fake programs and one real object:
#   - a program's skips are counted, listed with their reasons, and must match its count;
#   - a program without the summary line, or that exits non-zero with 0 failed, is a failure;
#   - strict mode (LP_TEST_STRICT=1): a skip fails unless it needs an Alveo card or Vitis,
#     and a suite this build lacks (LP_MISSING_SUITES) fails; otherwise it is one skip;
#   - an object compiled without Verilator is rebuilt once Verilator is there (stamp).
set -u
. "$(dirname "$0")/../lp_test.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
run=$root/tests/run.sh
# prog NAME BODY: an executable script printing BODY (printf escapes) with exit status 0
prog() { printf '#!/bin/sh\nprintf "%s"\nexit %s\n' "$2" "${3:-0}" >"$T/$1"; chmod +x "$T/$1"; }
prog good '3 passed, 0 failed, 0 skipped\n'
prog skip2 'ok   a\nskipped: no foo here\nskipped: no bar here\n1 passed, 0 failed, 2 skipped\n'
prog hidden 'skipped: counted nowhere\n1 passed, 0 failed\n'
prog nosum 'ok   looks fine\n'
prog badexit '2 passed, 0 failed, 0 skipped\n' 3
prog card 'skipped: needs an Alveo card: no card here\nskipped: needs Vitis: no v++\n0 passed, 0 failed, 2 skipped\n'

# expect NAME WANT-LAST-LINE WANT-RC [ENV...] -- PROGS...: run.sh's last line and exit status
expect() {
  local name=$1 want=$2 wrc=$3; shift 3
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" "$run" -j 2 "$@" >"$T/out" 2>&1
  local rc=$? last
  last=$(tail -n 1 "$T/out")
  if [ "$last" = "$want" ] && [ "$rc" = "$wrc" ]; then ok "$name: $last"
  else bad "$name" "got [$last] exit $rc, want [$want] exit $wrc"; fi
}
expect "passes and skips add up" "4 passed, 0 failed, 2 skipped" 0 LP_TEST_STRICT=0 -- "$T/good" "$T/skip2"
grep -q '^  skip2: no foo here$' "$T/out" && grep -q '^Skipped (2):$' "$T/out" &&
  ok "the skipped cases are listed with their reasons" || bad "skip list" "$(cat "$T/out")"
expect "a skip with no count is a failure" "1 passed, 1 failed, 0 skipped" 1 LP_TEST_STRICT=0 -- "$T/hidden"
expect "no summary line is a failure" "0 passed, 1 failed, 0 skipped" 1 LP_TEST_STRICT=0 -- "$T/nosum"
expect "a non-zero exit with 0 failed is a failure" "2 passed, 1 failed, 0 skipped" 1 LP_TEST_STRICT=0 -- "$T/badexit"
expect "strict: a skip is a failure" "1 passed, 2 failed, 2 skipped" 1 LP_TEST_STRICT=1 -- "$T/skip2"
expect "strict: card and Vitis skips are allowed" "0 passed, 0 failed, 2 skipped" 0 LP_TEST_STRICT=1 -- "$T/card"
expect "strict: a missing suite is a failure" "3 passed, 1 failed, 0 skipped" 1 LP_TEST_STRICT=1 \
  LP_MISSING_SUITES=verilator-rtl:verilator-not-on-PATH -- "$T/good"
expect "not strict: a missing suite is a skip" "3 passed, 0 failed, 1 skipped" 0 LP_TEST_STRICT=0 \
  LP_MISSING_SUITES=verilator-rtl:verilator-not-on-PATH -- "$T/good"

# the configuration stamp: verilator.o built without Verilator, built again with the same
# configuration (kept), then with Verilator there (rebuilt). Real builds: make -n cannot tell,
# since the stamp's recipe always runs and rewrites the file only when it changes.
b=$T/build o=$T/build/obj/host/backend/verilator.o
cd "$root"
mk() { make -s BUILD="$b" LP_HAVE_VERILATOR="$1" "$o" >"$T/m" 2>&1; }
if mk "" && [ -f "$o" ] && grep -q 'verilator= ' "$b/stamp/config.cmd"; then
  t0=$(stat -c %Y "$o")
  sleep 1.1
  mk ""
  expect_eq "same configuration: the object is kept" "$(stat -c %Y "$o")" "$t0"
  mk 1
  if [ "$(stat -c %Y "$o")" != "$t0" ] && grep -q 'verilator=1 ' "$b/stamp/config.cmd"; then
    ok "Verilator now there: the object is rebuilt (configuration stamp)"
  else bad "configuration stamp" "verilator.o kept after the configuration changed"; fi
else
  bad "configuration stamp" "could not build the object: $(head -c 300 "$T/m")"
fi
summary
