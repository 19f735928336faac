// tickgate device core, shell-agnostic: AXI-Stream FIX ingress, AXI-Stream feed ingress (one UDP payload
// per frame), AXI-Stream order ingress (the outbound order stream, tlast at its end) and egress (what the
// risk gate lets through, one message per frame), AXI-Stream event egress (one record per beat), AXI-Lite
// registers. A board top (XDMA, UART bridge, Verilator harness) wraps it.
`default_nettype none
`include "tickgate_layout.vh"
module tickgate_core #(
    parameter FIX_DATA_WIDTH = 64,
    parameter FIX_KEEP_WIDTH = FIX_DATA_WIDTH / 8,
    parameter EVENT_FIFO_DEPTH = 16,
    parameter FEED_SUB_SLOTS = 32,
    parameter FEED_SESSION_SLOTS = 4,
    parameter CSR_ADDR_WIDTH = `TG_CSR_ADDR_BITS
) (
    input  wire                      clk,
    input  wire                      rst,

    input  wire [FIX_DATA_WIDTH-1:0] s_axis_fix_tdata,
    input  wire [FIX_KEEP_WIDTH-1:0] s_axis_fix_tkeep,
    input  wire                      s_axis_fix_tvalid,
    output wire                      s_axis_fix_tready,
    input  wire                      s_axis_fix_tlast,

    input  wire [63:0]               s_axis_feed_tdata,
    input  wire [7:0]                s_axis_feed_tkeep,
    input  wire                      s_axis_feed_tvalid,
    output wire                      s_axis_feed_tready,
    input  wire                      s_axis_feed_tlast,

    input  wire [63:0]               s_axis_order_tdata,
    input  wire [7:0]                s_axis_order_tkeep,
    input  wire                      s_axis_order_tvalid,
    output wire                      s_axis_order_tready,
    input  wire                      s_axis_order_tlast,

    output wire [63:0]               m_axis_order_tdata,
    output wire [7:0]                m_axis_order_tkeep,
    output wire                      m_axis_order_tvalid,
    input  wire                      m_axis_order_tready,
    output wire                      m_axis_order_tlast,
    output wire                      m_axis_order_tuser,   // cut-through egress: drop this frame (on tlast)

    output wire [`TG_REC_BITS-1:0]   m_axis_event_tdata,
    output wire                      m_axis_event_tvalid,
    input  wire                      m_axis_event_tready,

    input  wire [CSR_ADDR_WIDTH-1:0] s_axil_awaddr,
    input  wire                      s_axil_awvalid,
    output wire                      s_axil_awready,
    input  wire [31:0]               s_axil_wdata,
    input  wire [3:0]                s_axil_wstrb,
    input  wire                      s_axil_wvalid,
    output wire                      s_axil_wready,
    output wire [1:0]                s_axil_bresp,
    output wire                      s_axil_bvalid,
    input  wire                      s_axil_bready,
    input  wire [CSR_ADDR_WIDTH-1:0] s_axil_araddr,
    input  wire                      s_axil_arvalid,
    output wire                      s_axil_arready,
    output wire [31:0]               s_axil_rdata,
    output wire [1:0]                s_axil_rresp,
    output wire                      s_axil_rvalid,
    input  wire                      s_axil_rready
);

localparam REC_BITS = `TG_REC_BITS;
localparam BYTE_COUNT_WIDTH = $clog2(FIX_KEEP_WIDTH) + 1;

// ---- cycle counter ---------------------------------------------------------------------------------
reg [63:0] cycle_reg;
always @(posedge clk) begin
    if (rst) cycle_reg <= 64'd0;
    else cycle_reg <= cycle_reg + 64'd1;
end

// ---- registers -------------------------------------------------------------------------------------
wire [31:0] control;
wire [31:0] fix_max_msg_len;
wire        counter_clear;
wire [31:0] fix_messages, fix_garbled, fix_garbled_bytes, fix_truncated, fix_too_long, fix_streams;
wire [31:0] fix_bad_checksum, fix_bad_body_length, fix_fields;
wire [31:0] events_out, event_stall_cycles;
wire [63:0] fix_bytes;
wire [27:0] unused_control = control[31:4];

// ---- FIX ingress register slice: nothing from the input pins reaches the parser combinationally ------
// While the FIX receiver is disabled the slice takes nothing, so ingress waits at the pins.
wire                fix_rx_enable = control[`TG_REG_CONTROL_FIX_RX_ENABLE_BIT];
wire                skid_tready;
wire [FIX_DATA_WIDTH-1:0] fix_tdata;
wire [FIX_KEEP_WIDTH-1:0] fix_tkeep;
wire                fix_tvalid, fix_tready, fix_tlast;

