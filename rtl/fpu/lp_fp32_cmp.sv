// lp_fp32_cmp - IEEE 754 binary32 comparison, the four C relations at once.
//
// y_o = {unordered, a > b, a == b, a < b}, exactly C's a > b, a == b, a < b on floats
// (and isnan(a) || isnan(b) for bit 3): any NaN makes the comparison unordered and the
// three relations false; -0 == +0; otherwise the order of the real values, subnormals
// included. a <= b is lt | eq, a >= b is gt | eq.
//
// Pipeline: Latency enabled cycles from (a_i, b_i) to y_o (>= 0; default 1: the output
// register); all stages advance when en_i is 1 and hold when it is 0. No reset.
`default_nettype none

module lp_fp32_cmp #(
  parameter int Latency = 1  // cycles from operands to flags, >= 0
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic        en_i,   // clock enable for all pipeline stages
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,    // operand a (binary32)
  input  wire logic [31:0] b_i /*verilator public_flat_rd*/,    // operand b (binary32)
  output logic      [3:0]  y_o     // {unordered, gt, eq, lt}, Latency cycles later
);

  logic a_nan, b_nan, unord, both_zero, mag_lt, mag_eq, lt, eq, gt;
  assign a_nan     = (a_i[30:23] == 8'hFF) & (a_i[22:0] != 23'd0);
  assign b_nan     = (b_i[30:23] == 8'hFF) & (b_i[22:0] != 23'd0);
  assign unord     = a_nan | b_nan;
  assign both_zero = (a_i[30:0] == 31'd0) & (b_i[30:0] == 31'd0);
  // sign-magnitude order: the magnitude bits order like unsigned integers
  assign mag_lt    = a_i[30:0] < b_i[30:0];
  assign mag_eq    = a_i[30:0] == b_i[30:0];
  assign eq        = ~unord & (both_zero | (mag_eq & (a_i[31] == b_i[31])));
  always_comb begin
    if (unord | eq) begin
      lt = 1'b0;
    end else if (a_i[31] != b_i[31]) begin
      lt = a_i[31];  // a negative, b positive (not both zero: that is eq)
    end else begin
      lt = a_i[31] ? ~mag_lt & ~mag_eq : mag_lt;
    end
  end
  assign gt = ~unord & ~eq & ~lt;

  lp_fpu_delay #(.Width(4), .Depth(Latency)) u_out (
    .clk_i(clk_i), .en_i(en_i), .d_i({unord, gt, eq, lt}), .q_o(y_o)
  );

endmodule

`default_nettype wire
