# tests/fuzz - libFuzzer targets for the .npy parser and the checkpoint reader (clang
# -fsanitize=fuzzer,address,undefined).
#   make fuzz                 fuzz for FUZZ_TIME seconds (default 60) from the seed corpus
#   make fuzz FUZZ_TIME=600   longer
# New interesting inputs go to $(BUILD)/fuzz/corpus_npy, failing ones to $(BUILD)/fuzz/npy-crash-*
# (make fails then). The data parsers' targets (tests/fuzz/data.mk) run first.
# (make test runs the deterministic counterparts, tests/cli/test_npy_mutate and
# tests/sgd/test_ckpt_mutate, under ASan.)
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang
.PHONY: fuzz

$(BUILD)/fuzz/fuzz_npy: tests/fuzz/fuzz_npy.c host/io/lp_npy.c host/io/lp_io.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -Ihls -Ihost -ffp-contract=off \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ tests/fuzz/fuzz_npy.c host/io/lp_npy.c

# The checkpoint reader (host/train/checkpoint.c, what `train --resume` reads) with the
# contract of tests/sgd/ckpt_check.h; seeds: real checkpoints in tests/fuzz/corpus_checkpoint.
LP_FUZZ_CKPT_SRCS := tests/fuzz/fuzz_checkpoint.c host/train/checkpoint.c host/io/lp_io.c host/io/lp_npy.c \
                     $(sort $(wildcard hls/*/*.c))
$(BUILD)/fuzz/fuzz_checkpoint: $(LP_FUZZ_CKPT_SRCS) tests/sgd/ckpt_check.h host/train/train.h host/io/lp_io.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -Ihls -Ihost -Itests/sgd -ffp-contract=off -Wno-bitwise-conditional-parentheses \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $(LP_FUZZ_CKPT_SRCS) -lz -lm

fuzz: fuzz-checkpoint
.PHONY: fuzz-checkpoint
fuzz-checkpoint:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(BUILD)/fuzz/fuzz_checkpoint
	@mkdir -p $(BUILD)/fuzz/corpus_checkpoint
	@echo "== fuzz_checkpoint ($(FUZZ_TIME) s)"
	@$(BUILD)/fuzz/fuzz_checkpoint -max_total_time=$(FUZZ_TIME) -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/fuzz/checkpoint- $(BUILD)/fuzz/corpus_checkpoint tests/fuzz/corpus_checkpoint 2>&1 | \
	    grep -E '^(Done|==|SUMMARY|stat::number_of_executed_units|stat::new_units_added)' || true
	@test -z "$$(ls $(BUILD)/fuzz/checkpoint-crash-* $(BUILD)/fuzz/checkpoint-leak-* $(BUILD)/fuzz/checkpoint-timeout-* 2>/dev/null)" || \
	    { echo "fuzz_checkpoint: failing inputs in $(BUILD)/fuzz/checkpoint-*"; exit 1; }

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
