// The feed's receive path from the network port (DESIGN.md 3.8): Ethernet frames in, as a MAC delivers them
// (8 bytes a beat, no FCS), UDP payloads of the subscribed streams out, lane 0 aligned, each followed by a
// status beat that names the frame's line and says whether the datagram arrived whole and its checksum held.
// Refused frames (truncated, bad IPv4 header or checksum, fragments, bad UDP length) leave a status beat alone;
// other traffic leaves only a pulse. The rules are those of src/itch/ref-udp-rx.ts.
//   eth_strip (VLAN tags off, IPv4 to lane 0) -> udp_parse (fields, checksums, table, payload to lane 0)
//   -> a payload queue and a verdict queue -> udp_deliver (payload kept or dropped by its verdict)
`default_nettype none
`include "tickgate_layout.vh"
module udp_rx #(
    parameter ENTRIES = `TG_WIRE_SUBSCRIPTIONS
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire [63:0]           s_axis_tdata,
    input  wire [7:0]            s_axis_tkeep,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    input  wire                  s_axis_tlast,

    input  wire [ENTRIES-1:0]    tbl_valid,
    input  wire [ENTRIES*32-1:0] tbl_addr,
    input  wire [ENTRIES*16-1:0] tbl_port,
    input  wire [ENTRIES-1:0]    tbl_line,

    output wire [63:0]           m_axis_tdata,
    output wire [7:0]            m_axis_tkeep,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  m_axis_tlast,
    output wire [4:0]            m_axis_tuser,   // {taken, line, status}, see udp_deliver.v

    output wire                  other_eth,   // a frame that is not IPv4
    output wire                  other_ip     // an IPv4 frame that is not a subscribed UDP stream
);

localparam PL_DEPTH = 16;
localparam VD_DEPTH = 16;

wire [63:0] ip_tdata;
wire [7:0]  ip_tkeep;
wire        ip_tvalid, ip_tready, ip_tlast;

eth_strip strip (.clk(clk), .rst(rst),
    .s_axis_tdata(s_axis_tdata), .s_axis_tkeep(s_axis_tkeep), .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(s_axis_tready), .s_axis_tlast(s_axis_tlast),
    .m_axis_tdata(ip_tdata), .m_axis_tkeep(ip_tkeep), .m_axis_tvalid(ip_tvalid), .m_axis_tready(ip_tready),
    .m_axis_tlast(ip_tlast), .other(other_eth));

wire        pl_valid, pl_last, pl_pop, vd_valid, vd_pop;
wire [63:0] pl_data;
wire [7:0]  pl_keep;
wire [9:0]  vd_data;

udp_parse #(.ENTRIES(ENTRIES), .PL_DEPTH(PL_DEPTH), .VD_DEPTH(VD_DEPTH)) parse (.clk(clk), .rst(rst),
    .s_axis_tdata(ip_tdata), .s_axis_tkeep(ip_tkeep), .s_axis_tvalid(ip_tvalid), .s_axis_tready(ip_tready),
    .s_axis_tlast(ip_tlast),
    .tbl_valid(tbl_valid), .tbl_addr(tbl_addr), .tbl_port(tbl_port), .tbl_line(tbl_line),
    .pl_valid(pl_valid), .pl_data(pl_data), .pl_keep(pl_keep), .pl_last(pl_last), .pl_pop(pl_pop),
    .vd_valid(vd_valid), .vd_data(vd_data), .vd_pop(vd_pop));

// udp_parse counts credits for both queues, so neither is written when full
wire        plq_valid, vdq_valid, pl_ready, vd_ready;
wire [72:0] plq_data;
wire [9:0]  vdq_data;
/* verilator lint_off PINCONNECTEMPTY */
axis_fifo #(.DATA_WIDTH(73), .DEPTH(PL_DEPTH)) payload_queue (.clk(clk), .rst(rst),
    .s_axis_tdata({pl_last, pl_keep, pl_data}), .s_axis_tvalid(pl_valid), .s_axis_tready(),
    .m_axis_tdata(plq_data), .m_axis_tvalid(plq_valid), .m_axis_tready(pl_ready));
axis_fifo #(.DATA_WIDTH(10), .DEPTH(VD_DEPTH)) verdict_queue (.clk(clk), .rst(rst),
    .s_axis_tdata(vd_data), .s_axis_tvalid(vd_valid), .s_axis_tready(),
    .m_axis_tdata(vdq_data), .m_axis_tvalid(vdq_valid), .m_axis_tready(vd_ready));
/* verilator lint_on PINCONNECTEMPTY */
assign pl_pop = plq_valid && pl_ready;
assign vd_pop = vdq_valid && vd_ready;

udp_deliver deliver (.clk(clk), .rst(rst),
    .pl_data(plq_data[63:0]), .pl_keep(plq_data[71:64]), .pl_last(plq_data[72]), .pl_valid(plq_valid), .pl_ready(pl_ready),
    .vd_data(vdq_data), .vd_valid(vdq_valid), .vd_ready(vd_ready),
    .m_axis_tdata(m_axis_tdata), .m_axis_tkeep(m_axis_tkeep), .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready), .m_axis_tlast(m_axis_tlast), .m_axis_tuser(m_axis_tuser), .other(other_ip));

endmodule
`default_nettype wire
