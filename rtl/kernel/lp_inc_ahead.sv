// lp_inc_ahead - v + 1 for a wide register that changes rarely (an AXI master's page
// number, the upper part of its remaining count), computed in the background within the
// logic-depth budget (issue 13: <= 8 LUT/CARRY levels), where one Width-bit carry chain
// would be Width/4 CARRY4 deep.
//
// Cycle 1 registers, per Chunk-bit chunk of v_i, whether it is all ones; cycle 2 adds to
// each chunk the carry into it (the AND of the lower chunks' flags, one LUT for up to 6
// chunks) and registers the sums. So inc_o == v_i + 1 (mod 2^Width) from the second cycle
// after v_i last changed on; the caller waits that long after each change before it uses
// inc_o (lp_axi_burst's settle count).
// No reset: datapath only.
`default_nettype none

module lp_inc_ahead #(
  parameter int Width = 52,  // bits of v_i, 1..6*Chunk
  parameter int Chunk = 9    // bits per chunk: a Chunk-bit add per chunk, <= 16
) (
  input  wire logic             clk_i,  // clock, rising edge
  input  wire logic [Width-1:0] v_i,    // the value (a register of the caller)
  output logic      [Width-1:0] inc_o   // v_i + 1, two cycles after v_i settled
);

  localparam int N = (Width + Chunk - 1) / Chunk;  // chunks

  if (Width < 1 || Chunk < 1 || Chunk > 16 || N > 6) begin : g_check
    $error("lp_inc_ahead: Width must be 1..6*Chunk, Chunk 1..16");
  end

  logic [N*Chunk-1:0] v_ext;
  logic [N-1:0]       cin;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [N*Chunk-1:0] inc_q;   // the bits above Width are the padding's
  logic [N-1:0]       ones_q;  // the top chunk's flag carries into nothing
  /* verilator lint_on UNUSEDSIGNAL */

  always_comb begin
    v_ext            = '0;
    v_ext[Width-1:0] = v_i;
  end

  for (genvar k = 0; k < N; k++) begin : g_chunk
    if (k == 0) begin : g_c0
      assign cin[k] = 1'b1;
    end else begin : g_ck
      assign cin[k] = &ones_q[k-1:0];
    end
    always_ff @(posedge clk_i) begin
      ones_q[k]                <= &v_ext[k*Chunk +: Chunk];
      inc_q[k*Chunk +: Chunk]  <= v_ext[k*Chunk +: Chunk] + {{(Chunk - 1){1'b0}}, cin[k]};
    end
  end

  assign inc_o = inc_q[Width-1:0];

endmodule

`default_nettype wire
