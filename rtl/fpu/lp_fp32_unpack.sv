// lp_fp32_unpack - split an IEEE binary32 value into sign, exponent, significand, class.
//
// Combinational. exp_o is the biased exponent with subnormals (and zero) mapped to 1, so
// that the value of every finite input is sig_o * 2^(exp_o - 127 - 23) with sig_o the
// 24-bit significand including the hidden bit (0 for subnormals and zero). qnan_o is the
// input with its quiet bit set: the x86 SSE result when this operand's NaN propagates.
`default_nettype none

module lp_fp32_unpack (
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,       // binary32 bits
  output logic             sign_o,    // sign bit
  output logic [7:0]       exp_o,     // biased exponent, 1 for subnormals and zero
  output logic [23:0]      sig_o,     // significand with hidden bit
  output logic             zero_o,    // +-0
  output logic             inf_o,     // +-Inf
  output logic             nan_o,     // any NaN (quiet or signalling)
  output logic [31:0]      qnan_o     // a_i with the quiet bit (bit 22) set
);

  logic exp_max, exp_zero, frac_zero;

  assign exp_max   = (a_i[30:23] == 8'hFF);
  assign exp_zero  = (a_i[30:23] == 8'h00);
  assign frac_zero = (a_i[22:0] == 23'd0);

  assign sign_o = a_i[31];
  assign exp_o  = exp_zero ? 8'd1 : a_i[30:23];
  assign sig_o  = {~exp_zero, a_i[22:0]};
  assign zero_o = exp_zero & frac_zero;
  assign inf_o  = exp_max & frac_zero;
  assign nan_o  = exp_max & ~frac_zero;
  assign qnan_o = a_i | 32'h0040_0000;

endmodule

`default_nettype wire
