// lp_axil_ctrl - the kernel's AXI4-Lite slave (Vitis s_axi_control): the ap_ctrl_hs
// control register, the interrupt registers and the argument registers of
// hls/sgd/lp_sgd_regmap.h (the one table of offsets; tests/kernel/test_kernel checks every
// offset below against it through this slave).
//
//   0x00 control  bit 0 ap_start (R/W, set by the host, cleared by the kernel at ap_ready
//                 unless auto_restart), 1 ap_done (R, clear on read), 2 ap_idle (R),
//                 3 ap_ready (R, clear on read), 7 auto_restart (R/W)
//   0x04 GIE      bit 0 global interrupt enable (R/W)
//   0x08 IER      bit 0 ap_done, bit 1 ap_ready interrupt enables (R/W)
//   0x0C ISR      bit 0 ap_done, bit 1 ap_ready status (R, toggle on write of 1; a bit the
//                 kernel sets in the cycle of such a write is set: the event is never lost)
//   0x10.. the arguments: data 0x10/0x14, model 0x1C/0x20, stats 0x28/0x2C, cfg 0x34/0x38
//          (64-bit pointers, low word first), nsteps 0x40, step0 0x48, flags 0x50.
//   0x58 status   (R) LP_SGD_ST_*: bits 0..2 a non-OKAY response on gmem0 R, gmem1 R,
//                 gmem1 B (axi_err_i), bits 5:4, 7:6, 9:8 the first such response of each
//                 (axi_resp_i); bit 3 a pointer argument not 64-byte aligned. Cleared at
//                 ap_start, read only.
// Other addresses read 0 and ignore writes.
//
// Handshakes (AXI4-Lite): every ready and valid is a register. A write is taken when AW
// and W are both valid (awready and wready rise together for one cycle); BVALID follows
// the handshake by a cycle. A read: arready for one cycle, RVALID the cycle after the
// handshake with the data. Responses are always OKAY.
// The kernel side: start_o is a one-cycle pulse when ap_start is set while idle; done_i
// (one-cycle pulse) ends the call: ap_done, ap_ready and ap_idle are set, ISR bits per IER.
// A call whose data, model, stats or cfg pointer is not 64-byte aligned (the masters move
// whole beats) is refused here: no start_o, status bit 3, and it ends at once as if done_i
// had come (the host reads the status after ap_done).
// The argument outputs are the registers themselves (the controller latches them at
// start_o).
// Reset: synchronous, active high; clears every register (arguments included).
`default_nettype none

module lp_axil_ctrl #(
  parameter int AddrWidth = 12  // s_axi_control address bits (the 4 KiB range of kernel.xml)
) (
  input  wire logic                 clk_i,          // clock, rising edge
  input  wire logic                 rst_i,          // synchronous reset, active high
  // AXI4-Lite slave
  input  wire logic                 s_awvalid_i,    // write address valid
  output logic                      s_awready_o,    // write address ready
  input  wire logic [AddrWidth-1:0] s_awaddr_i,     // write address (bytes)
  input  wire logic                 s_wvalid_i,     // write data valid
  output logic                      s_wready_o,     // write data ready
  input  wire logic [31:0]          s_wdata_i,      // write data
  input  wire logic [3:0]           s_wstrb_i,      // byte enables
  output logic                      s_bvalid_o,     // write response valid
  input  wire logic                 s_bready_i,     // write response ready
  output logic      [1:0]           s_bresp_o,      // write response (OKAY)
  input  wire logic                 s_arvalid_i,    // read address valid
  output logic                      s_arready_o,    // read address ready
  input  wire logic [AddrWidth-1:0] s_araddr_i,     // read address (bytes)
  output logic                      s_rvalid_o,     // read data valid
  input  wire logic                 s_rready_i,     // read data ready
  output logic      [31:0]          s_rdata_o,      // read data
  output logic      [1:0]           s_rresp_o,      // read response (OKAY)
  // the kernel
  output logic                      start_o,        // one-cycle pulse: start a call
  input  wire logic                 done_i,         // one-cycle pulse: the call finished
  input  wire logic [2:0]           axi_err_i,      // a non-OKAY response now: gmem0 R, gmem1 R, gmem1 B
  input  wire logic [5:0]           axi_resp_i,     // the responses: {BRESP, gmem1 RRESP, gmem0 RRESP}
  output logic      [63:0]          data_o,         // argument data (gmem0 address)
  output logic      [63:0]          model_o,        // argument model (gmem1 address)
  output logic      [63:0]          stats_o,        // argument stats (gmem1 address)
  output logic      [63:0]          cfg_o,          // argument cfg (gmem1 address)
  output logic      [31:0]          nsteps_o,       // argument nsteps
  output logic      [31:0]          step0_o,        // argument step0
  output logic      [31:0]          flags_o,        // argument flags
  output logic                      interrupt_o     // GIE & (ISR != 0)
);

  // register offsets (hls/sgd/lp_sgd_regmap.h)
  localparam logic [AddrWidth-1:0] RegCtrl   = AddrWidth'('h00);
  localparam logic [AddrWidth-1:0] RegGie    = AddrWidth'('h04);
  localparam logic [AddrWidth-1:0] RegIer    = AddrWidth'('h08);
  localparam logic [AddrWidth-1:0] RegIsr    = AddrWidth'('h0C);
  localparam logic [AddrWidth-1:0] RegData   = AddrWidth'('h10);
  localparam logic [AddrWidth-1:0] RegModel  = AddrWidth'('h1C);
  localparam logic [AddrWidth-1:0] RegStats  = AddrWidth'('h28);
  localparam logic [AddrWidth-1:0] RegCfg    = AddrWidth'('h34);
  localparam logic [AddrWidth-1:0] RegNsteps = AddrWidth'('h40);
  localparam logic [AddrWidth-1:0] RegStep0  = AddrWidth'('h48);
  localparam logic [AddrWidth-1:0] RegFlags  = AddrWidth'('h50);
  localparam logic [AddrWidth-1:0] RegStatus = AddrWidth'('h58);
  localparam int StAlign = 3;     // LP_SGD_ST_ALIGN
  localparam int AlignBits = 6;   // LP_SGD_ADDR_ALIGN = 64 bytes

  logic        ap_start_q, ap_done_q, ap_ready_q, auto_restart_q, running_q;
  logic        gie_q;
  logic [1:0]  ier_q, isr_q;
  logic [63:0] data_q, model_q, stats_q, cfg_q;
  logic [31:0] nsteps_q, step0_q, flags_q;
  logic [9:0]  status_q;

  // ------------------------------------------------------------------ write channel
  logic awready_q, wready_q, bvalid_q, wr_fire;
  assign wr_fire = s_awvalid_i & awready_q & s_wvalid_i & wready_q;

  // a 32-bit register word with byte enables
  function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] wd, input logic [3:0] st);
    for (int b = 0; b < 4; b++) begin
      if (st[b]) old[8*b +: 8] = wd[8*b +: 8];
    end
    merge = old;  // not `return`: Yosys 0.23 (make resources) cannot parse it
  endfunction

  // ------------------------------------------------------------------ read channel
  logic        arready_q, rvalid_q, rd_fire;
  logic [31:0] rdata_q, rd_word;
  assign rd_fire = s_arvalid_i & arready_q;

  always_comb begin
    unique case (s_araddr_i & ~AddrWidth'(3))
      RegCtrl:        rd_word = {24'd0, auto_restart_q, 3'd0, ap_ready_q, ~running_q, ap_done_q, ap_start_q};
      RegGie:         rd_word = {31'd0, gie_q};
      RegIer:         rd_word = {30'd0, ier_q};
      RegIsr:         rd_word = {30'd0, isr_q};
      RegData:        rd_word = data_q[31:0];
      RegData + 4:    rd_word = data_q[63:32];
      RegModel:       rd_word = model_q[31:0];
      RegModel + 4:   rd_word = model_q[63:32];
      RegStats:       rd_word = stats_q[31:0];
      RegStats + 4:   rd_word = stats_q[63:32];
      RegCfg:         rd_word = cfg_q[31:0];
      RegCfg + 4:     rd_word = cfg_q[63:32];
      RegNsteps:      rd_word = nsteps_q;
      RegStep0:       rd_word = step0_q;
      RegFlags:       rd_word = flags_q;
      RegStatus:      rd_word = {22'd0, status_q};
      default:        rd_word = '0;
    endcase
  end

  // ------------------------------------------------------------------ registers
  logic start, misaligned, fin;
  assign start      = ap_start_q & ~running_q;
  assign misaligned = |{data_q[AlignBits-1:0], model_q[AlignBits-1:0], stats_q[AlignBits-1:0], cfg_q[AlignBits-1:0]};
  assign fin        = done_i | (start & misaligned);  // the call ends (a refused one at once)

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      awready_q      <= 1'b0;
      wready_q       <= 1'b0;
      bvalid_q       <= 1'b0;
      arready_q      <= 1'b0;
      rvalid_q       <= 1'b0;
      rdata_q        <= '0;
      ap_start_q     <= 1'b0;
      ap_done_q      <= 1'b0;
      ap_ready_q     <= 1'b0;
      auto_restart_q <= 1'b0;
      running_q      <= 1'b0;
      gie_q          <= 1'b0;
      ier_q          <= '0;
      isr_q          <= '0;
      data_q         <= '0;
      model_q        <= '0;
      stats_q        <= '0;
      cfg_q          <= '0;
      nsteps_q       <= '0;
      step0_q        <= '0;
      flags_q        <= '0;
      status_q       <= '0;
    end else begin
      // write: both channels valid, no response pending, not already accepting
      awready_q <= s_awvalid_i & s_wvalid_i & ~bvalid_q & ~awready_q & ~wr_fire;
      wready_q  <= s_awvalid_i & s_wvalid_i & ~bvalid_q & ~awready_q & ~wr_fire;
      if (wr_fire) bvalid_q <= 1'b1;
      else if (s_bready_i) bvalid_q <= 1'b0;
      // read
      arready_q <= s_arvalid_i & ~rvalid_q & ~arready_q;
      if (rd_fire) begin
        rvalid_q <= 1'b1;
        rdata_q  <= rd_word;
      end else if (s_rready_i) begin
        rvalid_q <= 1'b0;
      end

      // the kernel
      if (start_o) running_q <= 1'b1;
      if (start) begin
        status_q          <= '0;
        status_q[StAlign] <= misaligned;
      end
      for (int c = 0; c < 3; c++) begin
        if (axi_err_i[c] && !status_q[c]) begin  // the first error response of channel c
          status_q[c]           <= 1'b1;
          status_q[4 + 2*c +: 2] <= axi_resp_i[2*c +: 2];
        end
      end
      if (fin) begin
        running_q  <= 1'b0;
        ap_done_q  <= 1'b1;
        ap_ready_q <= 1'b1;
        ap_start_q <= auto_restart_q;
        isr_q      <= isr_q | ({2{1'b1}} & ier_q);
      end
      // clear on read (a read in the cycle done_i sets them returns the old value; the set wins)
      if (rd_fire && (s_araddr_i & ~AddrWidth'(3)) == RegCtrl && !fin) begin
        ap_done_q  <= 1'b0;
        ap_ready_q <= 1'b0;
      end

      if (wr_fire) begin
        unique case (s_awaddr_i & ~AddrWidth'(3))
          RegCtrl: begin
            if (s_wstrb_i[0]) begin
              if (s_wdata_i[0]) ap_start_q <= 1'b1;
              auto_restart_q <= s_wdata_i[7];
            end
          end
          RegGie:       if (s_wstrb_i[0]) gie_q <= s_wdata_i[0];
          RegIer:       if (s_wstrb_i[0]) ier_q <= s_wdata_i[1:0];
          // toggle on write; a bit the kernel sets in this cycle stays set (the done event is kept)
          RegIsr:       if (s_wstrb_i[0]) isr_q <= (isr_q ^ s_wdata_i[1:0]) | ({2{fin}} & ier_q);
          RegData:      data_q[31:0]   <= merge(data_q[31:0], s_wdata_i, s_wstrb_i);
          RegData + 4:  data_q[63:32]  <= merge(data_q[63:32], s_wdata_i, s_wstrb_i);
          RegModel:     model_q[31:0]  <= merge(model_q[31:0], s_wdata_i, s_wstrb_i);
          RegModel + 4: model_q[63:32] <= merge(model_q[63:32], s_wdata_i, s_wstrb_i);
          RegStats:     stats_q[31:0]  <= merge(stats_q[31:0], s_wdata_i, s_wstrb_i);
          RegStats + 4: stats_q[63:32] <= merge(stats_q[63:32], s_wdata_i, s_wstrb_i);
          RegCfg:       cfg_q[31:0]    <= merge(cfg_q[31:0], s_wdata_i, s_wstrb_i);
          RegCfg + 4:   cfg_q[63:32]   <= merge(cfg_q[63:32], s_wdata_i, s_wstrb_i);
          RegNsteps:    nsteps_q       <= merge(nsteps_q, s_wdata_i, s_wstrb_i);
          RegStep0:     step0_q        <= merge(step0_q, s_wdata_i, s_wstrb_i);
          RegFlags:     flags_q        <= merge(flags_q, s_wdata_i, s_wstrb_i);
          default: ;
        endcase
      end
    end
  end

  assign s_awready_o = awready_q;
  assign s_wready_o  = wready_q;
  assign s_bvalid_o  = bvalid_q;
  assign s_bresp_o   = 2'b00;
  assign s_arready_o = arready_q;
  assign s_rvalid_o  = rvalid_q;
  assign s_rdata_o   = rdata_q;
  assign s_rresp_o   = 2'b00;

  assign start_o     = start & ~misaligned;
  assign data_o      = data_q;
  assign model_o     = model_q;
  assign stats_o     = stats_q;
  assign cfg_o       = cfg_q;
  assign nsteps_o    = nsteps_q;
  assign step0_o     = step0_q;
  assign flags_o     = flags_q;
  assign interrupt_o = gie_q & (isr_q != '0);

endmodule

`default_nettype wire
