#!/usr/bin/env bash
# The oracle must not call the code it checks: its object file may reference no lp_*
# symbol except its own lp_orc_* functions. Finds the object next to $LPSGD (the build dir).
set -u
obj="$(dirname "${LPSGD:-build/lpsgd}")/obj/tests/oracle/lp_oracle.o"
if [ ! -f "$obj" ]; then echo "FAIL: $obj not built"; echo "0 passed, 1 failed"; exit 1; fi
bad=$(nm -u "$obj" | awk '{print $NF}' | grep -E '^lp_' | grep -vE '^lp_orc_' || true)
if [ -n "$bad" ]; then
  echo "FAIL: the oracle calls code under test: $bad"; echo "0 passed, 1 failed"; exit 1
fi
echo "ok   oracle object references no hls/ symbol ($(nm -u "$obj" | wc -l) external symbols, all libc/libm)"
echo "1 passed, 0 failed"
