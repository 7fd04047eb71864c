# rtl/ - hand-written SystemVerilog of the datapath.
lint:
	@echo "lint: no RTL yet"
