// MoldUDP64 assembler, the second stage of the framer (hdl/feed/mold_framer.v): turns the cutter's passes
// (hdl/feed/mold_cutter.v) into the framer's events. It keeps the header bytes, the number of the next
// message and the message buffer; the cutter has already placed each pass's bytes (rotated, with the buffer
// positions they go to), so a buffer byte is one choice between the pass and what it held.
// A pass that makes an event and also ends its packet with an error gives the error the next cycle.
// Every packet ends with exactly one event flagged ev_last (its last message or header, or its error), so the
// wire ingress can put a frame's status after the packet's events (hdl/feed/wire_status_merge.v).
`default_nettype none

module mold_assembler #(
    parameter integer MAX_MSG = 64
) (
    input  wire                   clk,
    input  wire                   rst,

    input  wire                   p_valid,
    output wire                   p_ready,
    input  wire [1:0]             p_hdr_beat,
    input  wire [7:0]             p_keep,
    input  wire [63:0]            p_data,
    input  wire                   p_hdr_event,
    input  wire [63:0]            p_tail_data,
    input  wire [6:0]             p_fill,
    input  wire [7:0]             p_fill_end,
    input  wire                   p_msg_event,
    input  wire                   p_new,
    input  wire [15:0]            p_new_len,
    input  wire [63:0]            p_head_data,
    input  wire [7:0]             p_head_keep,
    input  wire                   p_hold,
    input  wire                   p_end,
    input  wire                   p_short,
    input  wire                   p_trailing,
    input  wire                   p_trail_any,
    input  wire [15:0]            p_error_count,

    output reg                    ev_valid,
    input  wire                   ev_ready,
    output reg  [1:0]             ev_kind,
    output reg  [1:0]             ev_error,
    output reg                    ev_last,      // the packet's last event
    output reg  [79:0]            ev_session,
    output reg  [63:0]            ev_seq,
    output reg  [15:0]            ev_count,
    output reg  [15:0]            ev_length,
    output reg  [8*MAX_MSG-1:0]   ev_data
);
    localparam [1:0] EV_HEADER = 2'd0, EV_MESSAGE = 2'd1, EV_ERROR = 2'd2;
    localparam [1:0] ERR_NONE = 2'd0, ERR_SHORT = 2'd1, ERR_TRUNCATED = 2'd2, ERR_TRAILING = 2'd3;

    reg [127:0]         hdr_q;            // header bytes 0..15, byte j at [8j +: 8]
    reg [63:0]          seq_q;            // number of the next message
    reg [15:0]          len_q;            // length of the message in the buffer
    reg [8*MAX_MSG-1:0] buf_q;
    reg                 pend_q;           // an error event waits for the output
    reg [1:0]           pend_error_q;
    reg [15:0]          pend_count_q;

    wire out_free = !ev_valid || ev_ready;
    assign p_ready = out_free && !pend_q;
    wire take = p_valid && p_ready;

    function automatic [63:0] keep_bytes(input [63:0] d, input [7:0] keep);
        integer i;
        begin
            for (i = 0; i < 8; i = i + 1) keep_bytes[8*i +: 8] = keep[i] ? d[8*i +: 8] : 8'd0;
        end
    endfunction

    // Session: header bytes 0..9, the first byte highest
    function automatic [79:0] session_of(input [127:0] h);
        integer i;
        begin
            for (i = 0; i < 10; i = i + 1) session_of[8*(9 - i) +: 8] = h[8*i +: 8];
        end
    endfunction

    // The message buffer with this beat's tail bytes in place, and a new buffer of its head bytes. Functions
    // called where a beat is taken: the same logic as a combinational block, but a simulator walks the bytes
    // only in the cycles that take one.
    function automatic [8*MAX_MSG-1:0] merged_of(input [8*MAX_MSG-1:0] b, input [6:0] from, input [7:0] to, input [63:0] tail);
        integer q;
        begin
            for (q = 0; q < MAX_MSG; q = q + 1)
                merged_of[8*q +: 8] = (q >= from && q < to) ? tail[8*(q % 8) +: 8] : b[8*q +: 8];
        end
    endfunction

    function automatic [8*MAX_MSG-1:0] fresh_of(input [63:0] head, input [7:0] keep, input hold);
        integer q;
        begin
            fresh_of = {8*MAX_MSG{1'b0}};
            for (q = 0; q < 8; q = q + 1)
                if (keep[q] && !hold) fresh_of[8*q +: 8] = head[8*q +: 8];
        end
    endfunction

    reg [127:0]         hdr;

    always @* begin
        hdr = hdr_q;
        case (p_hdr_beat)
            2'd0: hdr = {64'd0, keep_bytes(p_data, p_keep)};
            2'd1: hdr[127:64] = keep_bytes(p_data, p_keep);
            default: ;
        endcase
    end

    // Sequence Number: header bytes 10..15 (from beat 1), 16 and 17 (lanes 0 and 1 of beat 2), first byte highest
    wire [63:0] hdr_seq = {hdr_q[87:80], hdr_q[95:88], hdr_q[103:96], hdr_q[111:104], hdr_q[119:112], hdr_q[127:120],
                           p_data[7:0], p_data[15:8]};
    // the next message number, in 16-bit carry chains
    wire [63:0] seq_next;
    wire        unused_seq_carry;   // MoldUDP64 numbers wrap
    carry_select_add #(.WIDTH(64)) seq_adder (.a(seq_q), .b(1'b1), .sum(seq_next), .carry(unused_seq_carry));
    wire        pass_event = p_hdr_event || p_msg_event;
    wire [1:0]  p_error = !p_end ? ERR_NONE : p_short ? ERR_SHORT : !p_trailing ? ERR_TRUNCATED
                        : p_trail_any ? ERR_TRAILING : ERR_NONE;

    always @(posedge clk) begin
        if (rst) begin
            ev_valid <= 1'b0; pend_q <= 1'b0; hdr_q <= 128'd0; seq_q <= 64'd0; len_q <= 16'd0; buf_q <= {8*MAX_MSG{1'b0}};
        end else begin
            if (ev_valid && ev_ready) ev_valid <= 1'b0;
            if (pend_q && out_free) begin
                ev_valid <= 1'b1; ev_kind <= EV_ERROR; ev_error <= pend_error_q; ev_count <= pend_count_q; ev_last <= 1'b1;
                ev_session <= session_of(hdr_q); ev_seq <= seq_q;
                pend_q <= 1'b0;
            end
            if (take) begin
                hdr_q <= hdr;
                if (p_hdr_event) begin
                    ev_valid <= 1'b1; ev_kind <= EV_HEADER; ev_error <= ERR_NONE; ev_session <= session_of(hdr);
                    ev_seq <= hdr_seq; ev_count <= {p_data[23:16], p_data[31:24]};
                    ev_last <= p_end && p_error == ERR_NONE;
                    seq_q <= hdr_seq;
                end else if (p_msg_event) begin
                    ev_valid <= 1'b1; ev_kind <= EV_MESSAGE; ev_error <= ERR_NONE; ev_session <= session_of(hdr);
                    ev_seq <= seq_q; ev_length <= len_q; ev_data <= merged_of(buf_q, p_fill, p_fill_end, p_tail_data);
                    ev_last <= p_end && p_error == ERR_NONE;
                    seq_q <= seq_next;
                end else if (p_error != ERR_NONE) begin
                    ev_valid <= 1'b1; ev_kind <= EV_ERROR; ev_error <= p_error; ev_session <= session_of(hdr);
                    ev_seq <= (p_error == ERR_SHORT) ? 64'd0 : seq_q;
                    ev_count <= (p_error == ERR_TRUNCATED) ? 16'd0 : p_error_count;
                    ev_last <= 1'b1;
                end
                if (pass_event && p_error != ERR_NONE) begin
                    pend_q <= 1'b1; pend_error_q <= p_error;
                    pend_count_q <= (p_error == ERR_TRUNCATED) ? 16'd0 : p_error_count;
                end
                if (p_new) begin
                    buf_q <= fresh_of(p_head_data, p_head_keep, p_hold); len_q <= p_new_len;
                end else begin
                    buf_q <= merged_of(buf_q, p_fill, p_fill_end, p_tail_data);
                end
            end
        end
    end
endmodule

`default_nettype wire
