// Statistics counter: adds `inc` every cycle, clears synchronously on `clear`, and stops at 2^WIDTH - 1
// instead of wrapping: a reader never sees a count go down without a clear.
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

wire             carry;
wire [WIDTH-1:0] sum;
// 16-bit carry chains: a 64-bit count in one chain would not hold the clock
carry_select_add #(.WIDTH(WIDTH), .B_WIDTH(INC_WIDTH)) adder (.a(count_reg), .b(inc), .sum(sum), .carry(carry));

always @(posedge clk) begin
    if (rst || clear) begin
        count_reg <= {WIDTH{1'b0}};
    end else begin
        count_reg <= carry ? {WIDTH{1'b1}} : sum;
    end
end

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    // never wraps: without a clear the count only grows, by exactly `inc` until it is full
    always @(posedge clk) if (f_past_valid && !$past(rst) && !$past(clear)) begin
        assert(count_reg >= $past(count_reg));
        if ({1'b0, $past(count_reg)} + {{WIDTH-INC_WIDTH+1{1'b0}}, $past(inc)} <= {1'b0, {WIDTH{1'b1}}})
            assert(count_reg == $past(count_reg) + {{WIDTH-INC_WIDTH{1'b0}}, $past(inc)});
        else
            assert(&count_reg);
    end
    always @(posedge clk) if (f_past_valid && ($past(rst) || $past(clear))) assert(count_reg == {WIDTH{1'b0}});
`endif

endmodule
`default_nettype wire
