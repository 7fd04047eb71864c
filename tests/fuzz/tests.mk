# tests/fuzz - libFuzzer targets for the .npy parser and the xclbin reader
# (clang -fsanitize=fuzzer,address,undefined).
#   make fuzz                 fuzz for FUZZ_TIME seconds (default 60) from the seed corpus
#   make fuzz FUZZ_TIME=600   longer
# New interesting inputs go to $(BUILD)/fuzz/corpus_npy, failing ones to $(BUILD)/fuzz/npy-crash-*
# (make fails then). The data parsers' targets (tests/fuzz/data.mk) run first.
# (make test runs the deterministic counterpart, tests/cli/test_npy_mutate, under ASan.)
# fuzz_xclbin: host/backend/lp_xclbin.c (what lpsgd checks before XRT loads a --xclbin),
# seeds in tests/fuzz/corpus_xclbin (written by tests/xrt/make_xclbin: U250, U55C HBM,
# another kernel), new inputs in $(BUILD)/fuzz/corpus_xclbin, crashes $(BUILD)/fuzz/xclbin-*;
# its deterministic counterpart is tests/xrt/test_xclbin_mutate.
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang
.PHONY: fuzz fuzz-xclbin

$(BUILD)/fuzz/fuzz_npy: tests/fuzz/fuzz_npy.c host/io/lp_npy.c host/io/lp_io.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -Ihls -Ihost -ffp-contract=off \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ tests/fuzz/fuzz_npy.c host/io/lp_npy.c

$(BUILD)/fuzz/fuzz_xclbin: tests/fuzz/fuzz_xclbin.c host/backend/lp_xclbin.c host/backend/lp_xclbin.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -Ihls -Ihost -ffp-contract=off \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ tests/fuzz/fuzz_xclbin.c host/backend/lp_xclbin.c

fuzz: fuzz-xclbin
fuzz-xclbin:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(BUILD)/fuzz/fuzz_xclbin
	@mkdir -p $(BUILD)/fuzz/corpus_xclbin
	@echo "== fuzz_xclbin ($(FUZZ_TIME) s)"
	@$(BUILD)/fuzz/fuzz_xclbin -max_total_time=$(FUZZ_TIME) -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/fuzz/xclbin- $(BUILD)/fuzz/corpus_xclbin tests/fuzz/corpus_xclbin 2>&1 | \
	    grep -E '^(Done|==|SUMMARY|stat::number_of_executed_units|stat::new_units_added)' || true
	@test -z "$$(ls $(BUILD)/fuzz/xclbin-crash-* $(BUILD)/fuzz/xclbin-leak-* $(BUILD)/fuzz/xclbin-timeout-* 2>/dev/null)" || \
	    { echo "fuzz_xclbin: failing inputs in $(BUILD)/fuzz/xclbin-*"; exit 1; }

fuzz:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(BUILD)/fuzz/fuzz_npy
	@mkdir -p $(BUILD)/fuzz/corpus_npy
	@echo "== fuzz_npy ($(FUZZ_TIME) s)"
	@$(BUILD)/fuzz/fuzz_npy -max_total_time=$(FUZZ_TIME) -max_len=4096 -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/fuzz/npy- $(BUILD)/fuzz/corpus_npy tests/fuzz/corpus 2>&1 | \
	    grep -E '^(Done|==|SUMMARY|stat::number_of_executed_units|stat::new_units_added)' || true
	@test -z "$$(ls $(BUILD)/fuzz/npy-crash-* $(BUILD)/fuzz/npy-leak-* $(BUILD)/fuzz/npy-timeout-* 2>/dev/null)" || \
	    { echo "fuzz_npy: failing inputs in $(BUILD)/fuzz/npy-*"; exit 1; }
