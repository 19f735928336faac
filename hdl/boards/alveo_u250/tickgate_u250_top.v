// tickgate on the Xilinx Alveo U250 (xcu250-figd2104-2L-e): PCIe Gen3 x16 through the XDMA IP in
// AXI-Stream mode (512-bit streams on its 250 MHz axi_aclk; three H2C channels: FIX, feed, orders; two C2H:
// records, accepted orders; its AXI-Lite master on the user BAR), the core on its own clock from the card's
// 300 MHz oscillator through an MMCM (clk_wiz_core, CORE_MHZ in build.tcl), and the XDMA shell between them.
// Vendor IP and primitives appear only here; hdl/boards/alveo_u250/model/ has behavioural models of their
// ports for lint and simulation.
`default_nettype none
`include "tickgate_layout.vh"
module tickgate_u250_top (
    input  wire        pcie_refclk_p,     // 100 MHz from the PCIe slot
    input  wire        pcie_refclk_n,
    input  wire        pcie_perstn,
    input  wire [15:0] pci_exp_rxp,
    input  wire [15:0] pci_exp_rxn,
    output wire [15:0] pci_exp_txp,
    output wire [15:0] pci_exp_txn,
    input  wire        clk_300mhz_p,      // the card's oscillator for the core clock
    input  wire        clk_300mhz_n,
    output wire [2:0]  led                // 0: PCIe link up, 1: core clock locked, 2: core clock heartbeat
);

localparam WORDS = 8;

