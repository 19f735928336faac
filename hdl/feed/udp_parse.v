// IPv4 and UDP of a frame whose IPv4 header starts in lane 0 (eth_strip's output): reads the header fields at
// their fixed places, checks the header and UDP checksums (ones_sum_pipe), looks the destination up in the
// subscription table, and hands on two things, in frame order:
//  - the UDP payload, realigned to lane 0 (the payload starts at 4 * IHL + 8 bytes: lane 0 or lane 4), cut at
//    the IPv4 total length (what follows is Ethernet padding); exactly one beat of each frame carries `last`
//    (an empty one when no payload byte arrived);
//  - verdicts: the header's (taken on a line, refused with a status, or other traffic), decided once the UDP
//    header has arrived or the frame has ended, and the end's (ok, truncated, udp_checksum), decided once the
//    datagram has ended; both of one frame in one entry when they fall in the same beat.
// The rules and their order are those of the golden model, src/itch/ref-udp-rx.ts. A verdict leaves
// six cycles after its beat: the checksum pipelines' latency and one, over which the table compares and the
// rule priority are spread one step a stage. udp_deliver joins the two streams. Both queues are behind
// credit counters (their pops come back as pl_pop / vd_pop), so this stage never writes to a full one.
`default_nettype none
`include "tickgate_layout.vh"
module udp_parse #(
    parameter ENTRIES = `TG_WIRE_SUBSCRIPTIONS,
    parameter PL_DEPTH = 16,
    parameter VD_DEPTH = 16
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire [63:0]           s_axis_tdata,
    input  wire [7:0]            s_axis_tkeep,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    input  wire                  s_axis_tlast,

    // the subscription table; no valid entry: every UDP datagram is taken, on line 0
    input  wire [ENTRIES-1:0]    tbl_valid,
    input  wire [ENTRIES*32-1:0] tbl_addr,
    input  wire [ENTRIES*16-1:0] tbl_port,
    input  wire [ENTRIES-1:0]    tbl_line,

    output reg                   pl_valid,
    output reg  [63:0]           pl_data,
    output reg  [7:0]            pl_keep,
    output reg                   pl_last,
    input  wire                  pl_pop,

    output wire                  vd_valid,
    output wire [9:0]            vd_data,   // {has_hdr, other, hdr status, line, has_end, end status}
    input  wire                  vd_pop
);

localparam CREDIT_BITS = $clog2(PL_DEPTH > VD_DEPTH ? PL_DEPTH : VD_DEPTH) + 1;

wire [7:0] b [0:7];
genvar g;
generate
    for (g = 0; g < 8; g = g + 1) begin : g_bytes
        assign b[g] = s_axis_tdata[8*g +: 8];
    end
endgenerate

// ---- per-frame state ----------------------------------------------------------------------------------------
reg [3:0]  beat_reg;                 // beat of the datagram, saturating at 15
reg        first_reg;                // the next beat is a frame's first
reg [3:0]  ihl_reg;
reg        ver4_reg, frag_reg, udp_proto_reg;
reg [15:0] total_reg;
reg [16:0] udp_expect_reg;           // total length - 4 * IHL, borrow on top (valid from beat 2)
reg [31:0] dst_reg;
reg [15:0] port_reg, udp_len_reg;
reg        csum_zero_reg;
reg        have20_reg, have_hdr_reg, have_udp_reg;
reg [15:0] left_reg;                 // bytes of the datagram from this beat's lane 0 (valid from beat 1)
reg        left_le8_reg;             // the datagram ends in this beat (or did before)
reg        closed_reg;               // the datagram or the frame has ended: later beats are padding
reg        complete_reg;             // every byte of the datagram arrived
reg        hdr_done_reg, end_done_reg;
reg [63:32] prev_data_reg;
reg [7:4]  prev_ok_reg;
reg        tail_reg;
reg [63:32] tail_data_reg;
reg [7:4]  tail_keep_reg;
reg [CREDIT_BITS-1:0] pl_credits_reg, vd_credits_reg;

// the payload credits count a write a cycle after it is decided (pl_valid): a beat may find one write in
// flight, make one and leave a tail, so it needs three. The room flags are registered with the credits.
reg pl_room_reg, vd_room_reg;
assign s_axis_tready = !tail_reg && pl_room_reg && vd_room_reg;
wire fire = s_axis_tvalid && s_axis_tready;
wire first = first_reg;

// where the UDP header's fields are, from IHL: the header ends at beat (IHL-1)/2, the UDP header's last byte
// is in beat (IHL+1)/2, the payload starts in beat (IHL+2)/2; lane 4 of those beats when IHL is odd. The beat
// numbers are registered as IHL arrives, and "this beat is that one" one beat ahead, so no compare of the
// beat number with a sum sits in front of the logic that uses it.
wire       odd = ihl_reg[0];
wire [3:0] ihl_now = b[0][3:0];
function [3:0] hdr_beat_of(input [3:0] ihl);    hdr_beat_of = (ihl - 4'd1) >> 1;                  endfunction
function [3:0] port_beat_of(input [3:0] ihl);   port_beat_of = ihl >> 1;                         endfunction
function [3:0] udp_beat_of(input [3:0] ihl);    udp_beat_of = {1'b0, ihl[3:1]} + {3'd0, ihl[0]};  endfunction
function [3:0] pay_beat_of(input [3:0] ihl);    pay_beat_of = (ihl >> 1) + 4'd1;                 endfunction
function [3:0] decide_beat_of(input [3:0] ihl); decide_beat_of = ihl < 4'd5 ? 4'd2 : udp_beat_of(ihl); endfunction
reg [3:0] hdr_beat_reg, port_beat_reg, udp_beat_reg, pay_beat_reg, decide_beat_reg;
reg       at_hdr_reg, at_port_reg, at_udp_reg, at_pay_reg, at_decide_reg, past_port_reg, past_pay_reg;
reg [4:0] hdr_words_left_reg;          // header words from this beat's first (beats after the first)
wire       half_ok = odd ? s_axis_tkeep[3] : s_axis_tkeep[7];

wire [15:0] total_now = {b[2], b[3]};
wire [15:0] port_now = odd ? {b[6], b[7]} : {b[2], b[3]};
wire [15:0] udp_len_now = odd ? {b[0], b[1]} : {b[4], b[5]};
wire        csum_zero_now = odd ? {b[2], b[3]} == 16'd0 : {b[6], b[7]} == 16'd0;
wire [31:0] dst_now = {b[0], b[1], b[2], b[3]};

wire have20 = have20_reg || (beat_reg == 4'd2 && s_axis_tkeep[3]);
wire have_hdr = have_hdr_reg || (!first && at_hdr_reg && half_ok);
wire have_udp = have_udp_reg || (!first && at_udp_reg && half_ok);

// lanes of this beat inside the datagram (beats after the first)
reg [7:0] lane_ok;
integer l;
always @* begin
    for (l = 0; l < 8; l = l + 1) lane_ok[l] = s_axis_tkeep[l] && (!left_le8_reg || l < left_reg[3:0]);
end
wire ip_end = !first && left_le8_reg;
wire ends_here = !closed_reg && (s_axis_tlast || ip_end);
wire complete_here = ip_end && (left_reg[3:0] == 4'd0 || s_axis_tkeep[left_reg[2:0] - 3'd1]);
wire hdr_trig = !hdr_done_reg && (s_axis_tlast || (!first && at_decide_reg));
wire end_trig = !end_done_reg && (hdr_done_reg || hdr_trig) && (closed_reg || ends_here);

// ---- checksum words ---------------------------------------------------------------------------------------
reg [63:0] hdr_words, ok_bytes, kept_bytes;
reg [67:0] udp_words;
integer w;
always @* begin
    // the header is summed as it arrived (a total length inside it is the header's error, not the sum's); the
    // UDP datagram up to the total length
    for (l = 0; l < 8; l = l + 1) kept_bytes[8*l +: 8] = s_axis_tkeep[l] ? b[l] : 8'd0;
    for (l = 0; l < 8; l = l + 1) ok_bytes[8*l +: 8] = (first ? s_axis_tkeep[l] : lane_ok[l]) ? b[l] : 8'd0;
    for (w = 0; w < 4; w = w + 1) begin
        hdr_words[16*w +: 16] = (first || w[4:0] < hdr_words_left_reg) ?
            {kept_bytes[16*w +: 8], kept_bytes[16*w+8 +: 8]} : 16'd0;
        udp_words[17*w +: 17] = 17'd0;
        if (first) begin
            if (w == 0) udp_words[16:0] = 17'd17;  // the pseudo-header's protocol
        end else if ((beat_reg == 4'd1 && w >= 2) || (beat_reg == 4'd2 && w < 2) ||
                     past_port_reg || (at_port_reg && (!odd || w >= 2))) begin
            // source and destination address (pseudo-header), then the UDP datagram; the UDP length counts
            // twice, as the pseudo-header repeats it
            udp_words[17*w +: 17] = (at_udp_reg && w == (odd ? 0 : 2)) ?
                {ok_bytes[16*w +: 8], ok_bytes[16*w+8 +: 8], 1'b0} : {1'b0, ok_bytes[16*w +: 8], ok_bytes[16*w+8 +: 8]};
        end
    end
end

wire hcs_ok, ucs_ok;
ones_sum_pipe header_sum (.clk(clk), .rst(rst), .in_valid(fire), .in_first(first),
    .in_words({1'b0, hdr_words[63:48], 1'b0, hdr_words[47:32], 1'b0, hdr_words[31:16], 1'b0, hdr_words[15:0]}),
    .out_ok(hcs_ok));
ones_sum_pipe udp_sum (.clk(clk), .rst(rst), .in_valid(fire), .in_first(first),
    .in_words(udp_words), .out_ok(ucs_ok));

// ---- the frame's state, beat by beat ----------------------------------------------------------------------------
// what a frame's end (and reset) clears: the next beat is a new frame's first
task clear_frame;
    begin
        beat_reg <= 4'd0;
        have20_reg <= 1'b0;
        have_hdr_reg <= 1'b0;
        have_udp_reg <= 1'b0;
        closed_reg <= 1'b0;
        complete_reg <= 1'b0;
        hdr_done_reg <= 1'b0;
        end_done_reg <= 1'b0;
    end
endtask
wire in_payload = !first && (at_pay_reg || past_pay_reg) && !closed_reg;
always @(posedge clk) begin
    if (fire) begin
        prev_data_reg <= s_axis_tdata[63:32];
        prev_ok_reg <= lane_ok[7:4];
        first_reg <= s_axis_tlast;
        if (first) begin
            hdr_beat_reg <= hdr_beat_of(ihl_now);
            port_beat_reg <= port_beat_of(ihl_now);
            udp_beat_reg <= udp_beat_of(ihl_now);
            pay_beat_reg <= pay_beat_of(ihl_now);
            decide_beat_reg <= decide_beat_of(ihl_now);
            at_hdr_reg <= hdr_beat_of(ihl_now) == 4'd1;
            at_port_reg <= port_beat_of(ihl_now) == 4'd1;
            at_udp_reg <= udp_beat_of(ihl_now) == 4'd1;
            at_pay_reg <= pay_beat_of(ihl_now) == 4'd1;
            at_decide_reg <= decide_beat_of(ihl_now) == 4'd1;
            past_port_reg <= 1'b0;
            past_pay_reg <= 1'b0;
            hdr_words_left_reg <= ihl_now < 4'd2 ? 5'd0 : {ihl_now, 1'b0} - 5'd4;
            ver4_reg <= b[0][7:4] == 4'd4;
            ihl_reg <= b[0][3:0];
            total_reg <= total_now;
            frag_reg <= b[6][5] || {b[6][4:0], b[7]} != 13'd0;
            left_reg <= total_now[15:3] != 13'd0 ? total_now - 16'd8 : 16'd0;
            left_le8_reg <= total_now <= 16'd16;
        end else begin
            at_hdr_reg <= hdr_beat_reg == beat_reg + 4'd1;
            at_port_reg <= port_beat_reg == beat_reg + 4'd1;
            at_udp_reg <= udp_beat_reg == beat_reg + 4'd1;
            at_pay_reg <= pay_beat_reg == beat_reg + 4'd1;
            at_decide_reg <= decide_beat_reg == beat_reg + 4'd1;
            past_port_reg <= past_port_reg || at_port_reg;
            past_pay_reg <= past_pay_reg || at_pay_reg;
            hdr_words_left_reg <= hdr_words_left_reg > 5'd4 ? hdr_words_left_reg - 5'd4 : 5'd0;
            left_reg <= left_le8_reg ? 16'd0 : left_reg - 16'd8;
            left_le8_reg <= left_reg <= 16'd16;
        end
        if (beat_reg == 4'd1) udp_proto_reg <= b[1] == 8'd17;
        if (beat_reg == 4'd2) dst_reg <= dst_now;
        if (!first && at_port_reg) port_reg <= port_now;
        if (!first && at_udp_reg) begin
            udp_len_reg <= udp_len_now;
            csum_zero_reg <= csum_zero_now;
        end
        have20_reg <= have20;
        have_hdr_reg <= have_hdr;
        have_udp_reg <= have_udp;
        if (ends_here) closed_reg <= 1'b1;
        if (complete_here) complete_reg <= 1'b1;
        if (hdr_trig) hdr_done_reg <= 1'b1;
        if (end_trig) end_done_reg <= 1'b1;
        if (beat_reg != 4'd15) beat_reg <= beat_reg + 4'd1;
        if (s_axis_tlast) clear_frame();
    end
    udp_expect_reg <= {1'b0, total_reg} - {11'd0, ihl_reg, 2'd0};
    if (rst) begin
        first_reg <= 1'b1;
        clear_frame();
    end
end

// ---- payload out ----------------------------------------------------------------------------------------------
always @(posedge clk) begin
    pl_valid <= 1'b0;
    if (tail_reg) begin
        pl_valid <= 1'b1;
        pl_data <= {32'd0, tail_data_reg};
        pl_keep <= {4'd0, tail_keep_reg};
        pl_last <= 1'b1;
        tail_reg <= 1'b0;
    end else if (fire) begin
        if (!in_payload) begin
            if (ends_here) begin  // no payload byte in this beat: the frame's end, empty
                pl_valid <= 1'b1;
                pl_keep <= 8'd0;
                pl_last <= 1'b1;
            end
        end else if (!odd) begin
            pl_valid <= 1'b1;
            pl_data <= s_axis_tdata;
            pl_keep <= lane_ok;
            pl_last <= ends_here;
        end else if (at_pay_reg) begin
            // the payload starts in lane 4: nothing to join yet, unless it also ends here
            if (ends_here) begin
                pl_valid <= 1'b1;
                pl_data <= {32'd0, s_axis_tdata[63:32]};
                pl_keep <= {4'd0, lane_ok[7:4]};
                pl_last <= 1'b1;
            end
        end else begin
            pl_valid <= 1'b1;
            pl_data <= {s_axis_tdata[31:0], prev_data_reg};
            pl_keep <= {lane_ok[3:0], prev_ok_reg};
            pl_last <= ends_here && !lane_ok[4];
            if (ends_here && lane_ok[4]) begin
                tail_reg <= 1'b1;
                tail_data_reg <= s_axis_tdata[63:32];
                tail_keep_reg <= lane_ok[7:4];
            end
        end
    end
    if (rst) begin
        pl_valid <= 1'b0;
        tail_reg <= 1'b0;
    end
end

// ---- verdicts: a slot per beat that decides something, six stages ------------------------------------------------
// The stages are plain flip-flops, not shift-register LUTs (whose clock-to-output is slower than a LUT level).
// stage 1: what the beat decided on
(* shreg_extract = "no" *) reg        v1_hdr, v1_end, v1_have20, v1_ver_ok, v1_have_hdr, v1_frag, v1_udp, v1_have_udp, v1_truncated, v1_csum_zero;
(* shreg_extract = "no" *) reg [31:0] v1_dst;
(* shreg_extract = "no" *) reg [15:0] v1_port, v1_udp_len;
(* shreg_extract = "no" *) reg [16:0] v1_expect;
// stage 2: the table compares and the length checks
(* shreg_extract = "no" *) reg        v2_hdr, v2_end, v2_have20, v2_ver_ok, v2_have_hdr, v2_frag, v2_udp, v2_have_udp, v2_truncated, v2_csum_zero;
(* shreg_extract = "no" *) reg        v2_total_ok, v2_total_udp, v2_len_ok;
(* shreg_extract = "no" *) reg [ENTRIES-1:0] v2_addr_hit, v2_port_hit;
// stage 3: the entry that matched
(* shreg_extract = "no" *) reg        v3_hdr, v3_end, v3_have20, v3_ver_ok, v3_have_hdr, v3_frag, v3_udp, v3_have_udp, v3_truncated, v3_csum_zero;
(* shreg_extract = "no" *) reg        v3_total_ok, v3_total_udp, v3_len_ok, v3_addr_any, v3_entry_any;
(* shreg_extract = "no" *) reg [ENTRIES-1:0] v3_entry;
// stage 4: the rules before and after the header checksum's
(* shreg_extract = "no" *) reg        v4_hdr, v4_end, v4_truncated, v4_csum_zero, v4_before, v4_other_before, v4_other_after, v4_line;
(* shreg_extract = "no" *) reg [2:0]  v4_status_before, v4_status_after;

wire [ENTRIES-1:0] no_entry = {ENTRIES{1'b0}};
wire take_all = tbl_valid == no_entry;
reg [ENTRIES-1:0] addr_hit, port_hit, entry_first;
reg seen;
integer e;
always @* begin
    for (e = 0; e < ENTRIES; e = e + 1) begin
        addr_hit[e] = tbl_valid[e] && tbl_addr[32*e +: 32] == v1_dst;
        port_hit[e] = tbl_port[16*e +: 16] == v1_port;
    end
    seen = 1'b0;
    for (e = 0; e < ENTRIES; e = e + 1) begin
        entry_first[e] = v2_addr_hit[e] && v2_port_hit[e] && !seen;
        seen = seen || (v2_addr_hit[e] && v2_port_hit[e]);
    end
end

always @(posedge clk) begin
    v1_hdr <= fire && hdr_trig;
    v1_end <= fire && end_trig;
    v1_have20 <= have20;
    v1_ver_ok <= first ? b[0][7:4] == 4'd4 && b[0][3:0] >= 4'd5 : ver4_reg && ihl_reg >= 4'd5;
    v1_have_hdr <= have_hdr;
    v1_frag <= frag_reg;
    v1_udp <= udp_proto_reg;
    v1_have_udp <= have_udp;
    v1_truncated <= !(complete_reg || complete_here);
    v1_csum_zero <= at_udp_reg ? csum_zero_now : csum_zero_reg;
    v1_dst <= beat_reg == 4'd2 ? dst_now : dst_reg;
    v1_port <= at_port_reg ? port_now : port_reg;
    v1_udp_len <= at_udp_reg ? udp_len_now : udp_len_reg;
    v1_expect <= udp_expect_reg;

    {v2_hdr, v2_end, v2_have20, v2_ver_ok, v2_have_hdr, v2_frag, v2_udp, v2_have_udp, v2_truncated, v2_csum_zero} <=
        {v1_hdr, v1_end, v1_have20, v1_ver_ok, v1_have_hdr, v1_frag, v1_udp, v1_have_udp, v1_truncated, v1_csum_zero};
    v2_total_ok <= !v1_expect[16];
    v2_total_udp <= !v1_expect[16] && v1_expect[15:3] != 13'd0;
    v2_len_ok <= v1_udp_len == v1_expect[15:0];
    v2_addr_hit <= addr_hit;
    v2_port_hit <= port_hit;

    {v3_hdr, v3_end, v3_have20, v3_ver_ok, v3_have_hdr, v3_frag, v3_udp, v3_have_udp, v3_truncated, v3_csum_zero} <=
        {v2_hdr, v2_end, v2_have20, v2_ver_ok, v2_have_hdr, v2_frag, v2_udp, v2_have_udp, v2_truncated, v2_csum_zero};
    {v3_total_ok, v3_total_udp, v3_len_ok} <= {v2_total_ok, v2_total_udp, v2_len_ok};
    v3_addr_any <= take_all || v2_addr_hit != no_entry;
    v3_entry_any <= take_all || (v2_addr_hit & v2_port_hit) != no_entry;
    v3_entry <= entry_first;

    v4_hdr <= v3_hdr;
    v4_end <= v3_end;
    v4_truncated <= v3_truncated;
    v4_csum_zero <= v3_csum_zero;
    v4_line <= !take_all && (v3_entry & tbl_line) != no_entry;
    // rules 2-5 of the golden model
    v4_before <= !v3_have20 || !v3_addr_any || !v3_ver_ok || !v3_have_hdr;
    v4_other_before <= v3_have20 && !v3_addr_any;
    v4_status_before <= !v3_have20 ? `TG_WIRE_TRUNCATED : !v3_ver_ok ? `TG_WIRE_IP_HEADER : `TG_WIRE_TRUNCATED;
    // rules 7-13
    v4_other_after <= v3_total_ok && !v3_frag && (!v3_udp || (v3_total_udp && v3_have_udp && !v3_entry_any));
    v4_status_after <= !v3_total_ok ? `TG_WIRE_IP_HEADER : v3_frag ? `TG_WIRE_FRAGMENT : !v3_total_udp ? `TG_WIRE_UDP_LENGTH :
                       !v3_have_udp ? `TG_WIRE_TRUNCATED : !v3_len_ok ? `TG_WIRE_UDP_LENGTH : `TG_WIRE_OK;
    // every flag of the chain is reset, which also keeps Yosys (which ignores shreg_extract) from making
    // shift-register LUTs of it
    if (rst) begin
        {v1_hdr, v1_end, v1_have20, v1_ver_ok, v1_have_hdr, v1_frag, v1_udp, v1_have_udp, v1_truncated, v1_csum_zero} <= 10'd0;
        {v2_hdr, v2_end, v2_have20, v2_ver_ok, v2_have_hdr, v2_frag, v2_udp, v2_have_udp, v2_truncated, v2_csum_zero} <= 10'd0;
        {v3_hdr, v3_end, v3_have20, v3_ver_ok, v3_have_hdr, v3_frag, v3_udp, v3_have_udp, v3_truncated, v3_csum_zero} <= 10'd0;
        {v3_total_ok, v3_total_udp, v3_len_ok} <= 3'd0;
        {v4_hdr, v4_end, v4_truncated, v4_csum_zero} <= 4'd0;
    end
