// Testbench top for the serial shell alone (test/serial-link.rtl.test.ts): the Arty top's pins, the shell, and
// in place of the core a loopback with random back-pressure on every port. Each beat the FIX or feed ingress
// takes becomes a record holding it (data, tkeep, tlast, stream, a running beat number); the order ingress is
// echoed to the order egress, tuser on the last beat of every second frame; 16 read/write registers answer
// at 0x000..0x03C, anything else SLVERR. Clocked by sim/serial-emulator/main.cc like the board top.
`default_nettype none
`include "tickgate_layout.vh"
module serial_link_tb #(
    parameter integer CLKS_PER_BIT = 4,
    parameter integer RTO_CYCLES = 200000
) (
    input  wire CLK100MHZ,
    input  wire ck_rst,
    input  wire uart_txd_in,
    output wire uart_rxd_out
);
wire clk = CLK100MHZ;
reg rst;
always @(posedge clk) rst <= !ck_rst;

wire core_rst;
wire [63:0] fix_tdata, feed_tdata, oin_tdata;
wire [7:0]  fix_tkeep, feed_tkeep, oin_tkeep;
wire fix_tvalid, fix_tlast, feed_tvalid, feed_tlast, oin_tvalid, oin_tlast;
wire fix_tready, feed_tready, oin_tready;
reg  [63:0] oout_tdata;
reg  [7:0]  oout_tkeep;
reg  oout_tvalid, oout_tlast, oout_tuser;
wire oout_tready;
reg  [`TG_REC_BITS-1:0] rec_tdata;
reg  rec_tvalid;
wire rec_tready;
wire [`TG_CSR_ADDR_BITS-1:0] awaddr, araddr;
wire [31:0] wdata;
reg  [31:0] rdata;
wire [3:0]  wstrb;
reg  [1:0]  bresp, rresp;
wire awvalid, wvalid, bready, arvalid, rready;
reg  bvalid, rvalid;
wire awready, wready, arready;

serial_shell #(.CLKS_PER_BIT(CLKS_PER_BIT), .RTO_CYCLES(RTO_CYCLES)) shell (
    .clk(clk), .rst(rst), .rxd(uart_txd_in), .txd(uart_rxd_out), .core_rst(core_rst),
    .m_axis_fix_tdata(fix_tdata), .m_axis_fix_tkeep(fix_tkeep), .m_axis_fix_tvalid(fix_tvalid),
    .m_axis_fix_tready(fix_tready), .m_axis_fix_tlast(fix_tlast),
    .m_axis_feed_tdata(feed_tdata), .m_axis_feed_tkeep(feed_tkeep), .m_axis_feed_tvalid(feed_tvalid),
    .m_axis_feed_tready(feed_tready), .m_axis_feed_tlast(feed_tlast),
    .m_axis_order_tdata(oin_tdata), .m_axis_order_tkeep(oin_tkeep), .m_axis_order_tvalid(oin_tvalid),
    .m_axis_order_tready(oin_tready), .m_axis_order_tlast(oin_tlast),
    .s_axis_order_tdata(oout_tdata), .s_axis_order_tkeep(oout_tkeep), .s_axis_order_tvalid(oout_tvalid),
    .s_axis_order_tready(oout_tready), .s_axis_order_tlast(oout_tlast), .s_axis_order_tuser(oout_tuser),
    .s_axis_event_tdata(rec_tdata), .s_axis_event_tvalid(rec_tvalid), .s_axis_event_tready(rec_tready),
    .m_axil_awaddr(awaddr), .m_axil_awvalid(awvalid), .m_axil_awready(awready), .m_axil_wdata(wdata),
    .m_axil_wstrb(wstrb), .m_axil_wvalid(wvalid), .m_axil_wready(wready), .m_axil_bresp(bresp),
    .m_axil_bvalid(bvalid), .m_axil_bready(bready), .m_axil_araddr(araddr), .m_axil_arvalid(arvalid),
    .m_axil_arready(arready), .m_axil_rdata(rdata), .m_axil_rresp(rresp), .m_axil_rvalid(rvalid), .m_axil_rready(rready)
);

// back-pressure: each port ready in a random half of the cycles
reg [31:0] lfsr;
always @(posedge clk) lfsr <= rst ? 32'hACE1_2468 : {lfsr[30:0], lfsr[31] ^ lfsr[21] ^ lfsr[1] ^ lfsr[0]};

// ---- FIX and feed beats into records, one at a time, the two streams taking turns --------------------------
reg        turn;
reg [31:0] beats;
assign fix_tready = !rec_tvalid && !turn && lfsr[3];
assign feed_tready = !rec_tvalid && turn && lfsr[5];
always @(posedge clk) begin
    if (rec_tvalid && rec_tready) rec_tvalid <= 1'b0;
    turn <= !turn;
    if ((fix_tvalid && fix_tready) || (feed_tvalid && feed_tready)) begin
        rec_tvalid <= 1'b1;
        rec_tdata <= '0;
        rec_tdata[63:0] <= fix_tready ? fix_tdata : feed_tdata;
        rec_tdata[71:64] <= fix_tready ? fix_tkeep : feed_tkeep;
        rec_tdata[79:72] <= {7'd0, fix_tready ? fix_tlast : feed_tlast};
        rec_tdata[87:80] <= fix_tready ? 8'd0 : 8'd1;
        rec_tdata[127:96] <= beats;
        beats <= beats + 1'b1;
    end
    if (core_rst) begin
        rec_tvalid <= 1'b0;
        beats <= 32'd0;
    end
end

// ---- orders echoed ----------------------------------------------------------------------------------------------
reg odd_frame;
assign oin_tready = (!oout_tvalid || oout_tready) && lfsr[7];
always @(posedge clk) begin
    if (oout_tvalid && oout_tready) oout_tvalid <= 1'b0;
    if (oin_tvalid && oin_tready) begin
        {oout_tvalid, oout_tdata, oout_tkeep, oout_tlast} <= {1'b1, oin_tdata, oin_tkeep, oin_tlast};
        oout_tuser <= oin_tlast && odd_frame;
        if (oin_tlast) odd_frame <= !odd_frame;
    end
    if (core_rst) begin
        oout_tvalid <= 1'b0;
        odd_frame <= 1'b0;
    end
end

// ---- registers: 16 words, SLVERR elsewhere; answers after a random wait ---------------------------------------
reg [31:0] regs [0:15];
wire aw_known = awaddr[`TG_CSR_ADDR_BITS-1:6] == 0;
wire ar_known = araddr[`TG_CSR_ADDR_BITS-1:6] == 0;
assign awready = awvalid && wvalid && !bvalid && lfsr[9];
assign wready = awready;
assign arready = arvalid && !rvalid && lfsr[11];
always @(posedge clk) begin
    if (bvalid && bready) bvalid <= 1'b0;
    if (rvalid && rready) rvalid <= 1'b0;
    if (awready) begin
        if (aw_known) regs[awaddr[5:2]] <= wdata;
        bvalid <= 1'b1;
        bresp <= aw_known ? 2'b00 : 2'b10;
    end
    if (arready) begin
        rdata <= ar_known ? regs[araddr[5:2]] : 32'd0;
        rvalid <= 1'b1;
        rresp <= ar_known ? 2'b00 : 2'b10;
    end
    if (core_rst) begin
        bvalid <= 1'b0;
        rvalid <= 1'b0;
    end
end
wire unused = ^{wstrb, awaddr[1:0], araddr[1:0]};
endmodule
`default_nettype wire
