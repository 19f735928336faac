// The PCIe user BAR's AXI-Lite slave, in the XDMA clock domain. Offsets in the shell's window
// (`TG_XSH_WINDOW_OFFSET`, one 4 KiB window) are the shell's own registers, answered here, so they work
// while the core is held in reset; offsets in the core's window (below it) are forwarded on m_axil to the
// core (through axil_cdc); anything else answers DECERR. One access at a time.
`default_nettype none
`include "tickgate_layout.vh"
module xdma_shell_regs #(
    parameter BAR_ADDR_WIDTH = 32
) (
    input  wire                      clk,
    input  wire                      rst,

    input  wire [BAR_ADDR_WIDTH-1:0] s_axil_awaddr,
    input  wire                      s_axil_awvalid,
    output wire                      s_axil_awready,
    input  wire [31:0]               s_axil_wdata,
    input  wire [3:0]                s_axil_wstrb,
    input  wire                      s_axil_wvalid,
    output wire                      s_axil_wready,
    output wire [1:0]                s_axil_bresp,
    output wire                      s_axil_bvalid,
    input  wire                      s_axil_bready,
    input  wire [BAR_ADDR_WIDTH-1:0] s_axil_araddr,
    input  wire                      s_axil_arvalid,
    output wire                      s_axil_arready,
    output wire [31:0]               s_axil_rdata,
    output wire [1:0]                s_axil_rresp,
    output wire                      s_axil_rvalid,
    input  wire                      s_axil_rready,

    // the core's window
    output wire [`TG_CSR_ADDR_BITS-1:0] m_axil_awaddr,
    output wire                      m_axil_awvalid,
    input  wire                      m_axil_awready,
    output wire [31:0]               m_axil_wdata,
    output wire [3:0]                m_axil_wstrb,
    output wire                      m_axil_wvalid,
    input  wire                      m_axil_wready,
    input  wire [1:0]                m_axil_bresp,
    input  wire                      m_axil_bvalid,
    output wire                      m_axil_bready,
    output wire [`TG_CSR_ADDR_BITS-1:0] m_axil_araddr,
    output wire                      m_axil_arvalid,
    input  wire                      m_axil_arready,
    input  wire [31:0]               m_axil_rdata,
    input  wire [1:0]                m_axil_rresp,
    input  wire                      m_axil_rvalid,
    output wire                      m_axil_rready,

    input  wire                      core_clock_locked,   // synchronised to clk
    input  wire                      core_reset,
    input  wire                      core_bus_timeout,    // pulse
    input  wire [2:0]                h2c_frame_done,      // pulses, per channel: fix, feed, orders
    input  wire [2:0]                h2c_bad_header,
    input  wire [2:0]                h2c_truncated,
    input  wire                      c2h_record_packet,
    input  wire                      c2h_order_packet,
    output wire [15:0]               c2h_batch_records,
    output wire [15:0]               c2h_idle_cycles,
    output wire                      core_reset_request  // CONTROL.CORE_RESET
);

localparam AW = `TG_CSR_ADDR_BITS;
localparam [1:0] RESP_OKAY = 2'b00, RESP_SLVERR = 2'b10, RESP_DECERR = 2'b11;
localparam [BAR_ADDR_WIDTH-1:0] SHELL_BASE = BAR_ADDR_WIDTH'(`TG_XSH_WINDOW_OFFSET);

// a request is taken in ST_IDLE and decoded from registers in ST_DECODE, so no decode follows the handshake
localparam [1:0] ST_IDLE = 2'd0, ST_FORWARD = 2'd1, ST_ANSWER = 2'd2, ST_DECODE = 2'd3;
(* fsm_encoding = "none" *) reg [1:0] state_reg;
reg          write_reg;
reg [AW-1:0] offset_reg;
reg [31:0]   wdata_reg;
reg [3:0]    wstrb_reg;
reg [1:0]    resp_reg;
reg [31:0]   rdata_reg;
reg [15:0]   batch_reg, idle_reg;
reg          bus_dead_reg;
reg          clear_reg;
reg          core_reset_request_reg;

// ---- counters ------------------------------------------------------------------------------------------
wire [31:0] frames [0:2];
wire [31:0] bad_headers [0:2];
wire [31:0] truncated [0:2];
wire [31:0] record_packets, order_packets, bus_timeouts;
genvar ch;
generate
    for (ch = 0; ch < 3; ch = ch + 1) begin : channel
        event_counter frames_inst (.clk(clk), .rst(rst), .clear(clear_reg), .inc(h2c_frame_done[ch]), .count(frames[ch]));
        event_counter bad_inst (.clk(clk), .rst(rst), .clear(clear_reg), .inc(h2c_bad_header[ch]), .count(bad_headers[ch]));
        event_counter truncated_inst (.clk(clk), .rst(rst), .clear(clear_reg), .inc(h2c_truncated[ch]), .count(truncated[ch]));
    end
