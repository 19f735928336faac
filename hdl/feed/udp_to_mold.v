// Between the wire receive path (hdl/feed/udp_rx.v) and the MoldUDP64 framer: udp_rx sends a frame's payload
// beats, the last one marked in tuser, then a status beat (the UDP checksum is known only then). The payload
// beats go straight on to the framer, tlast on the marked one; the status beat leaves as an entry of a status
// queue, in frame order:
//   {line, taken, has_payload, status}  (taken: udp_rx passed the frame's payload, which may be empty;
//                                        has_payload: the framer got at least one beat of it)
// hdl/feed/wire_status_merge.v puts the entries in order between the framer's events.
`default_nettype none
module udp_to_mold #(
    parameter integer STATUS_DEPTH = 16
) (
    input  wire        clk,
    input  wire        rst,

    input  wire [63:0] s_axis_tdata,
    input  wire [7:0]  s_axis_tkeep,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    input  wire        s_axis_tlast,      // the status beat
    input  wire [5:0]  s_axis_tuser,      // {payload last, taken, line, status} (udp_deliver.v)

    output wire [63:0] m_axis_tdata,
    output wire [7:0]  m_axis_tkeep,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,

    output wire [5:0]  st_data,           // {line, taken, has_payload, status}
    output wire        st_valid,
    input  wire        st_ready
);

reg  had_payload_reg;   // a payload beat of the frame went to the framer
wire queue_ready;
assign s_axis_tready = s_axis_tlast ? queue_ready : m_axis_tready;
assign m_axis_tvalid = s_axis_tvalid && !s_axis_tlast;
assign m_axis_tdata = s_axis_tdata;
assign m_axis_tkeep = s_axis_tkeep;
assign m_axis_tlast = s_axis_tuser[5];
wire status_in = s_axis_tvalid && s_axis_tlast && queue_ready;

always @(posedge clk) begin
    if (m_axis_tvalid && m_axis_tready) had_payload_reg <= 1'b1;
    if (status_in) had_payload_reg <= 1'b0;
    if (rst) had_payload_reg <= 1'b0;
end

axis_fifo #(.DATA_WIDTH(6), .DEPTH(STATUS_DEPTH)) status_queue (.clk(clk), .rst(rst),
    .s_axis_tdata({s_axis_tuser[3], s_axis_tuser[4], had_payload_reg, s_axis_tuser[2:0]}),
    .s_axis_tvalid(status_in), .s_axis_tready(queue_ready),
    .m_axis_tdata(st_data), .m_axis_tvalid(st_valid), .m_axis_tready(st_ready));

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSUME(s_axis_tvalid, s_axis_tready, {s_axis_tdata, s_axis_tkeep, s_axis_tlast, s_axis_tuser})
    `TG_AXIS_SOURCE_ASSERT(m_axis_tvalid, m_axis_tready, {m_axis_tdata, m_axis_tkeep, m_axis_tlast})
    `TG_AXIS_SOURCE_ASSERT(st_valid, st_ready, st_data)
`endif
endmodule
`default_nettype wire
