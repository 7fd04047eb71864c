// lp_fifo_bram - synchronous first-word-fall-through FIFO with its storage in block RAM
// (lp_sgd_ram: registered read), for deep FIFOs such as the minibatch prefetch of the
// AXI read master, where lp_fifo's register/LUT-RAM storage would cost too much.
//
// Entries go into the RAM; a read is issued as soon as the 4-entry output FIFO (lp_fifo)
// has room for it besides the read already in flight, so the head is in a register and a
// pop every cycle is sustained. An entry pushed into an empty FIFO is at the head 3 cycles
// later (RAM write, RAM read, output FIFO), not 1 as in lp_fifo.
//   wr_i pushes d_i (the caller never pushes when count_o == Depth); rd_i pops the head q_o
//   (only when valid_o). count_o counts every entry held (RAM, the read in flight, the
//   output FIFO): credits built on it never overfill the RAM. valid_o and count_o are
//   registers (no combinational path through the FIFO).
// Reset: synchronous, active high, clears the pointers and counts only (the storage is
// datapath: no reset).
`default_nettype none

module lp_fifo_bram #(
  parameter int Width    = 512,               // bits per entry
  parameter int Depth    = 512,               // entries held at most, a power of two, >= 2
  parameter int CntWidth = $clog2(Depth) + 1  // bits of the occupancy count
) (
  input  wire logic                clk_i,    // clock, rising edge
  input  wire logic                rst_i,    // synchronous reset, active high
  input  wire logic                wr_i,     // push d_i
  input  wire logic [Width-1:0]    d_i,      // entry to push
  input  wire logic                rd_i,     // pop the head
  output logic                     valid_o,  // q_o holds the head
  output logic      [Width-1:0]    q_o,      // head entry
  output logic      [CntWidth-1:0] count_o   // entries held
);

  localparam int PtrWidth = $clog2(Depth);

  logic [PtrWidth-1:0] wptr_q, rptr_q;
  logic [PtrWidth:0]   ram_cnt_q;   // entries in the RAM not yet read
  logic                pend_q;      // a RAM read in flight: its word is on rdata next cycle
  logic [CntWidth-1:0] count_q;
  logic [Width-1:0]    rdata;
  logic [2:0]          ob_count;
  logic                issue;

  // read when the output FIFO has room for this word and the one in flight (registered
  // counts only: at most 3 of its 4 entries are ever used)
  assign issue = (ram_cnt_q != '0) && (ob_count < 3'd2 || (ob_count == 3'd2 && !pend_q));

  lp_sgd_ram #(.Width(Width), .Depth(Depth)) u_ram (
    .clk_i(clk_i), .we_i(wr_i), .waddr_i(wptr_q), .wdata_i(d_i), .raddr_i(rptr_q), .rdata_o(rdata)
  );

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      wptr_q    <= '0;
      rptr_q    <= '0;
      ram_cnt_q <= '0;
      pend_q    <= 1'b0;
      count_q   <= '0;
    end else begin
      if (wr_i) wptr_q <= wptr_q + 1'b1;
      if (issue) rptr_q <= rptr_q + 1'b1;
      // + 1, - 1 or 0: one adder, so the issue decision meets a single carry chain
      ram_cnt_q <= ram_cnt_q + {{PtrWidth{issue && !wr_i}}, issue != wr_i};
      pend_q    <= issue;
      count_q   <= count_q + CntWidth'(wr_i) - CntWidth'(rd_i);
    end
  end

  lp_fifo #(.Width(Width), .Depth(4), .CntWidth(3)) u_out (
    .clk_i(clk_i), .rst_i(rst_i), .wr_i(pend_q), .d_i(rdata), .rd_i(rd_i), .q_o(q_o), .count_o(ob_count)
  );

  assign valid_o = ob_count != '0;
  assign count_o = count_q;

`ifndef SYNTHESIS
  // the caller's contract (Verilator --assert: sim/kernel/kernel.mk)
  always_ff @(posedge clk_i)
    if (!rst_i) begin
      assert (!(wr_i && 32'(count_q) == Depth)) else $error("lp_fifo_bram: pushed when full");
      assert (!(rd_i && !valid_o)) else $error("lp_fifo_bram: popped when empty");
    end
`endif

endmodule

`default_nettype wire
