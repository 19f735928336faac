// MoldUDP64 framer: UDP payloads in on an 8-byte AXI-Stream (one packet per frame, tkeep contiguous from
// lane 0, tlast on the packet's last beat), events out, one per cycle at most:
//   header  : the packet's Session, Sequence Number and Message Count (heartbeats and end of session too)
//   message : one message (its number, length and first MAX_MSG bytes)
//   error   : short_packet (tlast inside the 20-byte header), truncated_packet (tlast inside a length or a
//             message), trailing_bytes (bytes after the last message) — the rules of src/itch/ref-decoder.ts.
// A beat is taken in runs, not byte by byte: the run of the current state (header, body or trailing bytes,
// or one length byte), then up to two length bytes, then the run of the next body. A run that would make a
// second event in the cycle, or anything after those four steps, holds the beat (tready low) and the walk
// resumes at that lane the next cycle. Realistic traffic (at most one message end per beat) never holds.
`default_nettype none

module mold_framer #(
    parameter integer MAX_MSG = 64
) (
    input  wire                   clk,
    input  wire                   rst,

    input  wire [63:0]            s_tdata,
    input  wire [7:0]             s_tkeep,
    input  wire                   s_tvalid,
    output wire                   s_tready,
    input  wire                   s_tlast,

    output reg                    ev_valid,
    input  wire                   ev_ready,
    output reg  [1:0]             ev_kind,      // EV_HEADER, EV_MESSAGE, EV_ERROR
    output reg  [1:0]             ev_error,     // ERR_* for EV_ERROR
    output reg  [79:0]            ev_session,
    output reg  [63:0]            ev_seq,       // header: the packet's number; message: the message's
    output reg  [15:0]            ev_count,     // header: Message Count; short_packet: the packet's bytes;
                                                // trailing_bytes: bytes left over
    output reg  [15:0]            ev_length,    // message: its length
    output reg  [8*MAX_MSG-1:0]   ev_data       // message: byte k at [8k +: 8]
);
    localparam [1:0] EV_HEADER = 2'd0, EV_MESSAGE = 2'd1, EV_ERROR = 2'd2;
    localparam [1:0] ERR_SHORT = 2'd1, ERR_TRUNCATED = 2'd2, ERR_TRAILING = 2'd3;
    localparam [2:0] ST_HDR = 3'd0, ST_LEN_HI = 3'd1, ST_LEN_LO = 3'd2, ST_BODY = 3'd3, ST_TRAIL = 3'd4;

    // between cycles
    (* fsm_encoding = "none" *) reg [2:0] st_q;
    reg [4:0]            hdr_idx_q;           // header bytes taken
    reg [159:0]          hdr_q;               // header byte j at [8j +: 8]
    reg [15:0]           left_q;              // messages still to come in this packet
    reg [63:0]           seq_q;               // number of the next message of this packet
    reg [7:0]            len_hi_q;
    reg [15:0]           len_q;               // length of the message being read
    reg [15:0]           rem_q;               // its bytes still to come
    reg [6:0]            fill_q;              // its bytes in the buffer (at most MAX_MSG)
    reg [15:0]           trail_q;             // bytes after the last message
    reg [8*MAX_MSG-1:0]  buf_q;
    reg [3:0]            ptr_q;               // first lane still to take in the held beat (8: only the end)

    // this cycle
    reg [2:0]            st;
    reg [4:0]            hdr_idx;
    reg [159:0]          hdr;
    reg [15:0]           left;
    reg [63:0]           seq;
    reg [7:0]            len_hi;
    reg [15:0]           len, rem, trail;
    reg [6:0]            fill;
    reg [8*MAX_MSG-1:0]  bufv;
    reg [3:0]            p;                   // next lane
    reg [3:0]            nlanes;              // lanes in the beat
    reg                  stop, event_used;
    reg                  e_valid;
    reg [1:0]            e_kind, e_error;
    reg [79:0]           e_session;
    reg [63:0]           e_seq;
    reg [15:0]           e_count, e_length;
    reg [8*MAX_MSG-1:0]  e_data;
    reg [3:0]            avail, k;
    reg [4:0]            need;
    reg [15:0]           new_len;
    integer              j, q;

    wire out_free = !ev_valid || ev_ready;
    wire walk = s_tvalid && out_free;
    assign s_tready = walk && !stop;

    function automatic [7:0] lane(input [63:0] d, input [3:0] n);
        reg unused;
        begin
            unused = n[3];
            lane = d[8*n[2:0] +: 8];
        end
    endfunction

    function automatic [3:0] lanes_of(input [7:0] keep);
        integer i;
        begin
            lanes_of = 4'd0;
            for (i = 0; i < 8; i = i + 1) if (keep[i]) lanes_of = lanes_of + 4'd1;
        end
    endfunction

    // Session (header bytes 0..9, first byte highest), as far as it has arrived.
    function automatic [79:0] session_of(input [159:0] h);
        integer i;
        begin
            for (i = 0; i < 10; i = i + 1) session_of[8*(9 - i) +: 8] = h[8*i +: 8];
        end
    endfunction

    function automatic [3:0] lanes_left(input [3:0] from, input [3:0] count);
        lanes_left = (from < count) ? count - from : 4'd0;
    endfunction

    // The message being read is complete (len holds its length, bufv its bytes): its event, and on to
    // the next message or the trailing bytes.
    task automatic message_done;
        begin
            e_valid = 1'b1; e_kind = EV_MESSAGE; e_seq = seq; e_length = len; e_data = bufv;
            event_used = 1'b1;
            seq = seq + 64'd1; left = left - 16'd1;
            st = (left == 16'd0) ? ST_TRAIL : ST_LEN_HI;
        end
    endtask

    // The runs: each takes lanes from p in one state. Several per cycle (see the always block).
    task automatic run_hdr;
        begin
            avail = lanes_left(p, nlanes);
            if (!stop && avail != 4'd0) begin
                need = 5'd20 - hdr_idx;
                k = ({1'b0, avail} < need) ? avail : need[3:0];
                if ({1'b0, k} == need && event_used) stop = 1'b1;
                else begin
                    for (j = 0; j < 20; j = j + 1)
                        if (j[4:0] >= hdr_idx && {1'b0, j[4:0]} < {1'b0, hdr_idx} + {2'b0, k}) hdr[8*j +: 8] = lane(s_tdata, p + j[3:0] - hdr_idx[3:0]);
                    hdr_idx = hdr_idx + {1'b0, k};
                    p = p + k;
                    if (hdr_idx == 5'd20) begin
                        left = {hdr[8*18 +: 8], hdr[8*19 +: 8]};
                        seq = {hdr[8*10 +: 8], hdr[8*11 +: 8], hdr[8*12 +: 8], hdr[8*13 +: 8],
                               hdr[8*14 +: 8], hdr[8*15 +: 8], hdr[8*16 +: 8], hdr[8*17 +: 8]};
                        e_valid = 1'b1; e_kind = EV_HEADER; e_seq = seq; e_count = left;
                        e_session = session_of(hdr);
                        event_used = 1'b1;
                        st = (left == 16'd0 || left == 16'hFFFF) ? ST_TRAIL : ST_LEN_HI;
                        if (left == 16'hFFFF) left = 16'd0;
                    end
            end
            end
        end
    endtask

    task automatic run_len_hi;
        begin
            avail = lanes_left(p, nlanes);
            if (!stop && avail != 4'd0) begin
                len_hi = lane(s_tdata, p);
                p = p + 4'd1;
                st = ST_LEN_LO;
            end
        end
    endtask

    task automatic run_len_lo;
        begin
            avail = lanes_left(p, nlanes);
            if (!stop && avail != 4'd0) begin
                new_len = {len_hi, lane(s_tdata, p)};
                if (new_len == 16'd0 && event_used) stop = 1'b1;
                else begin
                    len = new_len;
                    rem = new_len;
                    fill = 7'd0;
                    bufv = {8*MAX_MSG{1'b0}};
                    p = p + 4'd1;
                    if (new_len == 16'd0) begin
                        message_done;
                    end else begin
                        st = ST_BODY;
                    end
            end
            end
        end
    endtask

    // A body run. The first run of a message in a cycle that also read its length (`fresh`) always starts
    // an empty buffer, so it writes 8 fixed positions instead of 64 at an offset; the flag is a constant at
    // each call, so each copy keeps only its own write.
    task automatic run_body(input fresh);
        begin
            avail = lanes_left(p, nlanes);
            if (!stop && avail != 4'd0) begin
                    k = ({12'd0, avail} < rem) ? avail : rem[3:0];
                    if ({12'd0, k} == rem && event_used) stop = 1'b1;
                    else begin
                        if (fresh) begin
                            for (q = 0; q < 8; q = q + 1)
                                if (q[3:0] < k) bufv[8*q +: 8] = lane(s_tdata, p + q[3:0]);
                        end else begin
                            // position q takes lane p + q - fill
                            for (q = 0; q < MAX_MSG; q = q + 1)
                                if (q[7:0] >= {1'b0, fill} && q[7:0] < {1'b0, fill} + {4'd0, k}) bufv[8*q +: 8] = lane(s_tdata, p + q[3:0] - fill[3:0]);
                        end
                        fill = ({1'b0, fill} + {4'd0, k} > MAX_MSG[7:0]) ? MAX_MSG[6:0] : fill + {3'd0, k};
                        rem = rem - {12'd0, k};
                        p = p + k;
                        if (rem == 16'd0) message_done;
                    end
            end
        end
    endtask

    task automatic run_trail;
        begin
            avail = lanes_left(p, nlanes);
            if (!stop && avail != 4'd0) begin
                trail = trail + {12'd0, avail};
                p = nlanes;
            end
        end
    endtask

    always @* begin
        st = st_q; hdr_idx = hdr_idx_q; hdr = hdr_q; left = left_q; seq = seq_q; len_hi = len_hi_q; len = len_q;
        rem = rem_q; fill = fill_q; trail = trail_q; bufv = buf_q;
        p = ptr_q; nlanes = lanes_of(s_tkeep);
        stop = 1'b0; event_used = 1'b0;
        e_valid = 1'b0; e_kind = EV_HEADER; e_error = 2'd0; e_count = 16'd0; e_length = 16'd0; e_data = buf_q;
        e_session = session_of(hdr_q);
        e_seq = seq_q;
        avail = 4'd0; k = 4'd0; need = 5'd0; new_len = 16'd0;
        if (walk) begin
            // 1: the run of the current state
            case (st)
                ST_HDR:    run_hdr;
                ST_LEN_HI: run_len_hi;
                ST_LEN_LO: run_len_lo;
                ST_BODY:   run_body(1'b0);
                default:   run_trail;
            endcase
            // 2, 3: the length bytes of the next message (or trailing bytes)
            if (st == ST_LEN_HI) run_len_hi;
            if (st == ST_LEN_LO) run_len_lo;
            // 4: the next message's body (or trailing bytes)
            if (st == ST_BODY && fill == 7'd0) run_body(1'b1);
            if (st == ST_TRAIL) run_trail;
            if (!stop && p < nlanes) stop = 1'b1;         // more than this cycle takes: go on next cycle
            // The end of the packet: its error, if any, is one more event.
            if (!stop && s_tlast && (st != ST_TRAIL || trail != 16'd0)) begin
                if (event_used) stop = 1'b1;
                else begin
                    e_valid = 1'b1; e_kind = EV_ERROR; e_seq = seq; e_count = (st == ST_HDR) ? {11'd0, hdr_idx} : trail;
                    e_session = session_of(hdr);
                    e_error = (st == ST_HDR) ? ERR_SHORT : (st == ST_TRAIL) ? ERR_TRAILING : ERR_TRUNCATED;
                end
            end
            if (stop && p >= nlanes) p = 4'd8;            // only the end of the packet is left
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            st_q <= ST_HDR; hdr_idx_q <= 5'd0; hdr_q <= 160'd0; left_q <= 16'd0; seq_q <= 64'd0; len_hi_q <= 8'd0;
            len_q <= 16'd0; rem_q <= 16'd0; fill_q <= 7'd0; trail_q <= 16'd0; buf_q <= {8*MAX_MSG{1'b0}}; ptr_q <= 4'd0;
            ev_valid <= 1'b0;
        end else begin
            if (ev_valid && ev_ready) ev_valid <= 1'b0;
            if (walk) begin
                if (e_valid) begin
                    ev_valid <= 1'b1; ev_kind <= e_kind; ev_error <= e_error; ev_session <= e_session; ev_seq <= e_seq;
                    ev_count <= e_count; ev_length <= e_length; ev_data <= e_data;
                end
                if (!stop && s_tlast) begin               // next packet
                    ptr_q <= 4'd0; st_q <= ST_HDR; hdr_idx_q <= 5'd0; hdr_q <= 160'd0; left_q <= 16'd0; seq_q <= 64'd0;
                    trail_q <= 16'd0; rem_q <= 16'd0;
                end else begin
                    ptr_q <= stop ? p : 4'd0;
                    st_q <= st; hdr_idx_q <= hdr_idx; hdr_q <= hdr; left_q <= left; seq_q <= seq; len_hi_q <= len_hi;
                    len_q <= len; rem_q <= rem; fill_q <= fill; trail_q <= trail; buf_q <= bufv;
                end
            end
        end
    end

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSUME(s_tvalid, s_tready, {s_tdata, s_tkeep, s_tlast})
    `TG_AXIS_SOURCE_ASSERT(ev_valid, ev_ready, {ev_kind, ev_error, ev_session, ev_seq, ev_count, ev_length, ev_data})
`endif
endmodule

`default_nettype wire