end

// stage 5 waits for the checksums (five stages from their beat too); stage 6 is the verdict
(* shreg_extract = "no" *) reg        v5_hdr, v5_end, v5_truncated, v5_csum_zero, v5_before, v5_other_before, v5_other_after, v5_line;
(* shreg_extract = "no" *) reg [2:0]  v5_status_before, v5_status_after;
always @(posedge clk) begin
    {v5_hdr, v5_end, v5_truncated, v5_csum_zero, v5_before, v5_other_before, v5_other_after, v5_line} <=
        {v4_hdr, v4_end, v4_truncated, v4_csum_zero, v4_before, v4_other_before, v4_other_after, v4_line};
    v5_status_before <= v4_status_before;
    v5_status_after <= v4_status_after;
    if (rst) {v5_hdr, v5_end, v5_truncated, v5_csum_zero, v5_before, v5_other_before, v5_other_after, v5_line} <= 8'd0;
end
wire       hdr_other = v5_before ? v5_other_before : hcs_ok && v5_other_after;
wire [2:0] hdr_status = v5_before ? v5_status_before : !hcs_ok ? `TG_WIRE_IP_CHECKSUM : v5_status_after;
wire [2:0] end_status = v5_truncated ? `TG_WIRE_TRUNCATED : !v5_csum_zero && !ucs_ok ? `TG_WIRE_UDP_CHECKSUM : `TG_WIRE_OK;
reg        v6_valid;
reg [9:0]  v6_data;
always @(posedge clk) begin
    v6_valid <= v5_hdr || v5_end;
    v6_data <= {v5_hdr, v5_hdr && hdr_other, v5_hdr && !hdr_other ? hdr_status : `TG_WIRE_OK, v5_line && v5_hdr,
                v5_end, v5_end ? end_status : `TG_WIRE_OK};
    if (rst) v6_valid <= 1'b0;
