// lp_i32_to_fp32 - 32-bit integer to IEEE 754 binary32, as C's (float)x.
//
// Signed = 1: x is int32_t; Signed = 0: x is uint32_t (lp_u32_to_fp32 is that build).
// Round to nearest, ties to even (integers above 2^24 may round; 0xFFFFFFFF unsigned
// rounds up to 2^32); 0 gives +0; never NaN or Inf.
//
// Pipeline: Latency enabled cycles (>= 0; default 2): the cut after the leading-zero
// count and shift (Latency >= 2), then round and pack into the output register(s). en_i
// is the clock enable of every stage. No reset.
`default_nettype none

module lp_i32_to_fp32 #(
  parameter bit Signed  = 1,  // 1: a_i is two's complement int32; 0: unsigned
  parameter int Latency = 2   // cycles from integer to float, >= 0
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic        en_i,   // clock enable for all pipeline stages
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,    // integer
  output logic      [31:0] y_o     // (float)a_i (binary32), Latency cycles later
);

  localparam int Cut1  = (Latency >= 2) ? 1 : 0;
  localparam int OutRg = (Latency >= 2) ? Latency - 1 : Latency;

  // ---------------------------------------------------------------- S0: magnitude, normalise
  logic        s0_sign;
  logic [31:0] s0_mag, s0_norm;
  logic [5:0]  s0_lz;
  assign s0_sign = Signed & a_i[31];
  assign s0_mag  = s0_sign ? 32'd0 - a_i : a_i;  // |INT32_MIN| = 2^31 fits unsigned

  lp_fpu_lzc #(.Width(32), .CntWidth(6)) u_lzc (.in_i(s0_mag), .cnt_o(s0_lz));
  assign s0_norm = s0_mag << s0_lz[4:0];  // s0_lz = 32 only for 0: shifts nothing in

  // lead bit at 31 is worth 2^(31 - lz): biased exponent 158 - lz
  logic signed [9:0] s0_exp;
  logic [25:0]       s0_sig;
  assign s0_exp = 10'sd158 - $signed({4'd0, s0_lz});
  assign s0_sig = {s0_norm[31:7], |s0_norm[6:0]};

  localparam int C1W = 1+10+26;
  logic [C1W-1:0] c1_d, c1_q;
  assign c1_d = {s0_sign, s0_exp, s0_sig};
  lp_fpu_delay #(.Width(C1W), .Depth(Cut1)) u_cut1 (
    .clk_i(clk_i), .en_i(en_i), .d_i(c1_d), .q_o(c1_q)
  );

  // ---------------------------------------------------------------- S1: round, pack
  logic              s1_sign;
  logic signed [9:0] s1_exp;
  logic [25:0]       s1_sig;
  logic [31:0]       s1_y;
  assign {s1_sign, s1_exp, s1_sig} = c1_q;

  // zero: sig = 0 (lead 0), packed as +0 (exponent ignored by round_pack)
  lp_fp32_round_pack u_round (
    .sign_i(s1_sign), .exp_i(s1_exp), .sig_i(s1_sig), .y_o(s1_y)
  );

  lp_fpu_delay #(.Width(32), .Depth(OutRg)) u_out (
    .clk_i(clk_i), .en_i(en_i), .d_i(s1_y), .q_o(y_o)
  );

endmodule

`default_nettype wire
