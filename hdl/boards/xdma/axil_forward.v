// One AXI-Lite access on a master port, for a block that holds a request and wants its answer: `start`
// (a pulse) begins it with the address and data the caller holds steady until `done`; the address and data
// channels are each offered until taken, then the answer is taken at once. `done` pulses in the cycle the
// answer is taken, with `resp` and `rdata` (reads) valid in that cycle.
`default_nettype none
module axil_forward #(
    parameter ADDR_WIDTH = 12
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire                  start,
    input  wire                  write,
    input  wire [ADDR_WIDTH-1:0] addr,
    input  wire [31:0]           wdata,
    input  wire [3:0]            wstrb,
    output wire                  busy,
    output wire                  done,
    output wire [1:0]            resp,
    output wire [31:0]           rdata,

    output wire [ADDR_WIDTH-1:0] m_axil_awaddr,
    output wire                  m_axil_awvalid,
    input  wire                  m_axil_awready,
    output wire [31:0]           m_axil_wdata,
    output wire [3:0]            m_axil_wstrb,
    output wire                  m_axil_wvalid,
    input  wire                  m_axil_wready,
    input  wire [1:0]            m_axil_bresp,
    input  wire                  m_axil_bvalid,
    output wire                  m_axil_bready,
    output wire [ADDR_WIDTH-1:0] m_axil_araddr,
    output wire                  m_axil_arvalid,
    input  wire                  m_axil_arready,
    input  wire [31:0]           m_axil_rdata,
    input  wire [1:0]            m_axil_rresp,
    input  wire                  m_axil_rvalid,
    output wire                  m_axil_rready
);

reg busy_reg;
reg aw_done_reg, w_done_reg, ar_done_reg;

assign busy = busy_reg;
assign m_axil_awaddr = addr;
assign m_axil_araddr = addr;
assign m_axil_wdata = wdata;
assign m_axil_wstrb = wstrb;
assign m_axil_awvalid = busy_reg && write && !aw_done_reg;
assign m_axil_wvalid = busy_reg && write && !w_done_reg;
assign m_axil_arvalid = busy_reg && !write && !ar_done_reg;
assign m_axil_bready = busy_reg && write;
assign m_axil_rready = busy_reg && !write;
assign done = busy_reg && (write ? m_axil_bvalid : m_axil_rvalid);
assign resp = write ? m_axil_bresp : m_axil_rresp;
assign rdata = m_axil_rdata;

always @(posedge clk) begin
    if (rst) begin
        busy_reg <= 1'b0;
        aw_done_reg <= 1'b0;
        w_done_reg <= 1'b0;
        ar_done_reg <= 1'b0;
    end else if (start) begin
        busy_reg <= 1'b1;
        aw_done_reg <= 1'b0;
        w_done_reg <= 1'b0;
        ar_done_reg <= 1'b0;
    end else begin
        if (m_axil_awvalid && m_axil_awready) aw_done_reg <= 1'b1;
        if (m_axil_wvalid && m_axil_wready) w_done_reg <= 1'b1;
        if (m_axil_arvalid && m_axil_arready) ar_done_reg <= 1'b1;
        if (done) busy_reg <= 1'b0;
    end
end

endmodule
`default_nettype wire
