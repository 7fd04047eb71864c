# sim/ - Verilator harnesses with a C ABI (and the SystemC virtual platform).
-include sim/fpu/fpu.mk
-include sim/quant/quant.mk
-include sim/sgd/sgd.mk
-include sim/kernel/kernel.mk
-include sim/vcard/vcard.mk
