# sim/sgd - the Verilated SGD datapath (rtl/sgd with rtl/fpu, rtl/quant, rtl/stats) behind
# C ABIs. Included from sim/sim.mk.
#   Vlp_sgd_dot   lp_sgd_dot, Classes = 16 (lp_vsgd_dot.h): the dot-product engine
# Programs link $(LP_VSGD_DOT_LIBS) (with $(CXX)).
LP_VSGD_DIR   := $(BUILD)/sim/sgd
LP_VSGD_RTL   := $(wildcard rtl/sgd/*.sv rtl/quant/*.sv rtl/stats/*.sv rtl/fpu/*.sv)
LP_VSGD_VINC  := -isystem /usr/share/verilator/include -isystem /usr/share/verilator/include/vltstd
# LP_VCXX compiles the C++ of these models and of the kernel tops (sim/kernel, sim/vcard):
# clang++ where it is installed (deps.sh's test set has it), $(CXX) otherwise. The models
# are integer code, the same bits either way; clang 14's build of Verilator's output ran
# the kernel top 10-15 % (Classes = 1) and ~40 % (Classes = 16) more cycles per CPU second
# than gcc 12's, and compiled the 16-class model in a fraction of the time (docs/vcard.md,
# "Simulation speed"). Objects from both link with $(CXX): the same libstdc++, and for
# clang gcc 12's default language, gnu++17 (libsystemc checks the C++ standard at link).
LP_VCXX ?= $(if $(shell command -v clang++ 2>/dev/null),clang++,$(CXX))
LP_VCXX_FLAGS := $(if $(findstring clang,$(LP_VCXX)),-std=gnu++17 -Wno-parentheses-equality)
LP_VSGD_VFLAGS := --cc --build -O3 -Wall --x-assign fast --x-initial fast --inline-mult 1 \
                  -y rtl/sgd -y rtl/quant -y rtl/stats -y rtl/fpu \
                  -CFLAGS "-O2 -fno-fast-math $(LP_VCXX_FLAGS)" \
                  -MAKEFLAGS "-s CXX=$(LP_VCXX) OPT_FAST=-O2 OPT_SLOW=-O0"
LP_VSGD_DOT_LIBS := $(LP_VSGD_DIR)/lp_vsgd_dot.o $(LP_VSGD_DIR)/Vlp_sgd_dot/Vlp_sgd_dot__ALL.a \
                    $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o -pthread

$(LP_VSGD_DIR)/Vlp_sgd_dot/Vlp_sgd_dot__ALL.a: rtl/sgd/lp_sgd_dot.sv rtl/stats/lp_red_fold.sv $(wildcard rtl/fpu/*.sv)
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	@echo "  VERILATE lp_sgd_dot (Vlp_sgd_dot)"
	@verilator $(LP_VSGD_VFLAGS) --top-module lp_sgd_dot -Mdir $(dir $@) --prefix Vlp_sgd_dot \
	  rtl/sgd/lp_sgd_dot.sv >$(LP_VSGD_DIR)/Vlp_sgd_dot.log 2>&1 || { cat $(LP_VSGD_DIR)/Vlp_sgd_dot.log; exit 1; }

$(LP_VSGD_DIR)/lp_vsgd_dot.o: sim/sgd/lp_vsgd_dot.cpp sim/lp_vmodel.h sim/sgd/lp_vsgd_dot.h $(LP_VSGD_DIR)/Vlp_sgd_dot/Vlp_sgd_dot__ALL.a
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Isim/sgd -I$(LP_VSGD_DIR)/Vlp_sgd_dot \
	  $(LP_VSGD_VINC) -c $< -o $@

#   Vlp_sgd_step  lp_sgd_step (lp_vsgd.h): one SGD step, FST tracing compiled in, built with
#                 Classes = $(LP_VSGD_CLASSES): 1 (default) is the fast K = 1 engine; 16 runs
#                 softmax too but simulates ~14x slower (docs/rtl-sgd.md). Programs link
#                 $(LP_VSGD_LIBS) with $(LP_VQ_LDLIBS).
LP_VSGD_CLASSES ?= 1
LP_VSGD_LIBS := $(LP_VSGD_DIR)/lp_vsgd.o $(LP_VSGD_DIR)/Vlp_sgd_step/Vlp_sgd_step__ALL.a \
                $(LP_VQ_DIR)/verilated_fst_c.o $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o

$(LP_VSGD_DIR)/Vlp_sgd_step/Vlp_sgd_step__ALL.a: $(LP_VSGD_RTL) sim/sgd/sgd.mk
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	@echo "  VERILATE lp_sgd_step (Vlp_sgd_step)"
	@verilator $(LP_VSGD_VFLAGS) --trace-fst --trace-depth 2 --top-module lp_sgd_step -Mdir $(dir $@) \
	  -GClasses=$(LP_VSGD_CLASSES) --prefix Vlp_sgd_step rtl/sgd/lp_sgd_step.sv >$(LP_VSGD_DIR)/Vlp_sgd_step.log 2>&1 \
	  || { cat $(LP_VSGD_DIR)/Vlp_sgd_step.log; exit 1; }

$(LP_VSGD_DIR)/lp_vsgd.o: sim/sgd/lp_vsgd.cpp sim/lp_vmodel.h sim/sgd/lp_vsgd.h sim/quant/lp_vq_regs.h $(LP_VSGD_DIR)/Vlp_sgd_step/Vlp_sgd_step__ALL.a
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Ihls -Isim/sgd -I$(LP_VSGD_DIR)/Vlp_sgd_step \
	  -DLP_VSGD_CLASSES=$(LP_VSGD_CLASSES) $(LP_VSGD_VINC) -c $< -o $@

# (lpsgd's verilator backend trains through the whole kernel top: sim/kernel/kernel.mk)

#   Vlp_sgd_exp, Vlp_sgd_sigmoid  the exp and sigmoid pipelines (lp_vsgd_math.h)
LP_VSGD_MATH_LIBS := $(LP_VSGD_DIR)/lp_vsgd_math.o $(LP_VSGD_DIR)/Vlp_sgd_exp/Vlp_sgd_exp__ALL.a \
                     $(LP_VSGD_DIR)/Vlp_sgd_sigmoid/Vlp_sgd_sigmoid__ALL.a \
                     $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o

# $(call lp_vsgd_unit,MODULE): verilate rtl/sgd/MODULE.sv into $(LP_VSGD_DIR)/VMODULE/
define lp_vsgd_unit
$$(LP_VSGD_DIR)/V$(1)/V$(1)__ALL.a: rtl/sgd/$(1).sv rtl/sgd/lp_sgd_exp.sv $$(wildcard rtl/fpu/*.sv) sim/sgd/sgd.mk
	@rm -rf $$(dir $$@) && mkdir -p $$(dir $$@)
	@echo "  VERILATE $(1) (V$(1))"
	@verilator $$(LP_VSGD_VFLAGS) --top-module $(1) -Mdir $$(dir $$@) --prefix V$(1) rtl/sgd/$(1).sv \
	  >$$(LP_VSGD_DIR)/V$(1).log 2>&1 || { cat $$(LP_VSGD_DIR)/V$(1).log; exit 1; }
endef
$(eval $(call lp_vsgd_unit,lp_sgd_exp))
$(eval $(call lp_vsgd_unit,lp_sgd_sigmoid))

$(LP_VSGD_DIR)/lp_vsgd_math.o: sim/sgd/lp_vsgd_math.cpp sim/lp_vmodel.h sim/sgd/lp_vsgd_math.h \
  $(LP_VSGD_DIR)/Vlp_sgd_exp/Vlp_sgd_exp__ALL.a $(LP_VSGD_DIR)/Vlp_sgd_sigmoid/Vlp_sgd_sigmoid__ALL.a
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Isim/sgd -I$(LP_VSGD_DIR)/Vlp_sgd_exp \
	  -I$(LP_VSGD_DIR)/Vlp_sgd_sigmoid $(LP_VSGD_VINC) -c $< -o $@

#   Vlp_sgd_scalar  the scalar unit: stepsize schedules + compensation (lp_vsgd_scalar.h)
#   Vlp_sgd_cfg     the configuration unit: lp_sgd_check_cfg + lp_format_derive (lp_vsgd_cfg.h)
LP_VSGD_SCALAR_LIBS := $(LP_VSGD_DIR)/lp_vsgd_scalar.o $(LP_VSGD_DIR)/Vlp_sgd_scalar/Vlp_sgd_scalar__ALL.a \
                       $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o
LP_VSGD_CFG_LIBS := $(LP_VSGD_DIR)/lp_vsgd_cfg.o $(LP_VSGD_DIR)/Vlp_sgd_cfg/Vlp_sgd_cfg__ALL.a \
                    $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o

$(LP_VSGD_DIR)/Vlp_sgd_scalar/Vlp_sgd_scalar__ALL.a: rtl/sgd/lp_sgd_scalar.sv $(wildcard rtl/fpu/*.sv) sim/sgd/sgd.mk
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	@echo "  VERILATE lp_sgd_scalar (Vlp_sgd_scalar)"
	@verilator $(LP_VSGD_VFLAGS) --top-module lp_sgd_scalar -Mdir $(dir $@) --prefix Vlp_sgd_scalar \
	  rtl/sgd/lp_sgd_scalar.sv >$(LP_VSGD_DIR)/Vlp_sgd_scalar.log 2>&1 || { cat $(LP_VSGD_DIR)/Vlp_sgd_scalar.log; exit 1; }

$(LP_VSGD_DIR)/Vlp_sgd_cfg/Vlp_sgd_cfg__ALL.a: rtl/sgd/lp_sgd_cfg.sv rtl/quant/lp_f32_pack.sv rtl/quant/lp_msb.sv sim/sgd/sgd.mk
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	@echo "  VERILATE lp_sgd_cfg (Vlp_sgd_cfg)"
	@verilator $(LP_VSGD_VFLAGS) --top-module lp_sgd_cfg -Mdir $(dir $@) --prefix Vlp_sgd_cfg \
	  rtl/sgd/lp_sgd_cfg.sv >$(LP_VSGD_DIR)/Vlp_sgd_cfg.log 2>&1 || { cat $(LP_VSGD_DIR)/Vlp_sgd_cfg.log; exit 1; }

$(LP_VSGD_DIR)/lp_vsgd_scalar.o: sim/sgd/lp_vsgd_scalar.cpp sim/lp_vmodel.h sim/sgd/lp_vsgd_scalar.h sim/sgd/lp_vsgd_clock.h \
  $(LP_VSGD_DIR)/Vlp_sgd_scalar/Vlp_sgd_scalar__ALL.a
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Isim/sgd -I$(LP_VSGD_DIR)/Vlp_sgd_scalar \
	  $(LP_VSGD_VINC) -c $< -o $@

$(LP_VSGD_DIR)/lp_vsgd_cfg.o: sim/sgd/lp_vsgd_cfg.cpp sim/lp_vmodel.h sim/sgd/lp_vsgd_cfg.h sim/sgd/lp_vsgd_clock.h \
  $(LP_VSGD_DIR)/Vlp_sgd_cfg/Vlp_sgd_cfg__ALL.a
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Isim/sgd -I$(LP_VSGD_DIR)/Vlp_sgd_cfg \
	  $(LP_VSGD_VINC) -c $< -o $@
