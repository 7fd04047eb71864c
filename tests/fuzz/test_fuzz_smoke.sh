#!/usr/bin/env bash
# tests/fuzz/test_fuzz_smoke.sh - every libFuzzer target (tests/fuzz/tests.mk) runs its seed
# corpus and 20000 mutations of it without a crash, leak or timeout: the short form of
# `make fuzz`, so make test notices a target that no longer builds or fails on its seeds.
# LP_FUZZ_SMOKE="BINARY:SEEDS ..." comes from tests/fuzz/tests.mk.
set -u
. "$(dirname "$0")/../lp_test.sh"
: "${LP_FUZZ_SMOKE:?run through make test}"
cd "$(dirname "$0")/../.."
for e in $LP_FUZZ_SMOKE; do
    bin=${e%%:*} seeds=${e#*:} name=$(basename "${e%%:*}")
    mkdir -p "$T/$name"
    if "$bin" -runs=20000 -max_len=8192 -artifact_prefix="$T/$name/" "$seeds" >"$T/$name.log" 2>&1 &&
        ! ls "$T/$name"/crash-* "$T/$name"/leak-* "$T/$name"/timeout-* >/dev/null 2>&1; then
        ok "$name: seeds and 20000 mutations ($(grep -c . <(ls "$seeds")) seeds)"
    else
        bad "$name" "$(grep -E 'ERROR|SUMMARY|crash' "$T/$name.log" | head -n 3)"
    fi
done
summary
