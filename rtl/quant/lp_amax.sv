// lp_amax - the running largest finite magnitude of a stream of FP32 beats, as FP32 bits
// without the sign: lp_amax_bits() in hls/quant/lp_quant.c over every element of a run
// (NaN and +-Inf skipped, -0 = +0, subnormals ordered by their bits; 0 when nothing
// finite and nonzero was seen). Lanes outside keep_i count as 0.
// A run starts with clear_i: the running maximum restarts from 0 before that cycle's
// beat (clear_i with valid_i low just empties it). One beat per cycle, two register
// stages: S1 the finite magnitudes of a beat, each 4 lanes reduced to 1 (two comparator
// levels), S2 those Lanes/4 to 1 (a pairwise tree: two levels for 16 lanes) and the
// running maximum. amax_o includes a beat two cycles after it was
// applied; valid_o pulses then (clear_i travels with the beats, so runs may follow each
// other back to back). Used by lp_quant_stream (the amax of every 32-element MX block)
// and lp_sgd_step (the amax of the whole gradient for LP_SCALE_TENSOR).
// Reset: synchronous, active high; clears the valid pipe and the running maximum.
`default_nettype none

module lp_amax #(
  parameter int Lanes = 16  // elements per beat, a multiple of 4
) (
  input  wire logic                clk_i,    // clock, rising edge
  input  wire logic                rst_i,    // synchronous reset, active high
  input  wire logic                valid_i,  // a beat
  input  wire logic                clear_i,  // start a new run (before this cycle's beat)
  input  wire logic [Lanes-1:0]    keep_i,   // lanes holding elements
  input  wire logic [Lanes*32-1:0] data_i,   // FP32 element of lane l at bits 32*l +: 32
  output logic                     valid_o,  // amax_o includes a new beat
  output logic      [30:0]         amax_o    // largest finite magnitude of the run (bits)
);

  localparam int Groups = Lanes / 4;

  function automatic logic [30:0] max2(input logic [30:0] a, input logic [30:0] b);
    max2 = (b > a) ? b : a;
  endfunction

  // ------------------------------------------------------------------ S1: 4 lanes -> 1
  logic [30:0] mag [Lanes];
  logic [30:0] grp_q [Groups];

  for (genvar l = 0; l < Lanes; l++) begin : g_mag
    // a finite magnitude orders like its bits; NaN, Inf and missing lanes count as 0
    assign mag[l] = (keep_i[l] && data_i[32*l +: 31] < 31'h7F80_0000) ? data_i[32*l +: 31] : 31'd0;
  end

  // the sign bits are not needed
  /* verilator lint_off UNUSEDSIGNAL */
  logic [Lanes*32-1:0] unused_data;
  assign unused_data = data_i;
  /* verilator lint_on UNUSEDSIGNAL */

  always_ff @(posedge clk_i) begin
    for (int g = 0; g < Groups; g++) begin
      grp_q[g] <= max2(max2(mag[4*g], mag[4*g+1]), max2(mag[4*g+2], mag[4*g+3]));
    end
  end

  logic v1_q, c1_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      v1_q <= 1'b0;
      c1_q <= 1'b0;
    end else begin
      v1_q <= valid_i;
      c1_q <= clear_i;
    end
  end

  // ------------------------------------------------------------------ S2: groups -> 1, run
  logic [30:0] tree [Groups];
  logic [30:0] beat, base, run_q;
  logic        v2_q;

  // pairwise tree over the groups (adjacent pairs, level by level, in place)
  always_comb begin
    for (int g = 0; g < Groups; g++) begin
      tree[g] = grp_q[g];
    end
    for (int w = Groups; w > 1; w = (w + 1) / 2) begin
      for (int i = 0; i < w / 2; i++) begin
        tree[i] = max2(tree[2*i], tree[2*i+1]);
      end
      if (w % 2 == 1) begin
        tree[w/2] = tree[w-1];
      end
    end
  end

  assign beat = v1_q ? tree[0] : 31'd0;
  assign base = c1_q ? 31'd0 : run_q;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      v2_q  <= 1'b0;
      run_q <= 31'd0;
    end else begin
      v2_q  <= v1_q;
      run_q <= max2(base, beat);
    end
  end

  assign valid_o = v2_q;
  assign amax_o  = run_q;

endmodule

`default_nettype wire
