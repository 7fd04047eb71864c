// lp_fp32_max - the running maximum step of the softmax sequence: y = (b > a) ? b : a.
//
// Exactly the C expression (hls/sgd/lp_sgd_math.c: m = z[i] > m ? z[i] : m with a = m,
// b = z[i]), not IEEE maxNum: on a tie (+0 vs -0 included) a is kept, a NaN b never
// replaces a, a NaN a is kept (every comparison with it is false). Bits pass unchanged
// (no quieting).
//
// Pipeline: Latency enabled cycles (>= 0; default 1: the output register); en_i is the
// clock enable of every stage. No reset.
`default_nettype none

module lp_fp32_max #(
  parameter int Latency = 1  // cycles from operands to result, >= 0
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic        en_i,   // clock enable for all pipeline stages
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,    // running maximum a (binary32)
  input  wire logic [31:0] b_i /*verilator public_flat_rd*/,    // candidate b (binary32)
  output logic      [31:0] y_o     // b > a ? b : a, Latency cycles later
);

  logic [3:0] rel;  // {unordered, gt, eq, lt} of (a, b)
  lp_fp32_cmp #(.Latency(0)) u_cmp (
    .clk_i(clk_i), .en_i(en_i), .a_i(a_i), .b_i(b_i), .y_o(rel)
  );

  // only a < b (b > a) selects b
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_rel;
  assign unused_rel = ^rel[3:1];
  /* verilator lint_on UNUSEDSIGNAL */

  lp_fpu_delay #(.Width(32), .Depth(Latency)) u_out (
    .clk_i(clk_i), .en_i(en_i), .d_i(rel[0] ? b_i : a_i), .q_o(y_o)
  );

endmodule

`default_nettype wire
