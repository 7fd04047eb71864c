# rtl/stats - the counts-only statistics and the adder latencies the forwarding supports.
LP_LINT_VARIANTS += lp_stats:Sums=0 lp_stats:AddLatency=1 lp_stats:AddLatency=4
