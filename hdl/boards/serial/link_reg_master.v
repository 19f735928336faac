// One AXI-Lite transaction at a time for the link's register requests: the write's address and data are
// offered together, a read's address alone; the response is kept for the reply frame (and for sending it
// again when the reply was lost).
`default_nettype none
`include "tickgate_layout.vh"
module link_reg_master #(
    parameter integer AW = `TG_CSR_ADDR_BITS
) (
    input  wire          clk,
    input  wire          rst,
    input  wire          start,
    input  wire          write,
    input  wire [AW-1:0] addr,
    input  wire [31:0]   wdata,
    output wire          busy,
    output reg           done,          // one cycle: rdata (reads) and resp hold the answer
    output reg  [31:0]   rdata,
    output reg  [1:0]    resp,

    output reg  [AW-1:0] m_axil_awaddr,
    output reg           m_axil_awvalid,
    input  wire          m_axil_awready,
    output reg  [31:0]   m_axil_wdata,
    output wire [3:0]    m_axil_wstrb,
    output reg           m_axil_wvalid,
    input  wire          m_axil_wready,
    input  wire [1:0]    m_axil_bresp,
    input  wire          m_axil_bvalid,
    output wire          m_axil_bready,
    output reg  [AW-1:0] m_axil_araddr,
    output reg           m_axil_arvalid,
    input  wire          m_axil_arready,
    input  wire [31:0]   m_axil_rdata,
    input  wire [1:0]    m_axil_rresp,
    input  wire          m_axil_rvalid,
    output wire          m_axil_rready
);
reg writing, reading;
assign busy = writing || reading;
assign m_axil_wstrb = 4'hF;
assign m_axil_bready = writing && !m_axil_awvalid && !m_axil_wvalid;
assign m_axil_rready = reading && !m_axil_arvalid;

always @(posedge clk) begin
    done <= 1'b0;
    if (rst) begin
        writing <= 1'b0;
        reading <= 1'b0;
        m_axil_awvalid <= 1'b0;
        m_axil_wvalid <= 1'b0;
        m_axil_arvalid <= 1'b0;
    end else begin
        if (start && !busy) begin
            if (write) begin
                writing <= 1'b1;
                m_axil_awaddr <= addr;
                m_axil_awvalid <= 1'b1;
                m_axil_wdata <= wdata;
                m_axil_wvalid <= 1'b1;
            end else begin
                reading <= 1'b1;
                m_axil_araddr <= addr;
                m_axil_arvalid <= 1'b1;
            end
        end
        if (m_axil_awvalid && m_axil_awready) m_axil_awvalid <= 1'b0;
        if (m_axil_wvalid && m_axil_wready) m_axil_wvalid <= 1'b0;
        if (m_axil_arvalid && m_axil_arready) m_axil_arvalid <= 1'b0;
        if (m_axil_bvalid && m_axil_bready) begin
            writing <= 1'b0;
            done <= 1'b1;
            rdata <= 32'd0;
            resp <= m_axil_bresp;
        end
        if (m_axil_rvalid && m_axil_rready) begin
            reading <= 1'b0;
            done <= 1'b1;
            rdata <= m_axil_rdata;
            resp <= m_axil_rresp;
        end
    end
end
endmodule
`default_nettype wire
