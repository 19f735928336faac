// Serial board shell: everything between a UART's two pins and the shell-agnostic core, in one clock domain.
//
//   rxd -> uart_rx -> slip_rx -> link_rx -> commit_fifo -> ingress_unpack -> core ingress (FIX, feed, orders)
//                                link_rx -> link_reg_master -> core AXI-Lite
//   core records, core order egress -> link_tx -> slip_tx -> uart_tx -> txd
//
// The frame format and its rules are in ARCHITECTURE.md "Serial board link" and spec/device.yaml serialLink.
// A sync from the host holds the core and the link's data path in reset for CLEAR_CYCLES, then answers.
`default_nettype none
`include "tickgate_layout.vh"
module serial_shell #(
    parameter integer CLKS_PER_BIT = 20,
    parameter integer RTO_CYCLES = 1 << 20,
    parameter integer CLEAR_CYCLES = 16
) (
    input  wire                      clk,
    input  wire                      rst,
    input  wire                      rxd,
    output wire                      txd,
    output wire                      core_rst,

    output wire [63:0]               m_axis_fix_tdata,
    output wire [7:0]                m_axis_fix_tkeep,
    output wire                      m_axis_fix_tvalid,
    input  wire                      m_axis_fix_tready,
    output wire                      m_axis_fix_tlast,
    output wire [63:0]               m_axis_feed_tdata,
    output wire [7:0]                m_axis_feed_tkeep,
    output wire                      m_axis_feed_tvalid,
    input  wire                      m_axis_feed_tready,
    output wire                      m_axis_feed_tlast,
    output wire [63:0]               m_axis_order_tdata,
    output wire [7:0]                m_axis_order_tkeep,
    output wire                      m_axis_order_tvalid,
    input  wire                      m_axis_order_tready,
    output wire                      m_axis_order_tlast,
    input  wire [63:0]               s_axis_order_tdata,
    input  wire [7:0]                s_axis_order_tkeep,
    input  wire                      s_axis_order_tvalid,
    output wire                      s_axis_order_tready,
    input  wire                      s_axis_order_tlast,
    input  wire                      s_axis_order_tuser,
    input  wire [`TG_REC_BITS-1:0]   s_axis_event_tdata,
    input  wire                      s_axis_event_tvalid,
    output wire                      s_axis_event_tready,

    output wire [`TG_CSR_ADDR_BITS-1:0] m_axil_awaddr,
    output wire                      m_axil_awvalid,
    input  wire                      m_axil_awready,
    output wire [31:0]               m_axil_wdata,
    output wire [3:0]                m_axil_wstrb,
    output wire                      m_axil_wvalid,
    input  wire                      m_axil_wready,
    input  wire [1:0]                m_axil_bresp,
    input  wire                      m_axil_bvalid,
    output wire                      m_axil_bready,
    output wire [`TG_CSR_ADDR_BITS-1:0] m_axil_araddr,
    output wire                      m_axil_arvalid,
    input  wire                      m_axil_arready,
    input  wire [31:0]               m_axil_rdata,
    input  wire [1:0]                m_axil_rresp,
    input  wire                      m_axil_rvalid,
    output wire                      m_axil_rready
);
localparam integer DEPTH = `TG_SL_FIFO_DEPTH;
localparam integer AW = $clog2(DEPTH);
localparam integer N = `TG_SL_COUNTERS;

// ---- sync: the core and the data path held in reset, then the answer ----------------------------------
wire sync;
wire [7:0] sync_nonce;
reg  [$clog2(CLEAR_CYCLES + 1)-1:0] clearing;
reg  sync_done;
wire clear = rst || clearing != 0;
assign core_rst = clear;
always @(posedge clk) begin
    sync_done <= 1'b0;
    if (rst) clearing <= '0;
    else if (sync) clearing <= CLEAR_CYCLES[$clog2(CLEAR_CYCLES + 1)-1:0];
    else if (clearing != 0) begin
        clearing <= clearing - 1'b1;
        sync_done <= clearing == 1;
    end
end

// ---- receive --------------------------------------------------------------------------------------------
wire [7:0] uart_byte;
wire uart_valid, uart_framing_error;
uart_rx #(.CLKS_PER_BIT(CLKS_PER_BIT)) rx_uart (
    .clk(clk), .rst(rst), .rxd(rxd), .data(uart_byte), .valid(uart_valid), .framing_error(uart_framing_error)
);
wire [7:0] slip_byte;
wire slip_valid, slip_end, slip_bad;
slip_rx rx_slip (
    .clk(clk), .rst(rst), .s_data(uart_byte), .s_valid(uart_valid),
    .m_data(slip_byte), .m_valid(slip_valid), .m_end(slip_end), .m_bad(slip_bad)
);

wire [11:0] fifo_entry, fifo_out;
wire fifo_write, fifo_full, fifo_commit, fifo_rollback, fifo_out_valid, fifo_out_ready;
wire [AW:0] fifo_free;
wire [7:0] expected, ack_seq, reg_seq;
wire ack_valid, ack_rewind, ack_due, stats_due, reg_start, reg_write, reg_busy, reg_resend;
wire [`TG_CSR_ADDR_BITS-1:0] reg_addr;
wire [31:0] reg_wdata;
wire [5:0] rx_counts;
link_rx rx_link (
    .clk(clk), .rst(rst),
    .s_data(slip_byte), .s_valid(slip_valid), .s_end(slip_end), .s_bad(slip_bad),
    .fifo_entry(fifo_entry), .fifo_write(fifo_write), .fifo_full(fifo_full), .fifo_commit(fifo_commit),
    .fifo_rollback(fifo_rollback),
    .expected(expected), .ack_valid(ack_valid), .ack_seq(ack_seq), .ack_rewind(ack_rewind), .ack_due(ack_due),
    .sync(sync), .sync_nonce(sync_nonce), .stats_due(stats_due),
    .reg_start(reg_start), .reg_write(reg_write), .reg_addr(reg_addr), .reg_wdata(reg_wdata), .reg_seq(reg_seq),
    .reg_busy(reg_busy), .reg_resend(reg_resend),
    .count_frames(rx_counts[0]), .count_crc_errors(rx_counts[1]), .count_bad_frames(rx_counts[2]),
    .count_duplicates(rx_counts[3]), .count_out_of_order(rx_counts[4]), .count_overflows(rx_counts[5])
);

commit_fifo #(.WIDTH(12), .DEPTH(DEPTH)) ingress (
    .clk(clk), .rst(clear), .s_data(fifo_entry), .s_valid(fifo_write), .full(fifo_full),
    .commit(fifo_commit), .rollback(fifo_rollback), .free_committed(fifo_free),
    .m_data(fifo_out), .m_valid(fifo_out_valid), .m_ready(fifo_out_ready)
);

