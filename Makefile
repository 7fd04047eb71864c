# lpsgd - top-level Makefile.  `make help` lists the targets.
#
# Every area has its own fragment (hls/hls.mk, host/host.mk, sim/sim.mk, rtl/rtl.mk,
# tests/tests.mk, ...); this file holds the shared flags and the user-facing targets.

CC       ?= gcc
CXX      ?= g++
BUILD    ?= build
# Vitis flow (make xclbin): TARGET = hw | hw_emu | sw_emu, PLATFORM = an installed .xpfm
TARGET   ?= hw
PLATFORM ?= xilinx_u250_gen3x16_xdma_4_1_202210_1

# docs/design.md contract 5: IEEE binary32, separate multiply and add, no fast math.
FPFLAGS  := -ffp-contract=off -fno-fast-math
WARN     := -Wall -Wextra -Werror
OPT      ?= -O2
SAN      ?=
ifneq ($(SAN),)
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
CPPFLAGS += -Ihls -Ihost -MMD -MP
CFLAGS   := -std=c11 $(WARN) $(FPFLAGS) $(OPT) -g $(SANFLAGS) -D_POSIX_C_SOURCE=200809L
CXXFLAGS := -std=c++17 $(WARN) $(FPFLAGS) $(OPT) -g $(SANFLAGS)
LDFLAGS  += $(SANFLAGS)
LDLIBS   += -lm -lz -linih

.DEFAULT_GOAL := all
.PHONY: all deps test test-exhaustive demo bench resources resources-top timing lint help clean fuzz

# Fragments add to these:
LP_HOST_OBJS_EXTRA :=   # objects linked into build/lpsgd by optional backends
LP_HOST_LIBS_EXTRA :=   # libraries for them
LP_HOST_DEPS       :=   # prerequisites built before linking build/lpsgd




# Every object depends on the build's configuration stamp (below): an object compiled
# without Verilator or XRT is rebuilt once they are installed, and one compiled with other
# flags is rebuilt when they change.
$(BUILD)/obj/%.o: %.c $(BUILD)/stamp/config.cmd
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

include hls/hls.mk
include sim/sim.mk
include host/host.mk
include rtl/rtl.mk
include scripts/hlslint/hlslint.mk
include tests/tests.mk
-include constraints/xclbin.mk

all: $(BUILD)/lpsgd

# $(BUILD)/stamp/NAME.cmd holds $(LP_STAMP_NAME) and is rewritten only when that changes,
# so what depends on it rebuilds exactly when the setting does. config: what decides how
# the C objects compile and which backends lpsgd links (read after every fragment set it).
LP_STAMP_config = $(CC) $(CPPFLAGS) $(CFLAGS) | verilator=$(LP_HAVE_VERILATOR) vq=$(LP_VQ_HOST) \
  vkernel=$(LP_VKERNEL_READY):$(LP_VKERNEL_BUILDS) xrt=$(LP_HAVE_XRT):$(LP_XRT_INC) \
  opencl=$(LP_HAVE_OPENCL):$(LP_OPENCL_CL) systemc=$(LP_HAVE_SYSTEMC)
.PHONY: lp_stamp_check
.PRECIOUS: $(BUILD)/stamp/%.cmd
$(BUILD)/stamp/%.cmd: lp_stamp_check
	@mkdir -p $(dir $@)
	@echo '$(LP_STAMP_$*)' | cmp -s - $@ || echo '$(LP_STAMP_$*)' >$@

deps:
	@scripts/deps.sh all

# The user-facing targets that need packages install them first and then run a new make:
# which backends and suites exist is decided when make reads the fragments (command -v
# verilator, XRT's headers), so that must happen after the install, not before.

# make demo: the shrinkage table and picture (scripts/demo-shrink.sh), then the training demo;
# the build runs on every core (lpsgd links the two Verilated kernels: ~20 CPU-minutes fresh).
demo:
	@scripts/deps.sh demo
	@$(MAKE) --no-print-directory -j$$(nproc) all
	@LPSGD=$(abspath $(BUILD)/lpsgd) scripts/demo-shrink.sh
	@LPSGD=$(abspath $(BUILD)/lpsgd) scripts/demo-train.sh

help:
	@echo "make            build build/lpsgd"
	@echo "make deps       install the Debian packages lpsgd needs (idempotent)"
	@echo "make test       unit, oracle, RTL-vs-C and CLI tests (also under ASan/UBSan)"
	@echo "make test-exhaustive  all 2^32 FP32 inputs per <= 8-bit format, C and RTL"
	@echo "make demo       the main job on the embedded default data (Fashion-MNIST)"
	@echo "make bench      throughput figures, each beside a peer measured in the same run"
	@echo "make fuzz       libFuzzer on the .npy, data and xclbin parsers, FUZZ_TIME s each (default 60)"
	@echo "make resources  Yosys synth_xilinx estimates per datapath width"
	@echo "make resources-top  the configurable kernel top alone -> build/resources/top.csv (LP_TOP_VARIANTS=Classes=1 adds that build)"
	@echo "make timing     logic depth per RTL module (LUT+CARRY levels, worst path), fails over LP_TIMING_BUDGET=8;"
	@echo "                LP_TIMING=mod1,mod2 selects, LP_TIMING=slow the big modules (lp_sgd ...), LP_TIMING=all both"
	@echo "make lint       Verilator --lint-only -Wall over rtl/, hlslint (Vitis HLS rules) over the kernel C"
	@echo "make xclbin TARGET=hw|hw_emu|sw_emu PLATFORM=... [KERNEL=rtl|hls]  Vitis build (needs v++; default the RTL kernel)"

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
