// Behavioural model of the Clocking Wizard instance that build.tcl generates (clk_wiz_core: differential
// 300 MHz in, the core clock out, reset and locked), for lint and simulation only: the clock passes
// through and locked rises 16 input cycles after reset falls, like an MMCM that takes time to lock.
`default_nettype none
module clk_wiz_core (
    input  wire clk_in1_p,
    input  wire clk_in1_n,
    input  wire reset,
    output wire clk_out1,
    output wire locked
);
reg [4:0] lock_count_reg = 5'd0;
always @(posedge clk_in1_p or posedge reset) begin
    if (reset) lock_count_reg <= 5'd0;
    else if (!lock_count_reg[4]) lock_count_reg <= lock_count_reg + 5'd1;
end
wire unused_n = clk_in1_n;
assign clk_out1 = clk_in1_p;
assign locked = lock_count_reg[4];
endmodule
`default_nettype wire
