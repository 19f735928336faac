// Testbench of hdl/boards/xdma/xdma_shell.v on two unrelated clocks (+xdma_ps, +core_ps half periods in ps).
// The XDMA side: H2C beats per channel from +h2c0/1/2 (hex: {3'b0, tlast}, tkeep[63:0], tdata[511:0]), C2H
// beats taken with random tready; an AXI-Lite script (+axil, hex: op, addr, data; op 1 write, 0 read) whose
// first +naxil_pre accesses run before the streams, the rest after them.
// The core side is modelled here: ingress taken with random tready; records from +rec (512-bit hex) and order
// egress beats from +ord (hex: {2'b0, tuser, tlast}, tkeep[7:0], tdata[63:0]) offered with random tvalid;
// a register file answering the core's window (offset 0xFFC answers SLVERR). Everything observed goes to
// +out, one line each (test/xdma-shell.rtl.test.ts reads it):
//   I <ch> <tlast> <tkeep> <tdata>        a beat on core ingress channel ch
//   C <ch> <tlast> <tkeep> <tdata>        a C2H beat (ch 0 records, 1 orders)
//   A <op> <addr> <resp> <rdata>          an AXI-Lite answer
`timescale 1ps/1ps
module xdma_shell_tb;
    integer xdma_half, core_half;
    reg xdma_clk = 0, core_clk = 0;
    reg xdma_rst = 1, path_rst = 1, core_rst = 1;

    reg  [511:0] h2c_tdata [0:2];
    reg  [63:0]  h2c_tkeep [0:2];
    reg  [2:0]   h2c_tvalid = 0, h2c_tlast = 0;
    wire [2:0]   h2c_tready;
    wire [511:0] c2h_tdata [0:1];
    wire [63:0]  c2h_tkeep [0:1];
    wire [1:0]   c2h_tvalid, c2h_tlast;
    reg  [1:0]   c2h_tready = 0;

    reg  [31:0] awaddr = 0, araddr = 0, wdata = 0;
    reg         awvalid = 0, wvalid = 0, arvalid = 0, bready = 0, rready = 0;
    wire        awready, wready, bvalid, arready, rvalid;
    wire [1:0]  bresp, rresp;
    wire [31:0] rdata;

    wire [63:0] in_tdata [0:2];
    wire [7:0]  in_tkeep [0:2];
    wire [2:0]  in_tvalid, in_tlast;
    reg  [2:0]  in_tready = 0;
    reg  [63:0] ord_tdata = 0;
    reg  [7:0]  ord_tkeep = 0;
    reg         ord_tvalid = 0, ord_tlast = 0, ord_tuser = 0;
    wire        ord_tready;
    reg  [511:0] ev_tdata = 0;
    reg         ev_tvalid = 0;
    wire        ev_tready;
    wire        core_reset_request;
    wire        unused_core_reset_request = core_reset_request;  // the tb drives the resets itself

    wire [11:0] csr_awaddr, csr_araddr;
    wire [31:0] csr_wdata;
    wire [3:0]  csr_wstrb;
    wire        csr_awvalid, csr_wvalid, csr_bready, csr_arvalid, csr_rready;
    reg         csr_awready = 0, csr_wready = 0, csr_bvalid = 0, csr_arready = 0, csr_rvalid = 0;
    reg  [1:0]  csr_bresp = 0, csr_rresp = 0;
    reg  [31:0] csr_rdata = 0;

    xdma_shell #(.WORDS(8)) dut (
        .xdma_clk(xdma_clk), .xdma_rst(xdma_rst), .path_rst(path_rst),
        .core_clk(core_clk), .core_rst(core_rst), .core_clock_locked(1'b1), .core_reset_request(core_reset_request),
        .s_axis_h2c_fix_tdata(h2c_tdata[0]), .s_axis_h2c_fix_tkeep(h2c_tkeep[0]), .s_axis_h2c_fix_tvalid(h2c_tvalid[0]),
        .s_axis_h2c_fix_tready(h2c_tready[0]), .s_axis_h2c_fix_tlast(h2c_tlast[0]),
        .s_axis_h2c_feed_tdata(h2c_tdata[1]), .s_axis_h2c_feed_tkeep(h2c_tkeep[1]), .s_axis_h2c_feed_tvalid(h2c_tvalid[1]),
        .s_axis_h2c_feed_tready(h2c_tready[1]), .s_axis_h2c_feed_tlast(h2c_tlast[1]),
        .s_axis_h2c_orders_tdata(h2c_tdata[2]), .s_axis_h2c_orders_tkeep(h2c_tkeep[2]),
        .s_axis_h2c_orders_tvalid(h2c_tvalid[2]), .s_axis_h2c_orders_tready(h2c_tready[2]),
        .s_axis_h2c_orders_tlast(h2c_tlast[2]),
        .m_axis_c2h_records_tdata(c2h_tdata[0]), .m_axis_c2h_records_tkeep(c2h_tkeep[0]),
        .m_axis_c2h_records_tvalid(c2h_tvalid[0]), .m_axis_c2h_records_tready(c2h_tready[0]),
        .m_axis_c2h_records_tlast(c2h_tlast[0]),
        .m_axis_c2h_orders_tdata(c2h_tdata[1]), .m_axis_c2h_orders_tkeep(c2h_tkeep[1]),
        .m_axis_c2h_orders_tvalid(c2h_tvalid[1]), .m_axis_c2h_orders_tready(c2h_tready[1]),
        .m_axis_c2h_orders_tlast(c2h_tlast[1]),
        .s_axil_awaddr(awaddr), .s_axil_awvalid(awvalid), .s_axil_awready(awready), .s_axil_wdata(wdata),
        .s_axil_wstrb(4'hF), .s_axil_wvalid(wvalid), .s_axil_wready(wready), .s_axil_bresp(bresp),
        .s_axil_bvalid(bvalid), .s_axil_bready(bready), .s_axil_araddr(araddr), .s_axil_arvalid(arvalid),
        .s_axil_arready(arready), .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid),
        .s_axil_rready(rready),
        .m_axis_fix_tdata(in_tdata[0]), .m_axis_fix_tkeep(in_tkeep[0]), .m_axis_fix_tvalid(in_tvalid[0]),
        .m_axis_fix_tready(in_tready[0]), .m_axis_fix_tlast(in_tlast[0]),
        .m_axis_feed_tdata(in_tdata[1]), .m_axis_feed_tkeep(in_tkeep[1]), .m_axis_feed_tvalid(in_tvalid[1]),
        .m_axis_feed_tready(in_tready[1]), .m_axis_feed_tlast(in_tlast[1]),
        .m_axis_order_tdata(in_tdata[2]), .m_axis_order_tkeep(in_tkeep[2]), .m_axis_order_tvalid(in_tvalid[2]),
        .m_axis_order_tready(in_tready[2]), .m_axis_order_tlast(in_tlast[2]),
        .s_axis_order_tdata(ord_tdata), .s_axis_order_tkeep(ord_tkeep), .s_axis_order_tvalid(ord_tvalid),
        .s_axis_order_tready(ord_tready), .s_axis_order_tlast(ord_tlast), .s_axis_order_tuser(ord_tuser),
        .s_axis_event_tdata(ev_tdata), .s_axis_event_tvalid(ev_tvalid), .s_axis_event_tready(ev_tready),
        .m_axil_awaddr(csr_awaddr), .m_axil_awvalid(csr_awvalid), .m_axil_awready(csr_awready),
        .m_axil_wdata(csr_wdata), .m_axil_wstrb(csr_wstrb), .m_axil_wvalid(csr_wvalid), .m_axil_wready(csr_wready),
        .m_axil_bresp(csr_bresp), .m_axil_bvalid(csr_bvalid), .m_axil_bready(csr_bready),
        .m_axil_araddr(csr_araddr), .m_axil_arvalid(csr_arvalid), .m_axil_arready(csr_arready),
        .m_axil_rdata(csr_rdata), .m_axil_rresp(csr_rresp), .m_axil_rvalid(csr_rvalid), .m_axil_rready(csr_rready)
    );

    reg [579:0] h2c_stim0 [0:16383];  // one memory per channel: $readmemh into a slice of a 2-D array loads nothing
    reg [579:0] h2c_stim1 [0:16383];
    reg [579:0] h2c_stim2 [0:16383];
    function automatic [579:0] h2c_stim(input integer c, input integer i);
        return c == 0 ? h2c_stim0[i] : c == 1 ? h2c_stim1[i] : h2c_stim2[i];
    endfunction
    reg [511:0] rec_stim [0:16383];
    reg [75:0]  ord_stim [0:16383];
    reg [67:0]  axil_stim [0:255];
    reg [31:0]  csr_mem [0:1023];
    integer n_h2c [0:2];
    integer n_axil_pre;
    reg streams_go = 0;
    integer n_rec, n_ord, n_axil, fd, pvalid, pready, seed, quiet;
    reg [31:0] lfsr_x = 1, lfsr_c = 1;
    string f_h2c0, f_h2c1, f_h2c2, f_rec, f_ord, f_axil, f_out;

    initial if ($test$plusargs("trace")) begin $dumpfile("xdma_shell_tb.vcd"); $dumpvars(0, xdma_shell_tb); end

    always #(xdma_half) xdma_clk = ~xdma_clk;
    always #(core_half) core_clk = ~core_clk;

    function automatic bit rnd_x(input integer percent);
        lfsr_x = {lfsr_x[30:0], lfsr_x[31] ^ lfsr_x[21] ^ lfsr_x[1] ^ lfsr_x[0]};
        return (lfsr_x % 100) < percent;
    endfunction
    function automatic bit rnd_c(input integer percent);
        lfsr_c = {lfsr_c[30:0], lfsr_c[31] ^ lfsr_c[21] ^ lfsr_c[1] ^ lfsr_c[0]};
        return (lfsr_c % 100) < percent;
    endfunction

    // Every process drives at a rising edge + 1 ps and samples handshakes at the falling edge, where its
    // domain's signals have settled: what it samples there is what the next rising edge transfers.
    integer hi [0:2];
    reg [2:0] h2c_fire;
    reg [579:0] beat;
    integer ch;
    initial begin
        if (!$value$plusargs("xdma_ps=%d", xdma_half)) xdma_half = 2000;
        if (!$value$plusargs("core_ps=%d", core_half)) core_half = 1555;
    end

    initial begin
        if (!$value$plusargs("h2c0=%s", f_h2c0) || !$value$plusargs("h2c1=%s", f_h2c1) || !$value$plusargs("h2c2=%s", f_h2c2)
            || !$value$plusargs("rec=%s", f_rec) || !$value$plusargs("ord=%s", f_ord) || !$value$plusargs("axil=%s", f_axil)
            || !$value$plusargs("out=%s", f_out) || !$value$plusargs("n0=%d", n_h2c[0]) || !$value$plusargs("n1=%d", n_h2c[1])
            || !$value$plusargs("n2=%d", n_h2c[2]) || !$value$plusargs("nrec=%d", n_rec) || !$value$plusargs("nord=%d", n_ord)
            || !$value$plusargs("naxil=%d", n_axil) || !$value$plusargs("seed=%d", seed))
            $fatal(1, "usage: +h2c0= +h2c1= +h2c2= +rec= +ord= +axil= +out= +n0= +n1= +n2= +nrec= +nord= +naxil= +seed=");
        if (!$value$plusargs("valid=%d", pvalid)) pvalid = 70;
        if (!$value$plusargs("ready=%d", pready)) pready = 70;
        if (!$value$plusargs("quiet=%d", quiet)) quiet = 3000;
        if (n_h2c[0] > 0) $readmemh(f_h2c0, h2c_stim0);
        if (n_h2c[1] > 0) $readmemh(f_h2c1, h2c_stim1);
        if (n_h2c[2] > 0) $readmemh(f_h2c2, h2c_stim2);
        if (n_rec > 0) $readmemh(f_rec, rec_stim);
        if (n_ord > 0) $readmemh(f_ord, ord_stim);
        if (n_axil > 0) $readmemh(f_axil, axil_stim);
        fd = $fopen(f_out, "w");
        lfsr_x = seed | 1;
        lfsr_c = (seed * 7919) | 1;
        lfsr_r = (seed * 104729) | 1;
        if (!$value$plusargs("naxil_pre=%d", n_axil_pre)) n_axil_pre = 0;
        hi[0] = 0; hi[1] = 0; hi[2] = 0;
        h2c_fire = 0;
        repeat (8) @(posedge xdma_clk);
        #1;
        xdma_rst = 0;
        path_rst = 0;
        run_axil(0, n_axil_pre);
        streams_go = 1;
        // streams until every H2C beat is in and the core side has offered everything, then a quiet time
        while (hi[0] < n_h2c[0] || hi[1] < n_h2c[1] || hi[2] < n_h2c[2] || !core_done || quiet > 0) begin
            for (ch = 0; ch < 3; ch = ch + 1) begin
                if (!h2c_tvalid[ch] || h2c_fire[ch]) begin
                    if (hi[ch] < n_h2c[ch] && rnd_x(pvalid)) begin
                        h2c_tvalid[ch] = 1'b1;
                        beat = h2c_stim(ch, hi[ch]);
                        h2c_tlast[ch] = beat[576];
                        h2c_tkeep[ch] = beat[575:512];
                        h2c_tdata[ch] = beat[511:0];
                    end else begin
                        h2c_tvalid[ch] = 1'b0;
                    end
                end
            end
            c2h_tready = {rnd_x(pready), rnd_x(pready)};
            @(negedge xdma_clk);
            for (ch = 0; ch < 3; ch = ch + 1) h2c_fire[ch] = h2c_tvalid[ch] && h2c_tready[ch];
            for (ch = 0; ch < 2; ch = ch + 1) if (c2h_tvalid[ch] && c2h_tready[ch])
                $fwrite(fd, "C %0d %0d %016h %0128h\n", ch, c2h_tlast[ch], c2h_tkeep[ch], c2h_tdata[ch]);
            @(posedge xdma_clk);
            #1;
            for (ch = 0; ch < 3; ch = ch + 1) if (h2c_fire[ch]) hi[ch] = hi[ch] + 1;
            if (hi[0] >= n_h2c[0] && hi[1] >= n_h2c[1] && hi[2] >= n_h2c[2] && core_done) quiet = quiet - 1;
        end
        h2c_tvalid = 0;
        c2h_tready = 2'b11;
        run_axil(n_axil_pre, n_axil);
        $fclose(fd);
        $display("xdma_shell_tb: %0d/%0d/%0d H2C beats, %0d records, %0d order beats, %0d register accesses",
            n_h2c[0], n_h2c[1], n_h2c[2], n_rec, n_ord, n_axil);
        $finish;
    end

    task automatic run_axil(input integer from, input integer to);
        integer a;
        reg [3:0] op;
        for (a = from; a < to; a = a + 1) begin
            op = axil_stim[a][67:64];
            @(posedge xdma_clk);
            #1;
            if (op == 4'd1) begin
                awaddr = axil_stim[a][63:32]; wdata = axil_stim[a][31:0]; awvalid = 1; wvalid = 1;
                do @(negedge xdma_clk); while (!(awready && wready));
                @(posedge xdma_clk);
                #1; awvalid = 0; wvalid = 0; bready = 1;
                do @(negedge xdma_clk); while (!bvalid);
                $fwrite(fd, "A 1 %08h %0d 00000000\n", axil_stim[a][63:32], bresp);
                @(posedge xdma_clk);
                #1; bready = 0;
            end else begin
                araddr = axil_stim[a][63:32]; arvalid = 1;
                do @(negedge xdma_clk); while (!arready);
                @(posedge xdma_clk);
                #1; arvalid = 0; rready = 1;
                do @(negedge xdma_clk); while (!rvalid);
                $fwrite(fd, "A 0 %08h %0d %08h\n", axil_stim[a][63:32], rresp, rdata);
                @(posedge xdma_clk);
                #1; rready = 0;
            end
        end
    endtask

    // ---- core side ------------------------------------------------------------------------------------------
    integer ri = 0, oi = 0, cch;
    reg core_done = 0;
    reg ev_fire = 0, ord_fire = 0;
    initial begin
        repeat (8) @(posedge core_clk);
        #1;
        core_rst = 0;
        while (!streams_go) @(posedge core_clk);
        #1;
        forever begin
            in_tready = {rnd_c(pready), rnd_c(pready), rnd_c(pready)};
            if (!ev_tvalid || ev_fire) begin
                if (ri < n_rec && rnd_c(pvalid)) begin ev_tvalid = 1; ev_tdata = rec_stim[ri]; end
                else ev_tvalid = 0;
            end
            if (!ord_tvalid || ord_fire) begin
                if (oi < n_ord && rnd_c(pvalid)) begin
                    ord_tvalid = 1; ord_tuser = ord_stim[oi][73]; ord_tlast = ord_stim[oi][72];
                    ord_tkeep = ord_stim[oi][71:64]; ord_tdata = ord_stim[oi][63:0];
                end else ord_tvalid = 0;
            end
            @(negedge core_clk);
            for (cch = 0; cch < 3; cch = cch + 1) if (in_tvalid[cch] && in_tready[cch])
                $fwrite(fd, "I %0d %0d %02h %016h\n", cch, in_tlast[cch], in_tkeep[cch], in_tdata[cch]);
            ev_fire = ev_tvalid && ev_tready;
            ord_fire = ord_tvalid && ord_tready;
            @(posedge core_clk);
            #1;
            if (ev_fire) ri = ri + 1;
            if (ord_fire) oi = oi + 1;
            if (ri >= n_rec && oi >= n_ord) core_done = 1;
        end
    end

    // the core's register window: a register file; 0xFFC answers SLVERR
    reg [31:0] lfsr_r = 1;
    function automatic bit rnd_r(input integer percent);
        lfsr_r = {lfsr_r[30:0], lfsr_r[31] ^ lfsr_r[21] ^ lfsr_r[1] ^ lfsr_r[0]};
        return (lfsr_r % 100) < percent;
    endfunction
    reg aw_fire = 0, ar_fire = 0, b_fire = 0, r_fire = 0;
    integer m;
    initial begin
        for (m = 0; m < 1024; m = m + 1) csr_mem[m] = 32'hC0DE_0000 | m;
        forever begin
            @(negedge core_clk);
            aw_fire = csr_awvalid && csr_wvalid && csr_awready && csr_wready;
            ar_fire = csr_arvalid && csr_arready;
            b_fire = csr_bvalid && csr_bready;
            r_fire = csr_rvalid && csr_rready;
            @(posedge core_clk);
            #1;
            if (b_fire) csr_bvalid = 0;
            if (r_fire) csr_rvalid = 0;
            if (aw_fire) begin
                if (csr_awaddr != 12'hFFC) csr_mem[csr_awaddr[11:2]] = csr_wdata;
                csr_bvalid = 1; csr_bresp = csr_awaddr == 12'hFFC ? 2'b10 : 2'b00;
            end
            if (ar_fire) begin
                csr_rvalid = 1; csr_rresp = csr_araddr == 12'hFFC ? 2'b10 : 2'b00;
                csr_rdata = csr_mem[csr_araddr[11:2]];
            end
            csr_awready = csr_awvalid && csr_wvalid && !csr_bvalid && !aw_fire && rnd_r(50);
            csr_wready = csr_awready;
            csr_arready = csr_arvalid && !csr_rvalid && !ar_fire && rnd_r(50);
        end
    end
endmodule
