// Behavioural model of the ports of the XDMA IP instance that build.tcl generates (xdma_0: PCIe Gen3 x16,
// AXI-Stream, 3 H2C and 2 C2H channels of 512 bits, AXI-Lite master on the user BAR), for lint: every
// output the shell reads is driven (axi_aclk from the reference clock, reset released after 16 cycles, no
// transfers), every input it drives is read. Port names and widths are those of the IP's instantiation
// template; a change in build.tcl's IP parameters must be mirrored here.
`default_nettype none
module xdma_0 (
    input  wire         sys_clk,
    input  wire         sys_clk_gt,
    input  wire         sys_rst_n,
    input  wire [15:0]  pci_exp_rxp,
    input  wire [15:0]  pci_exp_rxn,
    output wire [15:0]  pci_exp_txp,
    output wire [15:0]  pci_exp_txn,
    output wire         user_lnk_up,
    output wire         axi_aclk,
    output wire         axi_aresetn,
    input  wire [0:0]   usr_irq_req,
    output wire [0:0]   usr_irq_ack,
    output wire         msi_enable,
    output wire [2:0]   msi_vector_width,

    output wire [31:0]  m_axil_awaddr,
    output wire [2:0]   m_axil_awprot,
    output wire         m_axil_awvalid,
    input  wire         m_axil_awready,
    output wire [31:0]  m_axil_wdata,
    output wire [3:0]   m_axil_wstrb,
    output wire         m_axil_wvalid,
    input  wire         m_axil_wready,
    input  wire         m_axil_bvalid,
    input  wire [1:0]   m_axil_bresp,
    output wire         m_axil_bready,
    output wire [31:0]  m_axil_araddr,
    output wire [2:0]   m_axil_arprot,
    output wire         m_axil_arvalid,
    input  wire         m_axil_arready,
    input  wire [31:0]  m_axil_rdata,
    input  wire [1:0]   m_axil_rresp,
    input  wire         m_axil_rvalid,
    output wire         m_axil_rready,

    output wire [511:0] m_axis_h2c_tdata_0,
    output wire [63:0]  m_axis_h2c_tkeep_0,
    output wire         m_axis_h2c_tlast_0,
    output wire         m_axis_h2c_tvalid_0,
    input  wire         m_axis_h2c_tready_0,
    output wire [511:0] m_axis_h2c_tdata_1,
    output wire [63:0]  m_axis_h2c_tkeep_1,
    output wire         m_axis_h2c_tlast_1,
    output wire         m_axis_h2c_tvalid_1,
    input  wire         m_axis_h2c_tready_1,
    output wire [511:0] m_axis_h2c_tdata_2,
    output wire [63:0]  m_axis_h2c_tkeep_2,
    output wire         m_axis_h2c_tlast_2,
    output wire         m_axis_h2c_tvalid_2,
    input  wire         m_axis_h2c_tready_2,

    input  wire [511:0] s_axis_c2h_tdata_0,
    input  wire [63:0]  s_axis_c2h_tkeep_0,
    input  wire         s_axis_c2h_tlast_0,
    input  wire         s_axis_c2h_tvalid_0,
    output wire         s_axis_c2h_tready_0,
    input  wire [511:0] s_axis_c2h_tdata_1,
    input  wire [63:0]  s_axis_c2h_tkeep_1,
    input  wire         s_axis_c2h_tlast_1,
    input  wire         s_axis_c2h_tvalid_1,
    output wire         s_axis_c2h_tready_1
);

reg [4:0] reset_count_reg = 5'd0;
always @(posedge sys_clk) if (!sys_rst_n) reset_count_reg <= 5'd0; else if (!reset_count_reg[4]) reset_count_reg <= reset_count_reg + 5'd1;

assign axi_aclk = sys_clk;
assign axi_aresetn = reset_count_reg[4];
assign user_lnk_up = reset_count_reg[4];
assign pci_exp_txp = pci_exp_rxp;
assign pci_exp_txn = pci_exp_rxn;
assign usr_irq_ack = usr_irq_req;
assign msi_enable = 1'b0;
assign msi_vector_width = 3'd0;

assign m_axil_awaddr = 32'd0;
assign m_axil_awprot = 3'd0;
assign m_axil_awvalid = 1'b0;
assign m_axil_wdata = 32'd0;
assign m_axil_wstrb = 4'd0;
assign m_axil_wvalid = 1'b0;
assign m_axil_bready = 1'b1;
assign m_axil_araddr = 32'd0;
assign m_axil_arprot = 3'd0;
assign m_axil_arvalid = 1'b0;
assign m_axil_rready = 1'b1;
assign m_axis_h2c_tdata_0 = 512'd0;
assign m_axis_h2c_tkeep_0 = 64'd0;
assign m_axis_h2c_tlast_0 = 1'b0;
assign m_axis_h2c_tvalid_0 = 1'b0;
assign m_axis_h2c_tdata_1 = 512'd0;
assign m_axis_h2c_tkeep_1 = 64'd0;
assign m_axis_h2c_tlast_1 = 1'b0;
assign m_axis_h2c_tvalid_1 = 1'b0;
assign m_axis_h2c_tdata_2 = 512'd0;
assign m_axis_h2c_tkeep_2 = 64'd0;
assign m_axis_h2c_tlast_2 = 1'b0;
assign m_axis_h2c_tvalid_2 = 1'b0;
assign s_axis_c2h_tready_0 = 1'b1;
assign s_axis_c2h_tready_1 = 1'b1;

wire unused_inputs = ^{sys_clk_gt, m_axil_awready, m_axil_wready, m_axil_bvalid, m_axil_bresp, m_axil_arready,
                       m_axil_rdata, m_axil_rresp, m_axil_rvalid, m_axis_h2c_tready_0, m_axis_h2c_tready_1,
                       m_axis_h2c_tready_2, s_axis_c2h_tdata_0, s_axis_c2h_tkeep_0, s_axis_c2h_tlast_0,
                       s_axis_c2h_tvalid_0, s_axis_c2h_tdata_1, s_axis_c2h_tkeep_1, s_axis_c2h_tlast_1,
                       s_axis_c2h_tvalid_1};
endmodule
`default_nettype wire
