// SLIP encoder: a byte stream with frame delimiters in, escaped bytes out (END before and after every frame,
// so a receiver that lost sync finds the next frame at once).
`default_nettype none
module slip_tx (
    input  wire       clk,
    input  wire       rst,
    input  wire [7:0] s_data,
    input  wire       s_delimiter,   // send END (s_data ignored)
    input  wire       s_valid,
    output wire       s_ready,
    output wire [7:0] m_data,
    output wire       m_valid,
    input  wire       m_ready
);
localparam [7:0] END = 8'hC0, ESC = 8'hDB, ESC_END = 8'hDC, ESC_ESC = 8'hDD;
reg       second;        // the escaped byte's second half is due
reg [7:0] second_byte;

wire needs_escape = !s_delimiter && (s_data == END || s_data == ESC);
assign m_valid = second || s_valid;
assign m_data = second ? second_byte : s_delimiter ? END : needs_escape ? ESC : s_data;
assign s_ready = !second && m_ready;

always @(posedge clk) begin
    if (rst) begin
        second <= 1'b0;
    end else if (m_ready) begin
        if (second) second <= 1'b0;
        else if (s_valid && needs_escape) begin
            second <= 1'b1;
            second_byte <= s_data == END ? ESC_END : ESC_ESC;
        end
    end
end
endmodule
`default_nettype wire
