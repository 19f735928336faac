// FIX parser: frames messages in a byte stream arriving DATA_WIDTH/8 bytes per beat, tokenizes their
// fields, converts tags and the values of numeric tags to binary, verifies BodyLength and CheckSum, and
// emits per message its field index (fix_fields records, up to two entries each) followed by one
// fix_frame record. The rules (framing, garbled, verdict priority) are written out at the top of the
// golden model, src/fix/ref-parser.ts; this module implements exactly those.
//
// Pattern matches for every lane ("8=FIX", "<SOH>8=FIX", "<SOH>10=", SOH) are computed in parallel over
// a window of the last 5 bytes plus the beat. The lanes are then walked in order in one combinational
// pass that carries the tokenizer state from lane to lane, so any number of fields may end in one beat.
// One record leaves per cycle: a record of up to two field entries, or one frame record. When a lane
// needs a record slot that this cycle has already used, the beat is held and the walk resumes at that
// lane next cycle (ptr_reg). A message's frame record leaves the cycle after its last field entry
// (frame_pending_reg). Ingress tkeep must be contiguous from lane 0.
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

    input  wire                  enable,
    input  wire [31:0]           max_msg_len,
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
localparam [63:0] MANT_LIMIT = 64'd922337203685477580;  // (2^63 - 1) / 10

// ---- framing state ---------------------------------------------------------------------------------------
reg [1:0]           mode_reg, mode_next;
reg [63:0]          start_reg, start_next;          // stream offset where the pending span starts
reg [2:0]           gcount_reg, gcount_next;        // bytes in the garbage span so far, saturating at 7
reg [63:0]          beat_pos_reg, beat_pos_next;    // stream offset of lane 0 of the current beat
reg [LANE_BITS-1:0] ptr_reg, ptr_next;              // first lane of the held beat not yet walked
reg [HIST*8-1:0]    hist_reg, hist_next;            // last HIST bytes before this beat, newest on top
reg                 end_pending_reg, end_pending_next;
reg                 frame_pending_reg, frame_pending_next;  // the message's frame record is due
reg [63:0]          frame_end_reg, frame_end_next;  // stream offset after the message's last byte
reg [31:0]          mrel_reg, mrel_next;            // lane 0 of the beat, in bytes from the message start

// ---- message state ---------------------------------------------------------------------------------------
reg        garbled_reg, garbled_next;
reg [31:0] field_count_reg, field_count_next;
reg [7:0]  sum_reg, sum_next;                       // byte sum of the message so far
reg [7:0]  sum_fe_reg, sum_fe_next;                 // byte sum up to the last field's SOH
reg [31:0] body_start_reg, body_start_next;
reg [15:0] msg_type_reg, msg_type_next;
reg [7:0]  msg_type_len_reg, msg_type_len_next;
reg [31:0] seqnum_reg, seqnum_next;
reg        seqnum_ok_reg, seqnum_ok_next;
reg [31:0] body_len_reg, body_len_next;
reg        body_len_ok_reg, body_len_ok_next;
reg        poss_dup_reg, poss_dup_next;
reg        poss_resend_reg, poss_resend_next;
reg [7:0]  tr_computed_reg, tr_computed_next;       // what the closing 10= field found
reg [31:0] tr_body_actual_reg, tr_body_actual_next;
reg [9:0]  tr_checksum_reg, tr_checksum_next;
reg        tr_checksum_ok_reg, tr_checksum_ok_next;

// ---- field state -----------------------------------------------------------------------------------------
reg        in_value_reg, in_value_next;
reg [31:0] tag_reg, tag_next;
reg [3:0]  tag_digits_reg, tag_digits_next;         // saturates at MAX_TAG_DIGITS + 1
reg        tag_bad_reg, tag_bad_next;
reg [31:0] value_start_reg, value_start_next;
reg [31:0] value_len_reg, value_len_next;
reg [63:0] mant_reg, mant_next;
reg [2:0]  digits_reg, digits_next;                 // saturates at 4
reg        neg_reg, neg_next;
reg        point_reg, point_next;
reg [7:0]  scale_reg, scale_next;
reg        value_bad_reg, value_bad_next;
reg        ovf_reg, ovf_next;
reg [7:0]  first_char_reg, first_char_next;