// ---- PCIe clock and reset pins ---------------------------------------------------------------------------
wire sys_clk, sys_clk_gt, sys_rst_n;
IBUFDS_GTE4 pcie_refclk_ibuf (.I(pcie_refclk_p), .IB(pcie_refclk_n), .CEB(1'b0), .O(sys_clk_gt), .ODIV2(sys_clk));
IBUF pcie_perstn_ibuf (.I(pcie_perstn), .O(sys_rst_n));

// ---- XDMA ------------------------------------------------------------------------------------------------
wire xdma_clk, xdma_aresetn, user_lnk_up;
wire [64*WORDS-1:0] h2c_tdata_0, h2c_tdata_1, h2c_tdata_2, c2h_tdata_0, c2h_tdata_1;
wire [8*WORDS-1:0]  h2c_tkeep_0, h2c_tkeep_1, h2c_tkeep_2, c2h_tkeep_0, c2h_tkeep_1;
wire h2c_tvalid_0, h2c_tvalid_1, h2c_tvalid_2, h2c_tready_0, h2c_tready_1, h2c_tready_2;
wire h2c_tlast_0, h2c_tlast_1, h2c_tlast_2;
wire c2h_tvalid_0, c2h_tvalid_1, c2h_tready_0, c2h_tready_1, c2h_tlast_0, c2h_tlast_1;
wire [31:0] axil_awaddr, axil_araddr, axil_wdata, axil_rdata;
wire [2:0]  axil_awprot, axil_arprot;
wire [3:0]  axil_wstrb;
wire [1:0]  axil_bresp, axil_rresp;
wire axil_awvalid, axil_awready, axil_wvalid, axil_wready, axil_bvalid, axil_bready;
wire axil_arvalid, axil_arready, axil_rvalid, axil_rready;
wire usr_irq_ack, msi_enable;
wire [2:0] msi_vector_width;

xdma_0 xdma_inst (
    .sys_clk(sys_clk), .sys_clk_gt(sys_clk_gt), .sys_rst_n(sys_rst_n),
    .pci_exp_txp(pci_exp_txp), .pci_exp_txn(pci_exp_txn), .pci_exp_rxp(pci_exp_rxp), .pci_exp_rxn(pci_exp_rxn),
    .user_lnk_up(user_lnk_up), .axi_aclk(xdma_clk), .axi_aresetn(xdma_aresetn),
    .usr_irq_req(1'b0), .usr_irq_ack(usr_irq_ack), .msi_enable(msi_enable), .msi_vector_width(msi_vector_width),
    .m_axil_awaddr(axil_awaddr), .m_axil_awprot(axil_awprot), .m_axil_awvalid(axil_awvalid),
    .m_axil_awready(axil_awready), .m_axil_wdata(axil_wdata), .m_axil_wstrb(axil_wstrb),
    .m_axil_wvalid(axil_wvalid), .m_axil_wready(axil_wready), .m_axil_bvalid(axil_bvalid),
    .m_axil_bresp(axil_bresp), .m_axil_bready(axil_bready), .m_axil_araddr(axil_araddr),
    .m_axil_arprot(axil_arprot), .m_axil_arvalid(axil_arvalid), .m_axil_arready(axil_arready),
    .m_axil_rdata(axil_rdata), .m_axil_rresp(axil_rresp), .m_axil_rvalid(axil_rvalid), .m_axil_rready(axil_rready),
    .m_axis_h2c_tdata_0(h2c_tdata_0), .m_axis_h2c_tkeep_0(h2c_tkeep_0), .m_axis_h2c_tlast_0(h2c_tlast_0),
    .m_axis_h2c_tvalid_0(h2c_tvalid_0), .m_axis_h2c_tready_0(h2c_tready_0),
    .m_axis_h2c_tdata_1(h2c_tdata_1), .m_axis_h2c_tkeep_1(h2c_tkeep_1), .m_axis_h2c_tlast_1(h2c_tlast_1),
    .m_axis_h2c_tvalid_1(h2c_tvalid_1), .m_axis_h2c_tready_1(h2c_tready_1),
    .m_axis_h2c_tdata_2(h2c_tdata_2), .m_axis_h2c_tkeep_2(h2c_tkeep_2), .m_axis_h2c_tlast_2(h2c_tlast_2),
    .m_axis_h2c_tvalid_2(h2c_tvalid_2), .m_axis_h2c_tready_2(h2c_tready_2),
    .s_axis_c2h_tdata_0(c2h_tdata_0), .s_axis_c2h_tkeep_0(c2h_tkeep_0), .s_axis_c2h_tlast_0(c2h_tlast_0),
    .s_axis_c2h_tvalid_0(c2h_tvalid_0), .s_axis_c2h_tready_0(c2h_tready_0),
    .s_axis_c2h_tdata_1(c2h_tdata_1), .s_axis_c2h_tkeep_1(c2h_tkeep_1), .s_axis_c2h_tlast_1(c2h_tlast_1),
    .s_axis_c2h_tvalid_1(c2h_tvalid_1), .s_axis_c2h_tready_1(c2h_tready_1)
);

// ---- core clock and resets ---------------------------------------------------------------------------------
wire core_clk, core_clock_locked;
clk_wiz_core core_clock_inst (
    .clk_in1_p(clk_300mhz_p), .clk_in1_n(clk_300mhz_n), .reset(1'b0),
    .clk_out1(core_clk), .locked(core_clock_locked)
);

// One source for the data path's resets in both domains, so both sides of every clock-crossing FIFO are
// reset together: the XDMA's reset (link down, hot reset), the core clock unlocked, or the host's
// CONTROL.CORE_RESET. The register block leaves reset with the XDMA alone, so the host reads STATUS while
// the core clock is down and releases the core it held.
wire xdma_rst, path_rst, core_rst;
wire core_reset_request;
wire path_rst_source = !xdma_aresetn || !core_clock_locked || core_reset_request;
reset_sync xdma_rst_sync (.clk(xdma_clk), .rst_in(!xdma_aresetn), .rst(xdma_rst));
reset_sync path_rst_sync (.clk(xdma_clk), .rst_in(path_rst_source), .rst(path_rst));
reset_sync core_rst_sync (.clk(core_clk), .rst_in(path_rst_source), .rst(core_rst));

// ---- shell and core ------------------------------------------------------------------------------------------
wire [63:0] fix_tdata, feed_tdata, order_in_tdata, order_out_tdata;
wire [7:0]  fix_tkeep, feed_tkeep, order_in_tkeep, order_out_tkeep;
wire fix_tvalid, fix_tready, fix_tlast, feed_tvalid, feed_tready, feed_tlast;
wire order_in_tvalid, order_in_tready, order_in_tlast;
wire order_out_tvalid, order_out_tready, order_out_tlast, order_out_tuser;
wire [`TG_REC_BITS-1:0] event_tdata;
wire event_tvalid, event_tready;
wire [`TG_CSR_ADDR_BITS-1:0] csr_awaddr, csr_araddr;
wire [31:0] csr_wdata, csr_rdata;
wire [3:0]  csr_wstrb;
wire [1:0]  csr_bresp, csr_rresp;
wire csr_awvalid, csr_awready, csr_wvalid, csr_wready, csr_bvalid, csr_bready;
wire csr_arvalid, csr_arready, csr_rvalid, csr_rready;

xdma_shell #(.WORDS(WORDS)) shell_inst (
    .xdma_clk(xdma_clk), .xdma_rst(xdma_rst), .path_rst(path_rst),
    .core_clk(core_clk), .core_rst(core_rst), .core_clock_locked(core_clock_locked),
    .core_reset_request(core_reset_request),
    .s_axis_h2c_fix_tdata(h2c_tdata_0), .s_axis_h2c_fix_tkeep(h2c_tkeep_0), .s_axis_h2c_fix_tvalid(h2c_tvalid_0),
    .s_axis_h2c_fix_tready(h2c_tready_0), .s_axis_h2c_fix_tlast(h2c_tlast_0),
    .s_axis_h2c_feed_tdata(h2c_tdata_1), .s_axis_h2c_feed_tkeep(h2c_tkeep_1), .s_axis_h2c_feed_tvalid(h2c_tvalid_1),
    .s_axis_h2c_feed_tready(h2c_tready_1), .s_axis_h2c_feed_tlast(h2c_tlast_1),
    .s_axis_h2c_orders_tdata(h2c_tdata_2), .s_axis_h2c_orders_tkeep(h2c_tkeep_2),
    .s_axis_h2c_orders_tvalid(h2c_tvalid_2), .s_axis_h2c_orders_tready(h2c_tready_2),
    .s_axis_h2c_orders_tlast(h2c_tlast_2),
    .m_axis_c2h_records_tdata(c2h_tdata_0), .m_axis_c2h_records_tkeep(c2h_tkeep_0),
    .m_axis_c2h_records_tvalid(c2h_tvalid_0), .m_axis_c2h_records_tready(c2h_tready_0),
    .m_axis_c2h_records_tlast(c2h_tlast_0),
    .m_axis_c2h_orders_tdata(c2h_tdata_1), .m_axis_c2h_orders_tkeep(c2h_tkeep_1),
    .m_axis_c2h_orders_tvalid(c2h_tvalid_1), .m_axis_c2h_orders_tready(c2h_tready_1),
    .m_axis_c2h_orders_tlast(c2h_tlast_1),
    .s_axil_awaddr(axil_awaddr), .s_axil_awvalid(axil_awvalid), .s_axil_awready(axil_awready),
    .s_axil_wdata(axil_wdata), .s_axil_wstrb(axil_wstrb), .s_axil_wvalid(axil_wvalid), .s_axil_wready(axil_wready),
    .s_axil_bresp(axil_bresp), .s_axil_bvalid(axil_bvalid), .s_axil_bready(axil_bready),
    .s_axil_araddr(axil_araddr), .s_axil_arvalid(axil_arvalid), .s_axil_arready(axil_arready),
    .s_axil_rdata(axil_rdata), .s_axil_rresp(axil_rresp), .s_axil_rvalid(axil_rvalid), .s_axil_rready(axil_rready),
    .m_axis_fix_tdata(fix_tdata), .m_axis_fix_tkeep(fix_tkeep), .m_axis_fix_tvalid(fix_tvalid),
    .m_axis_fix_tready(fix_tready), .m_axis_fix_tlast(fix_tlast),
    .m_axis_feed_tdata(feed_tdata), .m_axis_feed_tkeep(feed_tkeep), .m_axis_feed_tvalid(feed_tvalid),
    .m_axis_feed_tready(feed_tready), .m_axis_feed_tlast(feed_tlast),
    .m_axis_order_tdata(order_in_tdata), .m_axis_order_tkeep(order_in_tkeep), .m_axis_order_tvalid(order_in_tvalid),
    .m_axis_order_tready(order_in_tready), .m_axis_order_tlast(order_in_tlast),
    .s_axis_order_tdata(order_out_tdata), .s_axis_order_tkeep(order_out_tkeep),
    .s_axis_order_tvalid(order_out_tvalid), .s_axis_order_tready(order_out_tready),
    .s_axis_order_tlast(order_out_tlast), .s_axis_order_tuser(order_out_tuser),
    .s_axis_event_tdata(event_tdata), .s_axis_event_tvalid(event_tvalid), .s_axis_event_tready(event_tready),
    .m_axil_awaddr(csr_awaddr), .m_axil_awvalid(csr_awvalid), .m_axil_awready(csr_awready),
    .m_axil_wdata(csr_wdata), .m_axil_wstrb(csr_wstrb), .m_axil_wvalid(csr_wvalid), .m_axil_wready(csr_wready),
    .m_axil_bresp(csr_bresp), .m_axil_bvalid(csr_bvalid), .m_axil_bready(csr_bready),
    .m_axil_araddr(csr_araddr), .m_axil_arvalid(csr_arvalid), .m_axil_arready(csr_arready),
    .m_axil_rdata(csr_rdata), .m_axil_rresp(csr_rresp), .m_axil_rvalid(csr_rvalid), .m_axil_rready(csr_rready)
);

tickgate_core core_inst (
    .clk(core_clk), .rst(core_rst),
    .s_axis_fix_tdata(fix_tdata), .s_axis_fix_tkeep(fix_tkeep), .s_axis_fix_tvalid(fix_tvalid),
    .s_axis_fix_tready(fix_tready), .s_axis_fix_tlast(fix_tlast),
    .s_axis_feed_tdata(feed_tdata), .s_axis_feed_tkeep(feed_tkeep), .s_axis_feed_tvalid(feed_tvalid),
    .s_axis_feed_tready(feed_tready), .s_axis_feed_tlast(feed_tlast),
    .s_axis_order_tdata(order_in_tdata), .s_axis_order_tkeep(order_in_tkeep), .s_axis_order_tvalid(order_in_tvalid),
    .s_axis_order_tready(order_in_tready), .s_axis_order_tlast(order_in_tlast),
    .m_axis_order_tdata(order_out_tdata), .m_axis_order_tkeep(order_out_tkeep), .m_axis_order_tvalid(order_out_tvalid),
    .m_axis_order_tready(order_out_tready), .m_axis_order_tlast(order_out_tlast), .m_axis_order_tuser(order_out_tuser),
    .m_axis_event_tdata(event_tdata), .m_axis_event_tvalid(event_tvalid), .m_axis_event_tready(event_tready),
    .s_axil_awaddr(csr_awaddr), .s_axil_awvalid(csr_awvalid), .s_axil_awready(csr_awready),
    .s_axil_wdata(csr_wdata), .s_axil_wstrb(csr_wstrb), .s_axil_wvalid(csr_wvalid), .s_axil_wready(csr_wready),
    .s_axil_bresp(csr_bresp), .s_axil_bvalid(csr_bvalid), .s_axil_bready(csr_bready),
    .s_axil_araddr(csr_araddr), .s_axil_arvalid(csr_arvalid), .s_axil_arready(csr_arready),
    .s_axil_rdata(csr_rdata), .s_axil_rresp(csr_rresp), .s_axil_rvalid(csr_rvalid), .s_axil_rready(csr_rready)
);

// ---- LEDs ----------------------------------------------------------------------------------------------------
reg [27:0] heartbeat_reg;
always @(posedge core_clk) heartbeat_reg <= heartbeat_reg + 28'd1;
assign led = {heartbeat_reg[27], core_clock_locked, user_lnk_up};

wire unused_xdma = ^{axil_awprot, axil_arprot, usr_irq_ack, msi_enable, msi_vector_width};

endmodule
`default_nettype wire
