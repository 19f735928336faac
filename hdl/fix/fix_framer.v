// FIX framer: finds message boundaries in a byte stream arriving DATA_WIDTH/8 bytes per beat and emits
// one event record per span.
//
// A message starts at "8=FIX" and ends at the SOH that closes its "<SOH>10=" field. Bytes outside a
// message are one garbled span, reported when the next "8=FIX" starts or the stream ends. A message
// interrupted by "<SOH>8=FIX" is garbled; one cut off by the stream end (tlast) is truncated; either
// becomes too_long when longer than max_msg_len. After tlast the framer emits a stream_end record and
// starts the next stream at offset 0.
//
// Pattern matches for every lane are computed in parallel over a window of the last 5 bytes plus the
// beat. The lanes are then walked in order; at most one record leaves per cycle, so a beat that holds
// two record ends is held for a second cycle (ptr_reg says where to resume). Ingress tkeep must be
// contiguous from lane 0 (a packed stream); partial beats may appear anywhere in the stream.
`default_nettype none
`include "tickgate_layout.vh"
module fix_framer #(
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

localparam [1:0] MODE_IDLE = 2'd0;     // no pending bytes
localparam [1:0] MODE_GARBAGE = 2'd1;  // bytes since start_reg are not part of a message
localparam [1:0] MODE_MSG = 2'd2;      // inside a message, before "<SOH>10="
localparam [1:0] MODE_TRAILER = 2'd3;  // after "<SOH>10=", waiting for the closing SOH

localparam [7:0] SOH = 8'h01;

reg [1:0]           mode_reg, mode_next;
reg [63:0]          start_reg, start_next;          // stream offset where the pending span starts
reg [2:0]           gcount_reg, gcount_next;        // bytes in the garbage span so far, saturating at 7
reg [63:0]          beat_pos_reg, beat_pos_next;    // stream offset of lane 0 of the current beat
reg [LANE_BITS-1:0] ptr_reg, ptr_next;              // first lane of the held beat not yet walked
reg [HIST*8-1:0]    hist_reg, hist_next;            // last HIST bytes before this beat, newest on top
reg                 end_pending_reg, end_pending_next;

reg [REC_WIDTH-1:0] rec_reg;
reg                 rec_valid_reg;

// ---- per-lane pattern matches over the window ------------------------------------------------------
wire [WIN*8-1:0] window = {s_axis_tdata, hist_reg};
reg  [KEEP_WIDTH-1:0] match_start;     // "8=FIX" ends in this lane
reg  [KEEP_WIDTH-1:0] match_restart;   // "<SOH>8=FIX" ends in this lane
reg  [KEEP_WIDTH-1:0] match_trailer;   // "<SOH>10=" ends in this lane
reg  [KEEP_WIDTH-1:0] match_soh;

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
        match_soh[l] = win[HIST+l] == SOH;
        match_start[l] = win[HIST+l-4] == "8" && win[HIST+l-3] == "=" &&
                         win[HIST+l-2] == "F" && win[HIST+l-1] == "I" && win[HIST+l] == "X";
        match_restart[l] = match_start[l] && win[HIST+l-5] == SOH;
        match_trailer[l] = win[HIST+l-3] == SOH && win[HIST+l-2] == "1" &&
                           win[HIST+l-1] == "0" && win[HIST+l] == "=";
    end
end

// ---- lane walk ---------------------------------------------------------------------------------------
// Inside the walk, positions in the beat are kept as small deltas (lane + 4, so "4 bytes back" fits) and
// turned into stream offsets once, after the walk: the lanes carry no 64-bit arithmetic.
localparam DELTA_BITS = LANE_BITS + 2;

reg [LANE_BITS:0]    valid_lanes;     // bytes in the beat (tkeep is contiguous from lane 0)
reg [KEEP_WIDTH-1:0] lane_todo;       // lanes still to walk in the current beat
reg [LANE_BITS:0]    emit_lane;
reg                  can_emit;
reg                  emit;
reg [7:0]            emit_kind;
reg [7:0]            emit_error;
reg                  emit_is_message; // too_long applies
reg                  emit_start_in_beat;
reg [DELTA_BITS-1:0] emit_start_delta;
reg [DELTA_BITS-1:0] emit_end_delta;
reg                  start_in_beat;   // the span start was set during this walk, at start_delta
reg [DELTA_BITS-1:0] start_delta;
reg                  beat_done;
reg                  tready_int;
integer i;

