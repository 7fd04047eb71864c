# rtl/ - hand-written SystemVerilog of the datapath.
#
# `make lint`: verilator --lint-only -Wall on every rtl/*/*.sv as the top module (default
# parameters), with every rtl/*/ folder as a library (-y) folder and every rtl/*/*_pkg.sv
# read first; then each parameter variant an area lists in its rtl/<area>/lint.mk as
#   LP_LINT_VARIANTS += <module>:<Param>=<value>[,<Param>=<value>...]
# Every file is linted; the target fails if any one does (tests/rtl/test_lint.sh).
LP_RTL_SRCS      := $(sort $(wildcard rtl/*/*.sv))
LP_RTL_PKGS      := $(filter %_pkg.sv,$(LP_RTL_SRCS))
LP_RTL_LIBDIRS   := $(sort $(patsubst %/,%,$(dir $(LP_RTL_SRCS))))
LP_LINT_VARIANTS :=
LP_LINT          := verilator --lint-only -Wall $(LP_RTL_LIBDIRS:%=-y %) $(LP_RTL_PKGS)

-include $(sort $(wildcard rtl/*/lint.mk))

# the checks themselves live in tests/rtl/test_lint.sh, which make test runs too
export LP_LINT
export LP_LINT_FILES = $(filter-out $(LP_RTL_PKGS),$(LP_RTL_SRCS))
export LP_LINT_VARIANTS
# make lint: this RTL lint and hlslint over the kernel C (lint-hls, scripts/hlslint/hlslint.mk),
# both run (-k) after the dependency step; it fails if either does.
.PHONY: lint-rtl
lint:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory -k -O lint-rtl lint-hls
lint-rtl:
	@LPSGD=- tests/rtl/test_lint.sh

# `make resources`: Yosys synth_xilinx (UltraScale+) estimates of one quantizer lane per
# datapath width and of the run-time-configurable lane, then of the whole SGD kernel per
# format (hierarchical synthesis; scripts/resources.sh, docs/rtl.md); the format parameters
# come from the C model (sim/quant/lp_fmt_params.c). LP_RES=lanes or LP_RES=kernel runs
# one part (kernel reuses the lanes' table of an earlier run).
$(BUILD)/resources/lp_fmt_params: sim/quant/lp_fmt_params.c $(BUILD)/libhls.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libhls.a $(LDFLAGS) $(LDLIBS)

resources: $(BUILD)/resources/lp_fmt_params
	@scripts/deps.sh test
	@scripts/resources.sh $(BUILD) $(BUILD)/resources/lp_fmt_params $(LP_RES)

# `make resources-top`: only the run-time-configurable Vitis kernel top (rtl/kernel/lp_sgd.sv,
# Classes = 16, hierarchical synthesis as in `make resources`; scripts/resources.sh part
# `top`) -> $(BUILD)/resources/top.{csv,md}; LP_TOP_VARIANTS="Classes=1" adds parameter
# variants of the top (one synthesis each).
.PHONY: resources-top
resources-top:
	@scripts/deps.sh test
	@LP_TOP_VARIANTS="$(LP_TOP_VARIANTS)" scripts/resources.sh $(BUILD) - top

# `make timing`: the logic depth of every module (scripts/timing.sh, docs/rtl.md): each
# rtl/*/*.sv as the top with default parameters, then the LP_LINT_VARIANTS above, each
# synthesized flattened (synth_xilinx -family xcup) and walked by scripts/lp_depth.py;
# -> $(BUILD)/timing/timing.{csv,md}; fails when a path exceeds LP_TIMING_BUDGET levels.
# LP_TIMING=mod1,mod2 selects modules (or exact <module>:<Param>=<value> entries);
# LP_TIMING=slow runs only the LP_TIMING_SLOW entries (the kernel top and the big engines:
# flattened they would take hours, so they are synthesized hierarchically - the netlist of
# `make resources-top` - and walked through their instances; tens of minutes; left out by
# default), LP_TIMING=all everything.
# LP_TIMING_SLOW: synthesized hierarchically and left out by default (LP_TIMING=slow).
# LP_TIMING_NOCHECK: reported, not held to the budget - the lint variants without any
# register stage (Latency=0: combinational by construction; in a design their paths are
# part of the parent's row).
LP_COMMA          := ,
LP_TIMING_BUDGET  ?= 8
LP_TIMING_SLOW    ?= lp_sgd lp_sgd_ctrl lp_sgd_step lp_sgd_dot lp_quant_stream lp_stats lp_stats_fold lp_red_fold
LP_TIMING_NOCHECK ?= $(filter %:Latency=0 %:AddLatency=0$(LP_COMMA)MulLatency=0$(LP_COMMA)DivLatency=0$(LP_COMMA)CvtLatency=0$(LP_COMMA)CmpLatency=0,$(LP_LINT_VARIANTS))
.PHONY: timing
timing:
	@scripts/deps.sh test
	@LP_TIMING_ENTRIES="$(basename $(notdir $(LP_LINT_FILES))) $(LP_LINT_VARIANTS)" \
	  LP_TIMING_SLOW="$(LP_TIMING_SLOW)" LP_TIMING_NOCHECK="$(LP_TIMING_NOCHECK)" LP_TIMING="$(LP_TIMING)" \
	  LP_TIMING_BUDGET="$(LP_TIMING_BUDGET)" scripts/timing.sh $(BUILD)
