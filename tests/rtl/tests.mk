# tests/rtl - the RTL stream quantizer (rtl/quant, rtl/stats) against the C model, bit for
# bit, through the Verilator harness (sim/quant); a directed Icarus run; the CLI backends;
# Verilator --lint-only -Wall over rtl/ (test_lint.sh, also `make lint`).
LP_RTL_TESTS := $(BUILD)/tests/rtl/test_rtl_quant $(BUILD)/tests/rtl/test_rtl_exhaustive \
                $(BUILD)/tests/rtl/bench_rtl_quant
LP_TEST_BINS    += $(BUILD)/tests/rtl/test_rtl_iverilog
ifeq ($(LP_HAVE_VERILATOR)$(LP_VQ_HOST),11)
LP_TEST_BINS    += $(BUILD)/tests/rtl/test_rtl_quant
LP_EXH_BINS     += $(BUILD)/tests/rtl/test_rtl_exhaustive
LP_BENCH_BINS   += $(BUILD)/tests/rtl/bench_rtl_quant
endif

$(LP_RTL_TESTS): $(BUILD)/tests/rtl/%: tests/rtl/%.c tests/rtl/rtl_vectors.h tests/lp_test.h \
  sim/quant/lp_vquant.h $(LP_VQ_DEPS) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VQ_LIBS) $(BUILD)/libhls.a $(LP_VQ_LDLIBS) $(LDLIBS)

# the Icarus run needs only the C model (no Verilator); it finds rtl/ and the testbench
# under LP_SRCDIR
$(BUILD)/tests/rtl/test_rtl_iverilog: tests/rtl/test_rtl_iverilog.c tests/rtl/rtl_vectors.h \
  tests/rtl/tb_lp_quant.sv tests/lp_test.h $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -DLP_SRCDIR='"$(abspath .)"' -o $@ $< $(BUILD)/libhls.a $(LDFLAGS) $(LDLIBS)

# the scale units alone (rtl/quant/lp_scale_k.sv, lp_amax.sv) vs lp_scale_k / lp_amax_bits
ifeq ($(LP_HAVE_VERILATOR),1)
LP_TEST_BINS    += $(BUILD)/tests/rtl/test_rtl_scale
endif
$(BUILD)/tests/rtl/test_rtl_scale: tests/rtl/test_rtl_scale.c tests/lp_test.h sim/quant/lp_vscale.h \
  $(LP_VSCALE_LIBS) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VSCALE_LIBS) $(BUILD)/libhls.a -pthread $(LDLIBS)
LP_TEST_SCRIPTS += tests/rtl/test_lint.sh
LP_TEST_SCRIPTS += tests/rtl/test_timing.sh
