// Feed tracker: the framer's events in, feed records out (spec/device.yaml, kinds feed_*/itch_*), under the
// rules at the top of src/itch/ref-decoder.ts:
//   - a session table of SESSION_SLOTS MoldUDP64 sessions (a new session takes the oldest slot and is
//     announced by a feed_session record); per session the next expected number, gaps reported, and
//     messages below the number expected when their packet arrived dropped as duplicates;
//   - each message's type and length checked against ITCH 5.0 and its fields normalized
//     (hdl/generated/itch_fields.vh, from spec/itch.yaml); I and O continue in an itch_more record;
//   - the symbol filter's verdict applied on the way out (symbol_filter.v holds the tables).
// Two stages, so that no path crosses more than a few LUT levels (issue 19): the classify stage takes the
// framer's event and registers what needs only the event and the tables (the session look-up, the type and
// length checks, duplicate or not, the normalized body); the record stage builds the record from those
// registers. A header spends two cycles in the classify stage: its session and number are compared with
// the table in 16-bit pieces and the low piece of its end (number + count) summed; then the pieces are
// combined into the slot, the session's expected number, the gap and the end. As it leaves, its end is
// compared with that number in pieces, and the cycle after, the session's new expected number is written
// (so the next header enters a cycle later, and an error event waits a cycle). No 64-bit carry chain is left
// in one cycle; the missing-message count leaves three cycles after its gap record. An R message's Stock is
// compared with the subscriptions as it enters (symbol_filter.v), the answer combined when it leaves. The session table
// changes when a header leaves the classify stage, so no header enters behind a header; a message that
// enters as its packet's header leaves is checked for duplicates against that header's expected number.
// One event per cycle otherwise; a message with a continuation holds the classify stage one cycle.
`default_nettype none
`include "tickgate_layout.vh"
module feed_tracker #(
    parameter integer SESSION_SLOTS = 4,
    parameter integer MAX_MSG = 64
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  filter_enable,

    // framer events (mold_framer.v), and EV_WIRE: a frame's wire status (WIRE_* in ev_count[2:0]) that the wire
    // ingress puts in order between them (wire_status_merge.v)
    input  wire                  ev_valid,
    output wire                  ev_ready,
    input  wire [1:0]            ev_kind,
    input  wire [1:0]            ev_error,
    input  wire [79:0]           ev_session,
    input  wire [63:0]           ev_seq,
    input  wire [15:0]           ev_count,
    input  wire [15:0]           ev_length,
    input  wire [8*MAX_MSG-1:0]  ev_data,

    // symbol filter
    input  wire                  filter_clearing,
    output wire                  look_en,
    output wire [15:0]           look_locate,
    input  wire                  look_bit,
    output wire                  match_en,
    output wire [63:0]           match_symbol,
    input  wire                  learn_match,          // from the cycle after match_en
    output wire                  learn_en,
    output wire [15:0]           learn_locate,

    // records
    output wire [`TG_REC_BITS-1:0] m_tdata,
    output wire                  m_tvalid,
    input  wire                  m_tready,
    output wire                  m_leaves,             // m_tdata leaves this cycle: delivered, or dropped by the filter

    // counter increments
    output reg                   inc_packet,
    output reg                   inc_heartbeat,
    output reg                   inc_end_of_session,
    output reg                   inc_duplicate,
    output wire                  inc_duplicate_packet, // a packet whose every message was delivered before (2 cycles after its header)
    output reg                   inc_gap,
    output wire [63:0]           inc_missing,      // three cycles after its gap
    output wire                  inc_message,
    output wire                  inc_filtered,
    output reg  [4:0]            inc_error             // one bit per record.feedErrors code 1..5
);
    `include "itch_fields.vh"

    localparam [1:0] EV_HEADER = 2'd0, EV_MESSAGE = 2'd1, EV_WIRE = 2'd3;
    localparam [1:0] ERR_SHORT = 2'd1, ERR_TRUNCATED = 2'd2;
    localparam integer SLOT_W = $clog2(SESSION_SLOTS);
    localparam integer REC_BITS = `TG_REC_BITS;
    localparam integer MAIN_BODY = `TG_ITCH_MESSAGE_BODY_W / 8;
    localparam [7:0] TYPE_R = "R";
    integer s;

    // session table
    reg [SESSION_SLOTS-1:0] sess_valid_q;
    reg [79:0]              sess_id_q [0:SESSION_SLOTS-1];
    reg [63:0]              sess_expected_q [0:SESSION_SLOTS-1];
    reg [SLOT_W-1:0]        alloc_q;

    // the packet being read
    reg [SLOT_W-1:0]        pkt_slot_q;
    reg [63:0]              pkt_expected_q;   // its session's expected number when it arrived
    reg [15:0]              pkt_first_q;      // its number's low piece (for the index of a message in it)
    reg [15:0]              pkt_count_q;

    // output stage and the continuation waiting behind it
    reg                     rec_valid_q;
    reg [REC_BITS-1:0]      rec_q;
    reg                     rec_message_q;    // an itch_message (counted, filtered)
    // the filter's verdict: known as the record is made (no filter, or an R message's own subscription), or
    // the locate table's bit (two flags, so the ready chain back to the framer is short)
    reg                     rec_passes_q;
    reg                     rec_looks_q;
    reg                     more_valid_q;
    reg [REC_BITS-1:0]      more_q;

    wire pass = rec_passes_q || (rec_looks_q && look_bit);
    assign m_tvalid = rec_valid_q && pass;
    assign m_tdata = rec_q;
    wire rec_leaves = rec_valid_q && (!pass || m_tready);
    assign m_leaves = rec_leaves;
    wire out_free = !rec_valid_q || rec_leaves;

    // classify stage: the event taken from the framer and what the look-ups said about it
    reg                          a_valid_q;
    reg [1:0]                    a_kind_q;
    reg [1:0]                    a_error_q;
    reg [79:0]                   a_session_q;
    reg [63:0]                   a_seq_q;
    reg [15:0]                   a_count_q;
    reg [15:0]                   a_length_q;
    reg [8*ITCH_HEADER_BYTES-1:0] a_head_q;          // the message's first 11 bytes: type to timestamp
    reg [8*ITCH_BODY_BYTES-1:0]  a_body_q;           // normalized body
    localparam integer SESS_PIECES = 5;              // 16 bits each
    reg [SESS_PIECES*SESSION_SLOTS-1:0] a_sess_piece_eq_q;  // slot s, piece p at [s*SESS_PIECES + p]
    reg                          a_looking_q;        // a header whose slot is being found
    reg                          a_sess_hit_q;
    reg [SLOT_W-1:0]             a_sess_slot_q;
    reg                          a_unknown_type_q, a_bad_length_q, a_needs_more_q;

    // The record stage takes the event. A truncated_packet waits while its header's end is compared.
    wire take = a_valid_q && !a_looking_q && out_free && !more_valid_q && !filter_clearing &&
                !(a_kind_q != EV_HEADER && a_kind_q != EV_MESSAGE && end_pending_q);
    // a header enters neither as a header leaves nor while the last one's expected number is being written
    assign ev_ready = (!a_valid_q || take) && !(ev_kind == EV_HEADER && (end_pending_q || (a_valid_q && a_kind_q == EV_HEADER)));
    wire ev_take = ev_valid && ev_ready;
    assign inc_message = rec_leaves && rec_message_q && pass;
    assign inc_filtered = rec_leaves && rec_message_q && !pass;

    // ---- classify: the framer's event ----------------------------------------------------------------
    wire [7:0]  in_type = ev_data[7:0];
    wire [7:0]  in_type_length = itch_length(in_type);
    wire        in_unknown_type = in_type_length == 8'd0 || ev_length == 16'd0;
    wire [8*(MAX_MSG-ITCH_MAX_LENGTH)-1:0] unused_data = ev_data[8*MAX_MSG-1:8*ITCH_MAX_LENGTH];

    // ---- record: the classified event ------------------------------------------------------------------
    wire [7:0]  msg_type = a_head_q[7:0];
    wire [15:0] locate = {a_head_q[15:8], a_head_q[23:16]};
    wire        is_message_ev = a_kind_q == EV_MESSAGE;
    wire        duplicate = is_message_ev && seq_below_expected;
    wire        unknown_type = a_unknown_type_q;
    wire        bad_length = a_bad_length_q;
    wire        good_message = is_message_ev && !duplicate && !unknown_type && !bad_length;
    wire [8*ITCH_BODY_BYTES-1:0] body = a_body_q;
    wire        needs_more = a_needs_more_q;
    wire [1:0]  unused_error_code = a_error_q;

    assign look_en = take;
    assign look_locate = locate;
    assign learn_en = take && good_message && msg_type == TYPE_R;
    assign learn_locate = locate;
    assign match_en = ev_take;
    assign match_symbol = ev_data[8*11 +: 64];

    // header: the session's slot, looked up in the classify stage: the pieces compared as it enters, then
    // combined
    // combined as a one-hot select (the highest matching slot, should two match) so that the slot's expected
    // number and its "jumps" bit are picked with and-or rather than through an encoded slot number and a mux
    reg [SESS_PIECES*SESSION_SLOTS-1:0] in_piece_eq;
    reg [SESSION_SLOTS-1:0] slot_hits;
    reg [SESSION_SLOTS-1:0] found_onehot;
    reg                     found_hit;
    reg [SLOT_W-1:0]        found_slot;
    integer piece;
    always @* begin
        for (s = 0; s < SESSION_SLOTS; s = s + 1)
            for (piece = 0; piece < SESS_PIECES; piece = piece + 1)
                in_piece_eq[s*SESS_PIECES + piece] = sess_id_q[s][16*piece +: 16] == ev_session[16*piece +: 16];
        for (s = 0; s < SESSION_SLOTS; s = s + 1)
            slot_hits[s] = sess_valid_q[s] && &a_sess_piece_eq_q[s*SESS_PIECES +: SESS_PIECES];
        found_hit = |slot_hits;
        found_onehot = {SESSION_SLOTS{1'b0}};
        for (s = 0; s < SESSION_SLOTS; s = s + 1)
            found_onehot[s] = slot_hits[s] && (slot_hits >> (s + 1)) == {SESSION_SLOTS{1'b0}};
        found_slot = found_hit ? {SLOT_W{1'b0}} : alloc_q;
        for (s = 0; s < SESSION_SLOTS; s = s + 1)
            if (found_onehot[s]) found_slot = found_slot | s[SLOT_W-1:0];
    end
    wire                    sess_hit = a_sess_hit_q;
    wire [SLOT_W-1:0]       sess_slot = a_sess_slot_q;

    `include "../common/compare_pieces.vh"

    // header: the number against every slot's expected number, and the end's low piece, as it enters
    reg  [8*SESSION_SLOTS-1:0] in_seq_pieces;
    always @* for (s = 0; s < SESSION_SLOTS; s = s + 1) in_seq_pieces[8*s +: 8] = pieces(ev_seq, sess_expected_q[s]);
    wire [15:0] in_count = (ev_count == 16'hFFFF) ? 16'd0 : ev_count;
    wire [16:0] in_end_low = {1'b0, ev_seq[15:0]} + {1'b0, in_count};
    reg  [8*SESSION_SLOTS-1:0] a_seq_pieces_q;
    reg  [SESSION_SLOTS-1:0]   slot_gaps;          // the header's number is above the slot's expected one
    reg  [63:0]                found_expected;
    always @* begin
        found_expected = 64'd0;
        for (s = 0; s < SESSION_SLOTS; s = s + 1) begin
            slot_gaps[s] = above(a_seq_pieces_q[8*s +: 8]);
            found_expected = found_expected | ({64{found_onehot[s]}} & sess_expected_q[s]);
        end
    end
    reg  [15:0] a_end_low_q;
    reg         a_end_carry_q;           // out of the low piece
    // the cycle after: the session's expected number, whether the packet jumps it, the end
    reg  [63:0] hdr_expected_q;
    reg         hdr_gap_q;
    reg  [63:0] hdr_end_q;
    reg         hdr_end_wraps_q;
    wire [47:0] end_high;
    wire        end_wraps;
    carry_select_add #(.WIDTH(48), .B_WIDTH(1)) end_high_add (
        .a(a_seq_q[63:16]), .b(a_end_carry_q), .sum(end_high), .carry(end_wraps));
    // the cycle it leaves: the end against the expected number; the cycle after: the session's new expected
    // number written
    reg  [7:0]  hdr_end_pieces_q;
    reg         end_pending_q;
    reg         dup_candidate_q;
    wire        hdr_end_above = above(hdr_end_pieces_q);
    wire [63:0] hdr_next_expected = hdr_end_above ? hdr_end_q : hdr_expected_q;
    wire        hdr_leaving = take && a_kind_q == EV_HEADER;
    // A duplicate packet: sequence + count without wrap-around at most the expected number, so every message
    // was delivered before
    reg         dup_packet_q;
    assign inc_duplicate_packet = dup_packet_q;

    // messages: the number against the expected number and the packet's end, as they enter (against the
    // header's own registers when they enter as it leaves)
    reg  [63:0] pkt_end_q;
    reg         pkt_end_above_q;         // the packet's end is above its expected number
    wire        header_in_classify = a_valid_q && a_kind_q == EV_HEADER;
    wire [63:0] cmp_expected = header_in_classify ? hdr_expected_q : pkt_expected_q;
    wire [63:0] cmp_end = header_in_classify ? hdr_end_q : pkt_end_q;
    wire [15:0] cmp_first = header_in_classify ? a_seq_q[15:0] : pkt_first_q;
    reg  [7:0]  a_exp_pieces_q, a_end_pieces_q;
    reg  [15:0] a_index_q;
    wire        seq_below_expected = below(a_exp_pieces_q);
    // truncated_packet: the first lost message that was not delivered before, if the packet has one
    wire        seq_above_expected = above(a_exp_pieces_q);
    wire [63:0] lost_seq = seq_above_expected ? a_seq_q : pkt_expected_q;
    wire        lost_numbered = seq_above_expected ? below(a_end_pieces_q) : pkt_end_above_q;

    // the missing count: a - b in pieces (each without and with a borrow in), then the borrows chosen
    reg         miss_in_q, miss_pieces_q, miss_valid_q;   // the three cycles after the gap
    reg  [63:0] miss_a_q, miss_b_q, miss_q;
    reg  [63:0] miss_plain_q, miss_less_q;   // per piece: a - b, a - b - 1
    reg  [3:0]  miss_borrow_plain_q, miss_borrow_less_q;
    reg  [63:0] miss_plain, miss_less;
    reg  [3:0]  miss_borrow_plain, miss_carry_less;
    reg  [4:0]  miss_borrow;
    reg  [63:0] miss_next;
    integer mp;
    always @* begin
        miss_borrow[0] = 1'b0;
        for (mp = 0; mp < 4; mp = mp + 1) begin
            {miss_borrow_plain[mp], miss_plain[16*mp +: 16]} = {1'b0, miss_a_q[16*mp +: 16]} - {1'b0, miss_b_q[16*mp +: 16]};
            // a - b - 1 = a + ~b less 2^16: it borrows when that does not carry
            {miss_carry_less[mp], miss_less[16*mp +: 16]} = {1'b0, miss_a_q[16*mp +: 16]} + {1'b0, ~miss_b_q[16*mp +: 16]};
            miss_next[16*mp +: 16] = miss_borrow[mp] ? miss_less_q[16*mp +: 16] : miss_plain_q[16*mp +: 16];
            miss_borrow[mp + 1] = miss_borrow[mp] ? miss_borrow_less_q[mp] : miss_borrow_plain_q[mp];
        end
    end
    assign inc_missing = miss_valid_q ? miss_q : 64'd0;

    function automatic [79:0] session_bytes(input [79:0] sess);   // first byte lowest, as in the record
        integer i;
        begin
            for (i = 0; i < 10; i = i + 1) session_bytes[8*i +: 8] = sess[8*(9 - i) +: 8];
        end
    endfunction

    reg [REC_BITS-1:0] rec_n, more_n;
    reg                rec_n_valid, more_n_valid, rec_n_message;
    wire               filtered = rec_n_message && filter_enable && locate != 16'd0;
    reg [7:0]          err_code;
    reg                makes_error;        // err_code is not 0 (every code set is 1 to 11)
    always @* begin
        rec_n = {REC_BITS{1'b0}};
        more_n = {REC_BITS{1'b0}};
        rec_n_valid = 1'b0;
        more_n_valid = 1'b0;
        rec_n_message = 1'b0;
        err_code = 8'd0;
        makes_error = 1'b0;
        inc_packet = 1'b0; inc_heartbeat = 1'b0; inc_end_of_session = 1'b0; inc_duplicate = 1'b0; inc_gap = 1'b0;
        inc_error = 5'd0;
        if (take) begin
            case (a_kind_q)
                EV_HEADER: begin
                    inc_packet = 1'b1;
                    inc_heartbeat = a_count_q == 16'd0;
                    inc_end_of_session = a_count_q == 16'hFFFF;
                    if (!sess_hit) begin
                        rec_n_valid = 1'b1;
                        rec_n[`TG_REC_KIND_LSB +: 8] = `TG_KIND_FEED_SESSION;
                        rec_n[`TG_FEED_SESSION_SESSION_SLOT_LSB +: 8] = {{(8-SLOT_W){1'b0}}, sess_slot};
                        rec_n[`TG_FEED_SESSION_SESSION_LSB +: 80] = session_bytes(a_session_q);
                    end else if (hdr_gap_q) begin
                        rec_n_valid = 1'b1;
                        inc_gap = 1'b1;
                        rec_n[`TG_REC_KIND_LSB +: 8] = `TG_KIND_FEED_GAP;
                        rec_n[`TG_FEED_GAP_SESSION_SLOT_LSB +: 8] = {{(8-SLOT_W){1'b0}}, sess_slot};
                        rec_n[`TG_FEED_GAP_EXPECTED_LSB +: 64] = hdr_expected_q;
                        rec_n[`TG_FEED_GAP_RECEIVED_LSB +: 64] = a_seq_q;
                    end
                end
                EV_MESSAGE: begin
                    if (duplicate) inc_duplicate = 1'b1;
                    else if (good_message) begin
                        rec_n_valid = 1'b1;
                        rec_n_message = 1'b1;
                        rec_n[`TG_REC_KIND_LSB +: 8] = `TG_KIND_ITCH_MESSAGE;
                        rec_n[`TG_ITCH_MESSAGE_MSG_TYPE_LSB +: 8] = msg_type;
                        rec_n[`TG_ITCH_MESSAGE_SESSION_SLOT_LSB +: 8] = {{(8-SLOT_W){1'b0}}, pkt_slot_q};
                        rec_n[`TG_ITCH_MESSAGE_MOLD_SEQ_LSB +: 64] = a_seq_q;
                        rec_n[`TG_ITCH_MESSAGE_TIMESTAMP_LSB +: 64] = {16'd0, a_head_q[8*5 +: 8], a_head_q[8*6 +: 8],
                            a_head_q[8*7 +: 8], a_head_q[8*8 +: 8], a_head_q[8*9 +: 8], a_head_q[8*10 +: 8]};
                        rec_n[`TG_ITCH_MESSAGE_STOCK_LOCATE_LSB +: 16] = locate;
                        rec_n[`TG_ITCH_MESSAGE_TRACKING_NUMBER_LSB +: 16] = {a_head_q[8*3 +: 8], a_head_q[8*4 +: 8]};
                        rec_n[`TG_ITCH_MESSAGE_BODY_LSB +: `TG_ITCH_MESSAGE_BODY_W] = body[0 +: `TG_ITCH_MESSAGE_BODY_W];
                        if (needs_more) begin
                            more_n_valid = 1'b1;
                            more_n[`TG_REC_KIND_LSB +: 8] = `TG_KIND_ITCH_MORE;
                            more_n[`TG_ITCH_MORE_MSG_TYPE_LSB +: 8] = msg_type;
                            more_n[`TG_ITCH_MORE_SESSION_SLOT_LSB +: 8] = {{(8-SLOT_W){1'b0}}, pkt_slot_q};
                            more_n[`TG_ITCH_MORE_MOLD_SEQ_LSB +: 64] = a_seq_q;
                            more_n[`TG_ITCH_MORE_BODY_LSB +: 8*(ITCH_BODY_BYTES-MAIN_BODY)] = body[8*ITCH_BODY_BYTES-1:8*MAIN_BODY];
                        end
                    end else begin
                        rec_n_valid = 1'b1;
                        makes_error = 1'b1;
                        err_code = unknown_type ? `TG_FEED_ERR_UNKNOWN_MESSAGE_TYPE : `TG_FEED_ERR_BAD_LENGTH;
                        rec_n[`TG_FEED_ERROR_FLAGS_LSB + `TG_FEED_ERROR_FLAG_SEQ] = 1'b1;
                        rec_n[`TG_FEED_ERROR_FLAGS_LSB + `TG_FEED_ERROR_FLAG_SESSION] = 1'b1;
                        rec_n[`TG_FEED_ERROR_SESSION_SLOT_LSB +: 8] = {{(8-SLOT_W){1'b0}}, pkt_slot_q};
                        rec_n[`TG_FEED_ERROR_MOLD_SEQ_LSB +: 64] = a_seq_q;
                        rec_n[`TG_FEED_ERROR_COUNT_LSB +: 16] = pkt_count_q;
                        rec_n[`TG_FEED_ERROR_LENGTH_LSB +: 16] = a_length_q;
                        rec_n[`TG_FEED_ERROR_MSG_TYPE_LSB +: 8] = msg_type;
                    end
                end
                EV_WIRE: begin   // a frame's wire status: the error alone, no session
                    rec_n_valid = 1'b1;
                    makes_error = 1'b1;
                    err_code = `TG_FEED_ERR_TRUNCATED_FRAME + {5'd0, a_count_q[2:0]} - 8'd1;
                end
                default: begin   // EV_ERROR
                    rec_n_valid = 1'b1;
                    makes_error = 1'b1;
                    rec_n[`TG_FEED_ERROR_COUNT_LSB +: 16] = pkt_count_q;
                    if (a_error_q == ERR_SHORT) begin
                        inc_packet = 1'b1;
                        err_code = `TG_FEED_ERR_SHORT_PACKET;
                        rec_n[`TG_FEED_ERROR_COUNT_LSB +: 16] = 16'd0;
                        rec_n[`TG_FEED_ERROR_BYTES_LSB +: 16] = a_count_q;
                    end else begin
                        rec_n[`TG_FEED_ERROR_FLAGS_LSB + `TG_FEED_ERROR_FLAG_SESSION] = 1'b1;
                        rec_n[`TG_FEED_ERROR_SESSION_SLOT_LSB +: 8] = {{(8-SLOT_W){1'b0}}, pkt_slot_q};
                        if (a_error_q == ERR_TRUNCATED) begin
                            err_code = `TG_FEED_ERR_TRUNCATED_PACKET;
                            rec_n[`TG_FEED_ERROR_FLAGS_LSB + `TG_FEED_ERROR_FLAG_SEQ] = lost_numbered;
                            rec_n[`TG_FEED_ERROR_MOLD_SEQ_LSB +: 64] = lost_numbered ? lost_seq : 64'd0;
                            rec_n[`TG_FEED_ERROR_INDEX_LSB +: 16] = a_index_q;
                        end else begin
                            err_code = `TG_FEED_ERR_TRAILING_BYTES;
                            rec_n[`TG_FEED_ERROR_BYTES_LSB +: 16] = a_count_q;
                        end
                    end
                end
            endcase
            // a flag set beside each code, not a test of the code, which waits for the error's kind
            if (makes_error) rec_n[`TG_REC_KIND_LSB +: 8] = `TG_KIND_FEED_ERROR;
            rec_n[`TG_REC_ERROR_LSB +: 8] = err_code;
            for (s = 1; s <= 5; s = s + 1) inc_error[s - 1] = err_code == s[7:0];
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            sess_valid_q <= {SESSION_SLOTS{1'b0}};
            alloc_q <= {SLOT_W{1'b0}};
            pkt_slot_q <= {SLOT_W{1'b0}};
            pkt_expected_q <= 64'd0;
            pkt_first_q <= 16'd0;
            pkt_count_q <= 16'd0;
            rec_valid_q <= 1'b0;
            rec_message_q <= 1'b0;
            more_valid_q <= 1'b0;
            dup_packet_q <= 1'b0;
            a_valid_q <= 1'b0;
            a_looking_q <= 1'b0;
            end_pending_q <= 1'b0;
            dup_candidate_q <= 1'b0;
            pkt_end_q <= 64'd0;
            pkt_end_above_q <= 1'b0;
            miss_in_q <= 1'b0;
            miss_pieces_q <= 1'b0;
            miss_valid_q <= 1'b0;
        end else begin
            if (ev_take) begin
                a_kind_q <= ev_kind;
                a_error_q <= ev_error;
                a_session_q <= ev_session;
                a_seq_q <= ev_seq;
                a_count_q <= ev_count;
                a_length_q <= ev_length;
                a_head_q <= ev_data[0 +: 8*ITCH_HEADER_BYTES];
                a_body_q <= itch_body(in_type, ev_data[8*ITCH_HEADER_BYTES +: 8*ITCH_BODY_BYTES]);
                a_sess_piece_eq_q <= in_piece_eq;
                a_seq_pieces_q <= in_seq_pieces;
                a_end_low_q <= in_end_low[15:0];
                a_end_carry_q <= in_end_low[16];
                a_exp_pieces_q <= pieces(ev_seq, cmp_expected);
                a_end_pieces_q <= pieces(ev_seq, cmp_end);
                a_index_q <= ev_seq[15:0] - cmp_first + 16'd1;
                a_unknown_type_q <= in_unknown_type;
                a_bad_length_q <= !in_unknown_type && ev_length != {8'd0, in_type_length};
                a_needs_more_q <= in_type_length > 8'd11 + MAIN_BODY[7:0];
            end
            if (ev_take) a_valid_q <= 1'b1;
            else if (take) a_valid_q <= 1'b0;
            if (ev_take) a_looking_q <= ev_kind == EV_HEADER;
            else a_looking_q <= 1'b0;
            if (a_valid_q && a_looking_q) begin
                a_sess_hit_q <= found_hit;
                a_sess_slot_q <= found_slot;
                hdr_expected_q <= found_hit ? found_expected : a_seq_q;
                hdr_gap_q <= |(found_onehot & slot_gaps);
                hdr_end_q <= {end_high, a_end_low_q};
                hdr_end_wraps_q <= end_wraps;
            end
            // (hdr_end_q, hdr_expected_q and the slot hold until the next header is looked up)
            end_pending_q <= hdr_leaving;
            dup_candidate_q <= hdr_leaving && a_count_q != 16'd0 && a_count_q != 16'hFFFF && !hdr_end_wraps_q;
            dup_packet_q <= dup_candidate_q && !hdr_end_above;
            if (hdr_leaving) begin
                hdr_end_pieces_q <= pieces(hdr_end_q, hdr_expected_q);
                sess_valid_q[sess_slot] <= 1'b1;
                sess_id_q[sess_slot] <= a_session_q;
                if (!sess_hit) alloc_q <= alloc_q + {{(SLOT_W-1){1'b0}}, 1'b1};
                pkt_slot_q <= sess_slot;
                pkt_expected_q <= hdr_expected_q;
                pkt_first_q <= a_seq_q[15:0];
                pkt_count_q <= a_count_q;
                pkt_end_q <= hdr_end_q;
            end
            if (end_pending_q) begin
                sess_expected_q[sess_slot] <= hdr_next_expected;
                pkt_end_above_q <= hdr_end_above;
            end
            // the missing count of a gap, three cycles after it
            miss_in_q <= hdr_leaving && hdr_gap_q;
            miss_a_q <= a_seq_q;
            miss_b_q <= hdr_expected_q;
            miss_plain_q <= miss_plain;
            miss_borrow_plain_q <= miss_borrow_plain;
            miss_less_q <= miss_less;
            miss_borrow_less_q <= ~miss_carry_less;
            miss_pieces_q <= miss_in_q;
            miss_valid_q <= miss_pieces_q;
            miss_q <= miss_next;
            if (take) begin
                rec_valid_q <= rec_n_valid;
                rec_q <= rec_n;
                rec_message_q <= rec_n_message;
                rec_passes_q <= !filtered || (msg_type == TYPE_R && learn_match);
                rec_looks_q <= filtered && msg_type != TYPE_R;
                more_valid_q <= more_n_valid;
                more_q <= more_n;
            end else if (out_free) begin
                // the continuation follows its message through the same filter verdict
                rec_valid_q <= more_valid_q;
                rec_q <= more_q;
                rec_message_q <= 1'b0;
                more_valid_q <= 1'b0;
            end
        end
    end

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSUME(ev_valid, ev_ready, {ev_kind, ev_error, ev_session, ev_seq, ev_count, ev_length, ev_data})
    `TG_AXIS_SOURCE_ASSERT(m_tvalid, m_tready, m_tdata)
    // the symbol filter's look-up bit is registered when asked for and held otherwise
    always @(posedge clk) if (f_past_valid && !$past(look_en)) assume(look_bit == $past(look_bit));
`endif
endmodule
`default_nettype wire
