// Testbench of hdl/feed/mold_framer.v: beats from +stim (hex: tlast, tkeep, tdata), expected events from
// +exp (hex, see test/feed-framer.rtl.test.ts), random input gaps and output backpressure from +seed.
`timescale 1ns/1ps
module mold_framer_tb;
    reg clk = 0;
    reg rst = 1;
    reg [63:0] tdata;
    reg [7:0] tkeep;
    reg tvalid = 0, tlast = 0;
    wire tready;
    wire ev_valid, ev_last;
    reg ev_ready = 0;
    wire [1:0] ev_kind, ev_error;
    wire [79:0] ev_session;
    wire [63:0] ev_seq;
    wire [15:0] ev_count, ev_length;
    wire [511:0] ev_data;

    mold_framer dut (.clk(clk), .rst(rst), .s_tdata(tdata), .s_tkeep(tkeep), .s_tvalid(tvalid), .s_tready(tready), .s_tlast(tlast),
        .ev_valid(ev_valid), .ev_ready(ev_ready), .ev_kind(ev_kind), .ev_error(ev_error), .ev_last(ev_last), .ev_session(ev_session), .ev_seq(ev_seq),
        .ev_count(ev_count), .ev_length(ev_length), .ev_data(ev_data));

    reg [79:0] stim [0:65535];
    reg [703:0] exp_ev [0:65535];
    integer n, m, seed, i, k, cycles, pvalid, pready;
    reg in_fire;
    reg [31:0] lfsr;
    reg [703:0] e;
    string stim_file, exp_file;

    always #5 clk = ~clk;

    function automatic bit rnd(input integer percent);
        lfsr = {lfsr[30:0], lfsr[31] ^ lfsr[21] ^ lfsr[1] ^ lfsr[0]};
        return (lfsr % 100) < percent;
    endfunction

    initial begin
        if (!$value$plusargs("stim=%s", stim_file) || !$value$plusargs("exp=%s", exp_file) || !$value$plusargs("n=%d", n)
            || !$value$plusargs("m=%d", m) || !$value$plusargs("seed=%d", seed)) $fatal(1, "usage: +stim= +exp= +n= +m= +seed=");
        if (!$value$plusargs("valid=%d", pvalid)) pvalid = 80;
        if (!$value$plusargs("ready=%d", pready)) pready = 70;
        $readmemh(stim_file, stim);
        if (m > 0) $readmemh(exp_file, exp_ev);
        lfsr = seed | 1;
        i = 0; k = 0; cycles = 0;
        repeat (3) @(posedge clk);
        #1;
        rst = 0;
        in_fire = 0;
        while ((i < n || k < m) && cycles < 50 * n + 1000) begin
            // inputs of this cycle: a new beat only once the last one was taken (AXI: hold while valid)
            if (!tvalid || in_fire) begin
                if (i < n && rnd(pvalid)) begin
                    tvalid = 1; tlast = stim[i][72]; tkeep = stim[i][71:64]; tdata = stim[i][63:0];
                end else begin
                    tvalid = 0;
                end
            end
            ev_ready = rnd(pready);
            #2;
            in_fire = tvalid && tready;
            if (ev_valid && ev_ready) begin
                if (k >= m) $fatal(1, "event %0d beyond the %0d expected: kind %0d", k, m, ev_kind);
                e = exp_ev[k];
                if (ev_last != e[692] || ev_kind != e[691:690] || ev_error != e[689:688] || ev_session != e[687:608] || ev_seq != e[607:544]
                    || ((ev_kind == 0 || ev_kind == 2) && ev_count != e[543:528])
                    || (ev_kind == 1 && (ev_length != e[527:512] || ev_data != e[511:0])))
                    $fatal(1, "event %0d differs: got last %0d kind %0d error %0d seq %0d count %0d length %0d; want kind %0d error %0d seq %0d count %0d length %0d",
                        k, ev_last, ev_kind, ev_error, ev_seq, ev_count, ev_length, e[691:690], e[689:688], e[607:544], e[543:528], e[527:512]);
                k = k + 1;
            end
            @(posedge clk);
            #1;
            cycles = cycles + 1;
            if (in_fire) i = i + 1;
        end
        if (k != m || i != n) $fatal(1, "stopped after %0d cycles: %0d of %0d beats taken, %0d of %0d events seen", cycles, i, n, k, m);
        $display("mold_framer_tb: %0d beats, %0d events, %0d cycles: all match", n, m, cycles);
        $finish;
    end
endmodule
