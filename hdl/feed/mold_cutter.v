// MoldUDP64 cutter, the first stage of the framer (hdl/feed/mold_framer.v): finds, in each 8-byte beat of a
// UDP payload, where the 20-byte header, the length prefixes and the message bodies lie, and hands the
// assembler (hdl/feed/mold_assembler.v) one registered pass per beat: the header lanes, the bytes of the
// current message already rotated to their place in the message buffer, the head of the message that starts
// in the beat, which event the pass makes, and the packet's error at its end.
//
// The only state carried from beat to beat is where the next cut lies (the end of the message being read,
// or the next length prefix), so the loop that must close in one cycle is: a registered lane number, the two
// length bytes at that lane, the length tested against the room left in the beat (tables of the lane, no
// adder), and one 16-bit add for the next cut. A beat holding a second cut (a message that
// starts and ends in it, under 7 bytes: no ITCH message is that short) is held (tready low) for one more
// pass per cut; a pass makes at most one event (header or message), plus the packet's error.
//
// Input: one packet per frame, tkeep all ones on every beat but the last, contiguous from lane 0 on the last.
`default_nettype none

module mold_cutter #(
    parameter integer MAX_MSG = 64           // buffer bytes kept of a message: a power of two, at most 64
) (
    input  wire        clk,
    input  wire        rst,

    input  wire [63:0] s_tdata,
    input  wire [7:0]  s_tkeep,
    input  wire        s_tvalid,
    output wire        s_tready,
    input  wire        s_tlast,

    output reg         p_valid,
    input  wire        p_ready,
    output reg  [1:0]  p_hdr_beat,      // header beat 0, 1 or 2; 3: past the header
    output reg  [7:0]  p_keep,          // lanes of the beat (for the header bytes of a short packet)
    output reg  [63:0] p_data,          // the beat as it came (header bytes)
    output reg         p_hdr_event,     // the header is complete: its event
    output reg  [63:0] p_tail_data,     // the current message's bytes of this pass, at buffer position mod 8
    output reg  [6:0]  p_fill,          // they go to buffer positions p_fill up to p_fill_end (past the buffer: dropped)
    output reg  [7:0]  p_fill_end,
    output reg         p_msg_event,     // the current message ends in this pass: its event
    output reg         p_new,           // a message starts: the buffer restarts with p_head_*
    output reg  [15:0] p_new_len,
    output reg  [63:0] p_head_data,     // its first bytes, from position 0
    output reg  [7:0]  p_head_keep,     // (of a full beat)
    output reg         p_hold,          // the message also ends in this beat: it starts empty, its bytes come next pass
    // The packet's end, decided by the assembler from flags, so that no path here waits for the whole pass:
    output reg         p_end,           // the packet's last beat, and no cut is left in it
    output reg         p_short,         // it ended inside the header: short_packet
    output reg         p_trailing,      // it ended after its last message (otherwise: truncated_packet)
    output reg         p_trail_any,     // with bytes after that message: trailing_bytes
    output reg  [15:0] p_error_count    // short_packet: the packet's bytes; trailing_bytes: bytes left over
);
    // phases, one-hot: each test of the phase is one flip-flop
    localparam [4:0] PH_HDR0 = 5'b00001, PH_BODY = 5'b01000, PH_TRAIL = 5'b10000;
    localparam HDR0 = 0, HDR1 = 1, HDR2 = 2, BODY = 3, TRAIL = 4;
    localparam [6:0] MAX_FILL = MAX_MSG[6:0];
    localparam integer FILL_BITS = $clog2(MAX_MSG);   // MAX_MSG: a power of two

    (* fsm_encoding = "none" *) reg [4:0] ph_q;
    reg [15:0] cut_q;          // body: lane of the next cut, from lane 0 of this beat (message end or prefix)
    reg        cut_le8_q;      // cut_q <= 8: the cut is in this beat (or at its end)
    reg        cut_le16_q;     // cut_q <= 16: in the next one (beats before the last are full)
    reg        in_msg_q;       // a message is being read; it ends at the cut
    reg        lo_pending_q;   // the prefix's high byte was the last lane of the previous beat
    reg [7:0]  hi_q;
    reg [15:0] left_q;         // prefixes still to read
    reg        left_zero_q;
    reg        left_one_q;
    reg [3:0]  start_q;        // first lane not yet taken (a held beat's next pass)
    reg [6:0]  fill_q;         // bytes of the current message in the buffer, at most 64
    reg [7:0]  fill_base_q;    // fill_q - start_q: where this beat's lane 0 would go, so one adder finds the end
    reg [15:0] trail_q;        // bytes after the last message

    // lanes of a contiguous tkeep: one past its highest set bit (a priority choice, not a count)
    function automatic [3:0] lanes_of(input [7:0] keep);
        integer i;
        begin
            lanes_of = 4'd0;
            for (i = 0; i < 8; i = i + 1) if (keep[i]) lanes_of = i[3:0] + 4'd1;
        end
    endfunction

    function automatic [7:0] lane(input [63:0] d, input [2:0] n);
        lane = d[8*n +: 8];
    endfunction

    // byte j of the result is lane (j + by) mod 8 of d
    function automatic [63:0] rotate(input [63:0] d, input [2:0] by);
        integer j;
        begin
            for (j = 0; j < 8; j = j + 1) rotate[8*j +: 8] = lane(d, j[2:0] + by);
        end
    endfunction

    reg [3:0]  nlanes;         // lanes of the beat (8 but on the packet's last beat)
    reg [3:0]  cut;            // lane of the cut in this beat (0..8)
    reg [3:0]  base;           // first lane of the body after the prefix at the cut
    reg [3:0]  room;           // lanes after the prefix (of a full beat)
    reg [7:0]  room_at_least;
    reg [15:0] past_room;
    reg [7:0]  neg_base;
    reg        fits_room, fits_room8, fits_room16;
    reg [15:0] len, count;
    reg        at_cut;         // the cut lies in this beat (as if it were full)
    reg        at_cut_here;    // ... and within its lanes
    reg        left_zero, hold, tail, starts, first_last, short, trailing, trail_any;
    reg [3:0]  tail_end;
    reg [7:0]  fill_end;
    // next state
    reg [4:0]  ph;
    reg [15:0] cut_n, left_n, trail_n;
    reg        cut_le8_n, cut_le16_n, in_msg_n, lo_pending_n, left_zero_n, left_one_n;
    reg [15:0] left_src;
    reg        src_is_one, src_is_two;
    reg [7:0]  hi_n;
    reg [3:0]  start_n;
    reg [6:0]  fill_n;
    // the pass
    reg        e_hdr, e_msg;
    reg [15:0] e_error_count;
    reg [7:0]  e_head_keep;
    integer    q;

    wire pass_free = !p_valid || p_ready;
    wire pass = s_tvalid && pass_free;
    assign s_tready = pass && !hold;

    // The cuts are found as if every beat were full; the lanes of the last beat only decide which events
    // it makes and how its packet ends. (A prefix or a body read from lanes past the end belongs to a
    // message that is truncated anyway, and its event is never made.)
    always @* begin
        nlanes = s_tlast ? lanes_of(s_tkeep) : 4'd8;
        cut = cut_q[3:0];
        count = {lane(s_tdata, 3'd2), lane(s_tdata, 3'd3)};
        // The length prefix at the cut (whether or not there is one): the body's first lane after it, the room
        // after it in a full beat, -room and -base, a table of the registered cut (as arithmetic each would be a
        // carry chain in front of the ones that use the length)
        case ({lo_pending_q, cut[2:0]})
            4'b0000: begin base = 4'd2; room = 4'd6; past_room = -16'd6; neg_base = -8'd2; end
            4'b0001: begin base = 4'd3; room = 4'd5; past_room = -16'd5; neg_base = -8'd3; end
            4'b0010: begin base = 4'd4; room = 4'd4; past_room = -16'd4; neg_base = -8'd4; end
            4'b0011: begin base = 4'd5; room = 4'd3; past_room = -16'd3; neg_base = -8'd5; end
            4'b0100: begin base = 4'd6; room = 4'd2; past_room = -16'd2; neg_base = -8'd6; end
            4'b0101: begin base = 4'd7; room = 4'd1; past_room = -16'd1; neg_base = -8'd7; end
            4'b0110: begin base = 4'd8; room = 4'd0; past_room = 16'd0; neg_base = -8'd8; end
            4'b0111: begin base = 4'd8; room = 4'd0; past_room = 16'd0; neg_base = -8'd8; end      // (no prefix starts at lane 7: unused)
            default: begin base = 4'd1; room = 4'd7; past_room = -16'd7; neg_base = -8'd1; end     // lo_pending: the body starts at lane 1
        endcase
        len = lo_pending_q ? {hi_q, lane(s_tdata, 3'd0)} : {lane(s_tdata, cut[2:0]), lane({8'd0, s_tdata[63:8]}, cut[2:0])};
        // room_at_least[i]: i bytes fit in the room (i <= room), a table of the registered cut, so that the
        // length compares below need no adder (every compare wider than 2 bits would be a carry chain)
        room_at_least = lo_pending_q ? 8'hFF : 8'h7F >> cut;       // bit i: i <= room (7, or 6 - cut)
        fits_room = len[15:3] == 13'd0 && room_at_least[len[2:0]];
        fits_room8 = len[15:4] == 12'd0 && (!len[3] || room_at_least[len[2:0]]);
        fits_room16 = len[15:5] == 11'd0 && (!len[4] || (!len[3] && room_at_least[len[2:0]]));

        ph = ph_q; cut_n = cut_q; cut_le8_n = cut_le8_q; cut_le16_n = cut_le16_q; in_msg_n = in_msg_q;
        lo_pending_n = lo_pending_q; hi_n = hi_q; start_n = 4'd0;
        fill_n = fill_q; trail_n = trail_q;
        hold = 1'b0; e_hdr = 1'b0; tail = 1'b0; tail_end = start_q; starts = 1'b0;
        at_cut = 1'b0; left_zero = left_zero_q;
        // messages left: from the header in its last beat; its compares with 1 and 2 done before the cut is known
        // (a count of 0xFFFF, end of session, is left_zero: no message, so left_src never counts down from it)
        left_src = ph_q[HDR2] ? count : left_q;
        src_is_one = ph_q[HDR2] ? count == 16'd1 : left_one_q;
        src_is_two = ph_q[HDR2] ? count == 16'd2 : left_q == 16'd2;
        left_n = left_src; left_zero_n = left_zero_q; left_one_n = src_is_one;

        (* parallel_case *) case (1'b1)
            ph_q[HDR0], ph_q[HDR1]: begin
                ph = {ph_q[3:0], 1'b0};
                cut_n = 16'd4; cut_le8_n = 1'b1; cut_le16_n = 1'b1; in_msg_n = 1'b0; lo_pending_n = 1'b0;
            end
            ph_q[HDR2]: begin
                e_hdr = nlanes >= 4'd4;
                ph = PH_BODY;
                at_cut = 1'b1;
                left_zero = count == 16'd0 || count == 16'hFFFF;
            end
            ph_q[BODY]: begin
                at_cut = lo_pending_q || cut_le8_q;
                if (in_msg_q) begin
                    tail = 1'b1;
                    tail_end = at_cut ? cut : 4'd8;
                    if (!at_cut) begin
                        cut_n = cut_q - 16'd8;
                        cut_le8_n = cut_le16_q;
                        cut_le16_n = cut_q[15:5] == 11'd0 && !(cut_q[4] && cut_q[3] && cut_q[2:0] != 3'd0);   // <= 24
                    end
                end
            end
            default: trail_n = trail_q + {12'd0, nlanes};     // (a trailing beat is never held: it starts at lane 0)
        endcase

        // At the cut: trailing bytes, or the next length prefix (all of it, its high byte, or none in this beat)
        if (at_cut) begin
            in_msg_n = 1'b0;
            lo_pending_n = 1'b0;
            if (lo_pending_q) begin
                starts = 1'b1;
            end else if (left_zero) begin
                ph = PH_TRAIL;
                trail_n = {12'd0, nlanes - cut};
            end else if (cut <= 4'd6) begin
                starts = 1'b1;
                left_n = left_src - 16'd1; left_zero_n = src_is_one; left_one_n = src_is_two;
            end else if (cut == 4'd7) begin
                lo_pending_n = 1'b1; hi_n = lane(s_tdata, 3'd7);
                left_n = left_src - 16'd1; left_zero_n = src_is_one; left_one_n = src_is_two;
            end else begin
                cut_n = 16'd0; cut_le8_n = 1'b1; cut_le16_n = 1'b1;     // the prefix starts the next beat
                left_zero_n = left_zero;
            end
            // The new message's end, from this beat's lane 0 or the next beat's: compares of its length with
            // small numbers rather than of a sum, so they do not wait for an adder.
            if (starts) begin
                in_msg_n = 1'b1;
                // (not in a header cut short: its beat must end the packet with short_packet in this pass)
                // (not in a header cut short: its beat must end the packet with short_packet in this pass)
                if (fits_room && !(ph_q[HDR2] && s_tlast && !s_tkeep[3])) begin
                    hold = 1'b1;                     // it ends in this beat too: its event next pass
                    cut_n = {12'd0, len[3:0] + base}; cut_le8_n = 1'b1; cut_le16_n = 1'b1; start_n = base;
                end else begin
                    cut_n = len + past_room;
                    cut_le8_n = fits_room8;
                    cut_le16_n = fits_room16;
                end
            end
        end

        // The buffer: the current message's bytes of this pass at fill_q, then the new message's from 0.
        fill_end = tail ? fill_base_q + {4'd0, tail_end} : {1'b0, fill_q};
        for (q = 0; q < 8; q = q + 1) e_head_keep[q] = q[3:0] < room;
        if (starts) fill_n = hold ? 7'd0 : {3'd0, room};
        else if (tail) fill_n = (fill_end >> FILL_BITS) != 8'd0 ? MAX_FILL : fill_end[6:0];   // at most MAX_MSG

        // What the lanes of a last beat decide: the message's event, and how the packet ends (once no cut is
        // left in its last beat), from which the assembler tells its error
        at_cut_here = ph_q[BODY] && (lo_pending_q || (cut_le8_q && cut <= nlanes));
        e_msg = in_msg_q && at_cut_here;
        first_last = s_tlast && !hold;
        short = ph_q[HDR0] || ph_q[HDR1] || (ph_q[HDR2] && nlanes < 4'd4);
        trailing = ph_q[TRAIL] || ((ph_q[HDR2] || (at_cut_here && !lo_pending_q)) && left_zero);
        trail_any = ph_q[TRAIL] ? trail_q != 16'd0 || nlanes != 4'd0 : nlanes != cut;
        e_error_count = short ? {11'd0, ph_q[HDR2], ph_q[HDR1], 3'd0} + {12'd0, nlanes}
                      : ph_q[TRAIL] ? trail_q + {12'd0, nlanes} : {12'd0, nlanes - cut};
    end

    always @(posedge clk) begin
        if (rst) begin
            p_valid <= 1'b0;
            ph_q <= PH_HDR0; cut_q <= 16'd0; cut_le8_q <= 1'b0; cut_le16_q <= 1'b0; in_msg_q <= 1'b0; lo_pending_q <= 1'b0; hi_q <= 8'd0;
            left_q <= 16'd0; left_zero_q <= 1'b1; left_one_q <= 1'b0; start_q <= 4'd0; fill_q <= 7'd0; fill_base_q <= 8'd0; trail_q <= 16'd0;
        end else begin
            if (p_valid && p_ready) p_valid <= 1'b0;
            if (pass) begin
                p_valid <= 1'b1;
                p_hdr_beat <= ph_q[HDR0] ? 2'd0 : ph_q[HDR1] ? 2'd1 : ph_q[HDR2] ? 2'd2 : 2'd3;
                p_keep <= s_tlast ? s_tkeep : 8'hFF;
                p_data <= s_tdata;
                p_hdr_event <= e_hdr;
                p_tail_data <= rotate(s_tdata, start_q[2:0] - fill_q[2:0]);
                p_fill <= fill_q;
                p_fill_end <= fill_end;
                p_msg_event <= e_msg;
                p_new <= starts;
                p_new_len <= len;
                p_head_data <= rotate(s_tdata, base[2:0]);
                p_head_keep <= e_head_keep;
                p_hold <= hold;
                p_end <= first_last;
                p_short <= short;
                p_trailing <= trailing;
                p_trail_any <= trail_any;
                p_error_count <= e_error_count;
                // after the packet's last beat only the phase starts over: the header passes set the rest
                ph_q <= first_last ? PH_HDR0 : ph;
                cut_q <= cut_n; cut_le8_q <= cut_le8_n; cut_le16_q <= cut_le16_n; in_msg_q <= in_msg_n;
                lo_pending_q <= lo_pending_n; hi_q <= hi_n; left_q <= left_n; left_zero_q <= left_zero_n; left_one_q <= left_one_n; start_q <= start_n;
                fill_q <= fill_n; fill_base_q <= hold ? neg_base : {1'b0, fill_n}; trail_q <= trail_n;
            end
        end
    end
endmodule

`default_nettype wire
