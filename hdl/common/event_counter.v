// Statistics counter: adds `inc` every cycle, clears synchronously on `clear`, wraps at 2^WIDTH.
`default_nettype none
module event_counter #(
    parameter WIDTH = 32,
    parameter INC_WIDTH = 1
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 clear,
    input  wire [INC_WIDTH-1:0] inc,
    output wire [WIDTH-1:0]     count
);

reg [WIDTH-1:0] count_reg;
assign count = count_reg;

always @(posedge clk) begin
    if (rst || clear) begin
        count_reg <= {WIDTH{1'b0}};
    end else begin
        count_reg <= count_reg + {{WIDTH-INC_WIDTH{1'b0}}, inc};
    end
end

endmodule
`default_nettype wire
