# tests/hlslint - hlslint (scripts/hlslint, docs/hls-lint.md) on one planted-violation file
# per rule (exact rules and lines), a clean kernel, --root, bad usage and a syntax error.
# $(BUILD)/hlslint is a prerequisite of test-build (scripts/hlslint/hlslint.mk).
LP_TEST_SCRIPTS += tests/hlslint/test_hlslint.sh
