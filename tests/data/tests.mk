# tests/data - the data loaders (host/data): every format, every error path, Fashion-MNIST,
# synthetic truth, and deterministic mutations of valid files.  They link the loader
# objects directly (not the whole program).
# host/io/lp_file.c: the input-file check the loaders share with the rest of lpsgd
LP_DATA_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard host/data/*.c)) host/io/lp_file.c)
LP_DATA_TESTS := $(BUILD)/tests/data/test_data $(BUILD)/tests/data/test_data_mutate

$(BUILD)/tests/data/%: tests/data/%.c $(LP_DATA_OBJS) tests/lp_test.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests -Ihost/data $(CFLAGS) -o $@ $< $(LP_DATA_OBJS) $(LDFLAGS) $(LDLIBS)

LP_TEST_BINS += $(LP_DATA_TESTS)
LP_SAN_BINS  += $(LP_DATA_TESTS)

# libFuzzer targets for these parsers (make fuzz): tests/fuzz/data.mk
include tests/fuzz/data.mk
