# Vivado non-project build of tickgate for the Digilent Arty A7-100T: the serial shell and the core behind the
# board's USB-UART. No IP to generate: the MMCM is instantiated as a primitive in the top. Run through
# `npm run bitstream -- arty_a7`, or:
#   vivado -mode batch -source hdl/boards/arty_a7/build.tcl -tclargs [out=<dir>] [jobs=<n>]
# Never run in Vivado or on hardware by the project (no Vivado where it is developed); what has been checked is
# listed in hdl/boards/arty_a7/README.md.

set here [file dirname [file normalize [info script]]]
set root [file normalize [file join $here .. .. ..]]
set part xc7a100tcsg324-1
set top tickgate_arty_top

# ---- arguments ------------------------------------------------------------------------------------------------
array set opt [list out [file join $root build boards arty_a7] jobs 4]
foreach arg $argv {
    if {[regexp {^core_mhz=} $arg]} {
        error "build.tcl: the Arty's core clock is fixed at 60 MHz (the UART's divisor is derived from it); core_mhz is for the PCIe cards"
    }
    if {![regexp {^([a-z_]+)=(.+)$} $arg -> key value] || ![info exists opt($key)]} {
        error "build.tcl: unknown argument '$arg' (expected out=<dir>, jobs=<n>)"
    }
    set opt($key) $value
}
set out $opt(out)
set reports [file join $out reports]
file mkdir $reports

create_project -in_memory -part $part

# ---- sources and constraints ---------------------------------------------------------------------------------
set dirs {common csr fix feed risk core boards/serial boards/arty_a7}
foreach dir $dirs {
    foreach f [lsort [glob -nocomplain [file join $root hdl $dir *.v]]] { read_verilog -sv $f }
}
read_xdc [file join $here tickgate_arty.xdc]

# ---- implementation ----------------------------------------------------------------------------------------
set_param general.maxThreads $opt(jobs)
synth_design -top $top -part $part -include_dirs [list [file join $root hdl generated]]
report_utilization -file [file join $reports utilization_synth.rpt]
opt_design
place_design
phys_opt_design
route_design
report_timing_summary -max_paths 20 -report_unconstrained -file [file join $reports timing_summary.rpt]
report_utilization -hierarchical -file [file join $reports utilization.rpt]
write_checkpoint -force [file join $out ${top}_routed.dcp]
write_bitstream -force [file join $out ${top}.bit]

# a bitstream that does not meet timing is written (for a look at the lab) but the build fails
set wns [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -setup]]
set whs [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -hold]]
puts "build.tcl: worst setup slack $wns ns, worst hold slack $whs ns; bitstream [file join $out ${top}.bit]"
if {$wns < 0 || $whs < 0} {
    error "build.tcl: timing not met (see [file join $reports timing_summary.rpt])"
}
