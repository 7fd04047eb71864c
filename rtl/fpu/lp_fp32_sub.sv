// lp_fp32_sub - pipelined IEEE 754 binary32 subtractor: y = a - b.
//
// lp_fp32_addsub with sub_i tied high: lp_fp32_add with b's sign flipped, except when b is
// a NaN (C's a - NaN, x86 SSE subss, returns b's NaN quieted with its own sign, so a NaN b
// passes unchanged). Rounding, specials, the pipeline, the Latency and en_i: lp_fp32_add.
`default_nettype none

module lp_fp32_sub #(
  parameter int Latency = 3  // cycles from operands to difference, >= 0 (as lp_fp32_add)
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic        en_i,   // clock enable for all pipeline stages
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,    // operand a (binary32)
  input  wire logic [31:0] b_i /*verilator public_flat_rd*/,    // operand b (binary32)
  output logic      [31:0] y_o     // a - b (binary32), Latency cycles later
);

  lp_fp32_addsub #(.Latency(Latency)) u_addsub (
    .clk_i(clk_i), .en_i(en_i), .sub_i(1'b1), .a_i(a_i), .b_i(b_i), .y_o(y_o)
  );

endmodule

`default_nettype wire
