// lp_fifo - synchronous first-word-fall-through FIFO (register-based, Depth a power of 2).
// wr_i pushes d_i (the caller never pushes when full), rd_i pops the head q_o (only when
// count_o != 0). count_o is a register: flow control built on it (registered ready,
// credits) has no combinational path through the FIFO. Reset: synchronous, active high,
// clears the pointers only (the storage is datapath: no reset).
`default_nettype none

module lp_fifo #(
  parameter int Width = 32,                // bits per entry
  parameter int Depth = 16,                // entries, a power of two
  parameter int CntWidth = $clog2(Depth)+1 // bits of the occupancy count
) (
  input  wire logic                clk_i,    // clock, rising edge
  input  wire logic                rst_i,    // synchronous reset, active high
  input  wire logic                wr_i,     // push d_i
  input  wire logic [Width-1:0]    d_i,      // entry to push
  input  wire logic                rd_i,     // pop the head
  output logic      [Width-1:0]    q_o,      // head entry (valid when count_o != 0)
  output logic      [CntWidth-1:0] count_o   // entries held
);

  localparam int PtrWidth = $clog2(Depth);

  logic [Width-1:0]    mem [Depth];
  logic [PtrWidth-1:0] wptr_q, rptr_q;
  logic [CntWidth-1:0] count_q;

  always_ff @(posedge clk_i) begin
    if (wr_i) begin
      mem[wptr_q] <= d_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      wptr_q  <= '0;
      rptr_q  <= '0;
      count_q <= '0;
    end else begin
      if (wr_i) begin
        wptr_q <= wptr_q + 1'b1;
      end
      if (rd_i) begin
        rptr_q <= rptr_q + 1'b1;
      end
      count_q <= count_q + {{(CntWidth-1){1'b0}}, wr_i} - {{(CntWidth-1){1'b0}}, rd_i};
    end
  end

  assign q_o     = mem[rptr_q];
  assign count_o = count_q;

`ifndef SYNTHESIS
  // the callers' contract (Verilator --assert: the kernel builds, sim/kernel/kernel.mk)
  always_ff @(posedge clk_i)
    if (!rst_i) begin
      assert (!(wr_i && 32'(count_q) == Depth)) else $error("lp_fifo: pushed when full");
      assert (!(rd_i && count_q == '0)) else $error("lp_fifo: popped when empty");
    end
`endif

endmodule

`default_nettype wire
