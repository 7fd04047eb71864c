# sim/sgd - the Verilated SGD datapath (rtl/sgd with rtl/fpu, rtl/quant, rtl/stats) behind
# C ABIs. Included from sim/sim.mk.
#   Vlp_sgd_dot   lp_sgd_dot, Classes = 16 (lp_vsgd_dot.h): the dot-product engine
# Programs link $(LP_VSGD_DOT_LIBS) (with $(CXX)).
LP_VSGD_DIR   := $(BUILD)/sim/sgd
LP_VSGD_RTL   := $(wildcard rtl/sgd/*.sv rtl/quant/*.sv rtl/stats/*.sv rtl/fpu/*.sv)
LP_VSGD_VINC  := -isystem /usr/share/verilator/include -isystem /usr/share/verilator/include/vltstd
LP_VSGD_VFLAGS := --cc --build -O3 -Wall --x-assign fast --x-initial fast --inline-mult 1 \
                  -y rtl/sgd -y rtl/quant -y rtl/stats -y rtl/fpu \
                  -CFLAGS "-O2 -fno-fast-math" -MAKEFLAGS "-s OPT_FAST=-O2 OPT_SLOW=-O0"
LP_VSGD_DOT_LIBS := $(LP_VSGD_DIR)/lp_vsgd_dot.o $(LP_VSGD_DIR)/Vlp_sgd_dot/Vlp_sgd_dot__ALL.a \
                    $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o -pthread

$(LP_VSGD_DIR)/Vlp_sgd_dot/Vlp_sgd_dot__ALL.a: rtl/sgd/lp_sgd_dot.sv rtl/sgd/lp_sgd_fold.sv $(wildcard rtl/fpu/*.sv)
	@mkdir -p $(dir $@)
	@echo "  VERILATE lp_sgd_dot (Vlp_sgd_dot)"
	@verilator $(LP_VSGD_VFLAGS) --top-module lp_sgd_dot -Mdir $(dir $@) --prefix Vlp_sgd_dot \
	  rtl/sgd/lp_sgd_dot.sv >$(LP_VSGD_DIR)/Vlp_sgd_dot.log 2>&1 || { cat $(LP_VSGD_DIR)/Vlp_sgd_dot.log; exit 1; }

$(LP_VSGD_DIR)/lp_vsgd_dot.o: sim/sgd/lp_vsgd_dot.cpp sim/sgd/lp_vsgd_dot.h $(LP_VSGD_DIR)/Vlp_sgd_dot/Vlp_sgd_dot__ALL.a
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Isim/sgd -I$(LP_VSGD_DIR)/Vlp_sgd_dot \
	  $(LP_VSGD_VINC) -c $< -o $@

