// tests/rtl/lp_timing_chain.sv - a known logic depth for tests/rtl/test_timing.sh: K LUT6
// primitives in a chain, then C CARRY4 primitives in a chain (CO[3] -> CI), between two
// rows of registers: exactly K + C levels (K LUT, C CARRY) from x_q to y_q, whatever the
// mapper does, since the cells are instantiated, not inferred. Each LUT also reads five
// register bits, so every path starts at x_q. Not part of the RTL (rtl/); only
// scripts/timing.sh reads it (Yosys knows LUT6/CARRY4 from its Xilinx cell library).
module lp_timing_chain #(
  parameter int K = 2,   // LUT6 levels (>= 1)
  parameter int C = 0    // CARRY4 levels after them (>= 0)
) (
  input  logic           clk_i,
  input  logic [5*K-1:0] d_i,
  output logic           q_o
);
  logic [5*K-1:0] x_q;
  logic [K:0]     l;
  logic [C:0]     c;
  logic           y_q;
  assign l[0] = x_q[0];
  for (genvar i = 0; i < K; i++) begin : g_lut
    LUT6 #(.INIT(64'h6996966996696996)) u_lut (
      .O(l[i+1]), .I0(l[i]), .I1(x_q[5*i+1]), .I2(x_q[5*i+2]), .I3(x_q[5*i+3]),
      .I4(x_q[5*i+4]), .I5(x_q[(5*i+5) % (5*K)]));
  end
  assign c[0] = l[K];
  for (genvar j = 0; j < C; j++) begin : g_carry
    logic [3:0] co, o;
    CARRY4 u_carry (.CO(co), .O(o), .CI(c[j]), .CYINIT(1'b0), .DI(4'b0000), .S(4'b1111));
    assign c[j+1] = co[3];
  end
  always_ff @(posedge clk_i) begin
    x_q <= d_i;
    y_q <= c[C];
  end
  assign q_o = y_q;
endmodule
