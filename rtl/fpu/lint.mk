# rtl/fpu - every pipeline depth of the FP units is linted (the defaults by rtl/rtl.mk).
LP_LINT_VARIANTS += $(foreach u,lp_fp32_add lp_fp32_mul,$(foreach l,0 1 2 3 4 5 6,$(u):Latency=$(l)))
