// lp_sgd_deriv1 - the loss derivative of the one-output models (hls/sgd/lp_sgd.c
// row_derivative), one row per call, the C operations in the C order:
//   LP_MODEL_LSQ    r = z - y;  d = r;  loss = loss + 0.5f * (r * r)
//   LP_MODEL_HINGE  s = (y > 0.5f) ? 1 : -1;  m = s * z;  h = 1.0f - m;
//                   d = (m < 1.0f) ? -s : 0.0f;  loss = loss + (h > 0.0f ? h : 0.0f);
//                   correct += (z >= 0.0f) == (y > 0.5f)
//   LP_MODEL_LOGISTIC  d = lp_sigmoid_f32(z) - y (lp_sgd_sigmoid);  correct as HINGE;
//                   the loss sum stays +0.0f (C leaves it 0: the host evaluates it)
// d_o leaves DLatency = MulLatency + 1 cycles after valid_i (LOGISTIC: the sigmoid's
// latency + AddLatency; d_valid_o follows the model); the loss sum is updated
// LossLatency = 2 * MulLatency + AddLatency cycles after valid_i, one FP32 add per row in
// row order (first_i: the step's first row, the sum restarts from +0.0f as in C). Rows must
// come at least AddLatency + 1 cycles apart (the dot-product engine spaces them further).
// Reset: synchronous, active high; clears the valid pipes and the counts.
`default_nettype none

module lp_sgd_deriv1 #(
  parameter int MulLatency = 4,  // latency of lp_fp32_mul (>= 1)
  parameter int AddLatency = 3,  // latency of lp_fp32_add (1..MulLatency)
  parameter int DivLatency = 28  // latency of lp_fp32_div (the sigmoid's 1/d)
) (
  input  wire logic        clk_i,      // clock, rising edge
  input  wire logic        rst_i,      // synchronous reset, active high
  input  wire logic [1:0]  model_i,    // LP_MODEL_* (quasi-static)
  input  wire logic        valid_i,    // z_i, y_i hold a row's dot product and label
  input  wire logic        first_i,    // the first row of a step
  input  wire logic [31:0] z_i,        // z = <w, x>
  input  wire logic [31:0] y_i,        // the row's label (FP32)
  output logic             d_valid_o,  // d_o is the row's derivative
  output logic      [31:0] d_o,        // dl/dz
  output logic      [31:0] loss_o,     // the step's loss sum so far (LSQ, HINGE)
  output logic      [31:0] correct_o,  // the step's rows classified right so far (HINGE)
  output logic             idle_o      // no row in flight (loss_o, correct_o are final)
);

  localparam int DLat    = MulLatency + 1;
  localparam int LossLat = 2 * MulLatency + AddLatency;
  localparam int SigLat  = 9 * MulLatency + 11 * AddLatency + DivLatency;
  localparam int LogLat  = SigLat + AddLatency;
  localparam int PipeLat = (LogLat > LossLat) ? LogLat : LossLat;
  localparam logic [1:0] ModelLogistic = 2'd1;
  localparam logic [1:0] ModelHinge    = 2'd3;

  logic hinge, logistic;
  assign hinge    = model_i == ModelHinge;
  assign logistic = model_i == ModelLogistic;

  // ---------------------------------------------------------------- logistic: sigmoid(z) - y
  logic [31:0] sig, y_h, y_s, d_log;
  lp_sgd_sigmoid #(.MulLatency(MulLatency), .AddLatency(AddLatency), .DivLatency(DivLatency)) u_sig (
    .clk_i(clk_i), .z_i(z_i), .y_o(sig)
  );
  // y beside the sigmoid (two chains: Verilator's loop unrolling limit)
  lp_fpu_delay #(.Width(32), .Depth(9 * MulLatency)) u_y0 (.clk_i(clk_i), .en_i(1'b1), .d_i(y_i), .q_o(y_h));
  lp_fpu_delay #(.Width(32), .Depth(11 * AddLatency + DivLatency)) u_y1 (
    .clk_i(clk_i), .en_i(1'b1), .d_i(y_h), .q_o(y_s)
  );
  lp_fp32_sub #(.Latency(AddLatency)) u_dl (.clk_i(clk_i), .en_i(1'b1), .a_i(sig), .b_i(y_s), .y_o(d_log));

  // ---------------------------------------------------------------- hinge: s, m, h
  logic [3:0]  y_half, z_zero;
  logic        y_pos;
  logic [31:0] s;
  lp_fp32_cmp #(.Latency(0)) u_cy (.clk_i(clk_i), .en_i(1'b1), .a_i(y_i), .b_i(32'h3F00_0000), .y_o(y_half));
  lp_fp32_cmp #(.Latency(0)) u_cz (.clk_i(clk_i), .en_i(1'b1), .a_i(z_i), .b_i(32'h0), .y_o(z_zero));
  assign y_pos = y_half[2];
  assign s     = y_pos ? 32'h3F80_0000 : 32'hBF80_0000;

  logic [31:0] m, h, s_m;
  lp_fp32_mul #(.Latency(MulLatency)) u_m (.clk_i(clk_i), .en_i(1'b1), .a_i(s), .b_i(z_i), .y_o(m));
  lp_fpu_delay #(.Width(32), .Depth(MulLatency)) u_sd (.clk_i(clk_i), .en_i(1'b1), .d_i(s), .q_o(s_m));
  lp_fp32_sub #(.Latency(AddLatency)) u_h (.clk_i(clk_i), .en_i(1'b1), .a_i(32'h3F80_0000), .b_i(m), .y_o(h));

  logic [3:0]  m_one, h_zero;
  logic [31:0] d_hinge_d, d_hinge_q, hpos, hpos_q;
  lp_fp32_cmp #(.Latency(0)) u_cm (.clk_i(clk_i), .en_i(1'b1), .a_i(m), .b_i(32'h3F80_0000), .y_o(m_one));
  lp_fp32_cmp #(.Latency(0)) u_ch (.clk_i(clk_i), .en_i(1'b1), .a_i(h), .b_i(32'h0), .y_o(h_zero));
  assign d_hinge_d = m_one[0] ? {~s_m[31], s_m[30:0]} : 32'h0;
  assign hpos      = h_zero[2] ? h : 32'h0;
  always_ff @(posedge clk_i) d_hinge_q <= d_hinge_d;  // DLat = MulLatency + 1
  // h is ready MulLatency + AddLatency after valid_i; delay it to LossLat
  lp_fpu_delay #(.Width(32), .Depth(MulLatency)) u_hd (.clk_i(clk_i), .en_i(1'b1), .d_i(hpos), .q_o(hpos_q));

  // ---------------------------------------------------------------- least squares: r, r*r/2
  logic [31:0] r, r_d, rr, hr;
  lp_fp32_sub #(.Latency(AddLatency)) u_r (.clk_i(clk_i), .en_i(1'b1), .a_i(z_i), .b_i(y_i), .y_o(r));
  lp_fpu_delay #(.Width(32), .Depth(DLat - AddLatency)) u_rd (.clk_i(clk_i), .en_i(1'b1), .d_i(r), .q_o(r_d));
  lp_fp32_mul #(.Latency(MulLatency)) u_rr (.clk_i(clk_i), .en_i(1'b1), .a_i(r), .b_i(r), .y_o(rr));
  lp_fp32_mul #(.Latency(MulLatency)) u_hr (.clk_i(clk_i), .en_i(1'b1), .a_i(32'h3F00_0000), .b_i(rr), .y_o(hr));
  // hr is ready AddLatency + 2 * MulLatency = LossLat after valid_i

  assign d_o = logistic ? d_log : (hinge ? d_hinge_q : r_d);

  // ---------------------------------------------------------------- valid pipes, counts
  logic [PipeLat-1:0] v_q;
  logic [LossLat-1:0] f_q, c_q;
  logic               correct_row;
  assign correct_row = (z_zero[2] | z_zero[1]) == y_pos;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      v_q <= '0;
    end else begin
      v_q <= PipeLat'({v_q, valid_i});
    end
    f_q <= LossLat'({f_q, first_i});
    c_q <= LossLat'({c_q, correct_row});
  end
  assign d_valid_o = logistic ? v_q[LogLat-1] : v_q[DLat-1];

  // the loss sum: one add per row, row order, from +0.0f at the step's first row
  logic [31:0] loss_q, loss_sum, loss_a;
  logic [AddLatency-1:0] lv_q;
  logic        l_valid;
  assign l_valid = v_q[LossLat-1];
  assign loss_a  = f_q[LossLat-1] ? 32'h0 : loss_q;
  lp_fp32_add #(.Latency(AddLatency)) u_loss (
    .clk_i(clk_i), .en_i(1'b1), .a_i(loss_a), .b_i(logistic ? 32'h0 : (hinge ? hpos_q : hr)), .y_o(loss_sum)
  );
  logic [31:0] correct_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      lv_q      <= '0;
      correct_q <= '0;
    end else begin
      lv_q <= AddLatency'({lv_q, l_valid});
      if (v_q[DLat-1]) begin
        correct_q <= (f_q[DLat-1] ? 32'd0 : correct_q) + {31'd0, (hinge | logistic) & c_q[DLat-1]};
      end
    end
    if (lv_q[AddLatency-1]) loss_q <= loss_sum;
  end
  assign loss_o    = loss_q;
  assign correct_o = correct_q;
  assign idle_o    = (v_q == '0) & (lv_q == '0);

  // the unordered and equal flags of the compares are not needed
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_flags;
  assign unused_flags = ^{y_half[3], y_half[1:0], z_zero[3], z_zero[0], m_one[3:1], h_zero[3], h_zero[1:0]};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
