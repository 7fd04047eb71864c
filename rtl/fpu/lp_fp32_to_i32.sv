// lp_fp32_to_i32 - IEEE 754 binary32 to 32-bit integer, truncating, as C's casts on
// x86-64 (gcc: cvttss2si).
//
// Signed = 1, (int32_t)f: rounds toward zero; NaN, +-Inf and values outside
// [-2^31, 2^31) give 0x80000000 (the x86 "integer indefinite").
// Signed = 0, (uint32_t)f (lp_fp32_to_u32): gcc converts to int64 and keeps the low 32
// bits, so values in (-2^63, 2^63) give the low 32 bits of trunc(f) (e.g. -1.0f ->
// 0xFFFFFFFF, 2^32 -> 0) and NaN, +-Inf, |f| >= 2^63 give 0. (C leaves out-of-range
// conversions undefined; these are the bits this machine's C produces.)
//
// Pipeline: Latency enabled cycles (>= 0; default 2): the cut after the shift
// (Latency >= 2), then negate and select into the output register(s). en_i is the clock
// enable of every stage. No reset.
`default_nettype none

module lp_fp32_to_i32 #(
  parameter bit Signed  = 1,  // 1: to int32 (x86 indefinite on overflow); 0: to uint32
  parameter int Latency = 2   // cycles from float to integer, >= 0
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic        en_i,   // clock enable for all pipeline stages
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,    // binary32
  output logic      [31:0] y_o     // the integer, Latency cycles later
);

  localparam int Cut1  = (Latency >= 2) ? 1 : 0;
  localparam int OutRg = (Latency >= 2) ? Latency - 1 : Latency;

  // ---------------------------------------------------------------- S0: shift
  // |f| = sig * 2^(e - 150): right shift when e <= 150, left shift (at most 7 keeps the
  // int32 range; the low 32 bits of larger shifts are the uint32 result) when e > 150
  logic        s0_sign, s0_invalid;
  logic [7:0]  s0_e;
  logic [23:0] s0_sig;
  logic [31:0] s0_mag;
  assign s0_sign = a_i[31];
  assign s0_e    = a_i[30:23];
  assign s0_sig  = {1'b1, a_i[22:0]};
  always_comb begin
    if (s0_e < 8'd127) begin
      s0_mag = 32'd0;                                  // |f| < 1 (zeros, subnormals)
    end else if (s0_e <= 8'd150) begin
      s0_mag = {8'd0, s0_sig} >> (8'd150 - s0_e);
    end else if (s0_e < 8'd182) begin
      s0_mag = {8'd0, s0_sig} << (s0_e - 8'd150);      // low 32 bits
    end else begin
      s0_mag = 32'd0;                                  // 2^32 and up: low 32 bits are 0
    end
  end
  // int32: |f| >= 2^31 is out of range (-2^31 itself gives the same 0x80000000 bits)
  // uint32: NaN, Inf and |f| >= 2^63 give 0 (already 0 above for e >= 182)
  assign s0_invalid = Signed ? (s0_e >= 8'd158) : 1'b0;

  localparam int C1W = 1+1+32;
  logic [C1W-1:0] c1_d, c1_q;
  assign c1_d = {s0_sign, s0_invalid, s0_mag};
  lp_fpu_delay #(.Width(C1W), .Depth(Cut1)) u_cut1 (
    .clk_i(clk_i), .en_i(en_i), .d_i(c1_d), .q_o(c1_q)
  );

  // ---------------------------------------------------------------- S1: sign, select
  logic        s1_sign, s1_invalid;
  logic [31:0] s1_mag, s1_y;
  assign {s1_sign, s1_invalid, s1_mag} = c1_q;
  assign s1_y = s1_invalid ? 32'h8000_0000 : (s1_sign ? 32'd0 - s1_mag : s1_mag);

  lp_fpu_delay #(.Width(32), .Depth(OutRg)) u_out (
    .clk_i(clk_i), .en_i(en_i), .d_i(s1_y), .q_o(y_o)
  );

endmodule

`default_nettype wire
