// A/B line arbitration, the per-line counters: for every released packet with a MoldUDP64 header, the losses
// its line skipped that the other line had covered, and whether it brought nothing new (a late duplicate).
// The rules are those of the golden model's account() (src/itch/ref-line-arbiter.ts). The decisions
// (line_arbiter_decide.v) hand over each release with its session's slot and the session's next number before
// it; nothing here feeds back into them, so the 64-bit arithmetic is spread over cycles, one add, subtract or
// compare of 16-bit pieces per stage:
//   a record is taken (1), its table entries read and its end summed in pieces (2), the pieces chosen and
//   compared (3, 4), the table written (5); then the next record is taken. The covered count
//   finishes in a tail of four stages behind, which records pass through one after another.
// Records wait in a queue in front (their rate is at most one per decision, a few cycles each).
`default_nettype none
module line_arbiter_counters #(
    parameter integer SLOTS = 4
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        clear,              // zeroes the counters

    input  wire        in_valid,
    output wire        in_ready,
    input  wire        in_line,
    input  wire        in_known,           // the session was in the table before this release
    input  wire [$clog2(SLOTS)-1:0] in_slot,
    input  wire [63:0] in_seq,
    input  wire [15:0] in_count,
    input  wire [63:0] in_next,            // the session's next number before the release (the number if unknown)

    output reg  [63:0] covered_a,
    output reg  [63:0] covered_b,
    output reg  [31:0] late_duplicates_a,
    output reg  [31:0] late_duplicates_b
);
    localparam integer SW = $clog2(SLOTS);
    localparam [15:0] END_OF_SESSION = 16'hFFFF;

    `include "../common/compare_pieces.vh"
    // a + b in pieces: each piece without and with a carry in ({carries, sums}), chosen a cycle later by
    // sum_of with the carry into the lowest piece: 0 for a + b; a - b is sum_of(sums(a, ~b), 1)
    function automatic [135:0] sums(input [63:0] a, input [63:0] b);     // {carry_plus, carry_plain, plus, plain}
        integer p;
        /* verilator lint_off UNUSEDSIGNAL */
        reg low;                            // the 1 + 1 below the pieces
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            for (p = 0; p < 4; p = p + 1) begin
                {sums[128 + p], sums[16*p +: 16]} = {1'b0, a[16*p +: 16]} + {1'b0, b[16*p +: 16]};
                // a + b + 1 as one carry chain: the 1 enters below the pieces' lowest bits
                {sums[132 + p], sums[64 + 16*p +: 16], low} = {1'b0, a[16*p +: 16], 1'b1} + {1'b0, b[16*p +: 16], 1'b1};
            end
        end
    endfunction
    function automatic [64:0] sum_and_carry(input [135:0] d, input carry_in);   // {carry out of the top, sum}
        integer p;
        reg carry;
        begin
            carry = carry_in;
            for (p = 0; p < 4; p = p + 1) begin
                sum_and_carry[16*p +: 16] = carry ? d[64 + 16*p +: 16] : d[16*p +: 16];
                carry = carry ? d[132 + p] : d[128 + p];
            end
            sum_and_carry[64] = carry;
        end
    endfunction
    function automatic [63:0] sum_of(input [135:0] d, input carry_in);
        /* verilator lint_off UNUSEDSIGNAL */
        reg [64:0] both;                    // (the carry out is not wanted here)
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            both = sum_and_carry(d, carry_in);
            sum_of = both[63:0];
        end
    endfunction

    // ---- the queue in front ------------------------------------------------------------------------------
    localparam integer RW = 1 + 1 + SW + 64 + 16 + 64;
    wire [RW-1:0] q_word;
    wire          q_valid;
    reg           busy;               // a record is in stages 1-5
    wire          take = q_valid && !busy;
    axis_fifo #(.DATA_WIDTH(RW), .DEPTH(16)) records (.clk(clk), .rst(rst),
        .s_axis_tdata({in_line, in_known, in_slot, in_seq, in_count, in_next}), .s_axis_tvalid(in_valid),
        .s_axis_tready(in_ready), .m_axis_tdata(q_word), .m_axis_tvalid(q_valid), .m_axis_tready(take));

    // ---- the table: per slot the messages in the gaps both lines lost; per {slot, line} the end of the line's
    // last packet (once there is one) and the gaps then ----------------------------------------------------
    reg [63:0]        t_missing [0:SLOTS-1];
    reg [2*SLOTS-1:0] t_seen_valid;
    reg [63:0]        t_seen [0:2*SLOTS-1];
    reg [63:0]        t_missing_at_seen [0:2*SLOTS-1];

    // stage 1: the record
    reg          s1, r_line, r_known;
    reg [SW-1:0] r_slot;
    reg [63:0]   r_seq, r_next;
    reg [15:0]   r_count;
    wire [SW:0]  r_at = {r_slot, r_line};
    wire         r_messages = r_count != 16'd0 && r_count != END_OF_SESSION;

    // stage 2: the table read, the end summed in pieces, the pieces of the number against the session's next
    reg          s2, m_seen_valid;
    reg [63:0]   m_missing, m_seen, m_missing_at_seen;
    reg [135:0]  m_sum;
    reg [7:0]    m_seq_next_pcs;
    reg [135:0]  m_seq_minus_next;

    // stage 3: below / above, the gap, covered_to, the end; pieces for the gaps
    wire [64:0]  end_sum = sum_and_carry(m_sum, 1'b0);    // number + count, and whether it passed 2^64
    reg          s3, g_late_possible;
    reg [63:0]   g_gap, g_covered_to, g_sum, g_end;
    reg [135:0]  g_gaps_since;

    // stage 4: the missing count after, skipped, and the pieces against what the line had seen
    reg          s4;
    reg [7:0]    k_sum_next_pcs;
    reg [135:0]  k_missing_after;
    reg [63:0]   k_gaps_since;
    reg [135:0]  k_skipped;
    reg [7:0]    k_covered_seen_pcs, k_end_seen_pcs;
    wire [63:0]  missing_after = sum_of(k_missing_after, 1'b0);

    // tail: skipped against the gaps since, then the covered count
    reg          c1, c1_line, c1_covers;
    reg [63:0]   c1_skipped, c1_gaps;
    reg          c2, c2_line;
    reg [7:0]    c2_pcs;
    reg [135:0]  c2_covered;
    reg          c2_covers;
    reg          c3, c3_line;
    reg [63:0]   c3_covered;
    reg          c4, c4_line;
    reg [135:0]  c4_sum;
    // each late count plus one, ready a cycle ahead (records are five cycles apart): no adder behind the test
    reg  [31:0]  late_a_next, late_b_next;

    integer i;
    always @(posedge clk) begin
        late_a_next <= late_duplicates_a + 32'd1;
        late_b_next <= late_duplicates_b + 32'd1;
        s1 <= take;
        if (take) begin
            {r_line, r_known, r_slot, r_seq, r_count, r_next} <= q_word;
            busy <= 1'b1;
        end
        s2 <= s1;
        if (s1) begin
            m_missing <= r_known ? t_missing[r_slot] : 64'd0;
            m_seen_valid <= r_known && t_seen_valid[r_at];
            m_seen <= t_seen[r_at];
            m_missing_at_seen <= t_missing_at_seen[r_at];
            m_sum <= sums(r_seq, {48'd0, r_count});
            m_seq_next_pcs <= pieces(r_seq, r_next);
            m_seq_minus_next <= sums(r_seq, ~r_next);
        end
        s3 <= s2;
        if (s2) begin
            g_gap <= above(m_seq_next_pcs) ? sum_of(m_seq_minus_next, 1'b1) : 64'd0;
            g_covered_to <= below(m_seq_next_pcs) ? r_seq : r_next;
            g_gaps_since <= sums(m_missing, ~m_missing_at_seen);
            g_sum <= end_sum[63:0];
            g_end <= r_messages ? end_sum[63:0] : r_seq;
            g_late_possible <= r_messages && !end_sum[64];
        end
        s4 <= s3;
        if (s3) begin
            k_missing_after <= sums(m_missing, g_gap);
            k_gaps_since <= sum_of(g_gaps_since, 1'b1);
            k_skipped <= sums(g_covered_to, ~m_seen);
            k_covered_seen_pcs <= pieces(g_covered_to, m_seen);
            k_end_seen_pcs <= pieces(g_end, m_seen);
            k_sum_next_pcs <= pieces(g_sum, r_next);
        end
        // stage 5: the table written, the late count; the covered count goes on in the tail
        c1 <= s4;
        if (s4) begin
            t_missing[r_slot] <= missing_after;
            t_missing_at_seen[r_at] <= missing_after;
            if (!m_seen_valid || above(k_end_seen_pcs)) t_seen[r_at] <= g_end;
            for (i = 0; i < 2 * SLOTS; i = i + 1) begin     // (constant indices: no index arithmetic)
                if (r_at == i[SW:0]) t_seen_valid[i] <= 1'b1;
                if (!r_known && {r_slot, !r_line} == i[SW:0]) t_seen_valid[i] <= 1'b0;
            end
            if (g_late_possible && !above(k_sum_next_pcs)) begin   // number + count <= next: nothing new
                if (r_line) late_duplicates_b <= late_b_next;
                else late_duplicates_a <= late_a_next;
            end
            c1_line <= r_line;
            c1_covers <= m_seen_valid && above(k_covered_seen_pcs);
            c1_skipped <= sum_of(k_skipped, 1'b1);
            c1_gaps <= k_gaps_since;
            busy <= 1'b0;
        end
        c2 <= c1;
        c2_line <= c1_line;
        c2_covers <= c1_covers;
        c2_pcs <= pieces(c1_skipped, c1_gaps);
        c2_covered <= sums(c1_skipped, ~c1_gaps);
        c3 <= c2 && c2_covers && above(c2_pcs);
        c3_line <= c2_line;
        c3_covered <= sum_of(c2_covered, 1'b1);
        // records are five cycles apart at least: the counter summed here is not being written
        c4 <= c3;
        c4_line <= c3_line;
        c4_sum <= sums(c3_line ? covered_b : covered_a, c3_covered);
        if (c4) begin
            if (c4_line) covered_b <= sum_of(c4_sum, 1'b0);
            else covered_a <= sum_of(c4_sum, 1'b0);
        end
        if (rst) begin
            busy <= 1'b0;
            s1 <= 1'b0;
            s2 <= 1'b0;
            s3 <= 1'b0;
            s4 <= 1'b0;
            c1 <= 1'b0;
            c2 <= 1'b0;
            c3 <= 1'b0;
            c4 <= 1'b0;
            for (i = 0; i < 2 * SLOTS; i = i + 1) t_seen_valid[i] <= 1'b0;
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
