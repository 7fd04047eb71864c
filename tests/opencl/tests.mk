# tests/opencl - the opencl backend (host/backend/opencl.c) against the C model, bit for bit:
#   test_cli_opencl.sh  lpsgd train / quantize / shrink / selftest --backend opencl vs csim on
#                       PoCL (byte-identical logs, checkpoints, outputs), lpsgd devices, the
#                       errors a user meets; XRT's OpenCL platform where one exists (else one
#                       "skipped: needs an Alveo card" line)
# The script skips itself with its reason when lpsgd has no OpenCL; make test on a machine it
# provisioned counts that as a failure (LP_MISSING_SUITES in tests/tests.mk, LP_TEST_STRICT).
LP_TEST_SCRIPTS += tests/opencl/test_cli_opencl.sh
# make bench: training samples/s of opencl beside csim in the same run
LP_BENCH_SCRIPTS += tests/opencl/bench_opencl.sh
# valgrind over train/quantize --backend opencl with PoCL's own frames suppressed
# (tests/opencl/pocl.supp): ~50 s on 2 cores, so make test-exhaustive, not make test
LP_EXH_SCRIPTS += tests/opencl/test_valgrind_opencl.sh
