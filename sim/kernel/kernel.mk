# sim/kernel - the Verilated SGD kernel top (rtl/kernel/lp_sgd.sv with rtl/sgd, rtl/quant,
# rtl/stats, rtl/fpu) behind lp_vkernel.h: AXI memory and s_axi_control modelled in the
# harness. Included from sim/sim.mk. Programs link $(LP_VKERNEL_LIBS) with $(LP_VQ_LDLIBS).
#   LP_VKERNEL_EXTRA       extra verilator arguments placed first (e.g. a -y folder searched
#                          before rtl/, -Wno-fatal); empty by default
#   LP_VKERNEL_EXTRA_OBJS  extra objects linked with the model (e.g. DPI-C functions)
# The kernel needs the units it instantiates (rtl/sgd/lp_sgd_cfg.sv, lp_sgd_scalar.sv and
# the step engine's mu/statistics handshake); LP_VKERNEL_READY says whether they are there.
#   LP_VKERNEL_CLASSES     the Classes parameter of the verilated kernel (max K): 1 by default
#                          (the one-output models simulate ~14x faster than on the 16 x 16-lane
#                          engine); 16 for softmax up to 16 classes. The hardware build
#                          (make xclbin) always uses the RTL default, 16.
LP_VKERNEL_CLASSES ?= 1
LP_VKERNEL_DIR   := $(BUILD)/sim/kernel$(if $(filter-out 1,$(LP_VKERNEL_CLASSES)),-k$(LP_VKERNEL_CLASSES))
LP_VKERNEL_RTL   := $(wildcard rtl/kernel/*.sv rtl/sgd/*.sv rtl/quant/*.sv rtl/stats/*.sv rtl/fpu/*.sv)
LP_VKERNEL_EXTRA ?=
LP_VKERNEL_EXTRA_OBJS ?=
LP_VKERNEL_READY := $(if $(LP_VKERNEL_EXTRA),1,$(if $(and $(wildcard rtl/sgd/lp_sgd_cfg.sv),\
                      $(wildcard rtl/sgd/lp_sgd_scalar.sv),$(shell grep -ls mu_valid_i rtl/sgd/lp_sgd_step.sv)),1))
LP_VKERNEL_LIBS  := $(LP_VKERNEL_DIR)/lp_vkernel.o $(LP_VKERNEL_DIR)/Vlp_sgd/Vlp_sgd__ALL.a \
                    $(LP_VQ_DIR)/verilated_fst_c.o $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o \
                    $(if $(LP_VKERNEL_EXTRA_OBJS),$(LP_VKERNEL_EXTRA_OBJS) $(LP_VKERNEL_DIR)/verilated_dpi.o)

$(LP_VKERNEL_DIR)/Vlp_sgd/Vlp_sgd__ALL.a: $(LP_VKERNEL_RTL) sim/kernel/kernel.mk
	@mkdir -p $(dir $@)
	@echo "  VERILATE lp_sgd (Vlp_sgd, the kernel top)"
	@verilator $(LP_VKERNEL_EXTRA) $(LP_VSGD_VFLAGS) -y rtl/kernel --trace-fst --trace-depth 2 \
	  -GClasses=$(LP_VKERNEL_CLASSES) --top-module lp_sgd -Mdir $(dir $@) --prefix Vlp_sgd rtl/kernel/lp_sgd.sv >$(LP_VKERNEL_DIR)/Vlp_sgd.log 2>&1 \
	  || { cat $(LP_VKERNEL_DIR)/Vlp_sgd.log; exit 1; }

$(LP_VKERNEL_DIR)/lp_vkernel.o: sim/kernel/lp_vkernel.cpp sim/kernel/lp_vkernel.h $(LP_VKERNEL_DIR)/Vlp_sgd/Vlp_sgd__ALL.a
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -DLP_VKERNEL_CLASSES=$(LP_VKERNEL_CLASSES) \
	  -Ihls -Isim/kernel -I$(LP_VKERNEL_DIR)/Vlp_sgd \
	  $(LP_VSGD_VINC) -c $< -o $@

$(LP_VKERNEL_DIR)/verilated_dpi.o: /usr/share/verilator/include/verilated_dpi.cpp
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 $(LP_VSGD_VINC) -c $< -o $@

# lpsgd's verilator backend trains through the kernel top (host/backend/verilator_train.c)
# when it is built with the Verilated quantizer (LP_VQ_HOST=1, sim/quant/quant.mk); the
# Verilator runtime objects come with $(LP_VQ_LIBS).
LP_VKERNEL_HOST_OBJS := $(LP_VKERNEL_DIR)/lp_vkernel.o $(LP_VKERNEL_DIR)/Vlp_sgd/Vlp_sgd__ALL.a \
                        $(if $(LP_VKERNEL_EXTRA_OBJS),$(LP_VKERNEL_EXTRA_OBJS) $(LP_VKERNEL_DIR)/verilated_dpi.o)
ifeq ($(LP_HAVE_VERILATOR)$(LP_VQ_HOST)$(LP_VKERNEL_READY),111)
LP_HOST_OBJS_EXTRA += $(LP_VKERNEL_HOST_OBJS)
else
$(BUILD)/obj/host/backend/verilator_train.o: CPPFLAGS += -DLP_NO_VERILATOR
endif