assign s_axis_fix_tready = skid_tready && fix_rx_enable;

axis_skid #(
    .DATA_WIDTH(FIX_DATA_WIDTH)
) fix_ingress_inst (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(s_axis_fix_tdata),
    .s_axis_tkeep(s_axis_fix_tkeep),
    .s_axis_tvalid(s_axis_fix_tvalid && fix_rx_enable),
    .s_axis_tready(skid_tready),
    .s_axis_tlast(s_axis_fix_tlast),
    .m_axis_tdata(fix_tdata),
    .m_axis_tkeep(fix_tkeep),
    .m_axis_tvalid(fix_tvalid),
    .m_axis_tready(fix_tready),
    .m_axis_tlast(fix_tlast)
);

// ---- FIX parser ------------------------------------------------------------------------------------
wire [REC_BITS-1:0] parser_tdata;
wire                parser_tvalid;
wire                parser_tready;

fix_parser #(
    .DATA_WIDTH(FIX_DATA_WIDTH)
) fix_parser_inst (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(fix_tdata),
    .s_axis_tkeep(fix_tkeep),
    .s_axis_tvalid(fix_tvalid),
    .s_axis_tready(fix_tready),
    .s_axis_tlast(fix_tlast),
    .m_axis_tdata(parser_tdata),
    .m_axis_tvalid(parser_tvalid),
    .m_axis_tready(parser_tready),
    .max_msg_len(fix_max_msg_len),
    .order_tags(1'b0),
    .cycle(cycle_reg)
);

// ---- feed path: register slice, wire receive path, MoldUDP64 framer, tracker, symbol filter------------------------
wire        feed_rx_enable = control[`TG_REG_CONTROL_FEED_RX_ENABLE_BIT];
wire        feed_filter_enable = control[`TG_REG_CONTROL_FEED_FILTER_ENABLE_BIT];
wire        feed_clearing;
wire        feed_skid_tready;
wire [63:0] feed_tdata;
wire [7:0]  feed_tkeep;
wire        feed_tvalid, feed_tready, feed_tlast;
wire        feed_open = feed_rx_enable && !feed_clearing;

assign s_axis_feed_tready = feed_skid_tready && feed_open;

axis_skid #(
    .DATA_WIDTH(64)
) feed_ingress_inst (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(s_axis_feed_tdata),
    .s_axis_tkeep(s_axis_feed_tkeep),
    .s_axis_tvalid(s_axis_feed_tvalid && feed_open),
    .s_axis_tready(feed_skid_tready),
    .s_axis_tlast(s_axis_feed_tlast),
    .m_axis_tdata(feed_tdata),
    .m_axis_tkeep(feed_tkeep),
    .m_axis_tvalid(feed_tvalid),
    .m_axis_tready(feed_tready),
    .m_axis_tlast(feed_tlast)
);

// CONTROL.FEED_WIRE: the ingress carries Ethernet frames; the wire receive path takes the subscribed UDP
// payloads out of them, and their statuses join the framer's events in order (ARCHITECTURE.md, "Wire-level
// receive path"). Otherwise the ingress carries the UDP payloads themselves.
wire        feed_wire = control[`TG_REG_CONTROL_FEED_WIRE_BIT];
wire        line_we, line_valid, line_b;
wire [3:0]  line_slot;
wire [31:0] line_addr;
wire [15:0] line_port;
wire [`TG_WIRE_SUBSCRIPTIONS-1:0]    tbl_valid, tbl_line;
wire [`TG_WIRE_SUBSCRIPTIONS*32-1:0] tbl_addr;
wire [`TG_WIRE_SUBSCRIPTIONS*16-1:0] tbl_port;

line_table #(.ENTRIES(`TG_WIRE_SUBSCRIPTIONS)) line_table_inst (.clk(clk), .rst(rst),
    .we(line_we), .slot(line_slot), .valid(line_valid), .addr(line_addr), .port(line_port), .line(line_b),
    .tbl_valid(tbl_valid), .tbl_addr(tbl_addr), .tbl_port(tbl_port), .tbl_line(tbl_line));

