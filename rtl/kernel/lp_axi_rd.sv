// lp_axi_rd - AXI4 burst read master: a command (byte address, beats) becomes INCR bursts
// of at most MaxBurst beats that never cross a 4 KiB boundary (lp_axi_burst plans them);
// the read data leaves as a valid/ready beat stream in address order. Commands queue back
// to back: the next command is taken in the cycle after the last burst of the current
// one has been issued, so a second command's bursts follow the first's (prefetch).
//
// Flow control is by credits: a burst is requested only when the data FIFO has room for
// all of its beats besides the beats already requested, so RREADY is a constant 1 (no
// beat ever waits) and ARVALID depends on registers only. One AR is outstanding on the
// channel at a time (ARVALID is held, with its address and length, until ARREADY); the
// number of bursts in flight is bounded only by the credits. The credit count (free_q)
// is kept a cycle late, from registered events, so no path runs from the handshakes
// through an adder (issue 13's depth budget): a burst's credits are taken the cycle after
// its issue (no burst can issue in that cycle: ARVALID is high) and a popped or dropped
// beat's credit returns a cycle later than it could.
//
// Beside the AXI channels each beat may be dropped (r_keep_i = 0: its credit comes back,
// nothing is written) or carry UserWidth bits of its own into the FIFO (r_user_i, out
// with the beat on out_user_o): how the kernel strips each row's header beat and hands
// its label over with the row's first feature beat (lp_row_split). Tie r_keep_i to 1 and
// r_user_i to 0 for a plain master.
//
// Addresses are byte addresses of DataWidth/8-byte aligned beats (lp_axil_ctrl refuses a
// call with a pointer that is not; the low bits are dropped here). RLAST is not checked
// (the slave returns the bursts in order: no IDs); RRESP is checked by the kernel top
// (lp_sgd's status register).
// Reset: synchronous, active high; clears the control state (not the FIFO storage).
`default_nettype none

module lp_axi_rd #(
  parameter int AddrWidth = 64,   // AXI address bits
  parameter int DataWidth = 512,  // AXI data bits (one beat)
  parameter int MaxBurst  = 16,   // beats per burst, a power of two, 1..64 (<= 4 KiB)
  parameter int FifoDepth = 64,   // data FIFO entries, a power of two, >= MaxBurst
  parameter int FifoBram  = 0,    // 1: the data FIFO in block RAM (lp_fifo_bram: deep
                                  // prefetch FIFOs), 0: lp_fifo (shallow ones)
  parameter int UserWidth = 1     // bits stored beside each beat (r_user_i -> out_user_o), >= 1
) (
  input  wire logic                 clk_i,        // clock, rising edge
  input  wire logic                 rst_i,        // synchronous reset, active high
  // command
  input  wire logic                 cmd_valid_i,  // a read command
  output logic                      cmd_ready_o,  // taken when valid & ready (a register)
  input  wire logic [AddrWidth-1:0] cmd_addr_i,   // first byte address (beat aligned)
  input  wire logic [31:0]          cmd_beats_i,  // beats to read (0: nothing)
  // read data stream
  output logic                      out_valid_o,  // a beat (from a register)
  input  wire logic                 out_ready_i,  // taken when valid & ready
  output logic      [DataWidth-1:0] out_data_o,   // the beat
  output logic      [UserWidth-1:0] out_user_o,   // its r_user_i
  output logic                      idle_o,       // no command, burst or data held
  // AXI4 read address and data channels
  output logic                      ar_valid_o,   // ARVALID
  input  wire logic                 ar_ready_i,   // ARREADY
  output logic      [AddrWidth-1:0] ar_addr_o,    // ARADDR
  output logic      [7:0]           ar_len_o,     // ARLEN (beats - 1)
  input  wire logic                 r_valid_i,    // RVALID
  output logic                      r_ready_o,    // RREADY
  input  wire logic [DataWidth-1:0] r_data_i,     // RDATA
  input  wire logic                 r_keep_i,     // 0: drop this beat (its credit returns)
  input  wire logic [UserWidth-1:0] r_user_i      // stored beside the beat
);

  localparam int CntWidth = $clog2(FifoDepth) + 1;
  localparam int CmpWidth = CntWidth > 8 ? CntWidth : 8;

  if (FifoDepth < 2 || FifoDepth < MaxBurst || (FifoDepth & (FifoDepth - 1)) != 0 || UserWidth < 1) begin : g_check
    $error("lp_axi_rd: FifoDepth must be a power of two >= MaxBurst and 2, UserWidth >= 1");
  end

  logic                 arvalid_q, iss_q, pop_q, drop_q;
  logic [AddrWidth-1:0] araddr_q, next_addr;
  logic [7:0]           arlen_q, next_len;
  logic [CntWidth-1:0]  len_cnt, free_q;
  logic                 next_valid, r_fire, push, pop, issue, cmd_ready;

  lp_axi_burst #(.AddrWidth(AddrWidth), .DataWidth(DataWidth), .MaxBurst(MaxBurst)) u_plan (
    .clk_i(clk_i), .rst_i(rst_i), .cmd_valid_i(cmd_valid_i), .cmd_ready_o(cmd_ready),
    .cmd_addr_i(cmd_addr_i), .cmd_beats_i(cmd_beats_i), .next_valid_o(next_valid),
    .next_addr_o(next_addr), .next_len_o(next_len), .take_i(issue)
  );

  // a burst when its beats fit in the FIFO besides those held and those requested
  assign issue  = next_valid && !arvalid_q && CmpWidth'(free_q) > CmpWidth'(next_len);
  assign r_fire = r_valid_i;  // RREADY is always 1: every beat has its FIFO entry reserved
  assign push   = r_fire & r_keep_i;
  assign pop    = out_valid_o & out_ready_i;

  assign len_cnt = CntWidth'(arlen_q);  // the issued burst's beats - 1

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      arvalid_q <= 1'b0;
      iss_q     <= 1'b0;
      pop_q     <= 1'b0;
      drop_q    <= 1'b0;
      free_q    <= CntWidth'(FifoDepth);
    end else begin
      if (arvalid_q && ar_ready_i) arvalid_q <= 1'b0;
      if (issue) arvalid_q <= 1'b1;
      iss_q  <= issue;
      pop_q  <= pop;
      drop_q <= r_fire & !r_keep_i;
      // free = FifoDepth - beats held - beats requested: - (len + 1) is + ~len
      free_q <= free_q + (iss_q ? ~len_cnt : '0) + CntWidth'(pop_q) + CntWidth'(drop_q);
    end
    if (issue) begin
      araddr_q <= next_addr;
      arlen_q  <= next_len;
    end
  end

  if (FifoBram != 0) begin : g_bram
    /* verilator lint_off UNUSEDSIGNAL */
    logic [CntWidth-1:0] count;  // the credits above track the occupancy
    /* verilator lint_on UNUSEDSIGNAL */
    lp_fifo_bram #(.Width(UserWidth + DataWidth), .Depth(FifoDepth)) u_fifo (
      .clk_i(clk_i), .rst_i(rst_i), .wr_i(push), .d_i({r_user_i, r_data_i}), .rd_i(pop), .valid_o(out_valid_o),
      .q_o({out_user_o, out_data_o}), .count_o(count)
    );
  end else begin : g_lutram
    logic [CntWidth-1:0] count;
    lp_fifo #(.Width(UserWidth + DataWidth), .Depth(FifoDepth)) u_fifo (
      .clk_i(clk_i), .rst_i(rst_i), .wr_i(push), .d_i({r_user_i, r_data_i}), .rd_i(pop),
      .q_o({out_user_o, out_data_o}), .count_o(count)
    );
    assign out_valid_o = count != '0;
  end

  // idle once every credit is back, counting the ones returning this cycle
  always_comb begin
    case ({pop_q, drop_q})
      2'b00:   idle_o = free_q == CntWidth'(FifoDepth);
      2'b11:   idle_o = free_q == CntWidth'(FifoDepth - 2);
      default: idle_o = free_q == CntWidth'(FifoDepth - 1);
    endcase
    idle_o = idle_o && cmd_ready && !arvalid_q;
  end
  assign cmd_ready_o = cmd_ready;
  assign ar_valid_o  = arvalid_q;
  assign ar_addr_o   = araddr_q;
  assign ar_len_o    = arlen_q;
  assign r_ready_o   = 1'b1;

`ifndef SYNTHESIS
  // AXI4 A3.2.1: ARVALID, once high, stays high with an unchanged payload until ARREADY
  // (Verilator --assert: sim/kernel/kernel.mk)
  logic                 ar_wait_q;
  logic [AddrWidth+7:0] ar_pay_q;
  always_ff @(posedge clk_i) begin
    ar_wait_q <= !rst_i && ar_valid_o && !ar_ready_i;
    ar_pay_q  <= {ar_addr_o, ar_len_o};
    if (!rst_i && ar_wait_q)
      assert (ar_valid_o && {ar_addr_o, ar_len_o} == ar_pay_q) else $error("ARVALID or AR payload changed before ARREADY");
  end
`endif

endmodule

`default_nettype wire
