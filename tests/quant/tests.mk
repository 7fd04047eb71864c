# tests/quant - the quantizer against the independent oracle (tests/oracle/), stochastic
# rounding, statistics; the exhaustive run (make test-exhaustive) and the benchmark.
LP_ORC_OBJ := $(BUILD)/obj/tests/oracle/lp_oracle.o

$(LP_ORC_OBJ): tests/oracle/lp_oracle.c tests/oracle/lp_oracle.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# test programs here link the oracle (and pthreads for the exhaustive run)
$(BUILD)/tests/quant/%: tests/quant/%.c $(LP_ORC_OBJ) $(BUILD)/libhls.a tests/lp_test.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -o $@ $< $(LP_ORC_OBJ) $(BUILD)/libhls.a $(LDFLAGS) $(LDLIBS) -lpthread

LP_TEST_BINS += $(BUILD)/tests/quant/test_quant_oracle
LP_SAN_BINS  += $(BUILD)/tests/quant/test_quant_oracle
LP_TEST_SCRIPTS += tests/quant/oracle_independent.sh
LP_EXH_BINS  += $(BUILD)/tests/quant/test_exhaustive
# 2^32 inputs x 10 runs: built -O3 -march=native with the oracle in the same unit
$(BUILD)/tests/quant/test_exhaustive: tests/quant/test_exhaustive.c tests/oracle/lp_oracle.c $(BUILD)/libhls.a tests/lp_test.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -O3 -march=native -o $@ $< tests/oracle/lp_oracle.c $(BUILD)/libhls.a $(LDFLAGS) $(LDLIBS) -lpthread
LP_BENCH_BINS += $(BUILD)/tests/bench/bench_quant
LP_TEST_BINS += $(BUILD)/tests/quant/test_sr $(BUILD)/tests/quant/test_stats
LP_SAN_BINS  += $(BUILD)/tests/quant/test_sr $(BUILD)/tests/quant/test_stats
# every vector-unit variant of lp_quantize_vec the CPU has = the others = the oracle
LP_TEST_BINS += $(BUILD)/tests/quant/test_quant_variants
LP_SAN_BINS  += $(BUILD)/tests/quant/test_quant_variants
