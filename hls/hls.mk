# hls/ - the kernels as HLS C; compiled by gcc they are the golden model (libhls.a).
# Every .c below hls/<area>/ is part of the model; lp_stats_derive.c (libm),
# lp_quant_vec_host.c and lp_sgd_host.c (the vector-unit variants of lp_quantize_vec and of
# the SGD step) are host-side.
LP_HLS_SRCS := $(sort $(wildcard hls/*/*.c))
# The kernel itself (what Vitis HLS synthesizes, OpenCL compiles and hlslint checks): the
# files hls/opencl/lp_kernels.cl includes, one list for all three (docs/hls.md).
LP_HLS_KERNEL_SRCS := $(patsubst ../%,hls/%,$(shell sed -n 's|^\#include "\(\.\./[a-z]*/[a-z_]*\.c\)"$$|\1|p' \
                        hls/opencl/lp_kernels.cl))
LP_HLS_OBJS := $(LP_HLS_SRCS:%.c=$(BUILD)/obj/%.o)

$(BUILD)/libhls.a: $(LP_HLS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# lp_quant_vec_host.c and lp_sgd_host.c (host-only, the vector-unit variants): their loops
# are written for the vectorizer, which gcc runs at -O2 only under its "very cheap" cost
# model (no loop with a remainder); these files ask for the usual one. Same bits: FP32
# lane by lane, no reassociation (FPFLAGS still apply).
LP_VEC_CFLAGS := -ftree-vectorize -fvect-cost-model=dynamic
$(BUILD)/obj/hls/quant/lp_quant_vec_host.o $(BUILD)/obj/hls/sgd/lp_sgd_host.o: $(BUILD)/obj/%.o: %.c hls/hls.mk \
		$(BUILD)/stamp/config.cmd
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LP_VEC_CFLAGS) -c $< -o $@
