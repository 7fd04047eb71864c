// lp_fp32_round_pack - round a normalised or denormalised result to binary32 (RNE) and pack.
//
// Combinational. Input is a "raw" result: sign_i, a signed biased exponent exp_i and a
// 26-bit significand sig_i = {lead, frac[22:0], round, sticky}, worth
// {lead, frac}.{round, sticky...} * 2^(exp_i - 127 - 23). The caller guarantees:
//   - lead = 1: exp_i >= 1 (a normal value; exp_i >= 255 means overflow);
//   - lead = 0: the value is already denormalised to exponent 1 (a subnormal or zero);
//     exp_i is then ignored.
// Rounding is to nearest, ties to even: the increment is added to the packed
// {exponent, fraction} word, so a carry out of the fraction moves a subnormal to the
// smallest normal and the largest finite value to Inf, as IEEE 754 requires. Overflow
// (before or through rounding) gives +-Inf. Exact zero gives a zero with sign_i.
`default_nettype none

module lp_fp32_round_pack #(
  parameter int CarrySelect = 0  // 1: the rounding increment as two carry chains with a
                                // carry select (shorter path; see below), 0: one chain
) (
  input  wire logic              sign_i /*verilator public_flat_rd*/,  // sign of the result
  input  wire logic signed [9:0] exp_i /*verilator public_flat_rd*/,   // biased exponent of the lead bit (see above)
  input  wire logic [25:0]       sig_i /*verilator public_flat_rd*/,   // {lead, frac[22:0], round, sticky}
  output logic [31:0]            y_o      // rounded binary32
);

  logic        lead, lsb, round_bit, sticky, inc, ovf;
  logic [7:0]  exp_field;
  logic [30:0] mag;

  assign lead      = sig_i[25];
  assign lsb       = sig_i[2];
  assign round_bit = sig_i[1];
  assign sticky    = sig_i[0];
  assign inc       = round_bit & (sticky | lsb);
  assign ovf       = lead & (exp_i >= 10'sd255);
  assign exp_field = lead ? exp_i[7:0] : 8'd0;
  if (CarrySelect != 0) begin : g_csel
    // the low 16 bits add inc, the upper 15 are made as they are and plus one, chosen by
    // the low part's carry out: no chain longer than 17 bits (lp_fp32_mul's last step;
    // where the input comes from deep logic in the same step, as in lp_i32_to_fp32, Yosys'
    // ABC maps the single chain better)
    logic [16:0] mag_lo;  // {carry, bits 15:0}
    logic [14:0] mag_hi, mag_hi1;
    assign mag_lo  = {1'b0, sig_i[17:2]} + {16'd0, inc};
    assign mag_hi  = {exp_field, sig_i[24:18]};
    assign mag_hi1 = mag_hi + 15'd1;
    assign mag     = {mag_lo[16] ? mag_hi1 : mag_hi, mag_lo[15:0]};
  end else begin : g_chain
    assign mag = {exp_field, sig_i[24:2]} + {30'd0, inc};
  end
  assign y_o       = ovf ? {sign_i, 8'hFF, 23'd0} : {sign_i, mag};

endmodule

`default_nettype wire