ingress_unpack unpack (
    .clk(clk), .rst(clear), .s_entry(fifo_out), .s_valid(fifo_out_valid), .s_ready(fifo_out_ready),
    .m_fix_tdata(m_axis_fix_tdata), .m_fix_tkeep(m_axis_fix_tkeep), .m_fix_tvalid(m_axis_fix_tvalid),
    .m_fix_tready(m_axis_fix_tready), .m_fix_tlast(m_axis_fix_tlast),
    .m_feed_tdata(m_axis_feed_tdata), .m_feed_tkeep(m_axis_feed_tkeep), .m_feed_tvalid(m_axis_feed_tvalid),
    .m_feed_tready(m_axis_feed_tready), .m_feed_tlast(m_axis_feed_tlast),
    .m_order_tdata(m_axis_order_tdata), .m_order_tkeep(m_axis_order_tkeep), .m_order_tvalid(m_axis_order_tvalid),
    .m_order_tready(m_axis_order_tready), .m_order_tlast(m_axis_order_tlast)
);

wire reg_done;
wire [31:0] reg_rdata;
wire [1:0] reg_resp;
link_reg_master regs (
    .clk(clk), .rst(clear), .start(reg_start), .write(reg_write), .addr(reg_addr), .wdata(reg_wdata),
    .busy(reg_busy), .done(reg_done), .rdata(reg_rdata), .resp(reg_resp),
    .m_axil_awaddr(m_axil_awaddr), .m_axil_awvalid(m_axil_awvalid), .m_axil_awready(m_axil_awready),
    .m_axil_wdata(m_axil_wdata), .m_axil_wstrb(m_axil_wstrb), .m_axil_wvalid(m_axil_wvalid), .m_axil_wready(m_axil_wready),
    .m_axil_bresp(m_axil_bresp), .m_axil_bvalid(m_axil_bvalid), .m_axil_bready(m_axil_bready),
    .m_axil_araddr(m_axil_araddr), .m_axil_arvalid(m_axil_arvalid), .m_axil_arready(m_axil_arready),
    .m_axil_rdata(m_axil_rdata), .m_axil_rresp(m_axil_rresp), .m_axil_rvalid(m_axil_rvalid), .m_axil_rready(m_axil_rready)
);

