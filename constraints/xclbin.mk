# constraints/xclbin.mk - the Vitis flow (needs Vitis 2022.1 or later and an installed
# platform; skipped with one message when v++ is absent):
#
#   make xclbin TARGET=hw|hw_emu|sw_emu PLATFORM=<platform> [KERNEL=rtl|hls] [CONNECTIVITY=f.cfg]
#
#   KERNEL=rtl (default)  rtl/ kernel   -> Vivado package_xo (scripts/vitis/package_xo.tcl)
#                         with kernel.xml and the register map generated from
#                         hls/sgd/lp_sgd_regmap.h, constraints/lp_sgd_rtl.xdc -> .xo; the
#                         kernel that make resources-top and make timing measure here
#   KERNEL=hls            hls/ C kernel -> v++ -c -DLP_HLS (turns on its HLS pragmas;
#                         constraints/lp_sgd_hls.cfg: 300 MHz) -> .xo
#   then                  v++ -l with the card's connectivity (constraints/u250.cfg,
#                         u280.cfg or u55c.cfg, picked from PLATFORM) -> lp_sgd.xclbin
#
# Output: $(BUILD)/vitis/<TARGET>/<PLATFORM>/lp_sgd.xclbin; for TARGET=hw also linked as
# $(BUILD)/lp_sgd.xclbin, the xclbin lpsgd --backend xrt loads by default. Emulation
# targets also get emconfig.json (run with XCL_EMULATION_MODE=<TARGET>, docs/alveo.md).
# `make kernel-xml` (no Vitis needed) writes the generated kernel.xml and regs.tcl.
VPP          ?= v++
VIVADO       ?= vivado
EMCONFIGUTIL ?= emconfigutil
KERNEL       ?= rtl
LP_CARD      := $(firstword $(foreach c,u250 u280 u55c,$(if $(findstring $(c),$(PLATFORM)),$(c))))
CONNECTIVITY ?= $(if $(LP_CARD),constraints/$(LP_CARD).cfg)
LP_PART_u250 := xcu250-figd2104-2L-e
LP_PART_u280 := xcu280-fsvh2892-2L-e
LP_PART_u55c := xcu55c-fsvh2892-2L-e
PART         ?= $(LP_PART_$(LP_CARD))
LP_RTL_TOP   ?= lp_sgd
LP_RTL_SRCS  ?= $(sort $(wildcard rtl/*/*.sv rtl/*/*.v))

LP_VITIS      := $(BUILD)/vitis/$(TARGET)/$(PLATFORM)
LP_XCLBIN     := $(LP_VITIS)/lp_sgd.xclbin
LP_XO_hls     := $(LP_VITIS)/lp_sgd_hls.xo
LP_XO_rtl     := $(LP_VITIS)/lp_sgd_rtl.xo
# the kernel: hls/hls.mk's LP_HLS_KERNEL_SRCS (what hls/opencl/lp_kernels.cl includes: no
# host-side file, docs/hls.md) and every header of hls/
LP_KERNEL_SRCS := $(LP_HLS_KERNEL_SRCS)
LP_KERNEL_HDRS := $(wildcard hls/*.h hls/*/*.h)
LP_VPP_DIRS    = --temp_dir $(LP_VITIS)/tmp_$(1) --log_dir $(LP_VITIS)/log_$(1) --report_dir $(LP_VITIS)/report_$(1)

.PHONY: xclbin xclbin-build kernel-xml

xclbin:
	@case "$(TARGET)" in hw|hw_emu|sw_emu) ;; *) \
	  echo "make xclbin: TARGET=$(TARGET) is not one of hw, hw_emu, sw_emu" >&2; exit 2 ;; esac; \
	case "$(KERNEL)" in hls|rtl) ;; *) \
	  echo "make xclbin: KERNEL=$(KERNEL) is not hls or rtl" >&2; exit 2 ;; esac; \
	if ! command -v $(VPP) >/dev/null 2>&1; then \
	  echo "skipped: make xclbin needs Vitis, and v++ is not on PATH: source <Vitis install>/settings64.sh and /opt/xilinx/xrt/setup.sh, then run make xclbin TARGET=$(TARGET) PLATFORM=$(PLATFORM) again (docs/alveo.md)"; \
	  exit 0; fi; \
	if [ -z "$(CONNECTIVITY)" ]; then \
	  echo "make xclbin: no connectivity config for PLATFORM=$(PLATFORM) (constraints/ has u250, u280, u55c): pass CONNECTIVITY=<file.cfg>" >&2; exit 2; fi; \
	$(MAKE) --no-print-directory xclbin-build

