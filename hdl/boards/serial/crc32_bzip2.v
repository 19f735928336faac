// The register of CRC-32/BZIP2 (the IEEE 802.3 polynomial 0x04C11DB7, MSB first, initial value 0xFFFFFFFF,
// final XOR 0xFFFFFFFF) advanced by one byte. The sender appends the inverted register, high byte first; a
// whole good frame leaves the register at RESIDUE. Why the final XOR: without it a good frame leaves zero,
// and a zero byte added or lost after a CRC that ends in zero leaves zero too (one frame in 256 then takes a
// doubled or dropped last byte). Why 32 bits: a frame a byte longer or shorter is a random one to the check,
// and 16 bits let one in 65,536 of them through.
`default_nettype none
module crc32_bzip2 (
    input  wire [31:0] crc,
    input  wire [7:0]  data,
    output reg  [31:0] next
);
integer i;
always @* begin
    next = crc ^ {data, 24'h000000};
    for (i = 0; i < 8; i = i + 1) next = next[31] ? {next[30:0], 1'b0} ^ 32'h04C11DB7 : {next[30:0], 1'b0};
end
endmodule
`default_nettype wire
