// A/B line arbitration between the wire receive path (hdl/feed/udp_rx.v) and the MoldUDP64 framer: the
// frames udp_rx takes, each its payload beats and a status beat, wait in a block-RAM queue per line; the
// decisions (hdl/feed/line_arbiter_decide.v, the rules of src/itch/ref-line-arbiter.ts) say which line's
// oldest packet goes next, and it leaves whole, in the same beat format. A refused frame's status beat is
// not held: it leaves once everything released before it has left, as the golden model gives its error on
// arrival.
//   - FEED_ARB_HOLD_PACKETS 0 (the reset value): no arbitration; beats pass straight through.
//   - The hold settings are taken only when the arbiter is empty (nothing held, no frame under way, no
//     decision pending); taking them restarts the decisions' session table, so the first packets after a
//     change are judged as the golden model's new LineArbiter judges them.
//   - A flush (FEED_ARB_FLUSH, or FEED_ARB_IDLE_CYCLES without a frame while packets are held) lets
//     everything held go. A frame that does not fit in its line's queue behind what the line holds flushes
//     too, before its descriptor exists: a queue holds QUEUE_WORDS + 2 words (the RAM and the FIFO's two
//     stages), a packet takes a word per payload beat and one for its status, and the largest UDP payload
//     fits alone. The golden model flushes at the same point (ref-line-arbiter.ts, queueWords).
//   - Cut-through: a packet that would go at once (nothing held or leaving, no decision pending, and its
//     header not ahead of its session: then the golden model releases it on arrival whatever its size) starts
//     to leave as soon as its header is in, while the rest of it is still being written; its release, when
//     the decisions make it, is taken without streaming it again. Only an ahead packet waits whole.
// Queue words: {last, info, data}; a payload beat has last 0 and info its bytes less one (udp_rx realigns
// payloads to lane 0, so tkeep is contiguous), the status beat last 1 and info the status.
`default_nettype none
module line_arbiter #(
    parameter integer QUEUE_WORDS = 8192,
    parameter integer SLOTS = 4
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        clear,              // zeroes the counters

    input  wire [31:0] cfg_hold_packets,
    input  wire [31:0] cfg_hold_beats,
    input  wire [31:0] cfg_idle_cycles,
    input  wire        flush_request,

    input  wire [63:0] s_axis_tdata,
    input  wire [7:0]  s_axis_tkeep,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    input  wire        s_axis_tlast,
    input  wire [4:0]  s_axis_tuser,      // {taken, line, status} (hdl/feed/udp_deliver.v)

    output wire [63:0] m_axis_tdata,
    output wire [7:0]  m_axis_tkeep,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,
    output wire [4:0]  m_axis_tuser,

    output wire [63:0] covered_a,
    output wire [63:0] covered_b,
    output wire [31:0] late_duplicates_a,
    output wire [31:0] late_duplicates_b,
    output wire        inc_forced_flush
);

localparam integer QW = 68;

// ---- the hold settings, taken when the arbiter is empty ----------------------------------------------------
// (registered, as is the test for a change: nothing of the settings' compares on the way to the input's ready)
reg  [4:0]  want_packets_reg;
reg  [12:0] want_beats_reg;
reg         changed_reg;
reg  [4:0]  hold_packets_reg;
reg  [12:0] hold_beats_reg;
wire        arbitrating = hold_packets_reg != 5'd0;

reg         in_frame_reg;          // a frame's first beat has been taken, its status beat not yet
reg  [6:0]  held_reg;              // descriptors written and not yet released
reg         streaming_reg;         // a released packet is leaving
reg         stream_line_reg;
wire        decide_idle;           // no descriptor waiting, no decision under way
wire        quiet = !in_frame_reg && held_reg == 7'd0 && !streaming_reg && decide_idle;
wire        retake = quiet && changed_reg;

// ---- the writer: a taken frame's beats into its line's queue, its descriptor at the status beat ---------------
wire        s_taken = s_axis_tuser[4];
wire        s_line = s_axis_tuser[3];
wire        queue_ready [0:1];
wire        queue_settled [0:1];
wire        to_queue = arbitrating && s_taken;
wire        room = queue_ready[s_line];
wire        flush_now;
wire        flush_asked;
reg         flush_reg;             // the flush, a cycle later at the decisions (a pending one is not idle)
wire        descriptor_room;       // the descriptor queue takes the packet's descriptor with its status beat
// a beat that passes straight through: without arbitration, or a refused frame's status once every release
// before it has left (no decision under way: nothing is offered either)
wire        pass_ok = !retake && !streaming_reg && (!arbitrating || (!to_queue && !in_frame_reg && decide_idle && !flush_asked));
assign s_axis_tready = !retake && (arbitrating && to_queue ? room && (!s_axis_tlast || descriptor_room)
                                                           : pass_ok && m_axis_tready);
wire        take = s_axis_tvalid && s_axis_tready;
wire        write = take && to_queue;

wire [3:0]  s_bytes = s_axis_tkeep[7] ? 4'd8 : s_axis_tkeep[6] ? 4'd7 : s_axis_tkeep[5] ? 4'd6 : s_axis_tkeep[4] ? 4'd5
                    : s_axis_tkeep[3] ? 4'd4 : s_axis_tkeep[2] ? 4'd3 : s_axis_tkeep[1] ? 4'd2 : 4'd1;
wire [2:0]  s_info = s_axis_tlast ? s_axis_tuser[2:0] : s_bytes[2:0] - 3'd1;
wire [QW-1:0] s_word = {s_axis_tlast, s_info, s_axis_tlast ? 64'd0 : s_axis_tdata};

// the packet's header (bytes 0..19) and size as its beats pass
reg  [1:0]  w_beat_reg;            // payload beats so far, up to 3
reg         w_line_reg;            // the line of the frame being written
reg         header_in_reg;         // the packet's header (its first 20 bytes) came in last cycle
reg         header_asked_reg;      // ... two cycles ago
reg         header_answered_reg;   // ... three cycles ago: the decisions have answered whether it is ahead
reg  [12:0] w_beats_reg;
reg  [4:0]  w_bytes_reg;           // payload bytes so far, up to 20
reg  [79:0] w_session_reg;
reg  [63:0] w_seq_reg;
reg  [15:0] w_count_reg;
wire [4:0]  bytes_after = w_bytes_reg + {1'b0, s_bytes};
wire [12:0] d_beats = w_beats_reg == 13'd0 ? 13'd1 : w_beats_reg;
wire        d_header = w_bytes_reg >= 5'd20;

function automatic [7:0] byte_at(input [63:0] d, input integer i);
    byte_at = d[8*i +: 8];
endfunction

always @(posedge clk) begin
    if (take) in_frame_reg <= !s_axis_tlast;
    if (write) w_line_reg <= s_line;
    header_in_reg <= write && !s_axis_tlast && w_beat_reg == 2'd2 && bytes_after >= 5'd20;
    header_asked_reg <= header_in_reg;
    header_answered_reg <= header_asked_reg;
    if (write && !s_axis_tlast) begin
        if (w_beat_reg != 2'd3) w_beat_reg <= w_beat_reg + 1'b1;
        w_beats_reg <= w_beats_reg + 1'b1;
        w_bytes_reg <= bytes_after > 5'd20 ? 5'd20 : bytes_after;
        case (w_beat_reg)
            2'd0: w_session_reg[79:16] <= {byte_at(s_axis_tdata, 0), byte_at(s_axis_tdata, 1), byte_at(s_axis_tdata, 2),
                                           byte_at(s_axis_tdata, 3), byte_at(s_axis_tdata, 4), byte_at(s_axis_tdata, 5),
                                           byte_at(s_axis_tdata, 6), byte_at(s_axis_tdata, 7)};
            2'd1: begin
                w_session_reg[15:0] <= {byte_at(s_axis_tdata, 0), byte_at(s_axis_tdata, 1)};
                w_seq_reg[63:16] <= {byte_at(s_axis_tdata, 2), byte_at(s_axis_tdata, 3), byte_at(s_axis_tdata, 4),
                                     byte_at(s_axis_tdata, 5), byte_at(s_axis_tdata, 6), byte_at(s_axis_tdata, 7)};
            end
            2'd2: begin
                w_seq_reg[15:0] <= {byte_at(s_axis_tdata, 0), byte_at(s_axis_tdata, 1)};
                w_count_reg <= {byte_at(s_axis_tdata, 2), byte_at(s_axis_tdata, 3)};
            end
            default: ;
        endcase
    end
    if (take && s_axis_tlast) begin
        w_beat_reg <= 2'd0;
        w_beats_reg <= 13'd0;
        w_bytes_reg <= 5'd0;
    end
    if (rst) begin
        in_frame_reg <= 1'b0;
        header_in_reg <= 1'b0;
        header_asked_reg <= 1'b0;
        header_answered_reg <= 1'b0;
        w_beat_reg <= 2'd0;
        w_beats_reg <= 13'd0;
        w_bytes_reg <= 5'd0;
    end
end

// ---- the queues -------------------------------------------------------------------------------------------------
wire [QW-1:0] q_word [0:1];
wire          q_valid [0:1];
wire          pop;
genvar L;
generate for (L = 0; L < 2; L = L + 1) begin : queues
    bram_fifo #(.WIDTH(QW), .DEPTH(QUEUE_WORDS)) queue (.clk(clk), .rst(rst),
        .s_data(s_word), .s_valid(write && s_line == L[0]), .s_ready(queue_ready[L]),
        .m_data(q_word[L]), .m_valid(q_valid[L]), .m_ready(pop && stream_line_reg == L[0]),
        .settled(queue_settled[L]));
end endgenerate

// ---- flushes: asked for, after the idle time, or for a frame that does not fit --------------------------------
// a count down rather than a count compared with the setting: no 32-bit compare on the way to the input's ready
reg  [31:0] idle_left_reg;         // cycles to the time-out, reloaded a cycle after a beat is taken or a flush
reg         took_reg;
reg         idle_due_reg;          // the count is down (registered: the time-out fires a cycle late)
wire        idle_out = idle_due_reg && held_reg != 7'd0 && !took_reg;
// the queue is full with the writer's frame unfinished, nothing leaving and nothing left to decide: only a
// flush makes room (the stages are full, so the queue holds all it can)
wire        no_room = s_axis_tvalid && to_queue && !room && queue_settled[s_line] && held_reg != 7'd0
                      && !streaming_reg && decide_idle;
wire        forced = idle_out || no_room;
reg         forced_reg;            // one flush per stall: the decisions need a cycle to start
assign flush_now = (flush_request && arbitrating) || (forced && !forced_reg);
// the same less the flush for a frame that does not fit, which never coincides with a beat passing straight on
assign flush_asked = (flush_request && arbitrating) || (idle_out && !forced_reg);
assign inc_forced_flush = forced && !forced_reg;

always @(posedge clk) begin
    forced_reg <= forced && !forced_reg;
    flush_reg <= flush_now;
    took_reg <= take;
    // not while the count is about to be reloaded: one time-out, one flush
    idle_due_reg <= cfg_idle_cycles != 32'd0 && idle_left_reg == 32'd0 && !flush_asked && !flush_reg && !took_reg;
    if (took_reg || held_reg == 7'd0 || flush_reg) idle_left_reg <= cfg_idle_cycles;
    else if (idle_left_reg != 32'd0) idle_left_reg <= idle_left_reg - 1'b1;
    if (rst) begin
        forced_reg <= 1'b0;
        flush_reg <= 1'b0;
        took_reg <= 1'b0;
        idle_due_reg <= 1'b0;
        idle_left_reg <= 32'd0;
    end
end

// ---- the decisions ------------------------------------------------------------------------------------------
wire rel_line, release_offered, probe_ahead;
reg  skip_reg;                     // the next release is the cut-through packet's: taken, not streamed
wire rel_take = release_offered && !streaming_reg && !skip_reg;
wire rel_skip = release_offered && skip_reg;
wire cut_through = header_answered_reg && arbitrating && held_reg == 7'd0 && decide_idle && !streaming_reg && !skip_reg
                   && !probe_ahead;
// Descriptors wait in a queue for the decisions, which take one only when the last has settled (its release
// taken): without it, a small packet right behind a large one held its line's input until the large one
// had left (2 % of line rate lost on a day sent on both lines).
localparam integer DW = 1 + 1 + 80 + 64 + 16 + 13;
wire [DW-1:0] dq_word;
wire          dq_valid, decide_ready;
axis_fifo #(.DATA_WIDTH(DW), .DEPTH(16)) descriptors (.clk(clk), .rst(rst),
    .s_axis_tdata({s_line, d_header, w_session_reg, w_seq_reg, w_count_reg, d_beats}),
    .s_axis_tvalid(write && s_axis_tlast), .s_axis_tready(descriptor_room),
    .m_axis_tdata(dq_word), .m_axis_tvalid(dq_valid), .m_axis_tready(decide_ready));
wire          acct_valid, acct_ready, acct_line, acct_known;
wire [$clog2(SLOTS)-1:0] acct_slot;
wire [63:0]   acct_seq, acct_next;
wire [15:0]   acct_count;
line_arbiter_decide #(.SLOTS(SLOTS)) decide (.clk(clk), .rst(rst), .restart(retake),
    .cfg_hold_packets(hold_packets_reg), .cfg_hold_beats(hold_beats_reg), .flush(flush_reg),
    .in_valid(dq_valid), .in_ready(decide_ready), .in_line(dq_word[DW-1]), .in_header(dq_word[DW-2]),
    .in_session(dq_word[DW-3 -: 80]), .in_seq(dq_word[DW-83 -: 64]), .in_count(dq_word[DW-147 -: 16]),
    .in_beats(dq_word[12:0]),
    .rel_valid(release_offered), .rel_ready(!streaming_reg || skip_reg), .rel_line(rel_line),
    .probe_session(w_session_reg), .probe_seq(w_seq_reg), .probe_ahead(probe_ahead),
    .acct_valid(acct_valid), .acct_ready(acct_ready), .acct_line(acct_line), .acct_known(acct_known),
    .acct_slot(acct_slot), .acct_seq(acct_seq), .acct_count(acct_count), .acct_next(acct_next));
line_arbiter_counters #(.SLOTS(SLOTS)) counters (.clk(clk), .rst(rst), .clear(clear),
    .in_valid(acct_valid), .in_ready(acct_ready), .in_line(acct_line), .in_known(acct_known),
    .in_slot(acct_slot), .in_seq(acct_seq), .in_count(acct_count), .in_next(acct_next),
    .covered_a(covered_a), .covered_b(covered_b), .late_duplicates_a(late_duplicates_a),
    .late_duplicates_b(late_duplicates_b));
assign decide_idle = decide_ready && !dq_valid && !flush_reg;

// ---- the output: a released packet's words, or a beat passing straight through ------------------------------
wire [QW-1:0] o_word = q_word[stream_line_reg];
wire          o_last = o_word[QW-1];
wire [2:0]    o_info = o_word[QW-2 -: 3];
assign pop = streaming_reg && q_valid[stream_line_reg] && m_axis_tready;

assign m_axis_tvalid = streaming_reg ? q_valid[stream_line_reg] : s_axis_tvalid && pass_ok;
assign m_axis_tdata = streaming_reg ? o_word[63:0] : s_axis_tdata;
assign m_axis_tkeep = streaming_reg ? (o_last ? 8'd0 : 8'hFF >> (3'd7 - o_info)) : s_axis_tkeep;
assign m_axis_tlast = streaming_reg ? o_last : s_axis_tlast;
assign m_axis_tuser = streaming_reg ? {1'b1, stream_line_reg, o_last ? o_info : 3'd0} : s_axis_tuser;

always @(posedge clk) begin
    want_packets_reg <= cfg_hold_packets > 32'd15 ? 5'd15 : cfg_hold_packets[4:0];
    want_beats_reg <= cfg_hold_beats > 32'd8191 ? 13'd8191 : cfg_hold_beats[12:0];
    changed_reg <= !retake && (want_packets_reg != hold_packets_reg || want_beats_reg != hold_beats_reg);
    if (retake) begin
        hold_packets_reg <= want_packets_reg;
        hold_beats_reg <= want_beats_reg;
    end
    if (rel_take) begin
        streaming_reg <= 1'b1;
        stream_line_reg <= rel_line;
    end else if (cut_through) begin
        streaming_reg <= 1'b1;
        stream_line_reg <= w_line_reg;
    end else if (pop && o_last) begin
        streaming_reg <= 1'b0;
    end
    if (cut_through) skip_reg <= 1'b1;
    else if (rel_skip) skip_reg <= 1'b0;
    held_reg <= held_reg + {6'd0, write && s_axis_tlast} - {6'd0, rel_take || rel_skip};
    if (rst) begin
        hold_packets_reg <= 5'd0;
        changed_reg <= 1'b0;
        hold_beats_reg <= 13'd0;
        streaming_reg <= 1'b0;
        stream_line_reg <= 1'b0;
        skip_reg <= 1'b0;
        held_reg <= 7'd0;
    end
end
endmodule
`default_nettype wire
