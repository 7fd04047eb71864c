#!/usr/bin/env bash
# The oracle must not call the code it checks: its object file may reference no lp_*
# symbol except its own lp_orc_* functions. Finds the object next to $LPSGD (the build dir).
set -u
. "$(dirname "$0")/../lp_test.sh"
obj="$(dirname "$LPSGD")/obj/tests/oracle/lp_oracle.o"
if [ ! -f "$obj" ]; then
  bad "oracle object" "$obj not built"
else
  calls=$(nm -u "$obj" | awk '{print $NF}' | grep -E '^lp_' | grep -vE '^lp_orc_' || true)
  if [ -n "$calls" ]; then
    bad "oracle independence" "the oracle calls code under test: $calls"
  else
    ok "oracle object references no hls/ symbol ($(nm -u "$obj" | wc -l) external symbols, all libc/libm)"
  fi
fi
summary
