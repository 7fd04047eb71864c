// lp_sgd_step - one SGD step with the model on chip, bit for bit the C kernel's sgd_step
// (hls/sgd/lp_sgd.c, lp_sgd.h ONE STEP), for every model: least squares, hinge and
// logistic (K = 1) and softmax (K = 2..Classes classes). Architecture and timing:
// docs/rtl-sgd.md. The flat model element i = c*D + j (class c, feature j) lives in class
// c's bank of the model RAM at beat j/16, lane j%16 (one bank per class, so a beat of x
// meets the K weight beats in one cycle); the accumulator RAM is banked the same way.
// Phases of a step:
//   GRAD  the minibatch streams in: per row D/16 feature beats, back to back, one per
//         cycle, the row's label (its header beat's word 0, split off before the engine:
//         lp_row_split in the kernel) beside the first. Each feature beat goes to the dot-product
//         engine (lp_sgd_dot: the K dot products of the row, with the K weight beats read
//         from the banks) and into a ring of RowSlots row buffers. When the row's
//         derivatives are known (lp_sgd_deriv1 for K = 1, lp_sgd_softmax for the K
//         classes) the row is replayed from the ring: a_c,j = a_c,j + d_c * x_j for every
//         class at once (Classes x 16 multiply-add lanes; +0.0f as the left operand for
//         the step's first row), one beat per cycle, overlapping the next rows' dot
//         products.
//   QUANT g = a * inv_b + lambda * w per beat (products first, then the add) over the flat
//         K*D vector (class 0's beats, then class 1's, ...) streams into the quantizer
//         with statistics (rtl/quant lp_quant_stream); the quantized beats overwrite the
//         accumulator RAM. Class 0's lanes do it (one beat per cycle needs no more).
//   UPD   w = w - mu * gq per beat, every class at once (each class's multiply-add lanes,
//         the adders switched to subtract: lp_fp32_addsub), nb beats for any K.
//         Fused into QUANT when mu is final by then (Classes > 1): see "QUANT + UPD".
// The quantizer's registers are written through qreg_* between steps (its register map,
// docs/rtl.md; the STEP register holds the step index for stochastic rounding).
// The stepsize comes from outside (the schedule and the compensation, lp_sgd_scalar, need
// this step's statistics): st_valid_o pulses when st_sum_o/st_count_o/scale_k_o hold the
// step's statistics; the step then waits in its statistics phase until mu_valid_i is high,
// latches mu_i and updates (mu_valid_i may already be high: no wait). When mu_valid_i is
// already high as GRAD ends (no compensation: the scalar unit has mu_k by then), mu_i is
// latched then and the update runs inside QUANT (Classes > 1; same bits, nb + 8 cycles
// fewer per step). Either way mu_i must hold from mu_valid_i until done_o.
// Model load and store use the mw_*/mr_* ports while idle.
// Reset: synchronous, active high; clears control state (phase, counters, FIFO pointers,
// valid pipes); datapath registers and RAMs are not reset.
`default_nettype none

module lp_sgd_step #(
  parameter int Classes    = 16,   // max K (softmax classes); 1 builds a K = 1-only engine
  parameter int MaxBeats   = 512,  // weight beats per class on chip (D / 16 <= MaxBeats)
  parameter int RowSlots   = 8,    // row buffers in the replay ring (power of two)
  parameter int MulLatency = 4,    // latency of lp_fp32_mul
  parameter int AddLatency = 3     // latency of lp_fp32_add (1..4)
) (
  input  wire logic                          clk_i,        // clock, rising edge
  input  wire logic                          rst_i,        // synchronous reset, active high
  // configuration of the step (quasi-static while busy_o)
  input  wire logic [1:0]                    model_i,      // LP_MODEL_* (LSQ, LOGISTIC, SOFTMAX, HINGE)
  input  wire logic [4:0]                    nclass_i,     // K: 1, or 2..Classes for softmax
  input  wire logic [$clog2(MaxBeats):0]     nbeats_i,     // D / 16, 1..MaxBeats
  input  wire logic [16:0]                   batch_i,      // B, 1..65536
  input  wire logic [31:0]                   lambda_i,     // L2 weight (FP32)
  input  wire logic [31:0]                   mu_i,         // stepsize of this step (FP32)
  input  wire logic                          mu_valid_i,   // mu_i is final: the step may update
  // quantizer registers (lp_quant_stream), written while idle
  input  wire logic                          qreg_we_i,    // write strobe
  input  wire logic [3:0]                    qreg_addr_i,  // word address
  input  wire logic [31:0]                   qreg_wdata_i, // write data
  // model port (idle only): write a weight beat, read one (one cycle later)
  input  wire logic                          mw_we_i,      // write mw_data_i at mw_addr_i
  input  wire logic [3:0]                    mw_class_i,   // class c of the beat (bank)
  input  wire logic [$clog2(MaxBeats)-1:0]   mw_addr_i,    // beat within the class
  input  wire logic [16*32-1:0]              mw_data_i,    // weights of the beat
  input  wire logic [3:0]                    mr_class_i,   // class to read
  input  wire logic [$clog2(MaxBeats)-1:0]   mr_addr_i,    // beat within the class to read
  output logic      [16*32-1:0]              mr_data_o,    // weights at mr_addr_i, a cycle later
  // control
  input  wire logic                          start_i,      // start a step (while idle)
  output logic                               busy_o,       // a step is running
  output logic                               done_o,       // one-cycle pulse: step finished
  // the minibatch, B rows of D/16 feature beats (no header beat: the label comes beside)
  input  wire logic                          in_valid_i,   // a feature beat
  output logic                               in_ready_o,   // taken when valid & ready
  input  wire logic [16*32-1:0]              in_data_i,    // lane l at 32*l
  input  wire logic [31:0]                   in_label_i,   // the row's label, read with its first beat
  // the step's record fields, valid from st_valid_o (statistics, scale) or done_o (loss,
  // correct) until the next start_i
  output logic                               st_valid_o,   // one-cycle pulse: statistics ready
  output logic      [4*32-1:0]               st_sum_o,     // G2, Q2, E2, GE
  output logic      [6*32-1:0]               st_count_o,   // n, underflow, saturated, subnormal, nan, inf
  output logic      [31:0]                   loss_o,       // loss sum (LSQ, HINGE)
  output logic      [31:0]                   correct_o,    // rows classified right (not LSQ)
  output logic      [31:0]                   scale_k_o     // tensor scale exponent (signed), else 0
);

  localparam int AW   = $clog2(MaxBeats);
  localparam int BW   = AW + 1;
  localparam int SW   = $clog2(RowSlots);
  localparam int RW   = SW + AW;
  localparam int Gap  = MulLatency + AddLatency + 3;  // replay starts at least this far apart
  localparam int GLat = MulLatency + AddLatency;      // g pipeline (after the RAM read)
  localparam int DW   = Classes * 32;                 // the row's derivatives
  localparam logic [1:0] ModelSoftmax = 2'd2;
  // the fused update (QUANT + UPD below) runs on class 1's lanes; Classes = 1 has none and
  // never fuses (the index only keeps the slices in range there)
  localparam int FuseLo = (Classes > 1) ? 512 : 0;    // class 1's slice of a bank-wide bus

  // PhTail: the fused update's last writes after the statistics (QUANT + UPD below)
  typedef enum logic [2:0] {PhIdle, PhGrad, PhQuant, PhStats, PhUpd, PhDone, PhTail} phase_e;
  phase_e ph_q;
  logic   in_grad, in_upd, in_fuse, fuse_q;
  assign in_grad = ph_q == PhGrad;
  assign in_upd  = ph_q == PhUpd;
  assign in_fuse = fuse_q && (ph_q == PhQuant || ph_q == PhTail);

  // K of this step: nclass_i for softmax, 1 otherwise
  logic       softmax;
  logic [4:0] kk;
  assign softmax = model_i == ModelSoftmax;
  assign kk      = softmax ? nclass_i : 5'd1;

  // ================================================================== RAMs (one bank per class)
  // Weights in block RAM; the accumulators and the replay ring (the deep ones: RowSlots x
  // MaxBeats beats) in UltraRAM, which keeps the engine's block RAM within one SLR's
  // share: Classes = 16 would otherwise take 32 banks x 7.5 + 57 BRAM36 (docs/rtl.md).
  localparam AccRamStyle  = "ultra";
  localparam RingRamStyle = "ultra";
  logic [Classes-1:0]   w_we, a_we;
  logic                 r_we;
  logic [AW-1:0]        w_waddr, w_raddr, a_waddr, a_raddr;
  logic [RW-1:0]        r_waddr, r_raddr;
  logic [3:0]           w_rclass, a_rclass;      // the bank read this cycle (serial passes)
  logic [3:0]           w_rc_q, a_rc_q;          // ... and a cycle later, with its data
  logic [511:0]         w_rdata, a_rdata, r_rdata;
  logic [Classes*512-1:0] w_rdata_all, a_rdata_all, w_wdata_all, a_wdata_all;

  for (genvar c = 0; c < Classes; c++) begin : g_bank
    lp_sgd_ram #(.Width(512), .Depth(MaxBeats)) u_wram (
      .clk_i(clk_i), .we_i(w_we[c]), .waddr_i(w_waddr), .wdata_i(w_wdata_all[512*c +: 512]), .raddr_i(w_raddr),
      .rdata_o(w_rdata_all[512*c +: 512])
    );
    lp_sgd_ram #(.Width(512), .Depth(MaxBeats), .RamStyle(AccRamStyle)) u_aram (
      .clk_i(clk_i), .we_i(a_we[c]), .waddr_i(a_waddr), .wdata_i(a_wdata_all[512*c +: 512]), .raddr_i(a_raddr),
      .rdata_o(a_rdata_all[512*c +: 512])
    );
  end
  lp_sgd_ram #(.Width(512), .Depth(RowSlots * MaxBeats), .RamStyle(RingRamStyle)) u_ring (
    .clk_i(clk_i), .we_i(r_we), .waddr_i(r_waddr), .wdata_i(in_data_i), .raddr_i(r_raddr), .rdata_o(r_rdata)
  );
  always_ff @(posedge clk_i) begin
    w_rc_q <= w_rclass;
    a_rc_q <= a_rclass;
  end
  always_comb begin
    w_rdata = w_rdata_all[0 +: 512];
    a_rdata = a_rdata_all[0 +: 512];
    for (int c = 1; c < Classes; c++) begin
      if (32'(w_rc_q) == c) w_rdata = w_rdata_all[512*c +: 512];
      if (32'(a_rc_q) == c) a_rdata = a_rdata_all[512*c +: 512];
    end
  end
  assign mr_data_o = w_rdata;

  // ================================================================== GRAD: input side
  logic [BW-1:0]  ib_q, ib_d;           // feature beat of the row: 0..nb-1
  logic [16:0]    in_rows_q;            // rows fully taken
  logic [SW:0]    ring_cnt_q;           // rows reserved in the ring
  logic [SW-1:0]  wslot_q;
  logic           ring_ok_q, row0, acc_in, dot_ready, row_acc, grad_in, in_go;
  logic           ring_rel;             // a row's replay issued its last read

  // a row's first beat also reserves its ring slot (and pushes its label)
  assign grad_in    = (ph_q == PhGrad) && (in_rows_q != batch_i);
  assign row0       = ib_q == '0;
  assign in_go      = grad_in & (~row0 | ring_ok_q);
  assign in_ready_o = in_go & dot_ready;
  assign acc_in     = in_valid_i & in_ready_o;
  assign row_acc    = acc_in & row0;

  always_comb begin
    ib_d = ib_q;
    if (acc_in) ib_d = (ib_q == nbeats_i - 1'b1) ? '0 : ib_q + 1'b1;
    if (start_i && ph_q == PhIdle) ib_d = '0;
  end

  logic [SW:0] ring_cnt_d;
  assign ring_cnt_d = ring_cnt_q + {{SW{1'b0}}, row_acc} - {{SW{1'b0}}, ring_rel};

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      ib_q       <= '0;
      in_rows_q  <= '0;
      ring_cnt_q <= '0;
      wslot_q    <= '0;
      ring_ok_q  <= 1'b0;
    end else begin
      ib_q       <= ib_d;
      ring_cnt_q <= ring_cnt_d;
      ring_ok_q  <= 32'(ring_cnt_d) < RowSlots;
      if (acc_in && ib_q == nbeats_i - 1'b1) begin
        in_rows_q <= in_rows_q + 1'b1;
        wslot_q   <= wslot_q + 1'b1;
      end
      if (start_i && ph_q == PhIdle) begin
        in_rows_q <= '0;
        wslot_q   <= '0;
      end
    end
  end

  // ring write: feature beat ib of the slot being filled
  assign r_we    = acc_in;
  assign r_waddr = {wslot_q, AW'(ib_q)};

  // the label FIFO (one per row), popped when the row's last dot product leaves. It holds
  // the label y and, for softmax, c = (uint32_t)y, converted on the way in (LabLat cycles,
  // the push delayed with it: a row's label is needed only when its dot products leave,
  // nb + the dot engine's latency later), so no conversion sits on the z path.
  localparam int LabLat = 3;
  localparam int LabW   = (Classes > 1) ? 64 : 32;
  logic [31:0]       lab_head, lab_c_head, lab_y;
  logic [LabW-1:0]   lab_d, lab_q;
  logic [LabLat-1:0] lab_wr_q;
  logic              z_valid, z_last, lab_pop;
  logic [31:0]       z;
  logic [3:0]        z_class;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [$clog2(2*RowSlots):0] lab_count;
  /* verilator lint_on UNUSEDSIGNAL */
  always_ff @(posedge clk_i) begin
    if (rst_i) lab_wr_q <= '0;
    else       lab_wr_q <= {lab_wr_q[LabLat-2:0], row_acc};
  end
  lp_fpu_delay #(.Width(32), .Depth(LabLat)) u_lab_y (
    .clk_i(clk_i), .en_i(1'b1), .d_i(in_label_i), .q_o(lab_y)
  );
  if (Classes > 1) begin : g_lab_c
    logic [31:0] lab_c;
    lp_fp32_to_u32 #(.Latency(LabLat)) u_lab_c (
      .clk_i(clk_i), .en_i(1'b1), .a_i(in_label_i), .y_o(lab_c)
    );
    assign lab_d      = {lab_c, lab_y};
    assign lab_c_head = lab_q[LabW-1:32];
  end else begin : g_lab_y
    assign lab_d      = lab_y;
    assign lab_c_head = '0;
  end
  lp_fifo #(.Width(LabW), .Depth(2 * RowSlots)) u_lab (
    .clk_i(clk_i), .rst_i(rst_i), .wr_i(lab_wr_q[LabLat-1]), .d_i(lab_d), .rd_i(lab_pop),
    .q_o(lab_q), .count_o(lab_count)
  );
  assign lab_head = lab_q[31:0];
  assign lab_pop = z_valid & z_last;

  // the dot-product engine; the weight beats are read a cycle ahead (raddr = next feature)
  // (its fold tree is the one it shares with the statistics: "the shared fold tree" below)
  logic             dt_valid, qt_valid, ft_valid;
  logic [64*32-1:0] dt_set, qt_set;
  logic [4:0]       dt_tag;
  logic [1:0]       qt_tag;
  logic [31:0]      ft_sum;
  logic [5:0]       ft_tag;
  lp_sgd_dot #(.Classes(Classes), .MulLatency(MulLatency), .AddLatency(AddLatency), .BeatBits(BW), .ExtFold(1)) u_dot (
    .clk_i(clk_i), .rst_i(rst_i), .nbeats_i(nbeats_i), .nclass_i(kk),
    .in_valid_i(in_valid_i & in_go), .in_ready_o(dot_ready), .in_x_i(in_data_i), .in_w_i(w_rdata_all),
    .z_valid_o(z_valid), .z_o(z), .z_class_o(z_class), .z_last_o(z_last),
    .tr_valid_o(dt_valid), .tr_set_o(dt_set), .tr_tag_o(dt_tag),
    .tr_valid_i(ft_valid & ~ft_tag[5]), .tr_sum_i(ft_sum), .tr_tag_i(ft_tag[4:0])
  );

  // ================================================================== GRAD: derivatives
  logic [16:0] zrow_q;
  logic        d1_valid, der_idle;
  logic [31:0] d1, der_loss, der_correct;
  always_ff @(posedge clk_i) begin
    if (rst_i || (start_i && ph_q == PhIdle)) zrow_q <= '0;
    else if (z_valid && z_last) zrow_q <= zrow_q + 1'b1;
  end
  lp_sgd_deriv1 #(.MulLatency(MulLatency), .AddLatency(AddLatency)) u_der (
    .clk_i(clk_i), .rst_i(rst_i), .model_i(model_i), .valid_i(z_valid & ~softmax), .first_i(zrow_q == '0),
    .z_i(z), .y_i(lab_head), .d_valid_o(d1_valid), .d_o(d1), .loss_o(der_loss), .correct_o(der_correct),
    .idle_o(der_idle)
  );

  logic          sm_valid, sm_idle;
  logic [DW-1:0] sm_d;
  logic [31:0]   sm_correct;
  if (Classes > 1) begin : g_softmax
    lp_sgd_softmax #(.Classes(Classes), .Slots(RowSlots), .MulLatency(MulLatency), .AddLatency(AddLatency)) u_sm (
      .clk_i(clk_i), .rst_i(rst_i), .nclass_i(nclass_i), .clear_i(start_i && ph_q == PhIdle),
      .z_valid_i(z_valid & softmax), .z_i(z), .z_class_i(z_class), .z_last_i(z_last), .c_i(lab_c_head),
      .d_valid_o(sm_valid), .d_o(sm_d), .correct_o(sm_correct), .idle_o(sm_idle)
    );
  end else begin : g_no_softmax
    assign sm_valid   = 1'b0;
    assign sm_d       = '0;
    assign sm_correct = '0;
    assign sm_idle    = 1'b1;
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_class;
    assign unused_class = ^{z_class, lab_c_head};
    /* verilator lint_on UNUSEDSIGNAL */
  end
  // the softmax loss is not summed (C leaves it 0: it needs a log); classes >= K get d = 0
  assign loss_o    = softmax ? 32'h0 : der_loss;
  assign correct_o = softmax ? sm_correct : der_correct;

  logic [DW-1:0] d_head, d_in;
  logic          d_wr;
  logic [$clog2(2*RowSlots):0] d_count;
  logic        d_pop;
  assign d_wr = softmax ? sm_valid : d1_valid;
  assign d_in = softmax ? sm_d : DW'(d1);
  lp_fifo #(.Width(DW), .Depth(2 * RowSlots)) u_dq (
    .clk_i(clk_i), .rst_i(rst_i), .wr_i(d_wr), .d_i(d_in), .rd_i(d_pop), .q_o(d_head), .count_o(d_count)
  );

  // ================================================================== GRAD: replay, accumulate
  logic          rp_busy_q, rp_first_q;
  logic [BW-1:0] rp_b_q;
  logic [SW-1:0] rslot_q;
  logic [DW-1:0] rp_d_q;
  logic [16:0]   rp_rows_q, acc_rows_q;
  logic [$clog2(Gap+1)-1:0] gap_q;
  logic          rp_issue, rp_start, rp_lastb;

  // a row's replay may start in the cycle the previous one issues its last read (rows
  // back to back); Gap keeps short rows' read-modify-writes of a beat apart
  assign rp_start = (ph_q == PhGrad) && (!rp_busy_q || rp_lastb) && (d_count != '0) && (32'(gap_q) >= Gap);
  assign d_pop    = rp_start;
  assign rp_issue = rp_busy_q;
  assign rp_lastb = rp_busy_q && (rp_b_q == nbeats_i - 1'b1);
  assign ring_rel = rp_lastb;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      rp_busy_q <= 1'b0;
      rp_b_q    <= '0;
      rslot_q   <= '0;
      rp_rows_q <= '0;
      gap_q     <= '0;
    end else begin
      if (start_i && ph_q == PhIdle) begin
        rslot_q   <= '0;
        rp_rows_q <= '0;
      end
      gap_q <= (rp_start) ? '0 : ((32'(gap_q) >= Gap) ? gap_q : gap_q + 1'b1);
      if (rp_busy_q) begin
        rp_b_q <= rp_b_q + 1'b1;
        if (rp_lastb) begin
          rp_busy_q <= 1'b0;
          rslot_q   <= rslot_q + 1'b1;
          rp_rows_q <= rp_rows_q + 1'b1;
        end
      end
      if (rp_start) begin  // (after the above: a start in a last-read cycle wins)
        rp_busy_q  <= 1'b1;
        rp_b_q     <= '0;
        rp_d_q     <= d_head;
        rp_first_q <= rp_rows_q == '0 && !rp_busy_q;
      end
    end
  end
  assign r_raddr = {rslot_q, AW'(rp_b_q)};

  // a + d * x: RAM read (1), multiply, add; the accumulator beats delayed beside the products
  logic          rv1_q, rf1_q, rl1_q;
  logic [AW-1:0] ra1_q;
  logic [DW-1:0] rd1_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) rv1_q <= 1'b0;
    else rv1_q <= rp_issue;
    rf1_q <= rp_first_q;
    rl1_q <= rp_lastb;
    ra1_q <= AW'(rp_b_q);
    rd1_q <= rp_d_q;
  end

  localparam int ACtl = 1 + 1 + AW;  // last, first, address
  logic [ACtl-1:0]        actl_m, actl_s;
  logic [Classes*512-1:0] aval_m, asum, aopa;
  logic [MulLatency-1:0]  avm_q;
  logic [AddLatency-1:0]  avs_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      avm_q <= '0;
      avs_q <= '0;
    end else begin
      avm_q <= MulLatency'({avm_q, rv1_q});
      avs_q <= AddLatency'({avs_q, avm_q[MulLatency-1]});
    end
  end
  lp_fpu_delay #(.Width(ACtl), .Depth(MulLatency)) u_actl_m (
    .clk_i(clk_i), .en_i(1'b1), .d_i({rl1_q, rf1_q, ra1_q}), .q_o(actl_m)
  );
  lp_fpu_delay #(.Width(ACtl), .Depth(AddLatency)) u_actl_s (
    .clk_i(clk_i), .en_i(1'b1), .d_i(actl_m), .q_o(actl_s)
  );
  // the left operand of every class's adder, MulLatency after the RAM read: the
  // accumulator beats (GRAD) or the weight beats (UPD)
  logic [Classes*512-1:0] aval_in;
  logic [511:0]           wf_head;  // the weight beat of the quantized beat (fused update)
  always_comb begin
    aval_in = in_upd ? w_rdata_all : a_rdata_all;
    if (in_fuse) aval_in[FuseLo +: 512] = wf_head;  // class 1's lanes
  end
  lp_fpu_delay #(.Width(Classes * 512), .Depth(MulLatency)) u_aval (
    .clk_i(clk_i), .en_i(1'b1), .d_i(aval_in), .q_o(aval_m)
  );
  assign aopa = (actl_m[AW] && in_grad) ? '0 : aval_m;  // the step's first row adds to +0.0f

  // ================================================================== QUANT: g = a/B + lambda w
  // beat b of class c of the flat K*D vector, c = 0..K-1, b = 0..nb-1
  logic          gq_busy_q, g_issue, g_lastb, g_lastc;
  logic [BW-1:0] gq_b_q;
  logic [3:0]    gq_c_q;
  logic [5:0]    g_inflight_q;   // beats issued and not yet in the g FIFO or the quantizer
  logic [5:0]    gf_count;
  logic [5:0]    wf_count;       // weight beats waiting for their gq (fused update)
  logic          gv1_q;
  assign g_issue = gq_busy_q && (32'(g_inflight_q) + 32'(gf_count) < 16 - 1) &&
                   (32'(wf_count) + 32'(gv1_q) < 32);
  assign g_lastb = gq_b_q == nbeats_i - 1'b1;
  assign g_lastc = {1'b0, gq_c_q} == kk - 1'b1;

  logic          gl1_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) gv1_q <= 1'b0;
    else gv1_q <= g_issue;
    gl1_q <= g_issue && g_lastb && g_lastc;
  end

  logic [511:0] prod_a, prod_b;  // class 0's multiplier outputs, shared by the phases
  logic         qo_valid, qo_last, st_valid;  // the quantizer's output (below)
  logic [511:0] qo_value;
  logic [511:0] gsum;
  logic [GLat-1:0] gv_q;
  logic            g_last;
  always_ff @(posedge clk_i) begin
    if (rst_i) gv_q <= '0;
    else gv_q <= GLat'({gv_q, gv1_q});
  end
  lp_fpu_delay #(.Width(1), .Depth(GLat)) u_glast (.clk_i(clk_i), .en_i(1'b1), .d_i(gl1_q), .q_o(g_last));

  // ================================================================== UPD: w - mu * gq
  // beat b of every class at once: w and gq read from all banks, mu * gq on each class's
  // multipliers, w - mu * gq on its adders (w down the u_aval delay line), written back
  logic          up_busy_q, u_issue, uv1_q, u_lastb;
  logic [BW-1:0] up_b_q;
  logic [AW-1:0] ua1_q, ua_s;
  logic [31:0]   mu_q;           // the stepsize of this step (latched from mu_i)
  logic [MulLatency+AddLatency-1:0] uv_q;
  assign u_issue = up_busy_q;
  assign u_lastb = up_b_q == nbeats_i - 1'b1;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      uv1_q <= 1'b0;
      uv_q  <= '0;
    end else begin
      uv1_q <= u_issue;
      uv_q  <= (MulLatency+AddLatency)'({uv_q, uv1_q});
    end
    ua1_q <= AW'(up_b_q);
  end
  lp_fpu_delay #(.Width(AW), .Depth(MulLatency + AddLatency)) u_ua (
    .clk_i(clk_i), .en_i(1'b1), .d_i(ua1_q), .q_o(ua_s)
  );

  // ================================================================== inv_b = 1.0f / (float)B
  // computed at the start of every step (one conversion, one division), ready long
  // before the gradient needs it; grad_done waits for it all the same
  localparam int CvtLat = 2;
  localparam int DivLat = 28;
  logic [31:0] b_f, inv_b;
  logic [$clog2(CvtLat+DivLat+2)-1:0] invb_wait_q;
  lp_u32_to_fp32 #(.Latency(CvtLat)) u_bf (.clk_i(clk_i), .en_i(1'b1), .a_i({15'd0, batch_i}), .y_o(b_f));
  lp_fp32_div #(.Latency(DivLat)) u_invb (
    .clk_i(clk_i), .en_i(1'b1), .a_i(32'h3F80_0000), .b_i(b_f), .y_o(inv_b)
  );
  always_ff @(posedge clk_i) begin
    if (rst_i || (start_i && ph_q == PhIdle)) invb_wait_q <= '0;
    else if (32'(invb_wait_q) <= CvtLat + DivLat) invb_wait_q <= invb_wait_q + 1'b1;
  end

  // ================================================================== the lanes of FP units
  // class 0, 16 lanes:
  //   multiplier A: d_0 * x (GRAD), a * inv_b (QUANT), mu * gq (UPD)
  //   multiplier B: lambda * w (QUANT)
  //   adder: a_0 + d_0 * x (GRAD), gd + gl (QUANT), w_0 - mu * gq_0 (UPD)
  // classes 1..Classes-1, 16 lanes each: d_c * x and a_c + d_c * x (GRAD),
  //   mu * gq_c and w_c - mu * gq_c (UPD)
  for (genvar l = 0; l < 16; l++) begin : g_lane
    logic [31:0] ma_a, ma_b, add_a, add_b;
    always_comb begin
      if (in_grad) begin
        ma_a = rd1_q[31:0];
        ma_b = r_rdata[32*l +: 32];
      end else if (in_upd) begin
        ma_a = mu_q;
        ma_b = a_rdata_all[32*l +: 32];
      end else begin
        ma_a = a_rdata[32*l +: 32];
        ma_b = inv_b;
      end
      add_a = (in_grad || in_upd) ? aopa[32*l +: 32] : prod_a[32*l +: 32];
      add_b = (in_grad || in_upd) ? prod_a[32*l +: 32] : prod_b[32*l +: 32];
    end
    lp_fp32_mul #(.Latency(MulLatency)) u_ma (
      .clk_i(clk_i), .en_i(1'b1), .a_i(ma_a), .b_i(ma_b), .y_o(prod_a[32*l +: 32])
    );
    lp_fp32_mul #(.Latency(MulLatency)) u_mb (
      .clk_i(clk_i), .en_i(1'b1), .a_i(lambda_i), .b_i(w_rdata[32*l +: 32]), .y_o(prod_b[32*l +: 32])
    );
    lp_fp32_addsub #(.Latency(AddLatency)) u_add (
      .clk_i(clk_i), .en_i(1'b1), .sub_i(in_upd), .a_i(add_a), .b_i(add_b), .y_o(asum[32*l +: 32])
    );
  end
  for (genvar c = 1; c < Classes; c++) begin : g_class
    for (genvar l = 0; l < 16; l++) begin : g_lane
      logic [31:0] prod;
      logic        upd;  // mu * gq and w - mu * gq: UPD, or class 1 in the fused QUANT
      logic [31:0] gq;
      assign upd = in_upd || (c == 1 && in_fuse);
      assign gq  = (c == 1 && in_fuse) ? qo_value[32*l +: 32] : a_rdata_all[32*(16*c+l) +: 32];
      lp_fp32_mul #(.Latency(MulLatency)) u_m (
        .clk_i(clk_i), .en_i(1'b1), .a_i(upd ? mu_q : rd1_q[32*c +: 32]),
        .b_i(upd ? gq : r_rdata[32*l +: 32]), .y_o(prod)
      );
      lp_fp32_addsub #(.Latency(AddLatency)) u_a (
        .clk_i(clk_i), .en_i(1'b1), .sub_i(upd), .a_i(aopa[32*(16*c+l) +: 32]), .b_i(prod),
        .y_o(asum[32*(16*c+l) +: 32])
      );
    end
  end
  assign gsum = asum[511:0];

  // ================================================================== tensor scaling
  // LP_SCALE_TENSOR (q_tensor) takes two passes over the gradient (design: h-ts): pass 1
  // (tq_p1_q) computes every g beat as the one-pass QUANT does, writes it back into its
  // (class, beat) place of the accumulator RAM and feeds it to lp_amax; the amax after the
  // last beat goes to the quantizer (tk_we), which sets SCALE_K = lp_scale_k(amax) itself;
  // pass 2 (tq_p2_q) streams the g beats from the RAM into the quantizer. Cost: K*nb + GLat
  // + ~6 cycles per step, with tensor scaling only.
  logic        tq_p1_q, tq_p2_q, tq_l1_q, tq_l2_q, g_arr;
  logic [30:0] tq_amax;
  logic        q_tensor;    // LP_SCALE_TENSOR: the two-pass QUANT
  logic [31:0] q_tensor_k;  // its scale exponent (the record's scale_k), else 0
  /* verilator lint_off UNUSEDSIGNAL */
  logic        tq_amax_valid;  // the last beat is tracked by tq_l1_q/tq_l2_q
  /* verilator lint_on UNUSEDSIGNAL */
  assign g_arr = gv_q[GLat-1];  // a g beat leaves the FP pipeline
  lp_amax #(.Lanes(16)) u_tamax (
    .clk_i(clk_i), .rst_i(rst_i), .valid_i(g_arr && tq_p1_q), .clear_i(ph_q == PhGrad),
    .keep_i(16'hFFFF), .data_i(gsum), .valid_o(tq_amax_valid), .amax_o(tq_amax)
  );
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      tq_l1_q <= 1'b0;
      tq_l2_q <= 1'b0;
    end else begin
      tq_l1_q <= g_arr && g_last && tq_p1_q;  // the last g beat of pass 1 ...
      tq_l2_q <= tq_l1_q;                       // ... is in tq_amax now
    end
  end

  // ================================================================== g FIFO -> quantizer
  logic [511:0] gf_head;
  logic         gf_last, gf_pop, q_ready, gf_wr, gf_arr;
  assign gf_arr = tq_p2_q ? gv1_q : g_arr;  // a beat for the FIFO: from the RAM, or computed
  assign gf_wr  = gf_arr && ph_q == PhQuant && !tq_p1_q;
  lp_fifo #(.Width(513), .Depth(16), .CntWidth(6)) u_gf (
    .clk_i(clk_i), .rst_i(rst_i), .wr_i(gf_wr), .d_i(tq_p2_q ? {gl1_q, a_rdata} : {g_last, gsum}),
    .rd_i(gf_pop), .q_o({gf_last, gf_head}), .count_o(gf_count)
  );
  assign gf_pop = (gf_count != '0) & q_ready;

  /* verilator lint_off UNUSEDSIGNAL */
  logic [511:0] qo_code;
  logic [15:0]  qo_keep, qo_k;
  logic [31:0]  qreg_rdata;
  /* verilator lint_on UNUSEDSIGNAL */
  lp_quant_stream #(.Lanes(16), .ExtFold(1)) u_quant (
    .clk_i(clk_i), .rst_i(rst_i),
    .reg_we_i(qreg_we_i), .reg_addr_i(qreg_addr_i), .reg_wdata_i(qreg_wdata_i), .reg_rdata_o(qreg_rdata),
    .tk_we_i(tq_l2_q), .tk_amax_i(tq_amax), .tensor_o(q_tensor), .tensor_k_o(q_tensor_k),
    .in_valid_i(gf_count != '0), .in_ready_o(q_ready), .in_data_i(gf_head), .in_keep_i(16'hFFFF),
    .in_last_i(gf_last),
    .out_valid_o(qo_valid), .out_ready_i(1'b1), .out_value_o(qo_value), .out_code_o(qo_code),
    .out_keep_o(qo_keep), .out_last_o(qo_last), .out_k_o(qo_k),
    .st_valid_o(st_valid), .st_sum_o(st_sum_o), .st_count_o(st_count_o),
    .tr_valid_o(qt_valid), .tr_set_o(qt_set), .tr_tag_o(qt_tag),
    .tr_valid_i(ft_valid & ft_tag[5]), .tr_sum_i(ft_sum), .tr_tag_i(ft_tag[1:0])
  );

  // ================================================================== the shared fold tree
  // One lp_red_fold (63 FP32 adders) serves the dot-product engine (GRAD: each row's K
  // class sets) and the statistics (after the QUANT pass: their four sums), which never
  // feed it in the same cycle (asserted below). The tag's top bit says whose set it is.
  lp_red_fold #(.AddLatency(AddLatency), .TagWidth(6)) u_fold (
    .clk_i(clk_i), .rst_i(rst_i), .valid_i(dt_valid | qt_valid), .acc_i(qt_valid ? qt_set : dt_set),
    .tag_i(qt_valid ? {1'b1, 3'b000, qt_tag} : {1'b0, dt_tag}),
    .valid_o(ft_valid), .sum_o(ft_sum), .tag_o(ft_tag)
  );
`ifndef SYNTHESIS
  // (Verilator --assert: sim/kernel/kernel.mk)
  always_ff @(posedge clk_i) begin
    if (!rst_i)
      assert (!(dt_valid && qt_valid)) else $error("lp_sgd_step: the dot engine and the statistics fed the fold tree in one cycle");
    // the fused update's weight FIFO: never pushed when full, never popped when empty
    if (!rst_i)
      assert (!(in_fuse && gv1_q && !tq_p1_q && 32'(wf_count) == 32)) else $error("lp_sgd_step: u_wf pushed when full");
    if (!rst_i)
      assert (!(in_fuse && qo_valid && wf_count == '0)) else $error("lp_sgd_step: u_wf popped when empty");
  end
`endif

  logic [AW-1:0] qo_b_q;
  logic [3:0]    qo_c_q;

  // ================================================================== QUANT + UPD fused
  // When mu is final as GRAD ends (mu_valid_i then: the scalar unit knows mu_k from the
  // step index alone unless it compensates), the update needs no pass of its own. The
  // weight beat that the L2 term read for g (class c, beat b) waits in u_wf; when that
  // beat's gq leaves the quantizer (the flat order in, the same order out) class 1's
  // lanes, idle in QUANT, form w - mu * gq (the UPD pass's operations and operand order),
  // written to bank c at beat b MulLatency + AddLatency cycles later. Each w is read
  // before it is written, once, so every g sees the old w, as in C (step 2 before step 5).
  // Classes = 1 has no second set of lanes and keeps the UPD pass.
  logic                 fw_valid;
  logic [3:0]           fw_class;
  logic [AW-1:0]        fw_beat;
  logic [MulLatency+AddLatency-1:0] fv_q;
  if (Classes > 1) begin : g_fuse
    lp_fifo #(.Width(512), .Depth(32)) u_wf (
      .clk_i(clk_i), .rst_i(rst_i), .wr_i(in_fuse && gv1_q && !tq_p1_q), .d_i(w_rdata),
      .rd_i(in_fuse && qo_valid), .q_o(wf_head), .count_o(wf_count)
    );
    lp_fpu_delay #(.Width(4 + AW), .Depth(MulLatency + AddLatency)) u_fa (
      .clk_i(clk_i), .en_i(1'b1), .d_i({qo_c_q, qo_b_q}), .q_o({fw_class, fw_beat})
    );
  end else begin : g_no_fuse
    assign wf_head  = '0;
    assign wf_count = '0;
    assign fw_class = '0;
    assign fw_beat  = '0;
  end
  always_ff @(posedge clk_i) begin
    if (rst_i) fv_q <= '0;
    else fv_q <= (MulLatency+AddLatency)'({fv_q, in_fuse && qo_valid});
  end
  assign fw_valid = fv_q[MulLatency+AddLatency-1];

  // ================================================================== RAM port muxes
  logic [511:0] w_one;  // a weight beat for one bank: the fused update's or the host's
  always_comb begin
    // weights: read ahead for the dot engine (every bank), the L2 term, the update, or
    // the host port (one bank)
    case (ph_q)
      PhGrad:  w_raddr = AW'(ib_d);
      PhIdle:  w_raddr = start_i ? '0 : mr_addr_i;  // beat 0 may come in GRAD's first cycle
      PhQuant: w_raddr = AW'(gq_b_q);
      PhUpd:   w_raddr = AW'(up_b_q);
      default: w_raddr = mr_addr_i;
    endcase
    w_rclass = (ph_q == PhQuant) ? gq_c_q : mr_class_i;
    // the update writes beat b of classes 0..K-1 at once; the fused update beat fw_beat of
    // one class from class 1's lanes, the host port one bank (the two share w_one)
    w_one = in_fuse ? asum[FuseLo +: 512] : mw_data_i;
    for (int c = 0; c < Classes; c++) begin
      w_we[c] = in_upd ? (uv_q[MulLatency+AddLatency-1] && c < 32'(kk))
              : in_fuse ? (fw_valid && 32'(fw_class) == c)
                        : (mw_we_i && ph_q == PhIdle && 32'(mw_class_i) == c);
      w_wdata_all[512*c +: 512] = in_upd ? asum[512*c +: 512] : w_one;
    end
    w_waddr = in_upd ? ua_s : in_fuse ? fw_beat : mw_addr_i;
    // accumulator / gradient: replay reads (every bank), g reads, gq reads (one bank);
    // sums written back to every bank, gq to one
    case (ph_q)
      PhGrad:  a_raddr = AW'(rp_b_q);
      PhQuant: a_raddr = AW'(gq_b_q);
      default: a_raddr = AW'(up_b_q);
    endcase
    a_rclass = gq_c_q;
    for (int c = 0; c < Classes; c++) begin
      if (ph_q == PhGrad) begin
        a_we[c] = avs_q[AddLatency-1];
        a_wdata_all[512*c +: 512] = asum[512*c +: 512];
      end else begin
        // gq from the quantizer, or (tensor pass 1) g back into the RAM
        a_we[c] = (tq_p1_q ? g_arr : qo_valid) && 32'(qo_c_q) == c;
        a_wdata_all[512*c +: 512] = tq_p1_q ? gsum : qo_value;
      end
    end
    a_waddr = (ph_q == PhGrad) ? actl_s[AW-1:0] : qo_b_q;
  end

  // ================================================================== phase control
  logic grad_done;
  assign grad_done = (acc_rows_q == batch_i) && der_idle && sm_idle && (32'(invb_wait_q) > CvtLat + DivLat);

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      ph_q         <= PhIdle;
      acc_rows_q   <= '0;
      gq_busy_q    <= 1'b0;
      gq_b_q       <= '0;
      gq_c_q       <= '0;
      g_inflight_q <= '0;
      qo_b_q       <= '0;
      qo_c_q       <= '0;
      tq_p1_q      <= 1'b0;
      tq_p2_q      <= 1'b0;
      up_busy_q    <= 1'b0;
      up_b_q       <= '0;
      fuse_q       <= 1'b0;
    end else begin
      if (avs_q[AddLatency-1] && actl_s[AW+1] && ph_q == PhGrad) acc_rows_q <= acc_rows_q + 1'b1;
      g_inflight_q <= g_inflight_q + {5'd0, g_issue} - {5'd0, gf_arr};
      if (g_issue) begin
        gq_b_q <= g_lastb ? '0 : gq_b_q + 1'b1;
        if (g_lastb) gq_c_q <= gq_c_q + 1'b1;
        if (g_lastb && g_lastc) gq_busy_q <= 1'b0;
      end
      if (qo_valid || (tq_p1_q && g_arr)) begin  // (the last beat of pass 1: see tq_l2_q)
        if (qo_valid && qo_last) begin
          qo_b_q <= '0;
          qo_c_q <= '0;
        end else if (qo_b_q == AW'(nbeats_i - 1'b1)) begin
          qo_b_q <= '0;
          qo_c_q <= qo_c_q + 1'b1;
        end else begin
          qo_b_q <= qo_b_q + 1'b1;
        end
      end
      if (tq_l2_q) begin  // pass 1 done, SCALE_K on its way: pass 2
        tq_p1_q   <= 1'b0;
        tq_p2_q   <= 1'b1;
        gq_busy_q <= 1'b1;
        gq_b_q    <= '0;
        gq_c_q    <= '0;
        qo_b_q    <= '0;
        qo_c_q    <= '0;
      end
      if (u_issue) begin
        up_b_q <= u_lastb ? '0 : up_b_q + 1'b1;
        if (u_lastb) up_busy_q <= 1'b0;
      end
      case (ph_q)
        PhIdle: if (start_i) begin
          ph_q       <= PhGrad;
          acc_rows_q <= '0;
        end
        PhGrad: if (grad_done) begin
          ph_q      <= PhQuant;
          gq_busy_q <= 1'b1;
          gq_b_q    <= '0;
          gq_c_q    <= '0;
          qo_b_q    <= '0;
          qo_c_q    <= '0;
          tq_p1_q   <= q_tensor;
          fuse_q    <= Classes > 1 && mu_valid_i;
        end
        PhQuant: if (st_valid) begin
          ph_q    <= fuse_q ? PhTail : PhStats;
          tq_p2_q <= 1'b0;
        end
        PhTail: if (wf_count == '0 && fv_q == '0) begin  // the fused update's last writes
          ph_q   <= PhDone;
          fuse_q <= 1'b0;
        end
        PhStats: if (mu_valid_i) begin  // wait for the stepsize (schedule, compensation)
          ph_q      <= PhUpd;
          up_busy_q <= 1'b1;
          up_b_q    <= '0;
        end
        PhUpd: if (!up_busy_q && uv_q == '0 && !uv1_q) begin
          ph_q <= PhDone;
        end
        default: ph_q <= PhIdle;  // PhDone: one cycle
      endcase
    end
  end

  // the stepsize, latched when the step leaves its statistics phase (or GRAD, fused)
  always_ff @(posedge clk_i) begin
    if ((ph_q == PhStats || (ph_q == PhGrad && grad_done)) && mu_valid_i) mu_q <= mu_i;
  end
  assign st_valid_o = st_valid && ph_q == PhQuant;
  assign scale_k_o  = q_tensor_k;

  assign busy_o = ph_q != PhIdle;
  assign done_o = ph_q == PhDone;

  // the first-row flag is used before the adders only
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_z;
  assign unused_z = actl_s[AW];
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
