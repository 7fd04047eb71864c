// lp_quant_lane_fmt - lp_quant_lane specialised to one fixed format: the format's
// parameters (lp_fmt_params_t, the unscaled grid) are module parameters instead of
// registers, so synthesis folds them into the logic and the area one datapath width costs
// can be measured (make resources). The options (rounding, overflow, subnormals) stay
// run-time inputs; the scale exponent is 0 (the paper's unscaled setting). Parameter
// values for each preset: build/resources/<format>.params, written by the C model's
// lp_format_derive (scripts/resources.sh). Defaults: fp8_e4m3.
`default_nettype none

module lp_quant_lane_fmt #(
  parameter int          Fixed    = 0,             // kind == LP_KIND_FIXED
  parameter int          Man      = 3,             // man
  parameter int          CodeBits = 8,             // code_bits
  parameter int          Emin     = -6,            // emin
  parameter int          Bias     = 7,             // bias (fixed: F)
  parameter int          HasInf   = 0,             // has_inf
  parameter int          HasNan   = 1,             // has_nan
  parameter logic [31:0] MaxKq    = 32'h0000_000E, // max_kq
  parameter logic [31:0] MaxBits  = 32'h43E0_0000, // max_bits (448.0)
  parameter logic [31:0] NegBits  = 32'h43E0_0000, // neg_bits
  parameter logic [31:0] MaxCode  = 32'h0000_007E, // max_code
  parameter logic [31:0] InfCode  = 32'h0000_0000, // inf_code
  parameter logic [31:0] NanCode  = 32'h0000_007F  // nan_code
) (
  input  wire logic        clk_i,             // clock, rising edge
  input  wire logic [1:0]  cfg_rounding_i,    // LP_ROUND_*
  input  wire logic        cfg_overflow_i,    // LP_OVF_*
  input  wire logic        cfg_subnormals_i,  // 1 keep, 0 flush
  input  wire logic [31:0] x_i,               // FP32 bits in
  input  wire logic [31:0] rnd_i,             // SR random bits
  output logic      [31:0] value_o,           // decoded FP32 bits
  output logic      [31:0] code_o,            // encoded element
  output logic      [4:0]  flags_o,           // LP_QF_*
  output logic      [31:0] x_o                // x_i delayed
);

  localparam int ExpWidth = 12;
  localparam logic signed [ExpWidth-1:0] EminP = ExpWidth'(Emin);
  localparam logic signed [ExpWidth-1:0] BiasP = ExpWidth'(Bias);

  lp_quant_lane #(.ExpWidth(ExpWidth)) u_lane (
    .clk_i           (clk_i),
    .cfg_fixed_i     (Fixed != 0),
    .cfg_man_i       (5'(Man)),
    .cfg_code_bits_i (6'(CodeBits)),
    .cfg_bias_i      (BiasP),
    .cfg_has_inf_i   (HasInf != 0),
    .cfg_has_nan_i   (HasNan != 0),
    .cfg_max_kq_i    (MaxKq[23:0]),
    .cfg_max_code_i  (MaxCode),
    .cfg_inf_code_i  (InfCode),
    .cfg_nan_code_i  (NanCode),
    .cfg_rounding_i  (cfg_rounding_i),
    .cfg_overflow_i  (cfg_overflow_i),
    .cfg_subnormals_i(cfg_subnormals_i),
    .x_i             (x_i),
    .rnd_i           (rnd_i),
    .k_i             ('0),
    .emin_s_i        (EminP),
    .max_bits_s_i    (MaxBits),
    .neg_bits_s_i    (NegBits),
    .value_o         (value_o),
    .code_o          (code_o),
    .flags_o         (flags_o),
    .x_o             (x_o)
  );

endmodule

`default_nettype wire
