// lp_quant_lane - one FP32 element through the quantizer, one element per cycle.
//
// Bit for bit the C model lp_quant_f32 (hls/quant/lp_quant_elem.h), one register stage per
// documented step (hls/quant/lp_quant.h):
//   S1 unpack + grid  sign, magnitude, significand, exponent; quantum exponent qe and the
//                     right shift sh that takes the significand onto the grid
//   S2 round          kq = round(sig / 2^sh): RNE on the exact remainder, RTZ, or SR
//                     (carry out of frac + rnd, rnd = lp_sr_hash of the element)
//   S3 pack           value = kq * 2^qe as FP32 bits; subnormal results flushed when
//                     subnormals are off; the element code of a normal/subnormal result
//   S4 specials       overflow (saturate / Inf / NaN by policy), NaN and Inf inputs, fixed
//                     point two's complement code; the statistics flags
// Latency 4 cycles (x_i, rnd_i and the grid in; value_o, code_o, flags_o, x_o out).
//
// The format is run-time configuration (cfg_*: the fields of lp_fmt_params_t and the
// lp_qcfg_t options, quasi-static: change them only while no element is in flight); the
// grid (k, emin_s, max_bits_s, neg_bits_s: lp_qgrid_t) travels with the element, since it
// changes per MX block. Tie the configuration to constants and synthesis specialises the
// lane to one format (lp_quant_lane_fmt). Datapath registers only: no reset.
`default_nettype none

module lp_quant_lane #(
  parameter int ExpWidth = 12  // bits of the signed exponents (k, emin_s, bias, qe)
) (
  input  wire logic                       clk_i,             // clock, rising edge
  // configuration (lp_fmt_params_t / lp_qcfg_t)
  input  wire logic                       cfg_fixed_i /*verilator public_flat_rd*/,       // kind == LP_KIND_FIXED
  input  wire logic        [4:0]          cfg_man_i /*verilator public_flat_rd*/,         // man: bits below the leading one
  input  wire logic        [5:0]          cfg_code_bits_i /*verilator public_flat_rd*/,   // code_bits: 1+E+M or W
  input  wire logic signed [ExpWidth-1:0] cfg_bias_i /*verilator public_flat_rd*/,        // bias (fixed: F)
  input  wire logic                       cfg_has_inf_i /*verilator public_flat_rd*/,     // has_inf
  input  wire logic                       cfg_has_nan_i /*verilator public_flat_rd*/,     // has_nan
  input  wire logic        [23:0]         cfg_max_kq_i /*verilator public_flat_rd*/,      // max_kq
  input  wire logic        [31:0]         cfg_max_code_i /*verilator public_flat_rd*/,    // max_code
  input  wire logic        [31:0]         cfg_inf_code_i /*verilator public_flat_rd*/,    // inf_code
  input  wire logic        [31:0]         cfg_nan_code_i /*verilator public_flat_rd*/,    // nan_code
  input  wire logic        [1:0]          cfg_rounding_i /*verilator public_flat_rd*/,    // LP_ROUND_RNE/RTZ/SR = 0/1/2
  input  wire logic                       cfg_overflow_i /*verilator public_flat_rd*/,    // LP_OVF_SAT/INF = 0/1
  input  wire logic                       cfg_subnormals_i /*verilator public_flat_rd*/,  // 1 keep, 0 flush
  // the element and its grid (lp_qgrid_t)
  input  wire logic        [31:0]         x_i /*verilator public_flat_rd*/,               // FP32 bits in
  input  wire logic        [31:0]         rnd_i /*verilator public_flat_rd*/,             // SR random bits of this element
  input  wire logic signed [ExpWidth-1:0] k_i /*verilator public_flat_rd*/,               // scale exponent
  input  wire logic signed [ExpWidth-1:0] emin_s_i /*verilator public_flat_rd*/,          // emin - k
  input  wire logic        [31:0]         max_bits_s_i /*verilator public_flat_rd*/,      // max finite * 2^-k (FP32 bits)
  input  wire logic        [31:0]         neg_bits_s_i /*verilator public_flat_rd*/,      // |most negative| * 2^-k
  // results, 4 cycles later
  output logic             [31:0]         value_o,           // decoded FP32 bits
  output logic             [31:0]         code_o,            // encoded element
  output logic             [4:0]          flags_o,           // LP_QF_* (lp_quant.h)
  output logic             [31:0]         x_o                // x_i, delayed alongside
);

  localparam logic signed [ExpWidth-1:0] FpBias = 127;
  localparam logic signed [ExpWidth-1:0] Fp23   = 23;
  localparam logic signed [ExpWidth-1:0] Sh63   = 63;
  localparam logic signed [ExpWidth-1:0] SubExp = 149;

  // ------------------------------------------------------------------ S1: unpack, grid
  logic                       s1_s, s1_nan, s1_inf;
  logic [30:0]                s1_mag;
  logic [7:0]                 s1_ef;
  logic [23:0]                s1_sig;
  logic signed [ExpWidth-1:0] s1_eu, s1_eb, s1_ebig, s1_qe, s1_sh;
  logic [4:0]                 s1_msb;
  logic [5:0]                 s1_shc;
  logic [31:0]                s1_limit;

  assign s1_s     = x_i[31];
  assign s1_mag   = x_i[30:0];
  assign s1_ef    = x_i[30:23];
  assign s1_sig   = {s1_ef != 8'd0, x_i[22:0]};
  assign s1_eu    = $signed({{(ExpWidth-8){1'b0}}, (s1_ef != 8'd0) ? s1_ef : 8'd1}) - FpBias;
  // the binade of x: eu, or below -126 for an FP32 subnormal (when emin_s < -126)
  lp_msb #(.Width(24), .OutWidth(5)) u_msb_x (
    .v_i  (s1_sig | 24'd1),
    .msb_o(s1_msb)
  );
  assign s1_eb    = (s1_ef != 8'd0) ? s1_eu
                                    : ($signed({{(ExpWidth-5){1'b0}}, s1_msb}) - SubExp);
  assign s1_nan   = s1_mag > 31'h7F80_0000;
  assign s1_inf   = s1_mag == 31'h7F80_0000;
  assign s1_ebig  = (s1_eb > emin_s_i) ? s1_eb : emin_s_i;
  assign s1_qe    = s1_ebig - $signed({{(ExpWidth-5){1'b0}}, cfg_man_i});
  assign s1_sh    = s1_qe - s1_eu + Fp23;  // >= 0 since man <= 23
  assign s1_shc   = (s1_sh > Sh63) ? 6'd63 : s1_sh[5:0];
  assign s1_limit = (s1_s & cfg_fixed_i) ? neg_bits_s_i : max_bits_s_i;

  logic                       s2_s, s2_nan, s2_inf;
  logic [30:0]                s2_mag;
  logic [23:0]                s2_sig;
  logic [5:0]                 s2_shc;
  logic signed [ExpWidth-1:0] s2_qe, s2_k;
  logic [31:0]                s2_limit, s2_rnd, s2_x;

  always_ff @(posedge clk_i) begin
    s2_s     <= s1_s;
    s2_nan   <= s1_nan;
    s2_inf   <= s1_inf;
    s2_mag   <= s1_mag;
    s2_sig   <= s1_sig;
    s2_shc   <= s1_shc;
    s2_qe    <= s1_qe;
    s2_k     <= k_i;
    s2_limit <= s1_limit;
    s2_rnd   <= rnd_i;
    s2_x     <= x_i;
  end

  // ------------------------------------------------------------------ S2: round
  logic [63:0] s2_full, s2_t, s2_below;
  logic [31:0] s2_frac;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] s2_kept;   // < 2^24: bits 31:25 are always zero
  logic [32:0] s2_srsum;  // only the carry out is used
  /* verilator lint_on UNUSEDSIGNAL */
  logic        s2_sticky, s2_rne, s2_up;
  logic [24:0] s2_kq;

  assign s2_full   = {8'd0, s2_sig, 32'd0};
  assign s2_t      = s2_full >> s2_shc;
  assign s2_kept   = s2_t[63:32];
  assign s2_frac   = s2_t[31:0];
  assign s2_below  = s2_full & ~({64{1'b1}} << s2_shc);
  assign s2_sticky = s2_below != 64'd0;
  assign s2_rne    = (s2_frac > 32'h8000_0000) |
                     ((s2_frac == 32'h8000_0000) & (s2_sticky | s2_kept[0]));
  assign s2_srsum  = {1'b0, s2_frac} + {1'b0, s2_rnd};
  always_comb begin
    case (cfg_rounding_i)
      2'd0:    s2_up = s2_rne;
      2'd2:    s2_up = s2_srsum[32];
      default: s2_up = 1'b0;
    endcase
  end
  assign s2_kq = s2_kept[24:0] + {24'd0, s2_up};  // kept < 2^24

  logic                       s3_s, s3_nan, s3_inf;
  logic [30:0]                s3_mag;
  logic [24:0]                s3_kq;
  logic signed [ExpWidth-1:0] s3_qe, s3_k;
  logic [31:0]                s3_limit, s3_x;

  always_ff @(posedge clk_i) begin
    s3_s     <= s2_s;
    s3_nan   <= s2_nan;
    s3_inf   <= s2_inf;
    s3_mag   <= s2_mag;
    s3_kq    <= s2_kq;
    s3_qe    <= s2_qe;
    s3_k     <= s2_k;
    s3_limit <= s2_limit;
    s3_x     <= s2_x;
  end

  // ------------------------------------------------------------------ S3: pack
  logic [4:0]                 s3_msb;
  logic [31:0]                s3_packed, s3_vbits, s3_code_mag, s3_field32, s3_mmask;
  logic                       s3_nz, s3_sub, s3_flush;
  logic [24:0]                s3_kq_f;
  logic signed [ExpWidth-1:0] s3_field;
  logic [4:0]                 s3_rsh;
  logic [24:0]                s3_kq_sh;

  lp_msb #(.Width(25), .OutWidth(5)) u_msb (
    .v_i  (s3_kq | 25'd1),
    .msb_o(s3_msb)
  );

  lp_f32_pack #(.ExpWidth(ExpWidth)) u_pack (
    .kq_i  (s3_kq),
    .msb_i (s3_msb),
    .qe_i  (s3_qe),
    .bits_o(s3_packed)
  );

  assign s3_nz    = s3_kq != 25'd0;
  assign s3_sub   = ~cfg_fixed_i & s3_nz & (s3_kq < (25'd1 << cfg_man_i));
  assign s3_flush = s3_sub & ~cfg_subnormals_i;
  assign s3_kq_f  = s3_flush ? 25'd0 : s3_kq;
  assign s3_vbits = (s3_flush | ~s3_nz) ? 32'd0 : s3_packed;

  // the code of a finite float result: exponent field from the leading one
  assign s3_field   = s3_qe + $signed({{(ExpWidth-5){1'b0}}, s3_msb}) + s3_k + cfg_bias_i;
  assign s3_field32 = {{(32-ExpWidth){s3_field[ExpWidth-1]}}, s3_field};
  assign s3_rsh     = s3_msb - cfg_man_i;  // 0 or 1 for normal results (mod 32 as in C)
  assign s3_mmask   = (32'd1 << cfg_man_i) - 32'd1;
  assign s3_kq_sh   = s3_kq_f >> s3_rsh;
  always_comb begin
    if (s3_sub & ~s3_flush) begin
      s3_code_mag = {7'd0, s3_kq_f};
    end else if (s3_kq_f != 25'd0) begin
      s3_code_mag = (s3_field32 << cfg_man_i) | ({7'd0, s3_kq_sh} & s3_mmask);
    end else begin
      s3_code_mag = 32'd0;
    end
  end

  logic                       s4_s, s4_nan, s4_inf, s4_sub;
  logic [30:0]                s4_mag;
  logic [24:0]                s4_kq;
  logic [31:0]                s4_limit, s4_vbits, s4_code_mag, s4_x;

  always_ff @(posedge clk_i) begin
    s4_s        <= s3_s;
    s4_nan      <= s3_nan;
    s4_inf      <= s3_inf;
    s4_sub      <= s3_sub & ~s3_flush;
    s4_mag      <= s3_mag;
    s4_kq       <= s3_kq_f;
    s4_limit    <= s3_limit;
    s4_vbits    <= s3_vbits;
    s4_code_mag <= s3_code_mag;
    s4_x        <= s3_x;
  end

  // ------------------------------------------------------------------ S4: specials
  logic        s4_ovf, s4_to_inf;
  logic [31:0] s4_wmask, s4_kk, s4_kk_neg, s4_sgn_code, s4_nan_value;
  logic [31:0] s4_code, s4_value;
  logic [4:0]  s4_flags;

  assign s4_ovf       = s4_vbits > s4_limit;
  assign s4_wmask     = (cfg_code_bits_i >= 6'd32) ? 32'hFFFF_FFFF
                                                   : ((32'd1 << cfg_code_bits_i) - 32'd1);
  assign s4_kk        = s4_ovf ? (s4_s ? (32'd1 << cfg_man_i) : {8'd0, cfg_max_kq_i})
                               : {7'd0, s4_kq};
  assign s4_kk_neg    = 32'd0 - s4_kk;
  assign s4_to_inf    = s4_ovf & cfg_overflow_i & (cfg_has_inf_i | cfg_has_nan_i);
  assign s4_sgn_code  = {31'd0, s4_s} << (cfg_code_bits_i - 6'd1);
  assign s4_nan_value = {s4_s, 31'h7FC0_0000};

  always_comb begin
    if (cfg_fixed_i) begin
      s4_code  = (s4_s ? s4_kk_neg : s4_kk) & s4_wmask;
      s4_value = (s4_kk == 32'd0) ? 32'd0 : ({s4_s, 31'd0} | (s4_ovf ? s4_limit : s4_vbits));
      if (s4_nan) begin
        s4_code  = 32'd0;
        s4_value = 32'd0;
      end
    end else if (s4_nan) begin
      s4_code  = cfg_has_nan_i ? (s4_sgn_code | cfg_nan_code_i) : 32'd0;
      s4_value = cfg_has_nan_i ? s4_nan_value : 32'd0;
    end else if (s4_to_inf) begin
      s4_code  = s4_sgn_code | (cfg_has_inf_i ? cfg_inf_code_i : cfg_nan_code_i);
      s4_value = cfg_has_inf_i ? {s4_s, 31'h7F80_0000} : s4_nan_value;
    end else if (s4_ovf) begin
      s4_code  = s4_sgn_code | cfg_max_code_i;
      s4_value = {s4_s, 31'd0} | s4_limit;
    end else begin
      s4_code  = s4_sgn_code | s4_code_mag;
      s4_value = {s4_s, 31'd0} | s4_vbits;
    end
  end

  // LP_QF_UNDERFLOW 1, SATURATED 2, SUBNORMAL 4, NAN 8, INF 16
  assign s4_flags[0] = ~s4_nan & ~s4_inf & (s4_mag != 31'd0) & (s4_value[30:0] == 31'd0);
  assign s4_flags[1] = ~s4_nan & ({1'b0, s4_mag} > s4_limit);
  // a subnormal result: a rounded subnormal, or the saturated maximum of an e1mY format
  // (all of whose values are subnormal)
  logic s4_max_sub;
  assign s4_max_sub  = ~cfg_fixed_i & ({8'd0, cfg_max_kq_i} < (32'd1 << cfg_man_i)) &
                       ~(cfg_overflow_i & (cfg_has_inf_i | cfg_has_nan_i));
  assign s4_flags[2] = ~s4_nan & (s4_ovf ? s4_max_sub : s4_sub);
  assign s4_flags[3] = s4_nan;
  assign s4_flags[4] = s4_inf;

  always_ff @(posedge clk_i) begin
    value_o <= s4_value;
    code_o  <= s4_code;
    flags_o <= s4_flags;
    x_o     <= s4_x;
  end

endmodule

`default_nettype wire
