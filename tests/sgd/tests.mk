# tests/sgd - the SGD kernel (hls/sgd) and the training host (host/train, lpsgd train/theory).
LP_TEST_BINS += $(BUILD)/tests/sgd/test_sgd_math $(BUILD)/tests/sgd/test_sgd_kernel $(BUILD)/tests/sgd/test_train \
                $(BUILD)/tests/sgd/test_ckpt_mutate
LP_SAN_BINS  += $(BUILD)/tests/sgd/test_sgd_kernel $(BUILD)/tests/sgd/test_train $(BUILD)/tests/sgd/test_ckpt_mutate
LP_TEST_SCRIPTS += tests/sgd/test_cli_train.sh tests/sgd/test_resume.sh tests/sgd/test_theory.sh

# test_train drives host/train through the backend registry, test_ckpt_mutate the
# checkpoint reader (tests/sgd/ckpt_check.h, shared with tests/fuzz/fuzz_checkpoint.c):
# they link what lpsgd links except main.o.
LP_SGD_HOST_OBJS = $(filter-out $(BUILD)/obj/host/main.o,$(LP_HOST_OBJS))
$(BUILD)/tests/sgd/test_train $(BUILD)/tests/sgd/test_ckpt_mutate: $(BUILD)/tests/sgd/%: tests/sgd/%.c tests/sgd/ckpt_check.h $(LP_SGD_HOST_OBJS) $(LP_HOST_OBJS_EXTRA) $(BUILD)/libhls.a tests/lp_test.h $(LP_HOST_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_SGD_HOST_OBJS) $(LP_HOST_OBJS_EXTRA) $(BUILD)/libhls.a $(LP_HOST_LIBS_EXTRA) $(LDLIBS)
LP_BENCH_SCRIPTS += scripts/bench-train.sh
# bench-train.sh times the binary `make` builds (-O2, no -march) beside the bench build's: a
# csim-only lpsgd built with the default flags under $(BUILD)/default (LP_DEFAULT_MAKE,
# tests/quant/tests.mk)
.PHONY: lp_default_lpsgd
lp_default_lpsgd: lp_default_hls
	@$(LP_DEFAULT_MAKE) $(BUILD)/default/lpsgd
bench-build: lp_default_lpsgd

# every variant of the SGD step the CPU has (hls/sgd/lp_sgd_host.c) trains to the bits of
# plain (the HLS code) and of an independent reference of the step (the quantizer oracle)
LP_TEST_BINS += $(BUILD)/tests/sgd/test_sgd_variants
LP_SAN_BINS  += $(BUILD)/tests/sgd/test_sgd_variants
$(BUILD)/tests/sgd/test_sgd_variants: tests/sgd/test_sgd_variants.c $(LP_ORC_OBJ) $(BUILD)/libhls.a tests/lp_test.h \
		tests/lp_sgd_test.h tests/quant/red_ref.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -o $@ $< $(LP_ORC_OBJ) $(BUILD)/libhls.a $(LDFLAGS) $(LDLIBS)
