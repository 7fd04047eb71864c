// lp_u32_to_fp32 - 32-bit unsigned integer to IEEE 754 binary32, as C's (float)x for a
// uint32_t x: lp_i32_to_fp32 with Signed = 0 (see there: RNE, 0 -> +0).
`default_nettype none

module lp_u32_to_fp32 #(
  parameter int Latency = 2  // cycles from integer to float, >= 0
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic        en_i,   // clock enable for all pipeline stages
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,    // unsigned integer
  output logic      [31:0] y_o     // (float)a_i (binary32), Latency cycles later
);

  lp_i32_to_fp32 #(.Signed(1'b0), .Latency(Latency)) u_conv (
    .clk_i(clk_i), .en_i(en_i), .a_i(a_i), .y_o(y_o)
  );

endmodule

`default_nettype wire
