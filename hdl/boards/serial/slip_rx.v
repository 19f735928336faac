// SLIP decoder (RFC 1055): END (0xC0) delimits frames; ESC (0xDB) followed by 0xDC stands for 0xC0 and by
// 0xDD for 0xDB. Any other byte after ESC marks the frame bad (reported with its END). Byte rate: one in,
// at most one out per cycle.
`default_nettype none
module slip_rx (
    input  wire       clk,
    input  wire       rst,
    input  wire [7:0] s_data,
    input  wire       s_valid,
    output reg  [7:0] m_data,
    output reg        m_valid,     // a decoded frame byte
    output reg        m_end,       // END: the frame so far is complete
    output reg        m_bad        // with m_end: the frame held a bad escape
);
localparam [7:0] END = 8'hC0, ESC = 8'hDB, ESC_END = 8'hDC, ESC_ESC = 8'hDD;
reg escaped, bad;

always @(posedge clk) begin
    m_valid <= 1'b0;
    m_end <= 1'b0;
    m_bad <= 1'b0;
    if (rst) begin
        escaped <= 1'b0;
        bad <= 1'b0;
    end else if (s_valid) begin
        if (s_data == END) begin
            m_end <= 1'b1;
            m_bad <= bad || escaped;
            escaped <= 1'b0;
            bad <= 1'b0;
        end else if (escaped) begin
            escaped <= 1'b0;
            if (s_data == ESC_END || s_data == ESC_ESC) begin
                m_data <= s_data == ESC_END ? END : ESC;
                m_valid <= 1'b1;
            end else begin
                bad <= 1'b1;
            end
        end else if (s_data == ESC) begin
            escaped <= 1'b1;
        end else begin
            m_data <= s_data;
            m_valid <= 1'b1;
        end
    end
end
endmodule
`default_nettype wire
