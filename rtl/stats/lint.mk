# rtl/stats - the counts-only statistics and the adder latencies the forwarding supports;
# the fold tree outside (lp_sgd_step shares it with the dot-product engine).
LP_LINT_VARIANTS += lp_stats:Sums=0 lp_stats:AddLatency=1 lp_stats:AddLatency=4
LP_LINT_VARIANTS += lp_stats:ExtFold=1 lp_stats:Sums=0,ExtFold=1 lp_stats_fold:ExtFold=1
