# tests/opencl - the opencl backend (host/backend/opencl.c) against the C model, bit for bit:
#   test_opencl_api     the backend through backend.h: call order, two runs in flight, quantize
#                       with NULL codes/scale_k and odd n, against csim (C)
#   test_cli_opencl.sh  lpsgd train / quantize / shrink / selftest --backend opencl vs csim on
#                       PoCL (byte-identical logs, checkpoints, outputs), lpsgd devices, the
#                       errors a user meets; XRT's OpenCL platform where one exists (else one
#                       "skipped: needs an Alveo card" line)
# The script skips itself with its reason when lpsgd has no OpenCL; make test on a machine it
# provisioned counts that as a failure (LP_MISSING_SUITES in tests/tests.mk, LP_TEST_STRICT).
LP_TEST_SCRIPTS += tests/opencl/test_cli_opencl.sh
# make bench: training samples/s of opencl beside csim in the same run
LP_BENCH_SCRIPTS += tests/opencl/bench_opencl.sh
# valgrind over train/quantize --backend opencl with PoCL's own frames suppressed
# (tests/opencl/pocl.supp): ~75 s on 2 cores, so make test-exhaustive, not make test
LP_EXH_SCRIPTS += tests/opencl/test_valgrind_opencl.sh

# test_opencl_api: the backend's calls through backend.h against csim (links what lpsgd links
# but main.o). Not under ASan: LeakSanitizer reports PoCL's and LLVM's own allocations.
ifeq ($(LP_HAVE_OPENCL),1)
LP_OPENCL_TEST_OBJS = $(filter-out $(BUILD)/obj/host/main.o,$(LP_HOST_OBJS)) $(LP_HOST_OBJS_EXTRA)
$(BUILD)/tests/opencl/test_opencl_api: tests/opencl/test_opencl_api.c $(LP_OPENCL_TEST_OBJS) $(BUILD)/libhls.a \
		tests/lp_test.h $(LP_HOST_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_OPENCL_TEST_OBJS) $(BUILD)/libhls.a $(LP_HOST_LIBS_EXTRA) $(LDLIBS)
LP_TEST_BINS += $(BUILD)/tests/opencl/test_opencl_api
endif
