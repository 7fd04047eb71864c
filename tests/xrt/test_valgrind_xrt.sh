#!/usr/bin/env bash
# test_xrt_noop and lpsgd selftest --backend xrt (noop shim) under valgrind: no leak
# (definitely or indirectly lost), no invalid access, every XRT handle closed (XRT itself
# aborts at exit on leaked handles). Needs $LPSGD and $MAKE_XCLBIN; skipped without valgrind.
set -u
: "${LPSGD:?}" "${MAKE_XCLBIN:?}"
command -v valgrind >/dev/null || { echo "skipped: valgrind is not installed (scripts/deps.sh test)"; exit 0; }
test_bin=$(dirname "$MAKE_XCLBIN")/test_xrt_noop
pass=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$MAKE_XCLBIN" "$tmp/lp_sgd.xclbin"
vg() { # name, command...
  local name=$1; shift
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 "$@" \
    >"$tmp/out" 2>"$tmp/vg"; local rc=$?
  if [ $rc = 0 ] && ! grep -q 'definitely lost: [1-9]\|Invalid \|uninitialised' "$tmp/vg"; then
    pass=$((pass + 1)); echo "ok   valgrind: $name"
  else fail=$((fail + 1)); echo "FAIL valgrind: $name (rc $rc)"; tail -n 30 "$tmp/vg"; tail -n 5 "$tmp/out"; fi
}
vg "test_xrt_noop (the backend's whole host path and its error paths)" "$test_bin"
# (an assignment before a bash function call is exported for that call only)
XCL_EMULATION_MODE=noop vg "lpsgd selftest --backend xrt --depth 2 on the noop shim" \
  "$LPSGD" selftest --backend xrt --depth 2 --xclbin "$tmp/lp_sgd.xclbin"
XCL_EMULATION_MODE=noop vg "lpsgd devices on the noop shim" "$LPSGD" devices
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
