// The wire ingress's subscription table (DESIGN.md 3.8): ENTRIES (destination address, UDP port, line)
// entries written through registers (FEED_LINE_ADDRESS, FEED_LINE_PORT, FEED_LINE_WRITE), read by udp_rx as
// flat vectors. A write to an entry past the table is ignored. Cleared by reset: no entry valid, which
// udp_rx takes as "every UDP stream, line A".
`default_nettype none
module line_table #(
    parameter integer ENTRIES = 16
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  we,
    input  wire [3:0]            slot,
    input  wire                  valid,
    input  wire [31:0]           addr,
    input  wire [15:0]           port,
    input  wire                  line,

    output reg  [ENTRIES-1:0]    tbl_valid,
    output reg  [ENTRIES*32-1:0] tbl_addr,
    output reg  [ENTRIES*16-1:0] tbl_port,
    output reg  [ENTRIES-1:0]    tbl_line
);
integer e;
always @(posedge clk) begin
    if (we)
        for (e = 0; e < ENTRIES; e = e + 1)
            if (slot == e[3:0]) begin
                tbl_valid[e] <= valid;
                tbl_addr[32*e +: 32] <= addr;
                tbl_port[16*e +: 16] <= port;
                tbl_line[e] <= line;
            end
    if (rst) tbl_valid <= {ENTRIES{1'b0}};
end
endmodule
`default_nettype wire
