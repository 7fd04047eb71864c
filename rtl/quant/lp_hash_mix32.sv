// lp_hash_mix32 - Wellons' "lowbias32" finaliser (lp_hash_mix32 in hls/quant/lp_quant.c):
//   x ^= x >> 16; x *= 0x21F0AAAD; x ^= x >> 15; x *= 0x735A2D97; x ^= x >> 15
// all modulo 2^32. Split in two halves so a pipeline can put a register between the
// multiplies: Half 0 is "x ^= x >> 16; x *= 0x21F0AAAD", Half 1 the rest. Combinational.
`default_nettype none

module lp_hash_mix32 #(
  parameter int Half = 0  // 0: first xorshift-multiply; 1: second multiply and final xorshift
) (
  input  wire logic [31:0] x_i,  // value in
  output logic      [31:0] y_o   // value out
);

  logic [31:0] t;

  if (Half == 0) begin : g_first
    assign t   = x_i ^ (x_i >> 16);
    assign y_o = t * 32'h21F0_AAAD;
  end else begin : g_second
    logic [31:0] u;
    assign t   = x_i ^ (x_i >> 15);
    assign u   = t * 32'h735A_2D97;
    assign y_o = u ^ (u >> 15);
  end

endmodule

`default_nettype wire
