// lp_stats_lane - one lane of the statistics sums (hls/stats/lp_stats.c lp_red_add):
//   e = gq - g;  acc[q][part] += g*g, gq*gq, e*e, g*e   (q = G2, Q2, E2, GE)
// with the FP32 units of rtl/fpu: e through an adder as gq + (-g) (bit-identical to
// gq - g for every non-NaN g; NaN and Inf inputs contribute +0: m_i = 0), the four
// products through multipliers, and four accumulators of LP_PARTIALS = 4 interleaved
// partial sums each: a beat adds into partial part_i, whose previous sum is either in
// its register or, with an adder Latency of 4, just leaving the adder (forwarded).
// Adding +0 leaves a partial bit-identical (it starts at +0 and is never -0), which is how
// masked and missing elements keep the C model's sums.
//
// Timing: g_i, gq_i, m_i enter at cycle t; the products reach the accumulators at
// t + AddLatency + MulLatency, when the parent drives acc_part_i for that beat (every
// cycle the adders add; only wb_en_i writes a result back, AddLatency cycles after its
// launch, into partial wb_part_i). clear_i zeroes the partials (between vectors); the
// fold reads the four partials of one quantity at a time through rd_q_i / rd_o.
// Datapath only: no reset.
`default_nettype none

module lp_stats_lane #(
  parameter int AddLatency = 3,  // latency of lp_fp32_add (1..4)
  parameter int MulLatency = 4   // latency of lp_fp32_mul (>= 0)
) (
  input  wire logic             clk_i,       // clock, rising edge
  input  wire logic [31:0]      g_i /*verilator public_flat_rd*/,         // input element g (FP32 bits)
  input  wire logic [31:0]      gq_i /*verilator public_flat_rd*/,        // quantized element gq (FP32 bits)
  input  wire logic             m_i /*verilator public_flat_rd*/,         // 1: add the products; 0: add +0
  input  wire logic [1:0]       acc_part_i /*verilator public_flat_rd*/,  // partial the products at the adders go to
  input  wire logic             wb_en_i /*verilator public_flat_rd*/,     // an adder result is due: write it back
  input  wire logic [1:0]       wb_part_i /*verilator public_flat_rd*/,   // ... into this partial
  input  wire logic             clear_i /*verilator public_flat_rd*/,     // zero all partials
  input  wire logic [1:0]       rd_q_i /*verilator public_flat_rd*/,      // read the partials of quantity rd_q_i
  output logic      [127:0]     rd_o         // ... partial p at 32*p (combinational)
);

  // e = gq + (-g), with g and gq delayed alongside
  logic [31:0] e, g_d, gq_d;
  logic        m_d;

  lp_fp32_add #(.Latency(AddLatency)) u_sub (
    .clk_i(clk_i), .en_i(1'b1), .a_i(gq_i), .b_i({~g_i[31], g_i[30:0]}), .y_o(e)
  );
  lp_fpu_delay #(.Width(65), .Depth(AddLatency)) u_dly_e (
    .clk_i(clk_i), .en_i(1'b1), .d_i({m_i, g_i, gq_i}), .q_o({m_d, g_d, gq_d})
  );

  // the four products
  logic [4*32-1:0] prod;
  logic            m_p;

  lp_fp32_mul #(.Latency(MulLatency)) u_g2 (
    .clk_i(clk_i), .en_i(1'b1), .a_i(g_d), .b_i(g_d), .y_o(prod[0 +: 32])
  );
  lp_fp32_mul #(.Latency(MulLatency)) u_q2 (
    .clk_i(clk_i), .en_i(1'b1), .a_i(gq_d), .b_i(gq_d), .y_o(prod[32 +: 32])
  );
  lp_fp32_mul #(.Latency(MulLatency)) u_e2 (
    .clk_i(clk_i), .en_i(1'b1), .a_i(e), .b_i(e), .y_o(prod[64 +: 32])
  );
  lp_fp32_mul #(.Latency(MulLatency)) u_ge (
    .clk_i(clk_i), .en_i(1'b1), .a_i(g_d), .b_i(e), .y_o(prod[96 +: 32])
  );
  lp_fpu_delay #(.Width(1), .Depth(MulLatency)) u_dly_m (
    .clk_i(clk_i), .en_i(1'b1), .d_i(m_d), .q_o(m_p)
  );

  // the accumulators: partial = partial + product (partial is the first operand, as in C)
  logic [31:0]     part_q [4][4];  // [quantity][partial]
  logic [4*32-1:0] y;

  for (genvar q = 0; q < 4; q++) begin : g_acc
    logic [31:0] opa, opb;

    assign opa = (wb_en_i && (wb_part_i == acc_part_i)) ? y[32*q +: 32] : part_q[q][acc_part_i];
    assign opb = m_p ? prod[32*q +: 32] : 32'd0;

    lp_fp32_add #(.Latency(AddLatency)) u_add (
      .clk_i(clk_i), .en_i(1'b1), .a_i(opa), .b_i(opb), .y_o(y[32*q +: 32])
    );
  end

  always_ff @(posedge clk_i) begin
    if (clear_i) begin
      for (int q = 0; q < 4; q++) begin
        for (int p = 0; p < 4; p++) begin
          part_q[q][p] <= 32'd0;
        end
      end
    end else if (wb_en_i) begin
      for (int q = 0; q < 4; q++) begin
        part_q[q][wb_part_i] <= y[32*q +: 32];
      end
    end
  end

  // the read port of the fold: the four partials of quantity rd_q_i
  for (genvar p = 0; p < 4; p++) begin : g_rd
    assign rd_o[32*p +: 32] = part_q[rd_q_i][p];
  end

endmodule

`default_nettype wire
