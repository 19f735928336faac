// Card-to-host order packets: each frame of the core's order egress (an accepted order, or in cut-through
// mode a frame that may end dropped) leaves as one XDMA C2H packet: its bytes, the last word zero-padded
// to 8 bytes, then an 8-byte trailer: bytes 0-3 the frame's length in bytes (little-endian), byte 4 flags
// (bit 0 DROPPED: the frame ended with tuser, the host must not send it on), bytes 5-7 zero. Words are
// gathered WORDS to a beat; the trailer's beat carries tlast.
`default_nettype none
module c2h_order_packer #(
    parameter WORDS = 8
) (
    input  wire                 clk,
    input  wire                 rst,

    input  wire [63:0]          s_axis_tdata,
    input  wire [7:0]           s_axis_tkeep,    // contiguous from lane 0
    input  wire                 s_axis_tvalid,
    output wire                 s_axis_tready,
    input  wire                 s_axis_tlast,
    input  wire                 s_axis_tuser,

    output wire [64*WORDS-1:0]  m_axis_tdata,
    output wire [8*WORDS-1:0]   m_axis_tkeep,
    output wire                 m_axis_tvalid,
    input  wire                 m_axis_tready,
    output wire                 m_axis_tlast,

    output wire                 packet_done      // pulse: a frame left whole
);

localparam IDX_BITS = WORDS > 1 ? $clog2(WORDS) : 1;

reg [64*WORDS-1:0] beat_reg;
reg [WORDS-1:0]    words_reg;          // slots of beat_reg already filled
reg [IDX_BITS-1:0] idx_reg;            // the slot the next word goes to
reg [31:0]         length_reg;         // bytes of the frame so far, but for pending_reg
reg [3:0]          pending_reg;        // bytes of the word taken last cycle: added a cycle late, so the byte
                                       // count of a word is never on a path behind the input's tkeep
reg                trailer_pending_reg;
reg                dropped_reg;
reg [64*WORDS-1:0] out_data_reg;
reg [8*WORDS-1:0]  out_keep_reg;
reg                out_valid_reg;
reg                out_last_reg;
reg                packet_done_reg;

wire out_free = !out_valid_reg || m_axis_tready;

// the next word: the pending trailer, or a payload word with the lanes past tkeep cleared
wire [3:0] keep_bytes = s_axis_tkeep[7] ? 4'd8 : s_axis_tkeep[6] ? 4'd7 : s_axis_tkeep[5] ? 4'd6 :
                        s_axis_tkeep[4] ? 4'd5 : s_axis_tkeep[3] ? 4'd4 : s_axis_tkeep[2] ? 4'd3 :
                        s_axis_tkeep[1] ? 4'd2 : s_axis_tkeep[0] ? 4'd1 : 4'd0;
reg [63:0] payload_word;
integer b;
always @* begin
    for (b = 0; b < 8; b = b + 1) payload_word[8*b +: 8] = s_axis_tkeep[b] ? s_axis_tdata[8*b +: 8] : 8'd0;
end
wire [31:0] length_sum;
wire        length_carry;
// 16-bit carry chains: a 32-bit count in one chain would not hold the clock
carry_select_add #(.WIDTH(32), .B_WIDTH(4)) length_adder (.a(length_reg), .b(pending_reg), .sum(length_sum), .carry(length_carry));
wire [63:0] trailer_word = {24'd0, 7'd0, dropped_reg, length_sum};
wire        unused_length_carry = length_carry;  // a frame of 4 GiB: the length wraps, the host checks it

wire        word_valid = trailer_pending_reg || s_axis_tvalid;
wire [63:0] word = trailer_pending_reg ? trailer_word : payload_word;
wire        word_ends = trailer_pending_reg;
// an input beat without bytes (tkeep 0: in cut-through mode a frame's last beat, at its verdict, after all its
// bytes left) takes no slot; only its tlast and tuser count
wire        word_empty = !trailer_pending_reg && !s_axis_tkeep[0];
wire        beat_full = idx_reg == IDX_BITS'(WORDS - 1);
wire        emit = word_valid && !word_empty && (beat_full || word_ends);
// a word is taken when it does not close a beat, or the output can take the beat it closes
wire        take = word_valid && (!emit || out_free);

assign s_axis_tready = !trailer_pending_reg && (!emit || out_free);
assign m_axis_tdata = out_data_reg;
assign m_axis_tkeep = out_keep_reg;
assign m_axis_tvalid = out_valid_reg;
assign m_axis_tlast = out_last_reg;
assign packet_done = packet_done_reg;

integer k;
always @(posedge clk) begin
    if (rst) begin
        beat_reg <= {64*WORDS{1'b0}};
        words_reg <= {WORDS{1'b0}};
        idx_reg <= {IDX_BITS{1'b0}};
        length_reg <= 32'd0;
        pending_reg <= 4'd0;
        trailer_pending_reg <= 1'b0;
        dropped_reg <= 1'b0;
        out_data_reg <= {64*WORDS{1'b0}};
        out_keep_reg <= {8*WORDS{1'b0}};
        out_valid_reg <= 1'b0;
        out_last_reg <= 1'b0;
        packet_done_reg <= 1'b0;
    end else begin
        packet_done_reg <= 1'b0;
        if (m_axis_tready) out_valid_reg <= 1'b0;
        pending_reg <= take && !trailer_pending_reg ? keep_bytes : 4'd0;
        length_reg <= take && trailer_pending_reg ? 32'd0 : length_sum;
        if (take && !word_empty) begin
            if (emit) begin
                for (k = 0; k < WORDS; k = k + 1) begin
                    out_data_reg[64*k +: 64] <= idx_reg == IDX_BITS'(k) ? word : beat_reg[64*k +: 64];
                    out_keep_reg[8*k +: 8] <= (words_reg[k] || idx_reg == IDX_BITS'(k)) ? 8'hFF : 8'h00;
                end
                out_valid_reg <= 1'b1;
                out_last_reg <= word_ends;
                packet_done_reg <= word_ends;
                words_reg <= {WORDS{1'b0}};
                idx_reg <= {IDX_BITS{1'b0}};
            end else begin
                for (k = 0; k < WORDS; k = k + 1) if (idx_reg == IDX_BITS'(k)) begin
                    beat_reg[64*k +: 64] <= word;
                    words_reg[k] <= 1'b1;
                end
                idx_reg <= idx_reg + 1'b1;
            end
        end
        if (take) begin
            if (trailer_pending_reg) begin
                trailer_pending_reg <= 1'b0;
            end else if (s_axis_tlast) begin
                trailer_pending_reg <= 1'b1;
                dropped_reg <= s_axis_tuser;
            end
        end
    end
end

endmodule
`default_nettype wire
