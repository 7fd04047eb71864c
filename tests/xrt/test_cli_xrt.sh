#!/usr/bin/env bash
# The xrt parts of the lpsgd CLI: lpsgd devices (no card / noop shim), lpsgd selftest on
# the noop shim with the test xclbin, and the errors a user meets (no card, no xclbin,
# bad options) - one message on stderr, exit 2. Needs $LPSGD and $MAKE_XCLBIN.
set -u
. "$(dirname "$0")/../lp_test.sh"
no() { bad "$@"; }
: "${LPSGD:?}" "${MAKE_XCLBIN:?}"
tmp=$T
"$MAKE_XCLBIN" "$tmp/lp_sgd.xclbin" || { echo "FAIL cannot write the fixture"; echo "0 passed, 1 failed"; exit 1; }
"$MAKE_XCLBIN" "$tmp/other.xclbin" --kernel vadd
"$MAKE_XCLBIN" "$tmp/four.xclbin" --cus 4

# lpsgd devices without a card (real PCIe shim): plain message, exit 0. On a card host it lists.
out=$(env -u XCL_EMULATION_MODE "$LPSGD" devices 2>"$tmp/err"); rc=$?
if [ $rc = 0 ] && { grep -q 'No Alveo card found' <<<"$out" || grep -q '^index' <<<"$out"; } && [ ! -s "$tmp/err" ]; then
  ok "devices: says plainly when there is no card (exit 0, nothing on stderr)"
else no "devices without a card: rc $rc, out: $out, err: $(cat "$tmp/err")"; fi

out=$(XCL_EMULATION_MODE=noop "$LPSGD" devices); rc=$?
if [ $rc = 0 ] && grep -q 'noop shim' <<<"$out" && grep -q '^0 ' <<<"$out"; then ok "devices: the noop shim as device 0"
else no "devices on noop: rc $rc: $out"; fi
out=$(XCL_EMULATION_MODE=noop "$LPSGD" devices --json); rc=$?
if [ $rc = 0 ] && python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["noop"] and len(d["devices"])==1' <<<"$out" 2>/dev/null; then
  ok "devices --json: valid JSON"
elif ! command -v python3 >/dev/null; then skip "python3 is not installed: devices --json not parsed (scripts/deps.sh test installs it)"
else no "devices --json: $out"; fi

# selftest on the noop shim: the host path of every job and no comparison, so no PASSED
# line and exit 3 (lpsgd selftest --help); a PASS only follows a comparison of results
NOOP_LINE="host path ran on XRT's noop shim; no kernel result compared (needs an Alveo card)"
noop_selftest() { # name, lpsgd, args...: exit 3, the last line exactly NOOP_LINE, no PASSED, 4 jobs ran
  local name=$1 prog=$2; shift 2
  out=$(XCL_EMULATION_MODE=noop "$prog" selftest "$@" 2>&1); rc=$?
  if [ $rc = 3 ] && [ "$(tail -n 1 <<<"$out")" = "$NOOP_LINE" ] && ! grep -q 'PASSED' <<<"$out" &&
     [ "$(grep -c 'host path ran (noop: not compared)' <<<"$out")" = 4 ]; then ok "$name"
  else no "$name: rc $rc: $out"; fi
}
noop_selftest "selftest --backend xrt on noop: 4 jobs through XRT, 'no kernel result compared', exit 3, no PASSED" \
  "$LPSGD" --backend xrt --xclbin "$tmp/lp_sgd.xclbin"
noop_selftest "selftest --depth 2 (double buffering) on noop: not compared, exit 3" \
  "$LPSGD" --backend xrt --depth 2 --xclbin "$tmp/lp_sgd.xclbin"
if [ -n "${LPSGD_SAN:-}" ] && [ -x "${LPSGD_SAN:-}" ]; then # the ASan/UBSan build of lpsgd, when make test built it
  noop_selftest "selftest on noop, lpsgd built with ASan/UBSan" "$LPSGD_SAN" --depth 2 --xclbin "$tmp/lp_sgd.xclbin"
fi
# an xclbin with 4 CUs: the 4 jobs at once, one per CU, each line naming its CU; the job
# lines are the single-CU run's but for that (noop: the host path only, nothing compared)
noop_selftest "selftest on a 4-CU xclbin (noop): 4 jobs through train_jobs, exit 3" \
  "$LPSGD" --backend xrt --xclbin "$tmp/four.xclbin"
