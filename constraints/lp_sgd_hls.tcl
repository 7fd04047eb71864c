# Vitis HLS directives run before synthesis of lp_sgd (v++ -c --hls.pre_tcl).
# Bit-exactness with the C model (docs/design.md contracts 1 and 5): no FP reassociation, no
# fused multiply-add (HLS fuses only under unsafe math), m_axi ports 512 bits wide (one beat of 16 floats).
config_compile -unsafe_math_optimizations false
config_interface -m_axi_max_widen_bitwidth 512 -m_axi_alignment_byte_size 64
