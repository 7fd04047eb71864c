# rtl/sgd - parameter variants linted beside the defaults (rtl/rtl.mk).
LP_LINT_VARIANTS += lp_sgd_dot:Classes=1 lp_sgd_dot:AddLatency=4 lp_sgd_dot:Classes=10,AddLatency=1
LP_LINT_VARIANTS += lp_sgd_dot:ExtFold=1
LP_LINT_VARIANTS += lp_sgd_step:RowSlots=4,MaxBeats=64 lp_sgd_step:Classes=1 lp_sgd_step:Classes=3,AddLatency=1
LP_LINT_VARIANTS += lp_sgd_softmax:Classes=4,AddLatency=1 lp_sgd_softmax:Classes=10,Slots=4 lp_sgd_kseq:Gap=2
LP_LINT_VARIANTS += lp_sgd_scalar:AddLatency=0,MulLatency=0,DivLatency=0,CvtLatency=0,CmpLatency=0