wire        rx_in_tready, rx_tvalid, rx_tready, rx_tlast, other_eth, other_ip;
wire [63:0] rx_tdata;
wire [7:0]  rx_tkeep;
wire [4:0]  rx_tuser;
udp_rx udp_rx_inst (.clk(clk), .rst(rst),
    .s_axis_tdata(feed_tdata), .s_axis_tkeep(feed_tkeep), .s_axis_tvalid(feed_tvalid && feed_wire),
    .s_axis_tready(rx_in_tready), .s_axis_tlast(feed_tlast),
    .tbl_valid(tbl_valid), .tbl_addr(tbl_addr), .tbl_port(tbl_port), .tbl_line(tbl_line),
    .m_axis_tdata(rx_tdata), .m_axis_tkeep(rx_tkeep), .m_axis_tvalid(rx_tvalid), .m_axis_tready(rx_tready),
    .m_axis_tlast(rx_tlast), .m_axis_tuser(rx_tuser), .other_eth(other_eth), .other_ip(other_ip));

// lines A and B: packets held in order of MoldUDP64 number (ARCHITECTURE.md, "A/B line arbitration")
wire [31:0] arb_hold_packets, arb_hold_beats, arb_idle_cycles;
wire        arb_flush, inc_arb_forced_flush;
wire [63:0] feed_line_a_covered, feed_line_b_covered;
wire [31:0] feed_line_a_late, feed_line_b_late;
wire        ab_tvalid, ab_tready, ab_tlast;
wire [63:0] ab_tdata;
wire [7:0]  ab_tkeep;
wire [4:0]  ab_tuser;
line_arbiter #(.QUEUE_WORDS(`TG_WIRE_ARBITER_QUEUE_WORDS), .SLOTS(FEED_SESSION_SLOTS)) line_arbiter_inst (
    .clk(clk), .rst(rst), .clear(counter_clear),
    .cfg_hold_packets(arb_hold_packets), .cfg_hold_beats(arb_hold_beats), .cfg_idle_cycles(arb_idle_cycles),
    .flush_request(arb_flush),
    .s_axis_tdata(rx_tdata), .s_axis_tkeep(rx_tkeep), .s_axis_tvalid(rx_tvalid), .s_axis_tready(rx_tready),
    .s_axis_tlast(rx_tlast), .s_axis_tuser(rx_tuser),
    .m_axis_tdata(ab_tdata), .m_axis_tkeep(ab_tkeep), .m_axis_tvalid(ab_tvalid), .m_axis_tready(ab_tready),
    .m_axis_tlast(ab_tlast), .m_axis_tuser(ab_tuser),
    .covered_a(feed_line_a_covered), .covered_b(feed_line_b_covered), .late_duplicates_a(feed_line_a_late),
    .late_duplicates_b(feed_line_b_late), .inc_forced_flush(inc_arb_forced_flush));

wire        pk_tvalid, pk_tready, pk_tlast, st_valid, st_ready;
wire [63:0] pk_tdata;
wire [7:0]  pk_tkeep;
wire [5:0]  st_data;
udp_to_mold udp_to_mold_inst (.clk(clk), .rst(rst),
    .s_axis_tdata(ab_tdata), .s_axis_tkeep(ab_tkeep), .s_axis_tvalid(ab_tvalid), .s_axis_tready(ab_tready),
    .s_axis_tlast(ab_tlast), .s_axis_tuser(ab_tuser),
    .m_axis_tdata(pk_tdata), .m_axis_tkeep(pk_tkeep), .m_axis_tvalid(pk_tvalid), .m_axis_tready(pk_tready),
    .m_axis_tlast(pk_tlast), .st_data(st_data), .st_valid(st_valid), .st_ready(st_ready));

wire        mold_tready;
assign feed_tready = feed_wire ? rx_in_tready : mold_tready;
assign pk_tready = feed_wire && mold_tready;

wire         fr_valid, fr_ready, fr_last;
wire [1:0]   fr_kind, fr_error;
wire [79:0]  fr_session;
wire [63:0]  fr_seq;
wire [15:0]  fr_count, fr_length;
wire [511:0] fr_data;

