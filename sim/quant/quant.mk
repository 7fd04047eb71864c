# sim/quant - the Verilated stream quantizer (rtl/quant, rtl/stats, rtl/fpu) behind the C
# ABI of sim/quant/lp_vquant.h. Included from sim/sim.mk. Two builds of lp_quant_stream:
#   Vlp_quant      with the FP32 sums of the statistics, FST tracing compiled in
#   Vlp_quant_cnt  StatsSums=0: counts only (the exhaustive runs)
# Programs link $(LP_VQ_LIBS) (with $(CXX)) and depend on $(LP_VQ_DEPS). lpsgd gets them
# through LP_HOST_OBJS_EXTRA / LP_HOST_LIBS_EXTRA; without verilator on PATH the backend
# is built as a stub that says how to get it.
LP_VQ_DIR   := $(BUILD)/sim/quant
LP_VQ_RTL   := $(wildcard rtl/quant/*.sv rtl/stats/*.sv rtl/fpu/*.sv)
LP_VQ_VINC  := -isystem /usr/share/verilator/include -isystem /usr/share/verilator/include/vltstd
# --inline-mult 1: the 144 FP units stay modules (4x less C++ to compile than inlined)
LP_VQ_VFLAGS := --cc --build -O3 -Wall --x-assign fast --x-initial fast --inline-mult 1 \
                -y rtl/quant -y rtl/stats -y rtl/fpu --top-module lp_quant_stream \
                -CFLAGS "-O2 -fno-fast-math" -MAKEFLAGS "-s OPT_FAST=-O2 OPT_SLOW=-O0"
LP_VQ_LIBS  := $(LP_VQ_DIR)/lp_vquant.o $(LP_VQ_DIR)/Vlp_quant/Vlp_quant__ALL.a \
               $(LP_VQ_DIR)/Vlp_quant_cnt/Vlp_quant_cnt__ALL.a $(LP_VQ_DIR)/verilated_fst_c.o \
               $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o
LP_VQ_DEPS  := $(LP_VQ_LIBS)
LP_VQ_LDLIBS := -lz -pthread
# the backend in lpsgd (not in the ASan/UBSan build: Verilated code under the sanitizers
# is slow and tests nothing of ours; there the backend says it is not built)
LP_VQ_HOST ?= $(if $(SAN),0,1)
LP_HAVE_VERILATOR := $(shell command -v verilator >/dev/null 2>&1 && echo 1)

ifeq ($(LP_HAVE_VERILATOR)$(LP_VQ_HOST),11)
LP_HOST_OBJS_EXTRA += $(LP_VQ_LIBS)
LP_HOST_LIBS_EXTRA += $(LP_VQ_LDLIBS)
else
$(BUILD)/obj/host/backend/verilator.o: CPPFLAGS += -DLP_NO_VERILATOR
endif

$(LP_VQ_DIR)/Vlp_quant/Vlp_quant__ALL.a: $(LP_VQ_RTL) sim/quant/quant.mk
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	@echo "  VERILATE lp_quant_stream (Vlp_quant)"
	+@verilator $(LP_VQ_VFLAGS) --trace-fst --trace-depth 3 -Mdir $(dir $@) --prefix Vlp_quant \
	  rtl/quant/lp_quant_stream.sv >$(LP_VQ_DIR)/Vlp_quant.log 2>&1 || { cat $(LP_VQ_DIR)/Vlp_quant.log; exit 1; }

$(LP_VQ_DIR)/Vlp_quant_cnt/Vlp_quant_cnt__ALL.a: $(LP_VQ_RTL) sim/quant/quant.mk
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	@echo "  VERILATE lp_quant_stream StatsSums=0 (Vlp_quant_cnt)"
	+@verilator $(LP_VQ_VFLAGS) -GStatsSums=0 -Mdir $(dir $@) --prefix Vlp_quant_cnt \
	  rtl/quant/lp_quant_stream.sv >$(LP_VQ_DIR)/Vlp_quant_cnt.log 2>&1 || { cat $(LP_VQ_DIR)/Vlp_quant_cnt.log; exit 1; }

$(LP_VQ_DIR)/lp_vquant.o: sim/quant/lp_vquant.cpp sim/lp_vmodel.h sim/quant/lp_vquant.h sim/quant/lp_vq_regs.h \
  $(LP_VQ_DIR)/Vlp_quant/Vlp_quant__ALL.a $(LP_VQ_DIR)/Vlp_quant_cnt/Vlp_quant_cnt__ALL.a
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Ihls -I$(LP_VQ_DIR)/Vlp_quant \
	  -I$(LP_VQ_DIR)/Vlp_quant_cnt $(LP_VQ_VINC) -c $< -o $@

$(LP_VQ_DIR)/verilated_fst_c.o: /usr/share/verilator/include/verilated_fst_c.cpp
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 $(LP_VQ_VINC) -c $< -o $@

#   Vlp_scale_k, Vlp_amax  the scale units alone (lp_vscale.h): the scale exponent of
#   every mode and the running amax of a beat stream. Programs link $(LP_VSCALE_LIBS).
LP_VSCALE_VFLAGS := --cc --build -O3 -Wall --x-assign fast --x-initial fast -y rtl/quant \
                    -CFLAGS "-O2 -fno-fast-math" -MAKEFLAGS "-s OPT_FAST=-O2"
LP_VSCALE_LIBS := $(LP_VQ_DIR)/lp_vscale.o $(LP_VQ_DIR)/Vlp_scale_k/Vlp_scale_k__ALL.a \
                  $(LP_VQ_DIR)/Vlp_amax/Vlp_amax__ALL.a $(LP_FPU_DIR)/verilated.o \
                  $(LP_FPU_DIR)/verilated_threads.o

# $(call lp_vq_unit,MODULE): verilate rtl/quant/MODULE.sv into $(LP_VQ_DIR)/VMODULE/
define lp_vq_unit
$$(LP_VQ_DIR)/V$(1)/V$(1)__ALL.a: rtl/quant/$(1).sv rtl/quant/lp_msb.sv sim/quant/quant.mk
	@rm -rf $$(dir $$@) && mkdir -p $$(dir $$@)
	@echo "  VERILATE $(1) (V$(1))"
	@verilator $$(LP_VSCALE_VFLAGS) --top-module $(1) -Mdir $$(dir $$@) --prefix V$(1) rtl/quant/$(1).sv \
	  >$$(LP_VQ_DIR)/V$(1).log 2>&1 || { cat $$(LP_VQ_DIR)/V$(1).log; exit 1; }
endef
$(eval $(call lp_vq_unit,lp_scale_k))
$(eval $(call lp_vq_unit,lp_amax))

$(LP_VQ_DIR)/lp_vscale.o: sim/quant/lp_vscale.cpp sim/lp_vmodel.h sim/quant/lp_vscale.h \
  $(LP_VQ_DIR)/Vlp_scale_k/Vlp_scale_k__ALL.a $(LP_VQ_DIR)/Vlp_amax/Vlp_amax__ALL.a
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Ihls -I$(LP_VQ_DIR)/Vlp_scale_k \
	  -I$(LP_VQ_DIR)/Vlp_amax $(LP_VQ_VINC) -c $< -o $@