endgenerate
event_counter record_packets_inst (.clk(clk), .rst(rst), .clear(clear_reg), .inc(c2h_record_packet), .count(record_packets));
event_counter order_packets_inst (.clk(clk), .rst(rst), .clear(clear_reg), .inc(c2h_order_packet), .count(order_packets));
event_counter bus_timeouts_inst (.clk(clk), .rst(rst), .clear(clear_reg), .inc(core_bus_timeout), .count(bus_timeouts));

assign c2h_batch_records = batch_reg;
assign c2h_idle_cycles = idle_reg;
assign core_reset_request = core_reset_request_reg;

// ---- the access ----------------------------------------------------------------------------------------
wire idle = state_reg == ST_IDLE;
wire take_write = idle && s_axil_awvalid && s_axil_wvalid;
wire take_read = idle && !take_write && s_axil_arvalid;
wire [AW-1:0] addr = offset_reg;
wire [BAR_ADDR_WIDTH-1:0] req_addr = take_write ? s_axil_awaddr : s_axil_araddr;
// both windows are 2^AW bytes at a multiple of 2^AW: an equality on the high bits, no compare chain; taken
// with the request
reg in_core, in_shell;

assign s_axil_awready = take_write;
assign s_axil_wready = take_write;
assign s_axil_arready = take_read;
assign s_axil_bvalid = state_reg == ST_ANSWER && write_reg;
assign s_axil_rvalid = state_reg == ST_ANSWER && !write_reg;
assign s_axil_bresp = resp_reg;
assign s_axil_rresp = resp_reg;
assign s_axil_rdata = rdata_reg;

wire        forward_done, forward_busy;
wire [1:0]  forward_resp;
wire [31:0] forward_rdata;
wire        unused_forward_busy = forward_busy;
axil_forward #(.ADDR_WIDTH(AW)) forward_inst (
    .clk(clk), .rst(rst),
    .start(state_reg == ST_DECODE && in_core),
    .write(write_reg), .addr(offset_reg), .wdata(wdata_reg), .wstrb(wstrb_reg),
    .busy(forward_busy), .done(forward_done), .resp(forward_resp), .rdata(forward_rdata),
    .m_axil_awaddr(m_axil_awaddr), .m_axil_awvalid(m_axil_awvalid), .m_axil_awready(m_axil_awready),
    .m_axil_wdata(m_axil_wdata), .m_axil_wstrb(m_axil_wstrb), .m_axil_wvalid(m_axil_wvalid),
    .m_axil_wready(m_axil_wready), .m_axil_bresp(m_axil_bresp), .m_axil_bvalid(m_axil_bvalid),
    .m_axil_bready(m_axil_bready), .m_axil_araddr(m_axil_araddr), .m_axil_arvalid(m_axil_arvalid),
    .m_axil_arready(m_axil_arready), .m_axil_rdata(m_axil_rdata), .m_axil_rresp(m_axil_rresp),
    .m_axil_rvalid(m_axil_rvalid), .m_axil_rready(m_axil_rready)
);

