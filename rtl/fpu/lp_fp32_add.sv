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
//   S2 normalise (left shift, or right by one on carry out)                  -- cut 3
//   S3 round to nearest even, pack, select special results                   -- output
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
  input  wire logic [31:0] a_i,    // operand a (binary32)
  input  wire logic [31:0] b_i,    // operand b (binary32)
  output logic      [31:0] y_o     // a + b (binary32), Latency cycles later
);

  localparam int Cut1  = (Latency >= 3) ? 1 : 0;
  localparam int Cut2  = (Latency >= 2) ? 1 : 0;
  localparam int Cut3  = (Latency >= 4) ? 1 : 0;
  localparam int OutRg = (Latency >= 4) ? Latency - 3 : ((Latency >= 1) ? 1 : 0);

  // ---------------------------------------------------------------- S0: unpack, align
  logic        a_sign, b_sign, a_zero, b_zero, a_inf, b_inf, any_nan;
  logic [7:0]  a_exp, b_exp;
  logic [23:0] a_sig, b_sig;
  logic [31:0] nan_val;

  lp_fp32_operands u_ops (
    .a_i(a_i), .b_i(b_i),
    .a_sign_o(a_sign), .a_exp_o(a_exp), .a_sig_o(a_sig), .a_zero_o(a_zero), .a_inf_o(a_inf),
    .b_sign_o(b_sign), .b_exp_o(b_exp), .b_sig_o(b_sig), .b_zero_o(b_zero), .b_inf_o(b_inf),
    .nan_o(any_nan), .nan_val_o(nan_val)
  );
  // zeros need no special case in the adder (exact zero sums are signed in S1)
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_zero;
  assign unused_zero = a_zero ^ b_zero;
  /* verilator lint_on UNUSEDSIGNAL */

  // special results (NaN, Inf) decided up front and carried down the pipe
  logic        s0_special;
  logic [31:0] s0_special_val;
  always_comb begin
    s0_special     = 1'b1;
    s0_special_val = 32'd0;
    if (any_nan) begin
      s0_special_val = nan_val;
    end else if (a_inf & b_inf & (a_sign ^ b_sign)) begin
      s0_special_val = 32'hFFC0_0000;
    end else if (a_inf) begin
      s0_special_val = a_i;
    end else if (b_inf) begin
      s0_special_val = b_i;
    end else begin
      s0_special = 1'b0;
    end
  end

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
  // bit, as any larger difference would). The shift is a multiply (a DSP48E2): y_sig times
  // the one-hot 2^(15 - d[3:0]) is y_sig shifted right by d[3:0] with 15 bits below the
  // point, exact; d[4] (a further 16 right) is a 2:1 choice of the product's bits after it.
  //   Y = y_sig * 2^(26 - d) = al_p * 2^(11 - 16 d[4]); y_ext = {Y[49:24], |Y[23:0]}
  logic [26:0] x_ext, y_ext;
  logic [4:0]  al_d;
  logic [15:0] al_hot;
  logic [38:0] al_p;
  logic        y_sticky;
  assign x_ext    = {x_sig, 3'b000};
  assign al_d     = (exp_diff >= 8'd26) ? 5'd26 : exp_diff[4:0];
  assign al_hot   = 16'h8000 >> al_d[3:0];
  assign al_p     = y_sig * al_hot;
  assign y_sticky = (|al_p[12:0]) | (al_d[4] & (|al_p[28:13]));
  assign y_ext    = {al_d[4] ? {16'd0, al_p[38:29]} : al_p[38:13], y_sticky};

  logic        s0_eff_sub, s0_zero_sign;
  assign s0_eff_sub   = x_sign ^ y_sign;
  // sign of an exact zero sum: -0 only for -0 + -0 (round to nearest)
  assign s0_zero_sign = a_sign & b_sign;

  localparam int C1W = 1+1+1+8+27+27+1+32;
  logic [C1W-1:0] c1_d, c1_q;
  assign c1_d = {s0_eff_sub, s0_zero_sign, x_sign, x_exp, x_ext, y_ext, s0_special,
                 s0_special_val};
  lp_fpu_delay #(.Width(C1W), .Depth(Cut1)) u_cut1 (
    .clk_i(clk_i), .en_i(en_i), .d_i(c1_d), .q_o(c1_q)
  );

  // ---------------------------------------------------------------- S1: add, count zeros
  logic        s1_eff_sub, s1_zero_sign, s1_sign, s1_special;
  logic [7:0]  s1_exp;
  logic [26:0] s1_x, s1_y;
  logic [31:0] s1_special_val;
  assign {s1_eff_sub, s1_zero_sign, s1_sign, s1_exp, s1_x, s1_y, s1_special,
          s1_special_val} = c1_q;

  logic [27:0] s1_sum;
  logic [4:0]  s1_lz;
  logic        s1_res_sign;
  assign s1_sum      = s1_eff_sub ? ({1'b0, s1_x} - {1'b0, s1_y})
                                  : ({1'b0, s1_x} + {1'b0, s1_y});
  assign s1_res_sign = (s1_sum == 28'd0) ? s1_zero_sign : s1_sign;

  lp_fpu_lzc #(.Width(27), .CntWidth(5)) u_lzc (
    .in_i(s1_sum[26:0]), .cnt_o(s1_lz)
  );

  localparam int C2W = 1+8+28+5+1+32;
  logic [C2W-1:0] c2_d, c2_q;
  assign c2_d = {s1_res_sign, s1_exp, s1_sum, s1_lz, s1_special, s1_special_val};
  lp_fpu_delay #(.Width(C2W), .Depth(Cut2)) u_cut2 (
    .clk_i(clk_i), .en_i(en_i), .d_i(c2_d), .q_o(c2_q)
  );

  // ---------------------------------------------------------------- S2: normalise
  logic        s2_sign, s2_special;
  logic [7:0]  s2_exp;
  logic [27:0] s2_sum;
  logic [4:0]  s2_lz;
  logic [31:0] s2_special_val;
  assign {s2_sign, s2_exp, s2_sum, s2_lz, s2_special, s2_special_val} = c2_q;

  // left shift by min(lz, exp - 1): never below exponent 1, so a subnormal result is
  // left denormalised (and exact: cancellation only happens when nothing was shifted out).
  // The shift is a multiply (a DSP48E2) of 26 bits by the one-hot 2^shift[3:0], after a
  // 2:1 choice for shift[4] (16 more, the low bits moved up). The sum's bit 0 is left out
  // of the product: a shift >= 2 only happens when y was shifted by <= 1, so bits 1:0 are
  // then 0, and for shifts 0 and 1 bit 0 lands in the sticky position; it is ORed there.
  // On carry out the sum goes right by one: the top 26 bits, multiplied by 1.
  logic [7:0]        s2_lmax, s2_shift;
  logic [3:0]        s2_fine;
  logic [15:0]       s2_hot;
  logic [25:0]       s2_t;
  logic [25:0]       s2_w;
  logic              s2_low;
  logic signed [9:0] s2_res_exp;
  assign s2_lmax  = s2_exp - 8'd1;
  assign s2_shift = ({3'd0, s2_lz} < s2_lmax) ? {3'd0, s2_lz} : s2_lmax;
  always_comb begin
    if (s2_sum[27]) begin
      s2_t       = s2_sum[27:2];
      s2_fine    = 4'd0;
      s2_low     = s2_sum[1] | s2_sum[0];
      s2_res_exp = $signed({2'b00, s2_exp}) + 10'sd1;
    end else begin
      s2_t       = s2_shift[4] ? {s2_sum[10:1], 16'd0} : s2_sum[26:1];
      s2_fine    = s2_shift[3:0];
      s2_low     = s2_sum[0];
      s2_res_exp = $signed({2'b00, s2_exp}) - $signed({2'b00, s2_shift});
    end
  end
  assign s2_hot = 16'd1 << s2_fine;
  assign s2_w   = s2_t * s2_hot;  // the low 26 bits of the 42-bit product

  logic [25:0] s2_sig;
  assign s2_sig = {s2_w[25:1], s2_w[0] | s2_low};

  localparam int C3W = 1+10+26+1+32;
  logic [C3W-1:0] c3_d, c3_q;
  assign c3_d = {s2_sign, s2_res_exp, s2_sig, s2_special, s2_special_val};
  lp_fpu_delay #(.Width(C3W), .Depth(Cut3)) u_cut3 (
    .clk_i(clk_i), .en_i(en_i), .d_i(c3_d), .q_o(c3_q)
  );

  // ---------------------------------------------------------------- S3: round, pack
  logic              s3_sign, s3_special;
  logic signed [9:0] s3_exp;
  logic [25:0]       s3_sig;
  logic [31:0]       s3_special_val, s3_rounded, s3_y;
  assign {s3_sign, s3_exp, s3_sig, s3_special, s3_special_val} = c3_q;

  lp_fp32_round_pack u_round (
    .sign_i(s3_sign), .exp_i(s3_exp), .sig_i(s3_sig), .y_o(s3_rounded)
  );
  assign s3_y = s3_special ? s3_special_val : s3_rounded;

  lp_fpu_delay #(.Width(32), .Depth(OutRg)) u_out (
    .clk_i(clk_i), .en_i(en_i), .d_i(s3_y), .q_o(y_o)
  );

endmodule

`default_nettype wire
