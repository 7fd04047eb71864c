// lp_sgd_kseq - the per-row class sequencer of the softmax stages (lp_sgd_softmax S2, S3,
// S4): started for a row, it issues the classes k = 0..K-1 in order, one every Gap + 1
// cycles, then moves on to the next row slot. The caller starts it only while busy_o is
// low (the start condition is the caller's: a row waiting in a FIFO, a row's e_k all
// present).
// Reset: synchronous, active high; clears all state (busy, class, slot and gap counters).
`default_nettype none

module lp_sgd_kseq #(
  parameter int SlotWidth = 3,  // bits of the row-slot index (the caller's Slots = 2^SlotWidth)
  parameter int Gap       = 0   // idle cycles after each issue (0: one class per cycle)
) (
  input  wire logic                 clk_i,     // clock, rising edge
  input  wire logic                 rst_i,     // synchronous reset, active high
  input  wire logic [4:0]           nclass_i,  // K, 1..16 (quasi-static)
  input  wire logic                 start_i,   // begin a row at class 0 (only when !busy_o)
  output logic                      busy_o,    // a row is being issued
  output logic                      issue_o,   // class k_o of row slot slot_o issues now
  output logic      [3:0]           k_o,       // the class issued
  output logic                      last_o,    // k_o == K - 1
  output logic      [SlotWidth-1:0] slot_o     // the row slot being issued
);

  localparam int GW = (Gap > 0) ? $clog2(Gap + 1) : 1;  // bits of the gap counter

  logic                 busy_q;
  logic [3:0]           k_q;
  logic [SlotWidth-1:0] slot_q;
  logic [GW-1:0]        wait_q;

  assign busy_o  = busy_q;
  assign issue_o = busy_q && (wait_q == '0);
  assign k_o     = k_q;
  assign last_o  = {1'b0, k_q} == nclass_i - 1'b1;
  assign slot_o  = slot_q;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      busy_q <= 1'b0;
      k_q    <= '0;
      slot_q <= '0;
      wait_q <= '0;
    end else if (start_i) begin
      busy_q <= 1'b1;
      k_q    <= '0;
      wait_q <= '0;
    end else if (issue_o) begin
      k_q    <= k_q + 1'b1;
      wait_q <= GW'(Gap);
      if (last_o) begin
        busy_q <= 1'b0;
        slot_q <= slot_q + 1'b1;
      end
    end else if (wait_q != '0) begin
      wait_q <= wait_q - 1'b1;
    end
  end

endmodule

`default_nettype wire
