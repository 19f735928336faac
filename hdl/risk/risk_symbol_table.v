// The risk gate's symbol table: a cuckoo hash of up to 1,024 symbols in two ways of 1,024 slots, each way
// in two banks (active and shadow). A symbol (8 bytes, NUL padded) may sit in slot CRC-32(symbol)[9:0] of
// way 0 or slot CRC-32C(symbol)[9:0] of way 1; the host places it (src/risk/symbol-table.ts) and writes
// the slot through registers. A look-up reads both ways at once: the answer is there the next cycle. Two
// look-up ports: orders and the feed's trades.
// After reset every slot is emptied, one address of both ways per cycle (`clearing`).
`default_nettype none
module risk_symbol_table (
    input  wire        clk,
    input  wire        rst,
    output wire        clearing,

    input  wire        wr_en,
    input  wire        wr_way,
    input  wire        wr_bank,
    input  wire [9:0]  wr_slot,
    input  wire        wr_valid,
    input  wire [9:0]  wr_index,
    input  wire [63:0] wr_symbol,

    input  wire        look_en,
    input  wire        look_bank,
    input  wire [63:0] look_symbol,
    output wire        hit,                 // the cycle after look_en
    output wire [9:0]  index,

    // a second look-up port, for the feed's trades
    input  wire        trade_en,
    input  wire        trade_bank,
    input  wire [63:0] trade_symbol,
    output wire        trade_hit,
    output wire [9:0]  trade_index
);
    localparam [31:0] CRC32 = 32'h04C11DB7;
    localparam [31:0] CRC32C = 32'h1EDC6F41;

    // CRC over the 8 bytes, first character first, each byte most significant bit first; init 0
    function [9:0] slot_of(input [63:0] symbol, input [31:0] poly);
        integer b, i;
        reg [31:0] crc;
        reg fb;
        begin
            crc = 32'd0;
            for (b = 0; b < 8; b = b + 1)
                for (i = 7; i >= 0; i = i - 1) begin
                    fb = crc[31] ^ symbol[b*8 + i];
                    crc = {crc[30:0], 1'b0} ^ (fb ? poly : 32'd0);
                end
            slot_of = crc[9:0];
        end
    endfunction

    reg [11:0] clear_q;                     // bit 11 set: done
    assign clearing = !clear_q[11];
    always @(posedge clk) begin
        if (rst) clear_q <= 12'd0;
        else if (clearing) clear_q <= clear_q + 12'd1;
    end

    wire        we0 = clearing || (wr_en && !wr_way);
    wire        we1 = clearing || (wr_en && wr_way);
    wire [10:0] waddr = clearing ? clear_q[10:0] : {wr_bank, wr_slot};
    wire [74:0] wentry = clearing ? 75'd0 : {wr_valid, wr_index, wr_symbol};
    wire [74:0] e0, e1;
    reg  [63:0] symbol_q;

    // the slots, hashed only in a cycle with a look-up (the CRC loops are what a simulator spends on this
    // module; in hardware the enables only gate XOR trees)
    reg [9:0] look_slot0, look_slot1, trade_slot0, trade_slot1;
    always @* begin
        look_slot0 = 10'd0; look_slot1 = 10'd0; trade_slot0 = 10'd0; trade_slot1 = 10'd0;
        if (look_en) begin
            look_slot0 = slot_of(look_symbol, CRC32);
            look_slot1 = slot_of(look_symbol, CRC32C);
        end
        if (trade_en) begin
            trade_slot0 = slot_of(trade_symbol, CRC32);
            trade_slot1 = slot_of(trade_symbol, CRC32C);
        end
    end

    sdp_ram #(.WIDTH(75), .DEPTH(2048)) way0 (
        .clk(clk), .we(we0), .waddr(waddr), .wdata(wentry),
        .re(look_en), .raddr({look_bank, look_slot0}), .rdata(e0));
    sdp_ram #(.WIDTH(75), .DEPTH(2048)) way1 (
        .clk(clk), .we(we1), .waddr(waddr), .wdata(wentry),
        .re(look_en), .raddr({look_bank, look_slot1}), .rdata(e1));

    wire [74:0] t0, t1;
    reg  [63:0] trade_symbol_q;
    sdp_ram #(.WIDTH(75), .DEPTH(2048)) trade_way0 (
        .clk(clk), .we(we0), .waddr(waddr), .wdata(wentry),
        .re(trade_en), .raddr({trade_bank, trade_slot0}), .rdata(t0));
    sdp_ram #(.WIDTH(75), .DEPTH(2048)) trade_way1 (
        .clk(clk), .we(we1), .waddr(waddr), .wdata(wentry),
        .re(trade_en), .raddr({trade_bank, trade_slot1}), .rdata(t1));

    always @(posedge clk) begin
        if (look_en) symbol_q <= look_symbol;
        if (trade_en) trade_symbol_q <= trade_symbol;
    end

    wire hit0 = e0[74] && e0[63:0] == symbol_q;
    wire hit1 = e1[74] && e1[63:0] == symbol_q;
    assign hit = hit0 || hit1;
    assign index = hit0 ? e0[73:64] : e1[73:64];
    wire thit0 = t0[74] && t0[63:0] == trade_symbol_q;
    wire thit1 = t1[74] && t1[63:0] == trade_symbol_q;
    assign trade_hit = thit0 || thit1;
    assign trade_index = thit0 ? t0[73:64] : t1[73:64];
endmodule
`default_nettype wire
