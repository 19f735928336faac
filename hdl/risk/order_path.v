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
    parameter integer DECIDE_CYCLES = 9
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
    output wire         m_order_tuser,      // cut-through: on the last beat, drop this frame

    output wire [`TG_REC_BITS-1:0] m_rec_tdata,
    output wire         m_rec_tvalid,
    input  wire         m_rec_tready,

    input  wire         commit,
    input  wire [31:0]  shadow_control,
    input  wire [31:0]  shadow_cycles_per_token,
    input  wire         sym_we,
    input  wire [31:0]  sym_cmd,
    input  wire [63:0]  sym_symbol,
    input  wire [80:0]  shadow_hash_key,
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
    wire        val_en, fwd_en, sf_en, ct_en;
    wire [15:0] val_addr, fwd_addr_rd, sf_addr_rd, ct_addr_rd;
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
    wire [3:0]  fwd_waiting, sf_waiting, ct_waiting;
    wire [15:0] fwd_head, sf_head, ct_head;

    wire        ct_mode, ct_seed, ct_open, ct_known, ct_close, ct_close_next, ct_close_final, ct_close_abort;
    wire        ct_decide, ct_decide_abort, ct_overflow, ct_idle, fwd_idle;
    wire [15:0] ct_open_addr, ct_known_end, ct_close_start, ct_close_end;
    wire [2:0]  ct_close_slot, ct_decide_slot;

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
        .fwd_idle(fwd_idle), .ct_mode(ct_mode), .ct_seed(ct_seed), .ct_open(ct_open), .ct_open_addr(ct_open_addr), .ct_known(ct_known), .ct_known_end(ct_known_end),
        .ct_close(ct_close), .ct_close_next(ct_close_next), .ct_close_start(ct_close_start), .ct_close_end(ct_close_end),
        .ct_close_final(ct_close_final), .ct_close_abort(ct_close_abort), .ct_close_slot(ct_close_slot),
        .ct_decide(ct_decide), .ct_decide_slot(ct_decide_slot), .ct_decide_abort(ct_decide_abort),
        .ct_overflow(ct_overflow),
        .commit(commit), .shadow_control(shadow_control), .shadow_cycles_per_token(shadow_cycles_per_token),
        .sym_we(sym_we), .sym_cmd(sym_cmd), .sym_symbol(sym_symbol), .shadow_hash_key(shadow_hash_key),
        .trade_valid(trade_valid), .trade_symbol(trade_symbol), .trade_price(trade_price),
        .limit_we(limit_we), .limit_index(limit_index), .limit_data(limit_data), .active_bank(active_bank),
        .m_tdata(m_rec_tdata), .m_tvalid(m_rec_tvalid), .m_tready(m_rec_tready),
        .inc_verdict(inc_verdict), .inc_accepted(inc_accepted), .inc_passed(inc_passed), .inc_late(inc_late),
        .inc_trade(inc_trade), .inc_reject(inc_reject)
    );

    // the two egresses: the gate switches between them only when both are empty
    wire [63:0] sf_tdata, ct_tdata;
    wire [7:0]  sf_tkeep, ct_tkeep;
    wire        sf_tvalid, ct_tvalid, sf_tlast, ct_tlast, ct_tuser;
    assign fwd_en = ct_mode ? ct_en : sf_en;
    assign fwd_addr_rd = ct_mode ? ct_addr_rd : sf_addr_rd;
    assign fwd_waiting = ct_mode ? ct_waiting : sf_waiting;
    assign fwd_head = ct_mode ? ct_head : sf_head;
    // (a last beat still waiting at the store-and-forward output is in flight: switching then would strand it)
    assign fwd_idle = ct_mode ? ct_idle : sf_waiting == 4'd0 && !sf_tvalid;
    assign m_order_tdata = ct_mode ? ct_tdata : sf_tdata;
    assign m_order_tkeep = ct_mode ? ct_tkeep : sf_tkeep;
    assign m_order_tvalid = ct_mode ? ct_tvalid : sf_tvalid;
    assign m_order_tlast = ct_mode ? ct_tlast : sf_tlast;
    assign m_order_tuser = ct_mode && ct_tuser;

    order_forwarder #(
        .DEPTH(8)
    ) forwarder_inst (
        .clk(clk), .rst(rst),
        .push(fwd_push), .push_addr(fwd_addr), .push_length(fwd_length), .waiting(sf_waiting), .head_addr(sf_head),
        .rd_en(sf_en), .rd_addr(sf_addr_rd), .rd_data(fwd_data),
        .m_tdata(sf_tdata), .m_tkeep(sf_tkeep), .m_tvalid(sf_tvalid), .m_tready(m_order_tready && !ct_mode),
        .m_tlast(sf_tlast)
    );

    order_cut_through #(
        .DEPTH(8)
    ) cut_through_inst (
        .clk(clk), .rst(rst), .mode(ct_mode), .idle(ct_idle),
        .wr_ptr(beat_addr), .seed(ct_seed), .open(ct_open), .open_addr(ct_open_addr), .known(ct_known), .known_end(ct_known_end),
        .close(ct_close), .close_next(ct_close_next), .close_start(ct_close_start), .close_end(ct_close_end),
        .close_final(ct_close_final), .close_abort(ct_close_abort), .close_slot(ct_close_slot),
        .decide(ct_decide), .decide_slot(ct_decide_slot), .decide_abort(ct_decide_abort), .fault(ct_overflow),
        .waiting(ct_waiting), .head_addr(ct_head),
        .rd_en(ct_en), .rd_addr(ct_addr_rd), .rd_data(fwd_data),
        .m_tdata(ct_tdata), .m_tkeep(ct_tkeep), .m_tvalid(ct_tvalid), .m_tready(m_order_tready && ct_mode),
        .m_tlast(ct_tlast), .m_tuser(ct_tuser)
    );
endmodule
`default_nettype wire
