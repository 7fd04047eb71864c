#!/usr/bin/env bash
# tests/rtl/test_lint.sh - verilator --lint-only -Wall over rtl/ (what `make lint` runs, and
# make test with it): every rtl/*/*.sv as the top module with its default parameters, then
# every parameter variant an area lists in rtl/<area>/lint.mk. One check per configuration.
# The configuration comes from rtl/rtl.mk through the environment:
#   LP_LINT           the verilator command (library folders and packages included)
#   LP_LINT_FILES     the files linted as top modules
#   LP_LINT_VARIANTS  <module>:<Param>=<value>[,...] entries
set -u
. "$(dirname "$0")/../lp_test.sh"
: "${LP_LINT:?run through make lint or make test}"
if ! command -v verilator >/dev/null; then
    skip "RTL lint: verilator is not installed (scripts/deps.sh test installs it)"
    summary
fi
cd "$(dirname "$0")/../.."
# lint NAME ARGS...: one configuration, clean or not
lint() {
    local name=$1; shift
    # shellcheck disable=SC2086
    if $LP_LINT "$@" >"$T/lint.out" 2>&1; then ok "lint $name"
    else bad "lint $name" "$(head -c 2000 "$T/lint.out")"; fi
}
for f in $LP_LINT_FILES; do
    lint "$f" --top-module "$(basename "$f" .sv)" "$f"
done
for v in $LP_LINT_VARIANTS; do
    m=${v%%:*}
    f=$(ls rtl/*/"$m".sv | head -n 1)
    # shellcheck disable=SC2046
    lint "$v" $(echo "${v#*:}" | tr ',' '\n' | sed 's/^/-G/') --top-module "$m" "$f"
done
summary
