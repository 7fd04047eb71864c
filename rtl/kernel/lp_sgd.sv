// lp_sgd - the SGD kernel as a Vitis RTL kernel (ap_ctrl_hs): the same call as the HLS
// kernel lp_sgd of hls/sgd/lp_sgd.c, bit for bit (contract: hls/sgd/lp_sgd.h; register
// map and bundles: hls/sgd/lp_sgd_regmap.h; packaging: scripts/vitis/package_xo.tcl).
//
//   s_axi_control  AXI4-Lite slave (lp_axil_ctrl): ap_ctrl_hs at 0x00, GIE/IER/ISR, the
//                  arguments from 0x10
//   m_axi_gmem0    AXI4 master, 512-bit, read only: the minibatch rows (`data`)
//   m_axi_gmem1    AXI4 master, 512-bit: `cfg` and `model` reads, `stats` and `model`
//                  writes
//   interrupt      ap_done/ap_ready per GIE/IER (level, cleared through ISR)
//
// RRESP and BRESP other than OKAY are latched in the status register (0x58, cleared at
// ap_start; the call still ends with ap_done, the host reads the status then); a call
// with a pointer argument not 64-byte aligned is refused at ap_start (status bit 3).
//
// Port names are the ones Vitis infers the interfaces from (ap_clk, ap_rst_n,
// s_axi_control_*, m_axi_<bundle>_*: the project's one exception to the _i/_o naming);
// everything inside follows the project's conventions. ap_rst_n (active low, synchronous
// to ap_clk) is registered once and becomes the active-high synchronous rst_i of every
// unit. Bursts are INCR, 64-byte beats (ARSIZE/AWSIZE = 6), at most MaxBurst beats, never
// across a 4 KiB boundary; one ID (no reordering).
`default_nettype none

module lp_sgd #(
  parameter int Classes   = 16,   // max K of the step engine (softmax classes)
  parameter int MaxBeats  = 512,  // weight beats per class on chip (D/16 <= MaxBeats)
  parameter int RowSlots  = 8,    // row buffers of the step engine's replay ring
  parameter int MaxBurst  = 16,   // beats per AXI burst (a power of two, <= 64)
  parameter int RowFifo   = 1024  // gmem0 read FIFO in block RAM (beats; the minibatch
                                  // prefetch: it must hold the reads in flight for the
                                  // memory latency at one beat per cycle plus the rows the
                                  // bus brings while a step's fixed cost keeps the engine
                                  // from taking any: ~300 + ~820 for softmax K = 10, D = 800)
) (
  input  wire logic          ap_clk,                    // kernel clock
  input  wire logic          ap_rst_n,                  // reset, active low, synchronous
  /* verilator lint_off SYMRSVDWORD */
  output logic               interrupt,                 // ap_done interrupt (level; the name Vitis requires)
  /* verilator lint_on SYMRSVDWORD */
  // m_axi_gmem0: read only
  output logic               m_axi_gmem0_ARVALID,
  input  wire logic          m_axi_gmem0_ARREADY,
  output logic      [63:0]   m_axi_gmem0_ARADDR,
  output logic      [7:0]    m_axi_gmem0_ARLEN,
  output logic      [2:0]    m_axi_gmem0_ARSIZE,
  output logic      [1:0]    m_axi_gmem0_ARBURST,
  input  wire logic          m_axi_gmem0_RVALID,
  output logic               m_axi_gmem0_RREADY,
  input  wire logic [511:0]  m_axi_gmem0_RDATA,
  input  wire logic          m_axi_gmem0_RLAST,
  input  wire logic [1:0]    m_axi_gmem0_RRESP,
  // m_axi_gmem1
  output logic               m_axi_gmem1_AWVALID,
  input  wire logic          m_axi_gmem1_AWREADY,
  output logic      [63:0]   m_axi_gmem1_AWADDR,
  output logic      [7:0]    m_axi_gmem1_AWLEN,
  output logic      [2:0]    m_axi_gmem1_AWSIZE,
  output logic      [1:0]    m_axi_gmem1_AWBURST,
  output logic               m_axi_gmem1_WVALID,
  input  wire logic          m_axi_gmem1_WREADY,
  output logic      [511:0]  m_axi_gmem1_WDATA,
  output logic      [63:0]   m_axi_gmem1_WSTRB,
  output logic               m_axi_gmem1_WLAST,
  input  wire logic          m_axi_gmem1_BVALID,
  output logic               m_axi_gmem1_BREADY,
  input  wire logic [1:0]    m_axi_gmem1_BRESP,
  output logic               m_axi_gmem1_ARVALID,
  input  wire logic          m_axi_gmem1_ARREADY,
  output logic      [63:0]   m_axi_gmem1_ARADDR,
  output logic      [7:0]    m_axi_gmem1_ARLEN,
  output logic      [2:0]    m_axi_gmem1_ARSIZE,
  output logic      [1:0]    m_axi_gmem1_ARBURST,
  input  wire logic          m_axi_gmem1_RVALID,
  output logic               m_axi_gmem1_RREADY,
  input  wire logic [511:0]  m_axi_gmem1_RDATA,
  input  wire logic          m_axi_gmem1_RLAST,
  input  wire logic [1:0]    m_axi_gmem1_RRESP,
  // s_axi_control
  input  wire logic          s_axi_control_AWVALID,
  output logic               s_axi_control_AWREADY,
  input  wire logic [11:0]   s_axi_control_AWADDR,
  input  wire logic          s_axi_control_WVALID,
  output logic               s_axi_control_WREADY,
  input  wire logic [31:0]   s_axi_control_WDATA,
  input  wire logic [3:0]    s_axi_control_WSTRB,
  output logic               s_axi_control_BVALID,
  input  wire logic          s_axi_control_BREADY,
  output logic      [1:0]    s_axi_control_BRESP,
  input  wire logic          s_axi_control_ARVALID,
  output logic               s_axi_control_ARREADY,
  input  wire logic [11:0]   s_axi_control_ARADDR,
  output logic               s_axi_control_RVALID,
  input  wire logic          s_axi_control_RREADY,
  output logic      [31:0]   s_axi_control_RDATA,
  output logic      [1:0]    s_axi_control_RRESP
);

  localparam int MaxBeatBits = $clog2(MaxBeats) + 1;  // bits of D/16

  // ------------------------------------------------------------------ reset: registered once
  logic rst_q;
  always_ff @(posedge ap_clk) rst_q <= !ap_rst_n;

  // ------------------------------------------------------------------ s_axi_control
  logic        start, done;
  logic [63:0] a_data, a_model, a_stats, a_cfg;
  logic [31:0] a_nsteps, a_step0, a_flags;
  // a response other than OKAY, per channel, for the status register (LP_REG_STATUS)
  logic [2:0] axi_err;
  assign axi_err = {m_axi_gmem1_BVALID & m_axi_gmem1_BREADY & (m_axi_gmem1_BRESP != 2'b00),
                    m_axi_gmem1_RVALID & m_axi_gmem1_RREADY & (m_axi_gmem1_RRESP != 2'b00),
                    m_axi_gmem0_RVALID & m_axi_gmem0_RREADY & (m_axi_gmem0_RRESP != 2'b00)};

  lp_axil_ctrl #(.AddrWidth(12)) u_axil (
    .clk_i(ap_clk), .rst_i(rst_q),
    .s_awvalid_i(s_axi_control_AWVALID), .s_awready_o(s_axi_control_AWREADY), .s_awaddr_i(s_axi_control_AWADDR),
    .s_wvalid_i(s_axi_control_WVALID), .s_wready_o(s_axi_control_WREADY), .s_wdata_i(s_axi_control_WDATA),
    .s_wstrb_i(s_axi_control_WSTRB), .s_bvalid_o(s_axi_control_BVALID), .s_bready_i(s_axi_control_BREADY),
    .s_bresp_o(s_axi_control_BRESP), .s_arvalid_i(s_axi_control_ARVALID), .s_arready_o(s_axi_control_ARREADY),
    .s_araddr_i(s_axi_control_ARADDR), .s_rvalid_o(s_axi_control_RVALID), .s_rready_i(s_axi_control_RREADY),
    .s_rdata_o(s_axi_control_RDATA), .s_rresp_o(s_axi_control_RRESP),
    .start_o(start), .done_i(done), .axi_err_i(axi_err), .axi_resp_i({m_axi_gmem1_BRESP, m_axi_gmem1_RRESP, m_axi_gmem0_RRESP}),
    .data_o(a_data), .model_o(a_model), .stats_o(a_stats), .cfg_o(a_cfg),
    .nsteps_o(a_nsteps), .step0_o(a_step0), .flags_o(a_flags), .interrupt_o(interrupt)
  );

  // ------------------------------------------------------------------ the AXI4 masters
  // gmem0's rows lose their header beats on the way into the prefetch FIFO: each feature
  // beat carries its row's label instead (lp_row_split), so the step engine takes a row in
  // D/16 cycles and the FIFO, filled while the engine is between gradient phases, catches up
  logic         rd0_cmd_valid, rd0_cmd_ready, rd0_valid, rd0_ready, rd0_idle, rd0_keep;
  logic [63:0]  rd0_cmd_addr;
  logic [31:0]  rd0_cmd_beats;
  logic [511:0] rd0_data;
  logic [31:0]  rd0_label, r0_label;
  logic [MaxBeatBits-1:0] row_beats;
  lp_row_split #(.BeatBits(MaxBeatBits)) u_split (
    .clk_i(ap_clk), .rst_i(rst_q), .clear_i(start), .nbeats_i(row_beats),
    .valid_i(m_axi_gmem0_RVALID), .word0_i(m_axi_gmem0_RDATA[31:0]), .keep_o(rd0_keep), .label_o(r0_label)
  );
  lp_axi_rd #(.AddrWidth(64), .DataWidth(512), .MaxBurst(MaxBurst), .FifoDepth(RowFifo), .FifoBram(1),
              .UserWidth(32)) u_rd0 (
    .clk_i(ap_clk), .rst_i(rst_q),
    .cmd_valid_i(rd0_cmd_valid), .cmd_ready_o(rd0_cmd_ready), .cmd_addr_i(rd0_cmd_addr), .cmd_beats_i(rd0_cmd_beats),
    .out_valid_o(rd0_valid), .out_ready_i(rd0_ready), .out_data_o(rd0_data), .out_user_o(rd0_label),
    .idle_o(rd0_idle),
    .ar_valid_o(m_axi_gmem0_ARVALID), .ar_ready_i(m_axi_gmem0_ARREADY), .ar_addr_o(m_axi_gmem0_ARADDR),
    .ar_len_o(m_axi_gmem0_ARLEN), .r_valid_i(m_axi_gmem0_RVALID), .r_ready_o(m_axi_gmem0_RREADY),
    .r_data_i(m_axi_gmem0_RDATA), .r_keep_i(rd0_keep), .r_user_i(r0_label)
  );

  logic         rd1_cmd_valid, rd1_cmd_ready, rd1_valid, rd1_ready, rd1_idle;
  logic [63:0]  rd1_cmd_addr;
  logic [31:0]  rd1_cmd_beats;
  logic [511:0] rd1_data;
  logic         rd1_user;  // (a plain master: nothing beside the beats)
  lp_axi_rd #(.AddrWidth(64), .DataWidth(512), .MaxBurst(MaxBurst), .FifoDepth(2 * MaxBurst)) u_rd1 (
    .clk_i(ap_clk), .rst_i(rst_q),
    .cmd_valid_i(rd1_cmd_valid), .cmd_ready_o(rd1_cmd_ready), .cmd_addr_i(rd1_cmd_addr), .cmd_beats_i(rd1_cmd_beats),
    .out_valid_o(rd1_valid), .out_ready_i(rd1_ready), .out_data_o(rd1_data), .out_user_o(rd1_user),
    .idle_o(rd1_idle),
    .ar_valid_o(m_axi_gmem1_ARVALID), .ar_ready_i(m_axi_gmem1_ARREADY), .ar_addr_o(m_axi_gmem1_ARADDR),
    .ar_len_o(m_axi_gmem1_ARLEN), .r_valid_i(m_axi_gmem1_RVALID), .r_ready_o(m_axi_gmem1_RREADY),
    .r_data_i(m_axi_gmem1_RDATA), .r_keep_i(1'b1), .r_user_i(1'b0)
  );

  logic         wr1_cmd_valid, wr1_cmd_ready, wr1_valid, wr1_ready, wr1_idle;
  logic [63:0]  wr1_cmd_addr;
  logic [31:0]  wr1_cmd_beats;
  logic [511:0] wr1_data;
  logic [63:0]  wr1_strb;
  lp_axi_wr #(.AddrWidth(64), .DataWidth(512), .MaxBurst(MaxBurst), .FifoDepth(2 * MaxBurst), .Slack(2)) u_wr1 (
    .clk_i(ap_clk), .rst_i(rst_q),
    .cmd_valid_i(wr1_cmd_valid), .cmd_ready_o(wr1_cmd_ready), .cmd_addr_i(wr1_cmd_addr), .cmd_beats_i(wr1_cmd_beats),
    .in_valid_i(wr1_valid), .in_ready_o(wr1_ready), .in_data_i(wr1_data), .in_strb_i(wr1_strb), .idle_o(wr1_idle),
    .aw_valid_o(m_axi_gmem1_AWVALID), .aw_ready_i(m_axi_gmem1_AWREADY), .aw_addr_o(m_axi_gmem1_AWADDR),
    .aw_len_o(m_axi_gmem1_AWLEN), .w_valid_o(m_axi_gmem1_WVALID), .w_ready_i(m_axi_gmem1_WREADY),
    .w_data_o(m_axi_gmem1_WDATA), .w_strb_o(m_axi_gmem1_WSTRB), .w_last_o(m_axi_gmem1_WLAST),
    .b_valid_i(m_axi_gmem1_BVALID), .b_ready_o(m_axi_gmem1_BREADY)
  );

  assign m_axi_gmem0_ARSIZE  = 3'd6;   // 64 bytes per beat
  assign m_axi_gmem0_ARBURST = 2'b01;  // INCR
  assign m_axi_gmem1_ARSIZE  = 3'd6;
  assign m_axi_gmem1_ARBURST = 2'b01;
  assign m_axi_gmem1_AWSIZE  = 3'd6;
  assign m_axi_gmem1_AWBURST = 2'b01;

  // ------------------------------------------------------------------ the controller and the datapath
  lp_sgd_ctrl #(.Classes(Classes), .MaxBeats(MaxBeats), .RowSlots(RowSlots), .AddrWidth(64)) u_ctrl (
    .clk_i(ap_clk), .rst_i(rst_q), .start_i(start), .done_o(done),
    .data_addr_i(a_data), .model_addr_i(a_model), .stats_addr_i(a_stats), .cfg_addr_i(a_cfg),
    .nsteps_i(a_nsteps), .step0_i(a_step0), .flags_i(a_flags),
    .rd0_cmd_valid_o(rd0_cmd_valid), .rd0_cmd_ready_i(rd0_cmd_ready), .rd0_cmd_addr_o(rd0_cmd_addr),
    .rd0_cmd_beats_o(rd0_cmd_beats), .rd0_valid_i(rd0_valid), .rd0_ready_o(rd0_ready), .rd0_data_i(rd0_data),
    .rd0_label_i(rd0_label), .rd0_idle_i(rd0_idle), .row_beats_o(row_beats),
    .rd1_cmd_valid_o(rd1_cmd_valid), .rd1_cmd_ready_i(rd1_cmd_ready), .rd1_cmd_addr_o(rd1_cmd_addr),
    .rd1_cmd_beats_o(rd1_cmd_beats), .rd1_valid_i(rd1_valid), .rd1_ready_o(rd1_ready), .rd1_data_i(rd1_data),
    .rd1_idle_i(rd1_idle),
    .wr1_cmd_valid_o(wr1_cmd_valid), .wr1_cmd_ready_i(wr1_cmd_ready), .wr1_cmd_addr_o(wr1_cmd_addr),
    .wr1_cmd_beats_o(wr1_cmd_beats), .wr1_valid_o(wr1_valid), .wr1_ready_i(wr1_ready), .wr1_data_o(wr1_data),
    .wr1_strb_o(wr1_strb), .wr1_idle_i(wr1_idle)
  );

  // the masters count beats, not RLAST (the slave returns the bursts in order)
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = ^{m_axi_gmem0_RLAST, m_axi_gmem1_RLAST, rd1_user};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
