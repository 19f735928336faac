// FIX parser: frames messages in a byte stream arriving DATA_WIDTH/8 bytes per beat, tokenizes their
// fields, converts tags and the values of numeric tags to binary, verifies BodyLength and CheckSum, and
// emits per message its field index (fix_fields records, up to two entries each) followed by one
// fix_frame record. The rules (framing, garbled, verdict priority) are written out at the top of the
// golden model, src/fix/ref-parser.ts; this module implements exactly those.
//
// Stage 1, the lane walk: pattern matches for every lane ("8=FIX", "<SOH>8=FIX", "<SOH>10=") are computed
// in parallel over a window of the last 5 bytes plus the beat; the lanes are then walked in order in one
// combinational pass that carries the tokenizer state from lane to lane, so any number of fields may end
// in one beat. Digits are only shifted into BCD registers here (tags and values), which keeps the
// lane-to-lane chain free of carries. One token leaves the walk per cycle: up to two field entries, or
// one frame. When a lane needs a token slot this cycle has already used, the beat is held and the walk
// resumes at that lane next cycle (ptr_reg). A message's frame token follows the cycle after its last
// field entry (frame_pending_reg). Ingress tkeep must be contiguous from lane 0.
//
// Stage 2, the record stage: converts the BCD of the token's entries to binary (bcd_to_binary), drops
// values beyond a signed 64-bit integer, keeps BodyLength and MsgSeqNum for the message's frame, decides
// the frame verdict and formats the record.
`default_nettype none
`include "tickgate_layout.vh"
module fix_parser #(
    parameter DATA_WIDTH = 64,
    parameter KEEP_WIDTH = DATA_WIDTH / 8,
    parameter REC_WIDTH = `TG_REC_BITS
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire [DATA_WIDTH-1:0] s_axis_tdata,
    input  wire [KEEP_WIDTH-1:0] s_axis_tkeep,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    input  wire                  s_axis_tlast,

    output wire [REC_WIDTH-1:0]  m_axis_tdata,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,

    input  wire [31:0]           max_msg_len,
    // 1: also decode Side (54) and OrdType (40) as integers (the risk gate's parser). A port, not a
    // parameter, so both instances are one module and synthesis works through the parser once.
    input  wire                  order_tags,
    input  wire [63:0]           cycle
);

localparam LANE_BITS = $clog2(KEEP_WIDTH);
localparam HIST = 5;  // bytes of history: enough for "<SOH>8=FIX" to end in lane 0
localparam WIN = HIST + KEEP_WIDTH;
localparam DELTA_BITS = LANE_BITS + 2;

localparam [1:0] MODE_IDLE = 2'd0;     // no pending bytes
localparam [1:0] MODE_GARBAGE = 2'd1;  // bytes since start_reg are not part of a message
localparam [1:0] MODE_MSG = 2'd2;      // inside a message, before "<SOH>10="
localparam [1:0] MODE_TRAILER = 2'd3;  // after "<SOH>10=", waiting for the closing SOH

localparam [1:0] OUT_NONE = 2'd0;
localparam [1:0] OUT_FIELDS = 2'd1;
localparam [1:0] OUT_FRAME = 2'd2;

localparam [7:0] SOH = 8'h01;
localparam [7:0] START_SUM = 8'd92;          // ("8" + "=" + "F" + "I" + "X") mod 256
localparam [3:0] MAX_TAG_DIGITS = 4'd9;
localparam [4:0] MAX_SIG_DIGITS = 5'd19;    // 10^19 > 2^63: a 20th significant digit overflows
localparam [63:0] I64_MAX = 64'h7FFF_FFFF_FFFF_FFFF;
localparam TAG_BCD = 36;                     // nine digits
localparam VAL_BCD_LO = 64;                  // nineteen digits, kept as 16 + 3 so no register is wider
localparam VAL_BCD_HI = 12;
localparam PEND_BITS = TAG_BCD + VAL_BCD_LO + VAL_BCD_HI + 1 + 8 + 1 + 8 + 32 + 32 + 1 + 1 + 1;                  // than 64 bits (a cheap word for Verilator)

// Counters and the mode are plain registers, not state machines for Yosys to re-encode: its FSM
// extraction enumerates their transitions over the whole walk and ran for minutes without finishing.
// ---- stage 1 state: framing -----------------------------------------------------------------------------
(* fsm_encoding = "none" *) reg [1:0]           mode_reg, mode_next;
reg [63:0]          start_reg, start_next;          // stream offset where the pending span starts
(* fsm_encoding = "none" *) reg [2:0]           gcount_reg, gcount_next;        // bytes in the garbage span so far, saturating at 7
reg [63:0]          beat_pos_reg, beat_pos_next;    // stream offset of lane 0 of the current beat
(* fsm_encoding = "none" *) reg [LANE_BITS-1:0] ptr_reg, ptr_next;              // first lane of the held beat not yet walked
reg [HIST*8-1:0]    hist_reg, hist_next;            // last HIST bytes before this beat, newest on top
reg                 end_pending_reg, end_pending_next;
reg                 frame_pending_reg, frame_pending_next;  // the message's frame token is due
reg [63:0]          frame_end_reg, frame_end_next;  // stream offset after the message's last byte
reg [31:0]          mrel_reg, mrel_next;            // lane 0 of the beat, in bytes from the message start

// ---- stage 1 state: the message ---------------------------------------------------------------------------
reg        garbled_reg, garbled_next;
reg [31:0] field_count_reg, field_count_next;
reg [7:0]  sum_reg, sum_next;                       // byte sum of the message so far
reg [7:0]  sum_fe_reg, sum_fe_next;                 // byte sum up to the last field's SOH
reg [31:0] body_start_reg, body_start_next;
reg [15:0] msg_type_reg, msg_type_next;
reg [7:0]  msg_type_len_reg, msg_type_len_next;
reg        poss_dup_reg, poss_dup_next;
reg        poss_resend_reg, poss_resend_next;
reg [7:0]  tr_computed_reg, tr_computed_next;       // what the closing 10= field found
reg [31:0] tr_body_actual_reg, tr_body_actual_next;
reg [11:0] tr_checksum_reg, tr_checksum_next;       // three BCD digits
reg        tr_checksum_ok_reg, tr_checksum_ok_next;

// ---- stage 1 state: a field entry waiting for a partner ------------------------------------------------------
// A lone entry is held back until the next entry of its message can share the record, so records carry
// two entries where possible (this halves the record stream). It leaves alone when the message ends, a
// frame must follow it, or the stream ends.
reg                  pend_valid_reg, pend_valid_next;
reg [PEND_BITS-1:0]  pend_reg, pend_next;             // entry slot 0, packed as `FIX_PARSER_SLOT0 lists it

