// A/B line arbitration, the decisions: each arriving packet's descriptor in (its line, whether it has a
// MoldUDP64 header, and the header's session, number and count; its length in beats), in frame order; out,
// the line whose oldest held packet goes next, in the order the packets are to reach the framer. The rules
// are those of the golden model (src/itch/ref-line-arbiter.ts): a packet joins its line's queue, then heads
// go, the earliest arrived first, unless a head is ahead (a header whose session is in the table, numbered
// above the session's next expected number) and none of these holds: its line holds more than
// cfg_hold_packets packets or cfg_hold_beats beats; the other line's head is ahead in the same session with
// a number not below it; a flush is under way (from the `flush` pulse until both queues are empty).
// Releasing a header moves its session's next number to its end; the release goes to the counters
// (line_arbiter_counters.v) with the session's slot and its next number before.
// The packets' bytes wait elsewhere (a queue per line); this module only orders them. A decision takes a few
// cycles, so that no path holds more than a 16-bit compare or an 80-bit equality:
//   join:  the descriptor taken last cycle is written to its queue, its end (number + count) summed;
//   read:  both heads read from the queues, with their lines' hold limits tested;
//   match: the heads' sessions against the table, their numbers and ends against every slot's next number
//          and against each other, in 16-bit pieces;
//   judge: the pieces combined: which heads are ahead, their sessions' next numbers before and after them;
//   pick:  which heads may go, which goes;
//   offer: the release is offered until taken; then read again, as the heads and the table have changed,
//          unless the release emptied both queues.
// A descriptor is taken only between decisions, so the queues never hold more than cfg_hold_packets + 1
// entries (cfg_hold_packets at most QUEUE_DEPTH - 1). `in_ready` low says a decision is under way; high,
// nothing will be released until the next descriptor or flush.
`default_nettype none
module line_arbiter_decide #(
    parameter integer SLOTS = 4,
    parameter integer QUEUE_DEPTH = 16
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        restart,            // empties the queues and the session table

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
    // Answered two cycles after it is asked; "ahead" also when the table changed in between.
    input  wire [79:0] probe_session,
    input  wire [63:0] probe_seq,
    output wire        probe_ahead,

    // each released header, for the counters
    output wire        acct_valid,
    input  wire        acct_ready,
    output wire        acct_line,
    output wire        acct_known,         // its session was in the table
    output wire [$clog2(SLOTS)-1:0] acct_slot,
    output wire [63:0] acct_seq,
    output wire [15:0] acct_count,
    output wire [63:0] acct_next           // the session's next number before it (its own number if unknown)
);
    localparam integer QW = $clog2(QUEUE_DEPTH);
    localparam integer SW = $clog2(SLOTS);
    localparam [15:0] END_OF_SESSION = 16'hFFFF;

    `include "../common/compare_pieces.vh"

    // ---- the two queues of descriptors: entry {line, position} ---------------------------------------------
    reg        q_header  [0:2*QUEUE_DEPTH-1];
    reg [79:0] q_session [0:2*QUEUE_DEPTH-1];
    reg [63:0] q_seq     [0:2*QUEUE_DEPTH-1];
    reg [63:0] q_sum     [0:2*QUEUE_DEPTH-1];   // number + count
    reg        q_messages[0:2*QUEUE_DEPTH-1];   // a count of messages (not a heartbeat or the end of session)
    reg [15:0] q_count   [0:2*QUEUE_DEPTH-1];
    reg [12:0] q_beats   [0:2*QUEUE_DEPTH-1];
    reg [6:0]  q_stamp   [0:2*QUEUE_DEPTH-1];
    reg [QW-1:0] head [0:1];
    reg [QW-1:0] tail [0:1];
    reg [QW:0]   count [0:1];
    reg [13:0]   beats [0:1];
    (* mem2reg *) reg [13:0]   beats_after [0:1];    // less the head's, a cycle ago: neither changes while a release is offered
    reg [6:0]    stamp;            // arrival order; at most 2 * QUEUE_DEPTH apart among the heads
    reg          flushing;
    reg          deciding;         // from a descriptor's take or a flush until a decision lets nothing go

    // ---- the session table ----------------------------------------------------------------------------------
    reg [SLOTS-1:0]   s_valid;
    (* mem2reg *) reg [79:0] s_id   [0:SLOTS-1];
    (* mem2reg *) reg [63:0] s_next [0:SLOTS-1];
    reg [SW-1:0]      s_rr;

    // ---- join ---------------------------------------------------------------------------------------------
    reg          joining;
    reg          j_line, j_header;
    reg [79:0]   j_session;
    reg [63:0]   j_seq;
    reg [15:0]   j_count;
    reg [12:0]   j_beats;
    wire [63:0]  j_sum;
    wire         unused_j_carry;
    carry_select_add #(.WIDTH(64), .B_WIDTH(16)) end_adder (.a(j_seq), .b(j_count), .sum(j_sum), .carry(unused_j_carry));
    wire         j_messages = j_count != 16'd0 && j_count != END_OF_SESSION;
    wire [QW:0]  j_at = {j_line, tail[j_line]};

    assign in_ready = !deciding;
    wire take = in_valid && in_ready;

    // Per-line registers are two-entry arrays marked mem2reg: registers, not a memory (Yosys warns when it has
    // to decide that itself).
    // ---- read: the heads ------------------------------------------------------------------------------------
    localparam integer MOST_HELD_INT = QUEUE_DEPTH - 1;    // more would let a queue overflow
    localparam [4:0] MOST_HELD = MOST_HELD_INT[4:0];
    wire [4:0] hold_packets = cfg_hold_packets > MOST_HELD ? MOST_HELD : cfg_hold_packets;
    reg          read_now;
    (* mem2reg *) reg          h_any    [0:1];
    (* mem2reg *) reg          h_over   [0:1];   // its line holds more than it may
    (* mem2reg *) reg          h_header [0:1];
    (* mem2reg *) reg [79:0]   h_session[0:1];
    (* mem2reg *) reg [63:0]   h_seq    [0:1];
    (* mem2reg *) reg [63:0]   h_end    [0:1];    // where the session goes on after it: number + count, or the number
    (* mem2reg *) reg [15:0]   h_count  [0:1];
    (* mem2reg *) reg [12:0]   h_beats  [0:1];
    (* mem2reg *) reg [6:0]    h_stamp  [0:1];

    // ---- match: pieces, per {line, slot} -----------------------------------------------------------------
    reg                 match_now;
    reg [10*SLOTS-1:0]  m_session_eq;      // per {line, slot}, five 16-bit pieces of the session equal
    wire [2*SLOTS-1:0]  m_slot;            // one-hot per line: the head's session's slot
    reg [16*SLOTS-1:0]  m_seq_next;        // the head's number against the slot's next
    reg [16*SLOTS-1:0]  m_end_next;        // the head's end against the slot's next
    reg [15:0]          m_end_seq;         // per line: the head's end against its number
    reg [7:0]           m_a_b;             // a's number against b's
    reg                 m_a_older;

    genvar M;
    generate for (M = 0; M < 2 * SLOTS; M = M + 1) begin : slot_match
        assign m_slot[M] = s_valid[M % SLOTS] && &m_session_eq[5*M +: 5];
    end endgenerate

    // ---- judge: per line, whether its head is ahead, and its session's next number before and after it ------
    reg              judge_now;
    wire             c_ahead [0:1];
    wire             c_known [0:1];
    wire [SW-1:0]    c_slot  [0:1];
    wire [63:0]      c_next_before [0:1];  // the session's next number, or the head's own when unknown
    wire [63:0]      c_next_after  [0:1];  // ... once the head is released
    generate
        genvar L;
        for (L = 0; L < 2; L = L + 1) begin : per_line
            reg          l_ahead;
            reg [SW-1:0] l_slot;
            reg [63:0]   l_next, l_after;
            integer      i;
            wire         l_known = |m_slot[L*SLOTS +: SLOTS];
            // the slot is one-hot: and-or rather than a chain of multiplexers
            always @* begin
                l_slot = {SW{1'b0}};
                l_next = l_known ? 64'd0 : h_seq[L];
                l_after = l_known ? 64'd0 : above(m_end_seq[8*L +: 8]) ? h_end[L] : h_seq[L];
                l_ahead = 1'b0;
                for (i = 0; i < SLOTS; i = i + 1) begin
                    l_slot = l_slot | ({SW{m_slot[L*SLOTS + i]}} & i[SW-1:0]);
                    l_next = l_next | ({64{m_slot[L*SLOTS + i]}} & s_next[i]);
                    l_after = l_after | ({64{m_slot[L*SLOTS + i]}}
                                         & (above(m_end_next[8*(L*SLOTS + i) +: 8]) ? h_end[L] : s_next[i]));
                    l_ahead = l_ahead | (m_slot[L*SLOTS + i] && above(m_seq_next[8*(L*SLOTS + i) +: 8]));
                end
            end
            assign c_known[L] = l_known;
            assign c_slot[L] = l_slot;
            assign c_ahead[L] = l_ahead && h_any[L] && h_header[L];
            assign c_next_before[L] = l_next;
            assign c_next_after[L] = l_after;
        end
    endgenerate
    (* mem2reg *) reg              v_ahead [0:1];
    (* mem2reg *) reg              v_known [0:1];
    (* mem2reg *) reg [SW-1:0]     v_slot  [0:1];
    (* mem2reg *) reg [63:0]       v_next_before [0:1];
    (* mem2reg *) reg [63:0]       v_next_after  [0:1];
    reg              v_same_slot;          // both heads' sessions are the same
    reg              v_a_lower;            // a's number below b's, or equal and a arrived first

    // ---- pick -------------------------------------------------------------------------------------------------
    reg  pick_now;
    wire both_ahead_same = v_ahead[0] && v_ahead[1] && v_same_slot;
    wire go_a = h_any[0] && (flushing || !v_ahead[0] || h_over[0] || (both_ahead_same && v_a_lower));
    wire go_b = h_any[1] && (flushing || !v_ahead[1] || h_over[1] || (both_ahead_same && !v_a_lower));
    wire pick = go_a && go_b ? !m_a_older : !go_a;       // the line that goes: 0 = A, 1 = B

    // ---- offer: the picked line's head and judgement (they hold until the release) -----------------------------
    reg              offering;
    reg              o_line;
    wire             o_header = h_header[o_line];
    wire             o_known = v_known[o_line];
    wire [SW-1:0]    o_slot = o_known ? v_slot[o_line] : s_rr;
    assign rel_valid = offering && (acct_ready || !o_header);
    assign rel_line  = o_line;
    wire release_now = rel_valid && rel_ready;
    assign acct_valid = release_now && o_header;
    assign acct_line  = o_line;
    assign acct_known = o_known;
    assign acct_slot  = o_slot;
    assign acct_seq   = h_seq[o_line];
    assign acct_count = h_count[o_line];
    assign acct_next  = v_next_before[o_line];

    // ---- probe ---------------------------------------------------------------------------------------------
    reg [5*SLOTS-1:0] p_session_eq;       // per slot, five 16-bit pieces of the session equal
    reg [8*SLOTS-1:0] p_seq_next;
    reg               p_stale;
    reg               p_ahead;
    integer pn;
    always @* begin
        p_ahead = 1'b0;
        for (pn = 0; pn < SLOTS; pn = pn + 1)
            if (s_valid[pn] && &p_session_eq[5*pn +: 5]) p_ahead = above(p_seq_next[8*pn +: 8]);
    end
    reg               p_answer;
    assign probe_ahead = p_answer;

    integer k, n, pc;
    // the release leaves both queues empty: nothing more can go (the usual case, a packet in order)
    wire emptied = count[o_line] == {{QW{1'b0}}, 1'b1} && count[!o_line] == {(QW+1){1'b0}};
    wire start = joining || (release_now && !emptied) || flush;   // heads or table changed: read again
    always @(posedge clk) begin
        // probe, every cycle
        for (k = 0; k < SLOTS; k = k + 1) begin
            for (pc = 0; pc < 5; pc = pc + 1)
                p_session_eq[5*k + pc] <= s_id[k][16*pc +: 16] == probe_session[16*pc +: 16];
            p_seq_next[8*k +: 8] <= pieces(probe_seq, s_next[k]);
        end
        p_stale <= (release_now && o_header) || restart;
        p_answer <= p_ahead || p_stale || (release_now && o_header) || restart;

        for (k = 0; k < 2; k = k + 1) beats_after[k] <= beats[k] - {1'b0, h_beats[k]};

        joining <= take;
        if (take) begin
            j_line <= in_line;
            j_header <= in_header;
            j_session <= in_session;
            j_seq <= in_seq;
            j_count <= in_count;
            j_beats <= in_beats;
            deciding <= 1'b1;
        end
        if (joining) begin
            q_header[j_at]  <= j_header;
            q_session[j_at] <= j_session;
            q_seq[j_at]     <= j_seq;
            q_sum[j_at]     <= j_sum;
            q_messages[j_at] <= j_messages;
            q_count[j_at]   <= j_count;
            q_beats[j_at]   <= j_beats;
            q_stamp[j_at]   <= stamp;
            tail[j_line]  <= tail[j_line] + 1'b1;
            count[j_line] <= count[j_line] + 1'b1;
            for (k = 0; k < 2; k = k + 1)      // per line: no multiplexer in front of the add
                if (j_line == k[0]) beats[k] <= beats[k] + {1'b0, j_beats};
            stamp <= stamp + 1'b1;
        end

        // read, match, pick: a new read (after a join, a release or a flush) starts the chain again
        read_now <= start;
        match_now <= read_now && !start;
        judge_now <= match_now && !start;
        pick_now <= judge_now && !start;
        if (read_now) begin
            for (k = 0; k < 2; k = k + 1) begin
                h_any[k]     <= count[k] != 0;
                h_over[k]    <= {1'b0, count[k]} > {1'b0, hold_packets} || beats[k] > {1'b0, cfg_hold_beats};
                h_header[k]  <= q_header[{k[0], head[k]}];
                h_session[k] <= q_session[{k[0], head[k]}];
                h_seq[k]     <= q_seq[{k[0], head[k]}];
                h_end[k]     <= q_messages[{k[0], head[k]}] ? q_sum[{k[0], head[k]}] : q_seq[{k[0], head[k]}];
                h_count[k]   <= q_count[{k[0], head[k]}];
                h_beats[k]   <= q_beats[{k[0], head[k]}];
                h_stamp[k]   <= q_stamp[{k[0], head[k]}];
            end
        end
        if (match_now) begin
            for (k = 0; k < 2; k = k + 1) begin
                for (n = 0; n < SLOTS; n = n + 1) begin
                    for (pc = 0; pc < 5; pc = pc + 1)
                        m_session_eq[5*(k*SLOTS + n) + pc] <= s_id[n][16*pc +: 16] == h_session[k][16*pc +: 16];
                    m_seq_next[8*(k*SLOTS + n) +: 8] <= pieces(h_seq[k], s_next[n]);
                    m_end_next[8*(k*SLOTS + n) +: 8] <= pieces(h_end[k], s_next[n]);
                end
                m_end_seq[8*k +: 8] <= pieces(h_end[k], h_seq[k]);
            end
            m_a_b <= pieces(h_seq[0], h_seq[1]);
            m_a_older <= h_stamp[0] - h_stamp[1] > 7'd63;  // the difference's sign: stamps are close
        end
        if (judge_now) begin
            for (k = 0; k < 2; k = k + 1) begin
                v_ahead[k] <= c_ahead[k];
                v_known[k] <= c_known[k];
                v_slot[k] <= c_slot[k];
                v_next_before[k] <= c_next_before[k];
                v_next_after[k] <= c_next_after[k];
            end
            v_same_slot <= |(m_slot[SLOTS-1:0] & m_slot[2*SLOTS-1:SLOTS]);
            v_a_lower <= below(m_a_b) || (&m_a_b[7:4] && m_a_older);
        end
        if (pick_now && !offering) begin
            if (go_a || go_b) begin
                offering <= 1'b1;
                o_line <= pick;
            end else begin
                deciding <= 1'b0;
            end
        end
        if (release_now) begin
            offering <= 1'b0;
            if (emptied) deciding <= 1'b0;
            beats[o_line] <= beats_after[o_line];
            head[o_line]  <= head[o_line] + 1'b1;
            count[o_line] <= count[o_line] - 1'b1;
            if (o_header) begin
                if (!o_known) begin
                    for (n = 0; n < SLOTS; n = n + 1)      // (a constant index: no index arithmetic)
                        if (o_slot == n[SW-1:0]) begin
                            s_valid[n] <= 1'b1;
                            s_id[n] <= h_session[o_line];
                        end
                    s_rr <= s_rr + 1'b1;
                end
                for (n = 0; n < SLOTS; n = n + 1)
                    if (o_slot == n[SW-1:0]) s_next[n] <= v_next_after[o_line];
            end
        end
        if (flush) begin
            flushing <= 1'b1;
            deciding <= 1'b1;
        end else if (flushing && !deciding && count[0] == 0 && count[1] == 0) begin
            flushing <= 1'b0;
        end
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
            joining <= 1'b0;
            read_now <= 1'b0;
            match_now <= 1'b0;
            judge_now <= 1'b0;
            pick_now <= 1'b0;
            offering <= 1'b0;
        end
    end
endmodule
`default_nettype wire
