# sim/kernel - the Verilated SGD kernel top (rtl/kernel/lp_sgd.sv with rtl/sgd, rtl/quant,
# rtl/stats, rtl/fpu) behind lp_vkernel.h: AXI memory and s_axi_control modelled in the
# harness. Included from sim/sim.mk. Programs link $(LP_VKERNEL_LIBS) with $(LP_VQ_LDLIBS).
#   LP_VKERNEL_BUILDS      the Classes parameters (max K) the kernel is verilated with, one
#                          model per value, all of them linked into every program (lpsgd,
#                          test_kernel, bench_kernel); a run opens the smallest build with
#                          Classes >= its K (lp_vkernel_open). Default "1 16": Classes = 1 is
#                          the one-output engine (least squares, logistic, hinge), ~14x faster
#                          to simulate than the 16 x 16-lane engine; Classes = 16 adds softmax
#                          with K = 2..16 (and ~12 CPU-minutes of C++ compile).
#                          `make LP_VKERNEL_BUILDS=1` is the quick one-output-only build:
#                          softmax is then refused by name. LP_VKERNEL_CLASSES=N, the old
#                          name, still means LP_VKERNEL_BUILDS=N. The hardware build
#                          (make xclbin) always uses the RTL default, 16.
# The kernel is verilated with --assert: the RTL's simulation assertions (AXI valid/ready
# rules in lp_axi_rd/lp_axi_wr, `ifndef SYNTHESIS) and unique case checks stop a run.
#   LP_VKERNEL_EXTRA       extra verilator arguments placed first (e.g. a -y folder searched
#                          before rtl/, -Wno-fatal); empty by default
#   LP_VKERNEL_EXTRA_OBJS  extra objects linked with the models (e.g. DPI-C functions)
# The kernel needs the units it instantiates (rtl/sgd/lp_sgd_cfg.sv, lp_sgd_scalar.sv and
# the step engine's mu/statistics handshake); LP_VKERNEL_READY says whether they are there.
# Layout: $(BUILD)/sim/kernel-k<N>/<prefix>/ per build, the prefix Vlp_sgd for Classes = 16
# (the RTL default, the kernel of the xclbin) and Vlp_sgd_k<N> for the others (models in
# one program need distinct prefixes); the harness $(BUILD)/sim/kernel/lp_vkernel.o is
# compiled against all of them.
LP_VKERNEL_BUILDS ?= $(or $(LP_VKERNEL_CLASSES),1 16)
$(foreach c,$(LP_VKERNEL_BUILDS),$(if $(filter $(c),1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16),,\
  $(error LP_VKERNEL_BUILDS: '$(c)' is not a Classes value 1..16 (e.g. LP_VKERNEL_BUILDS="1 16"))))