// ---- stage 1 state: the field -------------------------------------------------------------------------------
reg               in_value_reg, in_value_next;
reg [TAG_BCD-1:0] tag_reg, tag_next;                // BCD, the last nine digits
(* fsm_encoding = "none" *) reg [3:0]         tag_digits_reg, tag_digits_next;  // saturates at MAX_TAG_DIGITS + 1
reg               tag_bad_reg, tag_bad_next;
reg [31:0]        value_start_reg, value_start_next;
(* fsm_encoding = "none" *) reg [2:0]         vlen_reg, vlen_next;              // value bytes so far, saturating at 7
reg [VAL_BCD_LO-1:0] val_lo_reg, val_lo_next;       // BCD of the significant digits
reg [VAL_BCD_HI-1:0] val_hi_reg, val_hi_next;
(* fsm_encoding = "none" *) reg [4:0]         sig_reg, sig_next;                // significant digits (leading zeros skipped)
(* fsm_encoding = "none" *) reg [2:0]         digits_reg, digits_next;          // digit bytes, saturating at 4
reg               neg_reg, neg_next;
reg               point_reg, point_next;
reg [7:0]         scale_reg, scale_next;
reg               value_bad_reg, value_bad_next;
reg               ovf_reg, ovf_next;
reg [7:0]         first_char_reg, first_char_next;

// ---- per-lane pattern matches over the window ------------------------------------------------------------
wire [WIN*8-1:0] window = {s_axis_tdata, hist_reg};
reg  [KEEP_WIDTH-1:0] match_start;     // "8=FIX" ends in this lane
reg  [KEEP_WIDTH-1:0] match_restart;   // "<SOH>8=FIX" ends in this lane
reg  [KEEP_WIDTH-1:0] match_trailer;   // "<SOH>10=" ends in this lane

wire [7:0] win [0:WIN-1];
genvar g;
generate
    for (g = 0; g < WIN; g = g + 1) begin : g_window
        assign win[g] = window[g*8 +: 8];
    end
endgenerate

integer l;
always @* begin
    for (l = 0; l < KEEP_WIDTH; l = l + 1) begin
        match_start[l] = win[HIST+l-4] == "8" && win[HIST+l-3] == "=" &&
                         win[HIST+l-2] == "F" && win[HIST+l-1] == "I" && win[HIST+l] == "X";
        match_restart[l] = match_start[l] && win[HIST+l-5] == SOH;
        match_trailer[l] = win[HIST+l-3] == SOH && win[HIST+l-2] == "1" &&
                           win[HIST+l-1] == "0" && win[HIST+l] == "=";
    end
end

function is_int_tag(input [TAG_BCD-1:0] t);
    is_int_tag = t == 36'h9 || t == 36'h34 || t == 36'h36 || t == 36'h7 || t == 36'h16 || t == 36'h108 ||
                 (order_tags && (t == 36'h54 || t == 36'h40));
endfunction

function is_flag_tag(input [TAG_BCD-1:0] t);
    is_flag_tag = t == 36'h43 || t == 36'h97 || t == 36'h123;
endfunction

function is_decimal_tag(input [TAG_BCD-1:0] t);
    is_decimal_tag = t == 36'h14 || t == 36'h31 || t == 36'h32 || t == 36'h38 || t == 36'h44 || t == 36'h6 ||
                     t == 36'h99 || t == 36'h151;
endfunction

