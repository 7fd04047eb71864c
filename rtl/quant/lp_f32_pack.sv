// lp_f32_pack - step 4 of the quantizer (hls/quant/lp_quant_elem.h lp_pack_f32_msb and
// hls/format/lp_format.h lp_f32_pack): FP32 bits of kq * 2^qe for a nonzero integer kq
// whose leading one is at index msb. Exact (every grid point is an FP32 value); a result
// above the FP32 range gives +Inf (0x7F800000), one below 2^-126 the FP32 subnormal.
// Combinational.
`default_nettype none

module lp_f32_pack #(
  parameter int ExpWidth = 12  // bits of the signed exponent qe
) (
  input  wire logic        [24:0]         kq_i,   // integer significand, nonzero, < 2^25
  input  wire logic        [4:0]          msb_i,  // index of kq_i's leading one
  input  wire logic signed [ExpWidth-1:0] qe_i,   // exponent of kq_i's unit bit
  output logic             [31:0]         bits_o  // FP32 bits (sign clear)
);

  localparam logic signed [ExpWidth-1:0] Bias     = 127;
  localparam logic signed [ExpWidth-1:0] SubShift = 149;   // 2^-149: FP32 subnormal unit
  localparam logic signed [ExpWidth-1:0] ExpOvf   = 128;   // first exponent above FP32
  localparam logic signed [ExpWidth-1:0] ExpMinN  = -126;  // smallest normal exponent

  logic signed [ExpWidth-1:0] rexp;   // unbiased exponent of the leading one
  logic        [7:0]          efield; // biased exponent of a normal result
  // the C code's 32-bit truncations: only the low bits of these are used
  /* verilator lint_off UNUSEDSIGNAL */
  logic signed [ExpWidth-1:0] sub_sh;   // qe + 149: left shift of a subnormal result
  logic        [24:0]         mant;     // kq aligned so that the leading one is bit 23
  logic        [56:0]         sub_wide; // kq << sub_sh[4:0]
  logic signed [ExpWidth-1:0] rexp_b;   // rexp + 127
  /* verilator lint_on UNUSEDSIGNAL */

  assign rexp   = qe_i + $signed({{(ExpWidth-5){1'b0}}, msb_i});
  assign mant   = (msb_i <= 5'd23) ? (kq_i << (5'd23 - msb_i)) : (kq_i >> (msb_i - 5'd23));
  assign sub_sh = qe_i + SubShift;
  assign rexp_b = rexp + Bias;
  assign efield = rexp_b[7:0];
  // kq << ((qe + 149) & 31), truncated to 32 bits as in C
  assign sub_wide = {32'd0, kq_i} << sub_sh[4:0];

  always_comb begin
    if (rexp >= ExpOvf) begin
      bits_o = 32'h7F80_0000;
    end else if (rexp >= ExpMinN) begin
      bits_o = {1'b0, efield, mant[22:0]};
    end else begin
      bits_o = sub_wide[31:0];
    end
  end

endmodule

`default_nettype wire
