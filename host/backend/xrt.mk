# host/backend/xrt.mk - how the xrt backend finds XRT. Included by host/host.mk.
#
# Two layouts build:
#   Xilinx's XRT on a card host: XILINX_XRT=/opt/xilinx/xrt (source its setup.sh):
#     headers in $XILINX_XRT/include, libraries in $XILINX_XRT/lib.
#   Debian's libxrt-dev 2.13 (CI, hosts without a card): headers in /usr/include/xrt,
#     libraries in the multiarch directory. Its xrt.pc has a doubled prefix (/usr//usr), so
#     pkg-config is not used. XRT loads its shims from $XILINX_XRT/lib, which Debian does not
#     provide: $(BUILD)/xrt/lib links to the multiarch directory and lpsgd uses $(BUILD)/xrt
#     when XILINX_XRT is unset (host/backend/xrt.c, xrt_env).
# Neither present (or no uuid-dev): the backend builds as a stub that says what to install.
XILINX_XRT ?=
LP_XRT_DEBIAN_INC := /usr/include/xrt
ifneq ($(and $(XILINX_XRT),$(wildcard $(XILINX_XRT)/include/xrt/xrt_device.h)),)
  LP_XRT_INC    := $(XILINX_XRT)/include
  LP_XRT_LIBDIR := $(XILINX_XRT)/lib
  LP_XRT_ROOT   := $(XILINX_XRT)
  LP_XRT_LIBS   := -L$(XILINX_XRT)/lib -Wl,-rpath,$(XILINX_XRT)/lib -lxrt_coreutil -luuid
else ifneq ($(wildcard $(LP_XRT_DEBIAN_INC)/xrt/xrt_device.h),)
  LP_XRT_INC    := $(LP_XRT_DEBIAN_INC)
  LP_XRT_LIBDIR := $(patsubst %/,%,$(dir $(realpath $(shell $(CC) -print-file-name=libxrt_coreutil.so))))
  LP_XRT_ROOT   := $(abspath $(BUILD)/xrt)
  LP_XRT_LIBS   := -lxrt_coreutil -luuid
endif
ifeq ($(wildcard /usr/include/uuid/uuid.h),)
  LP_XRT_INC :=
endif

ifneq ($(LP_XRT_INC),)
LP_HAVE_XRT := 1
$(BUILD)/obj/host/backend/xrt.o $(BUILD)/obj/host/backend/xrt_%.o: CPPFLAGS += -DLP_HAVE_XRT -I$(LP_XRT_INC) -DLP_XRT_ROOT='"$(LP_XRT_ROOT)"'
LP_HOST_LIBS_EXTRA += $(LP_XRT_LIBS)
$(BUILD)/lpsgd: | $(BUILD)/xrt/lib

# Runs go through XRT's C++ API (xrt::run::abort has no C twin in 2.13): host/backend/xrt_run.cpp.
LP_HOST_OBJS_EXTRA += $(BUILD)/obj/host/backend/xrt_run.o
# (host.mk read $(BUILD)/lpsgd's prerequisites before this line: name the object there too)
$(BUILD)/lpsgd: $(BUILD)/obj/host/backend/xrt_run.o
$(BUILD)/obj/host/backend/xrt_run.o: $(BUILD)/stamp/config.cmd
$(BUILD)/obj/host/backend/xrt_run.o: host/backend/xrt_run.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) -isystem $(LP_XRT_INC) $(CXXFLAGS) -c $< -o $@

# XILINX_XRT for Debian's layout (for Xilinx's, a link to $XILINX_XRT/lib: harmless).
$(BUILD)/xrt/lib:
	@mkdir -p $(dir $@)
	ln -sfn $(LP_XRT_LIBDIR) $@
endif
