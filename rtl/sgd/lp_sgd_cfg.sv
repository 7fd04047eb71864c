// lp_sgd_cfg - the configuration unit of the SGD kernel: hls/sgd/lp_sgd.c lp_sgd_check_cfg
// and hls/format/lp_format.c lp_format_derive in hardware, plus the quantizer's register
// words (docs/rtl.md register map, what sim/quant lp_vq_configure writes).
//
// ok_o = 1 exactly when lp_sgd_check_cfg returns LP_SGD_OK: magic and version; model < 4;
// K = 1, or 2..16 for softmax; D a nonzero multiple of 16, D <= 8192, K*D <= 16384;
// 1 <= B <= 65536; a known schedule, period >= 1 for halving; the format (cfg words 12..14,
// lp_sgd_cfg_format) accepted by lp_format_derive; rounding <= 2, overflow <= 1,
// subnormals <= 1, scale <= 2 (cfg word 15). The C checks in order and stops at the
// first failure; the conjunction of all checks is the same verdict (each check is only
// evaluated by C on the fields the earlier checks bounded, e.g. K*D with K <= 16).
//
// The format derivation (lp_format_derive, step for step):
//   fixed W.F (kind 1): 2 <= W <= 24, F <= 149; man = W-1, code_bits = W, emin = W-1-F,
//     bias = F, max_kq = 2^(W-1)-1, emax = msb(max_kq) - F, max_bits = pack(max_kq, -F),
//     neg_bits = pack(2^(W-1), -F), max_code = max_kq; no Inf, no NaN.
//   float eXmY (kind 0): 1 <= E <= 8, M <= 23, specials <= 2, FN needs M >= 1;
//     emin = 1 - bias; topfield = 2^E - 2 (IEEE) or 2^E - 1; topman = 2^M - 2 (FN) or 2^M - 1;
//     topfield = 0 (e1 IEEE): M >= 1, max_kq = 2^M - 1, emax = emin - M + msb(max_kq),
//       max_code = max_kq, range emin - M >= -149 and emin - M + 24 <= 128,
//       max_bits = pack(max_kq, emin - M);
//     else: max_kq = 2^M | topman, emax = topfield - bias, max_code = topfield << M | topman,
//       range emin - M >= -149 and emax <= 127, max_bits = pack(max_kq, emax - M);
//     neg_bits = max_bits; inf_code = (2^E-1) << M (IEEE); nan_code = (2^E-1) << M |
//     (2^M - 1) (FN) or | 2^(M-1) (IEEE, M >= 1).
// (lp_msb and lp_f32_pack of rtl/quant are the C's lp_msb32 and lp_f32_pack.)
//
// qreg_o word a at bits 32*a: 0 FORMAT, 1 EXP, 2 BIAS, 3 MAX_KQ, 4 MAX_BITS, 5 NEG_BITS,
// 6 MAX_CODE, 7 INF_CODE, 8 NAN_CODE, 9 OPTIONS (from cfg word 15), 10 SEED (cfg word 16),
// 11 STEP and 12 SCALE_K zero (the kernel writes those per step). Meaningful when ok_o.
//
// Timing: start_i in cycle t samples cfg_i; done_o pulses in cycle t + 3, when ok_o,
// qreg_o and the plain fields hold this cfg's values; they stay until the next start_i
// (the plain fields change from cycle t' + 1 of the next start t', ok_o and qreg_o at
// t' + 3). Pipeline: cycle t+1 checks and derives, t+2 packs (lp_f32_pack) and assembles.
// Reset: synchronous, active high; clears the valid pipe (done_o) only.
`default_nettype none

module lp_sgd_cfg (
  input  wire logic             clk_i,         // clock, rising edge
  input  wire logic             rst_i,         // synchronous reset, active high
  input  wire logic             start_i,       // pulse: check and decode cfg_i
  input  wire logic [17*32-1:0] cfg_i,         // cfg words 0..16, word w at bits 32*w
  output logic                  done_o,        // pulse: the outputs hold this cfg's values
  output logic                  ok_o,          // lp_sgd_check_cfg == LP_SGD_OK
  output logic      [1:0]       model_o,       // LP_MODEL_*
  output logic      [4:0]       nclass_o,      // K
  output logic      [9:0]       nbeats_o,      // D / 16
  output logic      [16:0]      batch_o,       // B
  output logic      [1:0]       sched_o,       // LP_SCHED_*
  output logic      [31:0]      lr_o,          // lr (FP32)
  output logic      [31:0]      gamma_o,       // gamma (FP32)
  output logic      [31:0]      period_o,      // halving period
  output logic      [31:0]      lambda_o,      // L2 weight (FP32)
  output logic                  compensate_o,  // LP_CFG_COMPENSATE
  output logic      [13*32-1:0] qreg_o         // quantizer register words 0..12
);

  localparam logic [31:0] CfgMagic   = 32'h4C50_5347;  // LP_SGD_CFG_MAGIC "LPSG"
  localparam logic [31:0] CfgVersion = 32'd1;          // LP_SGD_CFG_VERSION

  // ------------------------------------------------------------------ cycle t: sample
  logic [31:0] cw_q [17];  // the sampled cfg words (datapath: no reset)
  logic        s1_q, s2_q, done_q;

  always_ff @(posedge clk_i) begin
    if (start_i) begin
      for (int i = 0; i < 17; i++) begin
        cw_q[i] <= cfg_i[32*i +: 32];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      s1_q   <= 1'b0;
      s2_q   <= 1'b0;
      done_q <= 1'b0;
    end else begin
      s1_q   <= start_i;
      s2_q   <= s1_q;
      done_q <= s2_q;
    end
  end

  // ------------------------------------------------------------------ cycle t+1: checks
  logic        magic_ok, model_ok, k_ok, d_ok, b_ok, sched_ok, qopt_ok;
  logic [18:0] kd;  // K * D (exact when K <= 16 and D <= 8192, the only case it decides)

  assign kd       = 19'(cw_q[3][4:0]) * 19'(cw_q[4][13:0]);
  assign magic_ok = (cw_q[0] == CfgMagic) && (cw_q[1] == CfgVersion);
  assign model_ok = cw_q[2] < 32'd4;
  assign k_ok     = (cw_q[2] == 32'd2) ? (cw_q[3] >= 32'd2 && cw_q[3] <= 32'd16) : (cw_q[3] == 32'd1);
  assign d_ok     = (cw_q[4] != 32'd0) && (cw_q[4][3:0] == 4'd0) && (cw_q[4] <= 32'd8192) && (kd <= 19'd16384);
  assign b_ok     = (cw_q[5] != 32'd0) && (cw_q[5] <= 32'd65536);
  assign sched_ok = (cw_q[6] < 32'd3) && !(cw_q[6] == 32'd2 && cw_q[9] == 32'd0);
  assign qopt_ok  = (cw_q[15][7:0] <= 8'd2) && (cw_q[15][15:8] <= 8'd1) && (cw_q[15][23:16] <= 8'd1) &&
                    (cw_q[15][31:24] <= 8'd2);

  // the format words (lp_sgd_cfg_format)
  logic [7:0]         f_kind, f_e, f_m, f_sp, f_w, f_f;
  logic signed [17:0] f_b;
  assign f_kind = cw_q[12][7:0];
  assign f_e    = cw_q[12][15:8];
  assign f_m    = cw_q[12][23:16];
  assign f_sp   = cw_q[12][31:24];
  assign f_b    = 18'(signed'(cw_q[13][15:0]));
  assign f_w    = cw_q[14][7:0];
  assign f_f    = cw_q[14][15:8];

  // fixed point W.F
  logic               fx_ok;
  logic [24:0]        fx_kq, fx_nkq;
  assign fx_ok  = (f_w >= 8'd2) && (f_w <= 8'd24) && (f_f <= 8'd149);
  assign fx_nkq = 25'd1 << f_w[4:0] >> 1;  // 2^(W-1) (W >= 2 when fx_ok)
  assign fx_kq  = fx_nkq - 25'd1;          // 2^(W-1) - 1

  // floating point eXmY
  logic [3:0]         e4;
  logic [4:0]         m5;
  logic [8:0]         ones, topfield;
  logic [23:0]        m_ones, topman;
  logic               sp_ieee, sp_fn, tf0, fl_ok;
  logic signed [17:0] emin, emin_m, tf_emax;
  assign e4       = f_e[3:0];
  assign m5       = f_m[4:0];
  assign sp_ieee  = f_sp == 8'd0;
  assign sp_fn    = f_sp == 8'd1;
  assign ones     = (9'd1 << e4) - 9'd1;                        // 2^E - 1
  assign topfield = sp_ieee ? ones - 9'd1 : ones;
  assign m_ones   = (24'd1 << m5) - 24'd1;                      // 2^M - 1
  assign topman   = sp_fn ? m_ones - 24'd1 : m_ones;
  assign tf0      = topfield == 9'd0;
  assign emin     = 18'sd1 - f_b;
  assign emin_m   = emin - 18'(signed'({1'b0, m5}));
  assign tf_emax  = 18'(signed'({1'b0, topfield})) - f_b;
  assign fl_ok    = (f_e >= 8'd1) && (f_e <= 8'd8) && (f_m <= 8'd23) && (f_sp <= 8'd2) &&
                    !(sp_fn && f_m == 8'd0) && !(tf0 && f_m == 8'd0) && (emin_m >= -18'sd149) &&
                    (tf0 ? (emin_m + 18'sd24 <= 18'sd128) : (tf_emax <= 18'sd127));

  // the largest finite magnitude kq * 2^qe and its leading one
  logic [24:0]        max_kq;
  logic [4:0]         max_msb, neg_msb;
  logic signed [17:0] emax, max_qe, msb_s;
  logic               fixed;
  assign fixed  = f_kind == 8'd1;
  assign max_kq = fixed ? fx_kq : (tf0 ? {1'b0, m_ones} : ({1'b0, 24'd1 << m5} | {1'b0, topman}));

  lp_msb #(.Width(25), .OutWidth(5)) u_msb_max (.v_i(max_kq), .msb_o(max_msb));
  lp_msb #(.Width(25), .OutWidth(5)) u_msb_neg (.v_i(fx_nkq), .msb_o(neg_msb));

  assign msb_s = 18'(signed'({1'b0, max_msb}));
  always_comb begin
    if (fixed) begin
      emax   = msb_s - 18'(signed'({1'b0, f_f}));
      max_qe = -(18'(signed'({1'b0, f_f})));
    end else if (tf0) begin
      emax   = emin_m + msb_s;
      max_qe = emin_m;
    end else begin
      emax   = tf_emax;
      max_qe = tf_emax - 18'(signed'({1'b0, m5}));
    end
  end

  // the derived parameters (lp_fmt_params_t) as register fields
  logic [7:0]  p_specials, p_man, p_code_bits;
  logic [15:0] p_emin, p_bias;
  logic        p_has_inf, p_has_nan;
  logic [31:0] p_max_code, p_inf_code, p_nan_code, q_options;
  logic [31:0] ones_m;  // (2^E - 1) << M
  assign ones_m      = 32'(ones) << m5;
  assign p_specials  = fixed ? 8'd2 : f_sp;
  assign p_man       = fixed ? f_w - 8'd1 : f_m;
  assign p_code_bits = fixed ? f_w : 8'd1 + f_e + f_m;
  assign p_emin      = fixed ? 16'(f_w) - 16'd1 - 16'(f_f) : emin[15:0];
  assign p_bias      = fixed ? 16'(f_f) : f_b[15:0];
  assign p_has_inf   = !fixed && sp_ieee;
  assign p_has_nan   = !fixed && ((sp_ieee && f_m != 8'd0) || sp_fn);
  assign p_max_code  = fixed ? 32'(fx_kq) : (tf0 ? 32'(m_ones) : (32'(topfield) << m5) | 32'(topman));
  assign p_inf_code  = p_has_inf ? ones_m : 32'd0;
  always_comb begin
    if (fixed || !p_has_nan) begin
      p_nan_code = 32'd0;
    end else if (sp_fn) begin
      p_nan_code = ones_m | 32'(m_ones);
    end else begin
      p_nan_code = ones_m | (32'd1 << (m5 - 5'd1));
    end
  end
  // OPTIONS: rounding | overflow << 4 | (subnormals != 0) << 8 | scale << 12
  assign q_options = 32'(cw_q[15][7:0]) | (32'(cw_q[15][15:8]) << 4) | (32'(cw_q[15][23:16] != 8'd0) << 8) |
                     (32'(cw_q[15][31:24]) << 12);

  // the stage register (datapath: no reset)
  logic               chk_ok_q, fixed_q;
  logic [31:0]        format_q, exp_q, bias_q, max_code_q, inf_code_q, nan_code_q, options_q;
  logic [24:0]        max_kq_q, neg_kq_q;
  logic [4:0]         max_msb_q, neg_msb_q;
  logic signed [17:0] max_qe_q, neg_qe_q;
  always_ff @(posedge clk_i) begin
    if (s1_q) begin
      chk_ok_q       <= magic_ok && model_ok && k_ok && d_ok && b_ok && sched_ok && qopt_ok &&
                    (fixed ? fx_ok : (f_kind == 8'd0 && fl_ok));
      fixed_q    <= fixed;
      format_q   <= 32'(fixed) | (32'(p_specials) << 1) | (32'(p_has_inf) << 3) | (32'(p_has_nan) << 4) |
                    (32'(p_man) << 8) | (32'(p_code_bits) << 16);
      exp_q      <= {emax[15:0], p_emin};
      bias_q     <= {16'd0, p_bias};
      max_code_q <= p_max_code;
      inf_code_q <= p_inf_code;
      nan_code_q <= p_nan_code;
      options_q  <= q_options;
      max_kq_q   <= max_kq;
      max_msb_q  <= max_msb;
      max_qe_q   <= max_qe;
      neg_kq_q   <= fx_nkq;
      neg_msb_q  <= neg_msb;
      neg_qe_q   <= -(18'(signed'({1'b0, f_f})));
    end
  end

  // ------------------------------------------------------------------ cycle t+2: pack
  logic [31:0] max_bits, neg_bits_fx;
  lp_f32_pack #(.ExpWidth(18)) u_pack_max (
    .kq_i(max_kq_q), .msb_i(max_msb_q), .qe_i(max_qe_q), .bits_o(max_bits)
  );
  lp_f32_pack #(.ExpWidth(18)) u_pack_neg (
    .kq_i(neg_kq_q), .msb_i(neg_msb_q), .qe_i(neg_qe_q), .bits_o(neg_bits_fx)
  );

  logic              ok_q;
  logic [13*32-1:0]  qreg_q;
  always_ff @(posedge clk_i) begin
    if (s2_q) begin
      ok_q    <= chk_ok_q;
      qreg_q  <= {32'd0,                              // 12 SCALE_K
                  32'd0,                              // 11 STEP
                  cw_q[16],                              // 10 SEED
                  options_q,                          //  9 OPTIONS
                  nan_code_q,                         //  8 NAN_CODE
                  inf_code_q,                         //  7 INF_CODE
                  max_code_q,                         //  6 MAX_CODE
                  fixed_q ? neg_bits_fx : max_bits,   //  5 NEG_BITS
                  max_bits,                           //  4 MAX_BITS
                  32'(max_kq_q),                      //  3 MAX_KQ
                  bias_q,                             //  2 BIAS
                  exp_q,                              //  1 EXP
                  format_q};                          //  0 FORMAT
    end
  end

  assign done_o       = done_q;
  assign ok_o         = ok_q;
  assign qreg_o       = qreg_q;
  assign model_o      = cw_q[2][1:0];
  assign nclass_o     = cw_q[3][4:0];
  assign nbeats_o     = cw_q[4][13:4];
  assign batch_o      = cw_q[5][16:0];
  assign sched_o      = cw_q[6][1:0];
  assign lr_o         = cw_q[7];
  assign gamma_o      = cw_q[8];
  assign period_o     = cw_q[9];
  assign lambda_o     = cw_q[10];
  assign compensate_o = cw_q[11][0];

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_w;
  assign unused_w = ^{emax[17:16], cw_q[11][31:1], cw_q[12], cw_q[13][31:16], cw_q[14][31:16], kd[18], cw_q[4][31:14]};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