// ---- stage 1: lane walk ------------------------------------------------------------------------------------
// Positions inside the beat are small deltas (lane + 4, so "4 bytes back" fits), turned into 64-bit
// stream offsets once, after the walk.
localparam [DELTA_BITS-1:0] AT = 0;                    // the byte in this lane
localparam [DELTA_BITS-1:0] BACK4 = 4;                 // the byte 4 before ("8" of "8=FIX" ending here)
localparam [DELTA_BITS-1:0] PAST = {DELTA_BITS{1'b1}}; // the byte after (-1 back)
localparam [DELTA_BITS-1:0] FOUR = 4;

function [DELTA_BITS-1:0] delta(input [DELTA_BITS-1:0] lane, input [DELTA_BITS-1:0] back);
    delta = lane + FOUR - back;
endfunction

// token from the walk
reg                  t_ready;          // the token register can take a token this cycle
reg [1:0]            out_kind;
reg                  out_stream_end;
reg                  out_complete;     // the frame of a message that reached its trailer
reg [7:0]            out_error;
reg                  out_is_message;   // too_long applies
reg                  fr_count_from_reg; // a garbled frame's field count: field_count_reg + fr_count_add
reg [1:0]            fr_count_add;
reg                  emit_start_in_beat;
reg [DELTA_BITS-1:0] emit_start_delta;
reg [DELTA_BITS-1:0] emit_end_delta;
reg [DELTA_BITS-1:0] trailer_end_delta;
reg                  trailer_seen;
reg                  start_in_beat;    // the span start was set during this walk, at start_delta
reg [DELTA_BITS-1:0] start_delta;
reg                  began;            // a message began during this walk
reg [1:0]            fc_small;         // fields of the current message so far, saturating at 3
reg [1:0]            fc_add;           // fields of the current message completed during this walk
reg                  stop;
reg                  hit_block;        // the walk stopped at a lane that needs a slot already used
reg                  hold_entry;       // keep this cycle's lone entry back for a partner
reg                  beat_done;
reg                  tready_int;
reg [1:0]            n_entries;
reg [LANE_BITS:0]    valid_lanes;      // bytes in the beat (tkeep is contiguous from lane 0)
reg [KEEP_WIDTH-1:0] lane_todo;        // lanes still to walk in the current beat

// field entry slots of this cycle's token
reg [2*TAG_BCD-1:0] e_tag;
reg [2*VAL_BCD_LO-1:0] e_val_lo;
reg [2*VAL_BCD_HI-1:0] e_val_hi;
reg [1:0]         e_neg;
reg [15:0]         e_type;        // before the range check of stage 2
reg [1:0]         e_flag_y;
reg [15:0]         e_scale;
reg [63:0]        e_voff;
reg [63:0]        e_vend;        // offset of the closing SOH
reg [1:0]         e_first;       // field 8, the message's first
reg [1:0]         e_body_len;    // the second field (BodyLength when well-formed)
reg [1:0]         e_msg_type;    // the third field (MsgType when well-formed)
reg [1:0]         e_trailer;     // the closing 10= field

// slot 0 as one vector, for the pending entry (the closing 10= entry is never held, so e_trailer is not in it)
`define FIX_PARSER_SLOT0 {e_tag[0 +: TAG_BCD], e_val_lo[0 +: VAL_BCD_LO], e_val_hi[0 +: VAL_BCD_HI], e_neg[0], \
    e_type[0 +: 8], e_flag_y[0], e_scale[0 +: 8], e_voff[0 +: 32], e_vend[0 +: 32], e_first[0], e_body_len[0], \
    e_msg_type[0]}

// per-lane temporaries
reg [7:0]  b;
reg        is_digit;
reg [3:0]  d;
reg [31:0] rel;
reg        need_frame, need_entry, blocked;
reg [7:0]  f_type;
reg [7:0]  computed;
integer i, s;

// A value starts at `at` (bytes from the message start): its decoding state, cleared.
task start_value(input [31:0] at);
    begin
        in_value_next = 1'b1;
        value_start_next = at;
        vlen_next = 3'd0;
        val_lo_next = {VAL_BCD_LO{1'b0}};
        val_hi_next = {VAL_BCD_HI{1'b0}};
        sig_next = 5'd0;
        digits_next = 3'd0;
        neg_next = 1'b0;
        point_next = 1'b0;
        scale_next = 8'd0;
        value_bad_next = 1'b0;
        ovf_next = 1'b0;
        first_char_next = 8'd0;
    end
endtask

always @* begin
    mode_next = mode_reg;
    gcount_next = gcount_reg;
    ptr_next = ptr_reg;
    end_pending_next = end_pending_reg;
    frame_pending_next = frame_pending_reg;
    mrel_next = mrel_reg;
    garbled_next = garbled_reg;
    sum_next = sum_reg;
    sum_fe_next = sum_fe_reg;
    msg_type_next = msg_type_reg;
    poss_dup_next = poss_dup_reg;
    poss_resend_next = poss_resend_reg;
    tr_computed_next = tr_computed_reg;
    tr_checksum_next = tr_checksum_reg;
    tr_checksum_ok_next = tr_checksum_ok_reg;
    in_value_next = in_value_reg;
    tag_next = tag_reg;
    tag_digits_next = tag_digits_reg;
    tag_bad_next = tag_bad_reg;
    value_start_next = value_start_reg;
    vlen_next = vlen_reg;
    val_lo_next = val_lo_reg;
    val_hi_next = val_hi_reg;
    sig_next = sig_reg;
    digits_next = digits_reg;
    neg_next = neg_reg;
    point_next = point_reg;
    scale_next = scale_reg;
    value_bad_next = value_bad_reg;
    ovf_next = ovf_reg;
    first_char_next = first_char_reg;

    valid_lanes = 0;
    for (i = 0; i < KEEP_WIDTH; i = i + 1) begin
        if (s_axis_tkeep[i]) valid_lanes = i[LANE_BITS:0] + 1'b1;
    end
    lane_todo = s_axis_tkeep & ({KEEP_WIDTH{1'b1}} << ptr_reg);

    out_kind = OUT_NONE;
    out_stream_end = 1'b0;
    out_complete = 1'b0;
    out_error = `TG_ERR_NONE;
    out_is_message = 1'b0;
    fr_count_from_reg = 1'b0;
    fr_count_add = 2'd0;
    emit_start_in_beat = 1'b0;
    emit_start_delta = 0;
    emit_end_delta = delta(0, AT);
    trailer_end_delta = 0;
    trailer_seen = 1'b0;
    start_in_beat = 1'b0;
    start_delta = 0;
    began = 1'b0;
    fc_small = field_count_reg > 32'd2 ? 2'd3 : field_count_reg[1:0];
    fc_add = 2'd0;
    stop = 1'b0;
    beat_done = 1'b0;
    tready_int = 1'b0;
    n_entries = 2'd0;
    for (s = 0; s < 2; s = s + 1) begin
        e_tag[(s)*TAG_BCD +: TAG_BCD] = {TAG_BCD{1'b0}};
        e_val_lo[(s)*VAL_BCD_LO +: VAL_BCD_LO] = {VAL_BCD_LO{1'b0}};
        e_val_hi[(s)*VAL_BCD_HI +: VAL_BCD_HI] = {VAL_BCD_HI{1'b0}};
        e_neg[s] = 1'b0;
        e_type[(s)*8 +: 8] = `TG_DECODED_NONE;
        e_flag_y[s] = 1'b0;
        e_scale[(s)*8 +: 8] = 8'd0;
        e_voff[(s)*32 +: 32] = 32'd0;
        e_vend[(s)*32 +: 32] = 32'd0;
        e_first[s] = 1'b0;
        e_body_len[s] = 1'b0;
        e_msg_type[s] = 1'b0;
        e_trailer[s] = 1'b0;
    end
    if (pend_valid_reg) begin
        `FIX_PARSER_SLOT0 = pend_reg;
        n_entries = 2'd1;
        out_kind = OUT_FIELDS;
    end
    hit_block = 1'b0;
    b = 8'd0;
    is_digit = 1'b0;
    d = 4'd0;
    rel = 32'd0;
    need_frame = 1'b0;
    need_entry = 1'b0;
    blocked = 1'b0;
    f_type = `TG_DECODED_NONE;
    computed = 8'd0;

    if (t_ready && frame_pending_reg) begin
        out_kind = OUT_FRAME;
        out_complete = 1'b1;
        out_is_message = 1'b1;
        fr_count_from_reg = 1'b1;
        frame_pending_next = 1'b0;
    end

    if (t_ready && end_pending_reg) begin
        // stream ended: flush the pending span, then report stream_end
        if (out_kind == OUT_NONE) begin
            out_kind = OUT_FRAME;
            mode_next = MODE_IDLE;
            if (mode_reg == MODE_GARBAGE) begin
                out_error = `TG_ERR_GARBLED;
            end else if (mode_reg != MODE_IDLE) begin
                out_error = `TG_ERR_TRUNCATED;
                out_is_message = 1'b1;
                fr_count_from_reg = 1'b1;
            end else begin
                out_stream_end = 1'b1;
                emit_start_in_beat = 1'b1;
                emit_start_delta = delta(0, AT);
                end_pending_next = 1'b0;
            end
        end
    end else if (t_ready && s_axis_tvalid) begin
        for (i = 0; i < KEEP_WIDTH; i = i + 1) begin
            if (!stop && lane_todo[i]) begin
                b = win[HIST+i];
                is_digit = b >= "0" && b <= "9";
                d = b[3:0];
                rel = mrel_next + i;
                need_frame = (mode_next == MODE_GARBAGE && match_start[i] && gcount_next > 3'd4) ||
                             (mode_next == MODE_MSG && match_restart[i]);
                need_entry = (mode_next == MODE_MSG && !match_restart[i] || mode_next == MODE_TRAILER) &&
                             in_value_next && b == SOH;
                blocked = (need_frame && out_kind != OUT_NONE) ||
                          (need_entry && !(out_kind == OUT_NONE || (out_kind == OUT_FIELDS && n_entries == 2'd1)));
                if (blocked) begin
                    stop = 1'b1;
                    hit_block = 1'b1;
                    ptr_next = i[LANE_BITS-1:0];
                end else begin
                    if (need_frame) begin
                        // the span before this "8=FIX" is garbled: garbage, or a message cut off by a restart
                        out_kind = OUT_FRAME;
                        out_error = `TG_ERR_GARBLED;
                        out_is_message = mode_next == MODE_MSG;
                        fr_count_from_reg = mode_next == MODE_MSG && !began;
                        fr_count_add = mode_next == MODE_MSG ? fc_add : 2'd0;
                        emit_start_in_beat = start_in_beat;
                        emit_start_delta = start_delta;
                        emit_end_delta = delta(i[DELTA_BITS-1:0], BACK4);
                    end
                    case (mode_next)
                        MODE_IDLE: begin
                            mode_next = MODE_GARBAGE;
                            start_in_beat = 1'b1;
                            start_delta = delta(i[DELTA_BITS-1:0], AT);
                            gcount_next = 3'd1;
                        end
                        MODE_GARBAGE: begin
                            if (!match_start[i] && gcount_next != 3'd7) gcount_next = gcount_next + 3'd1;
                        end
                        default: begin  // MODE_MSG, MODE_TRAILER: tokenize the byte
                            if (mode_next == MODE_MSG && match_trailer[i]) mode_next = MODE_TRAILER;
                            if (!(mode_next == MODE_MSG && match_restart[i])) begin
                                if (!in_value_next) begin
                                    sum_next = sum_next + b;
                                    if (b == "=") begin
                                        if (tag_digits_next == 4'd0 || tag_digits_next > MAX_TAG_DIGITS ||
                                            tag_next == {TAG_BCD{1'b0}} || tag_bad_next) garbled_next = 1'b1;
                                        start_value(rel + 32'd1);
                                    end else if (b == SOH) begin
                                        garbled_next = 1'b1;  // a field without "="
                                        sum_fe_next = sum_next;
                                        tag_next = {TAG_BCD{1'b0}};
                                        tag_digits_next = 4'd0;
                                        tag_bad_next = 1'b0;
                                    end else if (is_digit) begin
                                        tag_next = {tag_next[TAG_BCD-5:0], d};
                                        if (tag_digits_next != MAX_TAG_DIGITS + 4'd1) tag_digits_next = tag_digits_next + 4'd1;
                                    end else begin
                                        tag_bad_next = 1'b1;
                                    end
                                end else if (b != SOH) begin
                                    sum_next = sum_next + b;
                                    if (vlen_next == 3'd0) first_char_next = b;
                                    if (fc_small == 2'd2) begin
                                        if (vlen_next == 3'd0) msg_type_next[7:0] = b;
                                        if (vlen_next == 3'd1) msg_type_next[15:8] = b;
                                    end
                                    if (is_digit) begin
                                        if (digits_next != 3'd4) digits_next = digits_next + 3'd1;
                                        if (point_next) begin
                                            if (scale_next == 8'd255) ovf_next = 1'b1;
                                            else scale_next = scale_next + 8'd1;
                                        end
                                        if (!ovf_next && (sig_next != 5'd0 || d != 4'd0)) begin
                                            if (sig_next == MAX_SIG_DIGITS) begin
                                                ovf_next = 1'b1;
                                            end else begin
                                                val_hi_next = {val_hi_next[VAL_BCD_HI-5:0], val_lo_next[VAL_BCD_LO-1 -: 4]};
                                                val_lo_next = {val_lo_next[VAL_BCD_LO-5:0], d};
                                                sig_next = sig_next + 5'd1;
                                            end
                                        end
                                    end else if (b == ".") begin
                                        if (point_next) value_bad_next = 1'b1;
                                        point_next = 1'b1;
                                    end else if (b == "-" && vlen_next == 3'd0) begin
                                        neg_next = 1'b1;
                                    end else begin
                                        value_bad_next = 1'b1;
                                    end
                                    if (vlen_next != 3'd7) vlen_next = vlen_next + 3'd1;
                                end else begin
                                    // SOH closes the field: one field index entry
                                    computed = sum_fe_next;
                                    sum_next = sum_next + b;
                                    sum_fe_next = sum_next;
                                    f_type = `TG_DECODED_NONE;
                                    if (is_flag_tag(tag_next)) begin
                                        if (vlen_next == 3'd1 && (first_char_next == "Y" || first_char_next == "N")) f_type = `TG_DECODED_FLAG;
                                    end else if (digits_next != 3'd0 && !value_bad_next && !ovf_next) begin
                                        if (is_int_tag(tag_next) && !point_next) f_type = `TG_DECODED_INT;
                                        else if (is_decimal_tag(tag_next)) f_type = `TG_DECODED_DECIMAL;
                                    end
                                    // slot n_entries: written with constant part-selects (a variable one
                                    // becomes $shiftx cells that Yosys' SAT-based sharing chews on for ages)
                                    if (n_entries[0]) e_tag[TAG_BCD +: TAG_BCD] = tag_next;
                                    else e_tag[0 +: TAG_BCD] = tag_next;
                                    if (n_entries[0]) e_val_lo[VAL_BCD_LO +: VAL_BCD_LO] = val_lo_next;
                                    else e_val_lo[0 +: VAL_BCD_LO] = val_lo_next;
                                    if (n_entries[0]) e_val_hi[VAL_BCD_HI +: VAL_BCD_HI] = val_hi_next;
                                    else e_val_hi[0 +: VAL_BCD_HI] = val_hi_next;
                                    if (n_entries[0]) e_neg[1] = neg_next;
                                    else e_neg[0] = neg_next;
                                    if (n_entries[0]) e_type[8 +: 8] = f_type;
                                    else e_type[0 +: 8] = f_type;
                                    if (n_entries[0]) e_flag_y[1] = first_char_next == "Y";
                                    else e_flag_y[0] = first_char_next == "Y";
                                    if (n_entries[0]) e_scale[8 +: 8] = f_type == `TG_DECODED_DECIMAL ? scale_next : 8'd0;
                                    else e_scale[0 +: 8] = f_type == `TG_DECODED_DECIMAL ? scale_next : 8'd0;
                                    if (n_entries[0]) e_voff[32 +: 32] = value_start_next;
                                    else e_voff[0 +: 32] = value_start_next;
                                    if (n_entries[0]) e_vend[32 +: 32] = rel;
                                    else e_vend[0 +: 32] = rel;
                                    if (n_entries[0]) e_first[1] = fc_small == 2'd0;
                                    else e_first[0] = fc_small == 2'd0;
                                    if (n_entries[0]) e_body_len[1] = fc_small == 2'd1;
                                    else e_body_len[0] = fc_small == 2'd1;
                                    if (n_entries[0]) e_msg_type[1] = fc_small == 2'd2;
                                    else e_msg_type[0] = fc_small == 2'd2;
                                    if (n_entries[0]) e_trailer[1] = mode_next == MODE_TRAILER;
                                    else e_trailer[0] = mode_next == MODE_TRAILER;
                                    n_entries = n_entries + 2'd1;
                                    out_kind = OUT_FIELDS;
                                    emit_start_in_beat = start_in_beat;
                                    emit_start_delta = start_delta;

                                    if (fc_small == 2'd1 && tag_next != 36'h9) garbled_next = 1'b1;
                                    if (fc_small == 2'd2 && tag_next != 36'h35) garbled_next = 1'b1;
                                    if (f_type == `TG_DECODED_FLAG && first_char_next == "Y") begin
                                        if (tag_next == 36'h43) poss_dup_next = 1'b1;
                                        if (tag_next == 36'h97) poss_resend_next = 1'b1;
                                    end
                                    if (fc_small != 2'd3) fc_small = fc_small + 2'd1;
                                    fc_add = fc_add + 2'd1;
                                    if (mode_next == MODE_TRAILER) begin
                                        tr_computed_next = computed;
                                        tr_checksum_ok_next = vlen_next == 3'd3 && digits_next == 3'd3 &&
                                                              !value_bad_next && !point_next && !neg_next;
                                        tr_checksum_next = val_lo_next[11:0];
                                        // the message is complete: its frame token follows next cycle
                                        frame_pending_next = 1'b1;
                                        trailer_seen = 1'b1;
                                        trailer_end_delta = delta(i[DELTA_BITS-1:0], PAST);
                                        mode_next = MODE_IDLE;
                                        stop = 1'b1;
                                        ptr_next = i[LANE_BITS-1:0] + 1'b1;
                                    end
                                    in_value_next = 1'b0;
                                    tag_next = {TAG_BCD{1'b0}};
                                    tag_digits_next = 4'd0;
                                    tag_bad_next = 1'b0;
                                end
                            end
                        end
                    endcase
                    if (need_frame || (mode_next == MODE_GARBAGE && match_start[i])) begin
                        // "8=FIX" ends here: a message starts at its "8", in the value of field 8
                        mode_next = MODE_MSG;
                        start_in_beat = 1'b1;
                        start_delta = delta(i[DELTA_BITS-1:0], BACK4);
                        mrel_next = 32'd4 - i;
                        began = 1'b1;
                        fc_small = 2'd0;
                        fc_add = 2'd0;
                        garbled_next = 1'b0;
                        sum_next = START_SUM;
                        sum_fe_next = 8'd0;
                        msg_type_next = 16'd0;
                        poss_dup_next = 1'b0;
                        poss_resend_next = 1'b0;
                        tag_next = 36'h8;
                        tag_digits_next = 4'd1;
                        tag_bad_next = 1'b0;
                        start_value(32'd2);
                        vlen_next = 3'd3;
                        value_bad_next = 1'b1;  // "FIX" is not a number
                        first_char_next = "F";
                    end
                end
            end
        end
        // The beat is done when every lane was walked, or the walk stopped after the beat's last byte.
        beat_done = !stop || (trailer_seen && ({1'b0, ptr_next} == valid_lanes || ptr_next == 0));
        if (beat_done) begin
            tready_int = 1'b1;
            ptr_next = 0;
            end_pending_next = s_axis_tlast;
            mrel_next = mrel_next + {{32-LANE_BITS-1{1'b0}}, valid_lanes};
        end
    end
end

assign s_axis_tready = tready_int;

function [63:0] beat_offset(input [DELTA_BITS-1:0] dl);
    beat_offset = beat_pos_reg + {{64-DELTA_BITS{1'b0}}, dl} - 64'd4;
endfunction

always @* begin
    hold_entry = t_ready && out_kind == OUT_FIELDS && n_entries == 2'd1 && !trailer_seen && !hit_block &&
                 !end_pending_reg;
    pend_valid_next = t_ready ? hold_entry : pend_valid_reg;
    pend_next = hold_entry ? `FIX_PARSER_SLOT0 : pend_reg;
end

// what the walk decided, turned into positions, counts and lengths (one adder each, after the walk)
wire [31:0] e_vlen0 = e_vend[(0)*32 +: 32] - e_voff[(0)*32 +: 32];
wire [31:0] e_vlen1 = e_vend[(1)*32 +: 32] - e_voff[(1)*32 +: 32];

always @* begin
    start_next = start_in_beat ? beat_offset(start_delta) : start_reg;
    frame_end_next = trailer_seen ? beat_offset(trailer_end_delta) : frame_end_reg;
    field_count_next = (began ? 32'd0 : field_count_reg) + {30'd0, fc_add};
    body_start_next = began ? 32'd0 : body_start_reg;
    if (e_body_len[0] && n_entries != 2'd0) body_start_next = e_vend[(0)*32 +: 32] + 32'd1;
    if (e_body_len[1] && n_entries == 2'd2) body_start_next = e_vend[(1)*32 +: 32] + 32'd1;
    msg_type_len_next = began ? 8'd0 : msg_type_len_reg;
    if (e_msg_type[0] && n_entries != 2'd0) msg_type_len_next = e_vlen0[31:8] != 0 ? 8'd255 : e_vlen0[7:0];
    if (e_msg_type[1] && n_entries == 2'd2) msg_type_len_next = e_vlen1[31:8] != 0 ? 8'd255 : e_vlen1[7:0];
    tr_body_actual_next = tr_body_actual_reg;
    if (e_trailer[0] && n_entries != 2'd0) tr_body_actual_next = e_voff[(0)*32 +: 32] - 32'd3 - body_start_next;
    if (e_trailer[1] && n_entries == 2'd2) tr_body_actual_next = e_voff[(1)*32 +: 32] - 32'd3 - body_start_next;
    beat_pos_next = beat_pos_reg;
    hist_next = hist_reg;
    if (out_stream_end) begin
        beat_pos_next = 64'd0;
        hist_next = {HIST*8{1'b0}};
    end else if (tready_int) begin
        beat_pos_next = beat_pos_reg + {{64-LANE_BITS-1{1'b0}}, valid_lanes};
        hist_next = window[valid_lanes*8 +: HIST*8];
    end
end

wire [63:0] emit_start = out_complete ? start_reg : emit_start_in_beat ? beat_offset(emit_start_delta) : start_reg;
wire [63:0] emit_end = out_complete ? frame_end_reg : beat_offset(emit_end_delta);
wire [63:0] emit_length = emit_end - emit_start;
wire [31:0] frame_count = (fr_count_from_reg ? field_count_reg : 32'd0) + {30'd0, fr_count_add};

// ---- token register between the stages --------------------------------------------------------------------
reg [1:0]         t_kind_reg;                // OUT_NONE: empty
reg               t_stream_end_reg;
reg               t_complete_reg;
reg [7:0]         t_error_reg;
reg               t_too_long_reg;
reg [63:0]        t_offset_reg;
reg [31:0]        t_length_reg;
reg [31:0]        t_field_count_reg;
reg [63:0]        t_cycle_reg;
reg [1:0]         t_n_reg;
reg [2*TAG_BCD-1:0] t_tag_reg;
reg [2*VAL_BCD_LO-1:0] t_val_lo_reg;
reg [2*VAL_BCD_HI-1:0] t_val_hi_reg;
reg [1:0]         t_neg_reg;
reg [15:0]         t_type_reg;
reg [1:0]         t_flag_y_reg;
reg [15:0]         t_scale_reg;
reg [63:0]        t_voff_reg;
reg [63:0]        t_vlen_reg;
reg [1:0]         t_first_reg;
reg [1:0]         t_body_len_reg;
// a complete message's summary from stage 1
reg               t_garbled_reg, t_poss_dup_reg, t_poss_resend_reg, t_checksum_ok_reg;
reg [15:0]        t_msg_type_reg;
reg [7:0]         t_msg_type_len_reg, t_computed_reg;
reg [11:0]        t_checksum_reg;
reg [31:0]        t_body_actual_reg;

reg rec_valid_reg;
wire rec_ready = !rec_valid_reg || m_axis_tready;
always @* t_ready = t_kind_reg == OUT_NONE || rec_ready;

// ---- stage 2: binary values, the message's BodyLength and MsgSeqNum, the verdict, the record -----------
wire [63:0] mag [0:1];
wire [63:0] tag_bin [0:1];
wire [63:0] checksum_bin;
genvar c;
generate
    for (c = 0; c < 2; c = c + 1) begin : g_convert
        bcd_to_binary #(.DIGITS(19), .OUT_WIDTH(64)) value_conv (.bcd({t_val_hi_reg[(c)*VAL_BCD_HI +: VAL_BCD_HI], t_val_lo_reg[(c)*VAL_BCD_LO +: VAL_BCD_LO]}), .value(mag[c]));
        bcd_to_binary #(.DIGITS(9), .OUT_WIDTH(64)) tag_conv (.bcd(t_tag_reg[(c)*TAG_BCD +: TAG_BCD]), .value(tag_bin[c]));
    end
endgenerate
bcd_to_binary #(.DIGITS(3), .OUT_WIDTH(64)) checksum_conv (.bcd(t_checksum_reg), .value(checksum_bin));

reg        body_len_ok_reg, body_len_ok_next;
reg [31:0] body_len_reg, body_len_next;
reg        seqnum_ok_reg, seqnum_ok_next;
reg [31:0] seqnum_reg, seqnum_next;
reg [15:0]  s_type;
reg [127:0] s_value;
reg        nonneg32;
integer k;

always @* begin
    body_len_ok_next = body_len_ok_reg;
    body_len_next = body_len_reg;
    seqnum_ok_next = seqnum_ok_reg;
    seqnum_next = seqnum_reg;
    nonneg32 = 1'b0;
    for (k = 0; k < 2; k = k + 1) begin
        s_type[(k)*8 +: 8] = t_type_reg[(k)*8 +: 8];
        if ((s_type[(k)*8 +: 8] == `TG_DECODED_INT || s_type[(k)*8 +: 8] == `TG_DECODED_DECIMAL) && mag[k] > I64_MAX) s_type[(k)*8 +: 8] = `TG_DECODED_NONE;
        case (s_type[(k)*8 +: 8])
            `TG_DECODED_FLAG: s_value[(k)*64 +: 64] = {63'd0, t_flag_y_reg[k]};
            `TG_DECODED_NONE: s_value[(k)*64 +: 64] = 64'd0;
            default: s_value[(k)*64 +: 64] = t_neg_reg[k] ? ~mag[k] + 64'd1 : mag[k];
        endcase
        if (t_kind_reg == OUT_FIELDS && k < t_n_reg) begin
            nonneg32 = s_type[(k)*8 +: 8] == `TG_DECODED_INT && (!t_neg_reg[k] || mag[k] == 64'd0) && mag[k][63:32] == 32'd0;
            if (t_first_reg[k]) begin
                body_len_ok_next = 1'b0;
                seqnum_ok_next = 1'b0;
            end
            if (t_body_len_reg[k]) begin
                body_len_ok_next = nonneg32;
                body_len_next = nonneg32 ? mag[k][31:0] : 32'd0;
            end
            if (t_tag_reg[(k)*TAG_BCD +: TAG_BCD] == 36'h34 && !seqnum_ok_next && nonneg32) begin
                seqnum_ok_next = 1'b1;
                seqnum_next = mag[k][31:0];
            end
        end
    end
end

reg [7:0] complete_verdict;
always @* begin
    if (t_garbled_reg) complete_verdict = `TG_ERR_GARBLED;
    else if (!body_len_ok_reg || body_len_reg != t_body_actual_reg) complete_verdict = `TG_ERR_BAD_BODY_LENGTH;
    else if (!t_checksum_ok_reg || checksum_bin[9:0] != {2'b00, t_computed_reg}) complete_verdict = `TG_ERR_BAD_CHECKSUM;
    else complete_verdict = `TG_ERR_NONE;
end

wire [7:0] frame_error = t_too_long_reg ? `TG_ERR_TOO_LONG : t_complete_reg ? complete_verdict : t_error_reg;
wire [7:0] frame_flags;
assign frame_flags[`TG_FRAME_FLAG_MSG_SEQ_NUM] = seqnum_ok_reg;
assign frame_flags[`TG_FRAME_FLAG_POSS_DUP] = t_poss_dup_reg;
assign frame_flags[`TG_FRAME_FLAG_POSS_RESEND] = t_poss_resend_reg;
assign frame_flags[`TG_FRAME_FLAG_BODY_LENGTH] = body_len_ok_reg;
assign frame_flags[`TG_FRAME_FLAG_CHECKSUM] = t_checksum_ok_reg;
assign frame_flags[7:5] = 3'd0;

localparam ENTRY_BITS = `TG_FIX_FIELDS_ENTRY_BITS;
reg [REC_WIDTH-1:0] rec_reg;
wire [117:0] unused_conv_bits = {tag_bin[0][63:32], tag_bin[1][63:32], checksum_bin[63:10]};

always @(posedge clk) begin
    if (rst) begin
        mode_reg <= MODE_IDLE;
        start_reg <= 64'd0;
        gcount_reg <= 3'd0;
        beat_pos_reg <= 64'd0;
        ptr_reg <= 0;
        hist_reg <= {HIST*8{1'b0}};
        end_pending_reg <= 1'b0;
        frame_pending_reg <= 1'b0;
        frame_end_reg <= 64'd0;
        mrel_reg <= 32'd0;
        garbled_reg <= 1'b0;
        field_count_reg <= 32'd0;
        sum_reg <= 8'd0;
        sum_fe_reg <= 8'd0;
        body_start_reg <= 32'd0;
        msg_type_reg <= 16'd0;
        msg_type_len_reg <= 8'd0;
        poss_dup_reg <= 1'b0;
        poss_resend_reg <= 1'b0;
        tr_computed_reg <= 8'd0;
        tr_body_actual_reg <= 32'd0;
        tr_checksum_reg <= 12'd0;
        tr_checksum_ok_reg <= 1'b0;
        in_value_reg <= 1'b0;
        tag_reg <= {TAG_BCD{1'b0}};
        tag_digits_reg <= 4'd0;
        tag_bad_reg <= 1'b0;
        value_start_reg <= 32'd0;
        vlen_reg <= 3'd0;
        val_lo_reg <= {VAL_BCD_LO{1'b0}};
        val_hi_reg <= {VAL_BCD_HI{1'b0}};
        sig_reg <= 5'd0;
        digits_reg <= 3'd0;
        neg_reg <= 1'b0;
        point_reg <= 1'b0;
        scale_reg <= 8'd0;
        value_bad_reg <= 1'b0;
        ovf_reg <= 1'b0;
        first_char_reg <= 8'd0;
        t_kind_reg <= OUT_NONE;
        pend_valid_reg <= 1'b0;
        body_len_ok_reg <= 1'b0;
        body_len_reg <= 32'd0;
        seqnum_ok_reg <= 1'b0;
        seqnum_reg <= 32'd0;
        rec_valid_reg <= 1'b0;
        rec_reg <= {REC_WIDTH{1'b0}};
    end else begin
        mode_reg <= mode_next;
        start_reg <= start_next;
        gcount_reg <= gcount_next;
        beat_pos_reg <= beat_pos_next;
        ptr_reg <= ptr_next;
        hist_reg <= hist_next;
        end_pending_reg <= end_pending_next;
        frame_pending_reg <= frame_pending_next;
        frame_end_reg <= frame_end_next;
        mrel_reg <= mrel_next;
        garbled_reg <= garbled_next;
        field_count_reg <= field_count_next;
        sum_reg <= sum_next;
        sum_fe_reg <= sum_fe_next;
        body_start_reg <= body_start_next;
        msg_type_reg <= msg_type_next;
        msg_type_len_reg <= msg_type_len_next;
        poss_dup_reg <= poss_dup_next;
        poss_resend_reg <= poss_resend_next;
        tr_computed_reg <= tr_computed_next;
        tr_body_actual_reg <= tr_body_actual_next;
        tr_checksum_reg <= tr_checksum_next;
        tr_checksum_ok_reg <= tr_checksum_ok_next;
        in_value_reg <= in_value_next;
        tag_reg <= tag_next;
        tag_digits_reg <= tag_digits_next;
        tag_bad_reg <= tag_bad_next;
        value_start_reg <= value_start_next;
        vlen_reg <= vlen_next;
        val_lo_reg <= val_lo_next;
        val_hi_reg <= val_hi_next;
        sig_reg <= sig_next;
        digits_reg <= digits_next;
        neg_reg <= neg_next;
        point_reg <= point_next;
        scale_reg <= scale_next;
        value_bad_reg <= value_bad_next;
        ovf_reg <= ovf_next;
        first_char_reg <= first_char_next;
        pend_valid_reg <= pend_valid_next;
        pend_reg <= pend_next;

        // stage 1 -> token register
        if (t_ready) begin
            t_kind_reg <= hold_entry ? OUT_NONE : out_kind;
            t_stream_end_reg <= out_stream_end;
            t_complete_reg <= out_complete;
            t_error_reg <= out_error;
            t_too_long_reg <= out_is_message && emit_length > {32'd0, max_msg_len};
            t_offset_reg <= emit_start;
            t_length_reg <= emit_length[63:32] != 0 ? 32'hFFFF_FFFF : emit_length[31:0];
            t_field_count_reg <= frame_count;
            t_cycle_reg <= cycle;
            t_n_reg <= n_entries;
            for (k = 0; k < 2; k = k + 1) begin
                t_tag_reg[(k)*TAG_BCD +: TAG_BCD] <= e_tag[(k)*TAG_BCD +: TAG_BCD];
                t_val_lo_reg[(k)*VAL_BCD_LO +: VAL_BCD_LO] <= e_val_lo[(k)*VAL_BCD_LO +: VAL_BCD_LO];
                t_val_hi_reg[(k)*VAL_BCD_HI +: VAL_BCD_HI] <= e_val_hi[(k)*VAL_BCD_HI +: VAL_BCD_HI];
                t_neg_reg[k] <= e_neg[k];
                t_type_reg[(k)*8 +: 8] <= e_type[(k)*8 +: 8];
                t_flag_y_reg[k] <= e_flag_y[k];
                t_scale_reg[(k)*8 +: 8] <= e_scale[(k)*8 +: 8];
                t_voff_reg[(k)*32 +: 32] <= e_voff[(k)*32 +: 32];
                t_first_reg[k] <= e_first[k];
                t_body_len_reg[k] <= e_body_len[k];
            end
            t_vlen_reg[(0)*32 +: 32] <= e_vlen0;
            t_vlen_reg[(1)*32 +: 32] <= e_vlen1;
            t_garbled_reg <= garbled_reg;
            t_poss_dup_reg <= poss_dup_reg;
            t_poss_resend_reg <= poss_resend_reg;
            t_checksum_ok_reg <= tr_checksum_ok_reg;
            t_msg_type_reg <= msg_type_reg;
            t_msg_type_len_reg <= msg_type_len_reg;
            t_computed_reg <= tr_computed_reg;
            t_checksum_reg <= tr_checksum_reg;
            t_body_actual_reg <= tr_body_actual_reg;
        end

        // token register -> record
        if (rec_ready) begin
            body_len_ok_reg <= body_len_ok_next;
            body_len_reg <= body_len_next;
            seqnum_ok_reg <= seqnum_ok_next;
            seqnum_reg <= seqnum_next;
        end
        if (rec_ready && t_kind_reg != OUT_NONE) begin
            rec_valid_reg <= 1'b1;
            rec_reg <= {REC_WIDTH{1'b0}};
            if (t_kind_reg == OUT_FIELDS) begin
                rec_reg[`TG_REC_KIND_LSB +: `TG_REC_KIND_W] <= `TG_KIND_FIX_FIELDS;
                rec_reg[`TG_FIX_FIELDS_COUNT_LSB +: `TG_FIX_FIELDS_COUNT_W] <= {6'd0, t_n_reg};
                rec_reg[`TG_FIX_FIELDS_MESSAGE_OFFSET_LSB +: `TG_FIX_FIELDS_MESSAGE_OFFSET_W] <= t_offset_reg;
                for (k = 0; k < 2; k = k + 1) begin
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_TAG_LSB +: 32] <= tag_bin[k][31:0];
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_VALUE_OFFSET_LSB +: 32] <= t_voff_reg[(k)*32 +: 32];
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_VALUE_LENGTH_LSB +: 32] <= t_vlen_reg[(k)*32 +: 32];
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_DECODED_TYPE_LSB +: 8] <= s_type[(k)*8 +: 8];
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_SCALE_LSB +: 8] <=
                        s_type[(k)*8 +: 8] == `TG_DECODED_NONE ? 8'd0 : t_scale_reg[(k)*8 +: 8];
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_VALUE_LSB +: 64] <= s_value[(k)*64 +: 64];
                end
            end else if (t_stream_end_reg) begin
                rec_reg[`TG_REC_KIND_LSB +: `TG_REC_KIND_W] <= `TG_KIND_STREAM_END;
                rec_reg[`TG_STREAM_END_OFFSET_LSB +: `TG_STREAM_END_OFFSET_W] <= t_offset_reg;
                rec_reg[`TG_STREAM_END_TIMESTAMP_LSB +: `TG_STREAM_END_TIMESTAMP_W] <= t_cycle_reg;
            end else begin
                rec_reg[`TG_REC_KIND_LSB +: `TG_REC_KIND_W] <= `TG_KIND_FIX_FRAME;
                rec_reg[`TG_REC_ERROR_LSB +: `TG_REC_ERROR_W] <= frame_error;
                rec_reg[`TG_FIX_FRAME_OFFSET_LSB +: `TG_FIX_FRAME_OFFSET_W] <= t_offset_reg;
                rec_reg[`TG_FIX_FRAME_LENGTH_LSB +: `TG_FIX_FRAME_LENGTH_W] <= t_length_reg;
                rec_reg[`TG_FIX_FRAME_FIELD_COUNT_LSB +: `TG_FIX_FRAME_FIELD_COUNT_W] <= t_field_count_reg;
                rec_reg[`TG_FIX_FRAME_TIMESTAMP_LSB +: `TG_FIX_FRAME_TIMESTAMP_W] <= t_cycle_reg;
                if (t_complete_reg) begin
                    rec_reg[`TG_FIX_FRAME_FLAGS_LSB +: `TG_FIX_FRAME_FLAGS_W] <= frame_flags;
                    rec_reg[`TG_FIX_FRAME_MSG_SEQ_NUM_LSB +: `TG_FIX_FRAME_MSG_SEQ_NUM_W] <= seqnum_reg;
                    rec_reg[`TG_FIX_FRAME_BODY_LENGTH_LSB +: `TG_FIX_FRAME_BODY_LENGTH_W] <= body_len_reg;
                    rec_reg[`TG_FIX_FRAME_MSG_TYPE_LSB +: `TG_FIX_FRAME_MSG_TYPE_W] <= t_msg_type_reg;
                    rec_reg[`TG_FIX_FRAME_COMPUTED_CHECKSUM_LSB +: `TG_FIX_FRAME_COMPUTED_CHECKSUM_W] <= t_computed_reg;
                    rec_reg[`TG_FIX_FRAME_MSG_TYPE_LENGTH_LSB +: `TG_FIX_FRAME_MSG_TYPE_LENGTH_W] <= t_msg_type_len_reg;
                    rec_reg[`TG_FIX_FRAME_CHECKSUM_LSB +: `TG_FIX_FRAME_CHECKSUM_W] <= {6'd0, checksum_bin[9:0]};
                end
            end
        end else if (m_axis_tready) begin
            rec_valid_reg <= 1'b0;
        end
    end
end

assign m_axis_tdata = rec_reg;
assign m_axis_tvalid = rec_valid_reg;

`undef FIX_PARSER_SLOT0

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSUME(s_axis_tvalid, s_axis_tready, {s_axis_tdata, s_axis_tkeep, s_axis_tlast})
    `TG_AXIS_SOURCE_ASSERT(m_axis_tvalid, m_axis_tready, m_axis_tdata)
`endif
endmodule
`default_nettype wire
