// MoldUDP64 framer: UDP payloads in on an 8-byte AXI-Stream (one packet per frame, tkeep all ones on every
// beat but the last, contiguous from lane 0 on the last, tlast on the packet's last beat), events out, one
// per cycle at most:
//   header  : the packet's Session, Sequence Number and Message Count (heartbeats and end of session too)
//   message : one message (its number, length and first MAX_MSG bytes)
//   error   : short_packet (tlast inside the 20-byte header), truncated_packet (tlast inside a length or a
//             message), trailing_bytes (bytes after the last message) — the rules of src/itch/ref-decoder.ts.
// Two stages, so that no path has to walk a beat lane by lane: the cutter (hdl/feed/mold_cutter.v) finds
// the header, the length prefixes and the message ends of each beat and places its bytes; the assembler
// (hdl/feed/mold_assembler.v) keeps the message buffer and makes the events. A message's event leaves two
// cycles after its last byte came in. One beat per cycle as long as no beat holds two message ends (a
// message under 7 bytes; no ITCH message is that short): such a beat is held a cycle per extra end.
`default_nettype none

module mold_framer #(
    parameter integer MAX_MSG = 64
) (
    input  wire                   clk,
    input  wire                   rst,

    input  wire [63:0]            s_tdata,
    input  wire [7:0]             s_tkeep,
    input  wire                   s_tvalid,
    output wire                   s_tready,
    input  wire                   s_tlast,

    output wire                   ev_valid,
    input  wire                   ev_ready,
    output wire [1:0]             ev_kind,      // EV_HEADER, EV_MESSAGE, EV_ERROR
    output wire [1:0]             ev_error,     // ERR_* for EV_ERROR
    output wire                   ev_last,      // the packet's last event (its last message, header or error)
    output wire [79:0]            ev_session,
    output wire [63:0]            ev_seq,       // header: the packet's number; message: the message's
    output wire [15:0]            ev_count,     // header: Message Count; short_packet: the packet's bytes;
                                                // trailing_bytes: bytes left over
    output wire [15:0]            ev_length,    // message: its length
    output wire [8*MAX_MSG-1:0]   ev_data       // message: byte k at [8k +: 8]
);
    wire        p_valid, p_ready, p_hdr_event, p_msg_event, p_new, p_hold;
    wire [1:0]  p_hdr_beat;
    wire        p_end, p_short, p_trailing, p_trail_any;
    wire [7:0]  p_keep, p_head_keep;
    wire [63:0] p_data, p_tail_data, p_head_data;
    wire [6:0]  p_fill;
    wire [7:0]  p_fill_end;
    wire [15:0] p_new_len, p_error_count;

    mold_cutter #(
        .MAX_MSG(MAX_MSG)
    ) cutter (
        .clk(clk), .rst(rst),
        .s_tdata(s_tdata), .s_tkeep(s_tkeep), .s_tvalid(s_tvalid), .s_tready(s_tready), .s_tlast(s_tlast),
        .p_valid(p_valid), .p_ready(p_ready), .p_hdr_beat(p_hdr_beat), .p_keep(p_keep), .p_data(p_data),
        .p_hdr_event(p_hdr_event), .p_tail_data(p_tail_data), .p_fill(p_fill), .p_fill_end(p_fill_end), .p_msg_event(p_msg_event),
        .p_new(p_new), .p_new_len(p_new_len), .p_head_data(p_head_data), .p_head_keep(p_head_keep), .p_hold(p_hold),
        .p_end(p_end), .p_short(p_short), .p_trailing(p_trailing), .p_trail_any(p_trail_any), .p_error_count(p_error_count)
    );

    mold_assembler #(
        .MAX_MSG(MAX_MSG)
    ) assembler (
        .clk(clk), .rst(rst),
        .p_valid(p_valid), .p_ready(p_ready), .p_hdr_beat(p_hdr_beat), .p_keep(p_keep), .p_data(p_data),
        .p_hdr_event(p_hdr_event), .p_tail_data(p_tail_data), .p_fill(p_fill), .p_fill_end(p_fill_end), .p_msg_event(p_msg_event),
        .p_new(p_new), .p_new_len(p_new_len), .p_head_data(p_head_data), .p_head_keep(p_head_keep), .p_hold(p_hold),
        .p_end(p_end), .p_short(p_short), .p_trailing(p_trailing), .p_trail_any(p_trail_any), .p_error_count(p_error_count),
        .ev_valid(ev_valid), .ev_ready(ev_ready), .ev_kind(ev_kind), .ev_error(ev_error), .ev_last(ev_last), .ev_session(ev_session),
        .ev_seq(ev_seq), .ev_count(ev_count), .ev_length(ev_length), .ev_data(ev_data)
    );

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSUME(s_tvalid, s_tready, {s_tdata, s_tkeep, s_tlast})
    `TG_AXIS_SOURCE_ASSERT(ev_valid, ev_ready, {ev_kind, ev_error, ev_last, ev_session, ev_seq, ev_count, ev_length, ev_data})
    // the pass from the cutter to the assembler holds until taken, like any stream
    `TG_AXIS_SOURCE_ASSERT(p_valid, p_ready, {p_hdr_beat, p_keep, p_data, p_hdr_event, p_tail_data, p_fill, p_fill_end,
        p_msg_event, p_new, p_new_len, p_head_data, p_head_keep, p_hold, p_end, p_short, p_trailing, p_trail_any, p_error_count})
`endif
endmodule

`default_nettype wire
