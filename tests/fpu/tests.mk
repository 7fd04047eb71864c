# tests/fpu - the FP units (rtl/fpu) through their Verilator harness (sim/fpu) against the
# C operators, bit for bit. C test programs linked with the harness (C++ runtime).
LP_FPU_TESTS := $(BUILD)/tests/fpu/test_fpu $(BUILD)/tests/fpu/test_fpu_exhaustive
LP_TEST_BINS += $(BUILD)/tests/fpu/test_fpu $(BUILD)/tests/fpu/test_fpu_iverilog
LP_EXH_BINS  += $(BUILD)/tests/fpu/test_fpu_exhaustive

$(LP_FPU_TESTS): $(BUILD)/tests/fpu/%: tests/fpu/%.c tests/fpu/fpu_check.h \
  tests/fpu/fpu_runner.h tests/lp_test.h sim/fpu/lp_fpu_sim.h $(LP_FPU_SIM_DEPS)
	@mkdir -p $(dir $@)
	$(CC) -Ihls -Itests -Isim $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_FPU_SIM_LIBS)

# the Icarus run needs only the C references (no Verilator); it finds rtl/ and the
# testbench under LP_SRCDIR
$(BUILD)/tests/fpu/test_fpu_iverilog: tests/fpu/test_fpu_iverilog.c tests/fpu/fpu_check.h \
  tests/fpu/tb_lp_fpu.sv tests/lp_test.h
	@mkdir -p $(dir $@)
	$(CC) -Ihls -Itests -Isim $(CFLAGS) -DLP_SRCDIR='"$(abspath .)"' -o $@ $<
