// The risk gate's symbol table: up to 1,024 symbols in two ways of 512 buckets of two slots, each way in two
// banks (active and shadow). A symbol (8 bytes, NUL padded) may sit in either slot of bucket hash[8:0] of way
// 0 or of bucket hash[17:9] of way 1: four places. The hash is keyed by the host: two fixed chi rounds (bit i
// ^= ~bit i+r AND bit i+2r, r = 1 then 8, indexes mod 64) break the linear structure of names like
// S0000..S1023, then a Toeplitz hash under the bank's 81-bit key (hash bit j is the parity of symbol bit i
// AND key bit i + j over i < 64). The host places the symbols (src/risk/symbol-table.ts) under a key they
// fit under and writes the key with the bank. A look-up reads all four places at once: the answer is there
// three cycles after look_en. Two look-up ports: orders and the feed's trades.
// After reset every slot is emptied, one bucket address of every RAM per cycle (`clearing`).
`default_nettype none
module risk_symbol_table (
    input  wire        clk,
    input  wire        rst,
    output wire        clearing,

    input  wire        wr_en,
    input  wire        wr_way,
    input  wire        wr_bank,
    input  wire [9:0]  wr_slot,             // bucket in 9:1, slot of the bucket in 0
    input  wire        wr_valid,
    input  wire [9:0]  wr_index,
    input  wire [63:0] wr_symbol,

    input  wire        look_en,
    input  wire        look_bank,
    input  wire [80:0] look_key,            // the hash key of look_bank
    input  wire [63:0] look_symbol,
    output wire        hit,                 // three cycles after look_en
    output wire [9:0]  index,

    // a second look-up port, for the feed's trades
    input  wire        trade_en,
    input  wire        trade_bank,
    input  wire [80:0] trade_key,
    input  wire [63:0] trade_symbol,
    output wire        trade_hit,
    output wire [9:0]  trade_index
);
    function [63:0] chi(input [63:0] x, input integer r);
        integer i;
        begin
            for (i = 0; i < 64; i = i + 1)
                chi[i] = x[i] ^ (!x[(i + r) % 64] & x[(i + 2 * r) % 64]);
        end
    endfunction

    // 18 bits: way 0's bucket in 8:0, way 1's in 17:9
    function [17:0] buckets_of(input [63:0] symbol, input [80:0] key);
        integer i, j;
        reg [63:0] x;
        begin
            x = chi(chi(symbol, 1), 8);
            buckets_of = 18'd0;
            for (j = 0; j < 18; j = j + 1)
                for (i = 0; i < 64; i = i + 1)
                    buckets_of[j] = buckets_of[j] ^ (x[i] & key[i + j]);
        end
    endfunction

    reg [10:0] clear_q;                     // bit 10 set: done
    assign clearing = !clear_q[10];
    always @(posedge clk) begin
        if (rst) clear_q <= 11'd0;
        else if (clearing) clear_q <= clear_q + 11'd1;
    end

    wire [9:0]  waddr = clearing ? clear_q[9:0] : {wr_bank, wr_slot[9:1]};
    wire [74:0] wentry = clearing ? 75'd0 : {wr_valid, wr_index, wr_symbol};
    // write enables of way 0 slot 0, way 0 slot 1, way 1 slot 0, way 1 slot 1
    wire [3:0]  we = clearing ? 4'b1111 : {4{wr_en}} & (4'b0001 << {wr_way, wr_slot[0]});

    // the buckets, hashed only in a cycle with a look-up (the hash loops are what a simulator spends on this
    // module; in hardware the enables only gate the XOR trees)
    reg [17:0] look_buckets, trade_buckets;
    always @* begin
        look_buckets = 18'd0; trade_buckets = 18'd0;
        if (look_en) look_buckets = buckets_of(look_symbol, look_key);
        if (trade_en) trade_buckets = buckets_of(trade_symbol, trade_key);
    end

    wire [74:0] e [0:3];                    // what the order look-up read, in priority order
    wire [74:0] t [0:3];                    // what the trade look-up read
    genvar k;
    generate
        for (k = 0; k < 4; k = k + 1) begin : place
            wire [8:0] look_bucket = k < 2 ? look_buckets[8:0] : look_buckets[17:9];
            wire [8:0] trade_bucket = k < 2 ? trade_buckets[8:0] : trade_buckets[17:9];
            sdp_ram #(.WIDTH(75), .DEPTH(1024)) order_port (
                .clk(clk), .we(we[k]), .waddr(waddr), .wdata(wentry),
                .re(look_en), .raddr({look_bank, look_bucket}), .rdata(e[k]));
            sdp_ram #(.WIDTH(75), .DEPTH(1024)) trade_port (
                .clk(clk), .we(we[k]), .waddr(waddr), .wdata(wentry),
                .re(trade_en), .raddr({trade_bank, trade_bucket}), .rdata(t[k]));
        end
    endgenerate

    // A block RAM's data comes late in its cycle (its clock-to-out), so nothing follows it in that cycle:
    // what the four places held is registered as read (where Vivado would use the RAM's own output
    // register), compared the cycle after, and the compare's outcome registered too; only the choice of
    // index follows it.
    // (flat vectors, one 75-bit entry or 10-bit index per place: Yosys would warn of an array of registers
    // written in a loop)
    reg [63:0]  symbol_q, symbol_qq, trade_symbol_q, trade_symbol_qq;
    reg [299:0] e_q, t_q;
    reg [3:0]   hits_q, thits_q;
    reg [39:0]  index_q, tindex_q;
    integer p;
    always @(posedge clk) begin
        if (look_en) symbol_q <= look_symbol;
        if (trade_en) trade_symbol_q <= trade_symbol;
        symbol_qq <= symbol_q;
        trade_symbol_qq <= trade_symbol_q;
        for (p = 0; p < 4; p = p + 1) begin
            e_q[p*75 +: 75] <= e[p];
            t_q[p*75 +: 75] <= t[p];
            hits_q[p] <= e_q[p*75 + 74] && e_q[p*75 +: 64] == symbol_qq;
            thits_q[p] <= t_q[p*75 + 74] && t_q[p*75 +: 64] == trade_symbol_qq;
            index_q[p*10 +: 10] <= e_q[p*75 + 64 +: 10];
            tindex_q[p*10 +: 10] <= t_q[p*75 + 64 +: 10];
        end
    end

    assign hit = |hits_q;
    assign index = hits_q[0] ? index_q[9:0] : hits_q[1] ? index_q[19:10] : hits_q[2] ? index_q[29:20] : index_q[39:30];
    assign trade_hit = |thits_q;
    assign trade_index = thits_q[0] ? tindex_q[9:0] : thits_q[1] ? tindex_q[19:10] : thits_q[2] ? tindex_q[29:20] : tindex_q[39:30];
endmodule
`default_nettype wire
