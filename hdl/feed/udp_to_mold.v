// Between the wire receive path (hdl/feed/udp_rx.v) and the MoldUDP64 framer: udp_rx ends each frame with a
// status beat after its payload (the UDP checksum is known only then), while the framer wants tlast on a
// packet's last payload beat. So each payload beat is held until the next beat shows whether it was the last;
// the status beat itself leaves as an entry of a status queue, in frame order:
//   {line, taken, has_payload, status}  (taken: udp_rx passed the frame's payload, which may be empty;
//                                        has_payload: the framer got at least one beat of it)
// hdl/feed/wire_status_merge.v puts the entries in order between the framer's events. The held beat costs
// no throughput: every frame gives one status beat, and its headers are longer than a beat.
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
    input  wire [4:0]  s_axis_tuser,      // {taken, line, status} (udp_deliver.v)

    output wire [63:0] m_axis_tdata,
    output wire [7:0]  m_axis_tkeep,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,

    output wire [5:0]  st_data,           // {line, taken, has_payload, status}
    output wire        st_valid,
    input  wire        st_ready
);

reg        held_valid_reg;
reg [63:0] held_data_reg;
reg [7:0]  held_keep_reg;

wire queue_ready;
wire held_free = !held_valid_reg || m_axis_tready;
assign s_axis_tready = held_free && (!s_axis_tlast || queue_ready);
wire take = s_axis_tvalid && s_axis_tready;

// the held beat leaves when the next beat is there to say whether it is the last
assign m_axis_tvalid = held_valid_reg && s_axis_tvalid && (!s_axis_tlast || queue_ready);
assign m_axis_tdata = held_data_reg;
assign m_axis_tkeep = held_keep_reg;
assign m_axis_tlast = s_axis_tlast;

always @(posedge clk) begin
    if (take) begin
        held_valid_reg <= !s_axis_tlast;
        held_data_reg <= s_axis_tdata;
        held_keep_reg <= s_axis_tkeep;
    end
    if (rst) held_valid_reg <= 1'b0;
end

axis_fifo #(.DATA_WIDTH(6), .DEPTH(STATUS_DEPTH)) status_queue (.clk(clk), .rst(rst),
    .s_axis_tdata({s_axis_tuser[3], s_axis_tuser[4], held_valid_reg, s_axis_tuser[2:0]}),
    .s_axis_tvalid(take && s_axis_tlast), .s_axis_tready(queue_ready),
    .m_axis_tdata(st_data), .m_axis_tvalid(st_valid), .m_axis_tready(st_ready));

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSUME(s_axis_tvalid, s_axis_tready, {s_axis_tdata, s_axis_tkeep, s_axis_tlast, s_axis_tuser})
    `TG_AXIS_SOURCE_ASSERT(m_axis_tvalid, m_axis_tready, {m_axis_tdata, m_axis_tkeep, m_axis_tlast})
`endif
endmodule
`default_nettype wire
