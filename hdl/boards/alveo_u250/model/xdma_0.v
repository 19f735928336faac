// Behavioural model of the ports of the XDMA IP instance that build.tcl generates (xdma_0: PCIe Gen3 x16,
// AXI-Stream, 3 H2C and 2 C2H channels of 512 bits, AXI-Lite master on the user BAR), for lint and for the
// PCIe emulator (sim/xdma-emulator): the host side of every channel is a DPI-C call into the emulator,
// which serves the XDMA driver's device files. axi_aclk is the reference clock; reset is released 16 cycles
// after PERST#. Port names and widths are those of the IP's instantiation template; a change in build.tcl's
// IP parameters must be mirrored here.
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

`ifdef VERILATOR  // Yosys reads this model only for its ports (read_verilog -lib, the IP a black box)
// ---- the emulator's side (sim/xdma-emulator/card.cc) -------------------------------------------------------
// The next host-to-card beat of a channel: 1 and the beat, or 0 when the host has none queued.
import "DPI-C" function int xdma_h2c_next(input int channel, output bit [511:0] data, output bit [63:0] keep,
                                          output bit last);
// 1 when a host read on the channel has room for another beat (the C2H engine only takes data into a read);
// `waiting`: the shell offered a beat this cycle that was not taken.
import "DPI-C" function int xdma_c2h_ready(input int channel, input bit waiting);
import "DPI-C" function void xdma_c2h_beat(input int channel, input bit [511:0] data, input bit [63:0] keep,
                                           input bit last);
// The next register access from the host: 1 and the access, or 0.
import "DPI-C" function int xdma_axil_next(output bit write, output bit [31:0] addr, output bit [31:0] data);
import "DPI-C" function void xdma_axil_done(input bit [1:0] resp, input bit [31:0] data);

reg [4:0] reset_count_reg = 5'd0;
always @(posedge sys_clk) if (!sys_rst_n) reset_count_reg <= 5'd0; else if (!reset_count_reg[4]) reset_count_reg <= reset_count_reg + 5'd1;
wire running = reset_count_reg[4];

assign axi_aclk = sys_clk;
assign axi_aresetn = running;
assign user_lnk_up = running;
assign pci_exp_txp = pci_exp_rxp;
assign pci_exp_txn = pci_exp_rxn;
assign usr_irq_ack = usr_irq_req;
assign msi_enable = 1'b0;
assign msi_vector_width = 3'd0;

// ---- host to card ------------------------------------------------------------------------------------------
reg [511:0] h2c_tdata_reg [0:2];
reg [63:0]  h2c_tkeep_reg [0:2];
reg [2:0]   h2c_tlast_reg = 3'd0, h2c_tvalid_reg = 3'd0;
wire [2:0]  h2c_tready = {m_axis_h2c_tready_2, m_axis_h2c_tready_1, m_axis_h2c_tready_0};
bit [511:0] h2c_data;
bit [63:0]  h2c_keep;
bit         h2c_last;
integer     ch;
always @(posedge sys_clk) begin
    for (ch = 0; ch < 3; ch = ch + 1) begin
        if (!running) begin
            h2c_tvalid_reg[ch] <= 1'b0;
        end else if (!h2c_tvalid_reg[ch] || h2c_tready[ch]) begin
            if (xdma_h2c_next(ch, h2c_data, h2c_keep, h2c_last) != 0) begin
                h2c_tdata_reg[ch] <= h2c_data;
                h2c_tkeep_reg[ch] <= h2c_keep;
                h2c_tlast_reg[ch] <= h2c_last;
                h2c_tvalid_reg[ch] <= 1'b1;
            end else begin
                h2c_tvalid_reg[ch] <= 1'b0;
            end
        end
    end
end
assign m_axis_h2c_tdata_0 = h2c_tdata_reg[0];
assign m_axis_h2c_tkeep_0 = h2c_tkeep_reg[0];
assign m_axis_h2c_tlast_0 = h2c_tlast_reg[0];
assign m_axis_h2c_tvalid_0 = h2c_tvalid_reg[0];
assign m_axis_h2c_tdata_1 = h2c_tdata_reg[1];
assign m_axis_h2c_tkeep_1 = h2c_tkeep_reg[1];
assign m_axis_h2c_tlast_1 = h2c_tlast_reg[1];
assign m_axis_h2c_tvalid_1 = h2c_tvalid_reg[1];
assign m_axis_h2c_tdata_2 = h2c_tdata_reg[2];
assign m_axis_h2c_tkeep_2 = h2c_tkeep_reg[2];
assign m_axis_h2c_tlast_2 = h2c_tlast_reg[2];
assign m_axis_h2c_tvalid_2 = h2c_tvalid_reg[2];

// ---- card to host ------------------------------------------------------------------------------------------
reg [1:0] c2h_tready_reg = 2'd0;
always @(posedge sys_clk) begin
    if (!running) begin
        c2h_tready_reg <= 2'd0;
    end else begin
        if (s_axis_c2h_tvalid_0 && c2h_tready_reg[0]) xdma_c2h_beat(0, s_axis_c2h_tdata_0, s_axis_c2h_tkeep_0, s_axis_c2h_tlast_0);
        if (s_axis_c2h_tvalid_1 && c2h_tready_reg[1]) xdma_c2h_beat(1, s_axis_c2h_tdata_1, s_axis_c2h_tkeep_1, s_axis_c2h_tlast_1);
        c2h_tready_reg[0] <= xdma_c2h_ready(0, s_axis_c2h_tvalid_0 && !c2h_tready_reg[0]) != 0;
        c2h_tready_reg[1] <= xdma_c2h_ready(1, s_axis_c2h_tvalid_1 && !c2h_tready_reg[1]) != 0;
    end
end
assign s_axis_c2h_tready_0 = c2h_tready_reg[0];
assign s_axis_c2h_tready_1 = c2h_tready_reg[1];

// ---- register accesses on the user BAR, one at a time -------------------------------------------------------
reg        axil_busy_reg = 1'b0, axil_write_reg = 1'b0;
reg        awvalid_reg = 1'b0, wvalid_reg = 1'b0, arvalid_reg = 1'b0;
reg [31:0] axil_addr_reg = 32'd0, axil_wdata_reg = 32'd0;
bit        axil_write;
bit [31:0] axil_addr, axil_data;
always @(posedge sys_clk) begin
    if (!running) begin
        axil_busy_reg <= 1'b0;
        awvalid_reg <= 1'b0;
        wvalid_reg <= 1'b0;
        arvalid_reg <= 1'b0;
    end else if (!axil_busy_reg) begin
        if (xdma_axil_next(axil_write, axil_addr, axil_data) != 0) begin
            axil_busy_reg <= 1'b1;
            axil_write_reg <= axil_write;
            axil_addr_reg <= axil_addr;
            axil_wdata_reg <= axil_data;
            awvalid_reg <= axil_write;
            wvalid_reg <= axil_write;
            arvalid_reg <= !axil_write;
        end
    end else begin
        if (m_axil_awready) awvalid_reg <= 1'b0;
        if (m_axil_wready) wvalid_reg <= 1'b0;
        if (m_axil_arready) arvalid_reg <= 1'b0;
        if (axil_write_reg && m_axil_bvalid) begin
            xdma_axil_done(m_axil_bresp, 32'd0);
            axil_busy_reg <= 1'b0;
        end
        if (!axil_write_reg && m_axil_rvalid) begin
            xdma_axil_done(m_axil_rresp, m_axil_rdata);
            axil_busy_reg <= 1'b0;
        end
    end
end
assign m_axil_awaddr = axil_addr_reg;
assign m_axil_awprot = 3'd0;
assign m_axil_awvalid = awvalid_reg;
assign m_axil_wdata = axil_wdata_reg;
assign m_axil_wstrb = 4'hF;
assign m_axil_wvalid = wvalid_reg;
assign m_axil_bready = axil_busy_reg && axil_write_reg;
assign m_axil_araddr = axil_addr_reg;
assign m_axil_arprot = 3'd0;
assign m_axil_arvalid = arvalid_reg;
assign m_axil_rready = axil_busy_reg && !axil_write_reg;

wire unused_inputs = ^{sys_clk_gt};
`endif
endmodule
`default_nettype wire
