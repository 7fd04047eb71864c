// lp_quant_grid - the format's grid under scale exponent k (lp_quant_grid in
// hls/quant/lp_quant.c): emin_s = emin - k, the largest finite magnitude * 2^-k and, for
// fixed point, the magnitude of the most negative value * 2^-k, as FP32 bits.
// Computed once per tensor or MX block. Combinational.
`default_nettype none

module lp_quant_grid #(
  parameter int ExpWidth = 12  // bits of the signed exponents
) (
  input  wire logic                       cfg_fixed_i,   // kind == LP_KIND_FIXED
  input  wire logic        [4:0]          cfg_man_i,     // man
  input  wire logic signed [ExpWidth-1:0] cfg_emin_i,    // emin
  input  wire logic signed [ExpWidth-1:0] cfg_emax_i,    // emax
  input  wire logic signed [ExpWidth-1:0] cfg_bias_i,    // bias (fixed: F)
  input  wire logic        [23:0]         cfg_max_kq_i,  // max_kq
  input  wire logic signed [ExpWidth-1:0] k_i,           // scale exponent
  output logic signed      [ExpWidth-1:0] emin_s_o,      // emin - k
  output logic             [31:0]         max_bits_o,    // max finite * 2^-k
  output logic             [31:0]         neg_bits_o     // |most negative| * 2^-k
);

  logic [4:0]                 top;
  logic signed [ExpWidth-1:0] max_qe, neg_qe;
  logic [31:0]                neg_fixed;

  lp_msb #(.Width(24), .OutWidth(5)) u_top (
    .v_i  (cfg_max_kq_i),
    .msb_o(top)
  );

  assign emin_s_o = cfg_emin_i - k_i;
  assign max_qe   = cfg_emax_i - $signed({{(ExpWidth-5){1'b0}}, top}) - k_i;
  assign neg_qe   = -cfg_bias_i - k_i;

  lp_f32_pack #(.ExpWidth(ExpWidth)) u_max (
    .kq_i  ({1'b0, cfg_max_kq_i}),
    .msb_i (top),
    .qe_i  (max_qe),
    .bits_o(max_bits_o)
  );

  lp_f32_pack #(.ExpWidth(ExpWidth)) u_neg (
    .kq_i  (25'd1 << cfg_man_i),
    .msb_i (cfg_man_i),
    .qe_i  (neg_qe),
    .bits_o(neg_fixed)
  );

  assign neg_bits_o = cfg_fixed_i ? neg_fixed : max_bits_o;

endmodule

`default_nettype wire
