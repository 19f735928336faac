// Behavioural model of the UltraScale+ GT reference clock buffer's ports (lint and simulation only):
// O follows the pin, ODIV2 is the same clock (the real ODIV2 may be divided by 2; the XDMA model ignores it).
`default_nettype none
module IBUFDS_GTE4 (
    input  wire I,
    input  wire IB,
    input  wire CEB,
    output wire O,
    output wire ODIV2
);
wire unused_pins = IB ^ CEB;
assign O = I;
assign ODIV2 = I;
endmodule
`default_nettype wire
