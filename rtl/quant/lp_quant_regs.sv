// lp_quant_regs - the configuration registers of the stream quantizer (register map in
// docs/rtl.md): 32-bit words written through a simple synchronous write port, read back
// combinationally. The words are the fields of lp_fmt_params_t, the lp_qcfg_t options and
// the per-vector step / tensor scale exponent. Reset: synchronous, active high, to zero.
`default_nettype none

module lp_quant_regs #(
  parameter int NumRegs = 14,  // words in the map
  parameter logic [31:0] Id = 32'h4C51_0010  // read-only ID word at address NumRegs - 1
) (
  input  wire logic                clk_i,    // clock, rising edge
  input  wire logic                rst_i,    // synchronous reset, active high
  input  wire logic                we_i,     // write strobe
  input  wire logic [3:0]          addr_i,   // word address (write and read)
  input  wire logic [31:0]         wdata_i,  // write data
  output logic      [31:0]         rdata_o,  // read data (word at addr_i)
  output logic      [NumRegs*32-1:0] regs_o  // all words, word i at bits 32*i +: 32
);

  logic [31:0] regs_q [NumRegs];

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      for (int i = 0; i < NumRegs; i++) begin
        regs_q[i] <= 32'd0;
      end
    end else if (we_i && (32'(addr_i) < NumRegs - 1)) begin
      regs_q[addr_i] <= wdata_i;
    end
  end

  always_comb begin
    for (int i = 0; i < NumRegs - 1; i++) begin
      regs_o[32*i +: 32] = regs_q[i];
    end
    regs_o[32*(NumRegs-1) +: 32] = Id;
    rdata_o = (32'(addr_i) < NumRegs) ? regs_o[32*addr_i +: 32] : 32'd0;
  end

  // the ID word is a constant: its register is never written
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] unused_id;
  assign unused_id = regs_q[NumRegs-1];
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
