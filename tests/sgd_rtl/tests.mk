# tests/sgd_rtl - the RTL SGD datapath (rtl/sgd) against the C kernel (hls/sgd), bit for
# bit, through the Verilator harnesses of sim/sgd.
LP_SGD_RTL_TESTS := $(BUILD)/tests/sgd_rtl/test_rtl_dot $(BUILD)/tests/sgd_rtl/test_rtl_sgd \
                    $(BUILD)/tests/sgd_rtl/test_rtl_math
ifeq ($(LP_HAVE_VERILATOR),1)
LP_TEST_BINS += $(LP_SGD_RTL_TESTS)
endif
# lpsgd train --backend verilator vs csim (skips itself when lpsgd has no Verilated backend)
LP_TEST_SCRIPTS += tests/sgd_rtl/test_cli_train_verilator.sh

$(BUILD)/tests/sgd_rtl/test_rtl_dot: tests/sgd_rtl/test_rtl_dot.c tests/lp_test.h sim/sgd/lp_vsgd_dot.h \
  $(filter-out -pthread,$(LP_VSGD_DOT_LIBS)) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isim -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VSGD_DOT_LIBS) $(BUILD)/libhls.a $(LDLIBS)

$(BUILD)/tests/sgd_rtl/test_rtl_sgd: tests/sgd_rtl/test_rtl_sgd.c tests/lp_test.h tests/lp_sgd_test.h sim/sgd/lp_vsgd.h \
  $(LP_VSGD_LIBS) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isim -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VSGD_LIBS) $(BUILD)/libhls.a $(LP_VQ_LDLIBS) $(LDLIBS)

ifeq ($(LP_HAVE_VERILATOR),1)
LP_BENCH_BINS += $(BUILD)/tests/sgd_rtl/bench_rtl_sgd
endif
$(BUILD)/tests/sgd_rtl/bench_rtl_sgd: tests/sgd_rtl/bench_rtl_sgd.c tests/lp_test.h tests/lp_sgd_test.h sim/sgd/lp_vsgd.h \
  $(LP_VSGD_LIBS) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isim -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VSGD_LIBS) $(BUILD)/libhls.a $(LP_VQ_LDLIBS) $(LDLIBS)

$(BUILD)/tests/sgd_rtl/test_rtl_math: tests/sgd_rtl/test_rtl_math.c tests/lp_test.h sim/sgd/lp_vsgd_math.h \
  $(LP_VSGD_MATH_LIBS) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isim -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VSGD_MATH_LIBS) -pthread $(BUILD)/libhls.a $(LDLIBS)

# the scalar unit (stepsize schedules + compensation) and the configuration unit (cfg check
# + format derivation + quantizer register words) vs the C kernel; sampled in make test,
# 2^22 random scalar cases, every int16 bias and 2^24 random blocks in make test-exhaustive
ifeq ($(LP_HAVE_VERILATOR),1)
LP_TEST_BINS += $(BUILD)/tests/sgd_rtl/test_rtl_scalar $(BUILD)/tests/sgd_rtl/test_rtl_cfg
LP_EXH_BINS += $(BUILD)/tests/sgd_rtl/test_rtl_scalar_exh $(BUILD)/tests/sgd_rtl/test_rtl_cfg_exh
endif
$(BUILD)/tests/sgd_rtl/test_rtl_scalar: tests/sgd_rtl/test_rtl_scalar.c tests/lp_test.h sim/sgd/lp_vsgd_scalar.h \
  $(LP_VSGD_SCALAR_LIBS) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isim -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VSGD_SCALAR_LIBS) -pthread $(BUILD)/libhls.a $(LDLIBS)
# the exhaustive run: the same program with 2^22 random cases
$(BUILD)/tests/sgd_rtl/test_rtl_scalar_exh: $(BUILD)/tests/sgd_rtl/test_rtl_scalar
	printf '#!/bin/sh\nexec "%s" 4194304\n' "$(abspath $<)" >$@ && chmod +x $@
$(BUILD)/tests/sgd_rtl/test_rtl_cfg: tests/sgd_rtl/test_rtl_cfg.c tests/lp_test.h sim/sgd/lp_vsgd_cfg.h \
  sim/quant/lp_vq_regs.h $(LP_VSGD_CFG_LIBS) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isim -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VSGD_CFG_LIBS) -pthread $(BUILD)/libhls.a $(LDLIBS)
$(BUILD)/tests/sgd_rtl/test_rtl_cfg_exh: $(BUILD)/tests/sgd_rtl/test_rtl_cfg
	printf '#!/bin/sh\nexec "%s" exhaustive\n' "$(abspath $<)" >$@ && chmod +x $@
