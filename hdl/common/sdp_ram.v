// Simple dual-port RAM: one write port, one registered read port that holds its output while re is low.
// A plain array, so synthesis infers block RAM (or LUT RAM when small).
`default_nettype none
module sdp_ram #(
    parameter integer WIDTH = 64,
    parameter integer DEPTH = 1024,
    parameter integer ADDR_WIDTH = $clog2(DEPTH)
) (
    input  wire                  clk,
    input  wire                  we,
    input  wire [ADDR_WIDTH-1:0] waddr,
    input  wire [WIDTH-1:0]      wdata,
    input  wire                  re,
    input  wire [ADDR_WIDTH-1:0] raddr,
    output reg  [WIDTH-1:0]      rdata
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];

    always @(posedge clk) begin
        if (we) mem[waddr] <= wdata;
    end

    always @(posedge clk) begin
        if (re) rdata <= mem[raddr];
    end
endmodule
`default_nettype wire
