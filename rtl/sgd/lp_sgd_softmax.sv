// lp_sgd_softmax - the loss derivative of the softmax model (hls/sgd/lp_sgd.c row_derivative,
// LP_MODEL_SOFTMAX), one row of K class scores z_0..z_{K-1} in, the K derivatives out, the
// C operations in the C order with the C operand order (hls/sgd/lp_sgd_math.c
// lp_softmax_f32):
//   c = (uint32_t)y (the caller converts: c_i);  best = argmax z (z[i] > z[best], first index wins);  correct += best == c
//   m = z_0;  m = z_k > m ? z_k : m  (k = 1..K-1, sequential)
//   e_k = lp_exp_f32(z_k - m)         (lp_fp32_sub, then the lp_sgd_exp pipeline)
//   s = 0.0f;  s = s + e_k            (k = 0..K-1, sequential, class order)
//   inv = 1.0f / s;  p_k = e_k * inv;  d_k = (k == c) ? p_k - 1.0f : p_k
// (best and m move together: both take z_k exactly when z_k > the current maximum.)
//
// Four stages, each one row at a time, rows in order, so several rows are in flight:
//   S1 collect: the z stream (one class per cycle, class order, from lp_sgd_dot) is stored
//      in the row's slot; the running max/argmax compare (lp_fp32_cmp, combinational)
//   S2 exp: K subtractions z_k - m issued on consecutive cycles into lp_sgd_exp; each e_k
//      overwrites z_k in the slot
//   S3 sum: the K dependent adds, one every AddLatency cycles (the one sequential chain of
//      the row: K * AddLatency cycles per row), then 1/s (lp_fp32_div, pipelined)
//   S4 products: e_k * inv and p_k - 1.0f, one class per cycle; the K derivatives leave
//      together (d_o, classes >= K are +0) with a one-cycle d_valid_o
// S2, S3 and S4 step through a row's classes with an lp_sgd_kseq each.
// Rate: one row per max(K + 1, K * AddLatency + 1) cycles; the slots (Slots rows) must
// cover every row between its first z and its d (lp_sgd_step: the row ring's RowSlots
// bound this). Latency from the last z to d_valid_o: about
// K + AddLatency + (9 MulLatency + 10 AddLatency) + K * AddLatency + DivLatency + K
// + MulLatency + AddLatency cycles.
// Reset: synchronous, active high; clears control state (counters, FIFO pointers, valid
// pipes) and the correct count; the slots and datapath registers are not reset.
`default_nettype none

module lp_sgd_softmax #(
  parameter int Classes    = 16,  // max K (2..16)
  parameter int Slots      = 8,   // rows held between their first z and their d (power of two)
  parameter int MulLatency = 4,   // latency of lp_fp32_mul
  parameter int AddLatency = 3,   // latency of lp_fp32_add (>= 1)
  parameter int DivLatency = 28   // latency of lp_fp32_div
) (
  input  wire logic                    clk_i,      // clock, rising edge
  input  wire logic                    rst_i,      // synchronous reset, active high
  input  wire logic [4:0]              nclass_i,   // K, 2..Classes (quasi-static)
  input  wire logic                    clear_i,    // a step starts: the correct count restarts
  input  wire logic                    z_valid_i,  // z_i is the score of class z_class_i
  input  wire logic [31:0]             z_i,        // z_c (FP32)
  input  wire logic [3:0]              z_class_i,  // c, 0..K-1 in order
  input  wire logic                    z_last_i,   // c == K-1
  input  wire logic [31:0]             c_i,        // the row's c = (uint32_t)y, with z_last_i
  output logic                         d_valid_o,  // d_o holds a row's derivatives
  output logic      [Classes*32-1:0]   d_o,        // d_c at 32*c
  output logic      [31:0]             correct_o,  // rows of the step classified right so far
  output logic                         idle_o      // no row in flight
);

  localparam int SW     = $clog2(Slots);
  localparam int CW     = (Classes > 1) ? $clog2(Classes) : 1;  // slot entry index
  localparam int ExpLat = 9 * MulLatency + 10 * AddLatency;
  localparam logic [31:0] One = 32'h3F80_0000;

  // the slots: z_k, then e_k of a row
  logic [31:0] buf_q [Slots][Classes];

  // ================================================================== S1: collect, max, argmax
  logic [SW-1:0] s1_slot_q;
  logic [31:0]   m_q, m_d;
  logic [3:0]    best_q, best_d, gtf;
  logic          take, s1_last;
  lp_fp32_cmp #(.Latency(0)) u_gt (.clk_i(clk_i), .en_i(1'b1), .a_i(z_i), .b_i(m_q), .y_o(gtf));
  assign take    = (z_class_i == 4'd0) | gtf[2];
  assign m_d     = take ? z_i : m_q;
  assign best_d  = take ? z_class_i : best_q;
  assign s1_last = z_valid_i & z_last_i;

  // the correct count: a row's hit registered, then counted (the count lags its last z by
  // two cycles; a step's record is taken long after its last row's derivatives)
  logic [31:0] correct_q;
  logic        hit_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      s1_slot_q <= '0;
      correct_q <= '0;
      hit_q     <= 1'b0;
    end else begin
      if (s1_last) s1_slot_q <= s1_slot_q + 1'b1;
      hit_q <= s1_last && {28'd0, best_d} == c_i;
      if (hit_q) correct_q <= correct_q + 1'b1;
      if (clear_i) correct_q <= '0;
    end
    if (z_valid_i) begin
      m_q    <= m_d;
      best_q <= best_d;
    end
  end
  assign correct_o = correct_q;

  // the row's maximum (S1 -> S2) and label (S1 -> S4)
  logic [31:0] q1_head, qc_head;
  logic [SW:0] q1_count, qc_count;
  logic        q1_pop, qc_pop;
  lp_fifo #(.Width(32), .Depth(Slots)) u_q1 (
    .clk_i(clk_i), .rst_i(rst_i), .wr_i(s1_last), .d_i(m_d), .rd_i(q1_pop), .q_o(q1_head), .count_o(q1_count)
  );
  lp_fifo #(.Width(32), .Depth(Slots)) u_qc (
    .clk_i(clk_i), .rst_i(rst_i), .wr_i(s1_last), .d_i(c_i), .rd_i(qc_pop), .q_o(qc_head), .count_o(qc_count)
  );

  // ================================================================== S2: e_k = exp(z_k - m)
  logic          s2_busy, s2_issue, s2_lastk;
  logic [3:0]    s2_k;
  logic [SW-1:0] s2_slot;
  logic [31:0]   s2_m_q, x, e;
  assign q1_pop = !s2_busy && (q1_count != '0);
  lp_sgd_kseq #(.SlotWidth(SW), .Gap(0)) u_s2_seq (
    .clk_i(clk_i), .rst_i(rst_i), .nclass_i(nclass_i), .start_i(q1_pop), .busy_o(s2_busy), .issue_o(s2_issue),
    .k_o(s2_k), .last_o(s2_lastk), .slot_o(s2_slot)
  );
  always_ff @(posedge clk_i) begin
    if (q1_pop) s2_m_q <= q1_head;
  end
  lp_fp32_sub #(.Latency(AddLatency)) u_zm (
    .clk_i(clk_i), .en_i(1'b1), .a_i(buf_q[s2_slot][CW'(s2_k)]), .b_i(s2_m_q), .y_o(x)
  );
  lp_sgd_exp #(.MulLatency(MulLatency), .AddLatency(AddLatency)) u_exp (.clk_i(clk_i), .x_i(x), .y_o(e));

  // {last, k} beside the subtraction and exp (two chains: Verilator's unrolling limit)
  logic [4:0] et_h, et;
  logic       e_valid;
  lp_fpu_delay #(.Width(5), .Depth(9 * MulLatency)) u_et0 (
    .clk_i(clk_i), .en_i(1'b1), .d_i({s2_lastk, s2_k}), .q_o(et_h)
  );
  lp_fpu_delay #(.Width(5), .Depth(ExpLat - 9 * MulLatency + AddLatency)) u_et1 (
    .clk_i(clk_i), .en_i(1'b1), .d_i(et_h), .q_o(et)
  );
  // the valid bit of the tag is control state: a reset pipe beside the chains
  logic [9*MulLatency-1:0]                       evp0_q;
  logic [ExpLat-9*MulLatency+AddLatency-1:0]     evp1_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      evp0_q <= '0;
      evp1_q <= '0;
    end else begin
      evp0_q <= (9*MulLatency)'({evp0_q, s2_issue});
      evp1_q <= (ExpLat-9*MulLatency+AddLatency)'({evp1_q, evp0_q[9*MulLatency-1]});
    end
  end
  assign e_valid = evp1_q[ExpLat-9*MulLatency+AddLatency-1];

  logic [SW-1:0] e_slot_q;
  logic [SW:0]   e_pend_q;   // rows whose e_k are all in their slot, sum not started
  logic          s3_start;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      e_slot_q <= '0;
      e_pend_q <= '0;
    end else begin
      if (e_valid && et[4]) e_slot_q <= e_slot_q + 1'b1;
      e_pend_q <= e_pend_q + {{SW{1'b0}}, e_valid & et[4]} - {{SW{1'b0}}, s3_start};
    end
  end

  // ================================================================== S3: s = s + e_k, inv = 1/s
  logic          s3_busy, s3_issue, s3_lastk;
  logic [3:0]    s3_k;
  logic [SW-1:0] s3_slot;
  logic [31:0]   sum, s3_a, inv;
  assign s3_start = !s3_busy && (e_pend_q != '0);
  assign s3_a     = (s3_k == 4'd0) ? 32'h0 : sum;  // s = 0.0f; then the previous sum
  // one add every AddLatency cycles: each waits for the previous sum
  lp_sgd_kseq #(.SlotWidth(SW), .Gap(AddLatency - 1)) u_s3_seq (
    .clk_i(clk_i), .rst_i(rst_i), .nclass_i(nclass_i), .start_i(s3_start), .busy_o(s3_busy), .issue_o(s3_issue),
    .k_o(s3_k), .last_o(s3_lastk), .slot_o(s3_slot)
  );
  lp_fp32_add #(.Latency(AddLatency)) u_sum (
    .clk_i(clk_i), .en_i(1'b1), .a_i(s3_a), .b_i(buf_q[s3_slot][CW'(s3_k)]), .y_o(sum)
  );
  lp_fp32_div #(.Latency(DivLatency)) u_inv (.clk_i(clk_i), .en_i(1'b1), .a_i(One), .b_i(sum), .y_o(inv));
  logic [AddLatency+DivLatency-1:0] sv_q;  // the row's last add, then its division
  always_ff @(posedge clk_i) begin
    if (rst_i) sv_q <= '0;
    else sv_q <= (AddLatency+DivLatency)'({sv_q, s3_issue & s3_lastk});
  end

  logic [31:0] q4_head;
  logic [SW:0] q4_count;
  logic        q4_pop;
  lp_fifo #(.Width(32), .Depth(Slots)) u_q4 (
    .clk_i(clk_i), .rst_i(rst_i), .wr_i(sv_q[AddLatency+DivLatency-1]), .d_i(inv), .rd_i(q4_pop), .q_o(q4_head),
    .count_o(q4_count)
  );

  // ================================================================== S4: p_k = e_k * inv, d_k
  logic          s4_busy, s4_issue, s4_lastk;
  logic [3:0]    s4_k;
  logic [SW-1:0] s4_slot;
  logic [31:0]   s4_inv_q, s4_c_q, p, p_d, pm1;
  assign q4_pop = !s4_busy && (q4_count != '0);
  assign qc_pop = q4_pop;
  lp_sgd_kseq #(.SlotWidth(SW), .Gap(0)) u_s4_seq (
    .clk_i(clk_i), .rst_i(rst_i), .nclass_i(nclass_i), .start_i(q4_pop), .busy_o(s4_busy), .issue_o(s4_issue),
    .k_o(s4_k), .last_o(s4_lastk), .slot_o(s4_slot)
  );
  always_ff @(posedge clk_i) begin
    if (q4_pop) begin
      s4_inv_q <= q4_head;
      s4_c_q   <= qc_head;
    end
  end
  lp_fp32_mul #(.Latency(MulLatency)) u_p (
    .clk_i(clk_i), .en_i(1'b1), .a_i(buf_q[s4_slot][CW'(s4_k)]), .b_i(s4_inv_q), .y_o(p)
  );
  lp_fp32_sub #(.Latency(AddLatency)) u_pm1 (.clk_i(clk_i), .en_i(1'b1), .a_i(p), .b_i(One), .y_o(pm1));
  lp_fpu_delay #(.Width(32), .Depth(AddLatency)) u_pd (.clk_i(clk_i), .en_i(1'b1), .d_i(p), .q_o(p_d));

  // {last, label class, k} beside the product and the subtraction
  logic [5:0] pt;
  lp_fpu_delay #(.Width(6), .Depth(MulLatency + AddLatency)) u_pt (
    .clk_i(clk_i), .en_i(1'b1), .d_i({s4_lastk, {28'd0, s4_k} == s4_c_q, s4_k}), .q_o(pt)
  );
  logic [MulLatency+AddLatency-1:0] pv_q;
  logic                             dv_q;
  logic [31:0]                      dvec_q [Classes];
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      pv_q <= '0;
      dv_q <= 1'b0;
    end else begin
      pv_q <= (MulLatency+AddLatency)'({pv_q, s4_issue});
      dv_q <= pv_q[MulLatency+AddLatency-1] & pt[5];
    end
    if (pv_q[MulLatency+AddLatency-1]) dvec_q[CW'(pt[3:0])] <= pt[4] ? pm1 : p_d;
  end
  assign d_valid_o = dv_q;
  for (genvar c = 0; c < Classes; c++) begin : g_d
    assign d_o[32*c +: 32] = (5'(c) < nclass_i) ? dvec_q[c] : 32'h0;
  end

  // ================================================================== the slots' writes
  always_ff @(posedge clk_i) begin
    if (z_valid_i) buf_q[s1_slot_q][CW'(z_class_i)] <= z_i;
    if (e_valid) buf_q[e_slot_q][CW'(et[3:0])] <= e;
  end

  // ================================================================== rows in flight
  logic [SW+1:0] rows_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) rows_q <= '0;
    else rows_q <= rows_q + {{(SW+1){1'b0}}, s1_last} - {{(SW+1){1'b0}}, dv_q};
  end
  assign idle_o = rows_q == '0;

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_s;
  assign unused_s = ^{gtf[3], gtf[1:0], qc_count};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
