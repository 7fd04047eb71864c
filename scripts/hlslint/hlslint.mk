# scripts/hlslint/ - hlslint, the Vitis HLS rules checker of the kernel sources (libclang;
# docs/hls-lint.md). `make lint` (lint-hls) runs it over LP_HLSLINT_KERNEL with LP_HLSLINT_TOPS
# as the m_axi entry points; tests/hlslint/ tests it on planted violations.
LLVM_DIR          ?= /usr/lib/llvm-14
LP_HLSLINT_CFLAGS := -std=c11 $(WARN) -O2 -g -D_GNU_SOURCE -I$(LLVM_DIR)/include
LP_HLSLINT_LIBS   := -L$(LLVM_DIR)/lib -Wl,-rpath,$(LLVM_DIR)/lib -lclang

$(BUILD)/hlslint: scripts/hlslint/hlslint.c scripts/hlslint/hlslint.mk
	@mkdir -p $(dir $@)
	$(CC) $(LP_HLSLINT_CFLAGS) -o $@ $< $(LP_HLSLINT_LIBS)

# the kernel as Vitis compiles it (LP_HLS: host-only code left out: hls/hls.mk's list), and
# its top functions
LP_HLSLINT_KERNEL ?= $(LP_HLS_KERNEL_SRCS)
LP_HLSLINT_TOPS   ?= lp_sgd
LP_HLSLINT_ARGS   ?= --root hls $(LP_HLSLINT_TOPS:%=--top %) $(LP_HLSLINT_KERNEL) -- -Ihls -DLP_HLS

# part of make lint (rtl/rtl.mk), which installs libclang-dev first (scripts/deps.sh test)
.PHONY: lint-hls
lint-hls: $(BUILD)/hlslint
	@echo "$(BUILD)/hlslint $(LP_HLSLINT_ARGS)"
	@$(BUILD)/hlslint $(LP_HLSLINT_ARGS) && echo "hlslint: $(words $(LP_HLSLINT_KERNEL)) kernel files clean"

# make test builds it where libclang-dev is installed (make test's dependency step installs
# it; under LP_DEPS=0 without it, tests/hlslint/test_hlslint.sh skips saying so)
LP_HAVE_LIBCLANG := $(if $(wildcard $(LLVM_DIR)/include/clang-c/Index.h),1)
ifeq ($(LP_HAVE_LIBCLANG),1)
test-build: $(BUILD)/hlslint
endif
