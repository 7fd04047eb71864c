# tests/sgd_rtl - the RTL SGD datapath (rtl/sgd) against the C kernel (hls/sgd), bit for
# bit, through the Verilator harnesses of sim/sgd.
LP_SGD_RTL_TESTS := $(BUILD)/tests/sgd_rtl/test_rtl_dot
ifeq ($(LP_HAVE_VERILATOR),1)
LP_TEST_BINS += $(LP_SGD_RTL_TESTS)
endif

$(BUILD)/tests/sgd_rtl/test_rtl_dot: tests/sgd_rtl/test_rtl_dot.c tests/lp_test.h sim/sgd/lp_vsgd_dot.h \
  $(filter-out -pthread,$(LP_VSGD_DOT_LIBS)) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isim -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VSGD_DOT_LIBS) $(BUILD)/libhls.a $(LDLIBS)

