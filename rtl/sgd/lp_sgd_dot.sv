// lp_sgd_dot - the dot-product engine: for every row x of the minibatch, the K dot products
// z_c = <w_c, x>, c = 0..K-1, in the documented reduction order (hls/sgd/lp_sgd.h DOT
// PRODUCTS, hls/stats/lp_stats.h): element j is lane j % 16 of beat j / 16; per class and
// lane 4 interleaved partial sums, beat b of the row adding w*x (a product rounded, then
// added, partial as the left operand) into partial b % 4, partials starting at +0; at the
// end of the row lp_red_fold (rtl/stats) folds each class's 4 x 16 partials, one class per cycle.
//
//   x, w_0..w_{K-1} beats -> Classes x 16 lp_fp32_mul (w*x) -> Classes x 16 lp_fp32_add
//   (partial + product; the result written back into the partial, or bypassed when the
//   adder's latency is 4) -> lp_red_fold, class by class: class 0 read from the partials
//   themselves the cycle after the row's last write, classes 1.. from a snapshot of them
//   taken at the end of that cycle (before any write of the next row can land)
//
// One beat per cycle: a partial is read again 4 beats after it was written, so an adder
// latency up to 4 never stalls. Rows are nbeats_i beats (D / 16) long, back to back. The
// only stall: the last beat of a row waits while the previous row's dot products are still
// being folded (pipeline + K cycles after its last beat: rows shorter than that stall).
// in_ready_o is registered. z leaves as a stream of K values per row, class order, no
// back-pressure (the consumer takes one per cycle).
// ExtFold = 1 leaves lp_red_fold out: the class sets leave on tr_*_o (tag {last, class}) and
// their sums come back on tr_*_i, from a tree the parent shares with another user
// (lp_sgd_step: the statistics', never busy at the same time): an lp_red_fold returning
// each set's sum with its tag, in order (z leaves as the tree delivers it).
// Reset: synchronous, active high; clears control state only.
`default_nettype none

module lp_sgd_dot #(
  parameter int Classes    = 16,  // dot products per row computed in parallel (max K)
  parameter int MulLatency = 4,   // latency of lp_fp32_mul
  parameter int AddLatency = 3,   // latency of lp_fp32_add (1..4: the 4-way interleave)
  parameter int BeatBits   = 10,  // bits of the beat index in a row (D/16 <= 2^BeatBits)
  parameter int ExtFold    = 0    // 0: its own fold tree; 1: the tree is outside, on the tr_* ports
) (
  input  wire logic                       clk_i,      // clock, rising edge
  input  wire logic                       rst_i,      // synchronous reset, active high
  input  wire logic [BeatBits-1:0]        nbeats_i,   // beats per row, >= 1 (quasi-static)
  input  wire logic [4:0]                 nclass_i,   // K, 1..Classes (quasi-static)
  input  wire logic                       in_valid_i, // a beat of x and of every w_c
  output logic                            in_ready_o, // accepted when valid & ready
  input  wire logic [16*32-1:0]           in_x_i,     // x: lane l at 32*l
  input  wire logic [Classes*16*32-1:0]   in_w_i,     // w_c: lane l at 32*(16c + l)
  output logic                            z_valid_o,  // z_o is a dot product
  output logic      [31:0]                z_o,        // z_c, FP32 bits
  output logic      [3:0]                 z_class_o,  // c
  output logic                            z_last_o,   // c == K-1: the row's last
  // the shared fold tree (ExtFold = 1; lp_red_fold's ports, tag = {last, class})
  output logic                            tr_valid_o, // a class set for the tree
  output logic      [64*32-1:0]           tr_set_o,   // ... partial p of lane l at 32*(16p + l)
  output logic      [4:0]                 tr_tag_o,   // ... {last, class}
  input  wire logic                       tr_valid_i, // the tree's sum of a set of ours
  input  wire logic [31:0]                tr_sum_i,   // ... FP32 bits
  input  wire logic [4:0]                 tr_tag_i    // ... its tag
);

  // ------------------------------------------------------------------ input control
  logic [BeatBits-1:0] bidx_q, bidx_d;
  logic                pend_q, pend_d, ready_q, acc_in, in_last;
  logic                ser_done;

  assign acc_in  = in_valid_i & ready_q;
  assign in_last = (bidx_q == nbeats_i - 1'b1);

  always_comb begin
    bidx_d = bidx_q;
    pend_d = pend_q;
    if (acc_in) bidx_d = in_last ? '0 : bidx_q + 1'b1;
    if (ser_done) pend_d = 1'b0;
    if (acc_in && in_last) pend_d = 1'b1;
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      bidx_q  <= '0;
      pend_q  <= 1'b0;
      ready_q <= 1'b0;
    end else begin
      bidx_q  <= bidx_d;
      pend_q  <= pend_d;
      ready_q <= !(pend_d && bidx_d == nbeats_i - 1'b1);
    end
  end
  assign in_ready_o = ready_q;

  // ------------------------------------------------------------------ multiply
  // control beside the products: valid, last of row, partial index, first 4 beats
  localparam int CtlW = 4;
  logic [CtlW-1:0] ctl_in, ctl_m;
  logic            m_valid, m_last, m_first;
  logic [1:0]      m_part;
  assign ctl_in = {in_last, bidx_q[1:0], bidx_q < 4};

  logic [MulLatency-1:0] mval_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) mval_q <= '0;
    else mval_q <= MulLatency'({mval_q, acc_in});
  end
  lp_fpu_delay #(.Width(CtlW), .Depth(MulLatency)) u_ctl_m (
    .clk_i(clk_i), .en_i(1'b1), .d_i(ctl_in), .q_o(ctl_m)
  );
  assign m_valid = mval_q[MulLatency-1];
  assign {m_last, m_part, m_first} = ctl_m;

  // ------------------------------------------------------------------ add into partials
  logic [AddLatency-1:0] aval_q;
  logic [2:0]            ctl_a;  // last, part at the adder output
  logic                  a_valid, a_last;
  logic [1:0]            a_part;
  always_ff @(posedge clk_i) begin
    if (rst_i) aval_q <= '0;
    else aval_q <= AddLatency'({aval_q, m_valid});
  end
  lp_fpu_delay #(.Width(3), .Depth(AddLatency)) u_ctl_a (
    .clk_i(clk_i), .en_i(1'b1), .d_i({m_last, m_part}), .q_o(ctl_a)
  );
  assign a_valid = aval_q[AddLatency-1];
  assign {a_last, a_part} = ctl_a;

  // beats seen in this row, saturated at 3, at the adder output (for the snapshot mask)
  logic [1:0] a_seen_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) a_seen_q <= '0;
    else if (a_valid) a_seen_q <= a_last ? 2'd0 : ((a_seen_q == 2'd3) ? 2'd3 : a_seen_q + 1'b1);
  end

  logic [3:0] seen_mask;  // partial p holds a value of this row
  assign seen_mask = {a_seen_q == 2'd3, a_seen_q >= 2'd2, a_seen_q >= 2'd1, 1'b1};

  logic snap;      // the row's last write-back is this cycle
  logic snap_d_q;  // the cycle after it: the partials hold exactly that row
  assign snap = a_valid & a_last;
  always_ff @(posedge clk_i) begin
    if (rst_i) snap_d_q <= 1'b0;
    else snap_d_q <= snap;
  end

  // The fold's input by class: word w = 16 p + l of class c is rows[c][32 w +: 32].
  // The cycle after snap the partials hold the whole row (its last write has landed, no
  // write of the next row has yet): class 0's words are the partials themselves, and the
  // other classes' are a copy of theirs taken at the end of that cycle (snap_q), for the
  // cycles after. One copy of the partials, no multiplexer in front of it (a copy taken at
  // snap would need the adder's output bypassed into every one of the Classes x 64 x 32
  // bits). An array of rows rather than one Classes x 2048-bit vector: a simulator
  // assembles a vector from its parts (Verilator: a chain of wide concatenations every
  // cycle), and Classes x 2048 bits of it cost ~16x what 2048 do.
  logic [64*32-1:0] rows [Classes];

  for (genvar c = 0; c < Classes; c++) begin : g_c
    logic [64*32-1:0] row;
    assign rows[c] = row;
    for (genvar l = 0; l < 16; l++) begin : g_l
      logic [31:0] prod, sum, opa;
      logic [31:0] part_q [4];
      lp_fp32_mul #(.Latency(MulLatency)) u_mul (
        .clk_i(clk_i), .en_i(1'b1), .a_i(in_w_i[32*(16*c+l) +: 32]), .b_i(in_x_i[32*l +: 32]), .y_o(prod)
      );
      // operand a: +0 for the first 4 beats of a row, else the partial (bypassed from the
      // adder output when it is being written this very cycle)
      always_comb begin
        if (m_first) opa = 32'h0;
        else if (a_valid && a_part == m_part) opa = sum;
        else opa = part_q[m_part];
      end
      lp_fp32_add #(.Latency(AddLatency)) u_add (
        .clk_i(clk_i), .en_i(1'b1), .a_i(opa), .b_i(prod), .y_o(sum)
      );
      always_ff @(posedge clk_i) begin
        if (a_valid) part_q[a_part] <= sum;
      end
      for (genvar p = 0; p < 4; p++) begin : g_p
        if (c == 0) begin : g_live
          assign row[32*(16*p + l) +: 32] = part_q[p];
        end else begin : g_snap
          logic [31:0] snap_q;
          always_ff @(posedge clk_i) begin
            if (snap_d_q) snap_q <= part_q[p];
          end
          assign row[32*(16*p + l) +: 32] = snap_q;
        end
      end
    end
  end

  // ------------------------------------------------------------------ serialise to the fold
  // One class per cycle, from the cycle after snap (class 0) on. Partial p of the row
  // exists when the row has more than p beats (mask_q); the others add +0.
  logic       [3:0] mask_q;
  logic             ser_busy_q;
  logic       [3:0] ser_c_q;
  always_ff @(posedge clk_i) begin
    if (snap) mask_q <= seen_mask | (4'b0001 << a_part);
  end
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      ser_busy_q <= 1'b0;
      ser_c_q    <= '0;
    end else if (snap) begin
      ser_busy_q <= 1'b1;
      ser_c_q    <= '0;
    end else if (ser_busy_q) begin
      ser_busy_q <= !ser_done;
      ser_c_q    <= ser_c_q + 1'b1;
    end
  end
  assign ser_done = ser_busy_q & ({1'b0, ser_c_q} == nclass_i - 1'b1);

  logic [64*32-1:0] ser_raw, ser_set;
  always_comb begin
    ser_raw = rows[0];  // class 0: ser_c_q == 0 only in the cycle after snap
    for (int c = 1; c < Classes; c++) begin
      if (32'(ser_c_q) == c) ser_raw = rows[c];
    end
    for (int p = 0; p < 4; p++) begin
      ser_set[32*16*p +: 32*16] = mask_q[p] ? ser_raw[32*16*p +: 32*16] : '0;
    end
  end

  logic [4:0] z_tag;
  assign tr_valid_o = ser_busy_q;
  assign tr_set_o   = ser_set;
  assign tr_tag_o   = {ser_done, ser_c_q};
  if (ExtFold == 0) begin : g_fold
    lp_red_fold #(.AddLatency(AddLatency), .TagWidth(5)) u_fold (
      .clk_i(clk_i), .rst_i(rst_i), .valid_i(ser_busy_q), .acc_i(ser_set), .tag_i({ser_done, ser_c_q}),
      .valid_o(z_valid_o), .sum_o(z_o), .tag_o(z_tag)
    );
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_tr;
    assign unused_tr = ^{tr_valid_i, tr_sum_i, tr_tag_i};
    /* verilator lint_on UNUSEDSIGNAL */
  end else begin : g_ext
    assign z_valid_o = tr_valid_i;
    assign z_o       = tr_sum_i;
    assign z_tag     = tr_tag_i;
  end
  assign {z_last_o, z_class_o} = z_tag;

`ifndef SYNTHESIS
  // The copy into snap_q and class 0's read need the row alone in the partials the cycle
  // after its last write-back: no row ends in that cycle (the input holds a row's last beat
  // while the row before is still being folded). (Verilator --assert: sim/kernel/kernel.mk)
  always_ff @(posedge clk_i) begin
    if (!rst_i && snap_d_q)
      assert (!snap) else $error("lp_sgd_dot: two rows ended in consecutive cycles");
  end
`endif

endmodule

`default_nettype wire
