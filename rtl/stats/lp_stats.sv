// lp_stats - the statistics of docs/design.md of one vector in the reduction order of
// hls/stats/lp_stats.h: element i is lane i % 16 of beat i / 16, beat b adds into partial
// b % 4 of every lane, the partials fold as (p0 + p1) + (p2 + p3) and the lanes as a tree
// of adjacent pairs (lp_stats_fold: one pipelined lp_red_fold tree, 4 sums in 4 cycles,
// done_o 6 x AddLatency + 5 cycles after the vector's last write-back). Counts: n, underflow, saturated, subnormal, nan, inf
// from the per-element flags (LP_QF_* of lp_quant.h) of the lanes holding elements.
//
// A vector ends with the beat that has last_i; done_o pulses when its sums and counts are
// on sum_o / count_o (held until the next done_o). The next vector's first beat must not
// arrive before done_o (lp_quant_stream holds its issue until then).
// Sums = 0 builds the counts only (sum_o = 0): the quantizer without FP32 units, for
// exhaustive runs and area. ExtFold = 1: the sums' fold tree is the parent's, on the tr_*
// ports (lp_stats_fold). Reset: synchronous, active high (control and counters).
`default_nettype none

module lp_stats #(
  parameter int Lanes      = 16,  // elements per beat (the reduction order needs 16)
  parameter int Sums       = 1,   // 1: the FP32 sums; 0: counts only
  parameter int AddLatency = 3,   // latency of lp_fp32_add (1..4)
  parameter int MulLatency = 4,   // latency of lp_fp32_mul
  parameter int ExtFold    = 0    // 1: the fold tree is outside, on the tr_* ports
) (
  input  wire logic                clk_i,    // clock, rising edge
  input  wire logic                rst_i,    // synchronous reset, active high
  input  wire logic                valid_i,  // a beat of quantized elements
  input  wire logic                last_i,   // ... the last of its vector
  input  wire logic [Lanes-1:0]    keep_i,   // lanes holding elements
  input  wire logic [Lanes*32-1:0] g_i,      // input elements (FP32 bits)
  input  wire logic [Lanes*32-1:0] gq_i,     // quantized elements (FP32 bits)
  input  wire logic [Lanes*5-1:0]  flags_i,  // LP_QF_* per lane
  output logic                     done_o,   // one-cycle pulse: statistics of a vector
  output logic      [4*32-1:0]     sum_o,    // G2, Q2, E2, GE (FP32 bits)
  output logic      [6*32-1:0]     count_o,  // n, underflow, saturated, subnormal, nan, inf
  // the shared fold tree (ExtFold = 1; lp_stats_fold)
  output logic                     tr_valid_o, // a set for the tree
  output logic      [64*32-1:0]    tr_set_o,   // ... partial p of lane l at 32*(16p + l)
  output logic      [1:0]          tr_tag_o,   // ... its quantity
  input  wire logic                tr_valid_i, // the tree's sum of a set of ours
  input  wire logic [31:0]         tr_sum_i,   // ... FP32 bits
  input  wire logic [1:0]          tr_tag_i    // ... its quantity
);

  // ------------------------------------------------------------------ counts
  localparam int PcW = $clog2(Lanes + 1);

  logic [PcW-1:0] pc [6];
  always_comb begin
    for (int c = 0; c < 6; c++) begin
      pc[c] = '0;
    end
    for (int l = 0; l < Lanes; l++) begin
      pc[0] = pc[0] + {{(PcW-1){1'b0}}, keep_i[l]};
      for (int f = 0; f < 5; f++) begin
        pc[f+1] = pc[f+1] + {{(PcW-1){1'b0}}, keep_i[l] & flags_i[5*l + f]};
      end
    end
  end

  logic        c_valid_q, c_last_q, cnt_done_q;
  logic [PcW-1:0] pc_q [6];
  logic [31:0] cnt_q [6];
  logic [31:0] cnt_snap_q [6];

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      c_valid_q  <= 1'b0;
      c_last_q   <= 1'b0;
      cnt_done_q <= 1'b0;
      for (int c = 0; c < 6; c++) begin
        cnt_q[c] <= 32'd0;
      end
    end else begin
      c_valid_q  <= valid_i;
      c_last_q   <= valid_i & last_i;
      cnt_done_q <= c_valid_q & c_last_q;
      if (c_valid_q) begin
        for (int c = 0; c < 6; c++) begin
          cnt_q[c] <= c_last_q ? 32'd0 : cnt_q[c] + 32'(pc_q[c]);
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    for (int c = 0; c < 6; c++) begin
      pc_q[c] <= pc[c];
    end
    if (c_valid_q & c_last_q) begin
      for (int c = 0; c < 6; c++) begin
        cnt_snap_q[c] <= cnt_q[c] + 32'(pc_q[c]);
      end
    end
  end

  for (genvar c = 0; c < 6; c++) begin : g_cnt
    assign count_o[32*c +: 32] = cnt_snap_q[c];
  end

  // ------------------------------------------------------------------ sums
  if (Sums != 0) begin : g_sums
    localparam int D = AddLatency + MulLatency;  // from the inputs to the accumulators

    // beat control: partial index, then delayed to the accumulators and the write-back
    logic [1:0]   part_q;
    logic [D-1:0] lv_q, ll_q;
    logic [2*D-1:0] lp_q;
    logic [AddLatency-1:0] wv_q, wl_q;
    logic [2*AddLatency-1:0] wp_q;
    logic         acc_v, acc_l, wb_v, wb_l, snap_q;
    logic [1:0]   acc_p, wb_p;

    always_ff @(posedge clk_i) begin
      if (rst_i) begin
        part_q <= 2'd0;
        lv_q   <= '0;
        wv_q   <= '0;
        snap_q <= 1'b0;
      end else begin
        if (valid_i) begin
          part_q <= last_i ? 2'd0 : part_q + 2'd1;
        end
        lv_q[0] <= valid_i;
        wv_q[0] <= acc_v;
        for (int i = 1; i < D; i++) begin
          lv_q[i] <= lv_q[i-1];
        end
        for (int i = 1; i < AddLatency; i++) begin
          wv_q[i] <= wv_q[i-1];
        end
        snap_q <= wb_v & wb_l;
      end
    end

    always_ff @(posedge clk_i) begin
      ll_q[0]     <= last_i;
      lp_q[1:0]   <= part_q;
      wl_q[0]     <= acc_l;
      wp_q[1:0]   <= acc_p;
      for (int i = 1; i < D; i++) begin
        ll_q[i]         <= ll_q[i-1];
        lp_q[2*i +: 2]  <= lp_q[2*(i-1) +: 2];
      end
      for (int i = 1; i < AddLatency; i++) begin
        wl_q[i]         <= wl_q[i-1];
        wp_q[2*i +: 2]  <= wp_q[2*(i-1) +: 2];
      end
    end

    assign acc_v = lv_q[D-1];
    assign acc_l = ll_q[D-1];
    assign acc_p = lp_q[2*D-1 -: 2];
    assign wb_v  = wv_q[AddLatency-1];
    assign wb_l  = wl_q[AddLatency-1];
    assign wb_p  = wp_q[2*AddLatency-1 -: 2];

    logic [Lanes*128-1:0] rd;
    logic [1:0]           rd_q;
    logic                fold_clear, fold_done;

    for (genvar l = 0; l < Lanes; l++) begin : g_lane
      lp_stats_lane #(.AddLatency(AddLatency), .MulLatency(MulLatency)) u_lane (
        .clk_i     (clk_i),
        .g_i       (g_i[32*l +: 32]),
        .gq_i      (gq_i[32*l +: 32]),
        .m_i       (keep_i[l] & ~flags_i[5*l + 3] & ~flags_i[5*l + 4]),
        .acc_part_i(acc_p),
        .wb_en_i   (wb_v),
        .wb_part_i (wb_p),
        .clear_i   (fold_clear | rst_i),  // the partials start at +0
        .rd_q_i    (rd_q),
        .rd_o      (rd[128*l +: 128])
      );
    end

    lp_stats_fold #(.Lanes(Lanes), .AddLatency(AddLatency), .ExtFold(ExtFold)) u_fold (
      .clk_i     (clk_i),
      .rst_i     (rst_i),
      .snap_i    (snap_q),
      .rd_q_o    (rd_q),
      .rd_i      (rd),
      .clear_o   (fold_clear),
      .done_o    (fold_done),
      .sum_o     (sum_o),
      .tr_valid_o(tr_valid_o),
      .tr_set_o  (tr_set_o),
      .tr_tag_o  (tr_tag_o),
      .tr_valid_i(tr_valid_i),
      .tr_sum_i  (tr_sum_i),
      .tr_tag_i  (tr_tag_i)
    );

    assign done_o = fold_done;

    // the counts are ready long before the sums
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_cnt_done;
    assign unused_cnt_done = cnt_done_q;
    /* verilator lint_on UNUSEDSIGNAL */
  end else begin : g_nosums
    assign sum_o      = '0;
    assign done_o     = cnt_done_q;
    assign tr_valid_o = 1'b0;
    assign tr_set_o   = '0;
    assign tr_tag_o   = '0;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [Lanes*32-1:0] unused_g, unused_gq;
    logic                unused_tr;
    assign unused_g  = g_i;
    assign unused_gq = gq_i;
    assign unused_tr = ^{tr_valid_i, tr_sum_i, tr_tag_i};
    /* verilator lint_on UNUSEDSIGNAL */
  end

endmodule

`default_nettype wire
