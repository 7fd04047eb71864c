# tests/unit - small unit tests of the golden model.
LP_TEST_BINS += $(BUILD)/tests/unit/test_format
LP_SAN_BINS  += $(BUILD)/tests/unit/test_format
