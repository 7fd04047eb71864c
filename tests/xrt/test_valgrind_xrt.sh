#!/usr/bin/env bash
# test_xrt_noop and lpsgd selftest --backend xrt (noop shim) under valgrind: no leak
# (definitely or indirectly lost), no invalid access, every XRT handle closed (XRT itself
# aborts at exit on leaked handles). Needs $LPSGD and $MAKE_XCLBIN; skipped without valgrind.
set -u
: "${LPSGD:?}" "${MAKE_XCLBIN:?}"
. "$(dirname "$0")/../lp_test.sh"
command -v valgrind >/dev/null || { skip "valgrind is not installed (scripts/deps.sh test installs it)"; summary; }
test_bin=$(dirname "$MAKE_XCLBIN")/test_xrt_noop
tmp=$T
"$MAKE_XCLBIN" "$tmp/lp_sgd.xclbin"
"$MAKE_XCLBIN" "$tmp/four.xclbin" --cus 4
# `lpsgd devices` lists the OpenCL platforms too, so PoCL and glibc's dlopen run under valgrind:
# tests/opencl/pocl.supp's narrow suppressions (one is glibc's is_dst strncmp reading 8 bytes
# at a time while dlopen-ing, a known valgrind false positive that shows or not with the heap
# layout) apply here as they do in test_valgrind_opencl.sh.
supp="$(cd "$(dirname "$0")/../opencl" && pwd)/pocl.supp"
vg() { # name, the command's exit status, command...
  local name=$1 want=$2; shift 2
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions="$supp" \
    --error-exitcode=99 "$@" \
    >"$tmp/out" 2>"$tmp/vg"; local rc=$?
  if [ $rc = "$want" ] && ! grep -q 'definitely lost: [1-9]\|Invalid \|uninitialised' "$tmp/vg"; then
    ok "valgrind: $name"
  else bad "valgrind: $name" "rc $rc"; tail -n 30 "$tmp/vg"; tail -n 5 "$tmp/out"; fi
}
vg "test_xrt_noop (the backend's whole host path and its error paths)" 0 "$test_bin"
# (an assignment before a bash function call is exported for that call only)
# (selftest on noop: exit 3, the host path ran and nothing was compared)
XCL_EMULATION_MODE=noop vg "lpsgd selftest --backend xrt --depth 2 on the noop shim" 3 \
  "$LPSGD" selftest --backend xrt --depth 2 --xclbin "$tmp/lp_sgd.xclbin"
XCL_EMULATION_MODE=noop vg "lpsgd selftest on a 4-CU xclbin (the jobs across the CUs) on the noop shim" 3 \
  "$LPSGD" selftest --backend xrt --xclbin "$tmp/four.xclbin"
XCL_EMULATION_MODE=noop vg "lpsgd devices on the noop shim" 0 "$LPSGD" devices
summary