lp_vkernel_prefix = Vlp_sgd$(if $(filter-out 16,$(1)),_k$(1))
lp_vkernel_mdir   = $(BUILD)/sim/kernel-k$(1)/$(call lp_vkernel_prefix,$(1))
LP_VKERNEL_DIR   := $(BUILD)/sim/kernel
LP_VKERNEL_RTL   := $(wildcard rtl/kernel/*.sv rtl/sgd/*.sv rtl/quant/*.sv rtl/stats/*.sv rtl/fpu/*.sv)
LP_VKERNEL_EXTRA ?=
LP_VKERNEL_EXTRA_OBJS ?=
LP_VKERNEL_READY := $(if $(LP_VKERNEL_EXTRA),1,$(if $(and $(wildcard rtl/sgd/lp_sgd_cfg.sv),\
                      $(wildcard rtl/sgd/lp_sgd_scalar.sv),$(shell grep -ls mu_valid_i rtl/sgd/lp_sgd_step.sv)),1))
LP_VKERNEL_MODELS := $(foreach c,$(LP_VKERNEL_BUILDS),$(call lp_vkernel_mdir,$(c))/$(call lp_vkernel_prefix,$(c))__ALL.a)
LP_VKERNEL_LIBS  := $(LP_VKERNEL_DIR)/lp_vkernel.o $(LP_VKERNEL_DIR)/lp_kharness.o $(LP_VKERNEL_MODELS) \
                    $(LP_VQ_DIR)/verilated_fst_c.o $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o \
                    $(if $(LP_VKERNEL_EXTRA_OBJS),$(LP_VKERNEL_EXTRA_OBJS) $(LP_VKERNEL_DIR)/verilated_dpi.o)

# $(BUILD)/sim/NAME.cmd holds the setting $(LP_VKERNEL_CMD_NAME) and is rewritten only
# when it changes: what depends on it rebuilds exactly when its command line does (not when
# a comment in this file does: a 16-class rebuild costs ~12 CPU-minutes)
.PHONY: lp_vkernel_cmd_check
$(BUILD)/sim/%.cmd: lp_vkernel_cmd_check
	@mkdir -p $(dir $@)
	@echo '$(LP_VKERNEL_CMD_$(notdir $*))' | cmp -s - $@ || echo '$(LP_VKERNEL_CMD_$(notdir $*))' >$@

# $(call lp_vkernel_build,CLASSES,PREFIX,MDIR): verilate the kernel top with Classes = CLASSES
define lp_vkernel_build
LP_VKERNEL_CMD_$(2) := verilator $(LP_VKERNEL_EXTRA) $(LP_VSGD_VFLAGS) --assert -y rtl/kernel --trace-fst --trace-depth 2 \
  -GClasses=$(1) --top-module lp_sgd -Mdir $(3)/ --prefix $(2) rtl/kernel/lp_sgd.sv
$(3)/$(2)__ALL.a: $(LP_VKERNEL_RTL) $(dir $(3))$(2).cmd
	@rm -rf $(3) && mkdir -p $(3)
	@echo "  VERILATE lp_sgd (Classes = $(1): $(2), the kernel top)"
	@t0=$$$$(date +%s.%N); $$(LP_VKERNEL_CMD_$(2)) >$(3).log 2>&1 || { cat $(3).log; exit 1; }; touch -d @$$$$t0 $$@
endef
# (the archive gets the time its build started: RTL edited during the few-minute 16-class
# build is newer than it, so the next make rebuilds instead of keeping a model of older RTL;
# the folder starts empty: Verilator names its files by a hash of their content and leaves
# the old ones beside the new, where they read like the model's code but are not compiled)
$(foreach c,$(LP_VKERNEL_BUILDS),$(eval $(call lp_vkernel_build,$(c),$(call lp_vkernel_prefix,$(c)),$(call lp_vkernel_mdir,$(c)))))

# the harness: every model's header forced in (-include) and the list of (Classes, prefix)
# pairs as LP_VKERNEL_MODELS for lp_vkernel.cpp's model table
LP_VKERNEL_CMD_builds := $(LP_VKERNEL_BUILDS)
$(LP_VKERNEL_DIR)/lp_vkernel.o: sim/kernel/lp_vkernel.cpp sim/kernel/lp_vkernel.h sim/kernel/lp_kharness.h sim/lp_vmodel.h $(LP_VKERNEL_MODELS) $(LP_VKERNEL_DIR)/builds.cmd
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Ihls -Isim/kernel \
	  $(foreach c,$(LP_VKERNEL_BUILDS),-I$(call lp_vkernel_mdir,$(c)) -include $(call lp_vkernel_prefix,$(c)).h) \
	  '-DLP_VKERNEL_MODELS=$(foreach c,$(LP_VKERNEL_BUILDS),LP_VKERNEL_MODEL($(c), $(call lp_vkernel_prefix,$(c))))' \
	  $(LP_VSGD_VINC) -c $< -o $@

# the model-independent half of the harness (AXI slaves and checks, AXI4-Lite master, the
# call sequence), shared with the virtual card (sim/vcard)
$(LP_VKERNEL_DIR)/lp_kharness.o: sim/kernel/lp_kharness.cpp sim/kernel/lp_kharness.h sim/kernel/lp_vkernel.h
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Ihls -Isim/kernel -c $< -o $@

$(LP_VKERNEL_DIR)/verilated_dpi.o: /usr/share/verilator/include/verilated_dpi.cpp
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 $(LP_VSGD_VINC) -c $< -o $@

# lpsgd's verilator backend trains through the kernel top (host/backend/verilator_train.c)
# when it is built with the Verilated quantizer (LP_VQ_HOST=1, sim/quant/quant.mk); the
# Verilator runtime objects come with $(LP_VQ_LIBS).
LP_VKERNEL_HOST_OBJS := $(LP_VKERNEL_DIR)/lp_vkernel.o $(LP_VKERNEL_DIR)/lp_kharness.o $(LP_VKERNEL_MODELS) \
                        $(if $(LP_VKERNEL_EXTRA_OBJS),$(LP_VKERNEL_EXTRA_OBJS) $(LP_VKERNEL_DIR)/verilated_dpi.o)
ifeq ($(LP_HAVE_VERILATOR)$(LP_VQ_HOST)$(LP_VKERNEL_READY),111)
LP_HOST_OBJS_EXTRA += $(LP_VKERNEL_HOST_OBJS)
else
$(BUILD)/obj/host/backend/verilator_train.o: CPPFLAGS += -DLP_NO_VERILATOR
endif
