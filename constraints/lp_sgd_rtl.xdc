# Constraints of the RTL kernel lp_sgd (packaged by scripts/vitis/package_xo.tcl), for its
# out-of-context synthesis inside v++ -l. The platform drives ap_clk and ap_rst_n; v++
# adds the platform's own clock constraints when it links the kernel into the shell.
#
# Target: 300 MHz (the Alveo kernel clock, 512 bit x 300 MHz = 19.2 GB/s per m_axi port).
create_clock -period 3.333 -name ap_clk [get_ports ap_clk]

# ap_rst_n is synchronous to ap_clk (the platform's reset synchronizer) and is registered
# once inside the kernel before it fans out: a normal timed path, no false path here.
# AXI ports are registered at the kernel boundary (registered ready, see rtl/); give the
# out-of-context run realistic budgets for the logic the shell puts on the other side.
set_input_delay  -clock ap_clk 1.000 [get_ports -filter {DIRECTION == IN && NAME != ap_clk}]
set_output_delay -clock ap_clk 1.000 [get_ports -filter {DIRECTION == OUT}]