multi=$out
one=$(XCL_EMULATION_MODE=noop "$LPSGD" selftest --backend xrt --xclbin "$tmp/lp_sgd.xclbin" 2>&1 | grep '^  job')
cus=$(sed -n 's/^  job .*steps  CU \([0-9]\)  host path ran.*/\1/p' <<<"$multi" | sort | tr -d '\n')
if grep -q 'all at once on 4 compute units (one run in flight each)' <<<"$multi" && [ "$cus" = 1234 ] &&
   [ "$(grep '^  job' <<<"$multi" | sed 's/  CU [0-9]  /  /')" = "$one" ]; then
  ok "selftest on 4 CUs: every CU named once, job lines = the single-CU run's"
else no "selftest on 4 CUs: CUs '$cus': $multi"; fi
# lpsgd sweep on a 4-CU xclbin: 4 xrt jobs at once, each child given a CU of its own
# (LPSGD_XRT_CU=1..4: the 9 set here would make every job fail if the sweep passed it on);
# the jobs' logs are those of the same sweep on the one-CU xclbin, one job at a time
sweep4() { # dir xclbin [sweep options]: the sweep's stderr
  local d=$1 x=$2; shift 2
  XCL_EMULATION_MODE=noop LPSGD_XRT_CU=9 "$LPSGD" sweep "$tmp/$d" --backend xrt --seeds 1-4 "$@" -- \
    --data synthetic:n=300,d=8 --model lsq --epochs 1 --xclbin "$x" 2>&1 >/dev/null
}
e4=$(sweep4 sw4 "$tmp/four.xclbin"); r4=$?
e1=$(sweep4 sw1 "$tmp/lp_sgd.xclbin"); r1=$?
same=1
for j in "$tmp"/sw1/jobs/*/; do cmp -s "$j/log.csv" "$tmp/sw4/jobs/$(basename "$j")/log.csv" || same=0; done
if [ $r4 = 0 ] && [ $r1 = 0 ] && [ "$(ls "$tmp/sw4/jobs" | wc -l)" = 4 ] && [ $same = 1 ] &&
   grep -q '^sweep: 0/4 done, 4 running' <<<"$e4" && grep -q '^sweep: 0/4 done, 1 running' <<<"$e1"; then
  ok "sweep --backend xrt on 4 CUs: 4 jobs at once on CUs of their own, logs = the one-CU sweep's"
else no "sweep on 4 CUs: rc $r4/$r1 same $same: $e4 / $e1"; fi
e8=$(sweep4 sw8 "$tmp/four.xclbin" -j 8); r8=$?
if [ $r8 = 0 ] && [ "$(grep -c 'xrt jobs: at most 4 at once, one per compute unit' <<<"$e8")" = 1 ]; then
  ok "sweep -j 8 on 4 CUs: at most 4 at once, said once"
else no "sweep -j 8 on 4 CUs: rc $r8: $e8"; fi
# the default xclbin is lp_sgd.xclbin next to lpsgd: a copy of lpsgd in tmp finds the fixture
cp "$LPSGD" "$tmp/lpsgd"
noop_selftest "selftest finds lp_sgd.xclbin next to lpsgd" "$tmp/lpsgd"
out=$("$LPSGD" selftest --help); rc=$?
if [ $rc = 0 ] && grep -q 'no kernel result compared (needs an Alveo card)" and exit 3' <<<"$out"; then
  ok "selftest --help documents the noop line and its exit status 3"
else no "selftest --help: rc $rc: $out"; fi

# the trainer on the xrt backend (LPSGD_XCLBIN picks the xclbin): runs through; noop leaves the model alone
out=$(XCL_EMULATION_MODE=noop LPSGD_XCLBIN="$tmp/lp_sgd.xclbin" "$LPSGD" train --backend xrt \
      --data synthetic:n=600,d=12 --model lsq --epochs 2 2>&1); rc=$?
l1=$(sed -n 's/^epoch   1\/2  loss \([^ ]*\).*/\1/p' <<<"$out"); l2=$(sed -n 's/^epoch   2\/2  loss \([^ ]*\).*/\1/p' <<<"$out")
if [ $rc = 0 ] && [ -n "$l1" ] && [ "$l1" = "$l2" ]; then ok "lpsgd train --backend xrt on noop: 2 epochs through XRT (model untouched: loss $l1)"
else no "train --backend xrt on noop: rc $rc: $out"; fi

# csim against csim: the comparison itself, every bit
out=$("$LPSGD" selftest --backend csim 2>&1); rc=$?
if [ $rc = 0 ] && [ "$(grep -c 'identical' <<<"$out")" = 4 ] && grep -q '^TEST PASSED$' <<<"$out"; then
  ok "selftest --backend csim: 4 jobs bit-identical, TEST PASSED"
else no "selftest csim: rc $rc: $out"; fi

