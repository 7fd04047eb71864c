# package_xo.tcl - packages the RTL kernel lp_sgd into a Vitis kernel object (.xo).
#
#   vivado -mode batch -source scripts/vitis/package_xo.tcl -tclargs \
#          <out.xo> <kernel.xml> <regs.tcl> <part> <xdc> <top> <rtl files...>
#
# kernel.xml and regs.tcl come from scripts/vitis/gen_kernel_xml (kernel, regs-tcl), i.e.
# from hls/sgd/lp_sgd_regmap.h: the ap_ctrl_hs control register at 0x00, the arguments
# from 0x10, each pointer register associated with the m_axi port of its bundle. The RTL
# top must expose ap_clk, ap_rst_n, s_axi_control and one m_axi_<bundle> per bundle
# (AXI4 names as Vivado infers them: m_axi_gmem0_AWADDR, ...). constraints/xclbin.mk runs
# this (make xclbin KERNEL=rtl).
if {[llength $argv] < 7} {
    puts "usage: package_xo.tcl <out.xo> <kernel.xml> <regs.tcl> <part> <xdc> <top> <rtl files...>"
    exit 2
}
set xo_path     [file normalize [lindex $argv 0]]
set kernel_xml  [file normalize [lindex $argv 1]]
set regs_tcl    [file normalize [lindex $argv 2]]
set part        [lindex $argv 3]
set xdc         [file normalize [lindex $argv 4]]
set top         [lindex $argv 5]
set rtl_files   [lrange $argv 6 end]
source $regs_tcl   ;# lp_kernel_name, lp_ctrl_range, lp_ctrl_regs, lp_m_axi

set work   [file dirname $xo_path]/package_xo
set ip_dir $work/ip
file delete -force $work
file mkdir $work

create_project -force lp_sgd_pack $work/project -part $part
set rtl_abs {}
foreach f $rtl_files { lappend rtl_abs [file normalize $f] }   ;# Vivado's Tcl 8.5 has no lmap
add_files -norecurse $rtl_abs
add_files -fileset constrs_1 -norecurse $xdc
set_property top $top [current_fileset]
update_compile_order -fileset sources_1

ipx::package_project -root_dir $ip_dir -vendor lpsgd.org -library kernel -taxonomy /KernelIP \
    -import_files -set_current false
ipx::unload_core $ip_dir/component.xml
ipx::edit_ip_in_project -upgrade true -name lp_sgd_edit -directory $work/edit $ip_dir/component.xml
set core [ipx::current_core]
set_property core_revision 1 $core
foreach up [ipx::get_user_parameters -of_objects $core] {
    ipx::remove_user_parameter [get_property NAME $up] $core
}

# clock and reset of every AXI interface
ipx::associate_bus_interfaces -busif s_axi_control -clock ap_clk $core
foreach m $lp_m_axi {
    ipx::associate_bus_interfaces -busif $m -clock ap_clk $core
}

# the s_axi_control register map, from the one table
set mem_map [ipx::add_memory_map -quiet s_axi_control $core]
set block [ipx::add_address_block -quiet reg0 $mem_map]
set_property slave_memory_map_ref s_axi_control [ipx::get_bus_interfaces -of_objects $core s_axi_control]
set_property range $lp_ctrl_range $block
foreach r $lp_ctrl_regs {
    lassign $r name offset bits busif
    set reg [ipx::add_register $name $block]
    set_property address_offset $offset $reg
    set_property size $bits $reg
    if {$busif ne ""} {
        set p [ipx::add_register_parameter ASSOCIATED_BUSIF $reg]
        set_property value $busif $p
    }
}

set_property xpm_libraries {XPM_CDC XPM_MEMORY XPM_FIFO} $core
set_property sdx_kernel true $core
set_property sdx_kernel_type rtl $core
set_property auto_family_support_level level_2 $core
ipx::create_xgui_files $core
ipx::update_checksums $core
ipx::check_integrity -kernel $core
ipx::save_core $core
close_project -delete

if {[file exists $xo_path]} { file delete $xo_path }
package_xo -xo_path $xo_path -kernel_name $lp_kernel_name -ip_directory $ip_dir -kernel_xml $kernel_xml
puts "package_xo: wrote $xo_path"
