// Symbol filter of the feed path: a subscription table (symbols set through registers) and a table of
// Stock Locates, one bit each, learned from Stock Directory (R) messages: an R message writes its locate's
// bit with "its Stock is subscribed". Every other message reads its locate's bit.
// The locate table is a 65,536 x 1 RAM (one read and one write port, block RAM on an FPGA); after reset
// it is cleared one entry per cycle, and `clearing` is high until that is done.
// Whether a Stock is subscribed is found in two steps, so that the 64-bit compares and the OR over the
// slots are not one path (issue 19): match_en registers the compare of match_symbol with every slot in
// 16-bit pieces; learn_match combines them and holds from the next cycle until the next match_en.
`default_nettype none
module symbol_filter #(
    parameter integer SUB_SLOTS = 32
) (
    input  wire        clk,
    input  wire        rst,
    output wire        clearing,

    // subscription writes (FEED_SUB_WRITE)
    input  wire        sub_we,
    input  wire [7:0]  sub_slot,
    input  wire        sub_valid,
    input  wire [63:0] sub_symbol,      // character k at [8k +: 8], right-padded with spaces

    // look-up: the bit of look_locate, registered at a clock edge with look_en, held otherwise
    input  wire        look_en,
    input  wire [15:0] look_locate,
    output wire        look_bit,

    // an R message's Stock: compared at match_en, learn_match valid from the next cycle
    input  wire        match_en,
    input  wire [63:0] match_symbol,
    output reg         learn_match,
    // learning from an R message: learn_en writes learn_match to learn_locate's entry at the edge
    input  wire        learn_en,
    input  wire [15:0] learn_locate
);
    // slots as one vector with a write enable each (an array written at a variable index became an address
    // subtraction in synthesis)
    reg [64*SUB_SLOTS-1:0] sub_symbol_q;
    reg [SUB_SLOTS-1:0] sub_valid_q;
    reg [16:0] clear_addr_q;            // bit 16 set: done

    assign clearing = !clear_addr_q[16];

    reg [4*SUB_SLOTS-1:0] piece_eq_q;   // slot i, piece p at [4i + p]
    integer i, p;
    always @(posedge clk) begin
        if (match_en)
            for (i = 0; i < SUB_SLOTS; i = i + 1)
                for (p = 0; p < 4; p = p + 1)
                    piece_eq_q[4*i + p] <= sub_symbol_q[64*i + 16*p +: 16] == match_symbol[16*p +: 16];
    end
    always @* begin
        learn_match = 1'b0;
        for (i = 0; i < SUB_SLOTS; i = i + 1)
            if (sub_valid_q[i] && &piece_eq_q[4*i +: 4]) learn_match = 1'b1;
    end

    localparam integer SLOT_BITS = $clog2(SUB_SLOTS);
    // (a test of the high bits: `sub_slot < SUB_SLOTS` in 32 bits becomes a carry chain)
    wire sub_slot_in_range = sub_slot[7:SLOT_BITS] == {(8-SLOT_BITS){1'b0}};
    always @(posedge clk) begin
        if (rst) begin
            sub_valid_q <= {SUB_SLOTS{1'b0}};
        end else begin
            if (sub_we && sub_slot_in_range)
                for (i = 0; i < SUB_SLOTS; i = i + 1)
                    if (sub_slot[SLOT_BITS-1:0] == i[SLOT_BITS-1:0]) begin
                        sub_valid_q[i] <= sub_valid;
                        sub_symbol_q[64*i +: 64] <= sub_symbol;
                    end
        end
    end

    always @(posedge clk) begin
        if (rst) clear_addr_q <= 17'd0;
        else if (clearing) clear_addr_q <= clear_addr_q + 17'd1;
    end

    // A learned bit reaches the RAM a cycle after learn_en (the compare's OR stays off the RAM's data pin); a
    // look-up of that locate in that cycle takes the learned bit instead of the RAM's old one.
    reg        learn_q, learn_bit_q, bypass_q, bypass_bit_q;
    reg [15:0] learn_locate_q;
    always @(posedge clk) begin
        if (rst) begin
            learn_q <= 1'b0;
            bypass_q <= 1'b0;
        end else begin
            learn_q <= learn_en;
            if (look_en) begin
                bypass_q <= learn_q && look_locate == learn_locate_q;
                bypass_bit_q <= learn_bit_q;
            end
        end
        learn_locate_q <= learn_locate;
        learn_bit_q <= learn_match;
    end

    // one write port: the clear sweep, or an R message's locate
    wire        write_en = clearing || learn_q;
    wire [15:0] write_addr = clearing ? clear_addr_q[15:0] : learn_locate_q;
    wire        write_bit = !clearing && learn_bit_q;
    wire        ram_bit;
    sdp_ram #(.WIDTH(1), .DEPTH(65536)) locate_ram (
        .clk(clk), .we(write_en), .waddr(write_addr), .wdata(write_bit),
        .re(look_en), .raddr(look_locate), .rdata(ram_bit));
    assign look_bit = bypass_q ? bypass_bit_q : ram_bit;
endmodule
`default_nettype wire
