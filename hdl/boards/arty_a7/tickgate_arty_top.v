// tickgate on the Digilent Arty A7-100T (xc7a100tcsg324-1): the core behind the serial shell on the board's
// FTDI USB-UART (3,000,000 baud by default), clocked at 60 MHz from the 100 MHz oscillator through an MMCM.
// Vendor primitives appear only here; model/ has behavioural models of their ports for lint and simulation.
// `tickgate emulate serial` runs this top in Verilator with a few cycles per bit.
`default_nettype none
`include "tickgate_layout.vh"
module tickgate_arty_top #(
    parameter integer CLKS_PER_BIT = 20,          // 60 MHz / 3 Mbaud
    parameter integer RTO_CYCLES = 3_000_000      // 50 ms at 60 MHz: above a USB-UART's round trip
) (
    input  wire       CLK100MHZ,
    input  wire       ck_rst,                      // the RESET button, low when pressed
    input  wire       uart_txd_in,                 // from the host (the FTDI's TXD)
    output wire       uart_rxd_out,                // to the host
    output wire [3:0] led                          // 0: clock locked, 1: core out of reset, 2: rx, 3: tx activity
);

// ---- clock: 100 MHz x 12 / 20 = 60 MHz (VCO 1,200 MHz) ----------------------------------------------------
wire clk_fb, clk_fb_buf, clk_core_unbuf, clk, locked;
wire [10:0] mmcm_unused;
MMCME2_BASE #(
    .CLKIN1_PERIOD(10.0), .DIVCLK_DIVIDE(1), .CLKFBOUT_MULT_F(12.0), .CLKOUT0_DIVIDE_F(20.0)
) mmcm (
    .CLKIN1(CLK100MHZ), .CLKFBIN(clk_fb_buf), .RST(!ck_rst), .PWRDWN(1'b0),
    .CLKFBOUT(clk_fb), .CLKFBOUTB(mmcm_unused[0]), .CLKOUT0(clk_core_unbuf), .CLKOUT0B(mmcm_unused[1]),
    .CLKOUT1(mmcm_unused[2]), .CLKOUT1B(mmcm_unused[3]), .CLKOUT2(mmcm_unused[4]), .CLKOUT2B(mmcm_unused[5]),
    .CLKOUT3(mmcm_unused[6]), .CLKOUT3B(mmcm_unused[7]), .CLKOUT4(mmcm_unused[8]), .CLKOUT5(mmcm_unused[9]),
    .CLKOUT6(mmcm_unused[10]), .LOCKED(locked)
);
BUFG fb_buf (.I(clk_fb), .O(clk_fb_buf));
BUFG core_buf (.I(clk_core_unbuf), .O(clk));

wire rst;
reset_sync reset (.clk(clk), .rst_in(!locked || !ck_rst), .rst(rst));

// ---- shell and core -------------------------------------------------------------------------------------------
wire core_rst;
wire [63:0] fix_tdata, feed_tdata, order_in_tdata, order_out_tdata;
wire [7:0]  fix_tkeep, feed_tkeep, order_in_tkeep, order_out_tkeep;
wire fix_tvalid, fix_tready, fix_tlast, feed_tvalid, feed_tready, feed_tlast;
wire order_in_tvalid, order_in_tready, order_in_tlast, order_out_tvalid, order_out_tready, order_out_tlast, order_out_tuser;
wire [`TG_REC_BITS-1:0] event_tdata;
wire event_tvalid, event_tready;
wire [`TG_CSR_ADDR_BITS-1:0] awaddr, araddr;
wire [31:0] wdata, rdata;
wire [3:0]  wstrb;
wire [1:0]  bresp, rresp;
wire awvalid, awready, wvalid, wready, bvalid, bready, arvalid, arready, rvalid, rready;

serial_shell #(.CLKS_PER_BIT(CLKS_PER_BIT), .RTO_CYCLES(RTO_CYCLES)) shell (
    .clk(clk), .rst(rst), .rxd(uart_txd_in), .txd(uart_rxd_out), .core_rst(core_rst),
    .m_axis_fix_tdata(fix_tdata), .m_axis_fix_tkeep(fix_tkeep), .m_axis_fix_tvalid(fix_tvalid),
    .m_axis_fix_tready(fix_tready), .m_axis_fix_tlast(fix_tlast),
    .m_axis_feed_tdata(feed_tdata), .m_axis_feed_tkeep(feed_tkeep), .m_axis_feed_tvalid(feed_tvalid),
    .m_axis_feed_tready(feed_tready), .m_axis_feed_tlast(feed_tlast),
    .m_axis_order_tdata(order_in_tdata), .m_axis_order_tkeep(order_in_tkeep), .m_axis_order_tvalid(order_in_tvalid),
    .m_axis_order_tready(order_in_tready), .m_axis_order_tlast(order_in_tlast),
    .s_axis_order_tdata(order_out_tdata), .s_axis_order_tkeep(order_out_tkeep), .s_axis_order_tvalid(order_out_tvalid),
    .s_axis_order_tready(order_out_tready), .s_axis_order_tlast(order_out_tlast), .s_axis_order_tuser(order_out_tuser),
    .s_axis_event_tdata(event_tdata), .s_axis_event_tvalid(event_tvalid), .s_axis_event_tready(event_tready),
    .m_axil_awaddr(awaddr), .m_axil_awvalid(awvalid), .m_axil_awready(awready), .m_axil_wdata(wdata),
    .m_axil_wstrb(wstrb), .m_axil_wvalid(wvalid), .m_axil_wready(wready), .m_axil_bresp(bresp),
    .m_axil_bvalid(bvalid), .m_axil_bready(bready), .m_axil_araddr(araddr), .m_axil_arvalid(arvalid),
    .m_axil_arready(arready), .m_axil_rdata(rdata), .m_axil_rresp(rresp), .m_axil_rvalid(rvalid), .m_axil_rready(rready)
);

