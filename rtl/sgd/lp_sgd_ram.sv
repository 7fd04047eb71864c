// lp_sgd_ram - simple dual-port RAM: one write port, one read port with a registered read
// (one cycle from raddr_i to rdata_o; a read of the address written in the same cycle
// returns the old word). Infers BRAM/URAM. No reset (datapath storage).
`default_nettype none

module lp_sgd_ram #(
  parameter int Width = 512,  // bits per word
  parameter int Depth = 512   // words
) (
  input  wire logic                     clk_i,    // clock, rising edge
  input  wire logic                     we_i,     // write wdata_i at waddr_i
  input  wire logic [$clog2(Depth)-1:0] waddr_i,  // write address
  input  wire logic [Width-1:0]         wdata_i,  // write data
  input  wire logic [$clog2(Depth)-1:0] raddr_i,  // read address
  output logic      [Width-1:0]         rdata_o   // word at raddr_i, one cycle later
);

  logic [Width-1:0] mem [Depth];

  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
    rdata_o <= mem[raddr_i];
  end

endmodule

`default_nettype wire
