// XDMA board shell: everything between the Xilinx XDMA IP (AXI-Stream mode, user BAR on AXI-Lite) and the
// shell-agnostic core (whose ports it offers, in core_clk; the board top connects the two), for any card whose XDMA streams are 64*WORDS bits wide. Two clock domains:
// xdma_clk (the IP's axi_aclk) and core_clk (the card's own oscillator through an MMCM, in the board top).
//
//   H2C k (fix 0, feed 1, orders 2): h2c_unpack -> h2c_deframer (xdma_clk) -> axis_async_fifo -> core ingress
//   C2H 0: core events -> axis_async_fifo -> c2h_record_packer (xdma_clk), one record per beat
//   C2H 1: core order egress -> axis_async_fifo -> c2h_order_packer (xdma_clk)
//   AXI-Lite: xdma_shell_regs (xdma_clk; the shell's window answered there) -> axil_cdc -> core registers
//
// The crossings (each bounded in the board constraints, ARCHITECTURE.md "PCIe board shell" has the table):
//   five axis_async_fifo (Gray pointers through 2-flop synchronisers; storage read after its pointer crossed),
//   axil_cdc (request and answer held in registers, announced by toggles through 2-flop synchronisers),
//   core_clock_locked and core reset into xdma_clk for STATUS (2-flop synchronisers, single bits),
//   and the resets (reset_sync in the board top).
// Reset: xdma_rst resets the register block only, so STATUS answers while the core is down. path_rst
// (xdma_clk) and core_rst (core_clk) come from one source (XDMA reset or MMCM unlocked) so both sides of
// every FIFO are reset together; while path_rst is high the shell neither takes nor offers a beat.
`default_nettype none
`include "tickgate_layout.vh"
module xdma_shell #(
    parameter WORDS = 8,               // 64-bit words per XDMA stream beat (8: 512-bit, Gen3 x16)
    parameter BAR_ADDR_WIDTH = 32,
    parameter CDC_DEPTH = 16
) (
    input  wire                      xdma_clk,
    input  wire                      xdma_rst,
    input  wire                      path_rst,            // xdma_clk
    input  wire                      core_clk,
    input  wire                      core_rst,
    input  wire                      core_clock_locked,   // asynchronous
    output wire                      core_reset_request,  // xdma_clk: CONTROL.CORE_RESET, for the reset source

    input  wire [64*WORDS-1:0]       s_axis_h2c_fix_tdata,
    input  wire [8*WORDS-1:0]        s_axis_h2c_fix_tkeep,
    input  wire                      s_axis_h2c_fix_tvalid,
    output wire                      s_axis_h2c_fix_tready,
    input  wire                      s_axis_h2c_fix_tlast,
    input  wire [64*WORDS-1:0]       s_axis_h2c_feed_tdata,
    input  wire [8*WORDS-1:0]        s_axis_h2c_feed_tkeep,
    input  wire                      s_axis_h2c_feed_tvalid,
    output wire                      s_axis_h2c_feed_tready,
    input  wire                      s_axis_h2c_feed_tlast,
    input  wire [64*WORDS-1:0]       s_axis_h2c_orders_tdata,
    input  wire [8*WORDS-1:0]        s_axis_h2c_orders_tkeep,
    input  wire                      s_axis_h2c_orders_tvalid,
    output wire                      s_axis_h2c_orders_tready,
    input  wire                      s_axis_h2c_orders_tlast,

    output wire [64*WORDS-1:0]       m_axis_c2h_records_tdata,
    output wire [8*WORDS-1:0]        m_axis_c2h_records_tkeep,
    output wire                      m_axis_c2h_records_tvalid,
    input  wire                      m_axis_c2h_records_tready,
    output wire                      m_axis_c2h_records_tlast,
    output wire [64*WORDS-1:0]       m_axis_c2h_orders_tdata,
    output wire [8*WORDS-1:0]        m_axis_c2h_orders_tkeep,
    output wire                      m_axis_c2h_orders_tvalid,
    input  wire                      m_axis_c2h_orders_tready,
    output wire                      m_axis_c2h_orders_tlast,

    input  wire [BAR_ADDR_WIDTH-1:0] s_axil_awaddr,
    input  wire                      s_axil_awvalid,
    output wire                      s_axil_awready,
    input  wire [31:0]               s_axil_wdata,
    input  wire [3:0]                s_axil_wstrb,
    input  wire                      s_axil_wvalid,
    output wire                      s_axil_wready,
    output wire [1:0]                s_axil_bresp,
    output wire                      s_axil_bvalid,
    input  wire                      s_axil_bready,
    input  wire [BAR_ADDR_WIDTH-1:0] s_axil_araddr,
    input  wire                      s_axil_arvalid,
    output wire                      s_axil_arready,
    output wire [31:0]               s_axil_rdata,
    output wire [1:0]                s_axil_rresp,
    output wire                      s_axil_rvalid,
    input  wire                      s_axil_rready,

    // the core's ports (core_clk)
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

localparam REC_BITS = `TG_REC_BITS;
localparam AW = `TG_CSR_ADDR_BITS;
localparam STREAM_BITS = 64 + 8 + 1;          // tdata, tkeep, tlast of a 64-bit core stream
localparam ORDER_BITS = STREAM_BITS + 1;      // ... and tuser

generate
    if (64 * WORDS != REC_BITS) begin : width_check
        // the record packer sends one record per beat; another width needs a record width converter
        xdma_shell_needs_record_wide_streams width_mismatch ();
    end
endgenerate

// ---- host to card -----------------------------------------------------------------------------------------
wire [64*WORDS-1:0] h2c_tdata [0:2];
wire [8*WORDS-1:0]  h2c_tkeep [0:2];
wire [2:0]          h2c_tvalid, h2c_tlast, h2c_tready;
assign h2c_tdata[0] = s_axis_h2c_fix_tdata;
assign h2c_tdata[1] = s_axis_h2c_feed_tdata;
assign h2c_tdata[2] = s_axis_h2c_orders_tdata;
assign h2c_tkeep[0] = s_axis_h2c_fix_tkeep;
assign h2c_tkeep[1] = s_axis_h2c_feed_tkeep;
assign h2c_tkeep[2] = s_axis_h2c_orders_tkeep;
assign h2c_tvalid = {s_axis_h2c_orders_tvalid, s_axis_h2c_feed_tvalid, s_axis_h2c_fix_tvalid} & {3{!path_rst}};
assign h2c_tlast = {s_axis_h2c_orders_tlast, s_axis_h2c_feed_tlast, s_axis_h2c_fix_tlast};
assign s_axis_h2c_fix_tready = h2c_tready[0] && !path_rst;
assign s_axis_h2c_feed_tready = h2c_tready[1] && !path_rst;
assign s_axis_h2c_orders_tready = h2c_tready[2] && !path_rst;

wire [2:0]  h2c_frame_done, h2c_bad_header, h2c_truncated;
wire [63:0] ingress_tdata [0:2];
wire [7:0]  ingress_tkeep [0:2];
wire [2:0]  ingress_tvalid, ingress_tready, ingress_tlast;
assign m_axis_fix_tdata = ingress_tdata[0];
assign m_axis_fix_tkeep = ingress_tkeep[0];
assign m_axis_fix_tvalid = ingress_tvalid[0];
assign m_axis_fix_tlast = ingress_tlast[0];
assign m_axis_feed_tdata = ingress_tdata[1];
assign m_axis_feed_tkeep = ingress_tkeep[1];
assign m_axis_feed_tvalid = ingress_tvalid[1];
assign m_axis_feed_tlast = ingress_tlast[1];
assign m_axis_order_tdata = ingress_tdata[2];
assign m_axis_order_tkeep = ingress_tkeep[2];
assign m_axis_order_tvalid = ingress_tvalid[2];
assign m_axis_order_tlast = ingress_tlast[2];
assign ingress_tready = {m_axis_order_tready, m_axis_feed_tready, m_axis_fix_tready};

genvar ch;
generate
    for (ch = 0; ch < 3; ch = ch + 1) begin : h2c
        wire [63:0] word_tdata;
        wire [7:0]  word_tkeep;
        wire        word_tvalid, word_tready, word_tlast;
        wire [1:0]  word_header;   // what h2c_unpack checked of a word as a sub-frame header
        wire [63:0] frame_tdata;
        wire [7:0]  frame_tkeep;
        wire        frame_tvalid, frame_tready, frame_tlast;

        h2c_unpack #(.WORDS(WORDS)) unpack_inst (
            .clk(xdma_clk), .rst(path_rst),
            .s_axis_tdata(h2c_tdata[ch]), .s_axis_tkeep(h2c_tkeep[ch]), .s_axis_tvalid(h2c_tvalid[ch]),
            .s_axis_tready(h2c_tready[ch]), .s_axis_tlast(h2c_tlast[ch]),
            .m_axis_tdata(word_tdata), .m_axis_tkeep(word_tkeep), .m_axis_tvalid(word_tvalid),
            .m_axis_tready(word_tready), .m_axis_tlast(word_tlast), .m_axis_tuser(word_header)
        );

        h2c_deframer deframer_inst (
            .clk(xdma_clk), .rst(path_rst),
            .s_axis_tdata(word_tdata), .s_axis_tkeep(word_tkeep), .s_axis_tvalid(word_tvalid),
            .s_axis_tready(word_tready), .s_axis_tlast(word_tlast), .s_axis_tuser(word_header),
            .m_axis_tdata(frame_tdata), .m_axis_tkeep(frame_tkeep), .m_axis_tvalid(frame_tvalid),
            .m_axis_tready(frame_tready), .m_axis_tlast(frame_tlast),
            .frame_done(h2c_frame_done[ch]), .bad_header(h2c_bad_header[ch]), .truncated(h2c_truncated[ch])
        );

        // crossing: xdma_clk -> core_clk
        axis_async_fifo #(.DATA_WIDTH(STREAM_BITS), .DEPTH(CDC_DEPTH)) cdc_inst (
            .s_clk(xdma_clk), .s_rst(path_rst),
            .s_axis_tdata({frame_tlast, frame_tkeep, frame_tdata}), .s_axis_tvalid(frame_tvalid),
            .s_axis_tready(frame_tready),
            .m_clk(core_clk), .m_rst(core_rst),
            .m_axis_tdata({ingress_tlast[ch], ingress_tkeep[ch], ingress_tdata[ch]}),
            .m_axis_tvalid(ingress_tvalid[ch]), .m_axis_tready(ingress_tready[ch])
        );
    end
