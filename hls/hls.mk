# hls/ - the kernels as HLS C; compiled by gcc they are the golden model (libhls.a).
# Every .c below hls/<area>/ is part of the model; lp_stats_derive.c is host-side (libm).
LP_HLS_SRCS := $(sort $(wildcard hls/*/*.c))
LP_HLS_OBJS := $(LP_HLS_SRCS:%.c=$(BUILD)/obj/%.o)

$(BUILD)/libhls.a: $(LP_HLS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
