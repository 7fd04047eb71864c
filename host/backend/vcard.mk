# host/backend/vcard.mk - the vcard backend (host/backend/vcard.c) links the virtual card of
# sim/vcard (SystemC + the `verilator --sc` kernel, $(LP_VCARD_OBJS) $(LP_VCARD_MODEL)) when
# lpsgd has the Verilated kernel harness (sim/kernel/kernel.mk: lp_kharness.o and the
# Verilator runtime are linked already) and SystemC is installed; else the backend builds as a
# stub that says what to install. Included by host/host.mk (after sim/sim.mk).
ifeq ($(LP_HAVE_VERILATOR)$(LP_VQ_HOST)$(LP_VKERNEL_READY)$(LP_HAVE_SYSTEMC),1111)
LP_HOST_OBJS_EXTRA += $(LP_VCARD_OBJS) $(LP_VCARD_MODEL)
LP_HOST_LIBS_EXTRA += -lsystemc
# (host.mk read $(BUILD)/lpsgd's prerequisites before this line: name them here too)
$(BUILD)/lpsgd: $(LP_VCARD_OBJS) $(LP_VCARD_MODEL)
# the connectivity files the card reads (constraints/<card>.cfg), wherever lpsgd runs from
$(BUILD)/obj/host/backend/vcard.o: CPPFLAGS += -DLP_VCARD_CFG_DIR='"$(abspath constraints)"'
else
$(BUILD)/obj/host/backend/vcard.o: CPPFLAGS += -DLP_NO_VCARD
endif
