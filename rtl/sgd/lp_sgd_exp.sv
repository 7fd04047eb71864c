// lp_sgd_exp - the FP32 exp sequence of hls/sgd/lp_sgd_math.c lp_exp_f32, fully pipelined
// (a new x every cycle), the C operations in the C order with the C operand order:
//   NaN -> x;  x <= -87 -> +0;  x > 88 -> x = 88
//   t = x * LOG2E + 0x1.8p23;  kf = t - 0x1.8p23;  n = bits(t) - bits(0x1.8p23)
//   r = (x - kf * LN2_HI) - kf * LN2_LO
//   p = 1/720;  p = c + r * p  for c = 1/120, 1/24, 1/6, 0.5, 1, 1   (the C constants'
//   FP32 bits);  result = p * 2^n
// Latency = 9 * MulLatency + 10 * AddLatency cycles.
// Datapath only: no reset, no control state (the caller carries valid beside it).
`default_nettype none

module lp_sgd_exp #(
  parameter int MulLatency = 4,  // latency of lp_fp32_mul
  parameter int AddLatency = 3   // latency of lp_fp32_add
) (
  input  wire logic        clk_i,  // clock, rising edge
  input  wire logic [31:0] x_i,    // x (binary32)
  output logic      [31:0] y_o     // lp_exp_f32(x), Latency cycles later
);

  localparam int M = MulLatency;
  localparam int A = AddLatency;

  localparam logic [31:0] Log2e   = 32'h3FB8_AA3B;
  localparam logic [31:0] Shifter = 32'h4B40_0000;
  localparam logic [31:0] Ln2Hi   = 32'h3F31_7200;
  localparam logic [31:0] Ln2Lo   = 32'h35BF_BE8E;
  localparam logic [31:0] C720    = 32'h3AB6_0B61;
  // Horner coefficient i at 32*i (packed: Yosys 0.23 reads no unpacked-array parameters)
  localparam logic [6*32-1:0] Coef = {32'h3F80_0000, 32'h3F80_0000, 32'h3F00_0000, 32'h3E2A_AAAB,
                                      32'h3D2A_AAAB, 32'h3C08_8889};

  // ------------------------------------------------------------------ specials, clamp
  logic [3:0]  c_lo, c_hi;
  logic        is_nan, is_low;
  logic [31:0] xc;
  lp_fp32_cmp #(.Latency(0)) u_clo (.clk_i(clk_i), .en_i(1'b1), .a_i(x_i), .b_i(32'hC2AE_0000), .y_o(c_lo));
  lp_fp32_cmp #(.Latency(0)) u_chi (.clk_i(clk_i), .en_i(1'b1), .a_i(x_i), .b_i(32'h42B0_0000), .y_o(c_hi));
  assign is_nan = c_lo[3];
  assign is_low = c_lo[0] | c_lo[1];
  assign xc     = c_hi[2] ? 32'h42B0_0000 : x_i;

  // ------------------------------------------------------------------ t, kf, n
  logic [31:0] t1, t, kf, n_bits, xc_r;
  lp_fp32_mul #(.Latency(M)) u_t1 (.clk_i(clk_i), .en_i(1'b1), .a_i(xc), .b_i(Log2e), .y_o(t1));
  lp_fp32_add #(.Latency(A)) u_t (.clk_i(clk_i), .en_i(1'b1), .a_i(t1), .b_i(Shifter), .y_o(t));
  lp_fp32_sub #(.Latency(A)) u_kf (.clk_i(clk_i), .en_i(1'b1), .a_i(t), .b_i(Shifter), .y_o(kf));
  // n = bits(t) - bits(shifter), delayed to meet kf
  lp_fpu_delay #(.Width(32), .Depth(A)) u_nd (.clk_i(clk_i), .en_i(1'b1), .d_i(t - Shifter), .q_o(n_bits));
  lp_fpu_delay #(.Width(32), .Depth(M + 2 * A)) u_xd (.clk_i(clk_i), .en_i(1'b1), .d_i(xc), .q_o(xc_r));

  // ------------------------------------------------------------------ r (kf ready at M + 2A)
  logic [31:0] k1, k2, k2_d, r1, r;
  lp_fp32_mul #(.Latency(M)) u_k1 (.clk_i(clk_i), .en_i(1'b1), .a_i(kf), .b_i(Ln2Hi), .y_o(k1));
  lp_fp32_mul #(.Latency(M)) u_k2 (.clk_i(clk_i), .en_i(1'b1), .a_i(kf), .b_i(Ln2Lo), .y_o(k2));
  logic [31:0] xc_k;
  lp_fpu_delay #(.Width(32), .Depth(M)) u_xk (.clk_i(clk_i), .en_i(1'b1), .d_i(xc_r), .q_o(xc_k));
  lp_fp32_sub #(.Latency(A)) u_r1 (.clk_i(clk_i), .en_i(1'b1), .a_i(xc_k), .b_i(k1), .y_o(r1));
  lp_fpu_delay #(.Width(32), .Depth(A)) u_k2d (.clk_i(clk_i), .en_i(1'b1), .d_i(k2), .q_o(k2_d));
  lp_fp32_sub #(.Latency(A)) u_r (.clk_i(clk_i), .en_i(1'b1), .a_i(r1), .b_i(k2_d), .y_o(r));
  // r ready at 2M + 4A; n must wait there too
  logic [31:0] n_r;
  lp_fpu_delay #(.Width(32), .Depth(M + 2 * A)) u_nr (.clk_i(clk_i), .en_i(1'b1), .d_i(n_bits), .q_o(n_r));

  // ------------------------------------------------------------------ Horner, 6 steps
  logic [31:0] p [7];
  logic [31:0] rr [7];
  logic [31:0] nn [7];
  assign p[0]  = C720;
  assign rr[0] = r;
  assign nn[0] = n_r;
  for (genvar i = 0; i < 6; i++) begin : g_h
    logic [31:0] prod;
    lp_fp32_mul #(.Latency(M)) u_m (.clk_i(clk_i), .en_i(1'b1), .a_i(rr[i]), .b_i(p[i]), .y_o(prod));
    lp_fp32_add #(.Latency(A)) u_a (.clk_i(clk_i), .en_i(1'b1), .a_i(Coef[32*i +: 32]), .b_i(prod), .y_o(p[i+1]));
    lp_fpu_delay #(.Width(32), .Depth(M + A)) u_rd (.clk_i(clk_i), .en_i(1'b1), .d_i(rr[i]), .q_o(rr[i+1]));
    lp_fpu_delay #(.Width(32), .Depth(M + A)) u_nd (.clk_i(clk_i), .en_i(1'b1), .d_i(nn[i]), .q_o(nn[i+1]));
  end

  // ------------------------------------------------------------------ p * 2^n, specials
  logic [31:0] scale, res, x_d;
  logic [1:0]  sp_d;
  assign scale = (nn[6] + 32'd127) << 23;
  lp_fp32_mul #(.Latency(M)) u_s (.clk_i(clk_i), .en_i(1'b1), .a_i(p[6]), .b_i(scale), .y_o(res));
  // two chains (an lp_fpu_delay stays within Verilator's loop unrolling limit)
  logic [33:0] sp_h;
  lp_fpu_delay #(.Width(34), .Depth(9 * M)) u_sp0 (
    .clk_i(clk_i), .en_i(1'b1), .d_i({is_nan, is_low, x_i}), .q_o(sp_h)
  );
  lp_fpu_delay #(.Width(34), .Depth(10 * A)) u_sp1 (
    .clk_i(clk_i), .en_i(1'b1), .d_i(sp_h), .q_o({sp_d, x_d})
  );
  assign y_o = sp_d[1] ? x_d : (sp_d[0] ? 32'h0 : res);

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_cmp;
  assign unused_cmp = ^{c_lo[2], c_hi[3], c_hi[1:0], rr[6]};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
