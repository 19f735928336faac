# Stubs of the Vivado Tcl commands the board scripts use, for tclsh: each records its call on stdout as
# "CALL <command> <args>" and returns something of the right shape, so build.tcl, the XDC and cdc.tcl run to
# the end outside Vivado. A command a script uses that is not stubbed here (a typo, or a command that does
# not exist) stops tclsh with "invalid command name". test/board-build.test.ts reads the calls.
proc record {name args} { puts [list CALL $name {*}$args] }
foreach cmd {create_project set_property create_ip generate_target synth_ip read_verilog read_xdc set_param
             synth_design report_utilization opt_design place_design phys_opt_design route_design
             report_timing_summary report_clock_interaction report_cdc write_checkpoint write_bitstream
             create_clock set_false_path set_max_delay} {
    proc $cmd {args} "record $cmd {*}\$args; return {}"
}
proc get_board_parts {args} { record get_board_parts {*}$args; return $::stub_board_parts }
proc get_ips {args} { record get_ips {*}$args; return [list xdma_0 clk_wiz_core] }
proc current_project {args} { return project }
proc current_design {args} { return design }
proc get_ports {args} { record get_ports {*}$args; return [lindex $args end] }
proc get_pins {args} { record get_pins {*}$args; return [lindex $args end] }
proc get_clocks {args} { record get_clocks {*}$args; return clock }
proc get_cells {args} { record get_cells {*}$args; if {[lsearch $args -hierarchical] >= 0} { return $::stub_instances } ; return [lindex $args end] }
proc get_timing_paths {args} { return path }
proc get_property {name object} {
    if {$name eq "PERIOD"} { return 4.0 }
    if {$name eq "SLACK"} { return 0.1 }
    return {}
}
set stub_board_parts {xilinx.com:au250:part0:1.3}
set stub_instances {shell_inst/inst}
