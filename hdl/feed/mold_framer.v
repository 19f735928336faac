// MoldUDP64 framer: UDP payloads in on an 8-byte AXI-Stream (one packet per frame, tkeep contiguous from
// lane 0, tlast on the packet's last beat), events out, one per cycle at most:
//   header  : the packet's Session, Sequence Number and Message Count (heartbeats and end of session too)
//   message : one message (its number, length and first MAX_MSG bytes)
//   error   : short_packet (tlast inside the 20-byte header), truncated_packet (tlast inside a length or a
//             message), trailing_bytes (bytes after the last message) — the rules of src/itch/ref-decoder.ts.
// The lanes of a beat are walked in order in one combinational pass; a lane that would make a second event
// in the same cycle holds the beat (tready low) and the walk resumes there the next cycle.
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
    output reg  [15:0]            ev_count,     // header: Message Count; trailing_bytes: bytes left over
    output reg  [15:0]            ev_length,    // message: its length
    output reg  [8*MAX_MSG-1:0]   ev_data       // message: byte k at [8k +: 8]
);
    localparam [1:0] EV_HEADER = 2'd0, EV_MESSAGE = 2'd1, EV_ERROR = 2'd2;
    localparam [1:0] ERR_SHORT = 2'd1, ERR_TRUNCATED = 2'd2, ERR_TRAILING = 2'd3;
    localparam [2:0] ST_HDR = 3'd0, ST_LEN_HI = 3'd1, ST_LEN_LO = 3'd2, ST_BODY = 3'd3, ST_TRAIL = 3'd4;

    // walk state, between beats
    (* fsm_encoding = "none" *) reg [2:0]  st_q;
    reg [4:0]            hdr_idx_q;           // header bytes taken
    reg [79:0]           session_q;
    reg [63:0]           seq_q;               // number of the next message of this packet
    reg [15:0]           left_q;              // messages still to come in this packet
    reg [7:0]            len_hi_q;
    reg [15:0]           len_q;               // length of the message being read
    reg [15:0]           rem_q;               // its bytes still to come
    reg [15:0]           trail_q;             // bytes after the last message
    reg [8*MAX_MSG-1:0]  buf_q;
    reg [3:0]            ptr_q;               // first lane still to walk in the held beat (8: only the end)

    // the walk of this cycle
    reg [2:0]            st;
    reg [4:0]            hdr_idx;
    reg [79:0]           session;
    reg [63:0]           seq;
    reg [15:0]           left;
    reg [7:0]            len_hi;
    reg [15:0]           len;
    reg [15:0]           rem;
    reg [15:0]           trail;
    reg [8*MAX_MSG-1:0]  bufv;
    reg                  event_used;
    reg                  hold;
    reg [3:0]            ptr_next;
    reg                  e_valid;
    reg [1:0]            e_kind, e_error;
    reg [79:0]           e_session;
    reg [63:0]           e_seq;
    reg [15:0]           e_count, e_length;
    reg [8*MAX_MSG-1:0]  e_data;
    reg [7:0]            b;
    reg                  makes_event;
    reg [15:0]           at;                  // index of this body byte in its message
    integer              l;

    wire out_free = !ev_valid || ev_ready;
    wire walk = s_tvalid && out_free;
    assign s_tready = walk && !hold;

    always @* begin
        st = st_q; hdr_idx = hdr_idx_q; session = session_q; seq = seq_q; left = left_q; len_hi = len_hi_q;
        len = len_q; rem = rem_q; trail = trail_q; bufv = buf_q;
        event_used = 1'b0; hold = 1'b0; ptr_next = 4'd0;
        e_valid = 1'b0; e_kind = EV_HEADER; e_error = 2'd0; e_session = session_q; e_seq = seq_q;
        e_count = 16'd0; e_length = 16'd0; e_data = buf_q;
        b = 8'd0; makes_event = 1'b0; at = 16'd0;
        for (l = 0; l < 8; l = l + 1) begin
            if (walk && !hold && l >= ptr_q && s_tkeep[l]) begin
                b = s_tdata[8*l +: 8];
                makes_event = (st == ST_HDR && hdr_idx == 5'd19)
                           || (st == ST_LEN_LO && {len_hi, b} == 16'd0)
                           || (st == ST_BODY && rem == 16'd1);
                if (makes_event && event_used) begin
                    hold = 1'b1;
                    ptr_next = l[3:0];
                end else begin
                    case (st)
                        ST_HDR: begin
                            if (hdr_idx < 5'd10) session = {session[71:0], b};
                            else if (hdr_idx < 5'd18) seq = {seq[55:0], b};
                            else if (hdr_idx == 5'd18) left = {8'd0, b};
                            else left = {left[7:0], b};
                            hdr_idx = hdr_idx + 5'd1;
                            if (hdr_idx == 5'd20) begin
                                e_valid = 1'b1; e_kind = EV_HEADER; e_session = session; e_seq = seq; e_count = left;
                                event_used = 1'b1;
                                st = (left == 16'd0 || left == 16'hFFFF) ? ST_TRAIL : ST_LEN_HI;
                                if (left == 16'hFFFF) left = 16'd0;
                            end
                        end
                        ST_LEN_HI: begin len_hi = b; st = ST_LEN_LO; end
                        ST_LEN_LO: begin
                            len = {len_hi, b};
                            rem = len;
                            bufv = {8*MAX_MSG{1'b0}};
                            if (len == 16'd0) begin
                                e_valid = 1'b1; e_kind = EV_MESSAGE; e_session = session; e_seq = seq; e_length = 16'd0; e_data = bufv;
                                event_used = 1'b1;
                                seq = seq + 64'd1; left = left - 16'd1;
                                st = (left == 16'd0) ? ST_TRAIL : ST_LEN_HI;
                            end else begin
                                st = ST_BODY;
                            end
                        end
                        ST_BODY: begin
                            at = len - rem;
                            if ({16'd0, at} < MAX_MSG) bufv[8*at +: 8] = b;
                            rem = rem - 16'd1;
                            if (rem == 16'd0) begin
                                e_valid = 1'b1; e_kind = EV_MESSAGE; e_session = session; e_seq = seq; e_length = len; e_data = bufv;
                                event_used = 1'b1;
                                seq = seq + 64'd1; left = left - 16'd1;
                                st = (left == 16'd0) ? ST_TRAIL : ST_LEN_HI;
                            end
                        end
                        default: trail = trail + 16'd1;
                    endcase
                end
            end
        end
        // The end of the packet: its error, if any, is one more event.
        if (walk && !hold && s_tlast) begin
            if (st == ST_HDR || st == ST_LEN_HI || st == ST_LEN_LO || st == ST_BODY || trail != 16'd0) begin
                if (event_used) begin
                    hold = 1'b1;
                    ptr_next = 4'd8;
                end else begin
                    e_valid = 1'b1; e_kind = EV_ERROR; e_session = session; e_seq = seq; e_count = trail;
                    e_error = (st == ST_HDR) ? ERR_SHORT : (st == ST_TRAIL) ? ERR_TRAILING : ERR_TRUNCATED;
                end
            end
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            st_q <= ST_HDR; hdr_idx_q <= 5'd0; session_q <= 80'd0; seq_q <= 64'd0; left_q <= 16'd0; len_hi_q <= 8'd0;
            len_q <= 16'd0; rem_q <= 16'd0; trail_q <= 16'd0; buf_q <= {8*MAX_MSG{1'b0}}; ptr_q <= 4'd0;
            ev_valid <= 1'b0;
        end else begin
            if (ev_valid && ev_ready) ev_valid <= 1'b0;
            if (walk) begin
                if (e_valid) begin
                    ev_valid <= 1'b1; ev_kind <= e_kind; ev_error <= e_error; ev_session <= e_session; ev_seq <= e_seq;
                    ev_count <= e_count; ev_length <= e_length; ev_data <= e_data;
                end
                if (hold) begin
                    ptr_q <= ptr_next;
                    st_q <= st; hdr_idx_q <= hdr_idx; session_q <= session; seq_q <= seq; left_q <= left; len_hi_q <= len_hi;
                    len_q <= len; rem_q <= rem; trail_q <= trail; buf_q <= bufv;
                end else if (s_tlast) begin
                    // next packet
                    ptr_q <= 4'd0; st_q <= ST_HDR; hdr_idx_q <= 5'd0; left_q <= 16'd0; trail_q <= 16'd0; rem_q <= 16'd0;
                    session_q <= 80'd0; seq_q <= 64'd0;
                end else begin
                    ptr_q <= 4'd0;
                    st_q <= st; hdr_idx_q <= hdr_idx; session_q <= session; seq_q <= seq; left_q <= left; len_hi_q <= len_hi;
                    len_q <= len; rem_q <= rem; trail_q <= trail; buf_q <= bufv;
                end
            end
        end
    end
endmodule

`default_nettype wire
