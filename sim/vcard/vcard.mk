# sim/vcard - the virtual Alveo card (SystemC 2.3 + TLM-2.0, docs/vcard.md) behind
# lp_vcard.h: memory-channel targets, the PCIe DMA engine, the interconnect, and compute
# units that are the kernel top verilated as a SystemC model (`verilator --sc`, Classes = 1
# only: the 16-class build costs 12-15 CPU-minutes more) attached through the shared kernel
# harness (sim/kernel/lp_kharness.h, the AXI slaves and checks lp_vkernel uses).
# Included from sim/sim.mk after sim/kernel/kernel.mk. Programs link $(LP_VCARD_LIBS).
LP_HAVE_SYSTEMC := $(if $(and $(wildcard /usr/include/systemc.h),$(wildcard /usr/include/tlm.h)),1)
LP_VCARD_DIR    := $(BUILD)/sim/vcard
LP_VCARD_PREFIX := Vlp_sgd_sc_k1
LP_VCARD_MDIR   := $(BUILD)/sim/vcard-k1/$(LP_VCARD_PREFIX)
LP_VCARD_MODEL  := $(LP_VCARD_MDIR)/$(LP_VCARD_PREFIX)__ALL.a
LP_VCARD_SRCS   := $(wildcard sim/vcard/*.cpp)
LP_VCARD_OBJS   := $(patsubst sim/vcard/%.cpp,$(LP_VCARD_DIR)/%.o,$(LP_VCARD_SRCS))
LP_VCARD_LIBS   := $(LP_VCARD_OBJS) $(LP_VKERNEL_DIR)/lp_kharness.o $(LP_VCARD_MODEL) \
                   $(LP_FPU_DIR)/verilated.o $(LP_FPU_DIR)/verilated_threads.o
LP_VCARD_LDLIBS := -lsystemc -pthread

# the kernel's flags (sim/sgd/sgd.mk) with a SystemC model instead of a C++ one
LP_VKERNEL_CMD_$(LP_VCARD_PREFIX) := verilator $(subst --cc,--sc,$(LP_VSGD_VFLAGS)) --assert -y rtl/kernel \
  -GClasses=1 --top-module lp_sgd -Mdir $(LP_VCARD_MDIR)/ --prefix $(LP_VCARD_PREFIX) rtl/kernel/lp_sgd.sv
$(LP_VCARD_MODEL): $(LP_VKERNEL_RTL) $(BUILD)/sim/vcard-k1/$(LP_VCARD_PREFIX).cmd
	@mkdir -p $(dir $@)
	@echo "  VERILATE lp_sgd --sc (Classes = 1: $(LP_VCARD_PREFIX), the virtual card's compute unit)"
	@t0=$$(date +%s.%N); $(LP_VKERNEL_CMD_$(LP_VCARD_PREFIX)) >$(LP_VCARD_MDIR).log 2>&1 || { cat $(LP_VCARD_MDIR).log; exit 1; }; touch -d @$$t0 $@

$(LP_VCARD_DIR)/%.o: sim/vcard/%.cpp $(wildcard sim/vcard/*.h) sim/kernel/lp_kharness.h sim/kernel/lp_vkernel.h $(LP_VCARD_MODEL)
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror $(FPFLAGS) -Ihls -Isim/kernel -Isim/vcard -I$(LP_VCARD_MDIR) \
	  $(LP_VSGD_VINC) -c $< -o $@
