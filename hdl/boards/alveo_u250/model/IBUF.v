// Behavioural model of an input buffer (lint and simulation only).
`default_nettype none
module IBUF (
    input  wire I,
    output wire O
);
assign O = I;
endmodule
`default_nettype wire
