// lp_fpu_lzc - count leading zeros of a Width-bit vector (combinational).
//
// cnt_o = number of zero bits above the leading one of in_i, or Width when in_i == 0
// (the FP units use it to normalise sums and products). Written as a priority scan; the
// synthesis tool builds the tree.
`default_nettype none

module lp_fpu_lzc #(
  parameter int Width    = 32,                 // bits of the input vector (>= 1)
  parameter int CntWidth = $clog2(Width + 1)   // bits of the count (holds 0..Width)
) (
  input  wire logic [Width-1:0]    in_i,   // vector to scan from the MSB down
  output logic      [CntWidth-1:0] cnt_o   // leading zeros (Width when in_i is all zero)
);

  always_comb begin
    cnt_o = CntWidth'(Width);
    for (int i = 0; i < Width; i++) begin
      if (in_i[i]) begin
        cnt_o = CntWidth'(Width - 1 - i);
      end
    end
  end

endmodule

`default_nettype wire
