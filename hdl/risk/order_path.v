// The outbound order path: order bytes in (one FIX stream per frame, tlast at its end), accepted orders and
// other well-formed messages out on the order egress, a verdict record per order (or malformed span).
// A beat is offered to the parser every CYCLES_PER_BEAT cycles. The parser may take a beat a cycle or two
// after it is offered (a beat with several fields ends takes one cycle per token) but never needs more than
// the cadence, so the offer times follow from the bytes alone: the gate times its decisions from them,
// which makes the rate limit reproducible (src/risk/ref-gate.ts). Ingress tkeep must be contiguous from
// lane 0.
`default_nettype none
`include "tickgate_layout.vh"
module order_path #(
    parameter integer CYCLES_PER_BEAT = 4,
    parameter integer MAX_MSG_LEN = 4096,
    parameter integer DECIDE_CYCLES = 7
) (
    input  wire         clk,
    input  wire         rst,
    input  wire [63:0]  cycle,
    output wire         clearing,

    input  wire [63:0]  s_tdata,
    input  wire [7:0]   s_tkeep,
    input  wire         s_tvalid,
    output wire         s_tready,
    input  wire         s_tlast,

    output wire [63:0]  m_order_tdata,
    output wire [7:0]   m_order_tkeep,
    output wire         m_order_tvalid,
    input  wire         m_order_tready,
    output wire         m_order_tlast,

    output wire [`TG_REC_BITS-1:0] m_rec_tdata,
    output wire         m_rec_tvalid,
    input  wire         m_rec_tready,

    input  wire         commit,
    input  wire [31:0]  shadow_control,
    input  wire [31:0]  shadow_cycles_per_token,
    input  wire         sym_we,
    input  wire [31:0]  sym_cmd,
    input  wire [63:0]  sym_symbol,
    input  wire [`TG_REC_BITS-1:0] feed_rec_tdata,   // the feed path's records as they leave it
    input  wire         feed_rec_fire,

    input  wire         limit_we,
    input  wire [9:0]   limit_index,
    input  wire [209:0] limit_data,
    output wire         active_bank,

    output wire         inc_verdict,
    output wire         inc_accepted,
    output wire         inc_passed,
    output wire         inc_late,
    output wire         inc_trade,
    output wire [7:0]   inc_reject
);
    localparam integer PHASE_BITS = $clog2(CYCLES_PER_BEAT);

    // ---- cadence: a beat offered every CYCLES_PER_BEAT cycles, none while the gate asks to wait -------------
    reg  [PHASE_BITS-1:0] since_q;          // cycles since the last offer, saturating
    reg         offered_q;                  // the beat at the input was offered and the parser has not taken it
    wire        gate_stall;
    wire        parser_tready;
    wire        cadence = since_q == CYCLES_PER_BEAT[PHASE_BITS-1:0] - 1'b1;
    wire        offer = s_tvalid && !offered_q && cadence && !gate_stall;
    wire        present = offered_q || offer;
    assign s_tready = present && parser_tready;

    always @(posedge clk) begin
        if (rst) begin
            since_q <= CYCLES_PER_BEAT[PHASE_BITS-1:0] - 1'b1;
            offered_q <= 1'b0;
        end else begin
            if (offer) since_q <= {PHASE_BITS{1'b0}};
            else if (!cadence) since_q <= since_q + 1'b1;
            offered_q <= present && !(s_tvalid && parser_tready);
        end
    end

    reg [3:0] beat_bytes;
    integer i;
    always @* begin
        beat_bytes = 4'd0;
        for (i = 0; i < 8; i = i + 1) beat_bytes = beat_bytes + {3'd0, s_tkeep[i]};
    end

    // ---- parser ------------------------------------------------------------------------------------------
    wire [`TG_REC_BITS-1:0] rec_tdata;
    wire        rec_tvalid;

    fix_parser #(
        .DATA_WIDTH(64)
    ) parser_inst (
        .clk(clk), .rst(rst),
        .s_axis_tdata(s_tdata), .s_axis_tkeep(s_tkeep), .s_axis_tvalid(s_tvalid && present),
        .s_axis_tready(parser_tready), .s_axis_tlast(s_tlast),
        .m_axis_tdata(rec_tdata), .m_axis_tvalid(rec_tvalid), .m_axis_tready(1'b1),
        .max_msg_len(MAX_MSG_LEN), .order_tags(1'b1), .cycle(cycle)
    );

    // ---- ring, gate, forwarder ---------------------------------------------------------------------------------
    wire [15:0] beat_addr;
    wire        val_en, fwd_en;
    wire [15:0] val_addr, fwd_addr_rd;
    wire [63:0] val_data, fwd_data;

    order_ring ring_inst (
        .clk(clk),
        .wr_en(offer), .wr_addr(beat_addr), .wr_data(s_tdata), .wr_bytes(beat_bytes),
        .a_en(val_en), .a_addr(val_addr), .a_data(val_data),
        .b_en(fwd_en), .b_addr(fwd_addr_rd), .b_data(fwd_data)
    );

    wire        fwd_push;
    wire [15:0] fwd_addr;
    wire [12:0] fwd_length;
    wire [3:0]  fwd_waiting;
    wire [15:0] fwd_head;

    wire        trade_valid;
    wire [63:0] trade_symbol;
    wire [31:0] trade_price;
    trade_tap trade_tap_inst (
        .rec_tdata(feed_rec_tdata), .rec_fire(feed_rec_fire),
        .trade_valid(trade_valid), .trade_symbol(trade_symbol), .trade_price(trade_price)
    );

    risk_gate #(
        .DECIDE_CYCLES(DECIDE_CYCLES),
        .FWD_DEPTH(8)
    ) gate_inst (
        .clk(clk), .rst(rst), .cycle(cycle), .clearing(clearing), .stall(gate_stall),
        .rec_tdata(rec_tdata), .rec_tvalid(rec_tvalid),
        .beat_fire(offer), .beat_bytes(beat_bytes), .beat_last(s_tlast), .beat_addr(beat_addr),
        .ring_en(val_en), .ring_addr(val_addr), .ring_data(val_data),
        .fwd_push(fwd_push), .fwd_addr(fwd_addr), .fwd_length(fwd_length), .fwd_waiting(fwd_waiting), .fwd_head(fwd_head),
        .commit(commit), .shadow_control(shadow_control), .shadow_cycles_per_token(shadow_cycles_per_token),
        .sym_we(sym_we), .sym_cmd(sym_cmd), .sym_symbol(sym_symbol),
        .trade_valid(trade_valid), .trade_symbol(trade_symbol), .trade_price(trade_price),
        .limit_we(limit_we), .limit_index(limit_index), .limit_data(limit_data), .active_bank(active_bank),
        .m_tdata(m_rec_tdata), .m_tvalid(m_rec_tvalid), .m_tready(m_rec_tready),
        .inc_verdict(inc_verdict), .inc_accepted(inc_accepted), .inc_passed(inc_passed), .inc_late(inc_late),
        .inc_trade(inc_trade), .inc_reject(inc_reject)
    );

    order_forwarder #(
        .DEPTH(8)
    ) forwarder_inst (
        .clk(clk), .rst(rst),
        .push(fwd_push), .push_addr(fwd_addr), .push_length(fwd_length), .waiting(fwd_waiting), .head_addr(fwd_head),
        .rd_en(fwd_en), .rd_addr(fwd_addr_rd), .rd_data(fwd_data),
        .m_tdata(m_order_tdata), .m_tkeep(m_order_tkeep), .m_tvalid(m_order_tvalid), .m_tready(m_order_tready),
        .m_tlast(m_order_tlast)
    );
endmodule
`default_nettype wire
