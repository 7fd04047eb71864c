# tests/fuzz - libFuzzer targets (clang -fsanitize=fuzzer,address,undefined) for every parser
# of untrusted files: the .npy reader, the checkpoint reader (what `train --resume` reads),
# the xclbin reader (host/backend/lp_xclbin.c, what lpsgd checks before XRT loads a
# --xclbin), the sweep's study file and log reader, and the data parsers (tests/fuzz/data.mk).
#   make fuzz                 each target for FUZZ_TIME seconds (default 60) from its seeds
#   make fuzz FUZZ_TIME=600   longer
# tests/fuzz/run.sh runs one target: new inputs go to $(BUILD)/fuzz/corpus_<name>, failing
# ones to $(BUILD)/fuzz/<name>-crash-* (make fails then). make test runs the deterministic
# counterparts under ASan/UBSan: tests/cli/test_npy_mutate, tests/sgd/test_ckpt_mutate,
# tests/xrt/test_xclbin_mutate, tests/data/test_data_mutate.
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang
LP_FUZZ_CFLAGS := -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -Ihls -Ihost -ffp-contract=off \
                  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
.PHONY: fuzz fuzz-npy fuzz-checkpoint fuzz-xclbin

$(BUILD)/fuzz/fuzz_npy: tests/fuzz/fuzz_npy.c host/io/lp_npy.c host/io/lp_io.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(LP_FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_npy.c host/io/lp_npy.c

# the checkpoint reader with the contract of tests/sgd/ckpt_check.h; seeds: real checkpoints
LP_FUZZ_CKPT_SRCS := tests/fuzz/fuzz_checkpoint.c host/train/checkpoint.c host/io/lp_io.c host/io/lp_file.c host/io/lp_npy.c \
                     $(sort $(wildcard hls/*/*.c))
$(BUILD)/fuzz/fuzz_checkpoint: $(LP_FUZZ_CKPT_SRCS) tests/sgd/ckpt_check.h host/train/train.h host/io/lp_io.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(LP_FUZZ_CFLAGS) -Itests/sgd -Wno-bitwise-conditional-parentheses -o $@ $(LP_FUZZ_CKPT_SRCS) -lz -lm

# the xclbin reader; seeds written by tests/xrt/make_xclbin (U250, U55C HBM, another kernel)
$(BUILD)/fuzz/fuzz_xclbin: tests/fuzz/fuzz_xclbin.c host/backend/lp_xclbin.c host/backend/lp_xclbin.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(LP_FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_xclbin.c host/backend/lp_xclbin.c

# a study directory's readers: the INI study (inih), a train --log read back, report's CSV reader
LP_FUZZ_STUDY_SRCS := tests/fuzz/fuzz_study.c host/sweep/study.c host/train/log_read.c host/report/csv.c \
                      host/io/lp_io.c host/io/lp_file.c \
                      host/io/lp_npy.c $(sort $(wildcard hls/*/*.c))
$(BUILD)/fuzz/fuzz_study: $(LP_FUZZ_STUDY_SRCS) host/sweep/study.h host/train/log_read.h host/report/report.h host/io/lp_io.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(LP_FUZZ_CFLAGS) -Wno-bitwise-conditional-parentheses -o $@ $(LP_FUZZ_STUDY_SRCS) -linih -lz -lm

fuzz: fuzz-npy fuzz-checkpoint fuzz-xclbin fuzz-study
fuzz-npy fuzz-checkpoint fuzz-xclbin fuzz-study: fuzz-%:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(BUILD)/fuzz/fuzz_$*
	@tests/fuzz/run.sh $(BUILD) $* $(LP_FUZZ_SEEDS_$*) $(LP_FUZZ_MAXLEN_$*) $(FUZZ_TIME)
LP_FUZZ_SEEDS_npy := tests/fuzz/corpus
LP_FUZZ_SEEDS_checkpoint := tests/fuzz/corpus_checkpoint
LP_FUZZ_SEEDS_xclbin := tests/fuzz/corpus_xclbin
LP_FUZZ_MAXLEN_npy := 4096
LP_FUZZ_MAXLEN_checkpoint := 8192
LP_FUZZ_MAXLEN_xclbin := 8192
LP_FUZZ_MAXLEN_study := 4096

# make test builds every target and runs each one briefly from its seeds
# (tests/fuzz/test_fuzz_smoke.sh), so a fuzz target that stops building or crashes on its
# own seed corpus fails the suite, not the next `make fuzz`.
LP_FUZZ_BINS := $(BUILD)/fuzz/fuzz_npy $(BUILD)/fuzz/fuzz_checkpoint $(BUILD)/fuzz/fuzz_xclbin $(BUILD)/fuzz/fuzz_study \
                $(LP_FUZZ_DATA:%=$(BUILD)/fuzz/fuzz_%)
LP_HAVE_FUZZ_CC := $(shell command -v $(FUZZ_CC) >/dev/null 2>&1 && echo 1)
ifeq ($(LP_HAVE_FUZZ_CC),1)
test-build: $(LP_FUZZ_BINS)
LP_TEST_SCRIPTS += tests/fuzz/test_fuzz_smoke.sh
endif
export LP_FUZZ_SMOKE = $(foreach b,$(LP_FUZZ_BINS),$(abspath $(b)):$(or $(LP_FUZZ_SEEDS_$(patsubst fuzz_%,%,$(notdir $(b)))),tests/fuzz/corpus_$(patsubst fuzz_%,%,$(notdir $(b)))))
