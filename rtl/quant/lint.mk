# rtl/quant - the stream quantizer without the FP32 sums is linted too (its defaults by rtl/rtl.mk).
LP_LINT_VARIANTS += lp_quant_stream:StatsSums=0 lp_quant_stream:AddLatency=4,MulLatency=2
LP_LINT_VARIANTS += lp_quant_stream:ExtFold=1
LP_LINT_VARIANTS += lp_amax:Lanes=8
