// lp_fp32_mul - pipelined IEEE 754 binary32 multiplier: y = a * b.
//
// Behaviour (bit for bit the C expression a * b on x86-64 SSE, gcc -ffp-contract=off):
//   - round to nearest, ties to even; subnormal inputs and outputs in full (no flush),
//     including products that round up from the subnormal range to the smallest normal;
//   - a NaN operand propagates quieted (bit 22 set), payload and sign kept; when both are
//     NaN, a's NaN wins (SSE: the first source operand);
//   - 0 * Inf is invalid: the x86 default NaN 0xFFC00000;
//   - otherwise the sign is sign(a) xor sign(b), also for zeros and Inf; overflow rounds
//     to +-Inf, underflow to a signed zero.
//
// Pipeline: Latency enabled cycles from (a_i, b_i) to y_o; a new operand pair every cycle.
// en_i is a clock enable for every stage: with en_i = 0 the pipeline holds (y_o too).
// The four steps and the register cuts between them:
//   S0 unpack, pick the operand to normalise, count its leading zeros       -- cut 1
//   S1 normalise it (left shift), 24x24-bit significand product (2 DSP48E2
//      and a carry-select sum), exponent for both positions of the lead bit,
//      the right-shift amount                                               -- cut 2
//   S2 shift right (one-bit normalisation and denormalisation in one shift)  -- cut 3
//   S3 round to nearest even, pack, select special results                  -- output
//   Latency 0: combinational; 1: output register only; 2: cut 2 + output;
//   3: cuts 1, 2 + output; 4 (default, aimed at 300 MHz on UltraScale+): all cuts;
//   > 4: 4 plus Latency-4 extra output registers.
// Only one operand can need normalising: when both are subnormal the product is below
// 2^-252 and rounds to a signed zero whatever the significands. So the significand of b
// when b is subnormal (or zero), else a's, is shifted left to put its lead bit at 23
// before the multiply; the product of two normalised significands needs at most a one-bit
// shift, and only results below the normal range a larger right shift (of the 26 bits
// the rounding sees). Both subnormal: a's significand stays as it is, the exponent is far
// below the range and every bit goes into the sticky bit.
// Datapath registers have no reset; there is no control state.
`default_nettype none

module lp_fp32_mul #(
  parameter int Latency = 4  // cycles from operands to product, >= 0 (see above)
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic        en_i,   // clock enable for all pipeline stages
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,    // operand a (binary32)
  input  wire logic [31:0] b_i /*verilator public_flat_rd*/,    // operand b (binary32)
  output logic      [31:0] y_o     // a * b (binary32), Latency cycles later
);

  localparam int Cut1  = (Latency >= 3) ? 1 : 0;
  localparam int Cut2  = (Latency >= 2) ? 1 : 0;
  localparam int Cut3  = (Latency >= 4) ? 1 : 0;
  localparam int OutRg = (Latency >= 4) ? Latency - 3 : ((Latency >= 1) ? 1 : 0);

  // ---------------------------------------------------------------- S0: unpack, multiply
  logic        a_sign, b_sign, a_zero, b_zero, a_inf, b_inf, any_nan;
  logic [7:0]  a_exp, b_exp;
  logic [23:0] a_sig, b_sig;
  logic        nan_sign;
  logic [21:0] nan_pay;

  lp_fp32_operands u_ops (
    .a_i(a_i), .b_i(b_i),
    .a_sign_o(a_sign), .a_exp_o(a_exp), .a_sig_o(a_sig), .a_zero_o(a_zero), .a_inf_o(a_inf),
    .b_sign_o(b_sign), .b_exp_o(b_exp), .b_sig_o(b_sig), .b_zero_o(b_zero), .b_inf_o(b_inf),
    .nan_o(any_nan), .nan_sign_o(nan_sign), .nan_pay_o(nan_pay)
  );

  logic s0_sign;
  assign s0_sign = a_sign ^ b_sign;

  // special results (NaN, Inf), decided up front and carried down the pipe as
  // {sign, 8'hFF, quiet bit, payload}: a NaN's, the default NaN 0xFFC00000 for 0 * Inf,
  // else Inf with the product's sign (nan_pay is 0 when there is no NaN)
  logic s0_special, s0_invalid, s0_sp_sign, s0_sp_q;
  assign s0_special = any_nan | a_inf | b_inf;
  assign s0_invalid = (a_inf & b_zero) | (a_zero & b_inf);
  assign s0_sp_q    = any_nan | s0_invalid;
  assign s0_sp_sign = any_nan ? nan_sign : (s0_invalid | s0_sign);

  // u: the significand to normalise (b's when b is subnormal or zero, else a's), v: the
  // other one
  logic [23:0] s0_u, s0_v;
  logic [4:0]  s0_lz;
  logic signed [9:0] s0_exp;
  assign s0_u = b_sig[23] ? a_sig : b_sig;
  assign s0_v = b_sig[23] ? b_sig : a_sig;
  // lz = lzc(u), counted on both fractions beside the choice of u (a normal significand
  // has none, a subnormal's count is its fraction's plus one: lzc of {0, fraction})
  logic [4:0] s0_lza, s0_lzb;
  lp_fpu_lzc #(.Width(24), .CntWidth(5)) u_lzc_a (
    .in_i({1'b0, a_sig[22:0]}), .cnt_o(s0_lza)
  );
  lp_fpu_lzc #(.Width(24), .CntWidth(5)) u_lzc_b (
    .in_i({1'b0, b_sig[22:0]}), .cnt_o(s0_lzb)
  );
  assign s0_lz = b_sig[23] ? (a_sig[23] ? 5'd0 : s0_lza) : s0_lzb;
  // product = u * v * 2^(e - 127 - 46) with e = a_exp + b_exp - 127 (u before the shift)
  assign s0_exp = $signed({2'b00, a_exp}) + $signed({2'b00, b_exp}) - 10'sd127;

  localparam int C1W = 1+10+5+24+24+25;
  logic [C1W-1:0] c1_d, c1_q;
  assign c1_d = {s0_sign, s0_exp, s0_lz, s0_u, s0_v, s0_special, s0_sp_sign, s0_sp_q,
                 nan_pay};
  lp_fpu_delay #(.Width(C1W), .Depth(Cut1)) u_cut1 (
    .clk_i(clk_i), .en_i(en_i), .d_i(c1_d), .q_o(c1_q)
  );

  // ---------------------------------------------------------------- S1: multiply
  logic              s1_sign;
  logic signed [9:0] s1_exp;
  logic [4:0]        s1_lz;
  logic [23:0]       s1_u, s1_v;
  logic [24:0]       s1_sp;
  assign {s1_sign, s1_exp, s1_lz, s1_u, s1_v, s1_sp} = c1_q;

  // u << lz has its lead bit at 23 (0 for a zero operand: lz = 24); the product's lead
  // bit is then at 47 (biased exponent e0 + 1, e0 = e - lz) or 46 (e0), or lower only
  // when both operands were subnormal. Which of the two is known only from the product's
  // top bit, so the exponent is prepared for both here and chosen in S2 (the product's
  // top bit ends a carry chain). Below exponent 1 the value is denormalised: right by
  // 1 - exponent (clamped at 26: all bits then fall into the sticky bit) to exponent 1:
  // amount r0 with the lead bit at 46 (r0 - 1 with it at 47).
  logic [23:0]       s1_un;
  logic signed [9:0] s1_e0, s1_x0, s1_x1;
  logic [4:0]        s1_r0;
  assign s1_un   = s1_u << s1_lz;
  assign s1_e0   = s1_exp - $signed({5'd0, s1_lz});
  assign s1_x0   = (s1_e0 < 10'sd1) ? 10'sd1 : s1_e0;
  assign s1_x1   = (s1_e0 < 10'sd0) ? 10'sd1 : s1_e0 + 10'sd1;
  assign s1_r0   = (s1_e0 < -10'sd25) ? 5'd26 : ((s1_e0 < 10'sd1) ? 5'(10'sd1 - s1_e0) : 5'd0);

  // The 24x24 product as two DSP products, un * v[16:0] and un * v[23:17] (2^17 apart),
  // and their sum in LUTs with carry select: bits 16:0 are the first product's; bits 32:17
  // add its upper part to the second product's low bits; bits 47:33 are made twice (carry
  // in 0 and 1) and chosen by that carry, so no carry chain is longer than 17 bits.
  logic [40:0] s1_pl;
  logic [30:0] s1_ph;
  logic [16:0] s1_mid;    // {carry, bits 32:17}
  logic [14:0] s1_hi0;
  logic [15:0] s1_hi1;    // 2 (bits 47:33 + 1) as one chain: {a, 1} + {b, 1}
  logic [47:0] s1_prod;
  assign s1_pl   = s1_un * s1_v[16:0];
  assign s1_ph   = s1_un * s1_v[23:17];
  assign s1_mid  = {1'b0, s1_pl[32:17]} + {1'b0, s1_ph[15:0]};
  assign s1_hi0  = {7'd0, s1_pl[40:33]} + s1_ph[30:16];
  assign s1_hi1  = {7'd0, s1_pl[40:33], 1'b1} + {s1_ph[30:16], 1'b1};
  assign s1_prod = {s1_mid[16] ? s1_hi1[15:1] : s1_hi0, s1_mid[15:0], s1_pl[16:0]};
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_hi1;
  assign unused_hi1 = s1_hi1[0];  // 0
  /* verilator lint_on UNUSEDSIGNAL */

  // The product's bits 47:22 and the sticky bit of those below (w) go to S2 with the
  // exponent for both positions of the lead bit and the amount of S2's right shift: the
  // denormalising amount r0 when r0 >= 1, else the product's top bit (see S2)
  logic [26:0] s1_w;
  logic [4:0]  s1_r;
  assign s1_w = {s1_prod[47:22], |s1_prod[21:0]};
  assign s1_r = (s1_r0 != 5'd0) ? s1_r0 : {4'd0, s1_prod[47]};

  localparam int C2W = 1+27+10+10+5+25;
  logic [C2W-1:0] c2_d, c2_q;
  assign c2_d = {s1_sign, s1_w, s1_x0, s1_x1, s1_r, s1_sp};
  lp_fpu_delay #(.Width(C2W), .Depth(Cut2)) u_cut2 (
    .clk_i(clk_i), .en_i(en_i), .d_i(c2_d), .q_o(c2_q)
  );

  // ---------------------------------------------------------------- S2: denormalise
  // {lead, frac[22:0], round, sticky}: w's low 26 bits shifted right by one when the
  // product's top bit p47 (= w[26]) is set (the one-bit normalisation), then right by
  // r1 = r0 - 1 to denormalise (r0 >= 1; r0 = r1 = 26 leave only the sticky bit either
  // way); when p47 is clear, right by r0. So one right shift of w by r0 when r0 >= 1,
  // else by p47, with the bits shifted out ORed into the sticky bit (w's top bit is 0
  // after it: the amount is 0 only when p47 is 0). One shifter with its amount from a
  // register: choosing the input or the amount here instead costs depth and LUTs.
  logic              s2_sign, s2_p47;
  logic [26:0]       s2_w, s2_wr;
  logic [25:0]       s2_sig;
  logic signed [9:0] s2_x0, s2_x1, s2_res_exp;
  logic [4:0]        s2_r;
  logic [24:0]       s2_sp;
  logic              s2_out;
  assign {s2_sign, s2_w, s2_x0, s2_x1, s2_r, s2_sp} = c2_q;
  assign s2_p47     = s2_w[26];
  assign s2_res_exp = s2_p47 ? s2_x1 : s2_x0;

  lp_fpu_rsh #(.Width(27), .AmtWidth(5)) u_rsh (
    .in_i(s2_w), .amt_i(s2_r), .y_o(s2_wr), .sticky_o(s2_out)
  );
  assign s2_sig = {s2_wr[25:1], s2_wr[0] | s2_out};
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_top;
  assign unused_top = s2_wr[26];  // 0 (see above)
  /* verilator lint_on UNUSEDSIGNAL */

  localparam int C3W = 1+10+26+25;
  logic [C3W-1:0] c3_d, c3_q;
  assign c3_d = {s2_sign, s2_res_exp, s2_sig, s2_sp};
  lp_fpu_delay #(.Width(C3W), .Depth(Cut3)) u_cut3 (
    .clk_i(clk_i), .en_i(en_i), .d_i(c3_d), .q_o(c3_q)
  );

  // ---------------------------------------------------------------- S3: round, pack
  logic              s3_sign, s3_special, s3_sp_sign, s3_sp_q;
  logic signed [9:0] s3_exp;
  logic [25:0]       s3_sig;
  logic [21:0]       s3_sp_pay;
  logic [31:0]       s3_rounded, s3_y;
  assign {s3_sign, s3_exp, s3_sig, s3_special, s3_sp_sign, s3_sp_q, s3_sp_pay} = c3_q;

  lp_fp32_round_pack #(.CarrySelect(1)) u_round (
    .sign_i(s3_sign), .exp_i(s3_exp), .sig_i(s3_sig), .y_o(s3_rounded)
  );
  assign s3_y = s3_special ? {s3_sp_sign, 8'hFF, s3_sp_q, s3_sp_pay} : s3_rounded;

  lp_fpu_delay #(.Width(32), .Depth(OutRg)) u_out (
    .clk_i(clk_i), .en_i(en_i), .d_i(s3_y), .q_o(y_o)
  );

endmodule

`default_nettype wire
