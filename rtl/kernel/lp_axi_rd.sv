// lp_axi_rd - AXI4 burst read master: a command (byte address, beats) becomes INCR bursts
// of at most MaxBurst beats that never cross a 4 KiB boundary; the read data leaves as a
// valid/ready beat stream in address order. Commands queue back to back: the next
// command is taken as soon as the last burst of the current one has been issued, so a
// second command's bursts follow the first's without a gap (prefetch).
//
// Flow control is by credits: a burst is requested only when the data FIFO has room for
// all of its beats besides the beats already requested, so RREADY is a constant 1 (no
// beat ever waits) and ARVALID depends on registers only. One AR is outstanding on the
// channel at a time (ARVALID is held, with its address and length, until ARREADY); the
// number of bursts in flight is bounded only by the credits.
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

  localparam int BeatBytes = DataWidth / 8;
  localparam int OffBits   = $clog2(BeatBytes);
  localparam int PageBeats = 4096 / BeatBytes;
  localparam int CntWidth  = $clog2(FifoDepth) + 1;

  logic                 active_q, arvalid_q;
  logic [AddrWidth-1:0] addr_q, araddr_q;
  logic [31:0]          rem_q;
  logic [7:0]           arlen_q;
  logic [CntWidth-1:0]  inflight_q, count;
  logic                 r_fire, push, pop, issue;
  logic [31:0]          to_page, blen, free;

  // the next burst: min(MaxBurst, remaining, beats to the 4 KiB boundary)
  always_comb begin
    to_page = 32'(PageBeats) - 32'(addr_q[11:OffBits]);
    blen    = 32'(MaxBurst);
    if (rem_q < blen) blen = rem_q;
    if (to_page < blen) blen = to_page;
    free    = 32'(FifoDepth) - 32'(count) - 32'(inflight_q);
  end
  assign issue  = active_q && !arvalid_q && free >= blen;
  assign r_fire = r_valid_i;  // RREADY is always 1: every beat has its FIFO entry reserved
  assign push   = r_fire & r_keep_i;
  assign pop    = out_valid_o & out_ready_i;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      active_q   <= 1'b0;
      arvalid_q  <= 1'b0;
      inflight_q <= '0;
      rem_q      <= '0;
    end else begin
      if (cmd_valid_i && !active_q && cmd_beats_i != 0) begin
        active_q <= 1'b1;
        addr_q   <= cmd_addr_i;
        rem_q    <= cmd_beats_i;
      end
      if (arvalid_q && ar_ready_i) arvalid_q <= 1'b0;
      if (issue) begin
        arvalid_q <= 1'b1;
        araddr_q  <= {addr_q[AddrWidth-1:OffBits], OffBits'(0)};
        arlen_q   <= 8'(blen - 1);
        addr_q    <= addr_q + (AddrWidth'(blen) << OffBits);
        rem_q     <= rem_q - blen;
        if (rem_q == blen) active_q <= 1'b0;
      end
      inflight_q <= inflight_q + (issue ? CntWidth'(blen) : '0) - CntWidth'(r_fire);
    end
  end

  if (FifoBram != 0) begin : g_bram
    lp_fifo_bram #(.Width(UserWidth + DataWidth), .Depth(FifoDepth)) u_fifo (
      .clk_i(clk_i), .rst_i(rst_i), .wr_i(push), .d_i({r_user_i, r_data_i}), .rd_i(pop), .valid_o(out_valid_o),
      .q_o({out_user_o, out_data_o}), .count_o(count)
    );
  end else begin : g_lutram
    lp_fifo #(.Width(UserWidth + DataWidth), .Depth(FifoDepth)) u_fifo (
      .clk_i(clk_i), .rst_i(rst_i), .wr_i(push), .d_i({r_user_i, r_data_i}), .rd_i(pop),
      .q_o({out_user_o, out_data_o}), .count_o(count)
    );
    assign out_valid_o = count != '0;
  end

  assign cmd_ready_o = !active_q;
  assign idle_o      = !active_q && !arvalid_q && inflight_q == '0 && count == '0;
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
