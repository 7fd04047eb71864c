// lp_sgd_sigmoid - the FP32 sigmoid sequence of hls/sgd/lp_sgd_math.c lp_sigmoid_f32,
// fully pipelined (a new z every cycle):
//   a = z < 0 ? -z : z;  e = lp_exp_f32(-a);  d = 1.0f + e;  s = z >= 0 ? 1.0f / d : e / d
// (-z flips the sign bit, as C's unary minus does, NaN included).
// Latency = lp_sgd_exp's (9 MulLatency + 10 AddLatency) + AddLatency + DivLatency.
// Datapath only: no reset, no control state.
`default_nettype none

module lp_sgd_sigmoid #(
  parameter int MulLatency = 4,   // latency of lp_fp32_mul
  parameter int AddLatency = 3,   // latency of lp_fp32_add
  parameter int DivLatency = 28   // latency of lp_fp32_div
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic [31:0] z_i,    // z (binary32)
  output logic      [31:0] y_o     // lp_sigmoid_f32(z), Latency cycles later
);


  logic [3:0]  cz;
  logic [31:0] a, e, d, e_d;
  logic        pos, pos_d;
  lp_fp32_cmp #(.Latency(0)) u_cz (.clk_i(clk_i), .en_i(1'b1), .a_i(z_i), .b_i(32'h0), .y_o(cz));
  assign a   = cz[0] ? {~z_i[31], z_i[30:0]} : z_i;
  assign pos = cz[2] | cz[1];

  lp_sgd_exp #(.MulLatency(MulLatency), .AddLatency(AddLatency)) u_exp (
    .clk_i(clk_i), .x_i({~a[31], a[30:0]}), .y_o(e)
  );
  lp_fp32_add #(.Latency(AddLatency)) u_d (.clk_i(clk_i), .en_i(1'b1), .a_i(32'h3F80_0000), .b_i(e), .y_o(d));
  lp_fpu_delay #(.Width(32), .Depth(AddLatency)) u_ed (.clk_i(clk_i), .en_i(1'b1), .d_i(e), .q_o(e_d));

  // the sign of z, carried beside exp (two chains: Verilator's loop unrolling limit)
  logic pos_h;
  lp_fpu_delay #(.Width(1), .Depth(9 * MulLatency)) u_p0 (.clk_i(clk_i), .en_i(1'b1), .d_i(pos), .q_o(pos_h));
  lp_fpu_delay #(.Width(1), .Depth(10 * AddLatency + AddLatency)) u_p1 (
    .clk_i(clk_i), .en_i(1'b1), .d_i(pos_h), .q_o(pos_d)
  );

  lp_fp32_div #(.Latency(DivLatency)) u_div (
    .clk_i(clk_i), .en_i(1'b1), .a_i(pos_d ? 32'h3F80_0000 : e_d), .b_i(d), .y_o(y_o)
  );

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_cz;
  assign unused_cz = cz[3];
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
