// Ethernet II in, IPv4 out: takes frames as a MAC hands them over (8 bytes a beat, tkeep contiguous from lane
// 0, no FCS), reads up to two VLAN tags (TPID 0x8100, 0x88A8 or 0x9100), and passes on the bytes after the
// Ethernet header of IPv4 frames, realigned so that the IPv4 header starts in lane 0. A frame that is too short
// to name its EtherType, has a third tag or is not IPv4 leaves nothing but a pulse on `other`. Each IPv4 frame
// leaves at least one beat, the last with tlast (an empty one when the frame ends with its Ethernet header).
//
// The header is 14, 18 or 22 bytes, so the IPv4 bytes start in lane 6 or 2: each output beat is the top lanes
// of one input beat and the bottom lanes of the next (a 2:1 choice per byte). The bytes of a frame's last beat
// that do not fit its output beat leave one cycle later; that cycle the input is the next frame's first beat,
// which never makes output, so frames back to back still go at one beat a cycle.
`default_nettype none
module eth_strip (
    input  wire        clk,
    input  wire        rst,

    input  wire [63:0] s_axis_tdata,
    input  wire [7:0]  s_axis_tkeep,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    input  wire        s_axis_tlast,

    output wire [63:0] m_axis_tdata,
    output wire [7:0]  m_axis_tkeep,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,

    output wire        other         // one cycle per frame that is not IPv4
);

localparam [1:0] K_OPEN = 2'd0;    // EtherType not read yet
localparam [1:0] K_SHIFT6 = 2'd1;  // IPv4 after 14 or 22 bytes: it starts in lane 6
localparam [1:0] K_SHIFT2 = 2'd2;  // IPv4 after 18 bytes: it starts in lane 2
localparam [1:0] K_OTHER = 2'd3;   // not IPv4: the rest of the frame is dropped

reg [1:0]  beat_reg;               // beat of the frame, saturating at 3
(* fsm_encoding = "none" *) reg [1:0] kind_reg;
reg [63:16] prev_data_reg;      // the lanes a join takes from the previous beat
reg [7:2]  prev_keep_reg;
reg        tail_reg;               // the last beat's top bytes still to leave
reg [63:0] tail_data_reg;
reg [7:0]  tail_keep_reg;
reg        out_valid_reg, out_last_reg;
reg [63:0] out_data_reg;
reg [7:0]  out_keep_reg;
reg        other_reg;

wire out_free = !out_valid_reg || m_axis_tready;
assign s_axis_tready = out_free;
wire fire = s_axis_tvalid && out_free;

wire [7:0] b [0:7];
genvar g;
generate
    for (g = 0; g < 8; g = g + 1) begin : g_bytes
        assign b[g] = s_axis_tdata[8*g +: 8];
    end
endgenerate
wire [15:0] type_lo = {b[0], b[1]};   // bytes 16, 17 in beat 2
wire [15:0] type_hi = {b[4], b[5]};   // bytes 12, 13 in beat 1; 20, 21 in beat 2
function is_tpid(input [15:0] t);
    is_tpid = t == 16'h8100 || t == 16'h88A8 || t == 16'h9100;
endfunction

// the two ways an output beat is made of the previous beat's top and this beat's bottom
wire [63:0] join6 = {s_axis_tdata[47:0], prev_data_reg[63:48]};
wire [7:0]  join6_keep = {s_axis_tkeep[5:0], prev_keep_reg[7:6]};
wire [63:0] join2 = {s_axis_tdata[15:0], prev_data_reg[63:16]};
wire [7:0]  join2_keep = {s_axis_tkeep[1:0], prev_keep_reg[7:2]};

reg [1:0]  kind_next;
reg        emit, emit_last, make_tail, shift2, is_other;
always @* begin
    kind_next = kind_reg;
    emit = 1'b0;        // this beat completes an output beat
    make_tail = 1'b0;   // this beat is the frame's last, and its top lanes make one more output beat
    shift2 = kind_reg == K_SHIFT2;
    is_other = 1'b0;
    case (beat_reg)
        2'd0: if (s_axis_tlast) is_other = 1'b1;
        2'd1: begin
            if (!s_axis_tkeep[5]) is_other = 1'b1;
            else if (type_hi == 16'h0800) begin
                kind_next = K_SHIFT6;
                make_tail = s_axis_tlast;
            end else if (is_tpid(type_hi) && !s_axis_tlast) kind_next = K_OPEN;
            else is_other = 1'b1;
        end
        2'd2: begin
            if (kind_reg == K_SHIFT6) begin
                emit = 1'b1;
                make_tail = s_axis_tlast && s_axis_tkeep[6];
            end else if (kind_reg == K_OPEN) begin
                // one tag read: the next EtherType is bytes 16, 17; a second tag's follows at 20, 21
                if (!s_axis_tkeep[1]) is_other = 1'b1;
                else if (type_lo == 16'h0800) begin
                    kind_next = K_SHIFT2;
                    shift2 = 1'b1;
                    make_tail = s_axis_tlast;
                end else if (is_tpid(type_lo) && s_axis_tkeep[5] && type_hi == 16'h0800) begin
                    kind_next = K_SHIFT6;
                    make_tail = s_axis_tlast;
                end else is_other = 1'b1;
            end
        end
        default: begin
            if (kind_reg != K_OTHER) begin
                emit = 1'b1;
                make_tail = s_axis_tlast && (shift2 ? s_axis_tkeep[2] : s_axis_tkeep[6]);
            end
        end
    endcase
    if (is_other) kind_next = K_OTHER;
    emit_last = s_axis_tlast && !make_tail;
end

always @(posedge clk) begin
    other_reg <= 1'b0;
    if (out_free) begin
        out_valid_reg <= 1'b0;
        if (tail_reg) begin
            out_valid_reg <= 1'b1;
            out_data_reg <= tail_data_reg;
            out_keep_reg <= tail_keep_reg;
            out_last_reg <= 1'b1;
            tail_reg <= 1'b0;
        end else if (fire && emit) begin
            out_valid_reg <= 1'b1;
            out_data_reg <= shift2 ? join2 : join6;
            out_keep_reg <= shift2 ? join2_keep : join6_keep;
            out_last_reg <= emit_last;
        end
    end
    if (fire) begin
        prev_data_reg <= s_axis_tdata[63:16];
        prev_keep_reg <= s_axis_tkeep[7:2];
        if (make_tail) begin
            tail_reg <= 1'b1;
            tail_data_reg <= shift2 ? {16'd0, s_axis_tdata[63:16]} : {48'd0, s_axis_tdata[63:48]};
            tail_keep_reg <= shift2 ? {2'd0, s_axis_tkeep[7:2]} : {6'd0, s_axis_tkeep[7:6]};
        end
        other_reg <= is_other && kind_reg != K_OTHER;
        if (s_axis_tlast) begin
            beat_reg <= 2'd0;
            kind_reg <= K_OPEN;
        end else begin
            if (beat_reg != 2'd3) beat_reg <= beat_reg + 2'd1;
            kind_reg <= kind_next;
        end
    end
    if (rst) begin
        beat_reg <= 2'd0;
        kind_reg <= K_OPEN;
        tail_reg <= 1'b0;
        out_valid_reg <= 1'b0;
        other_reg <= 1'b0;
    end
end

assign m_axis_tdata = out_data_reg;
assign m_axis_tkeep = out_keep_reg;
assign m_axis_tvalid = out_valid_reg;
assign m_axis_tlast = out_last_reg;
assign other = other_reg;

endmodule
`default_nettype wire