endgenerate

// ---- registers: the BAR's slave here, the core's window across -------------------------------------------
wire [AW-1:0] bar_awaddr, bar_araddr;
wire [31:0]   bar_wdata, bar_rdata;
wire [3:0]    bar_wstrb;
wire [1:0]    bar_bresp, bar_rresp;
wire          bar_awvalid, bar_awready, bar_wvalid, bar_wready, bar_bvalid, bar_bready;
wire          bar_arvalid, bar_arready, bar_rvalid, bar_rready;
wire          core_bus_timeout;
wire          c2h_record_packet, c2h_order_packet;
wire [15:0]   c2h_batch_records, c2h_idle_cycles;

// crossings into xdma_clk for STATUS: single bits, each through its own 2-flop synchroniser
(* ASYNC_REG = "TRUE" *) reg [1:0] locked_sync_reg;
(* ASYNC_REG = "TRUE" *) reg [1:0] core_reset_sync_reg;
always @(posedge xdma_clk) begin
    locked_sync_reg <= {locked_sync_reg[0], core_clock_locked};
    core_reset_sync_reg <= {core_reset_sync_reg[0], core_rst};
end

xdma_shell_regs #(.BAR_ADDR_WIDTH(BAR_ADDR_WIDTH)) regs_inst (
    .clk(xdma_clk), .rst(xdma_rst),
    .s_axil_awaddr(s_axil_awaddr), .s_axil_awvalid(s_axil_awvalid), .s_axil_awready(s_axil_awready),
    .s_axil_wdata(s_axil_wdata), .s_axil_wstrb(s_axil_wstrb), .s_axil_wvalid(s_axil_wvalid),
    .s_axil_wready(s_axil_wready), .s_axil_bresp(s_axil_bresp), .s_axil_bvalid(s_axil_bvalid),
    .s_axil_bready(s_axil_bready), .s_axil_araddr(s_axil_araddr), .s_axil_arvalid(s_axil_arvalid),
    .s_axil_arready(s_axil_arready), .s_axil_rdata(s_axil_rdata), .s_axil_rresp(s_axil_rresp),
    .s_axil_rvalid(s_axil_rvalid), .s_axil_rready(s_axil_rready),
    .m_axil_awaddr(bar_awaddr), .m_axil_awvalid(bar_awvalid), .m_axil_awready(bar_awready),
    .m_axil_wdata(bar_wdata), .m_axil_wstrb(bar_wstrb), .m_axil_wvalid(bar_wvalid), .m_axil_wready(bar_wready),
    .m_axil_bresp(bar_bresp), .m_axil_bvalid(bar_bvalid), .m_axil_bready(bar_bready),
    .m_axil_araddr(bar_araddr), .m_axil_arvalid(bar_arvalid), .m_axil_arready(bar_arready),
    .m_axil_rdata(bar_rdata), .m_axil_rresp(bar_rresp), .m_axil_rvalid(bar_rvalid), .m_axil_rready(bar_rready),
    .core_clock_locked(locked_sync_reg[1]), .core_reset(core_reset_sync_reg[1]),
    .core_bus_timeout(core_bus_timeout),
    .h2c_frame_done(h2c_frame_done), .h2c_bad_header(h2c_bad_header), .h2c_truncated(h2c_truncated),
    .c2h_record_packet(c2h_record_packet), .c2h_order_packet(c2h_order_packet),
    .c2h_batch_records(c2h_batch_records), .c2h_idle_cycles(c2h_idle_cycles),
    .core_reset_request(core_reset_request)
);