# errors: one line on stderr, exit 2
expect_err() { # name, pattern, command...
  local name=$1 pat=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q -- "$pat" "$tmp/err"; then ok "$name"
  else no "$name: rc $rc, stderr: $(cat "$tmp/err")"; fi
}
expect_err "selftest without a card: names the call and lpsgd devices" "xrtDeviceOpenByBDF(ffff:ff:1f.7) failed.*lpsgd devices" \
  env -u XCL_EMULATION_MODE "$LPSGD" selftest --device ffff:ff:1f.7 --xclbin "$tmp/lp_sgd.xclbin"
expect_err "selftest, xclbin missing: says how to build one" "cannot read the xclbin.*make xclbin" \
  env XCL_EMULATION_MODE=noop "$LPSGD" selftest --xclbin "$tmp/none.xclbin"
expect_err "selftest, xclbin without lp_sgd: missing kernel" "No such kernel 'lp_sgd'" \
  env XCL_EMULATION_MODE=noop "$LPSGD" selftest --xclbin "$tmp/other.xclbin"
expect_err "train --device: the card named by the flag" "xrtDeviceOpenByBDF(ffff:ff:1f.7) failed" \
  env -u XCL_EMULATION_MODE "$LPSGD" train --backend xrt --device ffff:ff:1f.7 --xclbin "$tmp/lp_sgd.xclbin" \
  --data synthetic:n=256,d=16 --model lsq --epochs 1
expect_err "train --xclbin: the xclbin named by the flag" "cannot read the xclbin.*none.xclbin" \
  env XCL_EMULATION_MODE=noop "$LPSGD" train --backend xrt --xclbin "$tmp/none.xclbin" \
  --data synthetic:n=256,d=16 --model lsq --epochs 1
mkfifo "$tmp/fifo.xclbin"
expect_err "train --xclbin a FIFO: refused at once, not read" "cannot read the xclbin: .*fifo.xclbin: not a regular file but a FIFO" \
  timeout 20 env XCL_EMULATION_MODE=noop "$LPSGD" train --backend xrt --xclbin "$tmp/fifo.xclbin" \
  --data synthetic:n=256,d=16 --model lsq --epochs 1
expect_err "selftest --xclbin a directory: refused" "cannot read the xclbin: .*: not a regular file but a directory" \
  env XCL_EMULATION_MODE=noop "$LPSGD" selftest --xclbin "$tmp"
expect_err "selftest --depth 3: refused" "depth takes 1 or 2" "$LPSGD" selftest --depth 3
expect_err "selftest --backend nosuch: lists the backends" "unknown backend 'nosuch'" "$LPSGD" selftest --backend nosuch
expect_err "devices --bogus: refused" "unknown option '--bogus'" "$LPSGD" devices --bogus
expect_err "XILINX_XRT without XRT: a message, not XRT's abort" "has no lib/libxrt_noop.so.2" \
  env XCL_EMULATION_MODE=noop XILINX_XRT=/nonexistent "$LPSGD" devices

# quantize and shrink refuse --backend xrt before opening anything: the card's kernel is the
# whole SGD step and has no quantize-only entry (exact line, exit 2, nothing on stdout)
NOQ="the xrt backend's kernel (lp_sgd) is the whole SGD step and has no quantize-only entry: quantize and shrink run on --backend csim or verilator (the same bits); --backend xrt is for train, theory and selftest"
printf '\x00\x00\x80\x3f' >"$tmp/one.f32"
for cmd in "quantize --format fp8_e4m3 $tmp/one.f32 $tmp/q.f32" "shrink"; do
  set -- $cmd
  XCL_EMULATION_MODE=noop "$LPSGD" "$@" --backend xrt --xclbin "$tmp/lp_sgd.xclbin" >"$tmp/out" 2>"$tmp/err"; rc=$?
  if [ $rc = 2 ] && [ "$(cat "$tmp/err")" = "lpsgd $1: --backend xrt: $NOQ" ] && [ ! -s "$tmp/out" ]; then
    ok "$1 --backend xrt: refused, exit 2, names the missing quantize-only entry and csim/verilator"
  else no "$1 --backend xrt: rc $rc, stderr: $(cat "$tmp/err"), stdout: $(head -c 200 "$tmp/out")"; fi
done
if "$LPSGD" quantize --help | grep -q 'xrt (train, theory, selftest only' && "$LPSGD" train --help | grep -q 'xrt (train, theory, selftest only'; then
  ok "quantize/train --help: --backend says xrt is for train, theory and selftest only"
else no "--help does not say that xrt cannot quantize"; fi

# nothing of XRT's own logging on stdout (CSV/JSON stay clean)
out=$(XCL_EMULATION_MODE=noop "$LPSGD" selftest --xclbin "$tmp/other.xclbin" 2>/dev/null)
if ! grep -q 'XRT build version\|\[XRT\]' <<<"$out"; then ok "XRT's log kept off stdout"
else no "XRT wrote to stdout: $out"; fi

summary
