// lp_stats_fold - the end-of-vector fold of the partial sums (hls/stats/lp_stats.c
// lp_red_fold) for the four quantities G2, Q2, E2, GE, through ONE pipelined fold tree
// (lp_red_fold: per lane (p0 + p1) + (p2 + p3), then the adjacent-pair lane tree, bit for
// bit the C order), time-shared: quantity q enters the tree in cycle q after snap_i.
// snap_i starts: for q = 0..3, rd_q_o = q selects quantity q in every lane, whose four
// partials arrive on rd_i (lane l, partial p at 128*l + 32*p) and enter the tree that
// cycle; clear_o then zeroes the partials in the lanes; the four sums leave the tree
// 6 x AddLatency cycles later in consecutive cycles. done_o pulses when sum_o holds all
// four (kept until the next snap_i): snap_i to done_o is 6 x AddLatency + 5 cycles.
// A NaN result reads as the canonical 0x7FC00000 (LP_SUM_NAN).
// Lanes < 16 feed +0 into the tree's missing lanes (adding +0 keeps a sum's bits).
// ExtFold = 1 leaves the tree out: the sets leave on tr_*_o and their sums come back on
// tr_*_i, from a tree the parent shares with another user (lp_sgd_step: the dot-product
// engine's, never busy at the same time): an lp_red_fold returning each set's sum with its
// tag, in order; done_o then follows snap_i by that tree's latency + 5 cycles.
// Reset: synchronous, active high (the sequencer and the tree's valid pipe).
`default_nettype none

module lp_stats_fold #(
  parameter int Lanes      = 16,  // lanes of partial sums (the order is defined for 16)
  parameter int AddLatency = 3,   // latency of lp_fp32_add (>= 1)
  parameter int ExtFold    = 0    // 0: its own fold tree; 1: the tree is outside, on the tr_* ports
) (
  input  wire logic                    clk_i,     // clock, rising edge
  input  wire logic                    rst_i,     // synchronous reset, active high
  input  wire logic                    snap_i,    // the partials are final: fold them
  output logic      [1:0]              rd_q_o,    // quantity to read: G2, Q2, E2, GE
  input  wire logic [Lanes*128-1:0]    rd_i,      // its partial p of lane l at 128*l + 32*p
  output logic                         clear_o,   // the partials are read: zero them
  output logic                         done_o,    // one-cycle pulse: sum_o is the result
  output logic      [4*32-1:0]         sum_o,     // G2, Q2, E2, GE
  // the shared fold tree (ExtFold = 1; lp_red_fold's ports, tag = the quantity)
  output logic                         tr_valid_o, // a set for the tree
  output logic      [64*32-1:0]        tr_set_o,   // ... partial p of lane l at 32*(16p + l)
  output logic      [1:0]              tr_tag_o,   // ... its quantity
  input  wire logic                    tr_valid_i, // the tree's sum of a set of ours
  input  wire logic [31:0]             tr_sum_i,   // ... FP32 bits
  input  wire logic [1:0]              tr_tag_i    // ... its quantity
);

  // the sequencer: 4 cycles of reads, one quantity per cycle
  logic       feed_q;
  logic [1:0] q_q;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      feed_q  <= 1'b0;
      q_q     <= 2'd0;
      clear_o <= 1'b0;
    end else begin
      clear_o <= 1'b0;
      if (snap_i) begin
        feed_q <= 1'b1;
        q_q    <= 2'd0;
      end else if (feed_q) begin
        q_q <= q_q + 2'd1;
        if (q_q == 2'd3) begin
          feed_q  <= 1'b0;
          clear_o <= 1'b1;
        end
      end
    end
  end
  assign rd_q_o = q_q;

  // the set in the layout of lp_red_fold: partial p of lane l at 32*(16p + l)
  logic [64*32-1:0] set;
  always_comb begin
    set = '0;
    for (int l = 0; l < Lanes; l++) begin
      for (int p = 0; p < 4; p++) begin
        set[32*(16*p + l) +: 32] = rd_i[128*l + 32*p +: 32];
      end
    end
  end

  logic        f_valid;
  logic [31:0] f_sum;
  logic [1:0]  f_q;

  assign tr_valid_o = feed_q;
  assign tr_set_o   = set;
  assign tr_tag_o   = q_q;
  if (ExtFold == 0) begin : g_tree
    lp_red_fold #(.AddLatency(AddLatency), .TagWidth(2)) u_tree (
      .clk_i  (clk_i),
      .rst_i  (rst_i),
      .valid_i(feed_q),
      .acc_i  (set),
      .tag_i  (q_q),
      .valid_o(f_valid),
      .sum_o  (f_sum),
      .tag_o  (f_q)
    );
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_tr;
    assign unused_tr = ^{tr_valid_i, tr_sum_i, tr_tag_i};
    /* verilator lint_on UNUSEDSIGNAL */
  end else begin : g_ext
    assign f_valid = tr_valid_i;
    assign f_sum   = tr_sum_i;
    assign f_q     = tr_tag_i;
  end

  // the sums, captured as they leave the tree (datapath); done after the last one
  logic [31:0] sum_q [4];

  always_ff @(posedge clk_i) begin
    if (f_valid) begin
      sum_q[f_q] <= f_sum;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      done_o <= 1'b0;
    end else begin
      done_o <= f_valid & (f_q == 2'd3);
    end
  end

  // a NaN sum is reported as the canonical quiet NaN (LP_SUM_NAN of lp_stats.h): which NaN
  // an add propagates depends on operand order, which C does not fix
  for (genvar q = 0; q < 4; q++) begin : g_out
    assign sum_o[32*q +: 32] = (sum_q[q][30:0] > 31'h7F80_0000) ? 32'h7FC0_0000 : sum_q[q];
  end

endmodule

`default_nettype wire
