# tests/fuzz/data.mk - libFuzzer targets for the data parsers (host/data): LIBSVM, CSV, IDX.
# Included from tests/data/tests.mk; `make fuzz` runs them (fuzz-data) besides the .npy
# target, each for FUZZ_TIME seconds from its seed corpus tests/fuzz/corpus_<name>/.
# New inputs go to $(BUILD)/fuzz/corpus_<name>, crashes to $(BUILD)/fuzz/<name>-crash-*.
# (make test runs the deterministic counterpart, tests/data/test_data_mutate, under ASan.)
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang
LP_FUZZ_DATA := libsvm csv idx
.PHONY: fuzz fuzz-data

$(LP_FUZZ_DATA:%=$(BUILD)/fuzz/fuzz_%): $(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/data/data_check.h $(wildcard host/data/*.c host/data/*.h) host/io/lp_file.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -Ihls -Ihost -Ihost/data -Itests/data -ffp-contract=off \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $< $(wildcard host/data/*.c) host/io/lp_file.c -lz -lm

fuzz: fuzz-data
fuzz-data:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(LP_FUZZ_DATA:%=$(BUILD)/fuzz/fuzz_%)
	@set -e; for t in $(LP_FUZZ_DATA); do tests/fuzz/run.sh $(BUILD) $$t tests/fuzz/corpus_$$t 4096 $(FUZZ_TIME); done
