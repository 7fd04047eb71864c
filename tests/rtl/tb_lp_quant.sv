// tb_lp_quant - Icarus Verilog testbench of the stream quantizer (the second simulator).
//
// Plusargs: +cfg=<file> the 13 configuration words (hex, register map order, docs/rtl.md)
//           +in=<file>  beats, one 544-bit hex word per line: {15'b0, last, keep[15:0],
//                       data[511:0]}     +n=<beats>     +out=<file> results
// The output holds, per output beat, "k last keep" and then 16 lines "value code" (hex),
// and at the end "stats" with the 4 sums and 6 counts. The input is offered with gaps
// (valid low on about a third of the cycles) and the output taken with gaps too (ready
// low on about a quarter), to exercise the flow control. tests/rtl/test_rtl_iverilog.c
// writes the files, runs this and compares with the C model.
`default_nettype none

module tb_lp_quant;
  logic           clk, rst, we, in_valid, in_ready, in_last, out_valid, out_ready, out_last;
  logic           st_valid;
  logic [3:0]     addr;
  logic [31:0]    wdata, rdata;
  logic [511:0]   in_data, out_value, out_code;
  logic [15:0]    in_keep, out_keep, out_k;
  logic [127:0]   st_sum;
  logic [191:0]   st_count;
  logic [543:0]   beats [4096];
  logic [31:0]    cfg [13];
  string          cfg_file, in_file, out_file;
  integer         n, i, fd, seed, r, sent, nstats, cyc;

  lp_quant_stream u_dut (
    .clk_i(clk), .rst_i(rst),
    .reg_we_i(we), .reg_addr_i(addr), .reg_wdata_i(wdata), .reg_rdata_o(rdata),
    .tk_we_i(1'b0), .tk_amax_i(31'd0), .tensor_o(), .tensor_k_o(),
    .in_valid_i(in_valid), .in_ready_o(in_ready), .in_data_i(in_data), .in_keep_i(in_keep),
    .in_last_i(in_last),
    .out_valid_o(out_valid), .out_ready_i(out_ready), .out_value_o(out_value),
    .out_code_o(out_code), .out_keep_o(out_keep), .out_last_o(out_last), .out_k_o(out_k),
    .st_valid_o(st_valid), .st_sum_o(st_sum), .st_count_o(st_count)
  );

  task automatic tick;
    #5 clk = 1'b1;
    #5 clk = 1'b0;
    cyc = cyc + 1;
  endtask

  initial begin
    clk = 1'b0; rst = 1'b1; we = 1'b0; addr = 4'd0; wdata = 32'd0;
    in_valid = 1'b0; in_data = '0; in_keep = '0; in_last = 1'b0; out_ready = 1'b0;
    seed = 777; sent = 0; nstats = 0; cyc = 0;
    if (!$value$plusargs("cfg=%s", cfg_file) || !$value$plusargs("in=%s", in_file) ||
        !$value$plusargs("out=%s", out_file) || !$value$plusargs("n=%d", n)) begin
      $display("tb_lp_quant: need +cfg= +in= +out= +n=");
      $finish;
    end
    $readmemh(cfg_file, cfg);
    $readmemh(in_file, beats);
    fd = $fopen(out_file, "w");
    repeat (4) tick();
    rst = 1'b0;
    for (i = 0; i < 13; i = i + 1) begin
      we = 1'b1; addr = i[3:0]; wdata = cfg[i];
      tick();
    end
    we = 1'b0;
    repeat (3) tick();
    while (nstats == 0 && cyc < 200000) begin
      // drive this cycle's inputs, then sample the handshakes just before the edge
      r = $random(seed);
      in_valid = (sent < n) && (r[1:0] != 2'b00);
      if (sent < n) begin
        {in_last, in_keep, in_data} = beats[sent][528:0];
      end
      out_ready = r[3:2] != 2'b00;
      #1;
      if (out_valid && out_ready) begin
        $fwrite(fd, "%h %h %h\n", out_k, out_last, out_keep);
        for (i = 0; i < 16; i = i + 1) begin
          $fwrite(fd, "%h %h\n", out_value[32*i +: 32], out_code[32*i +: 32]);
        end
      end
      if (st_valid) begin
        $fwrite(fd, "stats %h %h %h %h %h %h %h %h %h %h\n", st_sum[31:0], st_sum[63:32],
                st_sum[95:64], st_sum[127:96], st_count[31:0], st_count[63:32],
                st_count[95:64], st_count[127:96], st_count[159:128], st_count[191:160]);
        nstats = nstats + 1;
      end
      if (in_valid && in_ready) begin
        sent = sent + 1;
      end
      #4 clk = 1'b1;
      #5 clk = 1'b0;
      cyc = cyc + 1;
    end
    $fclose(fd);
    $finish;
  end

endmodule

`default_nettype wire