reg [31:0] shell_rdata;
reg        shell_known;
always @* begin
    shell_known = 1'b1;
    case (addr[AW-1:0])
        `TG_XSH_REG_ID: shell_rdata = `TG_XSH_ID;
        `TG_XSH_REG_STATUS: begin
            shell_rdata = 32'd0;
            shell_rdata[`TG_XSH_REG_STATUS_CORE_CLOCK_LOCKED_BIT] = core_clock_locked;
            shell_rdata[`TG_XSH_REG_STATUS_CORE_RESET_BIT] = core_reset;
            shell_rdata[`TG_XSH_REG_STATUS_CORE_BUS_DEAD_BIT] = bus_dead_reg;
        end
        `TG_XSH_REG_C2H_BATCH_RECORDS: shell_rdata = {16'd0, batch_reg};
        `TG_XSH_REG_C2H_IDLE_CYCLES: shell_rdata = {16'd0, idle_reg};
        `TG_XSH_REG_COUNTER_CLEAR: shell_rdata = 32'd0;
        `TG_XSH_REG_CONTROL: begin
            shell_rdata = 32'd0;
            shell_rdata[`TG_XSH_REG_CONTROL_CORE_RESET_BIT] = core_reset_request_reg;
        end
        `TG_XSH_REG_H2C_FRAMES_FIX: shell_rdata = frames[0];
        `TG_XSH_REG_H2C_FRAMES_FEED: shell_rdata = frames[1];
        `TG_XSH_REG_H2C_FRAMES_ORDERS: shell_rdata = frames[2];
        `TG_XSH_REG_H2C_BAD_HEADERS_FIX: shell_rdata = bad_headers[0];
        `TG_XSH_REG_H2C_BAD_HEADERS_FEED: shell_rdata = bad_headers[1];
        `TG_XSH_REG_H2C_BAD_HEADERS_ORDERS: shell_rdata = bad_headers[2];
        `TG_XSH_REG_H2C_TRUNCATED_FIX: shell_rdata = truncated[0];
        `TG_XSH_REG_H2C_TRUNCATED_FEED: shell_rdata = truncated[1];
        `TG_XSH_REG_H2C_TRUNCATED_ORDERS: shell_rdata = truncated[2];
        `TG_XSH_REG_C2H_RECORD_PACKETS: shell_rdata = record_packets;
        `TG_XSH_REG_C2H_ORDER_PACKETS: shell_rdata = order_packets;
        `TG_XSH_REG_CORE_BUS_TIMEOUTS: shell_rdata = bus_timeouts;
        default: begin
            shell_rdata = 32'd0;
            shell_known = 1'b0;
        end
    endcase
end

wire writable = addr[AW-1:0] == `TG_XSH_REG_C2H_BATCH_RECORDS || addr[AW-1:0] == `TG_XSH_REG_C2H_IDLE_CYCLES ||
                addr[AW-1:0] == `TG_XSH_REG_COUNTER_CLEAR || addr[AW-1:0] == `TG_XSH_REG_CONTROL;
wire readable = shell_known && addr[AW-1:0] != `TG_XSH_REG_COUNTER_CLEAR;

always @(posedge clk) begin
    if (rst) begin
        state_reg <= ST_IDLE;
        write_reg <= 1'b0;
        offset_reg <= {AW{1'b0}};
        wdata_reg <= 32'd0;
        wstrb_reg <= 4'd0;
        resp_reg <= RESP_OKAY;
        rdata_reg <= 32'd0;
        batch_reg <= 16'(`TG_XSH_REG_C2H_BATCH_RECORDS_RESET);
        idle_reg <= 16'(`TG_XSH_REG_C2H_IDLE_CYCLES_RESET);
        bus_dead_reg <= 1'b0;
        clear_reg <= 1'b0;
        core_reset_request_reg <= 1'b0;
    end else begin
        clear_reg <= 1'b0;
        if (core_bus_timeout) bus_dead_reg <= 1'b1;
        case (state_reg)
            ST_IDLE: if (take_write || take_read) begin
                write_reg <= take_write;
                offset_reg <= req_addr[AW-1:0];
                in_core <= req_addr[BAR_ADDR_WIDTH-1:AW] == {BAR_ADDR_WIDTH-AW{1'b0}};
                in_shell <= req_addr[BAR_ADDR_WIDTH-1:AW] == SHELL_BASE[BAR_ADDR_WIDTH-1:AW];
                wdata_reg <= s_axil_wdata;
                wstrb_reg <= s_axil_wstrb;
                rdata_reg <= 32'd0;
                state_reg <= ST_DECODE;
            end
            ST_DECODE: begin
                if (in_core) begin
                    state_reg <= ST_FORWARD;
                end else if (!in_shell) begin
                    resp_reg <= RESP_DECERR;
                    state_reg <= ST_ANSWER;
                end else if (write_reg) begin
                    resp_reg <= writable ? RESP_OKAY : RESP_SLVERR;
                    if (wstrb_reg == 4'hF) begin
                        if (addr[AW-1:0] == `TG_XSH_REG_C2H_BATCH_RECORDS) batch_reg <= wdata_reg[15:0];
                        if (addr[AW-1:0] == `TG_XSH_REG_C2H_IDLE_CYCLES) idle_reg <= wdata_reg[15:0];
                        if (addr[AW-1:0] == `TG_XSH_REG_COUNTER_CLEAR) clear_reg <= wdata_reg[0];
                        if (addr[AW-1:0] == `TG_XSH_REG_CONTROL) begin
                            core_reset_request_reg <= wdata_reg[`TG_XSH_REG_CONTROL_CORE_RESET_BIT];
                            // the crossing that declared the bus dead is reset with the core
                            if (wdata_reg[`TG_XSH_REG_CONTROL_CORE_RESET_BIT]) bus_dead_reg <= 1'b0;
                        end
                    end
                    state_reg <= ST_ANSWER;
                end else begin
                    resp_reg <= readable ? RESP_OKAY : RESP_SLVERR;
                    rdata_reg <= shell_rdata;
                    state_reg <= ST_ANSWER;
                end
            end
            ST_FORWARD: if (forward_done) begin
                resp_reg <= forward_resp;
                rdata_reg <= write_reg ? 32'd0 : forward_rdata;
                state_reg <= ST_ANSWER;
            end
            default: if ((write_reg && s_axil_bready) || (!write_reg && s_axil_rready)) state_reg <= ST_IDLE;
        endcase
    end
end

endmodule
`default_nettype wire
