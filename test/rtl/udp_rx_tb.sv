// Testbench of hdl/feed/udp_rx.v: frames as beats from +stim (hex: tlast, tkeep, tdata), the subscription
// table from +table (hex per entry: valid, line, port, address), expected output beats from +exp (hex: tlast,
// tkeep, tuser, tdata; only the kept bytes are compared) and the expected count of other-traffic pulses from
// +others; random input gaps and output back-pressure from +seed. See test/udp-rx.rtl.test.ts.
`timescale 1ns/1ps
module udp_rx_tb;
    reg clk = 0;
    reg rst = 1;
    reg [63:0] tdata;
    reg [7:0] tkeep;
    reg tvalid = 0, tlast = 0;
    wire tready;
    wire [63:0] m_tdata;
    wire [7:0] m_tkeep;
    wire [4:0] m_tuser;
    wire m_tvalid, m_tlast;
    reg m_tready = 0;
    wire other_eth, other_ip;
    reg [15:0] tbl_valid;
    reg [511:0] tbl_addr;
    reg [255:0] tbl_port;
    reg [15:0] tbl_line;

    udp_rx dut (.clk(clk), .rst(rst), .s_axis_tdata(tdata), .s_axis_tkeep(tkeep), .s_axis_tvalid(tvalid),
        .s_axis_tready(tready), .s_axis_tlast(tlast), .tbl_valid(tbl_valid), .tbl_addr(tbl_addr), .tbl_port(tbl_port),
        .tbl_line(tbl_line), .m_axis_tdata(m_tdata), .m_axis_tkeep(m_tkeep), .m_axis_tvalid(m_tvalid),
        .m_axis_tready(m_tready), .m_axis_tlast(m_tlast), .m_axis_tuser(m_tuser), .other_eth(other_eth), .other_ip(other_ip));

    reg [79:0] stim [0:262143];
    reg [83:0] exp_beat [0:262143];
    reg [55:0] table_entry [0:15];
    integer n, m, seed, i, k, t, cycles, pvalid, pready, others, seen_others, last_out;
    reg in_fire;
    reg [31:0] lfsr;
    reg [83:0] e;
    string stim_file, exp_file, table_file;

    always #5 clk = ~clk;

    function automatic bit rnd(input integer percent);
        lfsr = {lfsr[30:0], lfsr[31] ^ lfsr[21] ^ lfsr[1] ^ lfsr[0]};
        return (lfsr % 100) < percent;
    endfunction

    function automatic bit same_bytes(input [63:0] a, input [63:0] b, input [7:0] keep);
        integer j;
        same_bytes = 1;
        for (j = 0; j < 8; j = j + 1) if (keep[j] && a[8*j +: 8] != b[8*j +: 8]) same_bytes = 0;
    endfunction

    initial begin
        if (!$value$plusargs("stim=%s", stim_file) || !$value$plusargs("exp=%s", exp_file) || !$value$plusargs("table=%s", table_file)
            || !$value$plusargs("n=%d", n) || !$value$plusargs("m=%d", m) || !$value$plusargs("others=%d", others)
            || !$value$plusargs("seed=%d", seed)) $fatal(1, "usage: +stim= +exp= +table= +n= +m= +others= +seed=");
        if (!$value$plusargs("valid=%d", pvalid)) pvalid = 80;
        if (!$value$plusargs("ready=%d", pready)) pready = 70;
        $readmemh(stim_file, stim);
        if (m > 0) $readmemh(exp_file, exp_beat);
        $readmemh(table_file, table_entry);
        for (t = 0; t < 16; t = t + 1) begin
            tbl_valid[t] = table_entry[t][55:52] != 0;
            tbl_line[t] = table_entry[t][48];
            tbl_port[16*t +: 16] = table_entry[t][47:32];
            tbl_addr[32*t +: 32] = table_entry[t][31:0];
        end
        lfsr = seed | 1;
        i = 0; k = 0; cycles = 0; seen_others = 0; last_out = 0;
        repeat (3) @(posedge clk);
        #1;
        rst = 0;
        in_fire = 0;
        while ((i < n || k < m || cycles < last_out + 40) && cycles < 50 * n + 1000) begin
            if (!tvalid || in_fire) begin
                if (i < n && rnd(pvalid)) begin
                    tvalid = 1; tlast = stim[i][72]; tkeep = stim[i][71:64]; tdata = stim[i][63:0];
                end else begin
                    tvalid = 0;
                end
            end
            m_tready = rnd(pready);
            #2;
            in_fire = tvalid && tready;
            if (m_tvalid && m_tready) begin
                if (k >= m) $fatal(1, "output beat %0d beyond the %0d expected: last %0d keep %h user %h", k, m, m_tlast, m_tkeep, m_tuser);
                e = exp_beat[k];
                if (m_tlast != e[80] || m_tkeep != e[79:72] || m_tuser != e[68:64] || !same_bytes(m_tdata, e[63:0], m_tkeep))
                    $fatal(1, "output beat %0d differs: got last %0d keep %h user %h data %h; want last %0d keep %h user %h data %h",
                        k, m_tlast, m_tkeep, m_tuser, m_tdata, e[80], e[79:72], e[68:64], e[63:0]);
                k = k + 1;
            end
            seen_others = seen_others + other_eth + other_ip;
            @(posedge clk);
            #1;
            cycles = cycles + 1;
            if (in_fire) i = i + 1;
            if (i < n || k < m) last_out = cycles;
        end
        if (k != m || i != n) $fatal(1, "stopped after %0d cycles: %0d of %0d beats taken, %0d of %0d output beats seen", cycles, i, n, k, m);
        if (seen_others != others) $fatal(1, "%0d frames of other traffic counted, %0d expected", seen_others, others);
        $display("udp_rx_tb: %0d beats in, %0d out, %0d other, %0d cycles: all match", n, m, others, cycles);
        $finish;
    end
endmodule
