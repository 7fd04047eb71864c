# tests/xrt - the Alveo path without a card:
#   test_xrt_noop      the xrt backend through Debian's XRT on its noop shim (C, also ASan)
#   test_cli_xrt.sh    lpsgd devices / selftest on the noop shim, the user-facing errors
#   test_xclbin_mutate the xclbin reader (host/backend/lp_xclbin.c) on damaged files (also ASan;
#                      needs only xrt's <xclbin.h> for the fixture, links no XRT library)
#   test_vitis_flow.sh kernel.xml + register list from the one table, connectivity configs,
#                      make xclbin's skip message (no Vitis here)
# The first two need XRT (host/backend/xrt.mk sets LP_HAVE_XRT); test_valgrind_xrt.sh runs
# the C test under valgrind when valgrind is installed.
LP_XRT_TEST_OBJS = $(filter-out $(BUILD)/obj/host/main.o,$(LP_HOST_OBJS)) $(LP_HOST_OBJS_EXTRA)

export GEN_KERNEL_XML ?= $(abspath $(BUILD)/vitis/gen_kernel_xml)
test-build: $(BUILD)/vitis/gen_kernel_xml
LP_TEST_SCRIPTS += tests/xrt/test_vitis_flow.sh

ifeq ($(LP_HAVE_XRT),1)
$(BUILD)/tests/xrt/test_xrt_noop: tests/xrt/test_xrt_noop.c tests/xrt/lp_xclbin_fixture.h \
		scripts/vitis/lp_kernel_xml.h $(LP_XRT_TEST_OBJS) $(BUILD)/libhls.a tests/lp_test.h | $(BUILD)/xrt/lib
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests -Itests/xrt -Iscripts/vitis -I$(LP_XRT_INC) $(CFLAGS) -o $@ $< \
		$(LP_XRT_TEST_OBJS) $(BUILD)/libhls.a $(LDFLAGS) $(LP_HOST_LIBS_EXTRA) $(LDLIBS) -lstdc++

$(BUILD)/tests/xrt/make_xclbin: tests/xrt/make_xclbin.c tests/xrt/lp_xclbin_fixture.h scripts/vitis/lp_kernel_xml.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/xrt -Iscripts/vitis -I$(LP_XRT_INC) $(CFLAGS) -o $@ $< $(LDFLAGS)

$(BUILD)/tests/xrt/test_xclbin_mutate: tests/xrt/test_xclbin_mutate.c tests/xrt/lp_xclbin_fixture.h \
		scripts/vitis/lp_kernel_xml.h host/backend/lp_xclbin.c host/backend/lp_xclbin.h tests/lp_test.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests -Itests/xrt -Iscripts/vitis -I$(LP_XRT_INC) $(CFLAGS) -o $@ $< host/backend/lp_xclbin.c $(LDFLAGS)

export MAKE_XCLBIN ?= $(abspath $(BUILD)/tests/xrt/make_xclbin)
test-build: $(BUILD)/tests/xrt/make_xclbin
LP_TEST_BINS    += $(BUILD)/tests/xrt/test_xrt_noop $(BUILD)/tests/xrt/test_xclbin_mutate
LP_SAN_BINS     += $(BUILD)/tests/xrt/test_xrt_noop $(BUILD)/tests/xrt/test_xclbin_mutate
LP_TEST_SCRIPTS += tests/xrt/test_cli_xrt.sh tests/xrt/test_valgrind_xrt.sh
endif
