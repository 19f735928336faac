// Testbench of hdl/feed/line_arbiter_decide.v and the counters behind it (line_arbiter_counters.v): descriptors and flushes from +stim (hex per entry: kind (0 a
// descriptor, 1 a flush), line, header, session, number, count, beats), the hold limits from +hold and +beats;
// random input gaps and release back-pressure from +seed. Prints "R <line>" per release, then
// "C <covered A> <covered B> <late A> <late B>". See test/line-arbiter.rtl.test.ts.
`timescale 1ns/1ps
module line_arbiter_decide_tb;
    reg clk = 0;
    reg rst = 1;
    reg [4:0] hold;
    reg [12:0] hold_beats;
    reg flush = 0;
    reg in_valid = 0;
    wire in_ready;
    reg in_line = 0, in_header = 0;
    reg [79:0] in_session = 0;
    reg [63:0] in_seq = 0;
    reg [15:0] in_count = 0;
    reg [12:0] in_beats = 0;
    wire rel_valid, rel_line;
    reg rel_ready = 0;
    wire [63:0] covered_a, covered_b;
    wire [31:0] late_a, late_b;

    wire acct_valid, acct_ready, acct_line, acct_known;
    wire [1:0] acct_slot;
    wire [63:0] acct_seq, acct_next;
    wire [15:0] acct_count;

    line_arbiter_decide dut (.clk(clk), .rst(rst), .restart(1'b0), .probe_session(80'd0), .probe_seq(64'd0), .probe_ahead(), .cfg_hold_packets(hold), .cfg_hold_beats(hold_beats), .flush(flush),
        .in_valid(in_valid), .in_ready(in_ready), .in_line(in_line), .in_header(in_header), .in_session(in_session),
        .in_seq(in_seq), .in_count(in_count), .in_beats(in_beats), .rel_valid(rel_valid), .rel_ready(rel_ready),
        .rel_line(rel_line), .acct_valid(acct_valid), .acct_ready(acct_ready), .acct_line(acct_line),
        .acct_known(acct_known), .acct_slot(acct_slot), .acct_seq(acct_seq), .acct_count(acct_count), .acct_next(acct_next));
    line_arbiter_counters counters (.clk(clk), .rst(rst), .clear(1'b0), .in_valid(acct_valid), .in_ready(acct_ready),
        .in_line(acct_line), .in_known(acct_known), .in_slot(acct_slot), .in_seq(acct_seq), .in_count(acct_count),
        .in_next(acct_next), .covered_a(covered_a), .covered_b(covered_b), .late_duplicates_a(late_a),
        .late_duplicates_b(late_b));

    reg [187:0] stim [0:65535];
    integer n, seed, i, idle, cycles, pvalid, pready, h, hb;
    reg [31:0] lfsr;
    reg fire_rel, fire_in, released;
    string stim_file;

    always #5 clk = ~clk;

    function automatic bit rnd(input integer percent);
        lfsr = {lfsr[30:0], lfsr[31] ^ lfsr[21] ^ lfsr[1] ^ lfsr[0]};
        return (lfsr % 100) < percent;
    endfunction

    initial begin
        if (!$value$plusargs("stim=%s", stim_file) || !$value$plusargs("n=%d", n) || !$value$plusargs("hold=%d", h)
            || !$value$plusargs("beats=%d", hb) || !$value$plusargs("seed=%d", seed)) begin
            $display("usage: +stim= +n= +hold= +beats= +seed=");
            $finish;
        end
        if (!$value$plusargs("valid=%d", pvalid)) pvalid = 70;
        if (!$value$plusargs("ready=%d", pready)) pready = 60;
        hold = h[4:0];
        hold_beats = hb[12:0];
        $readmemh(stim_file, stim);
        lfsr = seed | 1;
        repeat (3) @(posedge clk);
        #1;
        rst = 0;
        i = 0; idle = 0; cycles = 0;
        while ((i < n || idle < 8) && cycles < 200 * n + 1000) begin
            // this cycle's inputs, set after the edge
            flush = 0;
            if (!in_valid && i < n && stim[i][187:184] == 4'd1 && in_ready && rnd(pvalid)) begin
                flush = 1;
                i = i + 1;
            end else if (!in_valid && i < n && stim[i][187:184] == 4'd0 && rnd(pvalid)) begin
                in_valid = 1;
                in_line = stim[i][180];
                in_header = stim[i][176];
                in_session = stim[i][175:96];
                in_seq = stim[i][95:32];
                in_count = stim[i][31:16];
                in_beats = stim[i][12:0];
            end
            rel_ready = rnd(pready);
            #1;  // the handshakes as the edge will see them
            fire_rel = rel_valid && rel_ready;
            released = rel_line;
            fire_in = in_valid && in_ready;
            idle = (in_ready && !rel_valid && !in_valid && !flush) ? idle + 1 : 0;
            @(posedge clk);
            #1;  // past the edge before anything changes
            if (fire_rel) $display("R %0d", released);
            if (fire_in) begin
                in_valid = 0;
                i = i + 1;
            end
            cycles = cycles + 1;
        end
        if (i < n) $display("TIMEOUT at entry %0d", i);
        repeat (200) @(posedge clk);  // the counters finish the releases queued for them
        $display("C %0d %0d %0d %0d", covered_a, covered_b, late_a, late_b);
        $finish;
    end
endmodule
