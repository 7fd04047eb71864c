# sim/fpu - Verilated FP units (rtl/fpu) behind the C ABI of sim/fpu/lp_fpu_sim.h.
# Included from sim/sim.mk. Every build in sim/fpu/lp_fpu_models.def (module, Latency)
# is verilated into $(BUILD)/sim/fpu/<module>_L<latency>/; programs depend on
# $(LP_FPU_SIM_DEPS) and link $(LP_FPU_SIM_LIBS) (with $(CXX)).
LP_FPU_DIR    := $(BUILD)/sim/fpu
LP_FPU_MODELS := $(shell sed -n 's/^LP_FPU_MODEL(\([a-z0-9_]*\), *\([0-9]*\)).*/\1_L\2/p' sim/fpu/lp_fpu_models.def)
LP_FPU_RTL    := $(wildcard rtl/fpu/*.sv)
LP_FPU_ARCHS  := $(foreach m,$(LP_FPU_MODELS),$(LP_FPU_DIR)/$(m)/V$(m)__ALL.a)
LP_FPU_SIM_LIBS := $(LP_FPU_DIR)/lp_fpu_sim.o $(LP_FPU_ARCHS) \
                   $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o -pthread
LP_FPU_SIM_DEPS := $(LP_FPU_DIR)/lp_fpu_sim.o $(LP_FPU_DIR)/verilated.o \
                   $(LP_FPU_DIR)/verilated_threads.o $(LP_FPU_MODELS:%=$(LP_FPU_DIR)/%.stamp)
LP_FPU_VINC   := -isystem /usr/share/verilator/include -isystem /usr/share/verilator/include/vltstd
LP_FPU_VFLAGS := --cc --build -O3 -Wall -Wno-fatal --x-assign fast --x-initial fast \
                 -CFLAGS "-O2 -fno-fast-math" -MAKEFLAGS "-s OPT_FAST=-O2"

# $(LP_FPU_DIR)/<module>_L<n>.stamp: verilate and compile one build (module and latency
# are read back from the stem: the part before the last _L is the module)
$(LP_FPU_DIR)/%.stamp: $(LP_FPU_RTL) sim/fpu/fpu.mk
	@rm -rf $(LP_FPU_DIR)/$* && mkdir -p $(LP_FPU_DIR)/$*
	@echo "  VERILATE $*"
	@m=$$(echo $* | sed 's/_L[0-9]*$$//'); l=$$(echo $* | sed 's/.*_L//'); \
	verilator $(LP_FPU_VFLAGS) -Mdir $(LP_FPU_DIR)/$* --prefix V$* -GLatency=$$l \
	  --top-module $$m -y rtl/fpu rtl/fpu/$$m.sv >$(LP_FPU_DIR)/$*.log 2>&1 \
	  || { cat $(LP_FPU_DIR)/$*.log; exit 1; }
	@touch $@

$(LP_FPU_DIR)/lp_fpu_models.h: sim/fpu/lp_fpu_models.def sim/fpu/fpu.mk
	@mkdir -p $(dir $@)
	@for m in $(LP_FPU_MODELS); do echo "#include \"V$$m.h\""; done > $@

$(LP_FPU_DIR)/lp_fpu_sim.o: sim/fpu/lp_fpu_sim.cpp sim/lp_vmodel.h sim/fpu/lp_fpu_sim.h sim/fpu/lp_fpu_models.def \
  $(LP_FPU_DIR)/lp_fpu_models.h $(foreach m,$(LP_FPU_MODELS),$(LP_FPU_DIR)/$(m).stamp)
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra $(FPFLAGS) -Isim/fpu -I$(LP_FPU_DIR) \
	  $(foreach m,$(LP_FPU_MODELS),-I$(LP_FPU_DIR)/$(m)) \
	  $(LP_FPU_VINC) -c $< -o $@

# the Verilator runtime, once for all builds
$(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o: \
  $(LP_FPU_DIR)/%.o: /usr/share/verilator/include/%.cpp
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 $(LP_FPU_VINC) -c $< -o $@