mold_framer framer_inst (
    .clk(clk), .rst(rst),
    .s_tdata(feed_wire ? pk_tdata : feed_tdata), .s_tkeep(feed_wire ? pk_tkeep : feed_tkeep),
    .s_tvalid(feed_wire ? pk_tvalid : feed_tvalid), .s_tready(mold_tready), .s_tlast(feed_wire ? pk_tlast : feed_tlast),
    .ev_valid(fr_valid), .ev_ready(fr_ready), .ev_kind(fr_kind), .ev_error(fr_error), .ev_last(fr_last), .ev_session(fr_session),
    .ev_seq(fr_seq), .ev_count(fr_count), .ev_length(fr_length), .ev_data(fr_data)
);

wire        tr_valid, tr_ready;
wire [1:0]  tr_kind, tr_error;
wire [15:0] tr_count;
wire_status_merge wire_status_merge_inst (.clk(clk), .rst(rst), .wire_mode(feed_wire),
    .ev_valid(fr_valid), .ev_ready(fr_ready), .ev_kind(fr_kind), .ev_error(fr_error), .ev_last(fr_last), .ev_count(fr_count),
    .st_data(st_data), .st_valid(st_valid), .st_ready(st_ready),
    .o_valid(tr_valid), .o_ready(tr_ready), .o_kind(tr_kind), .o_error(tr_error), .o_count(tr_count));

wire        sub_we;
wire [7:0]  sub_slot;
wire        sub_valid;
wire [63:0] sub_symbol;
wire        look_en, look_bit, match_en, learn_match, learn_en;
wire [15:0] look_locate, learn_locate;
wire [63:0] match_symbol;

symbol_filter #(
    .SUB_SLOTS(FEED_SUB_SLOTS)
) symbol_filter_inst (
    .clk(clk), .rst(rst), .clearing(feed_clearing),
    .sub_we(sub_we), .sub_slot(sub_slot), .sub_valid(sub_valid), .sub_symbol(sub_symbol),
    .look_en(look_en), .look_locate(look_locate), .look_bit(look_bit),
    .match_en(match_en), .match_symbol(match_symbol), .learn_match(learn_match),
    .learn_en(learn_en), .learn_locate(learn_locate)
);

wire [REC_BITS-1:0] feed_rec_tdata;
wire                feed_rec_tvalid, feed_rec_tready;
wire                feed_rec_leaves;    // also the records the symbol filter drops: their trades still set prices
wire inc_feed_packet, inc_feed_heartbeat, inc_feed_eos, inc_feed_duplicate, inc_feed_gap, inc_feed_message;
wire inc_feed_duplicate_packet;
wire inc_feed_filtered;
wire [63:0] inc_feed_missing;
wire [4:0]  inc_feed_error;

feed_tracker #(
    .SESSION_SLOTS(FEED_SESSION_SLOTS)
) feed_tracker_inst (
    .clk(clk), .rst(rst), .filter_enable(feed_filter_enable),
    .ev_valid(tr_valid), .ev_ready(tr_ready), .ev_kind(tr_kind), .ev_error(tr_error), .ev_session(fr_session),
    .ev_seq(fr_seq), .ev_count(tr_count), .ev_length(fr_length), .ev_data(fr_data),
    .filter_clearing(feed_clearing),
    .look_en(look_en), .look_locate(look_locate), .look_bit(look_bit),
    .match_en(match_en), .match_symbol(match_symbol), .learn_match(learn_match),
    .learn_en(learn_en), .learn_locate(learn_locate),
    .m_tdata(feed_rec_tdata), .m_tvalid(feed_rec_tvalid), .m_tready(feed_rec_tready), .m_leaves(feed_rec_leaves),
    .inc_packet(inc_feed_packet), .inc_heartbeat(inc_feed_heartbeat), .inc_end_of_session(inc_feed_eos),
    .inc_duplicate(inc_feed_duplicate), .inc_duplicate_packet(inc_feed_duplicate_packet), .inc_gap(inc_feed_gap), .inc_missing(inc_feed_missing),
    .inc_message(inc_feed_message), .inc_filtered(inc_feed_filtered), .inc_error(inc_feed_error)
);

