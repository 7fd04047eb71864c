# tests/cli - the lpsgd command line (h-cli): shell tests of every command's --help, of
# quantize (bits against hand-worked values, .npy versions/orders, packed codes), of shrink
# (counts, CSV, JSON, PNG) and of bad input (exit code 2, one message; the bad-input script
# also drives the ASan/UBSan build $LPSGD_SAN), plus the .npy parser under deterministic
# mutation (built and run under ASan/UBSan too), and SIGINT/SIGTERM in the middle of quantize
# and shrink (no temporary, no output left).
LP_TEST_SCRIPTS += tests/cli/test_help.sh tests/cli/test_quantize.sh tests/cli/test_shrink.sh \
                   tests/cli/test_bad_input.sh tests/cli/test_signals.sh
LP_TEST_BINS    += $(BUILD)/tests/cli/test_npy_mutate
LP_SAN_BINS     += $(BUILD)/tests/cli/test_npy_mutate

# The parser lives in host/io (not in libhls.a): link its one file directly.
$(BUILD)/tests/cli/test_npy_mutate: tests/cli/test_npy_mutate.c host/io/lp_npy.c host/io/lp_io.h tests/lp_test.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(CPPFLAGS)) -Itests $(CFLAGS) -o $@ tests/cli/test_npy_mutate.c host/io/lp_npy.c $(LDFLAGS)

# quantize's streaming against the oracle (tests/oracle, tests/quant/red_ref.h) and its memory
LP_TEST_BINS += $(BUILD)/tests/cli/test_quantize_stream
$(BUILD)/tests/cli/test_quantize_stream: tests/cli/test_quantize_stream.c $(BUILD)/obj/tests/oracle/lp_oracle.o \
  $(BUILD)/libhls.a tests/lp_test.h tests/quant/red_ref.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -o $@ $< $(BUILD)/obj/tests/oracle/lp_oracle.o $(BUILD)/libhls.a $(LDFLAGS) $(LDLIBS)

# quantize's input path: the mapped reader and the SIGBUS guard of host/io, linked alone
LP_TEST_BINS += $(BUILD)/tests/cli/test_tensor_map
LP_SAN_BINS  += $(BUILD)/tests/cli/test_tensor_map
LP_TENSOR_MAP_SRCS := tests/cli/test_tensor_map.c host/io/lp_io.c host/io/lp_file.c host/io/lp_npy.c
$(BUILD)/tests/cli/test_tensor_map: $(LP_TENSOR_MAP_SRCS) host/io/lp_io.h host/io/lp_file.h tests/lp_test.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(CPPFLAGS)) -Itests $(CFLAGS) -o $@ $(LP_TENSOR_MAP_SRCS) $(LDFLAGS) -lm
