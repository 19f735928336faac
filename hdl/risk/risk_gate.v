// Pre-trade risk gate: takes the order-path parser's records and decides, for every span of the order
// stream that is an order (D, G) or not a well-formed message, a verdict; well-formed other messages pass.
// The rules (fields, checks and their priority, the token bucket) are at the top of src/risk/ref-gate.ts.
//
// Timing. Field entries are captured as they leave the parser; the first Symbol's bytes are read back from
// the order ring and looked up in the symbol table while the message is still arriving. After the frame
// record: the limits and the position are read, products formed, compared. The decision itself (rate
// token, position update, record, forwarding) is made at a fixed cycle: DECIDE_CYCLES after the cycle the
// beat holding the span's last byte entered the order path, plus its rank among the verdict spans that end
// in the same beat. A fixed decision cycle is what makes the rate limit reproducible from the bytes.
// RISK_LATE counts decisions that were not ready by then (a design fault; the tests demand 0).
//
// Banks. Limits, symbol table, kill switch and rate live in two banks; the host writes the shadow bank and
// commits. An order uses the bank that was active when its message's first field was parsed.
`default_nettype none
`include "tickgate_layout.vh"
module risk_gate #(
    parameter integer DECIDE_CYCLES = 9,
    parameter integer FWD_DEPTH = 8
) (
    input  wire         clk,
    input  wire         rst,
    input  wire [63:0]  cycle,
    output wire         clearing,
    output wire         stall,              // the order ingress must wait

    // parser records (always taken)
    input  wire [`TG_REC_BITS-1:0] rec_tdata,
    input  wire         rec_tvalid,

    // beats as they enter the order path
    input  wire         beat_fire,
    input  wire [3:0]   beat_bytes,
    input  wire         beat_last,
    output wire [15:0]  beat_addr,          // global byte address of the beat's lane 0

    // order ring, port for field values
    output wire         ring_en,
    output wire [15:0]  ring_addr,
    input  wire [63:0]  ring_data,

    // store-and-forward egress (order_forwarder)
    output wire         fwd_push,
    output wire [15:0]  fwd_addr,
    output wire [12:0]  fwd_length,
    input  wire [$clog2(FWD_DEPTH):0] fwd_waiting,   // of the egress in use
    input  wire [15:0]  fwd_head,

    // cut-through egress (order_cut_through)
    input  wire         fwd_idle,           // the egress in use has nothing in flight
    output wire         ct_mode,
    output wire         ct_seed,
    output wire         ct_open,
    output wire [15:0]  ct_open_addr,
    output wire         ct_known,
    output wire [15:0]  ct_known_end,
    output wire         ct_close,
    output wire         ct_close_next,
    output wire [15:0]  ct_close_start,
    output wire [15:0]  ct_close_end,
    output wire         ct_close_final,
    output wire         ct_close_abort,
    input  wire [$clog2(FWD_DEPTH)-1:0] ct_close_slot,
    output wire         ct_decide,
    output wire [$clog2(FWD_DEPTH)-1:0] ct_decide_slot,
    output wire         ct_decide_abort,
    input  wire         ct_overflow,        // a design fault: counted in RISK_LATE

    // registers
    input  wire         commit,
    input  wire [31:0]  shadow_control,
    input  wire [31:0]  shadow_cycles_per_token,
    input  wire         sym_we,
    input  wire [31:0]  sym_cmd,
    input  wire [63:0]  sym_symbol,
    input  wire [80:0]  shadow_hash_key,    // the symbol table's hash key for the shadow bank
    // the feed's trades (trade_tap): the last trade price of a table symbol
    input  wire         trade_valid,
    input  wire [63:0]  trade_symbol,
    input  wire [31:0]  trade_price,

    input  wire         limit_we,
    input  wire [9:0]   limit_index,
    input  wire [209:0] limit_data,         // {maxPosition 47, collarBps 20, ref 48, maxNotional 63, maxQty 32}
    output wire         active_bank,

    // verdict records
    output wire [`TG_REC_BITS-1:0] m_tdata,
    output wire         m_tvalid,
    input  wire         m_tready,

    output wire         inc_verdict,
    output wire         inc_accepted,
    output wire         inc_passed,
    output wire         inc_late,
    output wire         inc_trade,
    output wire [7:0]   inc_reject          // bit r-1: a reject with reason r
);
    localparam integer FWD_BITS = $clog2(FWD_DEPTH) + 1;
    localparam [1:0] SPAN_PASS = 2'd0, SPAN_ORDER = 2'd1, SPAN_ERR = 2'd2;
    localparam integer SQ_DEPTH = 8;
    localparam [15:0] RING_GUARD = 16'd8000;   // bytes between the oldest byte still to send and the writer
    localparam integer LOOK_CYCLES = 3;          // risk_symbol_table answers this many cycles after a look-up

    // ---- banks ----------------------------------------------------------------------------------------
    reg        active_q;
    reg        kill_q [0:1];
    reg        ref_itch_q [0:1];               // the bank takes reference prices from the feed's last trades
    reg        cut_q [0:1];                    // the bank asks for cut-through egress
    reg [15:0] burst_q [0:1];
    reg [31:0] cpt_q [0:1];
    reg [80:0] hash_key_q [0:1];
    reg        commit_d;
    assign active_bank = active_q;

    always @(posedge clk) begin
        if (rst) begin
            active_q <= 1'b0;
            commit_d <= 1'b0;
            kill_q[0] <= 1'b0; kill_q[1] <= 1'b0;
            ref_itch_q[0] <= 1'b0; ref_itch_q[1] <= 1'b0;
            cut_q[0] <= 1'b0; cut_q[1] <= 1'b0;
            burst_q[0] <= 16'd0; burst_q[1] <= 16'd0;
            cpt_q[0] <= 32'd1; cpt_q[1] <= 32'd1;
            hash_key_q[0] <= 81'd0; hash_key_q[1] <= 81'd0;
        end else begin
            commit_d <= commit;
            if (commit) begin
                active_q <= !active_q;
                kill_q[!active_q] <= shadow_control[`TG_REG_RISK_SHADOW_CONTROL_KILL_SWITCH_BIT];
                ref_itch_q[!active_q] <= shadow_control[`TG_REG_RISK_SHADOW_CONTROL_REF_FROM_ITCH_BIT];
                cut_q[!active_q] <= shadow_control[`TG_REG_RISK_SHADOW_CONTROL_CUT_THROUGH_BIT];
                burst_q[!active_q] <= shadow_control[31:16];
                cpt_q[!active_q] <= shadow_cycles_per_token == 32'd0 ? 32'd1 : shadow_cycles_per_token;
                hash_key_q[!active_q] <= shadow_hash_key;
            end
        end
    end

    // ---- symbol table, limits, positions ---------------------------------------------------------------
    wire       table_clearing;
    wire       look_en;
    wire       look_bank;
    wire [63:0] look_symbol;
    wire       look_hit;
    wire [9:0] look_index;
    wire       trade_hit;
    wire [9:0] trade_index;

    risk_symbol_table symbol_table_inst (
        .clk(clk), .rst(rst), .clearing(table_clearing),
        .wr_en(sym_we), .wr_way(sym_cmd[`TG_REG_RISK_SYM_WRITE_WAY_BIT]), .wr_bank(!active_q),
        .wr_slot(sym_cmd[9:0]), .wr_valid(sym_cmd[`TG_REG_RISK_SYM_WRITE_VALID_BIT]), .wr_index(sym_cmd[25:16]),
        .wr_symbol(sym_symbol),
        .look_en(look_en), .look_bank(look_bank), .look_key(hash_key_q[look_bank]), .look_symbol(look_symbol),
        .hit(look_hit), .index(look_index),
        .trade_en(trade_valid), .trade_bank(active_q), .trade_key(hash_key_q[active_q]), .trade_symbol(trade_symbol),
        .trade_hit(trade_hit), .trade_index(trade_index)
    );

    // last trade prices: looked up the cycle a trade leaves the feed path, written when the answer comes
    // (LOOK_CYCLES later; trades may come every cycle, so each rides its own stage)
    reg [LOOK_CYCLES-1:0] trade_q;
    reg [32*LOOK_CYCLES-1:0] trade_price_q;      // the newest in the low 32 bits
    wire       trade_write = trade_q[LOOK_CYCLES-1] && trade_hit;
    wire [31:0] trade_price_landed = trade_price_q[32*LOOK_CYCLES-1 -: 32];
    always @(posedge clk) begin
        if (rst) trade_q <= {LOOK_CYCLES{1'b0}};
        else trade_q <= {trade_q[LOOK_CYCLES-2:0], trade_valid};
        trade_price_q <= {trade_price_q[32*(LOOK_CYCLES-1)-1:0], trade_price};
    end
    assign inc_trade = trade_write;

    assign clearing = table_clearing || chk_clearing;

    // ---- beats in: where they go and when they came ------------------------------------------------------
    reg [15:0] gw_q;                        // global byte address of the next beat
    reg [2:0]  in_stream_q, out_stream_q;
    reg [15:0] stream_base_q [0:7];         // global byte address of each stream's first byte
    // The last 8 beats, as the frame look-up needs them: which stream, the complement of the first byte's
    // offset in it (so a span's last byte less the beat's first is one add), length, and the cycle a span
    // ending in it is decided (without its rank), so no adder follows the choice of the beat.
    reg [15:0] loc_q;                       // offset in its stream of the next beat's first byte
    reg [2:0]  bt_stream_q [0:7];
    reg [15:0] bt_nloc_q [0:7];
    reg [3:0]  bt_bytes_q [0:7];
    reg [15:0] bt_due_q [0:7];
    reg [2:0]  bt_wr_q;
    assign beat_addr = gw_q;

    integer i;
    always @(posedge clk) begin
        if (rst) begin
            gw_q <= 16'd0;
            in_stream_q <= 3'd0;
            loc_q <= 16'd0;
            bt_wr_q <= 3'd0;
            for (i = 0; i < 8; i = i + 1) begin
                stream_base_q[i] <= 16'd0;
                bt_stream_q[i] <= 3'd0;
                bt_nloc_q[i] <= 16'd0;
                bt_bytes_q[i] <= 4'd0;
                bt_due_q[i] <= 16'd0;
            end
        end else if (beat_fire) begin
            gw_q <= gw_q + {12'd0, beat_bytes};
            loc_q <= beat_last ? 16'd0 : loc_q + {12'd0, beat_bytes};
            bt_stream_q[bt_wr_q] <= in_stream_q;
            bt_nloc_q[bt_wr_q] <= ~loc_q;
            bt_bytes_q[bt_wr_q] <= beat_bytes;
            bt_due_q[bt_wr_q] <= cycle[15:0] + DECIDE_CYCLES[15:0];
            bt_wr_q <= bt_wr_q + 3'd1;
            if (beat_last) begin
                stream_base_q[in_stream_q + 3'd1] <= gw_q + {12'd0, beat_bytes};
                in_stream_q <= in_stream_q + 3'd1;
            end
        end
    end

    // ---- parser records ----------------------------------------------------------------------------------
    wire [7:0]  rec_kind = rec_tdata[`TG_REC_KIND_LSB +: 8];
    wire        is_fields = rec_tvalid && rec_kind == `TG_KIND_FIX_FIELDS;
    wire        is_frame = rec_tvalid && rec_kind == `TG_KIND_FIX_FRAME;
    wire        is_end = rec_tvalid && rec_kind == `TG_KIND_STREAM_END;
    wire [15:0] stream_base = stream_base_q[out_stream_q];
    wire [7:0]  f_count = rec_tdata[`TG_FIX_FIELDS_COUNT_LSB +: 8];
    wire [15:0] f_msg_offset = rec_tdata[`TG_FIX_FIELDS_MESSAGE_OFFSET_LSB +: 16];

    localparam integer E0 = `TG_FIX_FIELDS_ENTRY0_LSB;
    localparam integer EB = `TG_FIX_FIELDS_ENTRY_BITS;

    // ---- the message being parsed: first occurrence of each field the checks use --------------------------
    reg        cap_any_q, cap_bank_q, msg_par_q;
    reg        cap_clord_seen_q, cap_clord_q;  reg [15:0] cap_clord_off_q, cap_clord_len_q;
    reg        cap_sym_seen_q, cap_sym_named_q;          // a Symbol with a value came
    reg        cap_lk_pending_q, cap_hit_q; reg [9:0] cap_index_q;
    reg        cap_side_seen_q, cap_side_q, cap_sell_q;
    reg        cap_qty_seen_q, cap_qty_q; reg [63:0] cap_qty_val_q;
    reg        cap_type_seen_q; reg [1:0] cap_type_q;      // 1 market, 2 limit, 0 neither
    reg        cap_px_seen_q, cap_px_q; reg [47:0] cap_px_raw_q; reg [13:0] cap_px_mult_q;   // Price as written, 10^(4 - its decimals)
    reg        cap_bl_seen_q;                          // a BodyLength came (only the first is the message's)

    // the look-up pipeline: ring read (L0), symbol bytes and table read (L1), the table's answer
    // LOOK_CYCLES after; lk_par_q and lk_nul_q ride along: which message asked, whether its symbol had a
    // NUL byte of its own
    reg        lk1_q;
    reg        lk1_par_q, lk1_bank_q;
    reg [3:0]  lk1_len_q;
    reg [LOOK_CYCLES-1:0] lk_q, lk_par_q, lk_nul_q;   // bit n: n + 1 cycles after the table read began
    wire       lk_land = lk_q[LOOK_CYCLES-1];            // answer this cycle
    wire       lk_land_par = lk_par_q[LOOK_CYCLES-1];
    wire       lk_land_cur = lk_land && lk_land_par == msg_par_q;
    wire       lk_hit = look_hit && !lk_nul_q[LOOK_CYCLES-1];

    reg        n_clord_seen, n_clord; reg [15:0] n_clord_off, n_clord_len;
    reg        n_sym_seen, n_sym_named, n_lookup; reg [15:0] n_sym_addr; reg [3:0] n_sym_len;
    reg        n_side_seen, n_side, n_sell;
    reg        n_qty_seen, n_qty; reg [63:0] n_qty_val;
    reg        n_type_seen; reg [1:0] n_type;
    reg        n_px_seen, n_px; reg [47:0] n_px_raw; reg [13:0] n_px_mult;
    reg [31:0] e_tag, e_voff, e_vlen;
    reg [7:0]  e_type, e_scale;
    reg [63:0] e_value;
    reg        px_take, px_ok;
    reg        bl_take;                     // the message's BodyLength: where it ends
    reg [31:0] bl_end;
    reg        n_bl_seen;
    reg [63:0] px_value;
    reg [2:0]  px_scale;
    integer k;

    // the largest Price (in units of its own last decimal) whose scaling to 1/10,000 fits 48 bits
    function [63:0] px_max(input [2:0] scale);
        case (scale)
            3'd0: px_max = 64'd28147497671;
            3'd1: px_max = 64'd281474976710;
            3'd2: px_max = 64'd2814749767106;
            3'd3: px_max = 64'd28147497671065;
            default: px_max = 64'd281474976710655;
        endcase
    endfunction

    function [13:0] px_mult(input [2:0] scale);
        case (scale)
            3'd0: px_mult = 14'd10000;
            3'd1: px_mult = 14'd1000;
            3'd2: px_mult = 14'd100;
            3'd3: px_mult = 14'd10;
            default: px_mult = 14'd1;
        endcase
    endfunction

    always @* begin
        n_clord_seen = cap_clord_seen_q; n_clord = cap_clord_q; n_clord_off = cap_clord_off_q; n_clord_len = cap_clord_len_q;
        n_sym_seen = cap_sym_seen_q; n_sym_named = cap_sym_named_q; n_lookup = 1'b0;
        n_sym_addr = 16'd0; n_sym_len = 4'd0;
        n_side_seen = cap_side_seen_q; n_side = cap_side_q; n_sell = cap_sell_q;
        n_qty_seen = cap_qty_seen_q; n_qty = cap_qty_q; n_qty_val = cap_qty_val_q;
        n_type_seen = cap_type_seen_q; n_type = cap_type_q;
        n_px_seen = cap_px_seen_q; n_px = cap_px_q; n_px_raw = cap_px_raw_q; n_px_mult = cap_px_mult_q;
        e_tag = 32'd0; e_voff = 32'd0; e_vlen = 32'd0; e_type = 8'd0; e_scale = 8'd0; e_value = 64'd0;
        px_take = 1'b0; px_ok = 1'b0; px_value = 64'd0; px_scale = 3'd0;
        bl_take = 1'b0; bl_end = 32'd0; n_bl_seen = cap_bl_seen_q;
        for (k = 0; k < 2; k = k + 1) begin
            if (is_fields && f_count > k[7:0]) begin
                e_tag = rec_tdata[E0 + k*EB + `TG_FIX_FIELDS_ENTRY_TAG_LSB +: 32];
                e_voff = rec_tdata[E0 + k*EB + `TG_FIX_FIELDS_ENTRY_VALUE_OFFSET_LSB +: 32];
                e_vlen = rec_tdata[E0 + k*EB + `TG_FIX_FIELDS_ENTRY_VALUE_LENGTH_LSB +: 32];
                e_type = rec_tdata[E0 + k*EB + `TG_FIX_FIELDS_ENTRY_DECODED_TYPE_LSB +: 8];
                e_scale = rec_tdata[E0 + k*EB + `TG_FIX_FIELDS_ENTRY_SCALE_LSB +: 8];
                e_value = rec_tdata[E0 + k*EB + `TG_FIX_FIELDS_ENTRY_VALUE_LSB +: 64];
                if (e_tag == 32'd9 && !n_bl_seen) begin
                    n_bl_seen = 1'b1;
                    bl_take = e_type == `TG_DECODED_INT && e_value < 64'd4096;
                    bl_end = e_voff + e_vlen + 32'd8 + e_value[31:0];   // SOH, the body, then "10=nnn" SOH
                end
                if (e_tag == 32'd11 && !n_clord_seen) begin
                    n_clord_seen = 1'b1;
                    n_clord = e_vlen != 32'd0;
                    n_clord_off = e_voff[15:0];
                    n_clord_len = e_vlen[31:16] != 16'd0 ? 16'hFFFF : e_vlen[15:0];
                end
                if (e_tag == 32'd55 && !n_sym_seen) begin
                    n_sym_seen = 1'b1;
                    n_sym_named = e_vlen != 32'd0;
                    n_lookup = e_vlen != 32'd0 && e_vlen <= 32'd8;
                    n_sym_addr = stream_base + f_msg_offset + e_voff[15:0];
                    n_sym_len = e_vlen[3:0];
                end
                if (e_tag == 32'd54 && !n_side_seen) begin
                    n_side_seen = 1'b1;
                    n_side = e_type == `TG_DECODED_INT && e_vlen == 32'd1 &&
                             (e_value == 64'd1 || e_value == 64'd2 || e_value == 64'd5 || e_value == 64'd6);
                    n_sell = e_value != 64'd1;
                end
                if (e_tag == 32'd38 && !n_qty_seen) begin
                    n_qty_seen = 1'b1;
                    n_qty = e_type == `TG_DECODED_DECIMAL && e_scale == 8'd0 && !e_value[63] && e_value != 64'd0;
                    n_qty_val = e_value;
                end
                if (e_tag == 32'd40 && !n_type_seen) begin
                    n_type_seen = 1'b1;
                    n_type = e_type == `TG_DECODED_INT && e_vlen == 32'd1 && (e_value == 64'd1 || e_value == 64'd2)
                             ? e_value[1:0] : 2'd0;
                end
                if (e_tag == 32'd44 && !n_px_seen) begin
                    n_px_seen = 1'b1;
                    px_take = 1'b1;
                    px_ok = e_type == `TG_DECODED_DECIMAL && e_scale <= 8'd4 && !e_value[63] && e_value != 64'd0;
                    px_value = e_value;
                    px_scale = e_scale[2:0];
                end
            end
        end
        // the first Price of the record: kept as written with the factor that scales it to 1/10,000, and
        // multiplied the cycle after (cap_px_val, from the capture registers), so no multiply follows the
        // record here. Whether the scaled price fits 48 bits is known now, from the largest value that fits at
        // each scale.
        if (px_take) begin
            n_px = px_ok && px_value <= px_max(px_scale);
            n_px_raw = px_value[47:0];
            n_px_mult = px_mult(px_scale);
        end
    end

    // ---- the span queue: framed spans waiting for their decision (or to pass) ----------------------------
    reg [1:0]  sq_kind_q [0:SQ_DEPTH-1];
    reg [7:0]  sq_err_q [0:SQ_DEPTH-1];
    reg [63:0] sq_offset_q [0:SQ_DEPTH-1];
    reg [31:0] sq_length_q [0:SQ_DEPTH-1];
    reg [15:0] sq_gstart_q [0:SQ_DEPTH-1];
    reg [15:0] sq_due_q [0:SQ_DEPTH-1];
    reg        sq_ct_q [0:SQ_DEPTH-1];         // an order whose bytes are on the cut-through egress
    reg [$clog2(FWD_DEPTH)-1:0] sq_slot_q [0:SQ_DEPTH-1];
    reg [3:0]  sq_wr_q, sq_rd_q;
    wire [3:0] sq_count = sq_wr_q - sq_rd_q;
    wire [2:0] sq_head = sq_rd_q[2:0];

    wire [7:0]  fr_err = rec_tdata[`TG_REC_ERROR_LSB +: 8];
    wire [63:0] fr_offset = rec_tdata[`TG_FIX_FRAME_OFFSET_LSB +: 64];
    wire [31:0] fr_length = rec_tdata[`TG_FIX_FRAME_LENGTH_LSB +: 32];
    wire [15:0] fr_type = rec_tdata[`TG_FIX_FRAME_MSG_TYPE_LSB +: 16];
    wire [7:0]  fr_type_len = rec_tdata[`TG_FIX_FRAME_MSG_TYPE_LENGTH_LSB +: 8];
    wire        fr_is_order = (fr_err == `TG_ERR_NONE || fr_err == `TG_ERR_BAD_CHECKSUM || fr_err == `TG_ERR_BAD_BODY_LENGTH) &&
                              fr_type_len == 8'd1 && (fr_type[7:0] == "D" || fr_type[7:0] == "G");
    wire [1:0]  fr_kind = fr_is_order ? SPAN_ORDER : fr_err == `TG_ERR_NONE ? SPAN_PASS : SPAN_ERR;
    wire [15:0] fr_gstart = stream_base + fr_offset[15:0];
    wire [15:0] fr_lend = fr_offset[15:0] + fr_length[15:0];   // in its stream, just past the span

    // The beat that carried the span's last byte, and the decision cycle that gives. Each beat is tried side
    // by side, from registers kept for it when it came: the span's last byte less the beat's first byte (in
    // its stream, modulo 2^16 like the offsets) is one add, and whether the beat is also the last verdict
    // span's is a compare of registers, so only the choice of the beat and a small add follow them.
    reg        last_vbeat_valid_q;
    reg [15:0] last_vbeat_due_q;
    reg [1:0]  last_rank_q;
    reg        fr_beat_found, fr_beat_shared;
    reg [15:0] fr_beat_due;
    reg [15:0] fr_into;
    integer b;
    always @* begin
        fr_beat_found = 1'b0;
        fr_beat_shared = 1'b0;
        fr_beat_due = 16'd0;
        for (b = 0; b < 8; b = b + 1) begin
            fr_into = fr_lend + bt_nloc_q[b];       // (span end - 1) - beat start
            if (is_frame && bt_stream_q[b] == out_stream_q && fr_into[15:4] == 12'd0 && fr_into[3:0] < bt_bytes_q[b]) begin
                fr_beat_found = 1'b1;
                fr_beat_shared = last_vbeat_valid_q && last_vbeat_due_q == bt_due_q[b];
                fr_beat_due = bt_due_q[b];
            end
        end
    end

    wire       fr_verdict = fr_kind != SPAN_PASS;
    wire [1:0] fr_rank = fr_beat_shared ? last_rank_q + 2'd1 : 2'd0;
    // a span that is not an order is decided a cycle later: a garbled span's end is only known once the next
    // message's "8=FIX" is seen, which may be in the next beat
    wire [2:0]  fr_extra = {1'b0, fr_rank} + {2'd0, fr_kind == SPAN_ERR};
    wire [15:0] fr_due = fr_beat_due + {13'd0, fr_extra};

    wire        decide, pass_now;
    wire [1:0]  head_kind;

    // ---- orders into the checker: an order whose symbol look-up is still out when its frame comes waits in W ----
    reg        w_valid_q, w_pending_q, w_par_q, w_bank_q;
    reg [7:0]  w_error_q;
    reg        w_clord_q; reg [15:0] w_clord_off_q, w_clord_len_q;
    reg        w_named_q, w_hit_q; reg [9:0] w_index_q;
    reg        w_side_q, w_sell_q, w_qty_q; reg [63:0] w_qty_val_q;
    reg [1:0]  w_type_q;
    reg        w_px_q; reg [47:0] w_px_val_q;

    // in 1/10,000: two 24-bit halves, each within one DSP multiplier (a 48-bit operand would be a cascade of
    // three), and one add
    wire [23:0] cap_px_hi = cap_px_raw_q[47:24] * {10'd0, cap_px_mult_q};   // (its bits above 23 fall off the 48-bit sum)
    wire [37:0] cap_px_lo = cap_px_raw_q[23:0] * cap_px_mult_q;
    wire [47:0] cap_px_val = {cap_px_hi, 24'd0} + {10'd0, cap_px_lo};

    wire       lk_land_w = lk_land && !lk_land_cur && w_valid_q && w_pending_q && lk_land_par == w_par_q;
    wire       w_go = w_valid_q && (!w_pending_q || lk_land_w);
    wire       f_order = is_frame && fr_is_order;
    wire       f_ready = !cap_lk_pending_q || lk_land_cur;
    wire       f_push = f_order && f_ready && !w_valid_q;
    wire       f_wait = f_order && !f_push;            // into W (free, or left this cycle)
    wire       chk_push = w_go || f_push;

    wire        chk_clearing, chk_ready, chk_accept;
    wire        chk_in_ready;                      // never low here: every order in the checker is a queued span
    wire [7:0]  chk_reason, chk_flags;
    wire [15:0] tokens, tokens_left, chk_clord_off, chk_clord_len;
    wire [63:0] chk_qty;
    wire [47:0] chk_position, chk_price;
    wire [9:0]  chk_index;
    wire [79:0] chk_notional;
    wire        order_head = head_kind == SPAN_ORDER;

    risk_checker #(.DEPTH(SQ_DEPTH)) checker_inst (
        .clk(clk), .rst(rst), .clearing(chk_clearing),
        .active_bank(active_q), .commit(commit_d),
        .bank_kill({kill_q[1], kill_q[0]}), .bank_ref_itch({ref_itch_q[1], ref_itch_q[0]}),
        .bank_burst({burst_q[1], burst_q[0]}), .bank_cpt({cpt_q[1], cpt_q[0]}),
        .limit_we(limit_we), .limit_addr({!active_q, limit_index}), .limit_data(limit_data),
        .trade_we(trade_write), .trade_index(trade_index), .trade_price(trade_price_landed),
        .push(chk_push),
        .in_bank(w_go ? w_bank_q : cap_any_q ? cap_bank_q : active_q),
        .in_error(w_go ? w_error_q : fr_err),
        .in_clord(w_go ? w_clord_q : cap_clord_q),
        .in_clord_off(w_go ? w_clord_off_q : cap_clord_off_q),
        .in_clord_len(w_go ? w_clord_len_q : cap_clord_len_q),
        .in_named(w_go ? w_named_q : cap_sym_named_q),
        .in_hit(w_go ? (w_pending_q ? lk_hit : w_hit_q) : lk_land_cur ? lk_hit : cap_hit_q),
        .in_index(w_go ? (w_pending_q ? look_index : w_index_q) : lk_land_cur ? look_index : cap_index_q),
        .in_side(w_go ? w_side_q : cap_side_q), .in_sell(w_go ? w_sell_q : cap_sell_q),
        .in_qty_ok(w_go ? w_qty_q : cap_qty_q), .in_qty(w_go ? w_qty_val_q : cap_qty_val_q),
        .in_type(w_go ? w_type_q : cap_type_q),
        .in_px_ok(w_go ? w_px_q : cap_px_q), .in_px(w_go ? w_px_val_q : cap_px_val), .in_ready(chk_in_ready),
        .ready(chk_ready), .decide(decide && order_head),
        .reason(chk_reason), .accept(chk_accept), .tokens(tokens), .tokens_left(tokens_left), .flags(chk_flags),
        .out_clord_off(chk_clord_off), .out_clord_len(chk_clord_len), .out_qty(chk_qty),
        .out_position(chk_position), .out_index(chk_index), .out_price(chk_price), .out_notional(chk_notional)
    );

    // ---- the decision at the head of the span queue --------------------------------------------------------
    assign      head_kind = sq_kind_q[sq_head];
    wire [7:0]  head_err = sq_err_q[sq_head];
    wire [15:0] head_due = sq_due_q[sq_head];
    wire [15:0] since_due = cycle[15:0] - head_due;
    wire        head_due_now = since_due == 16'd0;
    wire        head_past = !since_due[15] && since_due != 16'd0;
    wire        head_ready = head_kind == SPAN_ERR || chk_ready;
    wire [3:0]  vf_level;
    wire        vf_room = vf_level < 4'd8;
    wire        sq_any = sq_count != 4'd0;
    wire        fwd_room = fwd_waiting < FWD_DEPTH[FWD_BITS-1:0];
    assign      pass_now = sq_any && head_kind == SPAN_PASS && fwd_room;
    assign      decide = sq_any && head_kind != SPAN_PASS && head_ready && (head_due_now || head_past) && vf_room &&
                         (head_kind != SPAN_ORDER || fwd_room);
    wire [7:0] reason = head_kind == SPAN_ERR ? `TG_RISK_BAD_ORDER : chk_reason;
    wire accept = chk_accept;

    // the verdict record
    reg [`TG_REC_BITS-1:0] verdict;
    wire [7:0] v_flags = order_head ? chk_flags : 8'd0;
    wire       v_hit = chk_flags[`TG_VERDICT_FLAG_SYMBOL];
    always @* begin
        verdict = {`TG_REC_BITS{1'b0}};
        // assembled only in a decision cycle (a simulator would build 512 bits every cycle otherwise)
        if (decide) begin
        verdict[`TG_REC_KIND_LSB +: 8] = `TG_KIND_RISK_VERDICT;
        verdict[`TG_REC_ERROR_LSB +: 8] = head_err;
        verdict[`TG_RISK_VERDICT_REASON_LSB +: 8] = reason;
        verdict[`TG_RISK_VERDICT_FLAGS_LSB +: 8] = v_flags;
        verdict[`TG_RISK_VERDICT_OFFSET_LSB +: 64] = sq_offset_q[sq_head];
        verdict[`TG_RISK_VERDICT_LENGTH_LSB +: 32] = sq_length_q[sq_head];
        verdict[`TG_RISK_VERDICT_TOKENS_LSB +: 16] = tokens_left;
        verdict[`TG_RISK_VERDICT_TIME_LSB +: 32] = cycle[31:0];
        if (order_head) begin
            verdict[`TG_RISK_VERDICT_CL_ORD_ID_OFFSET_LSB +: 16] = chk_clord_off;
            verdict[`TG_RISK_VERDICT_CL_ORD_ID_LENGTH_LSB +: 16] = chk_clord_len;
            verdict[`TG_RISK_VERDICT_QTY_LSB +: 64] = chk_qty;
            if (v_hit) begin
                verdict[`TG_RISK_VERDICT_POSITION_LSB +: 64] = {{16{chk_position[47]}}, chk_position};
                verdict[`TG_RISK_VERDICT_SYMBOL_INDEX_LSB +: 16] = {6'd0, chk_index};
            end
            verdict[`TG_RISK_VERDICT_PRICE_LSB +: 48] = chk_price;
            verdict[`TG_RISK_VERDICT_NOTIONAL_LSB +: 80] = chk_notional;
        end
        end
    end

    // verdict FIFO; its level throttles the order ingress so a decision never waits for room
    reg [3:0] vf_level_q;
    wire      vf_push = decide;
    wire      vf_pop = m_tvalid && m_tready;
    wire      vf_ready_unused;
    assign vf_level = vf_level_q;
    always @(posedge clk) begin
        if (rst) vf_level_q <= 4'd0;
        else vf_level_q <= vf_level_q + {3'd0, vf_push} - {3'd0, vf_pop};
    end
    axis_fifo #(.DATA_WIDTH(`TG_REC_BITS), .DEPTH(8)) verdict_fifo_inst (
        .clk(clk), .rst(rst),
        .s_axis_tdata(verdict), .s_axis_tvalid(vf_push), .s_axis_tready(vf_ready_unused),
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(m_tready)
    );

    assign fwd_push = (pass_now || accept) && !ct_mode_q;
    assign fwd_addr = sq_gstart_q[sq_head];
    assign fwd_length = sq_length_q[sq_head][12:0];

    assign inc_verdict = decide;
    assign inc_accepted = accept;
    assign inc_passed = pass_now;
    assign inc_late = (decide && head_past) || (f_wait && w_valid_q && !w_go) || (is_frame && !fr_beat_found) ||
                      (chk_push && !chk_in_ready) || ct_overflow;
    genvar r;
    generate
        for (r = 0; r < 8; r = r + 1) begin : g_reject
            assign inc_reject[r] = decide && reason == r[7:0] + 8'd1;
        end
    endgenerate

    // ---- cut-through egress: a message's bytes leave as its fields are reported ------------------------------
    // The mode in use is the active bank's, taken when nothing is in flight on either egress.
    reg  ct_mode_q;
    reg  [15:0] span_end_q;                 // global address just past the last span framed
    wire path_idle = !cap_any_q && !is_fields && !sq_any && fwd_idle;
    always @(posedge clk) begin
        if (rst) begin
            ct_mode_q <= 1'b0;
            span_end_q <= 16'd0;
        end else begin
            if (path_idle) ct_mode_q <= cut_q[active_q];
            if (is_frame) span_end_q <= fr_gend;
        end
    end
    wire [15:0] fr_gend = stream_base + fr_lend;
    wire [15:0] f_msg_gstart = stream_base + f_msg_offset;
    assign ct_mode = ct_mode_q;
    assign ct_open = ct_mode_q && is_fields && !cap_any_q;
    assign ct_open_addr = f_msg_gstart;
    assign ct_known = ct_mode_q && is_fields && f_count != 8'd0;
    assign ct_seed = ct_mode_q && !cap_any_q && span_end_q == gw_q;
    // past the last entry's SOH, or the whole message once its BodyLength is known
    assign ct_known_end = f_msg_gstart + (bl_take ? bl_end[15:0] : e_voff[15:0] + e_vlen[15:0] + 16'd1);
    assign ct_close = ct_mode_q && (is_frame || (is_end && cap_any_q));
    assign ct_close_next = is_frame;
    assign ct_close_start = fr_gstart;
    assign ct_close_end = fr_gend;
    assign ct_close_final = !is_frame || fr_kind != SPAN_ORDER;
    assign ct_close_abort = !is_frame || fr_kind == SPAN_ERR;
    assign ct_decide = decide && order_head && sq_ct_q[sq_head];
    assign ct_decide_slot = sq_slot_q[sq_head];
    assign ct_decide_abort = !accept;

    // ---- order ingress flow control ------------------------------------------------------------------------
    wire [15:0] oldest = fwd_waiting != {FWD_BITS{1'b0}} ? fwd_head : sq_gstart_q[sq_head];
    wire        holding = fwd_waiting != {FWD_BITS{1'b0}} || sq_any;
    assign stall = clearing || sq_count >= 4'd4 || fwd_waiting >= FWD_DEPTH[FWD_BITS-1:0] - 3 ||
                   vf_level_q >= 4'd4 || (holding && gw_q - oldest > RING_GUARD);

    // ---- sequential: capture, look-up pipeline, span queue --------------------------------------------------
    assign ring_en = n_lookup;
    assign ring_addr = n_sym_addr;
    assign look_en = lk1_q;
    assign look_symbol = sym_masked;
    assign look_bank = lk1_bank_q;

    wire msg_ends = is_frame || is_end;
    // the symbol's bytes, NUL padded; one with a NUL byte of its own is never in the table
    wire [63:0] sym_masked;
    wire [7:0]  sym_nul;
    genvar m;
    generate
        for (m = 0; m < 8; m = m + 1) begin : g_sym
            assign sym_masked[m*8 +: 8] = m[3:0] < lk1_len_q ? ring_data[m*8 +: 8] : 8'd0;
            assign sym_nul[m] = m[3:0] < lk1_len_q && ring_data[m*8 +: 8] == 8'd0;
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) begin
            cap_any_q <= 1'b0; cap_bank_q <= 1'b0; msg_par_q <= 1'b0;
            cap_clord_seen_q <= 1'b0; cap_clord_q <= 1'b0; cap_clord_off_q <= 16'd0; cap_clord_len_q <= 16'd0;
            cap_sym_seen_q <= 1'b0; cap_sym_named_q <= 1'b0; cap_lk_pending_q <= 1'b0; cap_hit_q <= 1'b0; cap_index_q <= 10'd0;
            cap_side_seen_q <= 1'b0; cap_side_q <= 1'b0; cap_sell_q <= 1'b0;
            cap_qty_seen_q <= 1'b0; cap_qty_q <= 1'b0; cap_qty_val_q <= 64'd0;
            cap_type_seen_q <= 1'b0; cap_type_q <= 2'd0;
            cap_px_seen_q <= 1'b0; cap_px_q <= 1'b0; cap_px_raw_q <= 48'd0; cap_px_mult_q <= 14'd1;
            cap_bl_seen_q <= 1'b0;
            lk1_q <= 1'b0; lk_q <= {LOOK_CYCLES{1'b0}};
            sq_wr_q <= 4'd0; sq_rd_q <= 4'd0;
            w_valid_q <= 1'b0;
            out_stream_q <= 3'd0;
            last_vbeat_valid_q <= 1'b0; last_vbeat_due_q <= 16'd0; last_rank_q <= 2'd0;
        end else begin
            // look-up pipeline
            lk1_q <= n_lookup;
            lk1_par_q <= msg_par_q;
            lk1_bank_q <= cap_any_q ? cap_bank_q : active_q;
            lk1_len_q <= n_sym_len;
            lk_q <= {lk_q[LOOK_CYCLES-2:0], lk1_q};
            lk_par_q <= {lk_par_q[LOOK_CYCLES-2:0], lk1_par_q};
            lk_nul_q <= {lk_nul_q[LOOK_CYCLES-2:0], |sym_nul};

            // capture
            if (is_fields && !cap_any_q) begin
                cap_any_q <= 1'b1;
                cap_bank_q <= active_q;
            end
            cap_clord_seen_q <= n_clord_seen; cap_clord_q <= n_clord; cap_clord_off_q <= n_clord_off; cap_clord_len_q <= n_clord_len;
            cap_sym_seen_q <= n_sym_seen; cap_sym_named_q <= n_sym_named;
            cap_side_seen_q <= n_side_seen; cap_side_q <= n_side; cap_sell_q <= n_sell;
            cap_qty_seen_q <= n_qty_seen; cap_qty_q <= n_qty; cap_qty_val_q <= n_qty_val;
            cap_type_seen_q <= n_type_seen; cap_type_q <= n_type;
            cap_px_seen_q <= n_px_seen; cap_px_q <= n_px; cap_px_raw_q <= n_px_raw; cap_px_mult_q <= n_px_mult;
            cap_bl_seen_q <= n_bl_seen;
            if (n_lookup) cap_lk_pending_q <= 1'b1;
            if (lk_land_cur) begin
                cap_lk_pending_q <= 1'b0;
                cap_hit_q <= lk_hit;
                cap_index_q <= look_index;
            end

            if (is_frame) msg_par_q <= !msg_par_q;
            if (msg_ends) begin
                cap_any_q <= 1'b0;
                cap_clord_seen_q <= 1'b0; cap_clord_q <= 1'b0; cap_clord_off_q <= 16'd0; cap_clord_len_q <= 16'd0;
                cap_sym_seen_q <= 1'b0; cap_sym_named_q <= 1'b0; cap_lk_pending_q <= 1'b0; cap_hit_q <= 1'b0;
                cap_side_seen_q <= 1'b0; cap_side_q <= 1'b0; cap_sell_q <= 1'b0;
                cap_qty_seen_q <= 1'b0; cap_qty_q <= 1'b0;
                cap_type_seen_q <= 1'b0; cap_type_q <= 2'd0;
                cap_px_seen_q <= 1'b0; cap_px_q <= 1'b0;
                cap_bl_seen_q <= 1'b0;
            end
            if (is_end) out_stream_q <= out_stream_q + 3'd1;

            // decisions and passes (before the frame below: a new order may take the slot the same cycle)
            if (pass_now || decide) sq_rd_q <= sq_rd_q + 4'd1;
            if (w_go) w_valid_q <= 1'b0;
            if (f_wait) begin
                w_valid_q <= 1'b1;
                w_pending_q <= !f_ready;
                w_par_q <= msg_par_q;
                w_bank_q <= cap_any_q ? cap_bank_q : active_q;
                w_error_q <= fr_err;
                w_clord_q <= cap_clord_q; w_clord_off_q <= cap_clord_off_q; w_clord_len_q <= cap_clord_len_q;
                w_named_q <= cap_sym_named_q;
                w_hit_q <= lk_land_cur ? lk_hit : cap_hit_q;
                w_index_q <= lk_land_cur ? look_index : cap_index_q;
                w_side_q <= cap_side_q; w_sell_q <= cap_sell_q;
                w_qty_q <= cap_qty_q; w_qty_val_q <= cap_qty_val_q;
                w_type_q <= cap_type_q;
                w_px_q <= cap_px_q; w_px_val_q <= cap_px_val;
            end

            if (is_frame) begin
                sq_kind_q[sq_wr_q[2:0]] <= fr_kind;
                sq_err_q[sq_wr_q[2:0]] <= fr_err;
                sq_offset_q[sq_wr_q[2:0]] <= fr_offset;
                sq_length_q[sq_wr_q[2:0]] <= fr_length;
                sq_gstart_q[sq_wr_q[2:0]] <= fr_gstart;
                sq_due_q[sq_wr_q[2:0]] <= fr_due;
                sq_ct_q[sq_wr_q[2:0]] <= ct_close && fr_kind == SPAN_ORDER;
                sq_slot_q[sq_wr_q[2:0]] <= ct_close_slot;
                sq_wr_q <= sq_wr_q + 4'd1;
                if (fr_verdict) begin
                    last_vbeat_valid_q <= 1'b1;
                    last_vbeat_due_q <= fr_beat_due;
                    last_rank_q <= fr_rank;
                end
            end

        end
    end

    wire unused = ^{cycle[63:32], tokens, fr_offset[63:16], f_msg_offset, e_voff[31:16], e_vlen[31:4], fr_length[31:16], bl_end[31:16],
                    shadow_control[15:1], sym_cmd[30:26], sym_cmd[15:11], e_tag, last_rank_q,
                    vf_ready_unused, rec_tdata, fr_type[15:8]};

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    // (the verdict output is the verdict FIFO's, whose properties hold it until taken)
    // Store-and-forward: a span goes to the egress only if it is a well-formed message that is not an order,
    // or the order decided in this cycle with an accepting verdict (written to the verdict FIFO now).
    always @* if (f_past_valid && fwd_push) begin
        assert(!ct_mode_q);
        if (!pass_now) assert(decide && order_head && reason == `TG_RISK_ACCEPTED && verdict[`TG_RISK_VERDICT_REASON_LSB +: 8] == `TG_RISK_ACCEPTED);
        else assert(head_kind == SPAN_PASS && !decide);
    end
    // Cut-through: an order's frame is let end normally only if its verdict accepts it; every other verdict aborts it
    always @* if (f_past_valid && ct_decide) assert(ct_decide_abort == (reason != `TG_RISK_ACCEPTED));
    // a rejected order, or a span that is not a message, is never counted as accepted or passed
    always @* if (f_past_valid && decide && reason != `TG_RISK_ACCEPTED) assert(!inc_accepted && !inc_passed && !fwd_push);
`endif
endmodule
`default_nettype wire
