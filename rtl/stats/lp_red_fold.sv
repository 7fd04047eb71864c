// lp_red_fold - the documented fold of one set of 4 x 16 partial sums (hls/stats/lp_stats.c
// lp_red_fold), fully pipelined: a new set every cycle, the sum Levels x AddLatency cycles
// later. The one fold of the datapath's reductions. The order, bit for bit the C function:
//   level 0, per lane l:  a_l = p0 + p1;  b_l = p2 + p3      (32 adders)
//   level 1, per lane l:  lane_l = a_l + b_l                 (16 adders)
//   levels 2..5: lane_l = lane_2l + lane_2l+1 for 8, 4, 2, 1 pairs (left operand lower lane)
// Users: the dot-product engine (rtl/sgd/lp_sgd_dot) folds one class per cycle, so a row's
// K <= 16 dot products leave in K consecutive cycles; the statistics (lp_stats_fold) fold
// their four sums G2, Q2, E2, GE in 4 consecutive cycles.
// Reset: synchronous, active high, clears the valid pipe only (datapath not reset).
`default_nettype none

module lp_red_fold #(
  parameter int AddLatency = 3,  // latency of lp_fp32_add (>= 1)
  parameter int TagWidth   = 4   // bits of the tag carried beside each set
) (
  input  wire logic                clk_i,    // clock, rising edge
  input  wire logic                rst_i,    // synchronous reset, active high
  input  wire logic                valid_i,  // a set of partials is on acc_i
  input  wire logic [64*32-1:0]    acc_i,    // partial p of lane l at 32*(16p + l)
  input  wire logic [TagWidth-1:0] tag_i,    // carried to tag_o (e.g. the class index)
  output logic                     valid_o,  // sum_o holds a folded set
  output logic      [31:0]         sum_o,    // the fold of the set, FP32 bits
  output logic      [TagWidth-1:0] tag_o     // tag_i of that set
);

  localparam int Levels = 6;

  // level 0: 32 adders (p0 + p1 into slot l, p2 + p3 into slot 16 + l)
  logic [31:0] l0 [32];
  for (genvar l = 0; l < 16; l++) begin : g_l0
    lp_fp32_add #(.Latency(AddLatency)) u_a (
      .clk_i(clk_i), .en_i(1'b1), .a_i(acc_i[32*l +: 32]), .b_i(acc_i[32*(16+l) +: 32]), .y_o(l0[l])
    );
    lp_fp32_add #(.Latency(AddLatency)) u_b (
      .clk_i(clk_i), .en_i(1'b1), .a_i(acc_i[32*(32+l) +: 32]), .b_i(acc_i[32*(48+l) +: 32]),
      .y_o(l0[16+l])
    );
  end

  // level 1: 16 adders
  logic [31:0] l1 [16];
  for (genvar l = 0; l < 16; l++) begin : g_l1
    lp_fp32_add #(.Latency(AddLatency)) u_ab (
      .clk_i(clk_i), .en_i(1'b1), .a_i(l0[l]), .b_i(l0[16+l]), .y_o(l1[l])
    );
  end

  // levels 2..5: the adjacent-pair tree
  logic [31:0] l2 [8];
  logic [31:0] l3 [4];
  logic [31:0] l4 [2];
  for (genvar l = 0; l < 8; l++) begin : g_l2
    lp_fp32_add #(.Latency(AddLatency)) u_t (
      .clk_i(clk_i), .en_i(1'b1), .a_i(l1[2*l]), .b_i(l1[2*l+1]), .y_o(l2[l])
    );
  end
  for (genvar l = 0; l < 4; l++) begin : g_l3
    lp_fp32_add #(.Latency(AddLatency)) u_t (
      .clk_i(clk_i), .en_i(1'b1), .a_i(l2[2*l]), .b_i(l2[2*l+1]), .y_o(l3[l])
    );
  end
  for (genvar l = 0; l < 2; l++) begin : g_l4
    lp_fp32_add #(.Latency(AddLatency)) u_t (
      .clk_i(clk_i), .en_i(1'b1), .a_i(l3[2*l]), .b_i(l3[2*l+1]), .y_o(l4[l])
    );
  end
  lp_fp32_add #(.Latency(AddLatency)) u_root (
    .clk_i(clk_i), .en_i(1'b1), .a_i(l4[0]), .b_i(l4[1]), .y_o(sum_o)
  );

  // valid pipe (control, reset) and tag pipe (datapath)
  logic [Levels*AddLatency-1:0] vpipe_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      vpipe_q <= '0;
    end else begin
      vpipe_q <= {vpipe_q[Levels*AddLatency-2:0], valid_i};
    end
  end
  assign valid_o = vpipe_q[Levels*AddLatency-1];

  lp_fpu_delay #(.Width(TagWidth), .Depth(Levels * AddLatency)) u_tag (
    .clk_i(clk_i), .en_i(1'b1), .d_i(tag_i), .q_o(tag_o)
  );

endmodule

`default_nettype wire