// crossing: xdma_clk -> core_clk and back, one access at a time
axil_cdc #(.ADDR_WIDTH(AW)) csr_cdc_inst (
    .s_clk(xdma_clk), .s_rst(path_rst),
    .s_axil_awaddr(bar_awaddr), .s_axil_awvalid(bar_awvalid), .s_axil_awready(bar_awready),
    .s_axil_wdata(bar_wdata), .s_axil_wstrb(bar_wstrb), .s_axil_wvalid(bar_wvalid), .s_axil_wready(bar_wready),
    .s_axil_bresp(bar_bresp), .s_axil_bvalid(bar_bvalid), .s_axil_bready(bar_bready),
    .s_axil_araddr(bar_araddr), .s_axil_arvalid(bar_arvalid), .s_axil_arready(bar_arready),
    .s_axil_rdata(bar_rdata), .s_axil_rresp(bar_rresp), .s_axil_rvalid(bar_rvalid), .s_axil_rready(bar_rready),
    .timeout(core_bus_timeout),
    .m_clk(core_clk), .m_rst(core_rst),
    .m_axil_awaddr(m_axil_awaddr), .m_axil_awvalid(m_axil_awvalid), .m_axil_awready(m_axil_awready),
    .m_axil_wdata(m_axil_wdata), .m_axil_wstrb(m_axil_wstrb), .m_axil_wvalid(m_axil_wvalid), .m_axil_wready(m_axil_wready),
    .m_axil_bresp(m_axil_bresp), .m_axil_bvalid(m_axil_bvalid), .m_axil_bready(m_axil_bready),
    .m_axil_araddr(m_axil_araddr), .m_axil_arvalid(m_axil_arvalid), .m_axil_arready(m_axil_arready),
    .m_axil_rdata(m_axil_rdata), .m_axil_rresp(m_axil_rresp), .m_axil_rvalid(m_axil_rvalid), .m_axil_rready(m_axil_rready)
);

