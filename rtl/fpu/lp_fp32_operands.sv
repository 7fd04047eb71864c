// lp_fp32_operands - the common front end of the two-operand FP units: unpack a and b
// (lp_fp32_unpack) and decide NaN propagation the x86 SSE way.
//
// Combinational. nan_o: a or b is a NaN; then every unit returns a's NaN quieted when a is
// a NaN (the first source operand wins), else b's quieted: {nan_sign_o, 8'hFF, 1,
// nan_pay_o}. Payloads and signs are kept; signalling NaNs become quiet (bit 22 set).
// nan_pay_o is 0 when neither operand is a NaN (so a unit can use it unmasked).
`default_nettype none

module lp_fp32_operands (
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,        // operand a (binary32)
  input  wire logic [31:0] b_i /*verilator public_flat_rd*/,        // operand b (binary32)
  output logic             a_sign_o,   // a: sign
  output logic [7:0]       a_exp_o,    // a: biased exponent, 1 for subnormals and zero
  output logic [23:0]      a_sig_o,    // a: significand with hidden bit
  output logic             a_zero_o,   // a is +-0
  output logic             a_inf_o,    // a is +-Inf
  output logic             b_sign_o,   // b: sign
  output logic [7:0]       b_exp_o,    // b: biased exponent, 1 for subnormals and zero
  output logic [23:0]      b_sig_o,    // b: significand with hidden bit
  output logic             b_zero_o,   // b is +-0
  output logic             b_inf_o,    // b is +-Inf
  output logic             nan_o,      // a or b is a NaN
  output logic             nan_sign_o, // the propagated NaN's sign (valid when nan_o)
  output logic [21:0]      nan_pay_o   // its payload, bits 21:0 (0 when no NaN)
);

  logic        a_nan, b_nan;
  // the quieted values: bits 21:0 and 31 are the inputs' (bit 22 set, 30:23 all ones)
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] a_qnan, b_qnan;
  /* verilator lint_on UNUSEDSIGNAL */

  lp_fp32_unpack u_unpack_a (
    .a_i(a_i), .sign_o(a_sign_o), .exp_o(a_exp_o), .sig_o(a_sig_o),
    .zero_o(a_zero_o), .inf_o(a_inf_o), .nan_o(a_nan), .qnan_o(a_qnan)
  );
  lp_fp32_unpack u_unpack_b (
    .a_i(b_i), .sign_o(b_sign_o), .exp_o(b_exp_o), .sig_o(b_sig_o),
    .zero_o(b_zero_o), .inf_o(b_inf_o), .nan_o(b_nan), .qnan_o(b_qnan)
  );

  assign nan_o     = a_nan | b_nan;
  assign nan_sign_o = a_nan ? a_qnan[31] : b_qnan[31];
  assign nan_pay_o  = a_nan ? a_qnan[21:0] : (b_nan ? b_qnan[21:0] : 22'd0);

endmodule

`default_nettype wire
