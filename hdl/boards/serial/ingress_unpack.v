// The link's ingress entries to the core's three ingress streams. An entry is a payload byte of one stream
// or the marker that ends a link frame's payload: the marker sends the beat collected so far when the
// frame asked for it (FLUSH: the FIX and order streams, whose bytes must not wait for more) or ends the
// stream's frame (END: tlast, also with no bytes left). Otherwise beats leave full (8 bytes), as the feed
// ingress requires of every beat but a packet's last. One entry per cycle; a stream whose beat waits for
// the core holds the entries behind it.
`default_nettype none
`include "tickgate_layout.vh"
module ingress_unpack (
    input  wire        clk,
    input  wire        rst,
    input  wire [11:0] s_entry,       // {marker, end, stream[1:0], byte}; on a marker byte[0] is FLUSH
    input  wire        s_valid,
    output wire        s_ready,

    output wire [63:0] m_fix_tdata,   output wire [7:0] m_fix_tkeep,   output wire m_fix_tvalid,
    input  wire        m_fix_tready,  output wire       m_fix_tlast,
    output wire [63:0] m_feed_tdata,  output wire [7:0] m_feed_tkeep,  output wire m_feed_tvalid,
    input  wire        m_feed_tready, output wire       m_feed_tlast,
    output wire [63:0] m_order_tdata, output wire [7:0] m_order_tkeep, output wire m_order_tvalid,
    input  wire        m_order_tready, output wire      m_order_tlast
);
wire       marker = s_entry[11];
wire       ends = s_entry[10];
wire [1:0] stream = s_entry[9:8];
wire [7:0] data = s_entry[7:0];

// per stream (0 FIX, 1 feed, 2 orders): the beat being collected and its byte count, as flat vectors
reg [3*64-1:0] acc;
reg [3*4-1:0]  count;
reg [2:0]  out_valid, out_last;
wire [2:0] out_ready = {m_order_tready, m_feed_tready, m_fix_tready};

function [7:0] keep_of(input [3:0] n);
    keep_of = n[3] ? 8'hFF : 8'hFF >> (4'd8 - n);
endfunction

wire known = stream != 2'd3;
wire [3:0] stream_count = count[4*stream +: 4];
wire busy = known && out_valid[stream];
wire full_beat = known && stream_count == 4'd8;
// a byte that finds its stream's beat full sends that beat first, and is taken in a later cycle
assign s_ready = !busy && !(full_beat && !marker);

// the byte lane each entry goes to, decoded per stream and lane (no index arithmetic on the entry's path)
wire put = s_valid && known && !busy && !marker && !full_beat;
integer k, j;
always @(posedge clk) begin
    for (k = 0; k < 3; k = k + 1) begin
        if (out_valid[k] && out_ready[k]) begin
            out_valid[k] <= 1'b0;
            count[4*k +: 4] <= 4'd0;
            acc[64*k +: 64] <= 64'd0;
        end
        if (put && stream == 2'(k)) begin
            for (j = 0; j < 8; j = j + 1) if (count[4*k +: 3] == 3'(j)) acc[64*k + 8*j +: 8] <= data;
            count[4*k +: 4] <= count[4*k +: 4] + 1'b1;
        end
    end
    if (s_valid && known && !busy) begin
        if (!marker) begin
            if (full_beat) begin
                out_valid[stream] <= 1'b1;
                out_last[stream] <= 1'b0;
            end
        end else if (ends || (data[`TG_SL_DATA_FLUSH_BIT] && stream_count != 0)) begin
            out_valid[stream] <= 1'b1;
            out_last[stream] <= ends;
        end
    end
    if (rst) begin
        out_valid <= 3'b000;
        out_last <= 3'b000;
        count <= '0;
        acc <= '0;
    end
end

assign m_fix_tdata = acc[63:0];     assign m_fix_tkeep = keep_of(count[3:0]);   assign m_fix_tvalid = out_valid[0];   assign m_fix_tlast = out_last[0];
assign m_feed_tdata = acc[127:64];  assign m_feed_tkeep = keep_of(count[7:4]);  assign m_feed_tvalid = out_valid[1];  assign m_feed_tlast = out_last[1];
assign m_order_tdata = acc[191:128]; assign m_order_tkeep = keep_of(count[11:8]); assign m_order_tvalid = out_valid[2]; assign m_order_tlast = out_last[2];
endmodule
`default_nettype wire
