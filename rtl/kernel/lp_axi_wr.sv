// lp_axi_wr - AXI4 burst write master: a command (byte address, beats) and a stream of
// beats (data and byte strobes) become INCR bursts of at most MaxBurst beats that never
// cross a 4 KiB boundary (lp_axi_burst plans them). A burst's address is issued only when all of its beats are in
// the data FIFO, so WVALID never drops inside a burst; its W beats are offered from the
// next cycle on, whether AWREADY has come or not (AXI4 A3.3.1: a master must not wait for
// AWREADY before asserting WVALID; a slave may wait for WVALID before AWREADY). Commands
// queue back to back (the next is taken in the cycle after the current one's last
// burst address is issued); the beats of consecutive commands simply follow each other
// in the stream.
//
// in_ready_o is a register: it promises room for Slack more beats after the cycle it is
// seen high, so a producer with a one-cycle read latency (the model RAM) may issue a read
// while ready and push the word a cycle later. AWVALID and WVALID depend on registers only
// and hold their payload until the handshake (checked by assertions in simulation); BREADY
// is a constant 1. idle_o: no command, no beat held, every burst's response received
// (BRESP is checked by the kernel top: lp_sgd's status register). Addresses are beat
// aligned (lp_axil_ctrl refuses a call with a pointer that is not; the low bits are
// dropped here). The count of beats not yet given to a burst (avail_q) is kept from
// registered events: a burst's beats are taken off it the cycle after its issue (no
// burst can issue in that cycle: AWVALID is high), so no path runs from the issue
// decision through an adder (issue 13's depth budget).
// Reset: synchronous, active high; clears the control state (not the FIFO storage).
`default_nettype none

module lp_axi_wr #(
  parameter int AddrWidth = 64,   // AXI address bits
  parameter int DataWidth = 512,  // AXI data bits (one beat)
  parameter int MaxBurst  = 16,   // beats per burst, a power of two, 1..64 (<= 4 KiB)
  parameter int FifoDepth = 32,   // data FIFO entries, a power of two, >= MaxBurst + Slack
  parameter int Slack     = 2     // beats a producer may push after seeing in_ready_o high
) (
  input  wire logic                   clk_i,        // clock, rising edge
  input  wire logic                   rst_i,        // synchronous reset, active high
  // command
  input  wire logic                   cmd_valid_i,  // a write command
  output logic                        cmd_ready_o,  // taken when valid & ready (a register)
  input  wire logic [AddrWidth-1:0]   cmd_addr_i,   // first byte address (beat aligned)
  input  wire logic [31:0]            cmd_beats_i,  // beats to write (0: nothing)
  // write data stream
  input  wire logic                   in_valid_i,   // push a beat
  output logic                        in_ready_o,   // room (registered, see above)
  input  wire logic [DataWidth-1:0]   in_data_i,    // the beat
  input  wire logic [DataWidth/8-1:0] in_strb_i,    // its byte strobes
  output logic                        idle_o,       // nothing held or outstanding
  // AXI4 write address, data and response channels
  output logic                        aw_valid_o,   // AWVALID
  input  wire logic                   aw_ready_i,   // AWREADY
  output logic      [AddrWidth-1:0]   aw_addr_o,    // AWADDR
  output logic      [7:0]             aw_len_o,     // AWLEN (beats - 1)
  output logic                        w_valid_o,    // WVALID
  input  wire logic                   w_ready_i,    // WREADY
  output logic      [DataWidth-1:0]   w_data_o,     // WDATA
  output logic      [DataWidth/8-1:0] w_strb_o,     // WSTRB
  output logic                        w_last_o,     // WLAST
  input  wire logic                   b_valid_i,    // BVALID
  output logic                        b_ready_o     // BREADY
);

  localparam int BeatBytes = DataWidth / 8;
  localparam int CntWidth  = $clog2(FifoDepth) + 1;
  localparam int CmpWidth  = CntWidth > 8 ? CntWidth : 8;

  if (FifoDepth < MaxBurst + Slack || (FifoDepth & (FifoDepth - 1)) != 0) begin : g_check
    $error("lp_axi_wr: FifoDepth must be a power of two >= MaxBurst + Slack");
  end

  logic                 awvalid_q, in_ready_q, iss_q, cmd_ready, next_valid;
  logic [AddrWidth-1:0] awaddr_q, next_addr;
  logic [7:0]           awlen_q, wbeat_q, len_head, next_len;
  logic [CntWidth-1:0]  len_cnt, avail_q, count, lcount;
  logic [15:0]          outst_q;
  logic                 push, w_fire, aw_fire, issue, b_fire;

  lp_axi_burst #(.AddrWidth(AddrWidth), .DataWidth(DataWidth), .MaxBurst(MaxBurst)) u_plan (
    .clk_i(clk_i), .rst_i(rst_i), .cmd_valid_i(cmd_valid_i), .cmd_ready_o(cmd_ready),
    .cmd_addr_i(cmd_addr_i), .cmd_beats_i(cmd_beats_i), .next_valid_o(next_valid),
    .next_addr_o(next_addr), .next_len_o(next_len), .take_i(issue)
  );

  assign push    = in_valid_i;
  // all of its beats are in the FIFO
  assign issue   = next_valid && !awvalid_q && CmpWidth'(avail_q) > CmpWidth'(next_len);
  assign aw_fire = awvalid_q & aw_ready_i;
  assign w_fire  = w_valid_o & w_ready_i;
  assign b_fire  = b_valid_i;

  assign len_cnt = CntWidth'(awlen_q);  // the issued burst's beats - 1

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      awvalid_q  <= 1'b0;
      in_ready_q <= 1'b0;
      iss_q      <= 1'b0;
      avail_q    <= '0;
      wbeat_q    <= '0;
      outst_q    <= '0;
    end else begin
      if (aw_fire) awvalid_q <= 1'b0;
      if (issue) awvalid_q <= 1'b1;
      iss_q <= issue;
      // - (len + 1) is + ~len
      avail_q <= avail_q + (iss_q ? ~len_cnt : '0) + CntWidth'(push);
      if (w_fire) wbeat_q <= w_last_o ? '0 : wbeat_q + 1'b1;
      outst_q <= outst_q + 16'(aw_fire) - 16'(b_fire);
      // room for Slack more beats after this cycle's push and pop: count + push - w_fire
      // < FifoDepth - Slack, as three compares of the registered count with constants
      case ({push, w_fire})
        2'b10:   in_ready_q <= count < CntWidth'(FifoDepth - Slack - 1);
        2'b01:   in_ready_q <= count < CntWidth'(FifoDepth - Slack + 1);
        default: in_ready_q <= count < CntWidth'(FifoDepth - Slack);
      endcase
    end
    if (issue) begin
      awaddr_q <= next_addr;
      awlen_q  <= next_len;
    end
  end

  lp_fifo #(.Width(DataWidth + BeatBytes), .Depth(FifoDepth)) u_data (
    .clk_i(clk_i), .rst_i(rst_i), .wr_i(push), .d_i({in_strb_i, in_data_i}), .rd_i(w_fire),
    .q_o({w_strb_o, w_data_o}), .count_o(count)
  );
  // the lengths of the bursts issued, in order, for WLAST: W runs ahead of the AW handshake
  lp_fifo #(.Width(8), .Depth(FifoDepth)) u_len (
    .clk_i(clk_i), .rst_i(rst_i), .wr_i(issue), .d_i(next_len), .rd_i(w_fire && w_last_o), .q_o(len_head),
    .count_o(lcount)
  );

  assign cmd_ready_o = cmd_ready;
  assign in_ready_o  = in_ready_q;
  assign idle_o      = cmd_ready && !awvalid_q && count == '0 && outst_q == '0;
  assign aw_valid_o  = awvalid_q;
  assign aw_addr_o   = awaddr_q;
  assign aw_len_o    = awlen_q;
  assign w_valid_o   = count != '0 && lcount != '0;
  assign w_last_o    = wbeat_q == len_head;
  assign b_ready_o   = 1'b1;

`ifndef SYNTHESIS
  // AXI4 A3.2.1: a VALID, once high, stays high with an unchanged payload until READY;
  // A3.3.1: the W beats of an issued burst are offered the next cycle, AWREADY or not
  // (Verilator --assert: sim/kernel/kernel.mk)
  logic                         aw_wait_q, w_wait_q, issued_q;
  logic [AddrWidth+7:0]         aw_pay_q;
  logic [DataWidth+BeatBytes:0] w_pay_q;
  always_ff @(posedge clk_i) begin
    aw_wait_q <= !rst_i && aw_valid_o && !aw_ready_i;
    w_wait_q  <= !rst_i && w_valid_o && !w_ready_i;
    issued_q  <= !rst_i && issue;
    aw_pay_q  <= {aw_addr_o, aw_len_o};
    w_pay_q   <= {w_last_o, w_strb_o, w_data_o};
    if (!rst_i && aw_wait_q)
      assert (aw_valid_o && {aw_addr_o, aw_len_o} == aw_pay_q) else $error("AWVALID or AW payload changed before AWREADY");
    if (!rst_i && w_wait_q)
      assert (w_valid_o && {w_last_o, w_strb_o, w_data_o} == w_pay_q) else $error("WVALID or W payload changed before WREADY");
    if (!rst_i && issued_q)
      assert (w_valid_o) else $error("WVALID waits after a burst was issued");
  end
`endif

endmodule

`default_nettype wire
