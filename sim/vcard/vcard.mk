# sim/vcard - the virtual Alveo card (SystemC 2.3 + TLM-2.0, docs/vcard.md) behind
# lp_vcard.h: memory-channel targets, the PCIe DMA engine, the interconnect, and compute
# units that are the kernel top verilated as a SystemC model (`verilator --sc`) attached
# through the shared kernel harness (sim/kernel/lp_kharness.h, the AXI slaves and checks
# lp_vkernel uses).
#   LP_VCARD_BUILDS   the Classes parameters the --sc kernel is verilated with; every CU holds
#                     one model of each (a run uses the smallest with Classes >= its K; the
#                     others stay unclocked). Default: LP_VKERNEL_BUILDS ("1 16": Classes = 1
#                     for least squares, logistic and hinge, 16 for softmax, ~12 CPU-minutes
#                     more to build). With only 1, softmax is refused by name.
# Included from sim/sim.mk after sim/kernel/kernel.mk. Programs link $(LP_VCARD_LIBS).
LP_HAVE_SYSTEMC := $(if $(and $(wildcard /usr/include/systemc.h),$(wildcard /usr/include/tlm.h)),1)
LP_VCARD_BUILDS ?= $(LP_VKERNEL_BUILDS)
$(foreach c,$(LP_VCARD_BUILDS),$(if $(filter $(c),1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16),,\
  $(error LP_VCARD_BUILDS: '$(c)' is not a Classes value 1..16 (e.g. LP_VCARD_BUILDS="1 16"))))
lp_vcard_prefix = Vlp_sgd_sc_k$(1)
lp_vcard_mdir   = $(BUILD)/sim/vcard-k$(1)/$(call lp_vcard_prefix,$(1))
LP_VCARD_DIR    := $(BUILD)/sim/vcard
LP_VCARD_MODEL  := $(foreach c,$(LP_VCARD_BUILDS),$(call lp_vcard_mdir,$(c))/$(call lp_vcard_prefix,$(c))__ALL.a)
LP_VCARD_SRCS   := $(wildcard sim/vcard/*.cpp)
LP_VCARD_OBJS   := $(patsubst sim/vcard/%.cpp,$(LP_VCARD_DIR)/%.o,$(LP_VCARD_SRCS))
LP_VCARD_LIBS   := $(LP_VCARD_OBJS) $(LP_VKERNEL_DIR)/lp_kharness.o $(LP_VCARD_MODEL) \
                   $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o
LP_VCARD_LDLIBS := -lsystemc -pthread

# $(call lp_vcard_build,CLASSES,PREFIX,MDIR): the kernel's flags (sim/sgd/sgd.mk) with a
# SystemC model instead of a C++ one
define lp_vcard_build
LP_VKERNEL_CMD_$(2) := verilator $(subst --cc,--sc,$(LP_VSGD_VFLAGS)) --assert -y rtl/kernel \
  -GClasses=$(1) --top-module lp_sgd -Mdir $(3)/ --prefix $(2) rtl/kernel/lp_sgd.sv
$(3)/$(2)__ALL.a: $(LP_VKERNEL_RTL) $(dir $(3))$(2).cmd
	@rm -rf $(3) && mkdir -p $(3)
	@echo "  VERILATE lp_sgd --sc (Classes = $(1): $(2), a model of the virtual card's compute units)"
	@t0=$$$$(date +%s.%N); $$(LP_VKERNEL_CMD_$(2)) >$(3).log 2>&1 || { cat $(3).log; exit 1; }; touch -d @$$$$t0 $$@
endef
$(foreach c,$(LP_VCARD_BUILDS),$(eval $(call lp_vcard_build,$(c),$(call lp_vcard_prefix,$(c)),$(call lp_vcard_mdir,$(c)))))

# the compute unit is compiled against every model (headers forced in, the (Classes, prefix)
# pairs as LP_VCARD_MODELS for lp_vcard_cu.cpp's model table); the rest against none
LP_VKERNEL_CMD_vcard_builds := $(LP_VCARD_BUILDS)
LP_VCARD_MODEL_FLAGS := $(foreach c,$(LP_VCARD_BUILDS),-I$(call lp_vcard_mdir,$(c)) -include $(call lp_vcard_prefix,$(c)).h) \
  '-DLP_VCARD_MODELS=$(foreach c,$(LP_VCARD_BUILDS),LP_VCARD_MODEL($(c), $(call lp_vcard_prefix,$(c))))'
$(LP_VCARD_DIR)/lp_vcard_cu.o: $(BUILD)/sim/vcard_builds.cmd
$(LP_VCARD_DIR)/lp_vcard_cu.o: LP_VCARD_CU_FLAGS = $(LP_VCARD_MODEL_FLAGS)
$(LP_VCARD_DIR)/%.o: sim/vcard/%.cpp $(wildcard sim/vcard/*.h) sim/kernel/lp_kharness.h sim/kernel/lp_vkernel.h $(LP_VCARD_MODEL)
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Ihls -Isim/kernel -Isim/vcard $(LP_VCARD_CU_FLAGS) \
	  $(LP_VSGD_VINC) -c $< -o $@
