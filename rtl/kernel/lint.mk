# rtl/kernel - parameter variants linted beside the defaults (rtl/rtl.mk): the AXI masters
# at the longest (64-beat = 4 KiB) and shortest bursts, and a narrower bus.
LP_LINT_VARIANTS += lp_axi_rd:MaxBurst=64,FifoDepth=128 lp_axi_rd:MaxBurst=1,FifoDepth=2
LP_LINT_VARIANTS += lp_axi_rd:AddrWidth=32,DataWidth=256 lp_axi_rd:FifoBram=1,FifoDepth=512 lp_axi_rd:FifoBram=1,MaxBurst=1,FifoDepth=2
LP_LINT_VARIANTS += lp_fifo_bram:Depth=2,Width=8
LP_LINT_VARIANTS += lp_axi_wr:MaxBurst=64,FifoDepth=128 lp_axi_wr:MaxBurst=1,FifoDepth=4
LP_LINT_VARIANTS += lp_axi_burst:MaxBurst=64 lp_axi_burst:MaxBurst=1 lp_axi_burst:AddrWidth=32,DataWidth=256
LP_LINT_VARIANTS += lp_inc_ahead:Width=24,Chunk=4 lp_inc_ahead:Width=1,Chunk=1
