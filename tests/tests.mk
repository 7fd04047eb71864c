# tests/ - every area registers its tests in tests/<area>/tests.mk by adding to:
#   LP_TEST_BINS     C test programs built and run by `make test`
#   LP_SAN_BINS      those of them also built and run under ASan/UBSan (build/san/...)
#   LP_TEST_SCRIPTS  scripts run by `make test` (they find the program in $LPSGD)
#   LP_EXH_BINS / LP_EXH_SCRIPTS      the same for `make test-exhaustive`
#   LP_BENCH_BINS / LP_BENCH_SCRIPTS  the same for `make bench` (built -O3 -march=native
#                                     under build/bench; scripts get BUILD=build/bench)
# Every program and script ends its output with "N passed, N failed" (tests/lp_test.h);
# tests/run.sh adds them up. A C test under tests/X/Y.c builds as $(BUILD)/tests/X/Y.
LP_TEST_BINS :=
LP_SAN_BINS :=
LP_TEST_SCRIPTS :=
LP_EXH_BINS :=
LP_EXH_SCRIPTS :=
LP_BENCH_BINS :=
LP_BENCH_SCRIPTS :=

$(BUILD)/tests/%: tests/%.c $(BUILD)/libhls.a tests/lp_test.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -o $@ $< $(BUILD)/libhls.a $(LDFLAGS) $(LDLIBS)

include $(sort $(wildcard tests/*/tests.mk))

.PHONY: test-build test-san-build test-exh-build bench-build
test-build: all $(LP_TEST_BINS)
test-san-build: $(BUILD)/lpsgd $(LP_SAN_BINS)
test-exh-build: all $(LP_EXH_BINS)
bench-build: all $(LP_BENCH_BINS)

export LPSGD ?= $(abspath $(BUILD)/lpsgd)

# make test: the dependency step, then a new make (which now sees what was installed) builds
# everything on every core and runs it. LP_DEPS=0 skips the dependency step (a machine
# without root); only then may a suite be missing or a case be skipped for a missing package.
LP_DEPS ?= 1
test:
ifeq ($(LP_DEPS),1)
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory -j$(LP_JOBS) LP_TEST_STRICT=1 test-run
else
	@$(MAKE) --no-print-directory -j$(LP_JOBS) test-run
endif

LP_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
LP_TEST_STRICT ?= 0
export LP_TEST_STRICT
.PHONY: test-run
test-run: test-build
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/san SAN=1 OPT=-O1 test-san-build
	@LPSGD_SAN=$(abspath $(BUILD)/san/lpsgd) LP_MISSING_SUITES='$(LP_MISSING_SUITES)' tests/run.sh -j $(LP_JOBS) \
	  $(LP_TEST_BINS) $(LP_SAN_BINS:$(BUILD)/%=$(BUILD)/san/%) $(LP_TEST_SCRIPTS)

# The suites that exist only with an optional package: on a machine make test provisioned
# each must be there, and tests/run.sh counts a missing one as a failure.
LP_MISSING_SUITES = $(if $(LP_HAVE_VERILATOR),,verilator-rtl:verilator-not-on-PATH) \
  $(if $(LP_HAVE_VERILATOR),$(if $(LP_VKERNEL_READY),,verilator-kernel:LP_VKERNEL_READY-empty)) \
  $(if $(LP_HAVE_VERILATOR),$(if $(LP_HAVE_SYSTEMC),,vcard-systemc:no-SystemC-headers-libsystemc-dev)) \
  $(if $(LP_HAVE_XRT),,xrt-noop:no-XRT-headers-or-uuid-dev) \
  $(if $(LP_HAVE_OPENCL),,opencl-pocl:no-OpenCL-headers-ICD-loader-or-kernel-source) \
  $(if $(LP_HAVE_FUZZ_CC),,fuzz-smoke:no-$(FUZZ_CC)-for-the-libFuzzer-targets)

test-exhaustive:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory -j$(LP_JOBS) LP_TEST_STRICT=1 test-exh-run
.PHONY: test-exh-run
test-exh-run: test-exh-build
	@LP_MISSING_SUITES='$(LP_MISSING_SUITES)' tests/run.sh -j 1 $(LP_EXH_BINS) $(LP_EXH_SCRIPTS)

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/bench OPT="-O3 -march=native" bench-build
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/bench bench-run

bench-run:
	@set -e; for b in $(LP_BENCH_BINS) $(LP_BENCH_SCRIPTS); do echo "== $$b"; BUILD=$(BUILD) LPSGD=$(abspath $(BUILD)/lpsgd) $$b; done
