// Last-trade tap for the risk gate: from the feed's itch_message records as they leave the feed tracker
// (delivered, or dropped by the symbol filter: the risk symbols need no subscription), the Stock and price
// of each trade (P: Trade (Non-Cross), Q: Cross Trade, price in 1/10,000 as the risk gate
// keeps prices). ITCH pads Stock with spaces on the right; the risk table pads with NULs, so trailing
// spaces become NULs here.
`default_nettype none
`include "tickgate_layout.vh"
module trade_tap (
    input  wire [`TG_REC_BITS-1:0] rec_tdata,
    input  wire         rec_fire,
    output wire         trade_valid,
    output reg  [63:0]  trade_symbol,
    output wire [31:0]  trade_price
);
    localparam integer BODY = `TG_ITCH_MESSAGE_BODY_LSB;

    wire [7:0]  kind = rec_tdata[`TG_REC_KIND_LSB +: 8];
    wire [7:0]  msg_type = rec_tdata[`TG_ITCH_MESSAGE_MSG_TYPE_LSB +: 8];
    wire        is_p = msg_type == "P";
    wire        is_q = msg_type == "Q";
    // body offsets (spec/itch.yaml): P stock at 13, price at 21; Q stock at 8, cross price at 16
    wire [63:0] stock = is_p ? rec_tdata[BODY + 13*8 +: 64] : rec_tdata[BODY + 8*8 +: 64];

    // a Stock with a NUL byte of its own could alias a shorter symbol once padded: it is no trade of ours
    reg has_nul;
    integer n;
    always @* begin
        has_nul = 1'b0;
        for (n = 0; n < 8; n = n + 1) has_nul = has_nul || stock[n*8 +: 8] == 8'd0;
    end
    assign trade_valid = rec_fire && kind == `TG_KIND_ITCH_MESSAGE && (is_p || is_q) && !has_nul;
    assign trade_price = is_p ? rec_tdata[BODY + 21*8 +: 32] : rec_tdata[BODY + 16*8 +: 32];

    wire unused = ^{rec_tdata[511:424], rec_tdata[287:24], rec_tdata[15:8]};

    integer i;
    reg padding;
    always @* begin
        padding = 1'b1;
        trade_symbol = stock;
        for (i = 7; i >= 0; i = i - 1) begin
            padding = padding && stock[i*8 +: 8] == " ";
            if (padding) trade_symbol[i*8 +: 8] = 8'd0;
        end
    end
endmodule
`default_nettype wire