tickgate_core core (
    .clk(clk), .rst(core_rst),
    .s_axis_fix_tdata(fix_tdata), .s_axis_fix_tkeep(fix_tkeep), .s_axis_fix_tvalid(fix_tvalid),
    .s_axis_fix_tready(fix_tready), .s_axis_fix_tlast(fix_tlast),
    .s_axis_feed_tdata(feed_tdata), .s_axis_feed_tkeep(feed_tkeep), .s_axis_feed_tvalid(feed_tvalid),
    .s_axis_feed_tready(feed_tready), .s_axis_feed_tlast(feed_tlast),
    .s_axis_order_tdata(order_in_tdata), .s_axis_order_tkeep(order_in_tkeep), .s_axis_order_tvalid(order_in_tvalid),
    .s_axis_order_tready(order_in_tready), .s_axis_order_tlast(order_in_tlast),
    .m_axis_order_tdata(order_out_tdata), .m_axis_order_tkeep(order_out_tkeep), .m_axis_order_tvalid(order_out_tvalid),
    .m_axis_order_tready(order_out_tready), .m_axis_order_tlast(order_out_tlast), .m_axis_order_tuser(order_out_tuser),
    .m_axis_event_tdata(event_tdata), .m_axis_event_tvalid(event_tvalid), .m_axis_event_tready(event_tready),
    .s_axil_awaddr(awaddr), .s_axil_awvalid(awvalid), .s_axil_awready(awready), .s_axil_wdata(wdata),
    .s_axil_wstrb(wstrb), .s_axil_wvalid(wvalid), .s_axil_wready(wready), .s_axil_bresp(bresp),
    .s_axil_bvalid(bvalid), .s_axil_bready(bready), .s_axil_araddr(araddr), .s_axil_arvalid(arvalid),
    .s_axil_arready(arready), .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid), .s_axil_rready(rready)
);

// ---- LEDs: activity stretched to about 70 ms so a person can see it ---------------------------------------------
reg [21:0] rx_seen, tx_seen;
always @(posedge clk) begin
    rx_seen <= !uart_txd_in ? 22'h3FFFFF : rx_seen - {21'd0, rx_seen != 0};
    tx_seen <= !uart_rxd_out ? 22'h3FFFFF : tx_seen - {21'd0, tx_seen != 0};
end
wire unused = ^mmcm_unused;
assign led = {tx_seen != 0, rx_seen != 0, !core_rst, locked};
endmodule
`default_nettype wire
