// Behavioural model of the ports of the 7-series MMCME2_BASE primitive (lint and simulation only): CLKOUT0
// is the input clock itself (simulation counts cycles, not nanoseconds), LOCKED rises 16 input cycles after
// RST falls, like an MMCM that takes time to lock. The other outputs are tied off.
`default_nettype none
module MMCME2_BASE #(
    parameter real CLKIN1_PERIOD = 10.0,
    parameter integer DIVCLK_DIVIDE = 1,
    parameter real CLKFBOUT_MULT_F = 5.0,
    parameter real CLKOUT0_DIVIDE_F = 1.0
) (
    input  wire CLKIN1,
    input  wire CLKFBIN,
    input  wire RST,
    input  wire PWRDWN,
    output wire CLKFBOUT,
    output wire CLKFBOUTB,
    output wire CLKOUT0,
    output wire CLKOUT0B,
    output wire CLKOUT1,
    output wire CLKOUT1B,
    output wire CLKOUT2,
    output wire CLKOUT2B,
    output wire CLKOUT3,
    output wire CLKOUT3B,
    output wire CLKOUT4,
    output wire CLKOUT5,
    output wire CLKOUT6,
    output wire LOCKED
);
// the settings a real MMCME2 (speed grade -1) accepts: VCO 600 to 1,200 MHz, input 10 to 800 MHz
localparam real VCO_MHZ = 1000.0 / CLKIN1_PERIOD * CLKFBOUT_MULT_F / DIVCLK_DIVIDE;
initial begin
    if (VCO_MHZ < 600.0 || VCO_MHZ > 1200.0) $error("MMCME2_BASE: VCO at %f MHz, outside 600 to 1,200", VCO_MHZ);
    if (CLKOUT0_DIVIDE_F < 1.0 || CLKOUT0_DIVIDE_F > 128.0) $error("MMCME2_BASE: CLKOUT0_DIVIDE_F %f out of range", CLKOUT0_DIVIDE_F);
end
reg [4:0] lock_count = 5'd0;
always @(posedge CLKIN1 or posedge RST) begin
    if (RST) lock_count <= 5'd0;
    else if (!lock_count[4]) lock_count <= lock_count + 5'd1;
end
wire unused = &{CLKFBIN, PWRDWN, 1'b0};
assign CLKFBOUT = CLKIN1;
assign CLKFBOUTB = !CLKIN1;
assign CLKOUT0 = CLKIN1;
assign CLKOUT0B = !CLKIN1;
assign {CLKOUT1, CLKOUT1B, CLKOUT2, CLKOUT2B, CLKOUT3, CLKOUT3B, CLKOUT4, CLKOUT5, CLKOUT6} = 9'd0;
assign LOCKED = lock_count[4];
endmodule
`default_nettype wire
