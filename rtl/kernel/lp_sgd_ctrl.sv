// lp_sgd_ctrl - the SGD kernel's controller and datapath core: one call of lp_sgd (the HLS
// top of hls/sgd/lp_sgd.c, contract in hls/sgd/lp_sgd.h) from ap_start to ap_done, with
// the on-chip model in lp_sgd_step. The AXI masters (lp_axi_rd, lp_axi_wr) are outside;
// this unit speaks their command and beat streams. A call:
//   1. read the cfg block (2 beats of gmem1) and check it with lp_sgd_cfg (lp_sgd_check_cfg
//      and lp_format_derive in hardware). A bad block runs nothing: when nsteps > 0 the
//      word LP_SGD_REC_BADCFG goes to stats[0] (one beat, byte strobes of word 0 only).
//   2. write the quantizer registers (lp_sgd_cfg's qreg words, all but STEP) through the
//      step's qreg port; start prefetching the minibatch rows (gmem0, one command per step,
//      queued back to back in the read master).
//   3. LOAD (flags bit 0): K*D/16 weight beats in class/beat order into the step's model
//      banks, then the state beat (word 0 q_hat) into this unit's state register.
//   4. per step s (k = step0 + s): STEP register = k, the SR hash settles (3 cycles),
//      lp_sgd_step and lp_sgd_scalar start together; the scalar gets the step's statistics
//      and gives mu (the step waits for it before its update) and the new q_hat; the record
//      (lp_sgd_rec_t, one beat) goes to stats + 64*s; q_hat goes to the state word 0.
//   5. STORE (flags bit 1): the weight beats and the state beat to `model`.
//   6. wait until every write is acknowledged (and the read masters are idle), done_o.
// Buffers are beat (64-byte) aligned, as every XRT buffer is (4 KiB): lp_axil_ctrl does not
// start a call with a pointer that is not (status bit 3).
// Reset: synchronous, active high; clears the control state and the model state beat.
`default_nettype none

module lp_sgd_ctrl #(
  parameter int Classes   = 16,   // max K of the step engine (softmax classes)
  parameter int MaxBeats  = 512,  // weight beats per class on chip (D/16 <= MaxBeats)
  parameter int RowSlots  = 8,    // row buffers of the step engine's replay ring
  parameter int AddrWidth = 64    // AXI address bits
) (
  input  wire logic                 clk_i,            // clock, rising edge
  input  wire logic                 rst_i,            // synchronous reset, active high
  // the call (lp_axil_ctrl)
  input  wire logic                 start_i,          // one-cycle pulse: start
  output logic                      done_o,           // one-cycle pulse: finished
  input  wire logic [63:0]          data_addr_i,      // argument data
  input  wire logic [63:0]          model_addr_i,     // argument model
  input  wire logic [63:0]          stats_addr_i,     // argument stats
  input  wire logic [63:0]          cfg_addr_i,       // argument cfg
  input  wire logic [31:0]          nsteps_i,         // argument nsteps
  input  wire logic [31:0]          step0_i,          // argument step0
  /* verilator lint_off UNUSEDSIGNAL */
  input  wire logic [31:0]          flags_i,          // argument flags (bits 0, 1)
  /* verilator lint_on UNUSEDSIGNAL */
  // gmem0 read master: the minibatch rows
  output logic                      rd0_cmd_valid_o,  // command
  input  wire logic                 rd0_cmd_ready_i,  //
  output logic      [AddrWidth-1:0] rd0_cmd_addr_o,   //
  output logic      [31:0]          rd0_cmd_beats_o,  //
  input  wire logic                 rd0_valid_i,      // row beats
  output logic                      rd0_ready_o,      //
  input  wire logic [511:0]         rd0_data_i,       // (feature beats: lp_row_split took the headers)
  input  wire logic [31:0]          rd0_label_i,      // the label of the beat's row
  input  wire logic                 rd0_idle_i,       // nothing in flight
  output logic [$clog2(MaxBeats):0] row_beats_o,      // D/16 of the checked cfg (lp_row_split)
  // gmem1 read master: cfg, model load
  output logic                      rd1_cmd_valid_o,  // command
  input  wire logic                 rd1_cmd_ready_i,  //
  output logic      [AddrWidth-1:0] rd1_cmd_addr_o,   //
  output logic      [31:0]          rd1_cmd_beats_o,  //
  input  wire logic                 rd1_valid_i,      // beats
  output logic                      rd1_ready_o,      //
  input  wire logic [511:0]         rd1_data_i,       //
  input  wire logic                 rd1_idle_i,       // nothing in flight
  // gmem1 write master: records, model store
  output logic                      wr1_cmd_valid_o,  // command
  input  wire logic                 wr1_cmd_ready_i,  //
  output logic      [AddrWidth-1:0] wr1_cmd_addr_o,   //
  output logic      [31:0]          wr1_cmd_beats_o,  //
  output logic                      wr1_valid_o,      // beats
  input  wire logic                 wr1_ready_i,      //
  output logic      [511:0]         wr1_data_o,       //
  output logic      [63:0]          wr1_strb_o,       //
  input  wire logic                 wr1_idle_i        // nothing held or outstanding
);

  localparam int AW = $clog2(MaxBeats);
  localparam int NB = AW + 1;                 // bits of D/16
  localparam int QRegs = 13;                  // quantizer register words (docs/rtl.md)
  localparam logic [3:0] QRegStep = 4'd11;    // the STEP register: written per step
  localparam int HashSettle = 3;              // cycles for the SR hash of (seed, step)

  typedef enum logic [3:0] {
    StIdle, StCfgCmd, StCfgRd, StCfgChk, StBad, StQreg, StLoadCmd, StLoad, StStepQ, StStepW,
    StStepRun, StRec, StStoreCmd, StStore, StDrain, StDone
  } state_e;
  state_e st_q;

  // ------------------------------------------------------------------ the call's arguments
  logic [63:0] data_q, maddr_q, stats_q, cfg_q;
  logic [31:0] nsteps_q, step0_q;
  logic [1:0]  flags_q;           // LP_SGD_FLAG_STORE, LP_SGD_FLAG_LOAD (the other bits are unused)
  always_ff @(posedge clk_i) begin
    if (st_q == StIdle && start_i) begin
      data_q   <= data_addr_i;
      maddr_q  <= model_addr_i;
      stats_q  <= stats_addr_i;
      cfg_q    <= cfg_addr_i;
      nsteps_q <= nsteps_i;
      step0_q  <= step0_i;
      flags_q  <= flags_i[1:0];
    end
  end

  // ------------------------------------------------------------------ the cfg block and its check
  logic [1023:0] cfgw_q;          // the two beats (words 0..31)
  logic          cfg_start, cfg_done, cfg_ok, c_comp;
  logic [1:0]    c_model, c_sched;
  logic [4:0]    c_nclass;
  logic [NB-1:0] c_nbeats;
  logic [16:0]   c_batch;
  logic [31:0]   c_lr, c_gamma, c_period, c_lambda;
  logic [QRegs*32-1:0] c_qreg;

  lp_sgd_cfg u_cfg (
    .clk_i(clk_i), .rst_i(rst_i), .start_i(cfg_start), .cfg_i(cfgw_q[17*32-1:0]),
    .done_o(cfg_done), .ok_o(cfg_ok), .model_o(c_model), .nclass_o(c_nclass), .nbeats_o(c_nbeats),
    .batch_o(c_batch), .sched_o(c_sched), .lr_o(c_lr), .gamma_o(c_gamma), .period_o(c_period),
    .lambda_o(c_lambda), .compensate_o(c_comp), .qreg_o(c_qreg)
  );

  // the checked configuration, latched when lp_sgd_cfg is done
  logic [1:0]    model_q, sched_q;
  logic [4:0]    nclass_q;
  logic [NB-1:0] nb_q;
  logic [16:0]   batch_q;
  logic [31:0]   lr_q, gamma_q, period_q, lambda_q;
  logic          comp_q;
  logic [QRegs*32-1:0] qreg_q;
  logic [15:0]   kbeats_q;        // K * D/16 weight beats
  logic [31:0]   step_beats_q;    // B * (1 + D/16) row beats per step
  always_ff @(posedge clk_i) begin
    if (st_q == StCfgChk && cfg_done) begin
      model_q      <= c_model;
      sched_q      <= c_sched;
      nclass_q     <= c_nclass;
      nb_q         <= c_nbeats;
      batch_q      <= c_batch;
      lr_q         <= c_lr;
      gamma_q      <= c_gamma;
      period_q     <= c_period;
      lambda_q     <= c_lambda;
      comp_q       <= c_comp;
      qreg_q       <= c_qreg;
      kbeats_q     <= 16'(c_nclass) * 16'(c_nbeats);
      step_beats_q <= 32'(c_batch) * (32'(c_nbeats) + 32'd1);
    end
  end

  // ------------------------------------------------------------------ the step engine and the scalar unit
  logic         qreg_we, mw_we, step_start, step_busy, step_done, st_valid, mu_valid;
  logic [3:0]   qreg_addr, mw_class, mr_class;
  logic [31:0]  qreg_wdata, loss, correct, scale_k, mu, qhat_new;
  logic [AW-1:0] mw_addr, mr_addr;
  logic [511:0] mr_data;
  logic [127:0] st_sum;
  logic [191:0] st_count;
  logic [511:0] state_q;          // the model state beat (word 0 q_hat)
  logic [31:0]  k_q;              // global index of the current step

  lp_sgd_step #(.Classes(Classes), .MaxBeats(MaxBeats), .RowSlots(RowSlots)) u_step (
    .clk_i(clk_i), .rst_i(rst_i),
    .model_i(model_q), .nclass_i(nclass_q), .nbeats_i(nb_q), .batch_i(batch_q), .lambda_i(lambda_q),
    .mu_i(mu), .mu_valid_i(mu_valid),
    .qreg_we_i(qreg_we), .qreg_addr_i(qreg_addr), .qreg_wdata_i(qreg_wdata),
    .mw_we_i(mw_we), .mw_class_i(mw_class), .mw_addr_i(mw_addr), .mw_data_i(rd1_data_i),
    .mr_class_i(mr_class), .mr_addr_i(mr_addr), .mr_data_o(mr_data),
    .start_i(step_start), .busy_o(step_busy), .done_o(step_done),
    .in_valid_i(rd0_valid_i), .in_ready_o(rd0_ready_o), .in_data_i(rd0_data_i), .in_label_i(rd0_label_i),
    .st_valid_o(st_valid), .st_sum_o(st_sum), .st_count_o(st_count), .loss_o(loss), .correct_o(correct),
    .scale_k_o(scale_k)
  );

  lp_sgd_scalar u_scalar (
    .clk_i(clk_i), .rst_i(rst_i),
    .sched_i(sched_q), .lr_i(lr_q), .gamma_i(gamma_q), .period_i(period_q), .compensate_i(comp_q),
    .k_i(k_q), .qhat_i(state_q[31:0]), .start_i(step_start),
    .st_valid_i(st_valid), .g2_i(st_sum[31:0]), .ge_i(st_sum[127:96]),
    .mu_valid_o(mu_valid), .mu_o(mu), .qhat_o(qhat_new)
  );

  // ------------------------------------------------------------------ minibatch prefetch (gmem0)
  logic        pf_on_q;
  logic [31:0] pf_n_q;             // step commands issued
  logic [63:0] pf_addr_q;
  assign rd0_cmd_valid_o = pf_on_q && pf_n_q != nsteps_q;
  assign rd0_cmd_addr_o  = AddrWidth'(pf_addr_q);
  assign rd0_cmd_beats_o = step_beats_q;
  assign row_beats_o     = nb_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      pf_on_q <= 1'b0;
      pf_n_q  <= '0;
    end else if (st_q == StIdle) begin
      pf_on_q <= 1'b0;
      pf_n_q  <= '0;
    end else if (st_q == StQreg && !pf_on_q) begin
      pf_on_q   <= 1'b1;
      pf_addr_q <= data_q;
    end else if (rd0_cmd_valid_o && rd0_cmd_ready_i) begin
      pf_n_q    <= pf_n_q + 1'b1;
      pf_addr_q <= pf_addr_q + {26'd0, step_beats_q, 6'd0};
    end
  end

  // ------------------------------------------------------------------ the sequence
  logic [1:0]    cfg_beat_q;
  logic [3:0]    qa_q;             // quantizer register being written
  logic [1:0]    wait_q;
  logic [15:0]   mb_q;             // model beats moved (load: taken; store: read)
  logic [3:0]    mcls_q;           // class of the next model beat
  logic [AW-1:0] mbt_q;            // beat within the class
  logic [31:0]   s_q;              // steps done in this call
  logic [63:0]   rec_addr_q;
  logic          cmd_sent_q, beat_sent_q, mr_pend_q, cfg_go_q;

  logic rd1_fire, wr1_cmd_fire, wr1_push, model_last;
  assign rd1_fire     = rd1_valid_i & rd1_ready_o;
  assign wr1_cmd_fire = wr1_cmd_valid_o & wr1_cmd_ready_i;
  assign wr1_push     = wr1_valid_o;   // the write master takes every beat pushed (credits)
  assign model_last   = mbt_q == AW'(nb_q - 1'b1);

  // the record of the step that just finished (lp_sgd_rec_t)
  logic [511:0] rec;
  assign rec = {scale_k, correct, loss, qhat_new, st_count, st_sum, mu, k_q};

  always_comb begin
    rd1_cmd_valid_o = 1'b0;
    rd1_cmd_addr_o  = AddrWidth'(cfg_q);
    rd1_cmd_beats_o = 32'd2;
    rd1_ready_o     = 1'b0;
    wr1_cmd_valid_o = 1'b0;
    wr1_cmd_addr_o  = AddrWidth'(stats_q);
    wr1_cmd_beats_o = 32'd1;
    wr1_valid_o     = 1'b0;
    wr1_data_o      = {480'd0, 32'hFFFF_FFFF};  // LP_SGD_REC_BADCFG
    wr1_strb_o      = 64'h0000_0000_0000_000F;
    cfg_start       = cfg_go_q;
    qreg_we         = 1'b0;
    qreg_addr       = qa_q;
    qreg_wdata      = c_qreg_word(qreg_q, qa_q);
    mw_we           = 1'b0;
    mw_class        = mcls_q;
    mw_addr         = mbt_q;
    mr_class        = mcls_q;
    mr_addr         = mbt_q;
    step_start      = 1'b0;
    done_o          = 1'b0;
    unique case (st_q)
      StCfgCmd: rd1_cmd_valid_o = 1'b1;
      StCfgRd:  rd1_ready_o = 1'b1;
      StBad: begin
        wr1_cmd_valid_o = !cmd_sent_q;
        wr1_valid_o     = !beat_sent_q && wr1_ready_i;
      end
      StQreg:   qreg_we = qa_q != QRegStep;
      StLoadCmd: begin
        rd1_cmd_valid_o = 1'b1;
        rd1_cmd_addr_o  = AddrWidth'(maddr_q);
        rd1_cmd_beats_o = 32'(kbeats_q) + 32'd1;
      end
      StLoad: begin
        rd1_ready_o = 1'b1;
        mw_we       = rd1_valid_i && mb_q != kbeats_q;
      end
      StStepQ: begin
        qreg_we    = 1'b1;
        qreg_addr  = QRegStep;
        qreg_wdata = k_q;
      end
      StStepW:  step_start = wait_q == '0;
      StRec: begin
        wr1_cmd_valid_o = !cmd_sent_q;
        wr1_cmd_addr_o  = AddrWidth'(rec_addr_q);
        wr1_valid_o     = !beat_sent_q && wr1_ready_i;
        wr1_data_o      = rec;
        wr1_strb_o      = '1;
      end
      StStoreCmd: begin
        wr1_cmd_valid_o = flags_q[1];
        wr1_cmd_addr_o  = AddrWidth'(maddr_q);
        wr1_cmd_beats_o = 32'(kbeats_q) + 32'd1;
      end
      StStore: begin
        // a weight beat read a cycle ago; the state beat after the last one
        wr1_valid_o = mr_pend_q || (mb_q == kbeats_q && !beat_sent_q && wr1_ready_i);
        wr1_data_o  = mr_pend_q ? mr_data : state_q;
        wr1_strb_o  = '1;
      end
      StDone:   done_o = 1'b1;
      default: ;
    endcase
  end

  // word a of the quantizer register block
  function automatic logic [31:0] c_qreg_word(input logic [QRegs*32-1:0] q, input logic [3:0] a);
    c_qreg_word = q[32*a +: 32];  // not `return`: Yosys 0.23 cannot parse it
  endfunction

  logic mr_issue;
  assign mr_issue = st_q == StStore && mb_q != kbeats_q && wr1_ready_i;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      st_q        <= StIdle;
      state_q     <= '0;
      mr_pend_q   <= 1'b0;
      cfg_go_q    <= 1'b0;
      cmd_sent_q  <= 1'b0;
      beat_sent_q <= 1'b0;
    end else begin
      mr_pend_q <= mr_issue;
      cfg_go_q  <= st_q == StCfgRd && rd1_fire && cfg_beat_q == 2'd1;
      if (mr_issue) begin
        mb_q <= mb_q + 1'b1;
        if (model_last) begin
          mbt_q  <= '0;
          mcls_q <= mcls_q + 1'b1;
        end else begin
          mbt_q <= mbt_q + 1'b1;
        end
      end
      if (wr1_cmd_fire) cmd_sent_q <= 1'b1;
      if (wr1_push && st_q != StStore) beat_sent_q <= 1'b1;
      unique case (st_q)
        StIdle: if (start_i) st_q <= StCfgCmd;
        StCfgCmd: if (rd1_cmd_ready_i) begin
          st_q       <= StCfgRd;
          cfg_beat_q <= '0;
        end
        StCfgRd: if (rd1_fire) begin
          cfgw_q[512*cfg_beat_q[0] +: 512] <= rd1_data_i;
          cfg_beat_q <= cfg_beat_q + 1'b1;
          if (cfg_beat_q == 2'd1) st_q <= StCfgChk;
        end
        StCfgChk: if (cfg_done) begin
          cmd_sent_q  <= 1'b0;
          beat_sent_q <= 1'b0;
          qa_q        <= '0;
          if (cfg_ok) st_q <= StQreg;
          else if (nsteps_q != 0) st_q <= StBad;
          else st_q <= StDrain;
        end
        StBad: if ((cmd_sent_q || wr1_cmd_fire) && (beat_sent_q || wr1_push)) st_q <= StDrain;
        StQreg: begin
          qa_q <= qa_q + 1'b1;
          if (qa_q == 4'(QRegs - 1)) begin
            mb_q   <= '0;
            mcls_q <= '0;
            mbt_q  <= '0;
            s_q    <= '0;
            k_q    <= step0_q;
            rec_addr_q <= stats_q;
            if (flags_q[0]) st_q <= StLoadCmd;
            else if (nsteps_q != 0) st_q <= StStepQ;
            else st_q <= StStoreCmd;
          end
        end
        StLoadCmd: if (rd1_cmd_ready_i) st_q <= StLoad;
        StLoad: if (rd1_fire) begin
          if (mb_q == kbeats_q) begin
            state_q <= rd1_data_i;
            st_q    <= nsteps_q != 0 ? StStepQ : StStoreCmd;
          end else begin
            mb_q <= mb_q + 1'b1;
            if (model_last) begin
              mbt_q  <= '0;
              mcls_q <= mcls_q + 1'b1;
            end else begin
              mbt_q <= mbt_q + 1'b1;
            end
          end
        end
        StStepQ: begin
          st_q   <= StStepW;
          wait_q <= 2'(HashSettle - 1);
        end
        StStepW: begin
          wait_q <= wait_q - 1'b1;
          if (wait_q == '0) st_q <= StStepRun;
        end
        StStepRun: if (step_done) begin
          st_q        <= StRec;
          cmd_sent_q  <= 1'b0;
          beat_sent_q <= 1'b0;
        end
        StRec: if ((cmd_sent_q || wr1_cmd_fire) && (beat_sent_q || wr1_push)) begin
          state_q[31:0] <= qhat_new;
          s_q           <= s_q + 1'b1;
          k_q           <= k_q + 1'b1;
          rec_addr_q    <= rec_addr_q + 64'd64;
          st_q          <= (s_q + 1'b1 == nsteps_q) ? StStoreCmd : StStepQ;
        end
        StStoreCmd: begin
          mb_q        <= '0;
          mcls_q      <= '0;
          mbt_q       <= '0;
          beat_sent_q <= 1'b0;
          if (!flags_q[1]) st_q <= StDrain;
          else if (wr1_cmd_ready_i) st_q <= StStore;
        end
        StStore: if (mb_q == kbeats_q && !mr_pend_q && !beat_sent_q && wr1_ready_i) begin
          beat_sent_q <= 1'b1;
          st_q        <= StDrain;
        end
        StDrain: if (rd0_idle_i && rd1_idle_i && wr1_idle_i && !rd0_cmd_valid_o) st_q <= StDone;
        default: st_q <= StIdle;  // StDone: one cycle
      endcase
    end
  end

  // step_busy is implied by the sequence (start, done); kept for waveforms
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = ^{step_busy, cfgw_q[1023:17*32]};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
