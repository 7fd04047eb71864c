// lp_fpu_delay - a Depth-stage register chain with a clock enable (Depth = 0: a wire).
//
// The FP units build their pipelines from these: each cut point between two steps of a unit
// is an lp_fpu_delay of Depth 0 or 1, chosen by the unit's Latency parameter, so one RTL
// description serves every latency. All stages advance together when en_i is 1 and hold
// when it is 0. Datapath registers: no reset (the FP units carry no control state).
`default_nettype none

module lp_fpu_delay #(
  parameter int Width = 32,  // bits carried through the chain
  parameter int Depth = 1    // number of register stages (>= 0; 0 = combinational wire)
) (
  input  wire logic             clk_i,  // clock, rising edge
  input  wire logic             en_i,   // clock enable: all stages advance when 1
  input  wire logic [Width-1:0] d_i,    // value in
  output logic      [Width-1:0] q_o     // value Depth enabled cycles later
);

  if (Depth == 0) begin : g_wire
    assign q_o = d_i;
    // clock and enable are unused by a wire
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_ok;
    assign unused_ok = clk_i ^ en_i;
    /* verilator lint_on UNUSEDSIGNAL */
  end else begin : g_regs
    // one always_ff per stage (a for loop over an array of wide registers is not
    // unrolled by Verilator 5.006 beyond its statement limit)
    for (genvar i = 0; i < Depth; i++) begin : g_stage
      logic [Width-1:0] q;
      if (i == 0) begin : g_first
        always_ff @(posedge clk_i) begin
          if (en_i) begin
            q <= d_i;
          end
        end
      end else begin : g_next
        always_ff @(posedge clk_i) begin
          if (en_i) begin
            q <= g_stage[i-1].q;
          end
        end
      end
    end

    assign q_o = g_stage[Depth-1].q;
  end

endmodule

`default_nettype wire
