// hdl/boards/xdma/axil_cdc.v on two unrelated clocks with a short time-out (test/axil-cdc.rtl.test.ts): a
// register bus on the master side that answers after +delay master cycles, or never (+delay=0). Each access
// from the slave side prints its kind, response, data, the slave cycles from the handshake to the answer and
// the time-out pulses seen so far; +reset_after=K resets both sides after access K, with the bus answering again.
`timescale 1ns/1ps
module axil_cdc_tb;
    localparam integer TIMEOUT = 20;
    reg s_clk = 0, m_clk = 0;
    always #2 s_clk = ~s_clk;
    always #1.55 m_clk = ~m_clk;
    reg s_rst = 1, m_rst = 1;

    reg  [11:0] awaddr = 0, araddr = 0;
    reg         awvalid = 0, wvalid = 0, arvalid = 0;
    reg  [31:0] wdata = 0;
    wire        awready, wready, arready, bvalid, rvalid;
    wire [1:0]  bresp, rresp;
    wire [31:0] rdata;
    wire        timeout;
    wire [11:0] m_awaddr, m_araddr;
    wire [31:0] m_wdata;
    wire [3:0]  m_wstrb;
    wire        m_awvalid, m_wvalid, m_bready, m_arvalid, m_rready;
    reg         m_awready = 0, m_wready = 0, m_bvalid = 0, m_arready = 0, m_rvalid = 0;
    reg  [31:0] m_rdata = 0;

    axil_cdc #(.TIMEOUT(TIMEOUT)) dut (
        .s_clk(s_clk), .s_rst(s_rst),
        .s_axil_awaddr(awaddr), .s_axil_awvalid(awvalid), .s_axil_awready(awready),
        .s_axil_wdata(wdata), .s_axil_wstrb(4'hF), .s_axil_wvalid(wvalid), .s_axil_wready(wready),
        .s_axil_bresp(bresp), .s_axil_bvalid(bvalid), .s_axil_bready(1'b1),
        .s_axil_araddr(araddr), .s_axil_arvalid(arvalid), .s_axil_arready(arready),
        .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid), .s_axil_rready(1'b1),
        .timeout(timeout),
        .m_clk(m_clk), .m_rst(m_rst),
        .m_axil_awaddr(m_awaddr), .m_axil_awvalid(m_awvalid), .m_axil_awready(m_awready),
        .m_axil_wdata(m_wdata), .m_axil_wstrb(m_wstrb), .m_axil_wvalid(m_wvalid), .m_axil_wready(m_wready),
        .m_axil_bresp(2'b00), .m_axil_bvalid(m_bvalid), .m_axil_bready(m_bready),
        .m_axil_araddr(m_araddr), .m_axil_arvalid(m_arvalid), .m_axil_arready(m_arready),
        .m_axil_rdata(m_rdata), .m_axil_rresp(2'b00), .m_axil_rvalid(m_rvalid), .m_axil_rready(m_rready)
    );

    // the register bus: takes an address (and data) at once, answers `delay` master cycles later, or never
    integer delay = 3;
    integer wait_left = -1;
    reg     answer_write = 0;
    always @(posedge m_clk) begin
        m_awready <= 0; m_wready <= 0; m_arready <= 0;
        if (m_bvalid && m_bready) m_bvalid <= 0;
        if (m_rvalid && m_rready) m_rvalid <= 0;
        if (wait_left < 0 && !m_bvalid && !m_rvalid) begin
            if (m_awvalid && m_wvalid && !m_awready) begin
                m_awready <= 1; m_wready <= 1; answer_write <= 1; wait_left <= delay;
            end else if (m_arvalid && !m_arready) begin
                m_arready <= 1; answer_write <= 0; m_rdata <= {20'hA5A5A, m_araddr}; wait_left <= delay;
            end
        end else if (wait_left > 0) begin
            wait_left <= wait_left - 1;
        end else if (wait_left == 0 && delay > 0) begin
            if (answer_write) m_bvalid <= 1; else m_rvalid <= 1;
            wait_left <= -1;
        end
    end

    integer timeouts = 0;
    always @(posedge s_clk) if (!s_rst && timeout) timeouts <= timeouts + 1;

    integer k, accesses, reset_after, cycles, write;
    reg [1:0]  resp;
    reg [31:0] data;
    initial begin
        if (!$value$plusargs("accesses=%d", accesses)) accesses = 4;
        if (!$value$plusargs("reset_after=%d", reset_after)) reset_after = -1;
        repeat (4) @(posedge s_clk);
        s_rst = 0; m_rst = 0;
        for (k = 0; k < accesses; k = k + 1) begin
            if (!$value$plusargs($sformatf("delay%0d=%%d", k), delay)) delay = 3;
            write = k % 2;
            @(negedge s_clk);
            if (write) begin awaddr = 12'(16 * k); wdata = 32'(k); awvalid = 1; wvalid = 1; end
            else begin araddr = 12'(16 * k); arvalid = 1; end
            @(posedge s_clk);
            while (!(awready || arready)) @(posedge s_clk);
            @(negedge s_clk);
            awvalid = 0; wvalid = 0; arvalid = 0;
            cycles = 0;
            while (!(bvalid || rvalid) && cycles < 100 * TIMEOUT) begin @(posedge s_clk); #0.1; cycles = cycles + 1; end
            if (!(bvalid || rvalid)) begin
                $display("access %0d never answered", k);
                $finish;
            end
            resp = write ? bresp : rresp;
            data = write ? 32'd0 : rdata;
            @(posedge s_clk);
            #0.1 $display("access %0d %0s resp=%0d data=%h cycles=%0d timeouts=%0d", k, write ? "write" : "read", resp, data,
                          cycles, timeouts);
            if (k == reset_after) begin
                @(negedge s_clk); s_rst = 1; m_rst = 1; wait_left = -1;
                repeat (4) @(posedge s_clk);
                @(negedge s_clk); s_rst = 0; m_rst = 0;
                repeat (2) @(posedge s_clk);
            end
        end
        $finish;
    end
endmodule