xclbin-build: $(LP_XCLBIN)
ifeq ($(TARGET),hw)
	ln -sfn $(abspath $(LP_XCLBIN)) $(BUILD)/lp_sgd.xclbin
	@echo "xclbin: $(LP_XCLBIN) (lpsgd --backend xrt loads $(BUILD)/lp_sgd.xclbin by default)"
else
	$(EMCONFIGUTIL) --platform $(PLATFORM) --od $(LP_VITIS)
	@echo "xclbin: $(LP_XCLBIN); run: cd $(LP_VITIS) && XCL_EMULATION_MODE=$(TARGET) $(abspath $(BUILD)/lpsgd) selftest --backend xrt --xclbin lp_sgd.xclbin"
endif

# generated from hls/sgd/lp_sgd_regmap.h: the register map is written in one place only
$(BUILD)/vitis/gen_kernel_xml: scripts/vitis/gen_kernel_xml.c scripts/vitis/lp_kernel_xml.h hls/sgd/lp_sgd_regmap.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Iscripts/vitis $(CFLAGS) -o $@ $<
$(BUILD)/vitis/kernel.xml: $(BUILD)/vitis/gen_kernel_xml
	$< kernel >$@.tmp && mv $@.tmp $@
$(BUILD)/vitis/regs.tcl: $(BUILD)/vitis/gen_kernel_xml
	$< regs-tcl >$@.tmp && mv $@.tmp $@
kernel-xml: $(BUILD)/vitis/kernel.xml $(BUILD)/vitis/regs.tcl

$(LP_XO_hls): $(LP_KERNEL_SRCS) $(LP_KERNEL_HDRS) constraints/lp_sgd_hls.cfg constraints/lp_sgd_hls.tcl
	@mkdir -p $(dir $@)
	$(VPP) -c -t $(TARGET) --platform $(PLATFORM) --config constraints/lp_sgd_hls.cfg -I hls -DLP_HLS \
		$(call LP_VPP_DIRS,c) -o $@ $(LP_KERNEL_SRCS)

$(LP_XO_rtl): $(BUILD)/vitis/kernel.xml $(BUILD)/vitis/regs.tcl constraints/lp_sgd_rtl.xdc \
		scripts/vitis/package_xo.tcl $(LP_RTL_SRCS)
	@if ! grep -lqs "module $(LP_RTL_TOP)\b" $(LP_RTL_SRCS) /dev/null; then \
	  echo "make xclbin: KERNEL=rtl needs the RTL kernel top module $(LP_RTL_TOP) under rtl/ (not there): use KERNEL=hls" >&2; exit 2; fi
	@if [ -z "$(PART)" ]; then echo "make xclbin: no FPGA part known for PLATFORM=$(PLATFORM): pass PART=<part>" >&2; exit 2; fi
	@mkdir -p $(dir $@)
	$(VIVADO) -mode batch -nojournal -log $(LP_VITIS)/package_xo.log -source scripts/vitis/package_xo.tcl \
		-tclargs $@ $(BUILD)/vitis/kernel.xml $(BUILD)/vitis/regs.tcl $(PART) constraints/lp_sgd_rtl.xdc \
		$(LP_RTL_TOP) $(LP_RTL_SRCS)

$(LP_XCLBIN): $(LP_XO_$(KERNEL)) $(CONNECTIVITY)
	$(VPP) -l -t $(TARGET) --platform $(PLATFORM) --config $(CONNECTIVITY) $(call LP_VPP_DIRS,l) \
		-o $@ $(LP_XO_$(KERNEL))
