// lp_row_split - splits the minibatch's header beats off the AXI read data of gmem0, before
// the prefetch FIFO (lp_axi_rd's r_keep_i/r_user_i), so the step engine takes a row in
// D/16 cycles rather than 1 + D/16: the bus still carries 1 + D/16 beats per row, and the
// prefetch FIFO, filled while the engine works on a step's gradient pass and update (no
// rows taken then), gives them back faster than the bus brings them.
//
// The rows of one call are contiguous in address order (hls/sgd/lp_sgd.h DATA LAYOUT: per
// row a header beat, word 0 the label, then nbeats_i feature beats), and lp_axi_rd returns
// them in that order, so a beat counter tells a header from a feature beat:
//   header beat   keep_o = 0; its word 0 becomes the held label
//   feature beat  keep_o = 1, label_o = the label of its row (held since its header)
// clear_i restarts the count at a row's header (a call's start, while no data flows);
// nbeats_i is quasi-static while beats flow.
// Reset: synchronous, active high; clears the count (the held label is datapath).
`default_nettype none

module lp_row_split #(
  parameter int BeatBits = 10  // bits of nbeats_i (feature beats per row)
) (
  input  wire logic                 clk_i,     // clock, rising edge
  input  wire logic                 rst_i,     // synchronous reset, active high
  input  wire logic                 clear_i,   // the next beat is a header
  input  wire logic [BeatBits-1:0]  nbeats_i,  // feature beats per row, >= 1
  input  wire logic                 valid_i,   // a beat of the rows (RVALID; RREADY is 1)
  input  wire logic [31:0]          word0_i,   // word 0 of the beat (RDATA[31:0])
  output logic                      keep_o,    // the beat is a feature beat
  output logic      [31:0]          label_o    // the label of its row (with keep_o)
);

  if (BeatBits < 1) begin : g_check
    $error("lp_row_split: BeatBits must be >= 1");
  end

  logic [BeatBits-1:0] b_q;        // beat of the row: 0 the header, 1..nbeats_i features
  logic [31:0]         label_q;

  always_ff @(posedge clk_i) begin
    if (rst_i || clear_i) begin
      b_q <= '0;
    end else if (valid_i) begin
      b_q <= (b_q == nbeats_i) ? '0 : b_q + 1'b1;
    end
    if (valid_i && b_q == '0) label_q <= word0_i;
  end

`ifndef SYNTHESIS
  // (Verilator --assert: sim/kernel/kernel.mk)
  always_ff @(posedge clk_i) begin
    if (!rst_i) begin
      assert (!(clear_i && valid_i)) else $error("lp_row_split: clear_i while a beat arrives");
      assert (!valid_i || nbeats_i != '0) else $error("lp_row_split: a beat with nbeats_i = 0");
    end
  end
`endif

  assign keep_o  = b_q != '0;
  assign label_o = label_q;

endmodule

`default_nettype wire
