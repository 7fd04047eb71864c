// lp_fp32_div - pipelined IEEE 754 binary32 divider: y = a / b, correctly rounded.
//
// Behaviour (bit for bit the C expression a / b on x86-64 SSE, gcc -ffp-contract=off):
//   - round to nearest, ties to even; subnormal inputs and outputs in full (no flush);
//   - a NaN operand propagates quieted (bit 22 set), payload and sign kept; when both are
//     NaN, a's NaN wins (SSE: the first source operand);
//   - 0 / 0 and Inf / Inf are invalid: the x86 default NaN 0xFFC00000;
//   - x / 0 (x finite, nonzero) and Inf / x = Inf, 0 / x and x / Inf = 0, all with sign
//     sign(a) xor sign(b); overflow rounds to +-Inf, underflow to a subnormal or zero.
//
// Method: restoring division, one quotient bit per step, fully unrolled so a new operand
// pair enters every cycle (initiation interval 1). Subnormal significands are normalised
// first; 26 steps give the quotient of two [1,2) significands to 26 bits (its leading bit
// is 0 when a's significand is the smaller), from which the 24-bit significand, the round
// bit and the sticky bit (remainder != 0) are taken; a result below the normal range is
// shifted right (sticky) before rounding.
//
// Pipeline: Latency enabled cycles from (a_i, b_i) to y_o; en_i is a clock enable for
// every stage (en_i = 0 holds the pipeline, y_o too). The register cuts:
//   S0 unpack, classify, normalise subnormal significands            -- cut N (Latency >= 2)
//   26 division steps, a register after every Per steps              -- Latency >= 3
//   final: select the 25 quotient bits, denormalise, round, pack     -- output register(s)
//   Latency 0: combinational; 1: output register only; 2: cut N + output;
//   >= 3: Per = ceil(26 / (Latency - 2)) steps per stage, remaining cycles as output
//   registers. Default 28: one step (a 25-bit compare-subtract) per stage, aimed at
//   300 MHz on UltraScale+; 15 (two steps per stage) halves the registers.
// Datapath registers have no reset; there is no control state.
`default_nettype none

module lp_fp32_div #(
  parameter int Latency = 28  // cycles from operands to quotient, >= 0 (see above)
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic        en_i,   // clock enable for all pipeline stages
  input  wire logic [31:0] a_i /*verilator public_flat_rd*/,    // dividend a (binary32)
  input  wire logic [31:0] b_i /*verilator public_flat_rd*/,    // divisor b (binary32)
  output logic      [31:0] y_o     // a / b (binary32), Latency cycles later
);

  localparam int NSteps = 26;
  localparam int Per    = (Latency >= 3) ? (NSteps + Latency - 3) / (Latency - 2) : NSteps;
  localparam int NRegs  = (Latency >= 3) ? (NSteps + Per - 1) / Per : 0;
  localparam int CutN   = (Latency >= 2) ? 1 : 0;
  localparam int OutRg  = (Latency >= 3) ? Latency - 1 - NRegs : ((Latency >= 1) ? 1 : 0);

  // ---------------------------------------------------------------- S0: unpack, normalise
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

  // special results decided up front and carried down the pipe
  logic        s0_special;
  logic [31:0] s0_special_val;
  always_comb begin
    s0_special     = 1'b1;
    s0_special_val = 32'd0;
    if (any_nan) begin
      s0_special_val = {nan_sign, 9'h1FF, nan_pay};
    end else if ((a_zero & b_zero) | (a_inf & b_inf)) begin
      s0_special_val = 32'hFFC0_0000;
    end else if (a_inf | b_zero) begin
      s0_special_val = {s0_sign, 8'hFF, 23'd0};
    end else if (a_zero | b_inf) begin
      s0_special_val = {s0_sign, 31'd0};
    end else begin
      s0_special = 1'b0;
    end
  end

  // normalise subnormal significands to [1, 2): sig << lz, exponent - lz
  logic [4:0]  a_lz, b_lz;
  lp_fpu_lzc #(.Width(24), .CntWidth(5)) u_lzc_a (.in_i(a_sig), .cnt_o(a_lz));
  lp_fpu_lzc #(.Width(24), .CntWidth(5)) u_lzc_b (.in_i(b_sig), .cnt_o(b_lz));

  logic [23:0]       s0_a_norm, s0_b_norm;
  logic signed [9:0] s0_exp;
  assign s0_a_norm = a_sig << a_lz;
  assign s0_b_norm = b_sig << b_lz;
  // biased exponent of the quotient when its leading bit is 1 (adjusted at the end)
  assign s0_exp = $signed({2'b00, a_exp}) - $signed({5'd0, a_lz})
                - $signed({2'b00, b_exp}) + $signed({5'd0, b_lz}) + 10'sd127;

  // the bus every step passes on: sign, exponent, remainder, quotient bits, divisor,
  // special flag and value
  localparam int BusW = 1 + 10 + 25 + NSteps + 24 + 1 + 32;

  logic [BusW-1:0] cn_d, cn_q;
  assign cn_d = {s0_sign, s0_exp, {1'b0, s0_a_norm}, {NSteps{1'b0}}, s0_b_norm, s0_special,
                 s0_special_val};
  lp_fpu_delay #(.Width(BusW), .Depth(CutN)) u_cutn (
    .clk_i(clk_i), .en_i(en_i), .d_i(cn_d), .q_o(cn_q)
  );

  // ---------------------------------------------------------------- division steps
  // remainder r < 2 * divisor throughout; step: q = r >= d; r = (q ? r - d : r) << 1
  logic [BusW-1:0] step_in [NSteps];
  logic [BusW-1:0] step_out [NSteps];

  for (genvar i = 0; i < NSteps; i++) begin : g_step
    localparam int Depth = (Latency >= 3 && (((i + 1) % Per == 0) || i == NSteps - 1)) ? 1 : 0;

    logic              sign, special;
    logic signed [9:0] exp;
    logic [24:0]       rem, rem_next;
    logic [NSteps-1:0] quo;
    logic [23:0]       div;
    logic [31:0]       special_val;
    logic              ge;
    logic [25:0]       diff;

    if (i == 0) begin : g_first
      assign step_in[i] = cn_q;
    end else begin : g_next
      assign step_in[i] = step_out[i-1];
    end

    assign {sign, exp, rem, quo, div, special, special_val} = step_in[i];
    assign diff     = {1'b0, rem} - {2'b00, div};
    assign ge       = ~diff[25];
    assign rem_next = ge ? {diff[23:0], 1'b0} : {rem[23:0], 1'b0};
    // r - d < d < 2^24 when r >= d, and quo's top bit is still an initial zero: both drop
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_top;
    assign unused_top = diff[24] ^ quo[NSteps-1];
    /* verilator lint_on UNUSEDSIGNAL */

    logic [BusW-1:0] d;
    assign d = {sign, exp, rem_next, quo[NSteps-2:0], ge, div, special, special_val};
    lp_fpu_delay #(.Width(BusW), .Depth(Depth)) u_stage (
      .clk_i(clk_i), .en_i(en_i), .d_i(d), .q_o(step_out[i])
    );
  end

  // ---------------------------------------------------------------- final: round, pack
  logic              f_sign, f_special;
  logic signed [9:0] f_exp;
  logic [24:0]       f_rem;
  logic [NSteps-1:0] f_quo;
  logic [23:0]       f_div;
  logic [31:0]       f_special_val;
  assign {f_sign, f_exp, f_rem, f_quo, f_div, f_special, f_special_val} = step_out[NSteps-1];

  // the divisor is no longer needed
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_div;
  assign unused_div = ^f_div;
  /* verilator lint_on UNUSEDSIGNAL */

  // 25 quotient bits {lead, frac[22:0], round} and the sticky bit
  logic [24:0]       f_q25;
  logic              f_sticky;
  logic signed [9:0] f_res_exp;
  assign f_q25     = f_quo[25] ? f_quo[25:1] : f_quo[24:0];
  assign f_sticky  = (f_quo[25] & f_quo[0]) | (f_rem != 25'd0);
  assign f_res_exp = f_quo[25] ? f_exp : f_exp - 10'sd1;

  // below the normal range: shift right to exponent 1 (at most 26: all bits to sticky)
  logic [5:0]        f_rshift;
  logic [50:0]       f_wide;
  logic [25:0]       f_sig;
  logic signed [9:0] f_out_exp;
  always_comb begin
    if (f_res_exp < 10'sd1) begin
      f_rshift  = (f_res_exp < -10'sd24) ? 6'd26 : 6'(10'sd1 - f_res_exp);
      f_out_exp = 10'sd1;
    end else begin
      f_rshift  = 6'd0;
      f_out_exp = f_res_exp;
    end
  end
  assign f_wide = {f_q25, 26'd0} >> f_rshift;
  assign f_sig  = {f_wide[50:26], (|f_wide[25:0]) | f_sticky};

  logic [31:0] f_rounded, f_y;
  lp_fp32_round_pack u_round (
    .sign_i(f_sign), .exp_i(f_out_exp), .sig_i(f_sig), .y_o(f_rounded)
  );
  assign f_y = f_special ? f_special_val : f_rounded;

  lp_fpu_delay #(.Width(32), .Depth(OutRg)) u_out (
    .clk_i(clk_i), .en_i(en_i), .d_i(f_y), .q_o(y_o)
  );

endmodule

`default_nettype wire
