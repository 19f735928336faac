// Behavioural model of a global clock buffer (lint and simulation only).
`default_nettype none
module BUFG (
    input  wire I,
    output wire O
);
assign O = I;
endmodule
`default_nettype wire
