#!/usr/bin/env bash
# tests/rtl/test_timing.sh - the logic-depth tool of `make timing` (scripts/timing.sh, which
# walks the netlist with scripts/lp_depth.py) on a module of known depth,
# tests/rtl/lp_timing_chain.sv: K instantiated LUT6 then C CARRY4 cells between two
# registers, exactly K + C levels. Checks the exact level counts, the named path and end
# points, the budget check (exit 1 over it, 0 within), the reuse of a result, and a bad
# selection; once more through the hierarchical synthesis of the slow part. Three tiny
# Yosys runs: seconds.
set -u
. "$(dirname "$0")/../lp_test.sh"
if ! command -v yosys >/dev/null; then
    skip "timing: yosys is not installed (scripts/deps.sh test installs it)"
    summary
fi
cd "$(dirname "$0")/../.." || exit 2
chain=tests/rtl/lp_timing_chain.sv
o=$T
# run NAME BUDGET ENTRY: scripts/timing.sh's exit status and its CSV row
run() {
    LP_TIMING_BUDGET=$2 LP_TIMING='' LP_TIMING_SLOW='' scripts/timing.sh "$o" "$3" >"$T/$1.out" 2>"$T/$1.err"
    echo $? >"$T/$1.rc"
}

run k2 2 "$chain:K=2"
expect_eq "K=2 within a 2-level budget: exit 0" "$(cat "$T/k2.rc")" 0
row=$(sed -n 2p "$o/timing/timing.csv")
expect_eq "K=2: levels, LUT levels, CARRY levels" "$(cut -d, -f1-5 <<<"$row")" "lp_timing_chain,K=2,2,2,0"
expect_eq "K=2: the worst path's cells" "$(cut -d, -f6 <<<"$row")" "LUT6 x2"
expect_eq "K=2: from a register to y_q" "$(cut -d, -f7,8 <<<"$row" | sed -E 's/^[^,]* \[/[/')" "[FDRE],y_q [FDRE]"
grep -q "all 1 checked entries within 2 levels" "$T/k2.out" && ok "K=2: says it is within budget" \
    || bad "K=2: says it is within budget" "$(cat "$T/k2.out" "$T/k2.err")"

run k3c2 4 "$chain:K=3,C=2"
expect_eq "K=3 C=2 over a 4-level budget: exit 1" "$(cat "$T/k3c2.rc")" 1
row=$(sed -n 2p "$o/timing/timing.csv")
expect_eq "K=3 C=2: levels, LUT levels, CARRY levels" "$(cut -d, -f1-5 <<<"$row")" "lp_timing_chain,K=3 C=2,5,3,2"
expect_eq "K=3 C=2: the worst path's cells" "$(cut -d, -f6 <<<"$row")" "LUT6 x3 > CARRY4 x2"
grep -q "over the 4-level budget.*lp_timing_chain:K=3,C=2 (5)" "$T/k3c2.err" \
    && ok "K=3 C=2: names the module over budget" || bad "K=3 C=2: names the module over budget" "$(cat "$T/k3c2.err")"
grep -q '| lp_timing_chain | K=3 C=2 | \*\*5\*\* | 3 | 2 | LUT6 x3 > CARRY4 x2 |' "$o/timing/timing.md" \
    && ok "K=3 C=2: the markdown row, level in bold" || bad "K=3 C=2: the markdown row" "$(cat "$o/timing/timing.md")"

# the same entry within a 5-level budget: the result is reused (no new synthesis)
touch "$T/stamp"
run k3c2b 5 "$chain:K=3,C=2"
expect_eq "K=3 C=2 within a 5-level budget: exit 0" "$(cat "$T/k3c2b.rc")" 0
expect_eq "K=3 C=2 reused, not synthesized again" "$(find "$o" -name 'lp_timing_chain_K3_C2.log' -newer "$T/stamp" | wc -l)" 0

# the slow part's way: scripts/resources.sh's hierarchical synthesis, walked through the
# instances (LP_TIMING_SLOW names the module): the same levels
LP_TIMING_BUDGET=8 LP_TIMING=slow LP_TIMING_SLOW=lp_timing_chain scripts/timing.sh "$o" "$chain:K=3,C=2" \
    >"$T/hier.out" 2>"$T/hier.err"
expect_eq "K=3 C=2 hierarchical: exit 0 within 8 levels" "$?" 0
expect_eq "K=3 C=2 hierarchical: levels, path, synthesis" \
    "$(sed -n 2p "$o/timing/timing.csv" | cut -d, -f3-6,9)" "5,3,2,LUT6 x3 > CARRY4 x2,hier"

# a selection that names no entry is a usage error
LP_TIMING=no_such_module LP_TIMING_SLOW='' scripts/timing.sh "$o" "$chain:K=2" >/dev/null 2>"$T/sel.err"
expect_eq "a selection of nothing: exit 2" "$?" 2
summary
