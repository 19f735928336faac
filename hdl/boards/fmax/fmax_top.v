// Timing harness for place-and-route estimates (nextpnr-ice40): the core with every input driven from a
// free-running LFSR and every output folded into one registered pin, so nothing is optimised away and
// the design needs three pins. Not a board: it exists to measure Fmax of the core.
`default_nettype none
`include "tickgate_layout.vh"
module fmax_top (
    input  wire clk,
    input  wire rst,
    output wire out
);

localparam LFSR_BITS = 128;
localparam AW = `TG_CSR_ADDR_BITS;

reg [LFSR_BITS-1:0] lfsr_reg;
always @(posedge clk) begin
    if (rst) lfsr_reg <= {{LFSR_BITS-1{1'b0}}, 1'b1};
    // x^128 + x^126 + x^101 + x^99 + 1, shifted left
    else lfsr_reg <= {lfsr_reg[LFSR_BITS-2:0], lfsr_reg[127] ^ lfsr_reg[125] ^ lfsr_reg[100] ^ lfsr_reg[98]};
end

wire        fix_tready, feed_tready, order_tready;
wire [63:0] order_out_tdata;
wire [7:0]  order_out_tkeep;
wire        order_out_tvalid, order_out_tlast, order_out_tuser;
wire [`TG_REC_BITS-1:0] event_tdata;
wire        event_tvalid;
wire        awready, wready, bvalid, arready, rvalid;
wire [1:0]  bresp, rresp;
wire [31:0] rdata;

tickgate_core core_inst (
    .clk(clk),
    .rst(rst),
    .s_axis_fix_tdata(lfsr_reg[63:0]),
    .s_axis_fix_tkeep(8'hFF >> lfsr_reg[66:64]),
    .s_axis_fix_tvalid(lfsr_reg[67]),
    .s_axis_fix_tready(fix_tready),
    .s_axis_fix_tlast(lfsr_reg[68] & lfsr_reg[69] & lfsr_reg[70]),
    .s_axis_feed_tdata(lfsr_reg[127:64]),
    .s_axis_feed_tkeep(8'hFF >> lfsr_reg[2:0]),
    .s_axis_feed_tvalid(lfsr_reg[93]),
    .s_axis_feed_tready(feed_tready),
    .s_axis_feed_tlast(lfsr_reg[94] & lfsr_reg[95] & lfsr_reg[3]),
    .s_axis_order_tdata({lfsr_reg[31:0], lfsr_reg[127:96]}),
    .s_axis_order_tkeep(8'hFF >> lfsr_reg[5:3]),
    .s_axis_order_tvalid(lfsr_reg[97]),
    .s_axis_order_tready(order_tready),
    .s_axis_order_tlast(lfsr_reg[98] & lfsr_reg[99] & lfsr_reg[6]),
    .m_axis_order_tdata(order_out_tdata),
    .m_axis_order_tkeep(order_out_tkeep),
    .m_axis_order_tvalid(order_out_tvalid),
    .m_axis_order_tready(lfsr_reg[101]),
    .m_axis_order_tlast(order_out_tlast),
    .m_axis_order_tuser(order_out_tuser),
    .m_axis_event_tdata(event_tdata),
    .m_axis_event_tvalid(event_tvalid),
    .m_axis_event_tready(lfsr_reg[71]),
    .s_axil_awaddr(lfsr_reg[72 +: AW]),
    .s_axil_awvalid(lfsr_reg[84]),
    .s_axil_awready(awready),
    .s_axil_wdata(lfsr_reg[127:96]),
    .s_axil_wstrb(lfsr_reg[88 +: 4]),
    .s_axil_wvalid(lfsr_reg[85]),
    .s_axil_wready(wready),
    .s_axil_bresp(bresp),
    .s_axil_bvalid(bvalid),
    .s_axil_bready(lfsr_reg[86]),
    .s_axil_araddr(lfsr_reg[100 +: AW]),
    .s_axil_arvalid(lfsr_reg[87]),
    .s_axil_arready(arready),
    .s_axil_rdata(rdata),
    .s_axil_rresp(rresp),
    .s_axil_rvalid(rvalid),
    .s_axil_rready(lfsr_reg[92])
);

reg out_reg;
always @(posedge clk) begin
    out_reg <= ^{fix_tready, feed_tready, order_tready, order_out_tdata, order_out_tkeep, order_out_tvalid, order_out_tlast, order_out_tuser, event_tdata, event_tvalid, awready, wready, bvalid, arready, rvalid, bresp, rresp, rdata};
end
assign out = out_reg;

endmodule
`default_nettype wire
