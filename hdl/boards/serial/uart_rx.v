// UART receiver, 8N1, LSB first. The line is synchronised through two flops; a start bit is taken when the
// line has been low for half a bit, then each bit is sampled in its middle. A stop bit that is not high is a
// framing error: the byte is dropped and counted by the caller (a break or a baud mismatch).
`default_nettype none
module uart_rx #(
    parameter integer CLKS_PER_BIT = 20   // at least 4
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       rxd,
    output reg  [7:0] data,
    output reg        valid,              // one cycle per byte
    output reg        framing_error       // one cycle per byte dropped
);
localparam integer W = $clog2(CLKS_PER_BIT + 1);
localparam [W-1:0] HALF = W'(CLKS_PER_BIT / 2 - 1);
localparam [W-1:0] FULL = W'(CLKS_PER_BIT - 1);

(* ASYNC_REG = "TRUE" *) reg [1:0] sync;
wire line = sync[1];

localparam [1:0] IDLE = 2'd0, START = 2'd1, BITS = 2'd2, STOP = 2'd3;
reg [1:0]   state;
reg [W-1:0] timer;
reg [2:0]   bit_index;
reg [7:0]   shift;

always @(posedge clk) begin
    sync <= {sync[0], rxd};
    valid <= 1'b0;
    framing_error <= 1'b0;
    if (rst) begin
        sync <= 2'b11;
        state <= IDLE;
        timer <= '0;
        bit_index <= 3'd0;
    end else begin
        case (state)
        IDLE: if (!line) begin
            state <= START;
            timer <= HALF;
        end
        START: if (timer != 0) timer <= timer - 1'b1;
        else if (line) state <= IDLE;            // a glitch, not a start bit
        else begin
            state <= BITS;
            timer <= FULL;
            bit_index <= 3'd0;
        end
        BITS: if (timer != 0) timer <= timer - 1'b1;
        else begin
            shift <= {line, shift[7:1]};
            timer <= FULL;
            bit_index <= bit_index + 1'b1;
            if (bit_index == 3'd7) state <= STOP;
        end
        default: if (timer != 0) timer <= timer - 1'b1;
        else begin
            state <= IDLE;
            data <= shift;
            valid <= line;
            framing_error <= !line;
        end
        endcase
    end
end
endmodule
`default_nettype wire
