// lp_scale_k_mx - the OCP MX block scale exponent (lp_scale_k with LP_SCALE_BLOCK32 in
// hls/quant/lp_quant.c): k = emax - floor(log2 amax), 127 for an all-zero block, clamped
// to [-127, 127] (the E8M0 code 127 - k stays in 0..254) and then to
// [etop - 127, emin - man + 149] so that every scaled grid point is an FP32 value (etop:
// the exponent of the largest magnitude, emax, or emin for fixed point).
// Combinational. (Per-tensor scaling needs the amax of the whole tensor before the first
// element can be quantized; one streaming pass cannot know it, so the host or driver
// computes that k with lp_scale_k and writes it to the SCALE_K register.)
`default_nettype none

module lp_scale_k_mx #(
  parameter int ExpWidth = 12  // bits of the signed exponents
) (
  input  wire logic                       cfg_fixed_i, // kind == LP_KIND_FIXED
  input  wire logic        [4:0]          cfg_man_i,   // man
  input  wire logic signed [ExpWidth-1:0] cfg_emin_i,  // emin
  input  wire logic signed [ExpWidth-1:0] cfg_emax_i,  // emax
  input  wire logic        [30:0]         amax_i,      // largest finite magnitude (bits)
  output logic signed      [ExpWidth-1:0] k_o          // scale exponent of the block
);

  localparam logic signed [ExpWidth-1:0] KLim   = 127;
  localparam logic signed [ExpWidth-1:0] FpBias = 127;
  localparam logic signed [ExpWidth-1:0] SubExp = 149;

  logic [7:0]                 ef;
  logic [4:0]                 msb;
  logic signed [ExpWidth-1:0] ea, k0, k1, kmin, kmax;

  assign ef = amax_i[30:23];

  lp_msb #(.Width(24), .OutWidth(5)) u_msb (
    .v_i  ({ef != 8'd0, amax_i[22:0]} | 24'd1),
    .msb_o(msb)
  );

  // floor(log2 amax)
  assign ea   = (ef != 8'd0) ? ($signed({{(ExpWidth-8){1'b0}}, ef}) - FpBias)
                             : ($signed({{(ExpWidth-5){1'b0}}, msb}) - SubExp);
  assign k0   = (amax_i == 31'd0) ? KLim : (cfg_emax_i - ea);
  assign k1   = (k0 > KLim) ? KLim : ((k0 < -KLim) ? -KLim : k0);
  assign kmin = (cfg_fixed_i ? cfg_emin_i : cfg_emax_i) - FpBias;
  assign kmax = cfg_emin_i - $signed({{(ExpWidth-5){1'b0}}, cfg_man_i}) + SubExp;
  assign k_o  = (k1 < kmin) ? kmin : ((k1 > kmax) ? kmax : k1);

endmodule

`default_nettype wire
