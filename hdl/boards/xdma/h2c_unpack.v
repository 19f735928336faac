// Host-to-card width conversion: one XDMA H2C beat (WORDS 64-bit words, tkeep per byte) becomes up to
// WORDS words, lowest first, each with its 8 keep bits; the last word of the XDMA packet carries tlast.
// A word is sent when its first byte is kept (XDMA fills tkeep from byte 0). The beat is held in a shift
// register so the output is always its low word: no word-select mux on the path.
// m_axis_tuser holds what h2c_deframer asks of a word that may be a sub-frame header, checked when the beat is
// taken so that the deframer's decision does not follow a wide compare: [0] the header's shape (all bytes
// kept, the magic, byte 3 and the reserved flag bits zero), [1] a payload length of zero (bytes 0-1).
`default_nettype none
`include "tickgate_layout.vh"
module h2c_unpack #(
    parameter WORDS = 8
) (
    input  wire                 clk,
    input  wire                 rst,

    input  wire [64*WORDS-1:0]  s_axis_tdata,
    input  wire [8*WORDS-1:0]   s_axis_tkeep,
    input  wire                 s_axis_tvalid,
    output wire                 s_axis_tready,
    input  wire                 s_axis_tlast,

    output wire [63:0]          m_axis_tdata,
    output wire [7:0]           m_axis_tkeep,
    output wire                 m_axis_tvalid,
    input  wire                 m_axis_tready,
    output wire                 m_axis_tlast,
    output wire [1:0]           m_axis_tuser
);

reg [64*WORDS-1:0] beat_reg;
reg [8*WORDS-1:0]  keep_reg;
reg                last_reg;
reg                valid_reg;
reg [WORDS-1:0]    shape_reg, empty_reg;

function [WORDS-1:0] header_shapes(input [64*WORDS-1:0] data, input [8*WORDS-1:0] keep);
    integer w;
    for (w = 0; w < WORDS; w = w + 1)
        header_shapes[w] = keep[8*w +: 8] == 8'hFF && data[64*w + 32 +: 32] == `TG_XSH_FRAME_MAGIC &&
                           data[64*w + 24 +: 8] == 8'd0 && data[64*w + 17 +: 7] == 7'd0;
endfunction
function [WORDS-1:0] zero_lengths(input [64*WORDS-1:0] data);
    integer w;
    for (w = 0; w < WORDS; w = w + 1) zero_lengths[w] = data[64*w +: 16] == 16'd0;
endfunction

// the low word is the beat's final one when the next word holds nothing (or there is no next word)
wire final_word = WORDS == 1 ? 1'b1 : !keep_reg[8];
wire take_word = valid_reg && m_axis_tready;

assign s_axis_tready = !valid_reg || (m_axis_tready && final_word);
assign m_axis_tdata = beat_reg[63:0];
assign m_axis_tkeep = keep_reg[7:0];
assign m_axis_tlast = last_reg && final_word;
assign m_axis_tuser = {empty_reg[0], shape_reg[0]};
// a beat that keeps no byte still ends its packet (a word with no bytes), otherwise it is nothing
assign m_axis_tvalid = valid_reg && (keep_reg[0] || (last_reg && final_word));

always @(posedge clk) begin
    if (rst) begin
        valid_reg <= 1'b0;
        last_reg <= 1'b0;
        beat_reg <= {64*WORDS{1'b0}};
        keep_reg <= {8*WORDS{1'b0}};
        shape_reg <= {WORDS{1'b0}};
        empty_reg <= {WORDS{1'b0}};
    end else if (s_axis_tvalid && s_axis_tready) begin
        valid_reg <= 1'b1;
        beat_reg <= s_axis_tdata;
        keep_reg <= s_axis_tkeep;
        shape_reg <= header_shapes(s_axis_tdata, s_axis_tkeep);
        empty_reg <= zero_lengths(s_axis_tdata);
        last_reg <= s_axis_tlast;
    end else if (take_word || (valid_reg && !m_axis_tvalid)) begin
        if (final_word) begin
            valid_reg <= 1'b0;
        end else begin
            beat_reg <= beat_reg >> 64;
            keep_reg <= keep_reg >> 8;
            shape_reg <= shape_reg >> 1;
            empty_reg <= empty_reg >> 1;
        end
    end
end

endmodule
`default_nettype wire