// ---- order path: register slice, throttle, parser, risk gate, forwarder --------------------------------
wire        order_rx_enable = control[`TG_REG_CONTROL_ORDER_RX_ENABLE_BIT];
wire        order_clearing;
wire        order_skid_tready;
wire [63:0] order_tdata;
wire [7:0]  order_tkeep;
wire        order_tvalid, order_tready, order_tlast;
wire        order_open = order_rx_enable && !order_clearing;

assign s_axis_order_tready = order_skid_tready && order_open;

axis_skid #(
    .DATA_WIDTH(64)
) order_ingress_inst (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(s_axis_order_tdata),
    .s_axis_tkeep(s_axis_order_tkeep),
    .s_axis_tvalid(s_axis_order_tvalid && order_open),
    .s_axis_tready(order_skid_tready),
    .s_axis_tlast(s_axis_order_tlast),
    .m_axis_tdata(order_tdata),
    .m_axis_tkeep(order_tkeep),
    .m_axis_tvalid(order_tvalid),
    .m_axis_tready(order_tready),
    .m_axis_tlast(order_tlast)
);

wire [REC_BITS-1:0] risk_rec_tdata;
wire        risk_rec_tvalid, risk_rec_tready;
wire        risk_commit, risk_sym_we, risk_limit_we, risk_active_bank;
wire [31:0] risk_shadow_control, risk_shadow_cpt, risk_sym_cmd;
wire [63:0] risk_sym_symbol;
wire [80:0] risk_hash_key;
wire [9:0]  risk_limit_index;
wire [209:0] risk_limit_data;
wire        inc_risk_verdict, inc_risk_accepted, inc_risk_passed, inc_risk_late, inc_risk_trade;
wire [7:0]  inc_risk_reject;

order_path order_path_inst (
    .clk(clk), .rst(rst), .cycle(cycle_reg), .clearing(order_clearing),
    .s_tdata(order_tdata), .s_tkeep(order_tkeep), .s_tvalid(order_tvalid), .s_tready(order_tready), .s_tlast(order_tlast),
    .m_order_tdata(m_axis_order_tdata), .m_order_tkeep(m_axis_order_tkeep), .m_order_tvalid(m_axis_order_tvalid),
    .m_order_tready(m_axis_order_tready), .m_order_tlast(m_axis_order_tlast), .m_order_tuser(m_axis_order_tuser),
    .m_rec_tdata(risk_rec_tdata), .m_rec_tvalid(risk_rec_tvalid), .m_rec_tready(risk_rec_tready),
    .commit(risk_commit), .shadow_control(risk_shadow_control), .shadow_cycles_per_token(risk_shadow_cpt),
    .sym_we(risk_sym_we), .sym_cmd(risk_sym_cmd), .sym_symbol(risk_sym_symbol), .shadow_hash_key(risk_hash_key),
    .feed_rec_tdata(feed_rec_tdata), .feed_rec_fire(feed_rec_leaves),
    .limit_we(risk_limit_we), .limit_index(risk_limit_index), .limit_data(risk_limit_data), .active_bank(risk_active_bank),
    .inc_verdict(inc_risk_verdict), .inc_accepted(inc_risk_accepted), .inc_passed(inc_risk_passed),
    .inc_late(inc_risk_late), .inc_trade(inc_risk_trade), .inc_reject(inc_risk_reject)
);

// ---- records of the three paths into the egress FIFO: round robin; sequence numbers stamped -----------
wire parser_fire = parser_tvalid && parser_tready;

record_merge #(
    .FIFO_DEPTH(EVENT_FIFO_DEPTH)
) record_merge_inst (
    .clk(clk), .rst(rst),
    .fix_tdata(parser_tdata), .fix_tvalid(parser_tvalid), .fix_tready(parser_tready),
    .feed_tdata(feed_rec_tdata), .feed_tvalid(feed_rec_tvalid), .feed_tready(feed_rec_tready),
    .risk_tdata(risk_rec_tdata), .risk_tvalid(risk_rec_tvalid), .risk_tready(risk_rec_tready),
    .m_tdata(m_axis_event_tdata), .m_tvalid(m_axis_event_tvalid), .m_tready(m_axis_event_tready)
);

// ---- counters --------------------------------------------------------------------------------------
wire [7:0]  rec_kind = parser_tdata[`TG_REC_KIND_LSB +: `TG_REC_KIND_W];
wire [7:0]  rec_error = parser_tdata[`TG_REC_ERROR_LSB +: `TG_REC_ERROR_W];
wire [31:0] rec_length = parser_tdata[`TG_FIX_FRAME_LENGTH_LSB +: `TG_FIX_FRAME_LENGTH_W];
wire [7:0]  rec_field_count = parser_tdata[`TG_FIX_FIELDS_COUNT_LSB +: `TG_FIX_FIELDS_COUNT_W];
wire        rec_frame = parser_fire && rec_kind == `TG_KIND_FIX_FRAME;

reg [BYTE_COUNT_WIDTH-1:0] ingress_bytes;
integer k;
always @* begin
    ingress_bytes = 0;
    for (k = 0; k < FIX_KEEP_WIDTH; k = k + 1) begin
        ingress_bytes = ingress_bytes + {{BYTE_COUNT_WIDTH-1{1'b0}}, s_axis_fix_tkeep[k]};
    end
    if (!(s_axis_fix_tvalid && s_axis_fix_tready)) ingress_bytes = 0;
end

event_counter c_fix_messages (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(rec_frame && rec_error == `TG_ERR_NONE), .count(fix_messages));
event_counter #(.WIDTH(64), .INC_WIDTH(BYTE_COUNT_WIDTH)) c_fix_bytes (.clk(clk), .rst(rst),
    .clear(counter_clear), .inc(ingress_bytes), .count(fix_bytes));
event_counter c_fix_garbled (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(rec_frame && rec_error == `TG_ERR_GARBLED), .count(fix_garbled));
event_counter #(.INC_WIDTH(32)) c_fix_garbled_bytes (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(rec_frame && rec_error == `TG_ERR_GARBLED ? rec_length : 32'd0), .count(fix_garbled_bytes));
event_counter c_fix_truncated (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(rec_frame && rec_error == `TG_ERR_TRUNCATED), .count(fix_truncated));
event_counter c_fix_too_long (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(rec_frame && rec_error == `TG_ERR_TOO_LONG), .count(fix_too_long));
event_counter c_fix_bad_checksum (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(rec_frame && rec_error == `TG_ERR_BAD_CHECKSUM), .count(fix_bad_checksum));
event_counter c_fix_bad_body_length (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(rec_frame && rec_error == `TG_ERR_BAD_BODY_LENGTH), .count(fix_bad_body_length));
event_counter #(.INC_WIDTH(8)) c_fix_fields (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(parser_fire && rec_kind == `TG_KIND_FIX_FIELDS ? rec_field_count : 8'd0), .count(fix_fields));
event_counter c_fix_streams (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(parser_fire && rec_kind == `TG_KIND_STREAM_END), .count(fix_streams));
event_counter c_events_out (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(m_axis_event_tvalid && m_axis_event_tready), .count(events_out));
event_counter c_event_stall (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(m_axis_event_tvalid && !m_axis_event_tready), .count(event_stall_cycles));

wire [31:0] feed_packets, feed_messages, feed_heartbeats, feed_end_of_session, feed_duplicates, feed_gaps;
wire [31:0] feed_filtered, feed_short, feed_truncated, feed_trailing, feed_unknown, feed_bad_length, feed_duplicate_packets;
wire [63:0] feed_bytes, feed_missing;
reg  [3:0]  feed_ingress_bytes;
integer f;
always @* begin
    feed_ingress_bytes = 4'd0;
    for (f = 0; f < 8; f = f + 1) feed_ingress_bytes = feed_ingress_bytes + {3'd0, s_axis_feed_tkeep[f]};
    if (!(s_axis_feed_tvalid && s_axis_feed_tready)) feed_ingress_bytes = 4'd0;
end

event_counter c_feed_packets (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_packet), .count(feed_packets));
event_counter #(.WIDTH(64), .INC_WIDTH(4)) c_feed_bytes (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(feed_ingress_bytes), .count(feed_bytes));
event_counter c_feed_messages (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_message), .count(feed_messages));
event_counter c_feed_heartbeats (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_heartbeat), .count(feed_heartbeats));
event_counter c_feed_eos (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_eos), .count(feed_end_of_session));
event_counter c_feed_duplicates (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_duplicate), .count(feed_duplicates));
event_counter c_feed_gaps (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_gap), .count(feed_gaps));
event_counter c_feed_filtered (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_filtered), .count(feed_filtered));
event_counter #(.WIDTH(64), .INC_WIDTH(64)) c_feed_missing (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(inc_feed_missing), .count(feed_missing));
event_counter c_feed_short (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_error[0]), .count(feed_short));
event_counter c_feed_truncated (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_error[1]), .count(feed_truncated));
event_counter c_feed_trailing (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_error[2]), .count(feed_trailing));
event_counter c_feed_unknown (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_error[3]), .count(feed_unknown));
event_counter c_feed_bad_length (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_error[4]), .count(feed_bad_length));
event_counter c_feed_duplicate_packets (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_feed_duplicate_packet), .count(feed_duplicate_packets));
wire [31:0] feed_frames, feed_other_traffic, feed_line_a_packets, feed_line_b_packets;
wire        rx_status = rx_tvalid && rx_tready && rx_tlast;
event_counter c_feed_line_a (.clk(clk), .rst(rst), .clear(counter_clear), .inc(rx_status && rx_tuser[4] && !rx_tuser[3]),
    .count(feed_line_a_packets));
event_counter c_feed_line_b (.clk(clk), .rst(rst), .clear(counter_clear), .inc(rx_status && rx_tuser[4] && rx_tuser[3]),
    .count(feed_line_b_packets));
wire [31:0] feed_arb_forced_flushes;
event_counter c_feed_arb_forced_flushes (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_arb_forced_flush),
    .count(feed_arb_forced_flushes));
wire [32*(`TG_WIRE_UDP_CHECKSUM)-1:0] feed_wire_errors;   // one counter per status from truncated on
event_counter c_feed_frames (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(feed_wire && feed_tvalid && feed_tready && feed_tlast), .count(feed_frames));
event_counter #(.INC_WIDTH(2)) c_feed_other_traffic (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc({other_eth && other_ip, other_eth != other_ip}), .count(feed_other_traffic));
genvar ws;
generate
    for (ws = 1; ws <= `TG_WIRE_UDP_CHECKSUM; ws = ws + 1) begin : wire_errors
        event_counter c_wire_error (.clk(clk), .rst(rst), .clear(counter_clear),
            .inc(rx_status && rx_tuser[2:0] == ws), .count(feed_wire_errors[32*(ws-1) +: 32]));
    end
endgenerate

wire [31:0]  risk_verdicts, risk_accepted, risk_passed, risk_late, risk_trades, order_frames_dropped;
wire [255:0] risk_rejects;
wire [63:0]  order_bytes_in, order_bytes_out;
reg  [3:0]   order_in_bytes, order_out_bytes;
integer o;
always @* begin
    order_in_bytes = 4'd0;
    order_out_bytes = 4'd0;
    for (o = 0; o < 8; o = o + 1) begin
        order_in_bytes = order_in_bytes + {3'd0, s_axis_order_tkeep[o]};
        order_out_bytes = order_out_bytes + {3'd0, m_axis_order_tkeep[o]};
    end
    if (!(s_axis_order_tvalid && s_axis_order_tready)) order_in_bytes = 4'd0;
    if (!(m_axis_order_tvalid && m_axis_order_tready)) order_out_bytes = 4'd0;
end

event_counter c_risk_verdicts (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_risk_verdict), .count(risk_verdicts));
event_counter c_risk_accepted (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_risk_accepted), .count(risk_accepted));
event_counter c_risk_passed (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_risk_passed), .count(risk_passed));
event_counter c_risk_late (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_risk_late), .count(risk_late));
event_counter c_risk_trades (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_risk_trade), .count(risk_trades));
event_counter c_order_dropped (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(m_axis_order_tvalid && m_axis_order_tready && m_axis_order_tlast && m_axis_order_tuser), .count(order_frames_dropped));
event_counter #(.WIDTH(64), .INC_WIDTH(4)) c_order_bytes_in (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(order_in_bytes), .count(order_bytes_in));
event_counter #(.WIDTH(64), .INC_WIDTH(4)) c_order_bytes_out (.clk(clk), .rst(rst), .clear(counter_clear),
    .inc(order_out_bytes), .count(order_bytes_out));
genvar rr;
generate
    for (rr = 0; rr < 8; rr = rr + 1) begin : g_risk_reject
        event_counter c_reject (.clk(clk), .rst(rst), .clear(counter_clear), .inc(inc_risk_reject[rr]),
            .count(risk_rejects[rr*32 +: 32]));
    end
endgenerate

csr_regs #(
    .ADDR_WIDTH(CSR_ADDR_WIDTH)
) csr_regs_inst (
    .clk(clk),
    .rst(rst),
    .s_axil_awaddr(s_axil_awaddr),
    .s_axil_awvalid(s_axil_awvalid),
    .s_axil_awready(s_axil_awready),
    .s_axil_wdata(s_axil_wdata),
    .s_axil_wstrb(s_axil_wstrb),
    .s_axil_wvalid(s_axil_wvalid),
    .s_axil_wready(s_axil_wready),
    .s_axil_bresp(s_axil_bresp),
    .s_axil_bvalid(s_axil_bvalid),
    .s_axil_bready(s_axil_bready),
    .s_axil_araddr(s_axil_araddr),
    .s_axil_arvalid(s_axil_arvalid),
    .s_axil_arready(s_axil_arready),
    .s_axil_rdata(s_axil_rdata),
    .s_axil_rresp(s_axil_rresp),
    .s_axil_rvalid(s_axil_rvalid),
    .s_axil_rready(s_axil_rready),
    .control(control),
    .fix_max_msg_len(fix_max_msg_len),
    .counter_clear(counter_clear),
    .cycle(cycle_reg),
    .fix_messages(fix_messages),
    .fix_bytes(fix_bytes),
    .fix_garbled(fix_garbled),
    .fix_garbled_bytes(fix_garbled_bytes),
    .fix_truncated(fix_truncated),
    .fix_too_long(fix_too_long),
    .fix_streams(fix_streams),
    .fix_bad_checksum(fix_bad_checksum),
    .fix_bad_body_length(fix_bad_body_length),
    .fix_fields(fix_fields),
    .events_out(events_out),
    .event_stall_cycles(event_stall_cycles),
    .sub_we(sub_we),
    .sub_slot(sub_slot),
    .sub_valid(sub_valid),
    .sub_symbol(sub_symbol),
    .feed_sub_slots(FEED_SUB_SLOTS),
    .feed_session_slots(FEED_SESSION_SLOTS),
    .feed_clearing(feed_clearing),
    .feed_packets(feed_packets),
    .feed_bytes(feed_bytes),
    .feed_messages(feed_messages),
    .feed_heartbeats(feed_heartbeats),
    .feed_end_of_session(feed_end_of_session),
    .feed_duplicates(feed_duplicates),
    .feed_gaps(feed_gaps),
    .feed_filtered(feed_filtered),
    .feed_missing(feed_missing),
    .feed_short(feed_short),
    .feed_truncated(feed_truncated),
    .feed_trailing(feed_trailing),
    .feed_unknown(feed_unknown),
    .feed_bad_length(feed_bad_length),
    .feed_duplicate_packets(feed_duplicate_packets),
    .line_we(line_we), .line_slot(line_slot), .line_valid(line_valid), .line_addr(line_addr), .line_port(line_port),
    .line_b(line_b), .feed_frames(feed_frames), .feed_other_traffic(feed_other_traffic), .feed_wire_errors(feed_wire_errors),
    .feed_line_a_packets(feed_line_a_packets), .feed_line_b_packets(feed_line_b_packets),
    .arb_hold_packets(arb_hold_packets), .arb_hold_beats(arb_hold_beats), .arb_idle_cycles(arb_idle_cycles),
    .arb_flush(arb_flush), .feed_line_a_covered(feed_line_a_covered), .feed_line_b_covered(feed_line_b_covered),
    .feed_line_a_late(feed_line_a_late), .feed_line_b_late(feed_line_b_late),
    .feed_arb_forced_flushes(feed_arb_forced_flushes),
    .risk_commit(risk_commit),
    .risk_shadow_control(risk_shadow_control),
    .risk_shadow_cycles_per_token(risk_shadow_cpt),
    .risk_sym_we(risk_sym_we),
    .risk_sym_cmd(risk_sym_cmd),
    .risk_sym_symbol(risk_sym_symbol),
    .risk_hash_key(risk_hash_key),
    .risk_limit_we(risk_limit_we),
    .risk_limit_index(risk_limit_index),
    .risk_limit_data(risk_limit_data),
    .risk_clearing(order_clearing),
    .risk_active_bank(risk_active_bank),
    .risk_symbols(32'd1024),
    .risk_verdicts(risk_verdicts),
    .risk_accepted(risk_accepted),
    .risk_passed(risk_passed),
    .risk_late(risk_late),
    .risk_trades(risk_trades),
    .order_frames_dropped(order_frames_dropped),
    .order_bytes_in(order_bytes_in),
    .order_bytes_out(order_bytes_out),
    .risk_rejects(risk_rejects)
);

endmodule
`default_nettype wire
