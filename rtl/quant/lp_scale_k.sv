// lp_scale_k - the scale exponent k of a tensor or an MX block from the bits of its
// largest finite magnitude amax: lp_scale_k() in hls/quant/lp_quant.c, every mode.
//   LP_SCALE_NONE     k = 0.
//   LP_SCALE_TENSOR   the largest k with amax * 2^k <= max finite: k = emax - floor(log2
//                     amax), minus 1 when amax's normalized significand exceeds max_kq's
//                     (amax * 2^k and max finite then share an exponent); 0 for amax = 0.
//   LP_SCALE_BLOCK32  OCP MX v1.0 6.3: k = emax - floor(log2 amax), 127 for an all-zero
//                     block, clamped to [-127, 127] (the E8M0 code 127 - k stays in 0..254).
// Both nonzero cases are then clamped to [etop - 127, emin - man + 149] so that every
// scaled grid point is an FP32 value (etop: the exponent of the largest magnitude, emax,
// or emin for fixed point, whose most negative value -2^emin is the largest).
// Combinational. A user that needs one mode only ties mode_i to constants and synthesis
// removes the other (lp_quant_stream: block32; the tensor k comes from its SCALE_K
// register, which lp_sgd_step fills from this unit over lp_amax).
`default_nettype none

module lp_scale_k #(
  parameter int ExpWidth = 12  // bits of the signed exponents
) (
  input  wire logic        [1:0]          mode_i,       // LP_SCALE_NONE 0, _TENSOR 1, _BLOCK32 2
  input  wire logic                       cfg_fixed_i,  // kind == LP_KIND_FIXED
  input  wire logic        [4:0]          cfg_man_i,    // man
  input  wire logic signed [ExpWidth-1:0] cfg_emin_i,   // emin
  input  wire logic signed [ExpWidth-1:0] cfg_emax_i,   // emax
  input  wire logic        [23:0]         cfg_max_kq_i, // max_kq (read by LP_SCALE_TENSOR)
  input  wire logic        [30:0]         amax_i,       // largest finite magnitude (bits)
  output logic signed      [ExpWidth-1:0] k_o           // scale exponent
);

  localparam logic signed [ExpWidth-1:0] KLim   = 127;
  localparam logic signed [ExpWidth-1:0] FpBias = 127;
  localparam logic signed [ExpWidth-1:0] SubExp = 149;

  logic                       zero, tensor;
  logic [7:0]                 ef;
  logic [23:0]                sig, sa, sm;
  logic [4:0]                 msb, mtop;
  logic signed [ExpWidth-1:0] ea, kb, kt, k1, kmin, kmax;

  assign zero   = amax_i == 31'd0;
  assign tensor = mode_i[0];  // 1 (and 3: the C model's else branch); 2 is block32
  assign ef     = amax_i[30:23];
  assign sig    = {ef != 8'd0, amax_i[22:0]};

  lp_msb #(.Width(24), .OutWidth(5)) u_msb (
    .v_i  (sig | 24'd1),
    .msb_o(msb)
  );
  lp_msb #(.Width(24), .OutWidth(5)) u_mtop (
    .v_i  (cfg_max_kq_i),
    .msb_o(mtop)
  );

  // floor(log2 amax)
  assign ea = (ef != 8'd0) ? ($signed({{(ExpWidth-8){1'b0}}, ef}) - FpBias)
                           : ($signed({{(ExpWidth-5){1'b0}}, msb}) - SubExp);

  // block32: emax - ea (127 for zero), within [-127, 127]
  assign kb = zero ? KLim : (cfg_emax_i - ea);

  // tensor: emax - ea, one less when amax's normalized significand exceeds max_kq's
  assign sa = sig << (5'd23 - msb);
  assign sm = cfg_max_kq_i << (5'd23 - mtop);
  assign kt = cfg_emax_i - ea - $signed({{(ExpWidth-1){1'b0}}, sa > sm});

  assign k1   = tensor ? kt : ((kb > KLim) ? KLim : ((kb < -KLim) ? -KLim : kb));
  assign kmin = (cfg_fixed_i ? cfg_emin_i : cfg_emax_i) - FpBias;
  assign kmax = cfg_emin_i - $signed({{(ExpWidth-5){1'b0}}, cfg_man_i}) + SubExp;
  assign k_o  = (mode_i == 2'd0 || (tensor && zero)) ? '0
              : (k1 < kmin) ? kmin : ((k1 > kmax) ? kmax : k1);

endmodule

`default_nettype wire
