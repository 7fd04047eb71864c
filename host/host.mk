# host/ - the lpsgd program.  Backends that need optional libraries (verilator, xrt) add
# their objects through LP_HOST_OBJS_EXTRA / LP_HOST_LIBS_EXTRA from their own fragments.
LP_HOST_SRCS := $(sort $(wildcard host/*.c host/*/*.c))
LP_HOST_OBJS := $(LP_HOST_SRCS:%.c=$(BUILD)/obj/%.o)

$(BUILD)/lpsgd: $(LP_HOST_OBJS) $(BUILD)/libhls.a $(LP_HOST_OBJS_EXTRA) $(LP_HOST_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(LP_HOST_OBJS) $(LP_HOST_OBJS_EXTRA) $(BUILD)/libhls.a $(LP_HOST_LIBS_EXTRA) $(LDLIBS)
include host/backend/xrt.mk
include host/backend/opencl.mk
include host/backend/vcard.mk
