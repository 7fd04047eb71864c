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
# every vector-unit variant of lp_quantize_vec on all 2^32 inputs (the default build's flags)
LP_EXH_BINS  += $(BUILD)/tests/quant/test_exhaustive_variants
# 2^32 inputs x 10 runs: built -O3 -march=native with the oracle in the same unit
$(BUILD)/tests/quant/test_exhaustive: tests/quant/test_exhaustive.c tests/oracle/lp_oracle.c $(BUILD)/libhls.a tests/lp_test.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -O3 -march=native -o $@ $< tests/oracle/lp_oracle.c $(BUILD)/libhls.a $(LDFLAGS) $(LDLIBS) -lpthread
# make bench runs bench_quant through tests/bench/bench_quant.sh (which adds the ml_dtypes peer)
bench-build: $(BUILD)/tests/bench/bench_quant
LP_BENCH_SCRIPTS += tests/bench/bench_quant.sh
# bench_quant measures the default build's code (what `make` builds: -O2, no -march) whatever
# flags the bench build has, so it links a libhls.a built that way under $(BUILD)/default.
# Its peer, NVIDIA's host conversion routines (tests/bench/bench_nv.cpp, header-only use of
# the CUDA toolkit's headers, never a dependency of lpsgd), is built with the bench's flags
# where cuda_fp8.h is found (CUDA_HOME, /usr/local/cuda, beside nvcc), else a stub that says so.
LP_DEFAULT_OPT := -O2
LP_CUDA_INC ?= $(patsubst %/cuda_fp8.h,%,$(firstword $(wildcard $(if $(CUDA_HOME),$(CUDA_HOME)/include/cuda_fp8.h) \
  /usr/local/cuda/include/cuda_fp8.h $(dir $(shell command -v nvcc 2>/dev/null))../include/cuda_fp8.h)))
# (csim-only: without the Verilated kernels, which the C model's speed does not depend on;
# bench-train.sh's default-build lpsgd, tests/sgd/tests.mk, is made the same way)
LP_DEFAULT_MAKE = $(MAKE) --no-print-directory BUILD=$(BUILD)/default OPT=$(LP_DEFAULT_OPT) SAN= LP_HAVE_VERILATOR=
.PHONY: lp_default_hls
lp_default_hls:
	@$(LP_DEFAULT_MAKE) $(BUILD)/default/libhls.a
$(BUILD)/default/libhls.a: lp_default_hls ;
$(BUILD)/obj/tests/bench/bench_nv.o: tests/bench/bench_nv.cpp tests/bench/bench_nv.h $(BUILD)/stamp/config.cmd
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) -Itests $(if $(LP_CUDA_INC),-isystem $(LP_CUDA_INC) -DLP_HAVE_CUDA_FP) $(CXXFLAGS) -c $< -o $@
$(BUILD)/tests/bench/bench_quant: tests/bench/bench_quant.c tests/bench/bench_nv.h $(BUILD)/obj/tests/bench/bench_nv.o \
		$(BUILD)/default/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) -o $@ $@.o $(BUILD)/obj/tests/bench/bench_nv.o $(BUILD)/default/libhls.a $(LDFLAGS) $(LDLIBS)
LP_TEST_BINS += $(BUILD)/tests/quant/test_sr $(BUILD)/tests/quant/test_stats
LP_SAN_BINS  += $(BUILD)/tests/quant/test_sr $(BUILD)/tests/quant/test_stats
# every vector-unit variant of lp_quantize_vec the CPU has = the others = the oracle
LP_TEST_BINS += $(BUILD)/tests/quant/test_quant_variants
LP_SAN_BINS  += $(BUILD)/tests/quant/test_quant_variants
