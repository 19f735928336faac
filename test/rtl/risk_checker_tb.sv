// Testbench of hdl/risk/risk_checker.v: limits from +limits (hex, one 210-bit word per symbol index, bank 0),
// orders from +orders (hex, the checker's input fields, see bench/risk-checker.ts), pushed (while the checker
// has room) and decided as fast as +push and +decide (percent of cycles) allow; one line per decision on stdout:
// "decision <cycle> <reason> <tokens left> <position> <flags> <qty> <price> <notional> <index>" (hex).
`timescale 1ns/1ps
module risk_checker_tb;
    reg clk = 0;
    reg rst = 1;
    always #5 clk = ~clk;

    reg          commit = 0, limit_we = 0, push = 0, decide = 0;
    reg  [10:0]  limit_addr = 0;
    reg  [209:0] limit_data = 0;
    reg  [175:0] o = 0;
    reg  [31:0]  burst32, cpt;
    reg          kill;
    wire         clearing, ready, accept, in_ready;
    wire [7:0]   reason, flags;
    wire [15:0]  tokens, tokens_left, clord_off, clord_len;
    wire [63:0]  qty;
    wire [47:0]  position, price;
    wire [9:0]   index;
    wire [79:0]  notional;

    risk_checker dut (
        .clk(clk), .rst(rst), .clearing(clearing),
        .active_bank(1'b0), .commit(commit), .bank_kill({1'b0, kill}), .bank_ref_itch(2'b00),
        .bank_burst({16'd0, burst32[15:0]}), .bank_cpt({32'd1, cpt}),
        .limit_we(limit_we), .limit_addr(limit_addr), .limit_data(limit_data),
        .trade_we(1'b0), .trade_index(10'd0), .trade_price(32'd0),
        .push(push), .in_bank(o[171]), .in_error(o[170:163]), .in_clord(o[162]), .in_clord_off(o[161:146]),
        .in_clord_len(o[145:130]), .in_named(o[129]), .in_hit(o[128]), .in_index(o[127:118]), .in_side(o[117]),
        .in_sell(o[116]), .in_qty_ok(o[115]), .in_qty(o[114:51]), .in_type(o[50:49]), .in_px_ok(o[48]), .in_px(o[47:0]), .in_ready(in_ready),
        .ready(ready), .decide(decide), .reason(reason), .accept(accept), .tokens(tokens), .tokens_left(tokens_left), .flags(flags),
        .out_clord_off(clord_off), .out_clord_len(clord_len), .out_qty(qty), .out_position(position),
        .out_index(index), .out_price(price), .out_notional(notional)
    );

    reg [209:0] limits [0:1023];
    reg [175:0] orders [0:65535];
    integer n, s, seed, ppush, pdecide, i, k, cycles, first_push;
    reg [31:0] lfsr;
    string limits_file, orders_file;

    function automatic bit rnd(input integer percent);
        lfsr = {lfsr[30:0], lfsr[31] ^ lfsr[21] ^ lfsr[1] ^ lfsr[0]};
        return (lfsr % 100) < percent;
    endfunction

    initial begin
        if (!$value$plusargs("limits=%s", limits_file) || !$value$plusargs("orders=%s", orders_file) || !$value$plusargs("s=%d", s)
            || !$value$plusargs("n=%d", n) || !$value$plusargs("seed=%d", seed) || !$value$plusargs("burst=%d", burst32)
            || !$value$plusargs("cpt=%d", cpt)) $fatal(1, "usage: +limits= +orders= +s= +n= +seed= +burst= +cpt=");
        if (!$value$plusargs("push=%d", ppush)) ppush = 100;
        if (!$value$plusargs("decide=%d", pdecide)) pdecide = 100;
        if (!$value$plusargs("kill=%d", kill)) kill = 0;
        $readmemh(limits_file, limits);
        $readmemh(orders_file, orders);
        lfsr = seed | 1;
        repeat (3) @(posedge clk);
        #1 rst = 0;
        while (clearing) @(posedge clk);
        #1;
        for (i = 0; i < s; i = i + 1) begin
            limit_we = 1; limit_addr = i[10:0]; limit_data = limits[i];
            @(posedge clk); #1;
        end
        limit_we = 0;
        commit = 1;
        @(posedge clk); #1;
        commit = 0;
        i = 0; k = 0; cycles = 0; first_push = -1;
        while (k < n && cycles < 20 * n + 100) begin
            push = i < n && in_ready && rnd(ppush);
            if (push) begin
                o = orders[i];
                if (first_push < 0) first_push = cycles;
            end
            decide = ready && rnd(pdecide);
            #2;
            if (decide) begin
                $display("decision %0d %h %h %h %h %h %h %h %h", cycles, reason, tokens_left, position, flags, qty, price, notional, index);
                k = k + 1;
            end
            @(posedge clk); #1;
            if (push) i = i + 1;
            cycles = cycles + 1;
        end
        if (k != n) $fatal(1, "stopped after %0d cycles: %0d of %0d orders pushed, %0d decided", cycles, i, n, k);
        $display("risk_checker_tb: %0d orders, first pushed in cycle %0d, last decided in cycle %0d", n, first_push, cycles - 1);
        $finish;
    end
endmodule
