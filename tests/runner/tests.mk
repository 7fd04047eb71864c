# tests/runner - the test runner's accounting (tests/run.sh) and the configuration stamp that
# rebuilds objects when the packages or flags change (Makefile).
LP_TEST_SCRIPTS += tests/runner/test_run_sh.sh
