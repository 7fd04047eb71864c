// lp_msb - index of the leading one of a vector (priority encoder), like lp_msb32() in
// hls/format/lp_format.h. Combinational. An all-zero input gives 0 (callers OR in a 1,
// as the C model does with lp_msb32(v | 1)).
`default_nettype none

module lp_msb #(
  parameter int Width    = 32,              // bits of the input vector
  parameter int OutWidth = $clog2(Width)    // bits of the index
) (
  input  wire logic [Width-1:0]    v_i,     // vector
  output logic      [OutWidth-1:0] msb_o    // index of its highest set bit
);

  always_comb begin
    msb_o = '0;
    for (int i = 0; i < Width; i++) begin
      if (v_i[i]) begin
        msb_o = i[OutWidth-1:0];
      end
    end
  end

endmodule

`default_nettype wire
