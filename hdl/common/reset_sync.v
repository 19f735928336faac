// Reset synchroniser: rst_in (any clock, active high) asserts rst immediately and releases it
// SYNC_STAGES clk edges after rst_in falls, so every flip-flop of the domain leaves reset on the same
// edge. The first stage's input is the crossing; the board constraints make it a false path.
`default_nettype none
module reset_sync #(
    parameter SYNC_STAGES = 3
) (
    input  wire clk,
    input  wire rst_in,
    output wire rst
);

(* ASYNC_REG = "TRUE" *) reg [SYNC_STAGES-1:0] sync_reg;

always @(posedge clk or posedge rst_in) begin
    if (rst_in) sync_reg <= {SYNC_STAGES{1'b1}};
    else sync_reg <= {sync_reg[SYNC_STAGES-2:0], 1'b0};
end

assign rst = sync_reg[SYNC_STAGES-1];

endmodule
`default_nettype wire
