#!/usr/bin/env bash
# Every command (as listed by `lpsgd --help`) has a --help that exits 0 and teaches usage;
# JSON outputs parse.
here=$(dirname "$0")
. "$here/../lp_test.sh"

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
# formats: the presets' largest values (OCP OFP8 / MX v1.0 / IEEE) and any named format
fm() { "$LPSGD" formats "$@" | awk 'NR > 1 {print $1, $6}' | tr '\n' ' '; }
expect_eq "formats: max finite per preset" "$(fm)" \
    "fp32 3.40282e+38 bf16 3.38953e+38 fp16 65504 fp8_e5m2 57344 fp8_e4m3 448 fp6_e3m2 28 fp6_e2m3 7.5 fp4_e2m1 6 "
expect_eq "formats e4m3 (IEEE-style: 240) fixed8.4" "$(fm e4m3 fixed8.4)" "e4m3 240 fixed8.4 7.9375 "
summary
