// lp_fpu_rsh - shift right with a sticky bit (combinational).
//
// y_o = in_i >> amt_i, and sticky_o = OR of every bit shifted out (0 when amt_i = 0).
// Built as one stage per amount bit (stage k shifts by 2^k when amt_i[k] is set and ORs
// the 2^k bits it drops into the sticky bit), so the structure is a plain log shifter
// whatever the synthesis tool makes of a `>>` with a wide zero-padded operand. The FP
// units use it to denormalise (lp_fp32_mul).
`default_nettype none

module lp_fpu_rsh #(
  parameter int Width    = 27,  // bits of the value (>= 2)
  parameter int AmtWidth = 5    // bits of the amount (2^AmtWidth - 1 may exceed Width)
) (
  input  wire logic [Width-1:0]    in_i /*verilator public_flat_rd*/,      // value
  input  wire logic [AmtWidth-1:0] amt_i /*verilator public_flat_rd*/,     // shift amount
  output logic      [Width-1:0]    y_o,       // in_i >> amt_i
  output logic                     sticky_o   // a one was shifted out
);

  for (genvar k = 0; k <= AmtWidth; k++) begin : g_st
    logic [Width-1:0] v;
    logic             st;
    if (k == 0) begin : g_in
      assign v  = in_i;
      assign st = 1'b0;
    end else begin : g_shift
      localparam int Sh = 1 << (k - 1);
      logic [Width-1:0] pv;
      logic             pst, out_or;
      assign pv = g_st[k-1].v;
      assign pst = g_st[k-1].st;
      if (Sh >= Width) begin : g_all
        assign out_or = |pv;
        assign v      = amt_i[k-1] ? '0 : pv;
      end else begin : g_part
        assign out_or = |pv[Sh-1:0];
        assign v      = amt_i[k-1] ? {{Sh{1'b0}}, pv[Width-1:Sh]} : pv;
      end
      assign st = pst | (amt_i[k-1] & out_or);
    end
  end

  assign y_o      = g_st[AmtWidth].v;
  assign sticky_o = g_st[AmtWidth].st;

endmodule

`default_nettype wire
