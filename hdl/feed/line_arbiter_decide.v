// A/B line arbitration, the decisions: each arriving packet's descriptor in (its line, whether it has a
// MoldUDP64 header, and the header's session, number and count; its length in beats), in frame order; out,
// the line whose oldest held packet goes next, in the order the packets are to reach the framer. The rules
// are those of the golden model (src/itch/ref-line-arbiter.ts): a packet joins its line's queue, then heads
// go, the earliest arrived first, unless a head is ahead (a header whose session is in the table, numbered
// above the session's next expected number) and none of these holds: its line holds more than
// cfg_hold_packets packets or cfg_hold_beats beats; the other line's head is ahead in the same session with
// a number not below it; a flush is under way (from the `flush` pulse until both queues are empty).
// Releasing a header moves its session's next number to its end and counts, per line, the messages the line
// skipped that were already delivered (covered) and packets with nothing new (late duplicates).
// The packets' bytes wait elsewhere (a queue per line); this module only orders them. One decision a cycle
// at most; a descriptor is taken only between decisions, so the queues never hold more than
// cfg_hold_packets + 1 entries (cfg_hold_packets at most QUEUE_DEPTH - 1). `in_ready` low says a decision is
// under way; high, nothing will be released until the next descriptor or flush.
`default_nettype none
module line_arbiter_decide #(
    parameter integer SLOTS = 4,
    parameter integer QUEUE_DEPTH = 16
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        restart,            // empties the queues and the session table, keeps the counters
    input  wire        clear,              // zeroes the counters

    input  wire [4:0]  cfg_hold_packets,   // 0: nothing is held
    input  wire [12:0] cfg_hold_beats,
    input  wire        flush,

    input  wire        in_valid,
    output wire        in_ready,
    input  wire        in_line,
    input  wire        in_header,          // at least 20 bytes: session, number and count are the packet's
    input  wire [79:0] in_session,
    input  wire [63:0] in_seq,
    input  wire [15:0] in_count,
    input  wire [12:0] in_beats,

    output wire        rel_valid,
    input  wire        rel_ready,
    output wire        rel_line,

    // would a packet of this session and number be ahead now (a known session, the number above its next)?
    input  wire [79:0] probe_session,
    input  wire [63:0] probe_seq,
    output wire        probe_ahead,

    output reg  [63:0] covered_a,
    output reg  [63:0] covered_b,
    output reg  [31:0] late_duplicates_a,
    output reg  [31:0] late_duplicates_b
);
    localparam integer QW = $clog2(QUEUE_DEPTH);
    localparam integer SW = $clog2(SLOTS);
    localparam [15:0] END_OF_SESSION = 16'hFFFF;

    // ---- the two queues of descriptors ------------------------------------------------------------------
    // entry {line, position}
    reg        q_header  [0:2*QUEUE_DEPTH-1];
    reg [79:0] q_session [0:2*QUEUE_DEPTH-1];
    reg [63:0] q_seq     [0:2*QUEUE_DEPTH-1];
    reg [15:0] q_count   [0:2*QUEUE_DEPTH-1];
    reg [12:0] q_beats   [0:2*QUEUE_DEPTH-1];
    reg [6:0]  q_stamp   [0:2*QUEUE_DEPTH-1];
    reg [QW-1:0] head [0:1];
    reg [QW-1:0] tail [0:1];
    reg [QW:0]   count [0:1];
    reg [13:0]   beats [0:1];
    reg [6:0]    stamp;            // arrival order; at most 2 * QUEUE_DEPTH apart among the heads
    reg          flushing;
    reg          deciding;         // the descriptor taken last cycle has joined its queue: decide until none goes

    // ---- the session table ------------------------------------------------------------------------------
    reg [SLOTS-1:0]   s_valid;
    reg [79:0]        s_id    [0:SLOTS-1];
    reg [63:0]        s_next  [0:SLOTS-1];
    reg [63:0]        s_missing [0:SLOTS-1];   // messages in the gaps released (both lines lost them)
    // per {slot, line}: the end of the line's last packet released, once there is one, and s_missing then
    reg [2*SLOTS-1:0] s_seen_valid;
    reg [63:0]        s_seen  [0:2*SLOTS-1];
    reg [63:0]        s_missing_at_seen [0:2*SLOTS-1];
    reg [SW-1:0] s_rr;

    // ---- the heads ----------------------------------------------------------------------------------------
    wire          h_any    [0:1];
    wire          h_header [0:1];
    wire [79:0]   h_session[0:1];
    wire [63:0]   h_seq    [0:1];
    wire [15:0]   h_count  [0:1];
    wire [6:0]    h_stamp  [0:1];
    wire          h_known  [0:1];
    wire [SW-1:0] h_slot   [0:1];
    wire          h_ahead  [0:1];

    genvar L;
    generate for (L = 0; L < 2; L = L + 1) begin : heads
        assign h_any[L]     = count[L] != 0;
        wire [QW:0] at = {L[0], head[L]};
        assign h_header[L]  = q_header[at];
        assign h_session[L] = q_session[at];
        assign h_seq[L]     = q_seq[at];
        assign h_count[L]   = q_count[at];
        assign h_stamp[L]   = q_stamp[at];
        reg          known;
        reg [SW-1:0] slot;
        integer i;
        always @(*) begin
            known = 1'b0;
            slot = {SW{1'b0}};
            for (i = 0; i < SLOTS; i = i + 1)
                if (s_valid[i] && s_id[i] == h_session[L]) begin
                    known = 1'b1;
                    slot = i[SW-1:0];
                end
        end
        assign h_known[L] = known;
        assign h_slot[L]  = slot;
        assign h_ahead[L] = h_any[L] && h_header[L] && known && h_seq[L] > s_next[slot];
    end endgenerate

    reg          p_known;
    reg [SW-1:0] p_slot;
    integer j;
    always @(*) begin
        p_known = 1'b0;
        p_slot = {SW{1'b0}};
        for (j = 0; j < SLOTS; j = j + 1)
            if (s_valid[j] && s_id[j] == probe_session) begin
                p_known = 1'b1;
                p_slot = j[SW-1:0];
            end
    end
    assign probe_ahead = p_known && probe_seq > s_next[p_slot];

    // a's head arrived before b's (stamps are close: their difference's sign says which is older)
    wire [6:0] stamp_diff = h_stamp[0] - h_stamp[1];
    wire       a_older = stamp_diff[6];
    wire [5:0] unused_stamp_bits = stamp_diff[5:0];

    wire both_ahead_same = h_ahead[0] && h_ahead[1] && h_slot[0] == h_slot[1];
    wire a_lower = h_seq[0] < h_seq[1] || (h_seq[0] == h_seq[1] && a_older);

    // more than QUEUE_DEPTH - 1 would let a queue overflow
    localparam integer MOST_HELD_INT = QUEUE_DEPTH - 1;
    localparam [4:0] MOST_HELD = MOST_HELD_INT[4:0];
    wire [4:0] hold_packets = cfg_hold_packets > MOST_HELD ? MOST_HELD : cfg_hold_packets;
    wire go_a = h_any[0] && (flushing || !h_ahead[0] || {1'b0, count[0]} > {1'b0, hold_packets} ||
                             beats[0] > {1'b0, cfg_hold_beats} || (both_ahead_same && a_lower));
    wire go_b = h_any[1] && (flushing || !h_ahead[1] || {1'b0, count[1]} > {1'b0, hold_packets} ||
                             beats[1] > {1'b0, cfg_hold_beats} || (both_ahead_same && !a_lower));
    wire pick = go_a && go_b ? !a_older : !go_a;       // the line that goes: 0 = A, 1 = B

    assign rel_valid = deciding && (go_a || go_b);
    assign rel_line  = pick;
    wire release_now = rel_valid && rel_ready;
    assign in_ready  = !deciding;
    wire take = in_valid && in_ready;
    wire [QW:0] in_at = {in_line, tail[in_line]};

    // ---- what releasing the picked head does to its session ----------------------------------------------
    wire          r_header = h_header[pick];
    wire [63:0]   r_seq    = h_seq[pick];
    wire [15:0]   r_count  = h_count[pick];
    wire          r_known  = h_known[pick];
    wire [SW-1:0] r_slot   = r_known ? h_slot[pick] : s_rr;
    wire [63:0]   r_next   = r_known ? s_next[r_slot] : r_seq;
    wire [SW:0]   r_seen_at = {r_slot, pick};
    wire          r_seen_valid = r_known && s_seen_valid[r_seen_at];
    wire [63:0]   r_seen   = s_seen[r_seen_at];
    wire          r_messages = r_count != 16'd0 && r_count != END_OF_SESSION;
    wire [64:0]   r_sum    = {1'b0, r_seq} + {49'd0, r_count};
    wire [63:0]   r_end    = r_messages ? r_sum[63:0] : r_seq;
    wire          r_late   = r_messages && r_sum <= {1'b0, r_next};
    // covered: what the line skipped that the session has passed, less the gaps both lines lost since the
    // line's previous packet
    wire [63:0]   r_covered_to = r_seq < r_next ? r_seq : r_next;
    wire [63:0]   r_skipped = r_covered_to - r_seen;
    wire [63:0]   r_missing = r_known ? s_missing[r_slot] : 64'd0;
    wire [63:0]   r_gaps_since = r_missing - s_missing_at_seen[r_seen_at];
    wire          r_covers = r_seen_valid && r_covered_to > r_seen && r_skipped > r_gaps_since;
    wire [63:0]   r_covered = r_skipped - r_gaps_since;
    wire [63:0]   r_missing_after = r_missing + (r_seq > r_next ? r_seq - r_next : 64'd0);

    integer k;
    always @(posedge clk) begin
        if (take) begin
            q_header[in_at]  <= in_header;
            q_session[in_at] <= in_session;
            q_seq[in_at]     <= in_seq;
            q_count[in_at]   <= in_count;
            q_beats[in_at]   <= in_beats;
            q_stamp[in_at]   <= stamp;
            tail[in_line]  <= tail[in_line] + 1'b1;
            count[in_line] <= count[in_line] + 1'b1;
            beats[in_line] <= beats[in_line] + {1'b0, in_beats};
            stamp <= stamp + 1'b1;
            deciding <= 1'b1;
        end
        if (release_now) begin
            head[pick]  <= head[pick] + 1'b1;
            count[pick] <= count[pick] - 1'b1;
            beats[pick] <= beats[pick] - {1'b0, q_beats[{pick, head[pick]}]};
            if (r_header) begin
                if (!r_known) begin
                    s_valid[r_slot] <= 1'b1;
                    s_id[r_slot] <= h_session[pick];
                    s_seen_valid[{r_slot, !pick}] <= 1'b0;
                    s_rr <= s_rr + 1'b1;
                end
                s_next[r_slot] <= r_end > r_next ? r_end : r_next;
                s_missing[r_slot] <= r_missing_after;
                s_missing_at_seen[r_seen_at] <= r_missing_after;
                if (!r_seen_valid || r_end > r_seen) s_seen[r_seen_at] <= r_end;
                s_seen_valid[r_seen_at] <= 1'b1;
                if (r_late) begin
                    if (pick) late_duplicates_b <= late_duplicates_b + 1'b1;
                    else late_duplicates_a <= late_duplicates_a + 1'b1;
                end
                if (r_covers) begin
                    if (pick) covered_b <= covered_b + r_covered;
                    else covered_a <= covered_a + r_covered;
                end
            end
        end else if (deciding && !(go_a || go_b)) begin
            deciding <= 1'b0;
        end
        if (flush) flushing <= 1'b1;
        else if (flushing && !deciding && count[0] == 0 && count[1] == 0) flushing <= 1'b0;
        // a flush with nothing arriving: decide again
        if (flush && !take) deciding <= 1'b1;
        if (rst || restart) begin
            for (k = 0; k < 2; k = k + 1) begin
                head[k] <= {QW{1'b0}};
                tail[k] <= {QW{1'b0}};
                count[k] <= {(QW+1){1'b0}};
                beats[k] <= 14'd0;
            end
            s_valid <= {SLOTS{1'b0}};
            s_rr <= {SW{1'b0}};
            stamp <= 7'd0;
            flushing <= 1'b0;
            deciding <= 1'b0;
        end
        if (rst || clear) begin
            covered_a <= 64'd0;
            covered_b <= 64'd0;
            late_duplicates_a <= 32'd0;
            late_duplicates_b <= 32'd0;
        end
    end
endmodule
`default_nettype wire
