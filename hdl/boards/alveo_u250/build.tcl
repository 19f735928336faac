# Vivado non-project build of tickgate for the Alveo U250: generates the XDMA and Clocking Wizard IP from
# their parameters (nothing binary in the repository), synthesises, places, routes, writes the bitstream and
# the reports. Run through `npm run bitstream -- alveo_u250`, or:
#   vivado -mode batch -source hdl/boards/alveo_u250/build.tcl -tclargs [out=<dir>] [core_mhz=<MHz>] [jobs=<n>]
# Never run on hardware or even in Vivado by the project (no Vivado where it is developed); what has been
# checked is listed in hdl/boards/alveo_u250/README.md.

set here [file dirname [file normalize [info script]]]
set root [file normalize [file join $here .. .. ..]]
set part xcu250-figd2104-2L-e
set board_part_pattern xilinx.com:au250:*
set top tickgate_u250_top

# ---- arguments ------------------------------------------------------------------------------------------------
array set opt [list out [file join $root build boards alveo_u250] core_mhz 250 jobs 4]
foreach arg $argv {
    if {![regexp {^([a-z_]+)=(.+)$} $arg -> key value] || ![info exists opt($key)]} {
        error "build.tcl: unknown argument '$arg' (expected out=<dir>, core_mhz=<MHz>, jobs=<n>)"
    }
    set opt($key) $value
}
if {![string is double -strict $opt(core_mhz)] || $opt(core_mhz) < 10 || $opt(core_mhz) > 400} {
    error "build.tcl: core_mhz=$opt(core_mhz) is not a clock the MMCM can make here (10 to 400 MHz)"
}
set out $opt(out)
set ipdir [file join $out ip]
set reports [file join $out reports]
file mkdir $ipdir $reports

# ---- part and board -----------------------------------------------------------------------------------------------
create_project -in_memory -part $part
# The board files (shipped with Vivado, or from the Xilinx board store) let the XDMA IP place its PCIe block
# and transceivers on the card's x16 lanes; without them, pcie_blk_locn and the GT quads are the part's defaults.
set board_parts [get_board_parts -quiet -latest_file_version $board_part_pattern]
if {[llength $board_parts] > 0} {
    set_property board_part [lindex $board_parts 0] [current_project]
    set use_board 1
} else {
    puts "build.tcl: WARNING: no Alveo U250 board files ($board_part_pattern); the PCIe lanes use the IP's defaults for $part"
    set use_board 0
}

# ---- IP -----------------------------------------------------------------------------------------------------------
# XDMA: PCIe Gen3 x16, AXI-Stream, 512-bit at 250 MHz; H2C (read) channels: FIX, feed, orders; C2H (write)
# channels: records, orders; the AXI-Lite master on the user BAR (1 MiB; the core and shell use 8 KiB).
create_ip -name xdma -vendor xilinx.com -library ip -module_name xdma_0 -dir $ipdir
set xdma_config [list \
    CONFIG.mode_selection {Advanced} \
    CONFIG.functional_mode {DMA} \
    CONFIG.pl_link_cap_max_link_width {X16} \
    CONFIG.pl_link_cap_max_link_speed {8.0_GT/s} \
    CONFIG.axi_data_width {512_bit} \
    CONFIG.axisten_freq {250} \
    CONFIG.xdma_axi_intf_mm {AXI_Stream} \
    CONFIG.xdma_rnum_chnl {3} \
    CONFIG.xdma_wnum_chnl {2} \
    CONFIG.axilite_master_en {true} \
    CONFIG.axilite_master_scale {Megabytes} \
    CONFIG.axilite_master_size {1} \
    CONFIG.xdma_num_usr_irq {1} \
    CONFIG.cfg_mgmt_if {false} \
    CONFIG.pf0_device_id {9038} \
]
if {$use_board} {
    lappend xdma_config CONFIG.PCIE_BOARD_INTERFACE {pci_express_x16} CONFIG.SYS_RST_N_BOARD_INTERFACE {pcie_perstn}
}
set_property -dict $xdma_config [get_ips xdma_0]

# The core clock: the card's 300 MHz oscillator through an MMCM.
create_ip -name clk_wiz -vendor xilinx.com -library ip -module_name clk_wiz_core -dir $ipdir
set_property -dict [list \
    CONFIG.PRIM_SOURCE {Differential_clock_capable_pin} \
    CONFIG.PRIM_IN_FREQ {300.000} \
    CONFIG.PRIMITIVE {MMCM} \
    CONFIG.CLKOUT1_USED {true} \
    CONFIG.CLKOUT1_REQUESTED_OUT_FREQ $opt(core_mhz) \
    CONFIG.USE_RESET {true} \
    CONFIG.RESET_TYPE {ACTIVE_HIGH} \
    CONFIG.USE_LOCKED {true} \
] [get_ips clk_wiz_core]

generate_target {synthesis implementation} [get_ips]
synth_ip [get_ips] -quiet

# ---- sources and constraints ---------------------------------------------------------------------------------
set dirs {common csr fix feed risk core boards/xdma boards/alveo_u250}
foreach dir $dirs {
    foreach f [lsort [glob -nocomplain [file join $root hdl $dir *.v]]] { read_verilog -sv $f }
}
read_xdc [file join $here tickgate_u250.xdc]
# the clock-crossing constraints walk the netlist, so they are Tcl and read unmanaged
read_xdc -unmanaged [file join $here cdc.tcl]

# ---- implementation ----------------------------------------------------------------------------------------
set_param general.maxThreads $opt(jobs)
synth_design -top $top -part $part -include_dirs [list [file join $root hdl generated]]
report_utilization -file [file join $reports utilization_synth.rpt]
opt_design
place_design
phys_opt_design
route_design
report_timing_summary -max_paths 20 -report_unconstrained -file [file join $reports timing_summary.rpt]
report_clock_interaction -file [file join $reports clock_interaction.rpt]
report_cdc -details -file [file join $reports cdc.rpt]
report_utilization -hierarchical -file [file join $reports utilization.rpt]
write_checkpoint -force [file join $out ${top}_routed.dcp]
write_bitstream -force [file join $out ${top}.bit]

# a bitstream that does not meet timing is written (for a look at the lab) but the build fails
set wns [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -setup]]
set whs [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -hold]]
puts "build.tcl: worst setup slack $wns ns, worst hold slack $whs ns at core_mhz=$opt(core_mhz); bitstream [file join $out ${top}.bit]"
if {$wns < 0 || $whs < 0} {
    error "build.tcl: timing not met (see [file join $reports timing_summary.rpt])"
}
