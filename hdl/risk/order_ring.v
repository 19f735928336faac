// Byte-addressed ring of the order stream's last 8 KiB, for store-and-forward and for reading field values
// back (the parser's field records carry offsets, not bytes). Eight byte lanes, each its own RAM, so a beat
// of any length lands at any byte address and 8 bytes can be read from any byte address in one access.
// Addresses are global byte positions (all streams back to back) modulo 2^16. Two read ports, each with
// a one-cycle latency; a port holds its output while its enable is low.
`default_nettype none
module order_ring #(
    parameter integer ROWS = 1024          // 8 bytes each
) (
    input  wire        clk,

    input  wire        wr_en,
    input  wire [15:0] wr_addr,            // address of the beat's lane 0
    input  wire [63:0] wr_data,
    input  wire [3:0]  wr_bytes,           // 0..8, from lane 0

    input  wire        a_en,
    input  wire [15:0] a_addr,
    output wire [63:0] a_data,             // byte i = the byte at a_addr + i

    input  wire        b_en,
    input  wire [15:0] b_addr,
    output wire [63:0] b_data
);
    localparam integer ROW_BITS = $clog2(ROWS);

    wire [2:0]          wr_lane0 = wr_addr[2:0];
    wire [ROW_BITS-1:0] wr_row = wr_addr[3 +: ROW_BITS];
    wire [63:0]         wr_rotated = (wr_data << {wr_lane0, 3'b000}) | (wr_data >> {~wr_lane0 + 3'd1, 3'b000} & {64{wr_lane0 != 3'd0}});

    // lanes below an address's lane hold the bytes of the next row
    wire [7:0] wr_wrap = (8'd1 << wr_lane0) - 8'd1;
    wire [7:0] a_wrap = (8'd1 << a_addr[2:0]) - 8'd1;
    wire [7:0] b_wrap = (8'd1 << b_addr[2:0]) - 8'd1;
    wire [8:0] unused_high = {wr_addr[15:13], a_addr[15:13], b_addr[15:13]};

    reg  [2:0] a_shift_q, b_shift_q;
    wire [63:0] a_lanes, b_lanes;

    genvar j;
    generate
        for (j = 0; j < 8; j = j + 1) begin : g_lane
            wire [2:0] wr_index = j[2:0] - wr_lane0;              // which byte of the beat lands here
            wire       lane_we = wr_en && {1'b0, wr_index} < wr_bytes;
            wire [ROW_BITS-1:0] lane_wrow = wr_row + {{ROW_BITS-1{1'b0}}, wr_wrap[j]};
            wire [ROW_BITS-1:0] a_row = a_addr[3 +: ROW_BITS] + {{ROW_BITS-1{1'b0}}, a_wrap[j]};
            wire [ROW_BITS-1:0] b_row = b_addr[3 +: ROW_BITS] + {{ROW_BITS-1{1'b0}}, b_wrap[j]};
            sdp_ram #(.WIDTH(8), .DEPTH(ROWS)) a_ram (
                .clk(clk), .we(lane_we), .waddr(lane_wrow), .wdata(wr_rotated[j*8 +: 8]),
                .re(a_en), .raddr(a_row), .rdata(a_lanes[j*8 +: 8]));
            sdp_ram #(.WIDTH(8), .DEPTH(ROWS)) b_ram (
                .clk(clk), .we(lane_we), .waddr(lane_wrow), .wdata(wr_rotated[j*8 +: 8]),
                .re(b_en), .raddr(b_row), .rdata(b_lanes[j*8 +: 8]));
        end
    endgenerate

    always @(posedge clk) begin
        if (a_en) a_shift_q <= a_addr[2:0];
        if (b_en) b_shift_q <= b_addr[2:0];
    end

    assign a_data = (a_lanes >> {a_shift_q, 3'b000}) | (a_lanes << {~a_shift_q + 3'd1, 3'b000} & {64{a_shift_q != 3'd0}});
    assign b_data = (b_lanes >> {b_shift_q, 3'b000}) | (b_lanes << {~b_shift_q + 3'd1, 3'b000} & {64{b_shift_q != 3'd0}});
endmodule
`default_nettype wire
