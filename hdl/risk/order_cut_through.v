// Cut-through order egress: sends a message's bytes from the order ring as they arrive, instead of after its
// verdict. Only the frame's last beat waits: for the frame record (a message that passes) or for the decision
// (an order). A frame that must not count (a rejected order, a span that turned out malformed) ends at once
// with tuser set on its last beat, and the rest of its bytes are never sent: the consumer (a MAC) drops or
// poisons such a frame. One whose fate is known before any of its bytes left is not sent at all. Frames are
// one message each, packed from lane 0, in stream order.
//
// Which bytes belong to the message being sent: a span starts where the last one ended, so a slot is opened
// there speculatively and sends up to SPEC_BYTES before the parser has seen anything (every well-formed
// message is longer: 8=FIX, 9, 35 and 10 alone take 22 bytes). The parser's first field confirms the
// start (or shows the slot was a garbled span: it is dropped); its BodyLength gives the end, so the rest
// follows the ring's writer. A frame never sends its last byte before it is framed, so what it sends is
// its own message or is dropped.
`default_nettype none
module order_cut_through #(
    parameter integer DEPTH = 8,            // slots (messages open or waiting to be sent); a power of two
    parameter integer SPEC_BYTES = 16       // bytes a speculative slot may send before its message is confirmed
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        mode,                // cut-through in use (the gate switches only while idle)
    output wire        idle,                // nothing in flight (at most an untouched speculative slot), no beat waiting

    input  wire [15:0] wr_ptr,              // global address of the next byte the ring will be written with
    input  wire        seed,                // every byte in the ring is framed: a span starts at wr_ptr
    input  wire        open,                // the first field of a message was reported
    input  wire [15:0] open_addr,           // global byte address of its first byte
    input  wire        known,               // a later field of the open message was reported
    input  wire [15:0] known_end,           // bytes before this address belong to the open message
    input  wire        close,               // a span was framed (or the stream ended inside a message)
    input  wire        close_next,          // a span starts at close_end
    input  wire [15:0] close_start,
    input  wire [15:0] close_end,
    input  wire        close_final,         // its fate is known now (otherwise at a decision)
    input  wire        close_abort,
    output wire [$clog2(DEPTH)-1:0] close_slot,
    input  wire        decide,              // an order's fate
    input  wire [$clog2(DEPTH)-1:0] decide_slot,
    input  wire        decide_abort,
    output wire        fault,               // no free slot for a message, or a passing span shorter than sent

    output wire [$clog2(DEPTH):0] waiting,  // slots in use
    output wire [15:0] head_addr,           // oldest byte still to send (while waiting != 0)

    output wire        rd_en,
    output wire [15:0] rd_addr,
    input  wire [63:0] rd_data,

    output wire [63:0] m_tdata,
    output wire [7:0]  m_tkeep,
    output wire        m_tvalid,
    input  wire        m_tready,
    output wire        m_tlast,
    output wire        m_tuser              // on the last beat: drop this frame
);
    localparam integer AW = $clog2(DEPTH);
    localparam [15:0] SPEC_END = SPEC_BYTES[15:0] + 16'd1;   // the strict "more than a beat left" rule keeps one back

    reg [15:0] start_q [0:DEPTH-1];
    reg [15:0] end_q [0:DEPTH-1];
    reg        closed_q [0:DEPTH-1];
    reg        final_q [0:DEPTH-1];
    reg        abort_q [0:DEPTH-1];
    reg [AW:0] wr_q, rd_q;
    reg        open_q;                      // the newest slot is not framed yet
    reg        spec_q;                      // ... nor confirmed by a reported field
    reg [15:0] known_q;                     // bytes before this belong to the newest slot, while open
    reg        started_q;                   // the head slot has sent a beat
    reg [15:0] cur_q;

    reg        out_valid_q;
    reg [3:0]  out_bytes_q;
    reg        out_last_q, out_abort_q;
    reg        staged_q;                    // the head order's last beat is read and waits for its decision

    wire [AW-1:0] head = rd_q[AW-1:0];
    wire [AW-1:0] newest = wr_q[AW-1:0] - 1'b1;
    wire       any = wr_q != rd_q;

    // ---- sending the head slot ---------------------------------------------------------------------------
    wire [15:0] cur = started_q ? cur_q : start_q[head];
    wire        h_closed = closed_q[head];
    wire [15:0] h_end = h_closed ? end_q[head] : known_q;      // an open head is the newest slot
    wire [15:0] remain = h_end - cur;
    wire [15:0] avail = wr_ptr - cur;
    wire        remain_bad = remain == 16'd0 || remain[15];    // a span shorter than what was sent
    wire        decided_now = decide && decide_slot == head;
    wire        h_final = final_q[head] || decided_now;
    wire        h_abort = final_q[head] ? abort_q[head] : decide_abort;
    wire        out_free = !out_valid_q || m_tready;

    wire        doomed = any && h_closed && h_final && (h_abort || remain_bad);
    wire        drop = mode && doomed && !started_q;       // nothing of it left yet: it never does
    wire        send_abort = doomed && started_q;
    wire        send_full = any && !doomed && !remain_bad && remain > 16'd8 && avail >= 16'd8 && !avail[15];
    wire        send_end = any && h_closed && h_final && !doomed && remain <= 16'd8;
    wire        issue = mode && !staged_q && out_free && (send_abort || send_full || send_end);
    // an order's last beat is read ahead and leaves in its decision cycle (tvalid follows the decision)
    wire        stage = mode && !staged_q && out_free && any && started_q && h_closed && !h_final && !remain_bad &&
                        remain <= 16'd8;
    wire        staged_go = staged_q && decided_now;
    wire        issue_last = send_abort || send_end;
    // an aborted frame's last beat: what is left of it and written, up to a beat (a null beat when nothing is)
    wire [15:0] abort_span = !remain_bad && remain < avail ? remain : avail;
    wire [3:0]  abort_bytes = abort_span[15] ? 4'd0 : abort_span > 16'd8 ? 4'd8 : abort_span[3:0];
    wire [3:0]  issue_bytes = send_full ? 4'd8 : send_abort ? abort_bytes : remain[3:0];

    // ---- the newest slot: opened, confirmed, framed --------------------------------------------------------
    wire        confirm = open && open_q && spec_q && start_q[newest] == open_addr;
    wire        open_new = open && !confirm;
    // a slot still open when a message starts elsewhere was a garbled span (or a lost frame): dropped
    wire        open_kills = open_new && open_q;
    wire        close_mismatch = close_start != start_q[newest] || spec_q;
    wire        close_now = close && open_q;
    wire        spec_after_close = close && close_next && mode;
    wire        spec_seed = seed && mode && !open_q && !open && !close;
    wire        alloc = open_new || spec_after_close || spec_seed;
    wire [15:0] alloc_addr = open_new ? open_addr : spec_after_close ? close_end : wr_ptr;
    wire [AW:0] used_after = wr_q - rd_q - {{AW{1'b0}}, drop || (issue && issue_last)};
    wire        alloc_ok = alloc && used_after != DEPTH[AW:0];
    wire [AW-1:0] alloc_slot = wr_q[AW-1:0];
    // an open slot framed by a frame that is not its own span ends where its known bytes end
    wire [15:0] cut_end = known_q == start_q[newest] ? known_q + 16'd1 : known_q;

    wire [15:0] known_base = open_new ? open_addr : known_q;
    wire [15:0] known_ahead = known_end - known_base;
    wire [15:0] known_next = known && known_ahead != 16'd0 && !known_ahead[15] ? known_end : known_base;

    assign close_slot = newest;
    assign fault = (open_new && !alloc_ok) || (any && h_closed && h_final && !h_abort && remain_bad && !staged_q);
    // a beat still waiting at the output (a frame's last, under back-pressure) is in flight too: the gate
    // must not switch egress before it has left, or that frame would never end
    assign idle = !out_valid_q && !staged_q && (!any || (wr_q - rd_q == {{AW{1'b0}}, 1'b1} && open_q && spec_q && !started_q));
    assign waiting = wr_q - rd_q;
    assign head_addr = cur;
    assign rd_en = issue || stage;
    assign rd_addr = cur;
    assign m_tdata = rd_data;
    assign m_tkeep = out_bytes_q == 4'd8 ? 8'hFF : (8'd1 << out_bytes_q[2:0]) - 8'd1;
    assign m_tvalid = out_valid_q || staged_go;
    assign m_tlast = out_last_q;
    assign m_tuser = out_valid_q ? out_abort_q : decide_abort;

    always @(posedge clk) begin
        if (close_now) begin
            closed_q[newest] <= 1'b1;
            end_q[newest] <= close_mismatch ? cut_end : close_end;
            final_q[newest] <= close_final || close_mismatch;
            abort_q[newest] <= close_abort || close_mismatch;
        end
        if (open_kills) begin
            closed_q[newest] <= 1'b1;
            end_q[newest] <= cut_end;
            final_q[newest] <= 1'b1;
            abort_q[newest] <= 1'b1;
        end
        if (decide && !final_q[decide_slot]) begin
            final_q[decide_slot] <= 1'b1;
            abort_q[decide_slot] <= decide_abort;
        end
        if (alloc_ok) begin
            start_q[alloc_slot] <= alloc_addr;
            closed_q[alloc_slot] <= 1'b0;
            final_q[alloc_slot] <= 1'b0;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            wr_q <= {AW+1{1'b0}};
            rd_q <= {AW+1{1'b0}};
            open_q <= 1'b0;
            spec_q <= 1'b0;
            known_q <= 16'd0;
            started_q <= 1'b0;
            cur_q <= 16'd0;
            out_valid_q <= 1'b0;
            out_bytes_q <= 4'd0;
            out_last_q <= 1'b0;
            out_abort_q <= 1'b0;
            staged_q <= 1'b0;
        end else begin
            if (close_now || open_kills) open_q <= 1'b0;
            if (confirm) spec_q <= 1'b0;
            known_q <= known_next;
            if (alloc_ok) begin
                wr_q <= wr_q + 1'b1;
                open_q <= 1'b1;
                spec_q <= !open_new;
                if (!open_new) known_q <= alloc_addr + SPEC_END;
            end
            // leaving cut-through: the untouched speculative slot goes
            if (!mode && open_q && spec_q && !started_q && wr_q - rd_q == {{AW{1'b0}}, 1'b1}) begin
                wr_q <= rd_q;
                open_q <= 1'b0;
                spec_q <= 1'b0;
            end
            if (issue) begin
                out_valid_q <= 1'b1;
                out_bytes_q <= issue_bytes;
                out_last_q <= issue_last;
                out_abort_q <= send_abort;
                cur_q <= cur + 16'd8;
                started_q <= !issue_last;
                if (issue_last) rd_q <= rd_q + 1'b1;
            end else if (stage) begin
                out_valid_q <= 1'b0;
                out_bytes_q <= remain[3:0];
                out_last_q <= 1'b1;
                staged_q <= 1'b1;
            end else if (staged_go) begin
                staged_q <= 1'b0;
                out_valid_q <= !m_tready;           // not taken now: held like any beat
                out_abort_q <= decide_abort;
                started_q <= 1'b0;
                rd_q <= rd_q + 1'b1;
            end else begin
                if (m_tready) out_valid_q <= 1'b0;
                if (drop) rd_q <= rd_q + 1'b1;
            end
        end
    end

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSERT(m_tvalid, m_tready, {m_tdata, m_tkeep, m_tlast, m_tuser})
    // the ring port holds its output while not read and a beat waits at the output
    always @(posedge clk) if (f_past_valid && $past(out_valid_q || staged_q) && !$past(rd_en)) assume(rd_data == $past(rd_data));
    always @* if (f_past_valid) assert(wr_q - rd_q <= DEPTH[AW:0]);
    // A frame's last beat leaves only once its fate is known, and carries tuser when that fate is "drop"
    // (a rejected order, a span that is not its message): a rejected order is never completed.
    always @* if (f_past_valid && issue && issue_last) begin
        assert(h_closed && h_final);
        if (h_abort) assert(send_abort);
    end
    always @* if (f_past_valid && stage) assert(!h_final);
    always @* if (f_past_valid && m_tvalid && !out_valid_q) assert(staged_go && m_tlast && m_tuser == decide_abort);
    // once its fate is "drop", a frame that has started sends nothing more than its last beat
    always @* if (f_past_valid && issue && started_q && h_closed && h_final && h_abort) assert(issue_last && send_abort);
    // a frame whose fate is "drop" before any of its bytes left never starts
    always @* if (f_past_valid && mode && any && !started_q && h_closed && h_final && h_abort && !staged_q) assert(!issue || drop);
`endif
endmodule
`default_nettype wire
