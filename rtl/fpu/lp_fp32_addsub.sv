// lp_fp32_addsub - pipelined IEEE 754 binary32 adder/subtractor: y = sub_i ? a - b : a + b.
//
// lp_fp32_add with b's sign flipped when sub_i is high, except when b is a NaN: C's
// a - NaN (x86 SSE subss) returns b's NaN quieted with its own sign, so a NaN b passes
// unchanged. Everything else (rounding, subnormals, a's NaN winning, Inf - Inf =
// 0xFFC00000, x - x = +0, -0 - +0 = -0) is the adder's; so are the pipeline, the Latency
// and en_i (see lp_fp32_add). sub_i goes with the operands (it is used before the first
// pipeline stage). lp_fp32_sub is this unit with sub_i tied high; the SGD step's lanes
// switch between accumulating (a + d*x) and updating (w - mu*gq) with it.
`default_nettype none

module lp_fp32_addsub #(
  parameter int Latency = 3  // cycles from operands to result, >= 0 (as lp_fp32_add)
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic        en_i,   // clock enable for all pipeline stages
  input  wire logic        sub_i /*verilator public_flat_rd*/,  // 1: a - b, 0: a + b (with the operands)
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,    // operand a (binary32)
  input  wire logic [31:0] b_i /*verilator public_flat_rd*/,    // operand b (binary32)
  output logic      [31:0] y_o     // a + b or a - b (binary32), Latency cycles later
);

  logic        b_nan;
  logic [31:0] b_eff;
  assign b_nan = (b_i[30:23] == 8'hFF) & (b_i[22:0] != 23'd0);
  assign b_eff = (sub_i & ~b_nan) ? {~b_i[31], b_i[30:0]} : b_i;

  lp_fp32_add #(.Latency(Latency)) u_add (
    .clk_i(clk_i), .en_i(en_i), .a_i(a_i), .b_i(b_eff), .y_o(y_o)
  );

endmodule

`default_nettype wire
