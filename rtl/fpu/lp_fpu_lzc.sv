// lp_fpu_lzc - count leading zeros of a Width-bit vector (combinational).
//
// cnt_o = number of zero bits above the leading one of in_i, or Width when in_i == 0
// (the FP units use it to normalise sums, products and integers).
// Built as a balanced tree, log2(Width) levels of 2:1 selects (not a priority chain):
// the input is padded at the bottom with ones to a power of two P; each node over 2^k bits
// reports "has a one" and the leading zeros below its top: the high half's count when the
// high half has a one, else 2^(k-1) plus the low half's count.
// Each level of the tree is one packed vector (node i's count at Levels*i), not one signal
// per node: the same logic (Yosys maps it to the same depth), but Verilator computes a
// level in a few word operations instead of storing and loading every node (lp_fp32_mul
// alone simulates ~1.6x faster; the multipliers' two of these were ~19 % of the 16-class
// kernel's simulation time).
`default_nettype none

module lp_fpu_lzc #(
  parameter int Width    = 32,                 // bits of the input vector (>= 2)
  parameter int CntWidth = $clog2(Width + 1)   // bits of the count (holds 0..Width)
) (
  input  wire logic [Width-1:0]    in_i /*verilator public_flat_rd*/,   // vector to scan from the MSB down
  output logic      [CntWidth-1:0] cnt_o   // leading zeros (Width when in_i is all zero)
);

  localparam int Levels = $clog2(Width);
  localparam int P      = 1 << Levels;

  logic [P-1:0] padded;
  if (P > Width) begin : g_pad
    assign padded = {in_i, {(P - Width){1'b1}}};
  end else begin : g_nopad
    assign padded = in_i;
  end

  // level k: P >> k nodes; any = has a one, cnt = the counts, Levels bits each (node i's
  // at Levels*i; level 0: the bits themselves, counts 0)
  for (genvar k = 0; k <= Levels; k++) begin : g_lvl
    logic [(P >> k)-1:0]        any;
    logic [(P >> k)*Levels-1:0] cnt;
    if (k == 0) begin : g_leaf
      assign any = padded;
      assign cnt = '0;
    end else begin : g_join
      for (genvar i = 0; i < (P >> k); i++) begin : g_node
        logic hi_any, lo_any;
        logic [Levels-1:0] hi_cnt, lo_cnt;
        assign hi_any = g_lvl[k-1].any[2*i+1];
        assign lo_any = g_lvl[k-1].any[2*i];
        assign hi_cnt = g_lvl[k-1].cnt[Levels*(2*i+1) +: Levels];
        assign lo_cnt = g_lvl[k-1].cnt[Levels*(2*i) +: Levels];
        assign any[i] = hi_any | lo_any;
        assign cnt[Levels*i +: Levels] = hi_any ? hi_cnt : (lo_cnt | Levels'(1 << (k - 1)));
      end
    end
  end

  logic [Levels-1:0] top_cnt;
  assign top_cnt = g_lvl[Levels].cnt;
  assign cnt_o   = g_lvl[Levels].any[0] ? CntWidth'(top_cnt) : CntWidth'(Width);

endmodule

`default_nettype wire
