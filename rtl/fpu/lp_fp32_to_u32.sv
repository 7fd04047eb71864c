// lp_fp32_to_u32 - IEEE 754 binary32 to uint32, as C's (uint32_t)f on x86-64 (gcc):
// lp_fp32_to_i32 with Signed = 0 (see there: truncation; the low 32 bits of the int64
// conversion; NaN, Inf, |f| >= 2^63 -> 0).
`default_nettype none

module lp_fp32_to_u32 #(
  parameter int Latency = 2  // cycles from float to integer, >= 0
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic        en_i,   // clock enable for all pipeline stages
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,    // binary32
  output logic      [31:0] y_o     // the uint32, Latency cycles later
);

  lp_fp32_to_i32 #(.Signed(1'b0), .Latency(Latency)) u_conv (
    .clk_i(clk_i), .en_i(en_i), .a_i(a_i), .y_o(y_o)
  );

endmodule

`default_nettype wire