reg [REC_WIDTH-1:0] rec_reg;
reg                 rec_valid_reg;

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

function is_int_tag(input [31:0] t);
    is_int_tag = t == 32'd9 || t == 32'd34 || t == 32'd36 || t == 32'd7 || t == 32'd16 || t == 32'd108;
endfunction

function is_flag_tag(input [31:0] t);
    is_flag_tag = t == 32'd43 || t == 32'd97 || t == 32'd123;
endfunction

function is_decimal_tag(input [31:0] t);
    is_decimal_tag = t == 32'd14 || t == 32'd31 || t == 32'd32 || t == 32'd38 || t == 32'd44 || t == 32'd6 ||
                     t == 32'd99 || t == 32'd151;
endfunction

// ---- lane walk -------------------------------------------------------------------------------------------
// Positions inside the beat are small deltas (lane + 4, so "4 bytes back" fits), turned into 64-bit
// stream offsets once, after the walk.
localparam [DELTA_BITS-1:0] AT = 0;                    // the byte in this lane
localparam [DELTA_BITS-1:0] BACK4 = 4;                 // the byte 4 before ("8" of "8=FIX" ending here)
localparam [DELTA_BITS-1:0] PAST = {DELTA_BITS{1'b1}}; // the byte after (-1 back)
localparam [DELTA_BITS-1:0] FOUR = 4;

function [DELTA_BITS-1:0] delta(input [DELTA_BITS-1:0] lane, input [DELTA_BITS-1:0] back);
    delta = lane + FOUR - back;
endfunction

reg [LANE_BITS:0]    valid_lanes;     // bytes in the beat (tkeep is contiguous from lane 0)
reg [KEEP_WIDTH-1:0] lane_todo;       // lanes still to walk in the current beat
reg                  can_emit;
reg [1:0]            out_kind;
reg                  out_stream_end;
reg                  out_complete;    // the frame record of a message that reached its trailer
reg [7:0]            out_error;
reg                  out_is_message;  // too_long applies
reg [31:0]           out_field_count;
reg                  emit_start_in_beat;
reg [DELTA_BITS-1:0] emit_start_delta;
reg [DELTA_BITS-1:0] emit_end_delta;
reg [DELTA_BITS-1:0] trailer_end_delta;
reg                  trailer_seen;
reg                  start_in_beat;   // the span start was set during this walk, at start_delta
reg [DELTA_BITS-1:0] start_delta;
reg                  stop;
reg                  beat_done;
reg                  tready_int;
reg [1:0]            n_entries;

// field entry slots of this cycle's fix_fields record
reg [31:0] e_tag [0:1];
reg [31:0] e_voff [0:1];
reg [31:0] e_vlen [0:1];
reg [7:0]  e_type [0:1];
reg [7:0]  e_scale [0:1];
reg [63:0] e_mant [0:1];
reg        e_neg [0:1];

// per-lane temporaries
reg [7:0]  b;
reg        is_digit;
reg [3:0]  d;
reg [31:0] rel;
reg        need_frame, need_entry, blocked;
reg [7:0]  f_type;
reg [63:0] f_mant;
reg        f_neg;
reg [7:0]  f_scale;
reg        nonneg32;
reg [7:0]  computed;
integer i, s;

always @* begin
    mode_next = mode_reg;
    start_next = start_reg;
    gcount_next = gcount_reg;
    ptr_next = ptr_reg;
    end_pending_next = end_pending_reg;
    frame_pending_next = frame_pending_reg;
    mrel_next = mrel_reg;
    garbled_next = garbled_reg;
    field_count_next = field_count_reg;
    sum_next = sum_reg;
    sum_fe_next = sum_fe_reg;
    body_start_next = body_start_reg;
    msg_type_next = msg_type_reg;
    msg_type_len_next = msg_type_len_reg;
    seqnum_next = seqnum_reg;
    seqnum_ok_next = seqnum_ok_reg;
    body_len_next = body_len_reg;
    body_len_ok_next = body_len_ok_reg;
    poss_dup_next = poss_dup_reg;
    poss_resend_next = poss_resend_reg;
    tr_computed_next = tr_computed_reg;
    tr_body_actual_next = tr_body_actual_reg;
    tr_checksum_next = tr_checksum_reg;
    tr_checksum_ok_next = tr_checksum_ok_reg;
    in_value_next = in_value_reg;
    tag_next = tag_reg;
    tag_digits_next = tag_digits_reg;
    tag_bad_next = tag_bad_reg;
    value_start_next = value_start_reg;
    value_len_next = value_len_reg;
    mant_next = mant_reg;
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

    can_emit = !rec_valid_reg || m_axis_tready;
    out_kind = OUT_NONE;
    out_stream_end = 1'b0;
    out_complete = 1'b0;
    out_error = `TG_ERR_NONE;
    out_is_message = 1'b0;
    out_field_count = 32'd0;
    emit_start_in_beat = 1'b0;
    emit_start_delta = 0;
    emit_end_delta = delta(0, AT);
    trailer_end_delta = 0;
    trailer_seen = 1'b0;
    start_in_beat = 1'b0;
    start_delta = 0;
    stop = 1'b0;
    beat_done = 1'b0;
    tready_int = 1'b0;
    n_entries = 2'd0;
    for (s = 0; s < 2; s = s + 1) begin
        e_tag[s] = 32'd0;
        e_voff[s] = 32'd0;
        e_vlen[s] = 32'd0;
        e_type[s] = `TG_DECODED_NONE;
        e_scale[s] = 8'd0;
        e_mant[s] = 64'd0;
        e_neg[s] = 1'b0;
    end
    b = 8'd0;
    is_digit = 1'b0;
    d = 4'd0;
    rel = 32'd0;
    need_frame = 1'b0;
    need_entry = 1'b0;
    blocked = 1'b0;
    f_type = `TG_DECODED_NONE;
    f_mant = 64'd0;
    f_neg = 1'b0;
    f_scale = 8'd0;
    nonneg32 = 1'b0;
    computed = 8'd0;

    if (can_emit && frame_pending_reg) begin
        out_kind = OUT_FRAME;
        out_complete = 1'b1;
        out_is_message = 1'b1;
        out_field_count = field_count_reg;
        frame_pending_next = 1'b0;
    end

    if (can_emit && end_pending_reg) begin
        // stream ended: flush the pending span, then report stream_end
        if (out_kind == OUT_NONE) begin
            out_kind = OUT_FRAME;
            mode_next = MODE_IDLE;
            if (mode_reg == MODE_GARBAGE) begin
                out_error = `TG_ERR_GARBLED;
            end else if (mode_reg != MODE_IDLE) begin
                out_error = `TG_ERR_TRUNCATED;
                out_is_message = 1'b1;
                out_field_count = field_count_reg;
            end else begin
                out_stream_end = 1'b1;
                emit_start_in_beat = 1'b1;
                emit_start_delta = delta(0, AT);
                end_pending_next = 1'b0;
            end
        end
    end else if (can_emit && enable && s_axis_tvalid) begin
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
                    ptr_next = i[LANE_BITS-1:0];
                end else begin
                    if (need_frame) begin
                        // the span before this "8=FIX" is garbled: garbage, or a message cut off by a restart
                        out_kind = OUT_FRAME;
                        out_error = `TG_ERR_GARBLED;
                        out_is_message = mode_next == MODE_MSG;
                        out_field_count = mode_next == MODE_MSG ? field_count_next : 32'd0;
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
                                            tag_next == 32'd0 || tag_bad_next) garbled_next = 1'b1;
                                        in_value_next = 1'b1;
                                        value_start_next = rel + 32'd1;
                                        value_len_next = 32'd0;
                                        mant_next = 64'd0;
                                        digits_next = 3'd0;
                                        neg_next = 1'b0;
                                        point_next = 1'b0;
                                        scale_next = 8'd0;
                                        value_bad_next = 1'b0;
                                        ovf_next = 1'b0;
                                        first_char_next = 8'd0;
                                    end else if (b == SOH) begin
                                        garbled_next = 1'b1;  // a field without "="
                                        sum_fe_next = sum_next;
                                        tag_next = 32'd0;
                                        tag_digits_next = 4'd0;
                                        tag_bad_next = 1'b0;
                                    end else if (is_digit) begin
                                        tag_next = (tag_next << 3) + (tag_next << 1) + {28'd0, d};
                                        if (tag_digits_next != MAX_TAG_DIGITS + 4'd1) tag_digits_next = tag_digits_next + 4'd1;
                                    end else begin
                                        tag_bad_next = 1'b1;
                                    end
                                end else if (b != SOH) begin
                                    sum_next = sum_next + b;
                                    if (value_len_next == 32'd0) first_char_next = b;
                                    if (field_count_next == 32'd2) begin
                                        if (value_len_next == 32'd0) msg_type_next[7:0] = b;
                                        if (value_len_next == 32'd1) msg_type_next[15:8] = b;
                                        if (msg_type_len_next != 8'd255) msg_type_len_next = msg_type_len_next + 8'd1;
                                    end
                                    if (is_digit) begin
                                        if (digits_next != 3'd4) digits_next = digits_next + 3'd1;
                                        if (point_next) begin
                                            if (scale_next == 8'd255) ovf_next = 1'b1;
                                            else scale_next = scale_next + 8'd1;
                                        end
                                        if (!ovf_next) begin
                                            if (mant_next > MANT_LIMIT || (mant_next == MANT_LIMIT && d > 4'd7)) ovf_next = 1'b1;
                                            else mant_next = (mant_next << 3) + (mant_next << 1) + {60'd0, d};
                                        end
                                    end else if (b == ".") begin
                                        if (point_next) value_bad_next = 1'b1;
                                        point_next = 1'b1;
                                    end else if (b == "-" && value_len_next == 32'd0) begin
                                        neg_next = 1'b1;
                                    end else begin
                                        value_bad_next = 1'b1;
                                    end
                                    value_len_next = value_len_next + 32'd1;
                                end else begin
                                    // SOH closes the field: one field index entry
                                    computed = sum_fe_next;
                                    sum_next = sum_next + b;
                                    sum_fe_next = sum_next;
                                    f_type = `TG_DECODED_NONE;
                                    f_mant = 64'd0;
                                    f_neg = 1'b0;
                                    f_scale = 8'd0;
                                    if (is_flag_tag(tag_next)) begin
                                        if (value_len_next == 32'd1 && (first_char_next == "Y" || first_char_next == "N")) begin
                                            f_type = `TG_DECODED_FLAG;
                                            f_mant = {63'd0, first_char_next == "Y"};
                                        end
                                    end else if (digits_next != 3'd0 && !value_bad_next && !ovf_next) begin
                                        if (is_int_tag(tag_next) && !point_next) begin
                                            f_type = `TG_DECODED_INT;
                                            f_mant = mant_next;
                                            f_neg = neg_next;
                                        end else if (is_decimal_tag(tag_next)) begin
                                            f_type = `TG_DECODED_DECIMAL;
                                            f_mant = mant_next;
                                            f_neg = neg_next;
                                            f_scale = scale_next;
                                        end
                                    end
                                    e_tag[n_entries[0]] = tag_next;
                                    e_voff[n_entries[0]] = value_start_next;
                                    e_vlen[n_entries[0]] = value_len_next;
                                    e_type[n_entries[0]] = f_type;
                                    e_scale[n_entries[0]] = f_scale;
                                    e_mant[n_entries[0]] = f_mant;
                                    e_neg[n_entries[0]] = f_neg;
                                    n_entries = n_entries + 2'd1;
                                    out_kind = OUT_FIELDS;
                                    emit_start_in_beat = start_in_beat;
                                    emit_start_delta = start_delta;

                                    nonneg32 = f_type == `TG_DECODED_INT && (!f_neg || f_mant == 64'd0) &&
                                               f_mant[63:32] == 32'd0;
                                    if (field_count_next == 32'd1) begin
                                        if (tag_next != 32'd9) garbled_next = 1'b1;
                                        body_start_next = rel + 32'd1;
                                        body_len_ok_next = nonneg32;
                                        body_len_next = nonneg32 ? f_mant[31:0] : 32'd0;
                                    end else if (field_count_next == 32'd2 && tag_next != 32'd35) begin
                                        garbled_next = 1'b1;
                                    end
                                    if (tag_next == 32'd34 && !seqnum_ok_next && nonneg32) begin
                                        seqnum_ok_next = 1'b1;
                                        seqnum_next = f_mant[31:0];
                                    end
                                    if (f_type == `TG_DECODED_FLAG && f_mant[0]) begin
                                        if (tag_next == 32'd43) poss_dup_next = 1'b1;
                                        if (tag_next == 32'd97) poss_resend_next = 1'b1;
                                    end
                                    field_count_next = field_count_next + 32'd1;
                                    if (mode_next == MODE_TRAILER) begin
                                        tr_computed_next = computed;
                                        tr_body_actual_next = value_start_next - 32'd3 - body_start_next;
                                        tr_checksum_ok_next = value_len_next == 32'd3 && digits_next == 3'd3 &&
                                                              !value_bad_next && !point_next && !neg_next;
                                        tr_checksum_next = mant_next[9:0];
                                        // the message is complete: its frame record leaves next cycle
                                        frame_pending_next = 1'b1;
                                        trailer_seen = 1'b1;
                                        trailer_end_delta = delta(i[DELTA_BITS-1:0], PAST);
                                        mode_next = MODE_IDLE;
                                        stop = 1'b1;
                                        ptr_next = i[LANE_BITS-1:0] + 1'b1;
                                    end
                                    in_value_next = 1'b0;
                                    tag_next = 32'd0;
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
                        garbled_next = 1'b0;
                        field_count_next = 32'd0;
                        sum_next = START_SUM;
                        sum_fe_next = 8'd0;
                        body_start_next = 32'd0;
                        msg_type_next = 16'd0;
                        msg_type_len_next = 8'd0;
                        seqnum_next = 32'd0;
                        seqnum_ok_next = 1'b0;
                        body_len_next = 32'd0;
                        body_len_ok_next = 1'b0;
                        poss_dup_next = 1'b0;
                        poss_resend_next = 1'b0;
                        in_value_next = 1'b1;
                        tag_next = 32'd8;
                        tag_digits_next = 4'd1;
                        tag_bad_next = 1'b0;
                        value_start_next = 32'd2;
                        value_len_next = 32'd3;
                        mant_next = 64'd0;
                        digits_next = 3'd0;
                        neg_next = 1'b0;
                        point_next = 1'b0;
                        scale_next = 8'd0;
                        value_bad_next = 1'b1;  // "FIX" is not a number
                        ovf_next = 1'b0;
                        first_char_next = "F";
                    end
                end
            end
        end
        // The beat is done when every lane was walked, or the walk stopped after the beat's last byte.
        beat_done = !stop || (trailer_seen && {1'b0, ptr_next} == valid_lanes) ||
                    (trailer_seen && ptr_next == 0);
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
    start_next = start_in_beat ? beat_offset(start_delta) : start_reg;
    frame_end_next = trailer_seen ? beat_offset(trailer_end_delta) : frame_end_reg;
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

// ---- record register -----------------------------------------------------------------------------------
wire [63:0] emit_start = out_complete ? start_reg : emit_start_in_beat ? beat_offset(emit_start_delta) : start_reg;
wire [63:0] emit_end = out_complete ? frame_end_reg : beat_offset(emit_end_delta);
wire [63:0] emit_length = emit_end - emit_start;
wire [31:0] emit_length32 = emit_length[63:32] != 0 ? 32'hFFFF_FFFF : emit_length[31:0];
wire        emit_too_long = out_is_message && emit_length > {32'd0, max_msg_len};

reg [7:0] complete_verdict;
always @* begin
    if (garbled_reg) complete_verdict = `TG_ERR_GARBLED;
    else if (!body_len_ok_reg || body_len_reg != tr_body_actual_reg) complete_verdict = `TG_ERR_BAD_BODY_LENGTH;
    else if (!tr_checksum_ok_reg || tr_checksum_reg != {2'b00, tr_computed_reg}) complete_verdict = `TG_ERR_BAD_CHECKSUM;
    else complete_verdict = `TG_ERR_NONE;
end

wire [7:0] frame_error = emit_too_long ? `TG_ERR_TOO_LONG : out_complete ? complete_verdict : out_error;
wire [7:0] frame_flags;
assign frame_flags[`TG_FRAME_FLAG_MSG_SEQ_NUM] = seqnum_ok_reg;
assign frame_flags[`TG_FRAME_FLAG_POSS_DUP] = poss_dup_reg;
assign frame_flags[`TG_FRAME_FLAG_POSS_RESEND] = poss_resend_reg;
assign frame_flags[`TG_FRAME_FLAG_BODY_LENGTH] = body_len_ok_reg;
assign frame_flags[`TG_FRAME_FLAG_CHECKSUM] = tr_checksum_ok_reg;
assign frame_flags[7:5] = 3'd0;

function [63:0] signed_value(input [63:0] mant, input neg);
    signed_value = neg ? (~mant + 64'd1) : mant;
endfunction

localparam ENTRY_BITS = `TG_FIX_FIELDS_ENTRY_BITS;
integer k;

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
        seqnum_reg <= 32'd0;
        seqnum_ok_reg <= 1'b0;
        body_len_reg <= 32'd0;
        body_len_ok_reg <= 1'b0;
        poss_dup_reg <= 1'b0;
        poss_resend_reg <= 1'b0;
        tr_computed_reg <= 8'd0;
        tr_body_actual_reg <= 32'd0;
        tr_checksum_reg <= 10'd0;
        tr_checksum_ok_reg <= 1'b0;
        in_value_reg <= 1'b0;
        tag_reg <= 32'd0;
        tag_digits_reg <= 4'd0;
        tag_bad_reg <= 1'b0;
        value_start_reg <= 32'd0;
        value_len_reg <= 32'd0;
        mant_reg <= 64'd0;
        digits_reg <= 3'd0;
        neg_reg <= 1'b0;
        point_reg <= 1'b0;
        scale_reg <= 8'd0;
        value_bad_reg <= 1'b0;
        ovf_reg <= 1'b0;
        first_char_reg <= 8'd0;
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
        seqnum_reg <= seqnum_next;
        seqnum_ok_reg <= seqnum_ok_next;
        body_len_reg <= body_len_next;
        body_len_ok_reg <= body_len_ok_next;
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
        value_len_reg <= value_len_next;
        mant_reg <= mant_next;
        digits_reg <= digits_next;
        neg_reg <= neg_next;
        point_reg <= point_next;
        scale_reg <= scale_next;
        value_bad_reg <= value_bad_next;
        ovf_reg <= ovf_next;
        first_char_reg <= first_char_next;
        if (out_kind != OUT_NONE) begin
            rec_valid_reg <= 1'b1;
            rec_reg <= {REC_WIDTH{1'b0}};
            if (out_kind == OUT_FIELDS) begin
                rec_reg[`TG_REC_KIND_LSB +: `TG_REC_KIND_W] <= `TG_KIND_FIX_FIELDS;
                rec_reg[`TG_FIX_FIELDS_COUNT_LSB +: `TG_FIX_FIELDS_COUNT_W] <= {6'd0, n_entries};
                rec_reg[`TG_FIX_FIELDS_MESSAGE_OFFSET_LSB +: `TG_FIX_FIELDS_MESSAGE_OFFSET_W] <= emit_start;
                for (k = 0; k < 2; k = k + 1) begin
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_TAG_LSB +: 32] <= e_tag[k];
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_VALUE_OFFSET_LSB +: 32] <= e_voff[k];
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_VALUE_LENGTH_LSB +: 32] <= e_vlen[k];
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_DECODED_TYPE_LSB +: 8] <= e_type[k];
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_SCALE_LSB +: 8] <= e_scale[k];
                    rec_reg[`TG_FIX_FIELDS_ENTRY0_LSB + k*ENTRY_BITS + `TG_FIX_FIELDS_ENTRY_VALUE_LSB +: 64] <= signed_value(e_mant[k], e_neg[k]);
                end
            end else if (out_stream_end) begin
                rec_reg[`TG_REC_KIND_LSB +: `TG_REC_KIND_W] <= `TG_KIND_STREAM_END;
                rec_reg[`TG_STREAM_END_OFFSET_LSB +: `TG_STREAM_END_OFFSET_W] <= emit_start;
                rec_reg[`TG_STREAM_END_TIMESTAMP_LSB +: `TG_STREAM_END_TIMESTAMP_W] <= cycle;
            end else begin
                rec_reg[`TG_REC_KIND_LSB +: `TG_REC_KIND_W] <= `TG_KIND_FIX_FRAME;
                rec_reg[`TG_REC_ERROR_LSB +: `TG_REC_ERROR_W] <= frame_error;
                rec_reg[`TG_FIX_FRAME_OFFSET_LSB +: `TG_FIX_FRAME_OFFSET_W] <= emit_start;
                rec_reg[`TG_FIX_FRAME_LENGTH_LSB +: `TG_FIX_FRAME_LENGTH_W] <= emit_length32;
                rec_reg[`TG_FIX_FRAME_FIELD_COUNT_LSB +: `TG_FIX_FRAME_FIELD_COUNT_W] <= out_field_count;
                rec_reg[`TG_FIX_FRAME_TIMESTAMP_LSB +: `TG_FIX_FRAME_TIMESTAMP_W] <= cycle;
                if (out_complete) begin
                    rec_reg[`TG_FIX_FRAME_FLAGS_LSB +: `TG_FIX_FRAME_FLAGS_W] <= frame_flags;
                    rec_reg[`TG_FIX_FRAME_MSG_SEQ_NUM_LSB +: `TG_FIX_FRAME_MSG_SEQ_NUM_W] <= seqnum_reg;
                    rec_reg[`TG_FIX_FRAME_BODY_LENGTH_LSB +: `TG_FIX_FRAME_BODY_LENGTH_W] <= body_len_reg;
                    rec_reg[`TG_FIX_FRAME_MSG_TYPE_LSB +: `TG_FIX_FRAME_MSG_TYPE_W] <= msg_type_reg;
                    rec_reg[`TG_FIX_FRAME_COMPUTED_CHECKSUM_LSB +: `TG_FIX_FRAME_COMPUTED_CHECKSUM_W] <= tr_computed_reg;
                    rec_reg[`TG_FIX_FRAME_MSG_TYPE_LENGTH_LSB +: `TG_FIX_FRAME_MSG_TYPE_LENGTH_W] <= msg_type_len_reg;
                    rec_reg[`TG_FIX_FRAME_CHECKSUM_LSB +: `TG_FIX_FRAME_CHECKSUM_W] <= {6'd0, tr_checksum_reg};
                end
            end
        end else if (m_axis_tready) begin
            rec_valid_reg <= 1'b0;
        end
    end
end

assign m_axis_tdata = rec_reg;
assign m_axis_tvalid = rec_valid_reg;

endmodule
`default_nettype wire