// ---- transmit -------------------------------------------------------------------------------------------
wire [7:0] link_byte, slip_out;
wire link_delimiter, link_valid, link_ready, slip_out_valid, slip_out_ready;
wire [3:0] tx_counts;
wire [32*N-1:0] counters;
link_tx #(.RTO_CYCLES(RTO_CYCLES)) tx_link (
    .clk(clk), .rst(clear),
    .s_rec_tdata(s_axis_event_tdata), .s_rec_tvalid(s_axis_event_tvalid), .s_rec_tready(s_axis_event_tready),
    .s_ord_tdata(s_axis_order_tdata), .s_ord_tkeep(s_axis_order_tkeep), .s_ord_tvalid(s_axis_order_tvalid),
    .s_ord_tready(s_axis_order_tready), .s_ord_tlast(s_axis_order_tlast), .s_ord_tuser(s_axis_order_tuser),
    .expected(expected), .window(16'(fifo_free)), .ack_valid(ack_valid), .ack_seq(ack_seq), .ack_rewind(ack_rewind),
    .ack_due(ack_due), .nak(rx_counts[4]), .sync_done(sync_done), .sync_nonce(sync_nonce), .stats_due(stats_due), .counters(counters),
    .resp_due(reg_done || reg_resend), .resp_seq(reg_seq), .resp_data(reg_rdata), .resp_code(reg_resp),
    .m_data(link_byte), .m_delimiter(link_delimiter), .m_valid(link_valid), .m_ready(link_ready),
    .count_frames(tx_counts[0]), .count_resent(tx_counts[1]), .count_rewinds(tx_counts[2]), .count_timeouts(tx_counts[3])
);
slip_tx tx_slip (
    .clk(clk), .rst(rst), .s_data(link_byte), .s_delimiter(link_delimiter), .s_valid(link_valid), .s_ready(link_ready),
    .m_data(slip_out), .m_valid(slip_out_valid), .m_ready(slip_out_ready)
);
uart_tx #(.CLKS_PER_BIT(CLKS_PER_BIT)) tx_uart (
    .clk(clk), .rst(rst), .s_data(slip_out), .s_valid(slip_out_valid), .s_ready(slip_out_ready), .txd(txd)
);

// ---- counters (spec/device.yaml serialLink.counters, in order), cleared by a sync ----------------------
wire [N-1:0] increments = {tx_counts, uart_framing_error, rx_counts};
genvar c;
generate for (c = 0; c < N; c = c + 1) begin : counter
    event_counter #(.WIDTH(32)) counter_of (
        .clk(clk), .rst(rst), .clear(sync), .inc(increments[c]), .count(counters[32*c +: 32])
    );
end endgenerate
endmodule
`default_nettype wire
