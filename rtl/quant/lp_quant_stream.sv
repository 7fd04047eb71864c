// lp_quant_stream - the streaming quantizer with statistics: Lanes FP32 elements per beat
// in, their quantized values and codes out, the statistics of docs/design.md of each vector
// (beats up to and including one with last) out. Fully pipelined: one beat per cycle.
//
//   in  -> block FIFO ---------------------------> issue -> SR hash (2) -> Lanes x
//    \                                             ^         lp_quant_lane (4) -> out FIFO
//     -> lp_amax (2) -> k (1) -> grid (1) -> k FIFO                   \-> lp_stats
//
// Scaling: LP_SCALE_NONE uses k = 0. LP_SCALE_TENSOR uses the SCALE_K register: one
// streaming pass cannot know the amax before the first element, so either the host or
// driver writes k = lp_scale_k(amax of the tensor), or a user that made a pass ahead
// (lp_sgd_step) hands the amax to tk_amax_i and k is computed here. LP_SCALE_BLOCK32
// computes the OCP MX scale of every 32-element block (2 beats) in hardware (lp_amax,
// lp_scale_k): the beats of a block wait in the block FIFO until its k is known. Every
// beat leaves with the k of its block (out_k_o).
//
// Flow control: valid/ready with a registered in_ready_o (block FIFO not full) and
// out_valid_o from a register (output FIFO not empty); the pipeline between the FIFOs
// never stalls: a beat is issued only with a credit for the output FIFO. After a beat
// with last, the next vector waits until that vector's statistics are out (st_valid_o).
// Element i of a vector is lane i % Lanes of beat i / Lanes (the reduction order of
// hls/stats/lp_stats.h); a beat with last may be partial (in_keep_i: lanes that hold
// elements, the lowest ones; missing elements quantize to 0 and are not counted).
//
// Reset convention (all of rtl/quant, rtl/stats): rst_i is synchronous and active high;
// it clears control state (FIFO pointers, counters, valid bits, registers) and zeroes the
// statistics accumulators (they must start at +0); other datapath registers are not
// reset. Configuration (reg_*) is quasi-static: write it while no vector is in flight,
// at least 3 cycles before the first beat (the SR hash of seed and step is precomputed
// from the registers through 2 register stages).
`default_nettype none

module lp_quant_stream #(
  parameter int Lanes      = 16,  // elements per beat; the reduction order needs 16
  parameter int StatsSums  = 1,   // 1: the FP32 sums of the statistics; 0: counts only
  parameter int InDepth    = 16,  // beats of the block FIFO (power of two)
  parameter int OutDepth   = 32,  // beats of the output FIFO (power of two, > latency)
  parameter int AddLatency = 3,   // latency of the FP32 adders of the statistics (1..4)
  parameter int MulLatency = 4,   // latency of the FP32 multipliers of the statistics
  parameter int ExtFold    = 0    // 1: the statistics' fold tree is outside, on tr_* (lp_stats)
) (
  input  wire logic                 clk_i,         // clock, rising edge
  input  wire logic                 rst_i,         // synchronous reset, active high
  // configuration registers (docs/rtl.md)
  input  wire logic                 reg_we_i,      // write strobe
  input  wire logic [3:0]           reg_addr_i,    // word address
  input  wire logic [31:0]          reg_wdata_i,   // write data
  output logic      [31:0]          reg_rdata_o,   // read data
  // LP_SCALE_TENSOR computed on chip (lp_sgd_step: amax of the gradient by lp_amax in a
  // pass ahead): SCALE_K <= lp_scale_k(tk_amax_i), written 2 cycles after tk_we_i, between
  // vectors (beats may follow from the next cycle on: stage A3 reads SCALE_K)
  input  wire logic                 tk_we_i,       // set SCALE_K from tk_amax_i
  input  wire logic [30:0]          tk_amax_i,     // largest finite magnitude of the tensor
  output logic                      tensor_o,      // OPTIONS.scale == LP_SCALE_TENSOR
  output logic      [31:0]          tensor_k_o,    // SCALE_K sign-extended when tensor, else 0
  // input stream: FP32 gradient elements
  input  wire logic                 in_valid_i,    // beat valid
  output logic                      in_ready_o,    // beat accepted when valid & ready
  input  wire logic [Lanes*32-1:0]  in_data_i,     // element of lane l at bits 32*l +: 32
  input  wire logic [Lanes-1:0]     in_keep_i,     // lanes holding elements
  input  wire logic                 in_last_i,     // last beat of the vector
  // output stream: quantized elements
  output logic                      out_valid_o,   // beat valid
  input  wire logic                 out_ready_i,   // beat taken when valid & ready
  output logic      [Lanes*32-1:0]  out_value_o,   // decoded FP32 values
  output logic      [Lanes*32-1:0]  out_code_o,    // element codes (code_bits wide)
  output logic      [Lanes-1:0]     out_keep_o,    // lanes holding elements
  output logic                      out_last_o,    // last beat of the vector
  output logic      [15:0]          out_k_o,       // scale exponent k of the beat's block
  // statistics of the vector (lp_qstats_t), held from st_valid_o until the next vector's
  output logic                      st_valid_o,    // one-cycle pulse: statistics ready
  output logic      [4*32-1:0]      st_sum_o,      // G2, Q2, E2, GE (FP32 bits)
  output logic      [6*32-1:0]      st_count_o,    // n, underflow, saturated, subnormal, nan, inf
  // the statistics' fold tree when it is shared (ExtFold = 1; lp_stats_fold)
  output logic                      tr_valid_o,    // a set for the tree
  output logic      [64*32-1:0]     tr_set_o,      // ... partial p of lane l at 32*(16p + l)
  output logic      [1:0]           tr_tag_o,      // ... its quantity
  input  wire logic                 tr_valid_i,    // the tree's sum of a set of ours
  input  wire logic [31:0]          tr_sum_i,      // ... FP32 bits
  input  wire logic [1:0]           tr_tag_i       // ... its quantity
);

  localparam int ExpWidth   = 12;
  localparam int BlockBeats = 32 / Lanes;  // beats per OCP MX block
  localparam int NumRegs    = 14;
  localparam int InCnt      = $clog2(InDepth) + 1;
  localparam int OutCnt     = $clog2(OutDepth) + 1;
  localparam int LaneLat    = 4;  // lp_quant_lane
  localparam int HashLat    = 2;  // the two halves of the SR hash

  // ------------------------------------------------------------------ registers
  logic [NumRegs*32-1:0] regs;

  // the register port, or SCALE_K from the tensor's amax (tk_we_i, registered)
  logic                       tk_we_q;
  logic [30:0]                tk_amax_q;
  logic signed [ExpWidth-1:0] tk_k;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      tk_we_q <= 1'b0;
    end else begin
      tk_we_q <= tk_we_i;
    end
    tk_amax_q <= tk_amax_i;
  end

  lp_quant_regs #(.NumRegs(NumRegs)) u_regs (
    .clk_i  (clk_i),
    .rst_i  (rst_i),
    .we_i   (reg_we_i | tk_we_q),
    .addr_i (tk_we_q ? 4'd12 : reg_addr_i),
    .wdata_i(tk_we_q ? {{(32-ExpWidth){tk_k[ExpWidth-1]}}, tk_k} : reg_wdata_i),
    .rdata_o(reg_rdata_o),
    .regs_o (regs)
  );

  // word 0 FORMAT, 1 EXP, 2 BIAS, 3 MAX_KQ, 4 MAX_BITS, 5 NEG_BITS, 6 MAX_CODE, 7 INF_CODE,
  // 8 NAN_CODE, 9 OPTIONS, 10 SEED, 11 STEP, 12 SCALE_K, 13 ID (docs/rtl.md)
  logic                       cfg_fixed, cfg_has_inf, cfg_has_nan, cfg_overflow, cfg_subn;
  logic [4:0]                 cfg_man;
  logic [5:0]                 cfg_code_bits;
  logic signed [ExpWidth-1:0] cfg_emin, cfg_emax, cfg_bias, cfg_k;
  logic [23:0]                cfg_max_kq;
  logic [31:0]                cfg_max_code, cfg_inf_code, cfg_nan_code, cfg_seed, cfg_step;
  logic [1:0]                 cfg_rounding, cfg_scale;

  assign cfg_fixed     = regs[0];
  assign cfg_has_inf   = regs[3];
  assign cfg_has_nan   = regs[4];
  assign cfg_man       = regs[12:8];
  assign cfg_code_bits = regs[21:16];
  assign cfg_emin      = regs[32 +: ExpWidth];
  assign cfg_emax      = regs[48 +: ExpWidth];
  assign cfg_bias      = regs[64 +: ExpWidth];
  assign cfg_max_kq    = regs[96 +: 24];
  assign cfg_max_code  = regs[192 +: 32];
  assign cfg_inf_code  = regs[224 +: 32];
  assign cfg_nan_code  = regs[256 +: 32];
  assign cfg_rounding  = regs[288 +: 2];
  assign cfg_overflow  = regs[292];
  assign cfg_subn      = regs[296];
  assign cfg_scale     = regs[300 +: 2];
  assign cfg_seed      = regs[320 +: 32];
  assign cfg_step      = regs[352 +: 32];
  assign cfg_k         = regs[384 +: ExpWidth];

  // the tensor scale exponent of tk_amax_i (the block32 k has its own instance below)
  lp_scale_k #(.ExpWidth(ExpWidth)) u_tensor_k (
    .mode_i      (2'd1),  // LP_SCALE_TENSOR
    .cfg_fixed_i (cfg_fixed),
    .cfg_man_i   (cfg_man),
    .cfg_emin_i  (cfg_emin),
    .cfg_emax_i  (cfg_emax),
    .cfg_max_kq_i(cfg_max_kq),
    .amax_i      (tk_amax_q),
    .k_o         (tk_k)
  );

  assign tensor_o   = cfg_scale == 2'd1;
  assign tensor_k_o = tensor_o ? {{(32-ExpWidth){cfg_k[ExpWidth-1]}}, cfg_k} : 32'd0;

  // stored for the host (read back), not needed by the datapath: specials, max_bits and
  // neg_bits (recomputed per grid), the upper halves of the exponent words, the ID
  /* verilator lint_off UNUSEDSIGNAL */
  logic [NumRegs*32-1:0] unused_regs;
  assign unused_regs = regs;
  /* verilator lint_on UNUSEDSIGNAL */

  // SR hash: h0 = mix(seed ^ mix(step ^ 0x9E3779B9)), precomputed from the registers
  logic [31:0] h_step_a, h_step_b, h_seed_a, h_seed_b, h_step_q, h0_q;

  lp_hash_mix32 #(.Half(0)) u_hstep0 (.x_i(cfg_step ^ 32'h9E37_79B9), .y_o(h_step_a));
  lp_hash_mix32 #(.Half(1)) u_hstep1 (.x_i(h_step_a), .y_o(h_step_b));
  lp_hash_mix32 #(.Half(0)) u_hseed0 (.x_i(cfg_seed ^ h_step_q), .y_o(h_seed_a));
  lp_hash_mix32 #(.Half(1)) u_hseed1 (.x_i(h_seed_a), .y_o(h_seed_b));

  always_ff @(posedge clk_i) begin
    h_step_q <= h_step_b;
    h0_q     <= h_seed_b;
  end

  // ------------------------------------------------------------------ input, block FIFO
  localparam int BfWidth = Lanes * 32 + Lanes + 2;

  logic               in_ready_q, acc, blk_end;
  logic [$clog2(BlockBeats+1)-1:0] blk_pos_q;
  logic [BfWidth-1:0] bf_head;
  logic [InCnt-1:0]   bf_count, bf_count_next;
  logic               bf_rd, issue;

  assign acc     = in_valid_i & in_ready_q;
  assign blk_end = in_last_i | (32'(blk_pos_q) == BlockBeats - 1);

  lp_fifo #(.Width(BfWidth), .Depth(InDepth)) u_bfifo (
    .clk_i  (clk_i),
    .rst_i  (rst_i),
    .wr_i   (acc),
    .d_i    ({in_last_i, blk_end, in_keep_i, in_data_i}),
    .rd_i   (bf_rd),
    .q_o    (bf_head),
    .count_o(bf_count)
  );

  assign bf_count_next = bf_count + {{(InCnt-1){1'b0}}, acc} - {{(InCnt-1){1'b0}}, bf_rd};

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      in_ready_q <= 1'b0;
      blk_pos_q  <= '0;
    end else begin
      in_ready_q <= 32'(bf_count_next) < InDepth;
      if (acc) begin
        blk_pos_q <= blk_end ? '0 : blk_pos_q + 1'b1;
      end
    end
  end

  assign in_ready_o = in_ready_q;

  // ------------------------------------------------------------------ block scale path
  // A1, A2: the running amax of the block's finite magnitudes (missing lanes count as 0)
  logic        a1_end_q, a2_end_q, amax_valid, a2_valid, a3_valid_q;
  logic [30:0] a2_amax;
  logic signed [ExpWidth-1:0] a2_kmx, a3_k_q;

  lp_amax #(.Lanes(Lanes)) u_amax (
    .clk_i  (clk_i),
    .rst_i  (rst_i),
    .valid_i(acc),
    .clear_i(blk_pos_q == '0),
    .keep_i (in_keep_i),
    .data_i (in_data_i),
    .valid_o(amax_valid),
    .amax_o (a2_amax)
  );

  always_ff @(posedge clk_i) begin
    a1_end_q <= blk_end;
    a2_end_q <= a1_end_q;
  end
  assign a2_valid = amax_valid & a2_end_q;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      a3_valid_q <= 1'b0;
    end else begin
      a3_valid_q <= a2_valid;
    end
  end

  // A3: the block's k. The block32 mode only (mode 0 gives k = 0); LP_SCALE_TENSOR takes
  // k from the SCALE_K register
  lp_scale_k #(.ExpWidth(ExpWidth)) u_scale (
    .mode_i      ({cfg_scale == 2'd2, 1'b0}),
    .cfg_fixed_i (cfg_fixed),
    .cfg_man_i   (cfg_man),
    .cfg_emin_i  (cfg_emin),
    .cfg_emax_i  (cfg_emax),
    .cfg_max_kq_i(cfg_max_kq),
    .amax_i      (a2_amax),
    .k_o         (a2_kmx)
  );

  always_ff @(posedge clk_i) begin
    a3_k_q <= (cfg_scale == 2'd1) ? cfg_k : a2_kmx;  // LP_SCALE_TENSOR: from the register
  end

  logic signed [ExpWidth-1:0] a3_emin_s;
  logic [31:0]                a3_max_bits, a3_neg_bits;

  lp_quant_grid #(.ExpWidth(ExpWidth)) u_grid (
    .cfg_fixed_i (cfg_fixed),
    .cfg_man_i   (cfg_man),
    .cfg_emin_i  (cfg_emin),
    .cfg_emax_i  (cfg_emax),
    .cfg_bias_i  (cfg_bias),
    .cfg_max_kq_i(cfg_max_kq),
    .k_i         (a3_k_q),
    .emin_s_o    (a3_emin_s),
    .max_bits_o  (a3_max_bits),
    .neg_bits_o  (a3_neg_bits)
  );

  localparam int KfWidth = 2 * ExpWidth + 64;
  logic [KfWidth-1:0] kf_head;
  logic [InCnt-1:0]   kf_count;
  logic               kf_rd;

  lp_fifo #(.Width(KfWidth), .Depth(InDepth)) u_kfifo (
    .clk_i  (clk_i),
    .rst_i  (rst_i),
    .wr_i   (a3_valid_q),
    .d_i    ({a3_k_q, a3_emin_s, a3_max_bits, a3_neg_bits}),
    .rd_i   (kf_rd),
    .q_o    (kf_head),
    .count_o(kf_count)
  );

  // ------------------------------------------------------------------ issue
  logic [OutCnt-1:0] credit_q;
  logic              hold_q, out_pop, st_done;
  logic [31:0]       idx_q;

  assign issue = (bf_count != '0) & (kf_count != '0) & (credit_q != '0) & ~hold_q;
  assign bf_rd = issue;
  assign kf_rd = issue & bf_head[BfWidth-2];

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      credit_q <= OutCnt'(OutDepth);
      hold_q   <= 1'b0;
      idx_q    <= 32'd0;
    end else begin
      credit_q <= credit_q - {{(OutCnt-1){1'b0}}, issue} + {{(OutCnt-1){1'b0}}, out_pop};
      if (issue & bf_head[BfWidth-1]) begin
        hold_q <= 1'b1;
      end else if (st_done) begin
        hold_q <= 1'b0;
      end
      if (issue) begin
        idx_q <= bf_head[BfWidth-1] ? 32'd0 : idx_q + 32'(Lanes);
      end
    end
  end

  // X0: the issued beat with its grid and element index
  logic                       x0_valid_q;
  logic [BfWidth-1:0]         x0_beat_q;
  logic [KfWidth-1:0]         x0_grid_q;
  logic [31:0]                x0_idx_q;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      x0_valid_q <= 1'b0;
    end else begin
      x0_valid_q <= issue;
    end
  end

  always_ff @(posedge clk_i) begin
    x0_beat_q <= bf_head;
    x0_grid_q <= kf_head;
    x0_idx_q  <= idx_q;
  end

  // X1, X2: the SR hash of every element, mix(h0 ^ index), the beat delayed alongside
  logic [Lanes*32-1:0] x1_h_q, x2_rnd_q;
  logic [BfWidth-1:0]  x1_beat_q, x2_beat_q;
  logic [KfWidth-1:0]  x1_grid_q, x2_grid_q;
  logic [HashLat-1:0]  xv_q;

  for (genvar l = 0; l < Lanes; l++) begin : g_hash
    logic [31:0] ha, hb;
    lp_hash_mix32 #(.Half(0)) u_h0 (.x_i(h0_q ^ (x0_idx_q + 32'(l))), .y_o(ha));
    lp_hash_mix32 #(.Half(1)) u_h1 (.x_i(x1_h_q[32*l +: 32]), .y_o(hb));
    always_ff @(posedge clk_i) begin
      x1_h_q[32*l +: 32]   <= ha;
      x2_rnd_q[32*l +: 32] <= hb;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      xv_q <= '0;
    end else begin
      xv_q <= {xv_q[HashLat-2:0], x0_valid_q};
    end
  end

  always_ff @(posedge clk_i) begin
    x1_beat_q <= x0_beat_q;
    x1_grid_q <= x0_grid_q;
    x2_beat_q <= x1_beat_q;
    x2_grid_q <= x1_grid_q;
  end

  // ------------------------------------------------------------------ the lanes
  logic signed [ExpWidth-1:0] x2_k, x2_emin_s;
  logic [31:0]                x2_max_bits, x2_neg_bits;
  assign {x2_k, x2_emin_s, x2_max_bits, x2_neg_bits} = x2_grid_q;

  logic [Lanes*32-1:0] q_value, q_code, q_x;
  logic [Lanes*5-1:0]  q_flags;

  for (genvar l = 0; l < Lanes; l++) begin : g_lane
    lp_quant_lane #(.ExpWidth(ExpWidth)) u_lane (
      .clk_i           (clk_i),
      .cfg_fixed_i     (cfg_fixed),
      .cfg_man_i       (cfg_man),
      .cfg_code_bits_i (cfg_code_bits),
      .cfg_bias_i      (cfg_bias),
      .cfg_has_inf_i   (cfg_has_inf),
      .cfg_has_nan_i   (cfg_has_nan),
      .cfg_max_kq_i    (cfg_max_kq),
      .cfg_max_code_i  (cfg_max_code),
      .cfg_inf_code_i  (cfg_inf_code),
      .cfg_nan_code_i  (cfg_nan_code),
      .cfg_rounding_i  (cfg_rounding),
      .cfg_overflow_i  (cfg_overflow),
      .cfg_subnormals_i(cfg_subn),
      // a missing element is quantized as +0
      .x_i             (x2_beat_q[Lanes*32 + l] ? x2_beat_q[32*l +: 32] : 32'd0),
      .rnd_i           (x2_rnd_q[32*l +: 32]),
      .k_i             (x2_k),
      .emin_s_i        (x2_emin_s),
      .max_bits_s_i    (x2_max_bits),
      .neg_bits_s_i    (x2_neg_bits),
      .value_o         (q_value[32*l +: 32]),
      .code_o          (q_code[32*l +: 32]),
      .flags_o         (q_flags[5*l +: 5]),
      .x_o             (q_x[32*l +: 32])
    );
  end

  // beat sideband alongside the lanes: valid, last, keep, k
  localparam int SbWidth = 1 + Lanes + ExpWidth;
  logic [LaneLat-1:0]  qv_q;
  logic [SbWidth-1:0]  sb_q [LaneLat];
  logic                q_valid, q_last;
  logic [Lanes-1:0]    q_keep;
  logic signed [ExpWidth-1:0] q_k;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      qv_q <= '0;
    end else begin
      qv_q <= {qv_q[LaneLat-2:0], xv_q[HashLat-1]};
    end
  end

  always_ff @(posedge clk_i) begin
    sb_q[0] <= {x2_beat_q[BfWidth-1], x2_beat_q[Lanes*32 +: Lanes], x2_k};
    for (int i = 1; i < LaneLat; i++) begin
      sb_q[i] <= sb_q[i-1];
    end
  end

  assign q_valid = qv_q[LaneLat-1];
  assign {q_last, q_keep, q_k} = sb_q[LaneLat-1];

  // ------------------------------------------------------------------ output FIFO
  localparam int OfWidth = 1 + Lanes + 16 + 2 * Lanes * 32;
  logic [OfWidth-1:0] of_head;
  logic [OutCnt-1:0]  of_count;

  lp_fifo #(.Width(OfWidth), .Depth(OutDepth)) u_ofifo (
    .clk_i  (clk_i),
    .rst_i  (rst_i),
    .wr_i   (q_valid),
    .d_i    ({q_last, q_keep, {{(16-ExpWidth){q_k[ExpWidth-1]}}, q_k}, q_code, q_value}),
    .rd_i   (out_pop),
    .q_o    (of_head),
    .count_o(of_count)
  );

  assign out_valid_o = of_count != '0;
  assign out_pop     = out_valid_o & out_ready_i;
  assign {out_last_o, out_keep_o, out_k_o, out_code_o, out_value_o} = of_head;

  // ------------------------------------------------------------------ statistics
  lp_stats #(
    .Lanes     (Lanes),
    .Sums      (StatsSums),
    .AddLatency(AddLatency),
    .MulLatency(MulLatency),
    .ExtFold   (ExtFold)
  ) u_stats (
    .clk_i     (clk_i),
    .rst_i     (rst_i),
    .valid_i   (q_valid),
    .last_i    (q_last),
    .keep_i    (q_keep),
    .g_i       (q_x),
    .gq_i      (q_value),
    .flags_i   (q_flags),
    .done_o    (st_done),
    .sum_o     (st_sum_o),
    .count_o   (st_count_o),
    .tr_valid_o(tr_valid_o),
    .tr_set_o  (tr_set_o),
    .tr_tag_o  (tr_tag_o),
    .tr_valid_i(tr_valid_i),
    .tr_sum_i  (tr_sum_i),
    .tr_tag_i  (tr_tag_i)
  );

  assign st_valid_o = st_done;

endmodule

`default_nettype wire
