#!/usr/bin/env bash
# Every command (as listed by `lpsgd --help`) has a --help that exits 0 and teaches usage;
# JSON outputs parse.
here=$(dirname "$0")
. "$here/lib.sh"

check "lpsgd --help" "$LPSGD" --help
cmds=$("$LPSGD" --help | awk '/^commands:/ {on = 1; next} on && NF {print $1}')
[ -n "$cmds" ] && ok "commands listed: $(echo $cmds)" || bad "command list" "empty"
for c in $cmds; do
    if "$LPSGD" "$c" --help >"$T/h" 2>"$T/err"; then
        if grep -q "usage: lpsgd $c" "$T/h" && [ ! -s "$T/err" ]; then ok "$c --help"; else bad "$c --help" "no 'usage: lpsgd $c' line"; fi
    else
        bad "$c --help" "exit $?"
    fi
    "$LPSGD" "$c" -h >/dev/null 2>&1 && ok "$c -h" || bad "$c -h" "exit $?"
done
"$LPSGD" formats --json >"$T/f.json"
if /usr/bin/python3 -m json.tool "$T/f.json" >/dev/null 2>&1; then ok "formats --json is valid JSON"; else bad "formats --json" "invalid"; fi
summary
