// lp_sgd_scalar - the scalar unit of the SGD kernel: the stepsize mu_k of global step k
// (hls/sgd/lp_sgd.c lp_sgd_stepsize) and, with compensation, the descent-factor estimate
// and the compensated stepsize (lp_sgd_compensate), bit for bit the C operations in the
// C source order with the C operand order (lp_sgd.h STEPSIZE SCHEDULES, COMPENSATION):
//   LP_SCHED_CONST    mu_k = lr
//   LP_SCHED_INVERSE  kf = (float)(k + 1) (uint32, wraps at 2^32 - 1);  den = gamma + kf;
//                     mu_k = lr / den
//   LP_SCHED_HALVING  r = min(k / period, 126) (repeated subtraction: at most 126 steps,
//                     exact);  mu_k = lr * bits((127 - r) << 23)
//   compensate_i = 1, after the step's statistics (st_valid_i, G2 and GE):
//     qp = (G2 > 0) ? 1 + GE / G2 : 1;  diff = qp - q_hat;  q_hat' = q_hat + 0.125 * diff
//     q_use = (q_hat' > 0.0625) ? q_hat' : 0.0625;  q_use = (q_use < 1) ? q_use : 1
//     mu = mu_k * (1 / q_use)   (q_use = 1: mu = mu_k, as gcc compiles the C: x * 1 = x)
//   compensate_i = 0: mu = mu_k and q_hat' = q_hat (the state word is kept, as the C does).
//
// One FP unit of each kind (lp_u32_to_fp32, lp_fp32_add, _sub, _mul, _div, _cmp), used one
// operation at a time by a small sequencer: each operation holds its operands (registers)
// for the unit's Latency cycles and then takes the result. Cycles from start_i to
// mu_valid_o (default latencies): CONST 2, INVERSE 38, HALVING 8 + min(k / period, 126);
// compensation adds at most 86 once both mu_k and the statistics are in (G2 > 0 and
// q_use < 1; fewer otherwise). docs/rtl-sgd.md "Scalar unit and configuration unit".
//
// Protocol: start_i (a pulse) samples k_i and qhat_i and starts; the cfg inputs (sched_i,
// lr_i, gamma_i, period_i, compensate_i) must stay constant until mu_valid_o. The step's
// statistics are taken at the st_valid_i pulse anywhere from the start_i cycle on.
// mu_valid_o is a level: low from start_i until mu_o and qhat_o are final, then high until
// the next start_i (a start_i while busy restarts). Reset: synchronous, active high; it
// clears the control state (sequencer, mu_valid_o, the statistics flag) only.
`default_nettype none

module lp_sgd_scalar #(
  parameter int AddLatency = 3,   // latency of lp_fp32_add / lp_fp32_sub
  parameter int MulLatency = 4,   // latency of lp_fp32_mul
  parameter int DivLatency = 28,  // latency of lp_fp32_div
  parameter int CvtLatency = 2,   // latency of lp_u32_to_fp32
  parameter int CmpLatency = 1    // latency of lp_fp32_cmp
) (
  input  wire logic        clk_i,         // clock, rising edge
  input  wire logic        rst_i,         // synchronous reset, active high
  // cfg (LP_CFG_SCHED, _LR, _GAMMA, _PERIOD, LP_CFG_COMPENSATE of _OPTIONS)
  input  wire logic [1:0]  sched_i,       // LP_SCHED_CONST / _INVERSE / _HALVING
  input  wire logic [31:0] lr_i,          // lr (FP32)
  input  wire logic [31:0] gamma_i,       // gamma of LP_SCHED_INVERSE (FP32)
  input  wire logic [31:0] period_i,      // steps per halving (>= 1 for LP_SCHED_HALVING)
  input  wire logic        compensate_i,  // LP_CFG_COMPENSATE
  // this step
  input  wire logic [31:0] k_i,           // global step index (sampled at start_i)
  input  wire logic [31:0] qhat_i,        // q_hat before the step (sampled at start_i)
  input  wire logic        start_i,       // pulse: a step starts
  input  wire logic        st_valid_i,    // pulse: g2_i / ge_i hold the step's statistics
  input  wire logic [31:0] g2_i,          // G2 = ||g||^2 (FP32)
  input  wire logic [31:0] ge_i,          // GE = <g, gq - g> (FP32)
  output logic             mu_valid_o,    // level: mu_o and qhat_o are final
  output logic      [31:0] mu_o,          // the stepsize used (record word 1)
  output logic      [31:0] qhat_o         // q_hat after the step (record word 12)
);

  localparam logic [31:0] F32Zero      = 32'h0000_0000;
  localparam logic [31:0] F32One       = 32'h3F80_0000;
  localparam logic [31:0] F32Eighth    = 32'h3E00_0000;  // 0.125f
  localparam logic [31:0] F32Sixteenth = 32'h3D80_0000;  // 0.0625f
  localparam logic [6:0]  MaxHalvings  = 7'd126;

  // ------------------------------------------------------------------ the sequencer
  // One state per C operation; the FP units see their operands from registers for the
  // whole state, whose length is the unit's latency (cnt_q).
  typedef enum logic [4:0] {
    PhIdle,     // mu_valid_o high (or nothing started yet)
    PhHalve,    // r = min(k / period, 126), one subtraction per cycle
    PhCvt,      // kf = (float)(k + 1)
    PhAddDen,   // den = gamma + kf
    PhDivMu,    // mu_k = lr / den
    PhMulMu,    // mu_k = lr * 2^-r
    PhWaitSt,   // mu_k known; wait for the statistics when compensating
    PhCmpG2,    // G2 > 0
    PhDivQ,     // q = GE / G2
    PhAddQp,    // qp = 1 + q
    PhSubDiff,  // diff = qp - q_hat
    PhMulP,     // p = 0.125 * diff
    PhAddQh,    // q_hat' = q_hat + p
    PhCmpLo,    // q_use = q_hat' > 0.0625 ? q_hat' : 0.0625
    PhCmpHi,    // q_use = q_use < 1 ? q_use : 1
    PhDivInv,   // inv = 1 / q_use
    PhMulMuc    // mu = mu_k * inv
  } ph_e;

  ph_e         ph_q, ph_d;
  logic [7:0]  cnt_q, cnt_d;       // cycles spent in the current state
  logic        valid_q, valid_d;   // mu_valid_o
  logic        st_got_q, st_got_d; // the statistics of this step are in g2_q / ge_q
  // datapath registers (no reset)
  logic [31:0] k_q, k_d;           // k, then the remainder of the halving division
  logic [6:0]  r_q, r_d;           // halvings so far
  logic [31:0] x_q, x_d;           // the running value (result of the last operation)
  logic [31:0] muk_q, muk_d;       // mu_k
  logic [31:0] qh_q, qh_d;         // q_hat (before, then after the step)
  logic [31:0] mu_q, mu_d;         // the stepsize used
  logic [31:0] g2_q, ge_q;         // the step's statistics

  // ------------------------------------------------------------------ the FP units
  logic [31:0] cvt_y, add_a, add_y, sub_y, mul_a, mul_b, mul_y, div_a, div_b, div_y;
  logic [31:0] cmp_a, cmp_b;
  logic [3:0]  cmp_y;  // {unordered, gt, eq, lt}
  logic [31:0] pow2;   // 2^-r as FP32 bits

  assign pow2 = {1'b0, 8'd127 - {1'b0, r_q}, 23'd0};

  always_comb begin
    add_a = gamma_i;           // PhAddDen: gamma + kf
    if (ph_q == PhAddQp) begin
      add_a = F32One;          // 1 + q
    end else if (ph_q == PhAddQh) begin
      add_a = qh_q;            // q_hat + p
    end
    mul_a = lr_i;              // PhMulMu: lr * 2^-r
    mul_b = pow2;
    if (ph_q == PhMulP) begin
      mul_a = F32Eighth;       // 0.125 * diff
      mul_b = x_q;
    end else if (ph_q == PhMulMuc) begin
      mul_a = muk_q;           // mu_k * inv
      mul_b = x_q;
    end
    div_a = lr_i;              // PhDivMu: lr / den
    div_b = x_q;
    if (ph_q == PhDivQ) begin
      div_a = ge_q;            // GE / G2
      div_b = g2_q;
    end else if (ph_q == PhDivInv) begin
      div_a = F32One;          // 1 / q_use
    end
    cmp_a = g2_q;              // PhCmpG2: G2 > 0
    cmp_b = F32Zero;
    if (ph_q == PhCmpLo) begin
      cmp_a = qh_q;            // q_hat' > 0.0625
      cmp_b = F32Sixteenth;
    end else if (ph_q == PhCmpHi) begin
      cmp_a = x_q;             // q_use < 1
      cmp_b = F32One;
    end
  end

  lp_u32_to_fp32 #(.Latency(CvtLatency)) u_cvt (
    .clk_i(clk_i), .en_i(1'b1), .a_i(k_q + 32'd1), .y_o(cvt_y)
  );
  lp_fp32_add #(.Latency(AddLatency)) u_add (
    .clk_i(clk_i), .en_i(1'b1), .a_i(add_a), .b_i(x_q), .y_o(add_y)
  );
  lp_fp32_sub #(.Latency(AddLatency)) u_sub (
    .clk_i(clk_i), .en_i(1'b1), .a_i(x_q), .b_i(qh_q), .y_o(sub_y)
  );
  lp_fp32_mul #(.Latency(MulLatency)) u_mul (
    .clk_i(clk_i), .en_i(1'b1), .a_i(mul_a), .b_i(mul_b), .y_o(mul_y)
  );
  lp_fp32_div #(.Latency(DivLatency)) u_div (
    .clk_i(clk_i), .en_i(1'b1), .a_i(div_a), .b_i(div_b), .y_o(div_y)
  );
  lp_fp32_cmp #(.Latency(CmpLatency)) u_cmp (
    .clk_i(clk_i), .en_i(1'b1), .a_i(cmp_a), .b_i(cmp_b), .y_o(cmp_y)
  );

  // the latency of the unit the current state uses
  logic [7:0] lat;
  always_comb begin
    case (ph_q)
      PhCvt:                                  lat = 8'(CvtLatency);
      PhAddDen, PhAddQp, PhAddQh, PhSubDiff:  lat = 8'(AddLatency);
      PhDivMu, PhDivQ, PhDivInv:              lat = 8'(DivLatency);
      PhMulMu, PhMulP, PhMulMuc:              lat = 8'(MulLatency);
      PhCmpG2, PhCmpLo, PhCmpHi:              lat = 8'(CmpLatency);
      default:                                lat = 8'd0;
    endcase
  end

  logic op_done;  // the unit's result for the current state is at its output
  assign op_done = (cnt_q == lat);

  always_comb begin
    ph_d     = ph_q;
    cnt_d    = op_done ? 8'd0 : cnt_q + 8'd1;
    valid_d  = valid_q;
    st_got_d = st_got_q | st_valid_i;
    k_d      = k_q;
    r_d      = r_q;
    x_d      = x_q;
    muk_d    = muk_q;
    qh_d     = qh_q;
    mu_d     = mu_q;
    if (start_i) begin
      valid_d  = 1'b0;
      st_got_d = st_valid_i;
      cnt_d    = 8'd0;
      k_d      = k_i;
      r_d      = 7'd0;
      qh_d     = qhat_i;
      muk_d    = lr_i;  // LP_SCHED_CONST (and an unknown schedule, as the C's default)
      case (sched_i)
        2'd1:    ph_d = PhCvt;
        2'd2:    ph_d = PhHalve;
        default: ph_d = PhWaitSt;
      endcase
    end else if (op_done) begin
      unique case (ph_q)
        PhIdle: ;
        PhHalve: begin
          if (r_q != MaxHalvings && k_q >= period_i) begin
            k_d   = k_q - period_i;
            r_d   = r_q + 7'd1;
            cnt_d = 8'd0;
          end else begin
            ph_d = PhMulMu;
          end
        end
        PhCvt: begin
          x_d  = cvt_y;
          ph_d = PhAddDen;
        end
        PhAddDen: begin
          x_d  = add_y;
          ph_d = PhDivMu;
        end
        PhDivMu: begin
          muk_d = div_y;
          ph_d  = PhWaitSt;
        end
        PhMulMu: begin
          muk_d = mul_y;
          ph_d  = PhWaitSt;
        end
        PhWaitSt: begin
          if (!compensate_i) begin
            mu_d    = muk_q;
            valid_d = 1'b1;
            ph_d    = PhIdle;
          end else if (st_got_q) begin
            ph_d = PhCmpG2;
          end
        end
        PhCmpG2: begin
          x_d  = F32One;
          ph_d = cmp_y[2] ? PhDivQ : PhSubDiff;
        end
        PhDivQ: begin
          x_d  = div_y;
          ph_d = PhAddQp;
        end
        PhAddQp: begin
          x_d  = add_y;
          ph_d = PhSubDiff;
        end
        PhSubDiff: begin
          x_d  = sub_y;
          ph_d = PhMulP;
        end
        PhMulP: begin
          x_d  = mul_y;
          ph_d = PhAddQh;
        end
        PhAddQh: begin
          qh_d = add_y;
          ph_d = PhCmpLo;
        end
        PhCmpLo: begin
          x_d  = cmp_y[2] ? qh_q : F32Sixteenth;
          ph_d = PhCmpHi;
        end
        PhCmpHi: begin
          if (cmp_y[0]) begin
            ph_d = PhDivInv;  // q_use = x_q < 1
          end else begin
            // q_use = 1: mu_k * (1 / 1) is mu_k, and the C kernel as compiled (gcc -O2)
            // skips the multiply there, so a signalling-NaN mu_k stays unquieted: same here
            mu_d    = muk_q;
            valid_d = 1'b1;
            ph_d    = PhIdle;
          end
        end
        PhDivInv: begin
          x_d  = div_y;
          ph_d = PhMulMuc;
        end
        PhMulMuc: begin
          mu_d    = mul_y;
          valid_d = 1'b1;
          ph_d    = PhIdle;
        end
        default: ph_d = PhIdle;
      endcase
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      ph_q     <= PhIdle;
      cnt_q    <= 8'd0;
      valid_q  <= 1'b0;
      st_got_q <= 1'b0;
    end else begin
      ph_q     <= ph_d;
      cnt_q    <= cnt_d;
      valid_q  <= valid_d;
      st_got_q <= st_got_d;
    end
  end

  always_ff @(posedge clk_i) begin
    k_q   <= k_d;
    r_q   <= r_d;
    x_q   <= x_d;
    muk_q <= muk_d;
    qh_q  <= qh_d;
    mu_q  <= mu_d;
    if (st_valid_i) begin
      g2_q <= g2_i;
      ge_q <= ge_i;
    end
  end

  assign mu_valid_o = valid_q;
  assign mu_o       = mu_q;
  assign qhat_o     = qh_q;

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_cmp;
  assign unused_cmp = ^{cmp_y[3], cmp_y[1]};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
