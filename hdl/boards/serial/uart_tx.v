// UART transmitter, 8N1, LSB first; takes a byte when ready and idle, holds the line high between bytes.
`default_nettype none
module uart_tx #(
    parameter integer CLKS_PER_BIT = 20
) (
    input  wire       clk,
    input  wire       rst,
    input  wire [7:0] s_data,
    input  wire       s_valid,
    output wire       s_ready,
    output reg        txd
);
localparam integer W = $clog2(CLKS_PER_BIT + 1);
localparam [W-1:0] FULL = W'(CLKS_PER_BIT - 1);

reg [8:0]   frame;       // data then stop, shifted out LSB first after the start bit
reg [3:0]   bits_left;   // bit periods left, counting the one on the line
reg [W-1:0] timer;

assign s_ready = bits_left == 0;

always @(posedge clk) begin
    if (rst) begin
        txd <= 1'b1;
        bits_left <= 4'd0;
        timer <= '0;
        frame <= 9'h1FF;
    end else if (bits_left == 0) begin
        if (s_valid) begin
            txd <= 1'b0;
            frame <= {1'b1, s_data};
            bits_left <= 4'd10;
            timer <= FULL;
        end
    end else if (timer != 0) begin
        timer <= timer - 1'b1;
    end else begin
        bits_left <= bits_left - 1'b1;
        if (bits_left != 4'd1) begin
            txd <= frame[0];
            frame <= {1'b1, frame[8:1]};
            timer <= FULL;
        end
    end
end
endmodule
`default_nettype wire
