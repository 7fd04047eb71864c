# tests/kernel - the RTL kernel top (rtl/kernel/lp_sgd.sv) through the Verilator harness of
# sim/kernel (AXI memory and s_axi_control modelled) against the C kernel, bit for bit.
# Built when Verilator is installed and the units the top instantiates exist
# (LP_VKERNEL_READY, sim/kernel/kernel.mk).
ifeq ($(LP_HAVE_VERILATOR)$(LP_VKERNEL_READY),11)
LP_TEST_BINS += $(BUILD)/tests/kernel/test_kernel
endif

$(BUILD)/tests/kernel/test_kernel: tests/kernel/test_kernel.c tests/lp_test.h tests/lp_sgd_test.h sim/kernel/lp_vkernel.h \
  $(LP_VKERNEL_LIBS) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isim -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VKERNEL_LIBS) $(BUILD)/libhls.a $(LP_VQ_LDLIBS) $(LDLIBS)

# make bench: cycles per step through the kernel top vs the step engine alone
ifeq ($(LP_HAVE_VERILATOR)$(LP_VKERNEL_READY),11)
LP_BENCH_BINS += $(BUILD)/tests/kernel/bench_kernel
endif
LP_VKERNEL_BENCH_LIBS := $(LP_VKERNEL_LIBS) $(filter-out $(LP_VKERNEL_LIBS),$(LP_VSGD_LIBS))
$(BUILD)/tests/kernel/bench_kernel: tests/kernel/bench_kernel.c tests/lp_test.h tests/lp_sgd_test.h sim/kernel/lp_vkernel.h \
  sim/sgd/lp_vsgd.h $(LP_VKERNEL_BENCH_LIBS) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isim -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VKERNEL_BENCH_LIBS) $(BUILD)/libhls.a $(LP_VQ_LDLIBS) $(LDLIBS)
