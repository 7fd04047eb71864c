// lp_stats_fold - the end-of-vector fold of the partial sums (hls/stats/lp_stats.c
// lp_red_fold), for the four quantities in parallel, one FP32 adder each, one addition
// at a time in exactly the documented order:
//   per lane l = 0..15:  a = p0 + p1;  b = p2 + p3;  lane[l] = a + b
//   then for w = 8, 4, 2, 1:  lane[l] = lane[2l] + lane[2l+1] for l = 0..w-1
// snap_i starts: 16 cycles load the partials (partial p of quantity q of every lane at
// once through the lanes' read ports: rd_sel_o = 4q + p, rd_i), clear_o then zeroes them in
// the lanes, and 63 additions of AddLatency + 1 cycles each follow. done_o pulses when
// sum_o holds the result (kept until the next snap_i); a NaN result reads as the
// canonical 0x7FC00000 (LP_SUM_NAN).
// Reset: synchronous, active high (the sequencer; the operand registers are datapath).
`default_nettype none

module lp_stats_fold #(
  parameter int Lanes      = 16,  // lanes of partial sums (the order is defined for 16)
  parameter int AddLatency = 3    // latency of lp_fp32_add (>= 1)
) (
  input  wire logic                    clk_i,   // clock, rising edge
  input  wire logic                    rst_i,   // synchronous reset, active high
  input  wire logic                    snap_i,    // load the partials and fold them
  output logic      [3:0]              rd_sel_o,  // partial (q, p) to read: 4q + p
  input  wire logic [Lanes*32-1:0]     rd_i,      // that partial of lane l at 32*l
  output logic                         clear_o,   // the partials are loaded: zero them
  output logic                         done_o,    // one-cycle pulse: sum_o is the result
  output logic      [4*32-1:0]         sum_o    // G2, Q2, E2, GE
);

  localparam int NR = 4 * Lanes;  // registers per quantity: partial p of lane l at 16p + l
  localparam int WaitW = $clog2(AddLatency + 1);
  localparam int IW = $clog2(NR);  // register index bits

  logic [31:0] r_q [4][NR];

  // sequencer: phase A (lanes) then phase B (tree)
  logic             busy_q, phase_b_q, load_q;
  logic [1:0]       sub_q;     // phase A: 0 (p0+p1), 1 (p2+p3), 2 (a+b)
  logic [5:0]       l_q;       // lane (A) or pair index (B)
  logic [4:0]       w_q;       // phase B: pairs on this level
  logic [WaitW-1:0] wait_q;
  logic [IW-1:0]    ia, ib, id;
  logic             wb, last_op;

  always_comb begin
    if (!phase_b_q) begin
      case (sub_q)
        2'd0: begin ia = IW'(l_q); ib = IW'(Lanes) + IW'(l_q); id = IW'(l_q); end
        2'd1: begin ia = IW'(2*Lanes) + IW'(l_q); ib = IW'(3*Lanes) + IW'(l_q); id = ia; end
        default: begin ia = IW'(l_q); ib = IW'(2*Lanes) + IW'(l_q); id = IW'(l_q); end
      endcase
    end else begin
      ia = IW'({l_q, 1'b0});
      ib = IW'({l_q, 1'b1});
      id = IW'(l_q);
    end
  end

  assign wb      = busy_q & (32'(wait_q) == AddLatency);
  assign last_op = phase_b_q & (w_q == 5'd1);

  for (genvar q = 0; q < 4; q++) begin : g_q
    logic [31:0] y;
    lp_fp32_add #(.Latency(AddLatency)) u_add (
      .clk_i(clk_i), .en_i(1'b1), .a_i(r_q[q][ia]),
      .b_i(r_q[q][ib]), .y_o(y)
    );
    always_ff @(posedge clk_i) begin
      if (load_q && (32'(rd_sel_o[3:2]) == q)) begin
        for (int l = 0; l < Lanes; l++) begin
          r_q[q][Lanes*32'(rd_sel_o[1:0]) + l] <= rd_i[32*l +: 32];
        end
      end else if (wb) begin
        r_q[q][id] <= y;
      end
    end
    // a NaN sum is reported as the canonical quiet NaN (LP_SUM_NAN of lp_stats.h): which
    // NaN an add propagates depends on operand order, which C does not fix
    assign sum_o[32*q +: 32] = (r_q[q][0][30:0] > 31'h7F80_0000) ? 32'h7FC0_0000 : r_q[q][0];
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      busy_q    <= 1'b0;
      phase_b_q <= 1'b0;
      sub_q     <= 2'd0;
      l_q       <= 6'd0;
      w_q       <= 5'd0;
      wait_q    <= '0;
      done_o    <= 1'b0;
      load_q    <= 1'b0;
      rd_sel_o  <= 4'd0;
      clear_o   <= 1'b0;
    end else begin
      done_o  <= 1'b0;
      clear_o <= 1'b0;
      if (snap_i) begin
        load_q    <= 1'b1;
        rd_sel_o  <= 4'd0;
        phase_b_q <= 1'b0;
        sub_q     <= 2'd0;
        l_q       <= 6'd0;
        w_q       <= 5'(Lanes / 2);
        wait_q    <= '0;
      end else if (load_q) begin
        rd_sel_o <= rd_sel_o + 4'd1;
        if (rd_sel_o == 4'd15) begin
          load_q  <= 1'b0;
          clear_o <= 1'b1;
          busy_q  <= 1'b1;
        end
      end else if (busy_q) begin
        if (!wb) begin
          wait_q <= wait_q + 1'b1;
        end else begin
          wait_q <= '0;
          if (!phase_b_q) begin
            if (sub_q != 2'd2) begin
              sub_q <= sub_q + 2'd1;
            end else begin
              sub_q <= 2'd0;
              if (32'(l_q) == Lanes - 1) begin
                l_q       <= 6'd0;
                phase_b_q <= 1'b1;
              end else begin
                l_q <= l_q + 6'd1;
              end
            end
          end else if (6'(w_q) == l_q + 6'd1) begin
            l_q <= 6'd0;
            w_q <= w_q >> 1;
            if (last_op) begin
              busy_q <= 1'b0;
              done_o <= 1'b1;
            end
          end else begin
            l_q <= l_q + 6'd1;
          end
        end
      end
    end
  end

endmodule

`default_nettype wire
