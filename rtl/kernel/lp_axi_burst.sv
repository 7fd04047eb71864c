// lp_axi_burst - the burst planner the AXI4 masters share (lp_axi_rd, lp_axi_wr): a
// command (byte address, beats) becomes INCR bursts of at most MaxBurst beats that never
// cross a 4 KiB boundary, offered one at a time as (next_addr_o, next_len_o) for the
// master to issue (take_i) when its own credits allow. Commands queue back to back: the
// next command is taken in the cycle after the current one's last burst was taken.
//
// Timing (issue 13: <= 8 LUT/CARRY levels between registers): the next burst's length is
// planned a cycle ahead from registers only, and a take moves registers by registered
// amounts only. The address is a page number and a beat within the page (a burst ends at
// the page end or before it, so the beat index wraps to 0 exactly when the page steps);
// the remaining count is an 8-bit low part and an upper part that steps on its borrow.
// page + 1 and upper - 1 are computed in the background (lp_inc_ahead, two cycles), so
// next_valid_o waits two cycles after a command or a page step or borrow, and one cycle
// after any other take while the plan is redone. A master takes at most every other cycle
// anyway (one AR/AW outstanding at a time), and a step of the page or the upper part
// comes at most once in four bursts of 16 beats (once a burst at 64 beats of 64 bytes).
//   take_i only when next_valid_o. cmd_ready_o is a register; a command with 0 beats is
//   taken and dropped.
// Reset: synchronous, active high; clears the control state (the address and count are
// datapath: no reset).
`default_nettype none

module lp_axi_burst #(
  parameter int AddrWidth = 64,   // AXI address bits, > 12
  parameter int DataWidth = 512,  // AXI data bits (one beat), a power of two, 16..4096
  parameter int MaxBurst  = 16    // beats per burst, a power of two, 1..64 (<= 4 KiB)
) (
  input  wire logic                 clk_i,         // clock, rising edge
  input  wire logic                 rst_i,         // synchronous reset, active high
  // command
  input  wire logic                 cmd_valid_i,   // a command
  output logic                      cmd_ready_o,   // taken when valid & ready (a register)
  input  wire logic [AddrWidth-1:0] cmd_addr_i,    // first byte address (beat aligned)
  input  wire logic [31:0]          cmd_beats_i,   // beats (0: nothing)
  // the next burst
  output logic                      next_valid_o,  // planned (from registers)
  output logic      [AddrWidth-1:0] next_addr_o,   // its byte address (a register)
  output logic      [7:0]           next_len_o,    // its beats - 1, AxLEN (a register)
  input  wire logic                 take_i         // issued: plan the one after it
);

  localparam int BeatBytes = DataWidth / 8;
  localparam int OffBits   = $clog2(BeatBytes);
  localparam int PageBits  = 12 - OffBits;             // beat index within a 4 KiB page
  localparam int PageW     = AddrWidth - 12;           // page number
  localparam int LenW      = (PageBits > 7 ? PageBits : 7) + 1;  // holds every beats - 1
  localparam int RemLo     = 8;                        // rem_q's low part, > MaxBurst
  localparam int RemHiW    = 32 - RemLo;

  if (AddrWidth <= 12 || DataWidth < 16 || DataWidth > 4096 || (DataWidth & (DataWidth - 1)) != 0)
    begin : g_check_bus
    $error("lp_axi_burst: AddrWidth must be > 12, DataWidth a power of two in 16..4096");
  end
  if (MaxBurst < 1 || MaxBurst > 64 || (MaxBurst & (MaxBurst - 1)) != 0 || MaxBurst * BeatBytes > 4096)
    begin : g_check_burst
    $error("lp_axi_burst: MaxBurst must be a power of two in 1..64, at most 4 KiB of beats");
  end

  logic                 active_q, plan_q, last_q, endp_q;
  logic [PageW-1:0]     page_q, page_inc;
  logic [PageBits-1:0]  bip_q;
  logic [31:0]          rem_q;
  logic [RemHiW-1:0]    rem_hi_dec, rem_hi_inc;
  logic [1:0]           settle_q;
  logic                 hi_chg;
  logic [LenW-1:0]      len_q, len_d, to_end, rem_m1;
  logic                 rem_le_mb, rem_fits, burst_at_mb, take_cmd;
  logic [8:0]           rem_lo;
  logic [PageBits-1:0]  bip_end;
  // the byte offset within a beat: dropped (beat aligned; lp_axil_ctrl refuses others)
  /* verilator lint_off UNUSEDSIGNAL */
  logic [OffBits-1:0]   unused_off;
  /* verilator lint_on UNUSEDSIGNAL */

  assign bip_end    = ~bip_q;
  assign unused_off = cmd_addr_i[OffBits-1:0];

  // the plan: len = min(MaxBurst, rem, beats to the page end) - 1, whether that is the
  // command's last burst (rem fits) and whether it ends the page (the page end comes first)
  assign to_end    = LenW'(bip_end);                       // beats to the page end - 1
  assign rem_le_mb = (rem_q & ~32'(2 * MaxBurst - 1)) == 0
                     && !(rem_q[$clog2(MaxBurst)] && (rem_q & 32'(MaxBurst - 1)) != 0);
  assign rem_m1    = LenW'(rem_q[6:0]) - 1'b1;             // rem - 1, where rem <= MaxBurst
  assign rem_fits  = rem_le_mb && rem_m1 <= to_end;
  always_comb begin
    if (rem_le_mb) len_d = rem_fits ? rem_m1 : to_end;
    else           len_d = burst_at_mb ? LenW'(MaxBurst - 1) : to_end;
  end

  // a whole MaxBurst fits before the page end (always for single beats)
  if (MaxBurst > 1) begin : g_at_mb
    assign burst_at_mb = LenW'(MaxBurst - 1) <= to_end;
  end else begin : g_at_mb1
    assign burst_at_mb = 1'b1;
  end

  // a take: rem - (len + 1) as an 8-bit subtract whose borrow steps the upper bits
  assign rem_lo     = {1'b1, rem_q[RemLo-1:0]} + {1'b1, ~next_len_o};  // bit 8: no borrow
  // the upper parts' steps, computed in the background: page + 1, rem_hi - 1 = ~(~rem_hi + 1)
  lp_inc_ahead #(.Width(PageW), .Chunk((PageW + 5) / 6)) u_page (
    .clk_i(clk_i), .v_i(page_q), .inc_o(page_inc)
  );
  lp_inc_ahead #(.Width(RemHiW), .Chunk((RemHiW + 5) / 6)) u_rem (
    .clk_i(clk_i), .v_i(~rem_q[31:RemLo]), .inc_o(rem_hi_inc)
  );
  assign rem_hi_dec = ~rem_hi_inc;
  // they are valid from the second cycle after the last change of page_q or rem_q[31:8]
  assign hi_chg     = take_cmd || (take_i && (endp_q || !rem_lo[8]));
  assign take_cmd   = cmd_valid_i && !active_q && cmd_beats_i != 0;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      active_q <= 1'b0;
      plan_q   <= 1'b0;
      settle_q <= '0;
    end else begin
      plan_q   <= !take_cmd && !take_i;
      settle_q <= hi_chg ? 2'b00 : {settle_q[0], 1'b1};
      if (take_cmd) active_q <= 1'b1;
      if (take_i && last_q) active_q <= 1'b0;
    end
    len_q  <= len_d;
    last_q <= rem_fits;
    endp_q <= rem_le_mb ? (to_end <= rem_m1) : (to_end <= LenW'(MaxBurst - 1));
    if (take_cmd) begin
      page_q <= cmd_addr_i[AddrWidth-1:12];
      bip_q  <= cmd_addr_i[11:OffBits];
      rem_q  <= cmd_beats_i;
    end else if (take_i) begin
      bip_q <= bip_q - PageBits'(~len_q);                 // bip + len + 1, 0 at the page end
      if (endp_q) page_q <= page_inc;
      rem_q <= {rem_lo[8] ? rem_q[31:RemLo] : rem_hi_dec, rem_lo[RemLo-1:0]};
    end
  end

  assign cmd_ready_o  = !active_q;
  assign next_valid_o = active_q && plan_q && settle_q[1];
  assign next_addr_o  = {page_q, bip_q, OffBits'(0)};
  assign next_len_o   = 8'(len_q);

`ifndef SYNTHESIS
  always_ff @(posedge clk_i)
    if (!rst_i) assert (!take_i || next_valid_o) else $error("lp_axi_burst: take_i without a planned burst");
`endif

endmodule

`default_nettype wire