// ---- card to host -----------------------------------------------------------------------------------------
wire [REC_BITS-1:0] record_tdata;
wire                record_tvalid, record_tready;
wire                records_tvalid, orders_tvalid;

// crossing: core_clk -> xdma_clk
axis_async_fifo #(.DATA_WIDTH(REC_BITS), .DEPTH(CDC_DEPTH)) record_cdc_inst (
    .s_clk(core_clk), .s_rst(core_rst),
    .s_axis_tdata(s_axis_event_tdata), .s_axis_tvalid(s_axis_event_tvalid), .s_axis_tready(s_axis_event_tready),
    .m_clk(xdma_clk), .m_rst(path_rst),
    .m_axis_tdata(record_tdata), .m_axis_tvalid(record_tvalid), .m_axis_tready(record_tready)
);

c2h_record_packer #(.DATA_WIDTH(REC_BITS)) record_packer_inst (
    .clk(xdma_clk), .rst(path_rst),
    .batch_records(c2h_batch_records), .idle_cycles(c2h_idle_cycles),
    .s_axis_tdata(record_tdata), .s_axis_tvalid(record_tvalid), .s_axis_tready(record_tready),
    .m_axis_tdata(m_axis_c2h_records_tdata), .m_axis_tvalid(records_tvalid),
    .m_axis_tready(m_axis_c2h_records_tready && !path_rst), .m_axis_tlast(m_axis_c2h_records_tlast),
    .packet_done(c2h_record_packet)
);
assign m_axis_c2h_records_tvalid = records_tvalid && !path_rst;
assign m_axis_c2h_records_tkeep = {8*WORDS{1'b1}};

wire [63:0] egress_tdata;
wire [7:0]  egress_tkeep;
wire        egress_tvalid, egress_tready, egress_tlast, egress_tuser;

// crossing: core_clk -> xdma_clk
axis_async_fifo #(.DATA_WIDTH(ORDER_BITS), .DEPTH(CDC_DEPTH)) order_cdc_inst (
    .s_clk(core_clk), .s_rst(core_rst),
    .s_axis_tdata({s_axis_order_tuser, s_axis_order_tlast, s_axis_order_tkeep, s_axis_order_tdata}),
    .s_axis_tvalid(s_axis_order_tvalid), .s_axis_tready(s_axis_order_tready),
    .m_clk(xdma_clk), .m_rst(path_rst),
    .m_axis_tdata({egress_tuser, egress_tlast, egress_tkeep, egress_tdata}), .m_axis_tvalid(egress_tvalid),
    .m_axis_tready(egress_tready)
);

c2h_order_packer #(.WORDS(WORDS)) order_packer_inst (
    .clk(xdma_clk), .rst(path_rst),
    .s_axis_tdata(egress_tdata), .s_axis_tkeep(egress_tkeep), .s_axis_tvalid(egress_tvalid),
    .s_axis_tready(egress_tready), .s_axis_tlast(egress_tlast), .s_axis_tuser(egress_tuser),
    .m_axis_tdata(m_axis_c2h_orders_tdata), .m_axis_tkeep(m_axis_c2h_orders_tkeep), .m_axis_tvalid(orders_tvalid),
    .m_axis_tready(m_axis_c2h_orders_tready && !path_rst), .m_axis_tlast(m_axis_c2h_orders_tlast),
    .packet_done(c2h_order_packet)
);
assign m_axis_c2h_orders_tvalid = orders_tvalid && !path_rst;

endmodule
`default_nettype wire
