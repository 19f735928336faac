// Host-to-card framing: turns the words of XDMA H2C packets into one core ingress stream. A host write
// (one XDMA packet) holds any number of sub-frames, each an 8-byte header and its payload padded to a
// multiple of 8 bytes:
//   bytes 0-1  payload length in bytes (little-endian, 0..65535)
//   byte  2    flags: bit 0 END, the core frame ends with this payload (tlast): the end of a feed packet,
//              of a FIX stream or of the order stream; other bits must be 0
//   byte  3    0
//   bytes 4-7  "TGH1"
// Payload words go out as core beats (keep contiguous from lane 0, the padding dropped); an END sub-frame
// with no payload gives one beat with no bytes and tlast. src/device/xdma-framing.ts writes the format.
//
// A header that is not one (wrong magic, a reserved bit set, a partial word) counts bad_header and the
// rest of that XDMA packet is dropped: the next write starts clean. A packet that ends inside a payload
// counts truncated and the bytes that came are sent, the last with tlast, so a feed packet never runs
// into the next one.
`default_nettype none
`include "tickgate_layout.vh"
module h2c_deframer (
    input  wire        clk,
    input  wire        rst,

    input  wire [63:0] s_axis_tdata,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [7:0]  s_axis_tkeep,     // a header's keep is in s_axis_tuser; a payload's comes from its length
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    input  wire        s_axis_tlast,     // the XDMA packet (host write) ends with this word
    input  wire [1:0]  s_axis_tuser,     // as a header: [0] its shape is right, [1] its length is 0 (h2c_unpack)

    output wire [63:0] m_axis_tdata,
    output wire [7:0]  m_axis_tkeep,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,

    output wire        frame_done,       // pulses: a sub-frame was delivered whole
    output wire        bad_header,
    output wire        truncated
);

localparam [1:0] ST_HEADER = 2'd0;
localparam [1:0] ST_PAYLOAD = 2'd1;
localparam [1:0] ST_DISCARD = 2'd2;  // after a bad header: drop to the end of the XDMA packet

(* fsm_encoding = "none" *) reg [1:0] state_reg, state_next;
reg [12:0] full_left_reg, full_left_next;    // whole payload words still to come, this one included
reg        tail_reg, tail_next;              // a partial word ends the payload
reg [7:0]  final_keep_reg, final_keep_next;  // keep of the payload's final word
reg        end_reg, end_next;

reg [63:0] out_data_reg, out_data_next;
reg [7:0]  out_keep_reg, out_keep_next;
reg        out_last_reg, out_last_next;
reg        out_valid_reg, out_valid_next;
reg        frame_done_reg, frame_done_next;
reg        bad_header_reg, bad_header_next;
reg        truncated_reg, truncated_next;

wire out_free = !out_valid_reg || m_axis_tready;
assign s_axis_tready = out_free;
assign m_axis_tdata = out_data_reg;
assign m_axis_tkeep = out_keep_reg;
assign m_axis_tlast = out_last_reg;
assign m_axis_tvalid = out_valid_reg;
assign frame_done = frame_done_reg;
assign bad_header = bad_header_reg;
assign truncated = truncated_reg;

wire [15:0] hdr_length = s_axis_tdata[15:0];
wire        hdr_end = s_axis_tdata[16];     // flags bit 0, END
// all 8 bytes kept, bytes 4-7 the magic (TG_XSH_FRAME_MAGIC), byte 3 and flag bits 7:1 zero
wire        hdr_ok = s_axis_tuser[0];
wire        hdr_empty = s_axis_tuser[1];   // hdr_length == 0
wire [7:0]  hdr_final_keep = hdr_length[2:0] == 3'd0 ? 8'hFF : (8'd1 << hdr_length[2:0]) - 8'd1;
// the payload is full_left whole words, then one partial word if tail: counted that way there is no
// add on the header's path (a word count rounded up would be a carry chain behind the header's bytes)
wire        final_word = tail_reg ? full_left_reg == 13'd0 : full_left_reg == 13'd1;

always @* begin
    state_next = state_reg;
    full_left_next = full_left_reg;
    tail_next = tail_reg;
    final_keep_next = final_keep_reg;
    end_next = end_reg;
    out_data_next = out_data_reg;
    out_keep_next = out_keep_reg;
    out_last_next = out_last_reg;
    out_valid_next = out_valid_reg && !m_axis_tready;
    frame_done_next = 1'b0;
    bad_header_next = 1'b0;
    truncated_next = 1'b0;

    if (s_axis_tvalid && out_free) begin
        case (state_reg)
            ST_HEADER: begin
                if (!hdr_ok) begin
                    bad_header_next = 1'b1;
                    if (!s_axis_tlast) state_next = ST_DISCARD;
                end else if (hdr_empty) begin
                    // no payload: an END still ends the core frame, with a beat that holds no byte
                    frame_done_next = 1'b1;
                    if (hdr_end) begin
                        out_data_next = 64'd0;
                        out_keep_next = 8'd0;
                        out_last_next = 1'b1;
                        out_valid_next = 1'b1;
                    end
                end else if (s_axis_tlast) begin
                    // a header with a payload, and the packet ends: the core frame ends with no byte
                    truncated_next = 1'b1;
                    out_data_next = 64'd0;
                    out_keep_next = 8'd0;
                    out_last_next = 1'b1;
                    out_valid_next = 1'b1;
                end else begin
                    state_next = ST_PAYLOAD;
                    full_left_next = hdr_length[15:3];
                    tail_next = hdr_length[2:0] != 3'd0;
                    final_keep_next = hdr_final_keep;
                    end_next = hdr_end;
                end
            end
            ST_PAYLOAD: begin
                out_data_next = s_axis_tdata;
                out_keep_next = final_word ? final_keep_reg : 8'hFF;
                out_last_next = (final_word && end_reg) || (!final_word && s_axis_tlast);
                out_valid_next = 1'b1;
                if (full_left_reg != 13'd0) full_left_next = full_left_reg - 13'd1;
                if (final_word) begin
                    frame_done_next = 1'b1;
                    state_next = ST_HEADER;
                end else if (s_axis_tlast) begin
                    truncated_next = 1'b1;
                    state_next = ST_HEADER;
                end
            end
            default: begin
                if (s_axis_tlast) state_next = ST_HEADER;
            end
        endcase
    end
end

always @(posedge clk) begin
    if (rst) begin
        state_reg <= ST_HEADER;
        full_left_reg <= 13'd0;
        tail_reg <= 1'b0;
        final_keep_reg <= 8'd0;
        end_reg <= 1'b0;
        out_data_reg <= 64'd0;
        out_keep_reg <= 8'd0;
        out_last_reg <= 1'b0;
        out_valid_reg <= 1'b0;
        frame_done_reg <= 1'b0;
        bad_header_reg <= 1'b0;
        truncated_reg <= 1'b0;
    end else begin
        state_reg <= state_next;
        full_left_reg <= full_left_next;
        tail_reg <= tail_next;
        final_keep_reg <= final_keep_next;
        end_reg <= end_next;
        out_data_reg <= out_data_next;
        out_keep_reg <= out_keep_next;
        out_last_reg <= out_last_next;
        out_valid_reg <= out_valid_next;
        frame_done_reg <= frame_done_next;
        bad_header_reg <= bad_header_next;
        truncated_reg <= truncated_next;
    end
end

endmodule
`default_nettype wire