end
assign vd_valid = v6_valid;
assign vd_data = v6_data;

// ---- credits of the two queues ----------------------------------------------------------------------------------
wire [CREDIT_BITS-1:0] pl_credits_next = pl_credits_reg - {{(CREDIT_BITS-1){1'b0}}, pl_valid} + {{(CREDIT_BITS-1){1'b0}}, pl_pop};
wire vd_take = fire && (hdr_trig || end_trig);
wire [CREDIT_BITS-1:0] vd_credits_next = vd_credits_reg - {{(CREDIT_BITS-1){1'b0}}, vd_take} + {{(CREDIT_BITS-1){1'b0}}, vd_pop};
// vd_credits_next != 0 without waiting for the sum (vd_take comes late): the next count is the count minus
// one, plus one or the same, so one of three compares of the register, made in parallel, decides
wire vd_room_next = (vd_take && !vd_pop) ? vd_credits_reg != {{(CREDIT_BITS-1){1'b0}}, 1'b1}
                  : (vd_pop && !vd_take) ? vd_credits_reg != {CREDIT_BITS{1'b1}}
                  : vd_credits_reg != {CREDIT_BITS{1'b0}};
always @(posedge clk) begin
    pl_credits_reg <= pl_credits_next;
    vd_credits_reg <= vd_credits_next;
    pl_room_reg <= pl_credits_next >= 3;
    vd_room_reg <= vd_room_next;
    if (rst) begin
        pl_credits_reg <= PL_DEPTH[CREDIT_BITS-1:0];
        vd_credits_reg <= VD_DEPTH[CREDIT_BITS-1:0];
        pl_room_reg <= 1'b0;
        vd_room_reg <= 1'b0;
    end
end

endmodule
`default_nettype wire
