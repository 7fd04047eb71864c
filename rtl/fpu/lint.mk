# rtl/fpu - pipeline depths of the FP units linted beside the defaults (rtl/rtl.mk).
LP_LINT_VARIANTS += $(foreach u,lp_fp32_add lp_fp32_addsub lp_fp32_sub lp_fp32_mul,$(foreach l,0 1 2 3 4 5 6,$(u):Latency=$(l)))
LP_LINT_VARIANTS += $(foreach l,0 1 2 3 4 14 15 27 30,lp_fp32_div:Latency=$(l))
LP_LINT_VARIANTS += $(foreach u,lp_fp32_cmp lp_fp32_max lp_i32_to_fp32 lp_u32_to_fp32 lp_fp32_to_i32 lp_fp32_to_u32,$(foreach l,0 3,$(u):Latency=$(l)))
LP_LINT_VARIANTS += lp_fp32_round_pack:CarrySelect=1
