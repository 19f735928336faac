# Clock-domain crossings of the XDMA shell (hdl/boards/xdma/, ARCHITECTURE.md "PCIe board shell"), read by
# build.tcl with read_xdc -unmanaged. The two clocks are unrelated; nothing here makes them asynchronous as a
# whole (no set_clock_groups): every crossing is named, and only the synchronisers' first flops get a false path.
# Multi-bit crossings (Gray pointers, held request/answer registers, FIFO storage) get set_max_delay
# -datapath_only of one period of the faster clock, which bounds their skew so a synchroniser never samples
# a pointer two codes apart, and keeps the held data settled before the toggle that announces it arrives.

set xdma_clock [get_clocks -of_objects [get_pins xdma_inst/axi_aclk]]
set core_clock [get_clocks -of_objects [get_pins core_clock_inst/clk_out1]]
set bound [expr {min([get_property PERIOD $xdma_clock], [get_property PERIOD $core_clock])}]

proc cells_of {module} {
    return [get_cells -hierarchical -quiet -filter "ORIG_REF_NAME == $module || REF_NAME == $module"]
}

# axis_async_fifo (five: three host-to-card, two card-to-host): each Gray pointer into the other side's
# synchroniser; the storage (LUT RAM written on one clock, read on the other) to the read side.
foreach fifo [cells_of axis_async_fifo] {
    set_max_delay -datapath_only $bound -from [get_cells "$fifo/wr_gray_reg_reg\[*\]"] -to [get_cells "$fifo/wr_gray_sync_reg_reg\[*\]"]
    set_max_delay -datapath_only $bound -from [get_cells "$fifo/rd_gray_reg_reg\[*\]"] -to [get_cells "$fifo/rd_gray_sync_reg_reg\[*\]"]
    set_max_delay -datapath_only $bound -from [get_cells -quiet "$fifo/mem_reg*"]
}

# axil_cdc: the request toggle and registers into core_clk, the answer toggle and registers into xdma_clk.
foreach cdc [cells_of axil_cdc] {
    set_max_delay -datapath_only $bound -from [get_cells "$cdc/req_toggle_reg_reg"] -to [get_cells "$cdc/req_sync_reg_reg\[0\]"]
    set_max_delay -datapath_only $bound -from [get_cells "$cdc/ack_toggle_reg_reg"] -to [get_cells "$cdc/ack_sync_reg_reg\[0\]"]
    set_max_delay -datapath_only $bound -from [get_cells [list "$cdc/req_write_reg_reg" "$cdc/req_addr_reg_reg\[*\]" "$cdc/req_wdata_reg_reg\[*\]" "$cdc/req_wstrb_reg_reg\[*\]"]] -to $core_clock
    set_max_delay -datapath_only $bound -from [get_cells [list "$cdc/m_resp_reg_reg\[*\]" "$cdc/m_rdata_reg_reg\[*\]"]] -to $xdma_clock
}

# Single-bit levels into xdma_clk for STATUS: the first flop of each 2-flop synchroniser.
set_false_path -to [get_pins "shell_inst/locked_sync_reg_reg\[0\]/D"]
set_false_path -to [get_pins "shell_inst/core_reset_sync_reg_reg\[0\]/D"]

# reset_sync: rst_in drives the asynchronous preset of every stage; release is synchronised.
foreach sync [cells_of reset_sync] {
    set_false_path -to [get_pins -filter {REF_PIN_NAME == PRE} -of_objects [get_cells "$sync/sync_reg_reg\[*\]"]]
}
