// lp_sgd_ram - simple dual-port RAM: one write port, one read port with a registered read
// (one cycle from raddr_i to rdata_o; a read of the address written in the same cycle
// returns the old word). No reset (datapath storage).
//
// RamStyle picks the memory primitive, as Vivado's and Yosys' `ram_style` attribute does:
// "block" (RAMB36E2/RAMB18E2), "ultra" (URAM288: 4096 x 72 per primitive, so it pays for
// deep or wide-and-deep storage such as the replay ring and the accumulator banks, and it
// frees block RAM) or "auto" (the tool decides). Simulation is the same for every style.
// RamStyle is an untyped (string-valued) parameter: Yosys 0.23 does not parse
// `parameter string`.
`default_nettype none

module lp_sgd_ram #(
  parameter int    Width    = 512,     // bits per word
  parameter int    Depth    = 512,     // words
  parameter        RamStyle = "block"  // "block", "ultra" or "auto" (see above)
) (
  input  wire logic                     clk_i,    // clock, rising edge
  input  wire logic                     we_i,     // write wdata_i at waddr_i
  input  wire logic [$clog2(Depth)-1:0] waddr_i,  // write address
  input  wire logic [Width-1:0]         wdata_i,  // write data
  input  wire logic [$clog2(Depth)-1:0] raddr_i,  // read address
  output logic      [Width-1:0]         rdata_o   // word at raddr_i, one cycle later
);

  if (RamStyle != "block" && RamStyle != "ultra" && RamStyle != "auto") begin : g_bad_style
    $error("lp_sgd_ram: RamStyle must be \"block\", \"ultra\" or \"auto\"");
  end
  if (Depth < 2) begin : g_bad_depth
    $error("lp_sgd_ram: Depth must be at least 2");
  end

  (* ram_style = RamStyle *) logic [Width-1:0] mem [Depth];

  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
    rdata_o <= mem[raddr_i];
  end

endmodule

`default_nettype wire
