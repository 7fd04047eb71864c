// tb_lp_fpu - Icarus Verilog testbench of one binary FP unit (the second simulator).
//
// Compile with -DLP_UNIT=<module> (ports clk_i, en_i, a_i, b_i, y_o). Plusargs:
//   +vec=<file>  operand pairs, one 64-bit hex word {a, b} per line ($readmemh)
//   +out=<file>  results, one 32-bit hex word per line in operand order, then "holds N"
//   +n=<count>   number of pairs (<= 65536)   +lat=<Latency of the unit's build>
// en_i drops on about a quarter of the cycles (operands then random); N counts the
// stalled cycles in which y_o did not hold (Latency >= 1). tests/fpu/test_fpu_iverilog.c
// writes the vectors, runs this and compares the results with C.
`default_nettype none

module tb_lp_fpu;
  logic        clk, en;
  logic [31:0] a, b, y, y_before;
  logic [63:0] vec [65536];
  string       vec_file, out_file;
  integer      n, lat, k, fd, holds, seed, r;

  `LP_UNIT u_dut (.clk_i(clk), .en_i(en), .a_i(a), .b_i(b), .y_o(y));

  initial begin
    clk = 1'b0;
    en  = 1'b0;
    a   = 32'd0;
    b   = 32'd0;
    seed  = 12345;
    holds = 0;
    if (!$value$plusargs("vec=%s", vec_file) || !$value$plusargs("out=%s", out_file) ||
        !$value$plusargs("n=%d", n) || !$value$plusargs("lat=%d", lat)) begin
      $display("tb_lp_fpu: need +vec= +out= +n= +lat=");
      $finish;
    end
    $readmemh(vec_file, vec);
    fd = $fopen(out_file, "w");
    k = 0;
    while (k < n + ((lat > 0) ? lat - 1 : 0)) begin
      r = $random(seed);
      if (r[1:0] == 2'b00) begin
        en = 1'b0;
        a  = $random(seed);
        b  = $random(seed);
      end else begin
        en = 1'b1;
        a  = (k < n) ? vec[k][63:32] : 32'd0;
        b  = (k < n) ? vec[k][31:0] : 32'd0;
      end
      #1;
      y_before = y;
      if (en && lat == 0) $fwrite(fd, "%08h\n", y);
      #4 clk = 1'b1;
      #1;
      if (en) begin
        if (lat > 0 && k + 1 >= lat) $fwrite(fd, "%08h\n", y);
        k = k + 1;
      end else if (lat > 0 && y !== y_before) begin
        holds = holds + 1;
      end
      #4 clk = 1'b0;
    end
    $fwrite(fd, "holds %0d\n", holds);
    $fclose(fd);
    $finish;
  end

endmodule

`default_nettype wire
