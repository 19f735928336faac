// The checks of an order, one order per cycle (rules at the top of src/risk/ref-gate.ts). An order comes with
// its fields and its symbol's table index (`push`); its limits, position and last trade price are read that
// cycle (stage A: the reads arrive, the reference price is chosen), registered (stage B: its products, the
// notional and the collar's two sides, formed from registers, so no multiply follows a block RAM's output),
// and it waits in a queue for its decision. The decision (`decide`, the queue's head) compares, takes a rate
// token and moves the position.
//
// Orders of one symbol may follow each other every cycle: an accepted order's new position is written to
// the positions RAM in its decision cycle and broadcast to every order already past its read (the one whose
// read is in flight takes it from `pw_*` or the broadcast, the ones in stage B and in the queue update their
// copy), so each order sees the position every decision before it left.
`default_nettype none
`include "tickgate_layout.vh"
module risk_checker #(
    parameter integer DEPTH = 8            // orders pushed and not yet decided
) (
    input  wire         clk,
    input  wire         rst,
    output wire         clearing,           // positions and last trades are being cleared after reset

    // banks: per bank kill switch, reference price from the feed, burst, cycles per token
    input  wire         active_bank,
    input  wire         commit,             // a commit took effect this cycle
    input  wire [1:0]   bank_kill,
    input  wire [1:0]   bank_ref_itch,
    input  wire [31:0]  bank_burst,         // {bank 1, bank 0}
    input  wire [63:0]  bank_cpt,

    // limits (written into a bank by the host), last trade prices (from the feed)
    input  wire         limit_we,
    input  wire [10:0]  limit_addr,         // {bank, symbol index}
    input  wire [209:0] limit_data,         // {maxPosition 47, collarBps 20, ref 48, maxNotional 63, maxQty 32}
    input  wire         trade_we,
    input  wire [9:0]   trade_index,
    input  wire [31:0]  trade_price,

    // an order, its fields as the parser gave them (first occurrence of each)
    input  wire         push,
    input  wire         in_bank,
    input  wire [7:0]   in_error,           // the message's FIX error (bad CheckSum, BodyLength: bad_order)
    input  wire         in_clord,           // ClOrdID with a value
    input  wire [15:0]  in_clord_off,
    input  wire [15:0]  in_clord_len,
    input  wire         in_named,           // a Symbol with a value
    input  wire         in_hit,             // ... found in the table
    input  wire [9:0]   in_index,
    input  wire         in_side,            // Side valid
    input  wire         in_sell,
    input  wire         in_qty_ok,
    input  wire [63:0]  in_qty,
    input  wire [1:0]   in_type,            // 1 market, 2 limit, 0 neither
    input  wire         in_px_ok,
    input  wire [47:0]  in_px,              // 1/10,000
    output wire         in_ready,           // room for an order: push only then

    // the decision of the queue's head
    output wire         ready,              // an order is queued with its products formed
    input  wire         decide,
    output reg  [7:0]   reason,
    output wire         accept,
    output wire [15:0]  tokens,             // before this decision's token is taken (also for other spans)
    output wire [15:0]  tokens_left,        // after it
    output wire [7:0]   flags,
    output wire [15:0]  out_clord_off,
    output wire [15:0]  out_clord_len,
    output wire [63:0]  out_qty,
    output wire [47:0]  out_position,       // after the verdict
    output wire [9:0]   out_index,
    output wire [47:0]  out_price,
    output wire [79:0]  out_notional
);
    localparam integer QB = $clog2(DEPTH);
    wire [9:0]         out_index_raw;       // the head's symbol index
    wire [47:0] newpos;                     // the head's position if it is accepted

    // ---- memories ------------------------------------------------------------------------------------------
    reg  [10:0] clear_q;                    // bit 10 set: done
    wire        pos_clearing = !clear_q[10];
    assign clearing = pos_clearing;
    always @(posedge clk) begin
        if (rst) clear_q <= 11'd0;
        else if (pos_clearing) clear_q <= clear_q + 11'd1;
    end

    wire [209:0] lim;
    sdp_ram #(.WIDTH(210), .DEPTH(2048)) limits_ram (
        .clk(clk), .we(limit_we), .waddr(limit_addr), .wdata(limit_data),
        .re(push), .raddr({in_bank, in_index}), .rdata(lim));

    wire        pos_we;                     // a decision's new position, written in its cycle
    wire [9:0]  pos_waddr;
    wire [47:0] pos_wdata;
    wire [47:0] pos_rdata;
    sdp_ram #(.WIDTH(48), .DEPTH(1024)) positions_ram (
        .clk(clk), .we(pos_we || pos_clearing), .waddr(pos_clearing ? clear_q[9:0] : pos_waddr),
        .wdata(pos_clearing ? 48'd0 : pos_wdata), .re(push), .raddr(in_index), .rdata(pos_rdata));

    wire [32:0] last_trade;                 // {seen, price}
    sdp_ram #(.WIDTH(33), .DEPTH(1024)) last_trade_ram (
        .clk(clk), .we(trade_we || pos_clearing), .waddr(pos_clearing ? clear_q[9:0] : trade_index),
        .wdata(pos_clearing ? 33'd0 : {1'b1, trade_price}), .re(push), .raddr(in_index), .rdata(last_trade));

    // ---- stage A: the order whose reads are out --------------------------------------------------------------
    // (an order's fields as they came, carried through stages A and B as one word)
    localparam integer ORDER_BITS = 172;
    wire [ORDER_BITS-1:0] in_order = {in_bank, in_error, in_clord, in_clord_off, in_clord_len, in_named, in_hit, in_index,
                                      in_side, in_sell, in_qty_ok, in_qty, in_type, in_px_ok, in_px};
    reg  [ORDER_BITS-1:0] a_order, b_order;
    reg         a_valid, b_valid;
    wire        a_bank, a_clord, a_named, a_hit, a_side, a_sell, a_qty_ok, a_px_ok;
    wire        b_bank, b_clord, b_named, b_hit, b_side, b_sell, b_qty_ok, b_px_ok;
    wire [7:0]  a_error, b_error;
    wire [15:0] a_clord_off, a_clord_len, b_clord_off, b_clord_len;
    wire [9:0]  a_index, b_index;
    wire [63:0] a_qty, b_qty;
    wire [1:0]  a_type, b_type;
    wire [47:0] a_px, b_px;
    assign {a_bank, a_error, a_clord, a_clord_off, a_clord_len, a_named, a_hit, a_index,
            a_side, a_sell, a_qty_ok, a_qty, a_type, a_px_ok, a_px} = a_order;
    wire       unused_in_a = ^{a_error, a_clord, a_clord_off, a_clord_len, a_named, a_side, a_sell, a_qty[31:0]};   // used from stage B on

    always @(posedge clk) begin
        if (rst) a_valid <= 1'b0;
        else a_valid <= push;
        if (push) a_order <= in_order;
    end

    // position broadcast: the decision of this cycle, and the one before (its RAM write was not yet seen by
    // the read of the order now in stage A)
    wire        bc_valid = accept;
    wire [9:0]  bc_index = out_index_raw;
    wire [47:0] bc_value = newpos[47:0];
    reg         pw_valid_q;
    reg  [9:0]  pw_index_q;
    reg  [47:0] pw_value_q;
    always @(posedge clk) begin
        if (rst) pw_valid_q <= 1'b0;
        else pw_valid_q <= bc_valid;
        pw_index_q <= bc_index;
        pw_value_q <= bc_value;
    end
    wire [47:0] a_pos = bc_valid && bc_index == a_index ? bc_value :
                        pw_valid_q && pw_index_q == a_index ? pw_value_q : pos_rdata;

    wire        a_qty_wide = a_qty[63:32] != 32'd0;
    wire [47:0] a_lim_ref = bank_ref_itch[a_bank] && last_trade[32] ? {16'd0, last_trade[31:0]} : lim[142:95];
    wire        a_price_ok = a_type == 2'd2 ? a_px_ok : a_type == 2'd1 && a_hit;
    wire [47:0] a_price = a_type == 2'd2 ? a_px : a_lim_ref;

    // ---- stage B: the order with its reads registered; its products ---------------------------------------------
    assign {b_bank, b_error, b_clord, b_clord_off, b_clord_len, b_named, b_hit, b_index,
            b_side, b_sell, b_qty_ok, b_qty, b_type, b_px_ok, b_px} = b_order;
    reg         b_price_ok, b_notional_ok;
    reg [47:0]  b_price, b_lim_ref, b_pos_q;
    reg [19:0]  b_collar_bps;
    reg [141:0] b_max;                      // {maxPosition 47, maxNotional 63, maxQty 32}
    always @(posedge clk) begin
        if (rst) b_valid <= 1'b0;
        else b_valid <= a_valid;
        if (a_valid) begin
            b_order <= a_order;
            b_price_ok <= a_price_ok;
            b_price <= a_price_ok ? a_price : 48'd0;
            b_notional_ok <= a_price_ok && a_qty_ok && !a_qty_wide;
            b_lim_ref <= a_lim_ref;
            b_collar_bps <= lim[162:143];
            b_max <= {lim[209:163], lim[94:32], lim[31:0]};
            b_pos_q <= a_pos;
        end
    end
    wire [47:0] b_pos = bc_valid && bc_index == b_index ? bc_value : b_pos_q;
    wire [47:0] b_px_diff = b_px >= b_lim_ref ? b_px - b_lim_ref : b_lim_ref - b_px;

    // ---- the queue -----------------------------------------------------------------------------------------
    reg [QB:0]  wr_q, rd_q;
    wire [QB:0] count = wr_q - rd_q;
    wire [QB-1:0] head = rd_q[QB-1:0];
    wire        q_push = b_valid;
    wire        q_pop = decide;
    assign ready = count != {(QB+1){1'b0}};
    wire [QB+1:0] held = {1'b0, count} + {{(QB+1){1'b0}}, a_valid} + {{(QB+1){1'b0}}, b_valid};   // queued and in stages A, B
    assign in_ready = held < DEPTH[QB+1:0];

    reg         q_bank [0:DEPTH-1];
    reg [7:0]   q_error [0:DEPTH-1];
    reg [32:0]  q_clord [0:DEPTH-1];       // {has, offset, length}
    reg         q_named [0:DEPTH-1];
    reg         q_hit [0:DEPTH-1];
    reg [9:0]   q_index [0:DEPTH-1];
    reg [2:0]   q_side [0:DEPTH-1];        // {side, sell, qty_ok}
    reg [63:0]  q_qty [0:DEPTH-1];
    reg [1:0]   q_type [0:DEPTH-1];
    reg         q_px_ok [0:DEPTH-1];
    reg         q_price_ok [0:DEPTH-1];
    reg [47:0]  q_price [0:DEPTH-1];
    reg         q_notional_ok [0:DEPTH-1];
    reg [79:0]  q_notional [0:DEPTH-1];
    reg [61:0]  q_collar_lhs [0:DEPTH-1];
    reg [67:0]  q_collar_rhs [0:DEPTH-1];
    reg [141:0] q_max [0:DEPTH-1];         // {maxPosition 47, maxNotional 63, maxQty 32}
    reg [47:0]  q_pos [0:DEPTH-1];         // follows the decisions before it

    wire [QB-1:0] wr = wr_q[QB-1:0];
    always @(posedge clk) begin
        if (q_push) begin
            q_bank[wr] <= b_bank;
            q_error[wr] <= b_error;
            q_clord[wr] <= {b_clord, b_clord_off, b_clord_len};
            q_named[wr] <= b_named;
            q_hit[wr] <= b_hit;
            q_index[wr] <= b_index;
            q_side[wr] <= {b_side, b_sell, b_qty_ok};
            q_qty[wr] <= b_qty;
            q_type[wr] <= b_type;
            q_px_ok[wr] <= b_px_ok;
            q_price_ok[wr] <= b_price_ok;
            q_price[wr] <= b_price;
            q_notional_ok[wr] <= b_notional_ok;
            q_notional[wr] <= b_notional_ok ? b_qty[31:0] * b_price : 80'd0;
            q_collar_lhs[wr] <= b_px_diff * 62'd10000;
            q_collar_rhs[wr] <= b_collar_bps * b_lim_ref;
            q_max[wr] <= b_max;
        end
    end

    integer i;
    always @(posedge clk) begin
        for (i = 0; i < DEPTH; i = i + 1)
            if (bc_valid && q_index[i] == bc_index) q_pos[i] <= bc_value;
        if (q_push) q_pos[wr] <= b_pos;
    end

    always @(posedge clk) begin
        if (rst) begin
            wr_q <= {(QB+1){1'b0}};
            rd_q <= {(QB+1){1'b0}};
        end else begin
            if (q_push) wr_q <= wr_q + 1'b1;
            if (q_pop) rd_q <= rd_q + 1'b1;
        end
    end

    // ---- the decision ----------------------------------------------------------------------------------------
    wire        h_bank = q_bank[head];
    wire [32:0] h_clord = q_clord[head];
    wire        h_hit = q_hit[head];
    wire        h_named = q_named[head];
    wire [2:0]  h_side3 = q_side[head];
    wire        h_side = h_side3[2], h_sell = h_side3[1], h_qty_ok = h_side3[0];
    wire [63:0] h_qty = q_qty[head];
    wire [1:0]  h_type = q_type[head];
    wire [141:0] h_max = q_max[head];
    wire [47:0] h_pos = q_pos[head];
    assign      out_index_raw = q_index[head];
    wire        h_qty_wide = h_qty[63:32] != 32'd0;

    wire signed [49:0] pos_signed = {{2{h_pos[47]}}, h_pos};
    wire signed [49:0] qty_signed = {18'd0, h_qty[31:0]};
    // one adder: a sell adds the qty's complement and a carry in (not a subtraction and an addition chosen after)
    wire [49:0] qty_term = qty_signed ^ {50{h_sell}};
    assign newpos = h_pos + qty_term[47:0] + {47'd0, h_sell};
    // |newpos| > maxPosition as two sums side by side with newpos, not compares behind it: newpos > max is
    // newpos - max - 1 >= 0, and newpos < -max is newpos + max < 0; each is the three operands of newpos
    // and the limit (or its complement, -max - 1) in one carry-save adder and one carry chain
    wire [49:0] max_pos = {3'd0, h_max[141:95]};
    // (the carry-save layer written out, so it does not depend on how a tool maps a sum of three)
    wire [49:0] lim_hi = ~max_pos;
    wire [49:0] hi_sum = pos_signed ^ qty_term ^ lim_hi;
    wire [49:0] hi_carry = (pos_signed & qty_term) | (pos_signed & lim_hi) | (qty_term & lim_hi);
    wire [49:0] lo_sum = pos_signed ^ qty_term ^ max_pos;
    wire [49:0] lo_carry = (pos_signed & qty_term) | (pos_signed & max_pos) | (qty_term & max_pos);
    wire [49:0] above_max = hi_sum + {hi_carry[48:0], h_sell};
    wire [49:0] below_min = lo_sum + {lo_carry[48:0], h_sell};
    wire        newpos_ok = h_qty_ok && h_side && !h_qty_wide;
    wire        unused_sums = ^{above_max[48:0], below_min[48:0], hi_carry[49], lo_carry[49], qty_term[49:48]};

    wire c_unknown = h_named && !h_hit;
    wire c_qty = h_hit && h_qty_ok && (h_qty_wide || h_qty[31:0] > h_max[31:0]);
    wire c_notional = h_hit && q_notional_ok[head] && q_notional[head] > {17'd0, h_max[94:32]};
    wire c_collar = h_hit && h_type == 2'd2 && q_px_ok[head] && {6'd0, q_collar_lhs[head]} > q_collar_rhs[head];
    wire c_position = h_hit && newpos_ok && (!above_max[49] || below_min[49]);
    wire c_well = h_clord[32] && h_named && h_side && h_qty_ok && h_type != 2'd0 && (h_type == 2'd1 || q_px_ok[head]);

    always @* begin
        if (bank_kill[h_bank]) reason = `TG_RISK_KILL_SWITCH;
        else if (q_error[head] != `TG_ERR_NONE) reason = `TG_RISK_BAD_ORDER;
        else if (c_unknown) reason = `TG_RISK_UNKNOWN_SYMBOL;
        else if (c_qty) reason = `TG_RISK_MAX_QTY;
        else if (c_notional) reason = `TG_RISK_MAX_NOTIONAL;
        else if (c_collar) reason = `TG_RISK_PRICE_COLLAR;
        else if (c_position) reason = `TG_RISK_MAX_POSITION;
        else if (tokens == 16'd0) reason = `TG_RISK_RATE_LIMIT;
        else if (!c_well) reason = `TG_RISK_BAD_ORDER;
        else reason = `TG_RISK_ACCEPTED;
    end
    assign accept = decide && reason == `TG_RISK_ACCEPTED;

    assign pos_we = accept;
    assign pos_waddr = out_index_raw;
    assign pos_wdata = newpos[47:0];

    token_bucket bucket_inst (
        .clk(clk), .rst(rst),
        .commit(commit), .commit_burst(bank_burst[active_bank*16 +: 16]), .commit_cycles_per_token(bank_cpt[active_bank*32 +: 32]),
        .switch_en(decide), .switch_burst(bank_burst[h_bank*16 +: 16]), .switch_cycles_per_token(bank_cpt[h_bank*32 +: 32]),
        .take(accept), .tokens(tokens), .tokens_left(tokens_left)
    );

    // what the verdict record says of the order
    assign flags = {h_hit, q_notional_ok[head], q_price_ok[head], h_qty_ok, h_side && h_sell, h_side, h_hit, h_clord[32]};
    assign out_clord_off = h_clord[32] ? h_clord[31:16] : 16'd0;
    assign out_clord_len = h_clord[32] ? h_clord[15:0] : 16'd0;
    assign out_qty = h_qty_ok ? h_qty : 64'd0;
    assign out_position = accept ? newpos[47:0] : h_pos;
    assign out_index = out_index_raw;
    assign out_price = q_price[head];
    assign out_notional = q_notional[head];
endmodule
`default_nettype wire
