// lp_fp32_add - pipelined IEEE 754 binary32 adder: y = a + b.
//
// Behaviour (bit for bit the C expression a + b on x86-64 SSE, gcc -ffp-contract=off):
//   - round to nearest, ties to even; subnormal inputs and outputs in full (no flush);
//   - a NaN operand propagates quieted (bit 22 set), payload and sign kept; when both are
//     NaN, a's NaN wins (SSE: the first source operand);
//   - Inf + -Inf is invalid: the x86 default NaN 0xFFC00000;
//   - Inf + finite = that Inf; overflow rounds to +-Inf;
//   - an exact zero sum is +0 (x + -x = +0), except -0 + -0 = -0.
//   Subtraction: lp_fp32_sub (keeps C's NaN bits for a - NaN).
//   (lp_fp32_addsub switches between the two at run time.)
//
// Pipeline: Latency enabled cycles from (a_i, b_i) to y_o; a new operand pair every cycle.
// en_i is a clock enable for every stage: with en_i = 0 the pipeline holds (y_o too).
// The four steps and the register cuts between them:
//   S0 unpack, compare magnitudes, swap, align the smaller operand (sticky)  -- cut 1
//   S1 add or subtract the significands, count leading zeros                 -- cut 2
//   S2 normalise (left shift, or right by one on carry out) and round       -- cut 3
//   S3 pack, overflow, ties to even, select special results                  -- output
// Two DSP48E2 (Yosys maps each `*` to one): the alignment shift in S0 and the
// normalising shift in S2 are multiplies by a one-hot 2^k (16 positions in the DSP, the
// amount's bit 4 a 2:1 choice in LUTs); S2's multiply-add also adds the exponent and the
// rounding half (round to nearest, the tie fixed up in S3), in a DSP's post-adder where
// the tool packs it (see S2).
//   Latency 0: combinational; 1: output register only; 2: cut 2 + output;
//   3: cuts 1, 2 + output (default: one 27-bit shift or one add per stage, aimed at
//   300 MHz on UltraScale+); 4: all cuts; > 4: 4 plus Latency-4 extra output registers.
// Datapath registers have no reset; there is no control state.
`default_nettype none

module lp_fp32_add #(
  parameter int Latency = 3  // cycles from operands to sum, >= 0 (see above)
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic        en_i,   // clock enable for all pipeline stages
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,    // operand a (binary32)
  input  wire logic [31:0] b_i /*verilator public_flat_rd*/,    // operand b (binary32)
  output logic      [31:0] y_o     // a + b (binary32), Latency cycles later
);

  localparam int Cut1  = (Latency >= 3) ? 1 : 0;
  localparam int Cut2  = (Latency >= 2) ? 1 : 0;
  localparam int Cut3  = (Latency >= 4) ? 1 : 0;
  localparam int OutRg = (Latency >= 4) ? Latency - 3 : ((Latency >= 1) ? 1 : 0);

  // ---------------------------------------------------------------- S0: unpack, align
  logic        a_sign, b_sign, a_zero, b_zero, a_inf, b_inf, any_nan, nan_sign;
  logic [7:0]  a_exp, b_exp;
  logic [23:0] a_sig, b_sig;
  logic [21:0] nan_pay;

  lp_fp32_operands u_ops (
    .a_i(a_i), .b_i(b_i),
    .a_sign_o(a_sign), .a_exp_o(a_exp), .a_sig_o(a_sig), .a_zero_o(a_zero), .a_inf_o(a_inf),
    .b_sign_o(b_sign), .b_exp_o(b_exp), .b_sig_o(b_sig), .b_zero_o(b_zero), .b_inf_o(b_inf),
    .nan_o(any_nan), .nan_sign_o(nan_sign), .nan_pay_o(nan_pay)
  );
  // zeros need no special case in the adder (exact zero sums are signed in S1)
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_zero;
  assign unused_zero = a_zero ^ b_zero;
  /* verilator lint_on UNUSEDSIGNAL */

  // special results (NaN, Inf), decided up front and carried down the pipe as
  // {sign, 8'hFF, quiet bit, payload}: a NaN's, the default NaN 0xFFC00000 for Inf + -Inf,
  // else the Inf operand (nan_pay is 0 when there is no NaN)
  logic        s0_special, s0_sp_sign, s0_sp_q;
  assign s0_special = any_nan | a_inf | b_inf;
  assign s0_sp_q    = any_nan | (a_inf & b_inf & (a_sign ^ b_sign));
  assign s0_sp_sign = any_nan ? nan_sign : ((a_inf & b_inf) ? (a_sign | b_sign)
                                                           : (a_inf ? a_sign : b_sign));

  // x = the operand of larger magnitude, y = the other one
  logic        swap, x_sign, y_sign;
  logic [7:0]  x_exp, y_exp, exp_diff;
  logic [23:0] x_sig, y_sig;
  assign swap     = (b_i[30:0] > a_i[30:0]);
  assign x_sign   = swap ? b_sign : a_sign;
  assign y_sign   = swap ? a_sign : b_sign;
  assign x_exp    = swap ? b_exp : a_exp;
  assign y_exp    = swap ? a_exp : b_exp;
  assign x_sig    = swap ? b_sig : a_sig;
  assign y_sig    = swap ? a_sig : b_sig;
  assign exp_diff = x_exp - y_exp;

  // 27-bit significands {sig, guard, round, sticky}; y shifted right by d = min(exp_diff,
  // 26) with the bits shifted out ORed into the sticky bit (d = 26 leaves only the sticky
  // bit, as any larger difference would). The shift is a multiply: y_sig times the
  // one-hot 2^(15 - d[3:0]) is y_sig shifted right by d[3:0] with 15 bits below the point,
  // exact; d[4] (a further 16 right) is a 2:1 choice of the product's bits after it.
  //   Y = y_sig * 2^(26 - d) = al_p * 2^(11 - 16 d[4]); y_ext = {Y[49:24], |Y[23:0]}
  logic [26:0] y_ext;
  logic [4:0]  al_d;
  logic [15:0] al_hot;
  logic [38:0] al_p;
  logic        y_sticky;
  assign al_d     = (exp_diff >= 8'd26) ? 5'd26 : exp_diff[4:0];
  assign al_hot   = 16'h8000 >> al_d[3:0];
  assign al_p     = y_sig * al_hot;
  assign y_sticky = (|al_p[12:0]) | (al_d[4] & (|al_p[28:13]));
  assign y_ext    = {al_d[4] ? {16'd0, al_p[38:29]} : al_p[38:13], y_sticky};

  logic        s0_eff_sub, s0_zero_sign;
  assign s0_eff_sub   = x_sign ^ y_sign;
  // sign of an exact zero sum: -0 only for -0 + -0 (round to nearest)
  assign s0_zero_sign = a_sign & b_sign;

  // x travels as its 24-bit significand (x_ext = {x_sig, 3'b000}) and its exponent less
  // one (the most S2 may shift left: computed here, off S2's path)
  logic [7:0] s0_lmax;
  assign s0_lmax = x_exp - 8'd1;
  localparam int C1W = 1+1+1+8+24+27+3+22;
  logic [C1W-1:0] c1_d, c1_q;
  assign c1_d = {s0_eff_sub, s0_zero_sign, x_sign, s0_lmax, x_sig, y_ext, s0_special,
                 s0_sp_sign, s0_sp_q, nan_pay};
  lp_fpu_delay #(.Width(C1W), .Depth(Cut1)) u_cut1 (
    .clk_i(clk_i), .en_i(en_i), .d_i(c1_d), .q_o(c1_q)
  );

  // ---------------------------------------------------------------- S1: add, count zeros
  logic        s1_eff_sub, s1_zero_sign, s1_sign;
  logic [7:0]  s1_lmax;
  logic [23:0] s1_x;
  logic [26:0] s1_y;
  logic [24:0] s1_sp;
  assign {s1_eff_sub, s1_zero_sign, s1_sign, s1_lmax, s1_x, s1_y, s1_sp} = c1_q;

  logic [27:0] s1_sum;
  logic [4:0]  s1_lz;
  logic        s1_zero, s1_res_sign;
  assign s1_sum      = s1_eff_sub ? ({1'b0, s1_x, 3'b000} - {1'b0, s1_y})
                                  : ({1'b0, s1_x, 3'b000} + {1'b0, s1_y});
  assign s1_zero     = (s1_sum == 28'd0);
  assign s1_res_sign = s1_zero ? s1_zero_sign : s1_sign;

  lp_fpu_lzc #(.Width(27), .CntWidth(5)) u_lzc (
    .in_i(s1_sum[26:0]), .cnt_o(s1_lz)
  );

  localparam int C2W = 1+1+8+28+5+25;
  logic [C2W-1:0] c2_d, c2_q;
  assign c2_d = {s1_res_sign, s1_zero, s1_lmax, s1_sum, s1_lz, s1_sp};
  lp_fpu_delay #(.Width(C2W), .Depth(Cut2)) u_cut2 (
    .clk_i(clk_i), .en_i(en_i), .d_i(c2_d), .q_o(c2_q)
  );

  // ---------------------------------------------------------------- S2: normalise, round
  logic        s2_sign, s2_zero;
  logic [7:0]  s2_lmax;
  logic [27:0] s2_sum;
  logic [4:0]  s2_lz;
  logic [24:0] s2_sp;
  assign {s2_sign, s2_zero, s2_lmax, s2_sum, s2_lz, s2_sp} = c2_q;

  // Left shift by min(lz, exp - 1): never below exponent 1, so a subnormal result is
  // left denormalised (and exact: cancellation only happens when nothing was shifted out).
  // The shift multiplies 26 bits t by the one-hot 2^shift[3:0], after a 2:1 choice of t
  // for shift[4] (16 more: the low bits moved up). The sum's bit 0 stays out of the
  // product: a shift >= 2 only happens when y was shifted by <= 1, so bits 1:0 are then 0,
  // and for shifts 0 and 1 bit 0 lands in the sticky position (low, ORed in at S3). On
  // carry out the sum goes right by one: its top 26 bits times 1.
  // The product m = {lead, frac[22:0], round, sticky} is < 2^26; added to it,
  //   (e - 1) * 2^25 + 2:   e - 1 + lead is the exponent field (a subnormal result has
  // e = 1 and lead = 0, so the field is 0), and 2 is half an ulp: bits 32:2 of the sum are
  // the packed magnitude rounded half up (a carry out of the fraction moves to the next
  // exponent, 255 is overflow), bits 1:0 are {not round, sticky}. An exact zero sum adds
  // only the 2. Written as one multiply-add so that a DSP's post-adder can take the add
  // (Vivado infers that); Yosys 0.23's xilinx_dsp packs a post-adder only for
  // accumulators, so in its netlist the add is LUTs and a carry chain.
  logic [8:0]  s2_d;
  logic [4:0]  s2_shift;  // <= 27
  logic [7:0]  s2_e1;
  logic [3:0]  s2_fine;
  logic [15:0] s2_hot;
  logic [25:0] s2_t;
  logic [33:0] s2_c, s2_p;
  logic        s2_low;
  // d = exp - 1 - lz; negative (d[8]) when the shift stops at exponent 1
  assign s2_d     = {1'b0, s2_lmax} - {4'd0, s2_lz};
  assign s2_shift = s2_d[8] ? s2_lmax[4:0] : s2_lz;  // d[8]: exp - 1 < lz <= 27
  always_comb begin
    if (s2_sum[27]) begin
      s2_t    = s2_sum[27:2];
      s2_fine = 4'd0;
      s2_low  = s2_sum[1] | s2_sum[0];
      s2_e1   = s2_lmax + 8'd1;
    end else begin
      s2_t    = s2_shift[4] ? {s2_sum[10:1], 16'd0} : s2_sum[26:1];
      s2_fine = s2_shift[3:0];
      s2_low  = s2_sum[0];
      s2_e1   = s2_d[8] ? 8'd0 : s2_d[7:0];  // exp - 1 - shift
    end
  end
  assign s2_hot = 16'd1 << s2_fine;
  assign s2_c   = {1'b0, s2_zero ? 8'd0 : s2_e1, 25'd2};
  assign s2_p   = s2_t * s2_hot + s2_c;  // < 2^33: the low 34 bits of the product and sum

  localparam int C3W = 1+1+34+25;
  logic [C3W-1:0] c3_d, c3_q;
  assign c3_d = {s2_sign, s2_low, s2_p, s2_sp};
  lp_fpu_delay #(.Width(C3W), .Depth(Cut3)) u_cut3 (
    .clk_i(clk_i), .en_i(en_i), .d_i(c3_d), .q_o(c3_q)
  );

  // ---------------------------------------------------------------- S3: pack
  // A tie (round bit set, nothing below it) rounded half up is made even by clearing the
  // LSB; exponent field 255 is overflow: Inf.
  logic        s3_sign, s3_low, s3_tie, s3_ovf, s3_special, s3_sp_sign, s3_sp_q;
  logic [33:0] s3_p;
  logic [21:0] s3_sp_pay;
  logic [31:0] s3_y;
  assign {s3_sign, s3_low, s3_p, s3_special, s3_sp_sign, s3_sp_q, s3_sp_pay} = c3_q;
  assign s3_tie = ~s3_p[1] & ~s3_p[0] & ~s3_low;
  assign s3_ovf = (s3_p[32:25] == 8'hFF);
  always_comb begin
    if (s3_special) begin
      s3_y = {s3_sp_sign, 8'hFF, s3_sp_q, s3_sp_pay};
    end else if (s3_ovf) begin
      s3_y = {s3_sign, 8'hFF, 23'd0};
    end else begin
      s3_y = {s3_sign, s3_p[32:3], s3_p[2] & ~s3_tie};
    end
  end

  // bit 33 of the sum is 0 (at most 254 * 2^25 + 2^26 + 1)
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_p33;
  assign unused_p33 = s3_p[33];
  /* verilator lint_on UNUSEDSIGNAL */

  lp_fpu_delay #(.Width(32), .Depth(OutRg)) u_out (
    .clk_i(clk_i), .en_i(en_i), .d_i(s3_y), .q_o(y_o)
  );

endmodule

`default_nettype wire
