// CRC-16/CCITT-FALSE (polynomial 0x1021, MSB first, initial value 0xFFFF, no final XOR) advanced by one
// byte. A frame whose two last bytes are its CRC, high byte first, leaves the register at zero.
`default_nettype none
module crc16_ccitt (
    input  wire [15:0] crc,
    input  wire [7:0]  data,
    output reg  [15:0] next
);
integer i;
always @* begin
    next = crc ^ {data, 8'h00};
    for (i = 0; i < 8; i = i + 1) next = next[15] ? {next[14:0], 1'b0} ^ 16'h1021 : {next[14:0], 1'b0};
end
endmodule
`default_nettype wire
