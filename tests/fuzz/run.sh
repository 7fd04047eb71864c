#!/usr/bin/env bash
# tests/fuzz/run.sh - run one libFuzzer target for a bounded time (what every `make fuzz`
# target runs). Usage: tests/fuzz/run.sh BUILD NAME SEEDS MAX_LEN SECONDS
#   BUILD/fuzz/fuzz_NAME is the target; SEEDS the committed seed corpus; new inputs go to
#   BUILD/fuzz/corpus_NAME, failing ones to BUILD/fuzz/NAME-crash-* (and -leak-, -timeout-):
#   then it prints where they are and exits 1.
set -u
build=$1 name=$2 seeds=$3 maxlen=$4 secs=$5
mkdir -p "$build/fuzz/corpus_$name"
echo "== fuzz_$name ($secs s)"
"$build/fuzz/fuzz_$name" -max_total_time="$secs" -max_len="$maxlen" -print_final_stats=1 \
    -artifact_prefix="$build/fuzz/$name-" "$build/fuzz/corpus_$name" "$seeds" 2>&1 |
    grep -E '^(#[0-9]+ +DONE|Done|==|SUMMARY|stat::number_of_executed_units|stat::new_units_added|stat::peak_rss)'
if ls "$build/fuzz/$name"-crash-* "$build/fuzz/$name"-leak-* "$build/fuzz/$name"-timeout-* >/dev/null 2>&1; then
    echo "fuzz_$name: failing inputs in $build/fuzz/$name-*"
    exit 1
fi
exit 0
