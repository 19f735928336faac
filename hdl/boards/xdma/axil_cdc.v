// AXI-Lite clock crossing, one transaction at a time: the slave side (s_clk) takes a write (address and
// data together) or a read, holds it in registers and flips req_toggle; the master side (m_clk) sees the
// flip through a synchroniser, runs the transaction on its port, holds the answer and flips ack_toggle
// back. Request and answer registers are only read after the toggle that announces them has crossed, so
// they have been stable for SYNC_STAGES cycles of the reading clock (the board constraints bound those
// paths with set_max_delay -datapath_only). A register access is rare; one at a time costs nothing here.
//
// If the master side does not answer within TIMEOUT s_clk cycles (its clock stopped, its domain held in
// reset) the slave side answers SLVERR, counts `timeout`, and answers every later access SLVERR at once
// until reset: a host never hangs on a dead core.
`default_nettype none
module axil_cdc #(
    parameter ADDR_WIDTH = 12,
    parameter SYNC_STAGES = 2,
    parameter TIMEOUT = 65536
) (
    input  wire                  s_clk,
    input  wire                  s_rst,
    input  wire [ADDR_WIDTH-1:0] s_axil_awaddr,
    input  wire                  s_axil_awvalid,
    output wire                  s_axil_awready,
    input  wire [31:0]           s_axil_wdata,
    input  wire [3:0]            s_axil_wstrb,
    input  wire                  s_axil_wvalid,
    output wire                  s_axil_wready,
    output wire [1:0]            s_axil_bresp,
    output wire                  s_axil_bvalid,
    input  wire                  s_axil_bready,
    input  wire [ADDR_WIDTH-1:0] s_axil_araddr,
    input  wire                  s_axil_arvalid,
    output wire                  s_axil_arready,
    output wire [31:0]           s_axil_rdata,
    output wire [1:0]            s_axil_rresp,
    output wire                  s_axil_rvalid,
    input  wire                  s_axil_rready,
    output wire                  timeout,          // pulse (s_clk): an access timed out

    input  wire                  m_clk,
    input  wire                  m_rst,
    output wire [ADDR_WIDTH-1:0] m_axil_awaddr,
    output wire                  m_axil_awvalid,
    input  wire                  m_axil_awready,
    output wire [31:0]           m_axil_wdata,
    output wire [3:0]            m_axil_wstrb,
    output wire                  m_axil_wvalid,
    input  wire                  m_axil_wready,
    input  wire [1:0]            m_axil_bresp,
    input  wire                  m_axil_bvalid,
    output wire                  m_axil_bready,
    output wire [ADDR_WIDTH-1:0] m_axil_araddr,
    output wire                  m_axil_arvalid,
    input  wire                  m_axil_arready,
    input  wire [31:0]           m_axil_rdata,
    input  wire [1:0]            m_axil_rresp,
    input  wire                  m_axil_rvalid,
    output wire                  m_axil_rready
);

localparam [1:0] RESP_SLVERR = 2'b10;
localparam TIMER_BITS = $clog2(TIMEOUT + 1);

// ---- slave side (s_clk) ------------------------------------------------------------------------------
localparam [1:0] S_IDLE = 2'd0, S_WAIT = 2'd1, S_ANSWER = 2'd2;
(* fsm_encoding = "none" *) reg [1:0] s_state_reg;
reg                  req_toggle_reg;
reg                  req_write_reg;
reg [ADDR_WIDTH-1:0] req_addr_reg;
reg [31:0]           req_wdata_reg;
reg [3:0]            req_wstrb_reg;
reg [1:0]            s_resp_reg;
reg [31:0]           s_rdata_reg;
reg                  dead_reg;          // the master side timed out once: answer at once from now on
reg [TIMER_BITS-1:0] timer_reg;
reg                  expired_reg;       // timer_reg == TIMEOUT, kept beside the timer (no compare after it)
reg                  timeout_reg;
reg                  ack_toggle_reg;    // m_clk, declared here for the synchroniser
(* ASYNC_REG = "TRUE" *) reg [SYNC_STAGES-1:0] ack_sync_reg;
reg                  ack_seen_reg;
reg [1:0]            m_resp_reg;        // m_clk
reg [31:0]           m_rdata_reg;       // m_clk

wire s_idle = s_state_reg == S_IDLE;
wire take_write = s_idle && s_axil_awvalid && s_axil_wvalid;
wire take_read = s_idle && !take_write && s_axil_arvalid;
wire ack_arrived = ack_sync_reg[SYNC_STAGES-1] != ack_seen_reg;

assign s_axil_awready = take_write;
assign s_axil_wready = take_write;
assign s_axil_arready = take_read;
assign s_axil_bvalid = s_state_reg == S_ANSWER && req_write_reg;
assign s_axil_rvalid = s_state_reg == S_ANSWER && !req_write_reg;
assign s_axil_bresp = s_resp_reg;
assign s_axil_rresp = s_resp_reg;
assign s_axil_rdata = s_rdata_reg;
assign timeout = timeout_reg;

always @(posedge s_clk) begin
    if (s_rst) begin
        s_state_reg <= S_IDLE;
        req_toggle_reg <= 1'b0;
        req_write_reg <= 1'b0;
        req_addr_reg <= {ADDR_WIDTH{1'b0}};
        req_wdata_reg <= 32'd0;
        req_wstrb_reg <= 4'd0;
        s_resp_reg <= 2'b00;
        s_rdata_reg <= 32'd0;
        dead_reg <= 1'b0;
        timer_reg <= {TIMER_BITS{1'b0}};
        expired_reg <= 1'b0;
        timeout_reg <= 1'b0;
        ack_sync_reg <= {SYNC_STAGES{1'b0}};
        ack_seen_reg <= 1'b0;
    end else begin
        ack_sync_reg <= {ack_sync_reg[SYNC_STAGES-2:0], ack_toggle_reg};
        timeout_reg <= 1'b0;
        case (s_state_reg)
            S_IDLE: begin
                // the timer starts over in every idle cycle, taken or not: only S_WAIT reads it, and S_WAIT
                // is entered from here alone (so the take does not gate the timer's 17 bits)
                timer_reg <= {TIMER_BITS{1'b0}};
                expired_reg <= TIMEOUT == 0;
                if (take_write || take_read) begin
                    req_write_reg <= take_write;
                    req_addr_reg <= take_write ? s_axil_awaddr : s_axil_araddr;
                    req_wdata_reg <= s_axil_wdata;
                    req_wstrb_reg <= s_axil_wstrb;
                    if (dead_reg) begin
                        s_resp_reg <= RESP_SLVERR;
                        s_rdata_reg <= 32'd0;
                        s_state_reg <= S_ANSWER;
                    end else begin
                        req_toggle_reg <= !req_toggle_reg;
                        s_state_reg <= S_WAIT;
                    end
                end
            end
            S_WAIT: begin
                if (ack_arrived) begin
                    ack_seen_reg <= !ack_seen_reg;
                    s_resp_reg <= m_resp_reg;
                    s_rdata_reg <= m_rdata_reg;
                    s_state_reg <= S_ANSWER;
                end else if (expired_reg) begin
                    dead_reg <= 1'b1;
                    timeout_reg <= 1'b1;
                    s_resp_reg <= RESP_SLVERR;
                    s_rdata_reg <= 32'd0;
                    s_state_reg <= S_ANSWER;
                end else begin
                    timer_reg <= timer_reg + 1'b1;
                    expired_reg <= timer_reg == TIMER_BITS'(TIMEOUT - 1);
                end
            end
            default: if ((req_write_reg && s_axil_bready) || (!req_write_reg && s_axil_rready)) s_state_reg <= S_IDLE;
        endcase
    end
end

// ---- master side (m_clk) -----------------------------------------------------------------------------
(* ASYNC_REG = "TRUE" *) reg [SYNC_STAGES-1:0] req_sync_reg;
reg req_seen_reg;
wire m_busy, m_done;
wire [1:0] m_resp;
wire [31:0] m_rdata;

wire req_arrived = req_sync_reg[SYNC_STAGES-1] != req_seen_reg;
wire m_start = req_arrived && !m_busy;

axil_forward #(.ADDR_WIDTH(ADDR_WIDTH)) forward_inst (
    .clk(m_clk), .rst(m_rst),
    .start(m_start), .write(req_write_reg), .addr(req_addr_reg), .wdata(req_wdata_reg), .wstrb(req_wstrb_reg),
    .busy(m_busy), .done(m_done), .resp(m_resp), .rdata(m_rdata),
    .m_axil_awaddr(m_axil_awaddr), .m_axil_awvalid(m_axil_awvalid), .m_axil_awready(m_axil_awready),
    .m_axil_wdata(m_axil_wdata), .m_axil_wstrb(m_axil_wstrb), .m_axil_wvalid(m_axil_wvalid),
    .m_axil_wready(m_axil_wready), .m_axil_bresp(m_axil_bresp), .m_axil_bvalid(m_axil_bvalid),
    .m_axil_bready(m_axil_bready), .m_axil_araddr(m_axil_araddr), .m_axil_arvalid(m_axil_arvalid),
    .m_axil_arready(m_axil_arready), .m_axil_rdata(m_axil_rdata), .m_axil_rresp(m_axil_rresp),
    .m_axil_rvalid(m_axil_rvalid), .m_axil_rready(m_axil_rready)
);

always @(posedge m_clk) begin
    if (m_rst) begin
        req_sync_reg <= {SYNC_STAGES{1'b0}};
        req_seen_reg <= 1'b0;
        ack_toggle_reg <= 1'b0;
        m_resp_reg <= 2'b00;
        m_rdata_reg <= 32'd0;
    end else begin
        req_sync_reg <= {req_sync_reg[SYNC_STAGES-2:0], req_toggle_reg};
        if (m_start) req_seen_reg <= !req_seen_reg;
        if (m_done) begin
            m_resp_reg <= m_resp;
            m_rdata_reg <= req_write_reg ? 32'd0 : m_rdata;
            ack_toggle_reg <= !ack_toggle_reg;
        end
    end
end

endmodule
`default_nettype wire
