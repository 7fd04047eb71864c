# host/ - the lpsgd program.  Backends that need optional libraries (verilator, xrt) add
# their objects through LP_HOST_OBJS_EXTRA / LP_HOST_LIBS_EXTRA from their own fragments.
LP_HOST_SRCS := $(sort $(wildcard host/*.c host/*/*.c))
LP_HOST_OBJS := $(LP_HOST_SRCS:%.c=$(BUILD)/obj/%.o)

$(BUILD)/lpsgd: $(LP_HOST_OBJS) $(BUILD)/libhls.a $(LP_HOST_OBJS_EXTRA) $(LP_HOST_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(LP_HOST_OBJS) $(LP_HOST_OBJS_EXTRA) $(BUILD)/libhls.a $(LP_HOST_LIBS_EXTRA) $(LDLIBS)
include host/backend/xrt.mk
include host/backend/opencl.mk
include host/backend/vcard.mk

# lp_io.c's code packer (lp_io_codes_put: one narrowing store per code) is written for the
# vectorizer, which gcc runs at -O2 only under its "very cheap" cost model: compiled as the
# vector-unit files of hls/hls.mk are (LP_VEC_CFLAGS; integer loops here, and no FP
# reassociation either way). A 1 GiB fp8 quantize --codes: 0.51 -> 0.46 s.
$(BUILD)/obj/host/io/lp_io.o: host/io/lp_io.c host/host.mk $(BUILD)/stamp/config.cmd
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LP_VEC_CFLAGS) -c $< -o $@