localparam [DELTA_BITS-1:0] AT = 0;                    // the byte in this lane
localparam [DELTA_BITS-1:0] BACK4 = 4;                 // the byte 4 before ("8" of "8=FIX" ending here)
localparam [DELTA_BITS-1:0] PAST = {DELTA_BITS{1'b1}}; // the byte after (-1 back)
localparam [DELTA_BITS-1:0] FOUR = 4;

// position (lane - back) of the beat, as a delta: lane - back + 4
function [DELTA_BITS-1:0] delta(input [DELTA_BITS-1:0] lane, input [DELTA_BITS-1:0] back);
    delta = lane + FOUR - back;
endfunction

always @* begin
    valid_lanes = 0;
    for (i = 0; i < KEEP_WIDTH; i = i + 1) begin
        if (s_axis_tkeep[i]) valid_lanes = i[LANE_BITS:0] + 1'b1;
    end
    lane_todo = s_axis_tkeep & ({KEEP_WIDTH{1'b1}} << ptr_reg);
end

always @* begin
    mode_next = mode_reg;
    gcount_next = gcount_reg;
    ptr_next = ptr_reg;
    end_pending_next = end_pending_reg;
    start_in_beat = 1'b0;
    start_delta = 0;

    can_emit = !rec_valid_reg || m_axis_tready;
    emit = 1'b0;
    emit_kind = `TG_KIND_FIX_FRAME;
    emit_error = `TG_ERR_NONE;
    emit_is_message = 1'b0;
    emit_start_in_beat = 1'b0;
    emit_start_delta = 0;
    emit_end_delta = delta(0, AT);
    emit_lane = 0;
    beat_done = 1'b0;
    tready_int = 1'b0;

    if (can_emit && end_pending_reg) begin
        // stream ended: flush the pending span, then report stream_end
        emit = 1'b1;
        mode_next = MODE_IDLE;
        if (mode_reg == MODE_GARBAGE) begin
            emit_error = `TG_ERR_GARBLED;
        end else if (mode_reg != MODE_IDLE) begin
            emit_error = `TG_ERR_TRUNCATED;
            emit_is_message = 1'b1;
        end else begin
            emit_kind = `TG_KIND_STREAM_END;
            emit_start_in_beat = 1'b1;
            emit_start_delta = delta(0, AT);
            end_pending_next = 1'b0;
        end
    end else if (can_emit && enable && s_axis_tvalid) begin
        for (i = 0; i < KEEP_WIDTH; i = i + 1) begin
            if (!emit && lane_todo[i]) begin
                emit_lane = i[LANE_BITS:0];
                case (mode_next)
                    MODE_IDLE: begin
                        mode_next = MODE_GARBAGE;
                        start_in_beat = 1'b1;
                        start_delta = delta(i[DELTA_BITS-1:0], AT);
                        gcount_next = 3'd1;
                    end
                    MODE_GARBAGE: begin
                        if (match_start[i]) begin
                            // gcount == 4: the garbage span is just the "8=FI" of this header
                            if (gcount_next > 3'd4) begin
                                emit = 1'b1;
                                emit_error = `TG_ERR_GARBLED;
                                emit_start_in_beat = start_in_beat;
                                emit_start_delta = start_delta;
                                emit_end_delta = delta(i[DELTA_BITS-1:0], BACK4);
                            end
                            mode_next = MODE_MSG;
                            start_in_beat = 1'b1;
                            start_delta = delta(i[DELTA_BITS-1:0], BACK4);
                        end else if (gcount_next != 3'd7) begin
                            gcount_next = gcount_next + 3'd1;
                        end
                    end
                    MODE_MSG: begin
                        if (match_restart[i]) begin
                            emit = 1'b1;
                            emit_error = `TG_ERR_GARBLED;
                            emit_is_message = 1'b1;
                            emit_start_in_beat = start_in_beat;
                            emit_start_delta = start_delta;
                            emit_end_delta = delta(i[DELTA_BITS-1:0], BACK4);
                            start_in_beat = 1'b1;
                            start_delta = delta(i[DELTA_BITS-1:0], BACK4);
                        end else if (match_trailer[i]) begin
                            mode_next = MODE_TRAILER;
                        end
                    end
                    default: begin  // MODE_TRAILER
                        if (match_soh[i]) begin
                            emit = 1'b1;
                            emit_is_message = 1'b1;
                            emit_start_in_beat = start_in_beat;
                            emit_start_delta = start_delta;
                            emit_end_delta = delta(i[DELTA_BITS-1:0], PAST);
                            mode_next = MODE_IDLE;
                        end
                    end
                endcase
            end
        end
        // The beat is done when no record was emitted or the record came from its last byte.
        beat_done = !emit || (emit_lane + 1'b1 == valid_lanes);
        if (beat_done) begin
            tready_int = 1'b1;
            ptr_next = 0;
            end_pending_next = s_axis_tlast;
        end else begin
            ptr_next = emit_lane[LANE_BITS-1:0] + 1'b1;
        end
    end
end

assign s_axis_tready = tready_int;

function [63:0] beat_offset(input [DELTA_BITS-1:0] d);
    beat_offset = beat_pos_reg + {{64-DELTA_BITS{1'b0}}, d} - 64'd4;
endfunction

wire [63:0] emit_start = emit_start_in_beat ? beat_offset(emit_start_delta) : start_reg;
wire [63:0] emit_end = beat_offset(emit_end_delta);

always @* begin
    start_next = start_in_beat ? beat_offset(start_delta) : start_reg;
    beat_pos_next = beat_pos_reg;
    hist_next = hist_reg;
    if (emit && emit_kind == `TG_KIND_STREAM_END) begin
        beat_pos_next = 64'd0;
        hist_next = {HIST*8{1'b0}};
    end else if (tready_int) begin
        beat_pos_next = beat_pos_reg + {{64-LANE_BITS-1{1'b0}}, valid_lanes};
        hist_next = window[valid_lanes*8 +: HIST*8];
    end
end

// ---- record register ------------------------------------------------------------------------------
wire [63:0] emit_length = emit_end - emit_start;
wire [31:0] emit_length32 = emit_length[63:32] != 0 ? 32'hFFFF_FFFF : emit_length[31:0];
wire        emit_too_long = emit_is_message && emit_length > {32'd0, max_msg_len};

always @(posedge clk) begin
    if (rst) begin
        mode_reg <= MODE_IDLE;
        start_reg <= 64'd0;
        gcount_reg <= 3'd0;
        beat_pos_reg <= 64'd0;
        ptr_reg <= 0;
        hist_reg <= {HIST*8{1'b0}};
        end_pending_reg <= 1'b0;
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
        if (emit) begin
            rec_valid_reg <= 1'b1;
            rec_reg <= {REC_WIDTH{1'b0}};
            rec_reg[`TG_REC_KIND_LSB +: `TG_REC_KIND_W] <= emit_kind;
            rec_reg[`TG_REC_ERROR_LSB +: `TG_REC_ERROR_W] <= emit_too_long ? `TG_ERR_TOO_LONG : emit_error;
            rec_reg[`TG_REC_LENGTH_LSB +: `TG_REC_LENGTH_W] <= emit_kind == `TG_KIND_STREAM_END ? 32'd0 : emit_length32;
            rec_reg[`TG_REC_OFFSET_LSB +: `TG_REC_OFFSET_W] <= emit_start;
            rec_reg[`TG_REC_TIMESTAMP_LSB +: `TG_REC_TIMESTAMP_W] <= cycle;
        end else if (m_axis_tready) begin
            rec_valid_reg <= 1'b0;
        end
    end
end

assign m_axis_tdata = rec_reg;
assign m_axis_tvalid = rec_valid_reg;

endmodule
`default_nettype wire
