# tests/vcard - the virtual card (sim/vcard, lp_vcard.h): a kernel run through the card
# bit-identical to the plain Verilator harness (lp_vkernel) on the same inputs; with an ideal
# memory the kernel's cycles per call equal lp_vkernel's exactly (stalls on and off); the
# connectivity files (constraints/*.cfg and one written by the test) mapped; the protocol
# checkers failing a run on planted violations, their messages asserted; a softmax job on
# the CU's 16-class model against lp_vkernel's 16-class build (skipped, with the reason, in
# a build without them). (lp_vkernel's Classes = 1 build is the reference: LP_VKERNEL_BUILDS
# must hold 1)
ifeq ($(LP_HAVE_VERILATOR)$(LP_VKERNEL_READY)$(LP_HAVE_SYSTEMC)$(filter 1,$(LP_VKERNEL_BUILDS)),1111)
LP_TEST_BINS += $(BUILD)/tests/vcard/test_vcard
LP_BENCH_BINS += $(BUILD)/tests/vcard/bench_vcard
endif

$(BUILD)/tests/vcard/test_vcard $(BUILD)/tests/vcard/bench_vcard: $(BUILD)/tests/vcard/%: tests/vcard/%.c tests/lp_test.h tests/lp_sgd_test.h sim/vcard/lp_vcard.h sim/kernel/lp_vkernel.h \
  $(LP_VCARD_LIBS) $(LP_VKERNEL_LIBS) $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isim -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_VCARD_OBJS) $(LP_VCARD_MODEL) $(LP_VKERNEL_LIBS) $(BUILD)/libhls.a \
	  $(LP_VQ_LDLIBS) $(LP_VCARD_LDLIBS) $(LDLIBS)

# lpsgd train|selftest --backend vcard against --backend csim (skips itself when lpsgd was
# built without the virtual card)
LP_TEST_SCRIPTS += tests/vcard/test_cli_vcard.sh

# the report's arithmetic (host/backend/vcard_report.c): no SystemC needed, every build
# (tests/sgd/tests.mk, included before this file, defines LP_SGD_HOST_OBJS)
LP_TEST_BINS += $(BUILD)/tests/vcard/test_vcard_report
LP_SAN_BINS  += $(BUILD)/tests/vcard/test_vcard_report
# (linked as tests/sgd's test_train is: what lpsgd links but main.o)
$(BUILD)/tests/vcard/test_vcard_report: tests/vcard/test_vcard_report.c tests/lp_test.h $(LP_SGD_HOST_OBJS) \
  $(LP_HOST_OBJS_EXTRA) $(BUILD)/libhls.a $(LP_HOST_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(LP_SGD_HOST_OBJS) $(LP_HOST_OBJS_EXTRA) $(BUILD)/libhls.a $(LP_HOST_LIBS_EXTRA) $(LDLIBS)
