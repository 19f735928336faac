// Board frames to the host. Records and order egress bytes are written into numbered slots (one frame
// each) and kept there until the host acknowledges them; the sender walks the slots in sequence (go-back-N:
// on a timeout, or when the host asks with REWIND, it starts again from the oldest unacknowledged one).
// Control frames (sync answer, register response, counters, acks) are made when sent and not kept: the host
// asks again for what it lost. Every frame carries the next host sequence number taken and the ingress
// window, and REWIND in its flags when a host frame came after a lost one (the host resends at once). The
// output is a byte stream with frame delimiters for slip_tx: a byte every other cycle at most, every third
// from a slot (its RAM read is registered before use).
`default_nettype none
`include "tickgate_layout.vh"
module link_tx #(
    parameter integer SLOTS = `TG_SL_SLOTS,
    parameter integer RTO_CYCLES = 1 << 20,          // resend when nothing was acknowledged for this long
    parameter integer WINDOW_STEP = 256,             // advertise a window grown by this much without data
    parameter integer COUNTERS = `TG_SL_COUNTERS
) (
    input  wire                    clk,
    input  wire                    rst,

    input  wire [`TG_REC_BITS-1:0] s_rec_tdata,
    input  wire                    s_rec_tvalid,
    output wire                    s_rec_tready,
    input  wire [63:0]             s_ord_tdata,
    input  wire [7:0]              s_ord_tkeep,
    input  wire                    s_ord_tvalid,
    output wire                    s_ord_tready,
    input  wire                    s_ord_tlast,
    input  wire                    s_ord_tuser,

    input  wire [7:0]              expected,         // from link_rx: the ack field
    input  wire [15:0]             window,           // ingress entries free
    input  wire                    ack_valid,
    input  wire [7:0]              ack_seq,
    input  wire                    ack_rewind,
    input  wire                    ack_due,
    input  wire                    nak,              // a host frame after a lost one: ask for a resend
    input  wire                    sync_done,
    input  wire [7:0]              sync_nonce,
    input  wire                    stats_due,
    input  wire [32*COUNTERS-1:0]  counters,
    input  wire                    resp_due,
    input  wire [7:0]              resp_seq,
    input  wire [31:0]             resp_data,
    input  wire [1:0]              resp_code,

    output reg  [7:0]              m_data,
    output reg                     m_delimiter,
    output reg                     m_valid,
    input  wire                    m_ready,

    output reg                     count_frames,
    output reg                     count_resent,
    output reg                     count_rewinds,
    output reg                     count_timeouts
);
localparam integer SB = $clog2(SLOTS);
localparam integer TW = $clog2(RTO_CYCLES + 1);
localparam [6:0] ORDER_CLOSE_AT = 7'd58;             // one more beat could pass 64 payload bytes

// ---- slots ----------------------------------------------------------------------------------------------
reg  [7:0] tx_write, tx_base, tx_next, tx_hi;        // next to fill, oldest unacked, next to send, past the highest sent
wire slot_free = 8'(tx_write - tx_base) < 8'(SLOTS);
reg  [6:0] slot_len [0:SLOTS-1];

reg         ram_we;
reg  [SB+6:0] ram_waddr;
reg  [7:0]  ram_wdata;
reg         ram_re;
reg  [SB+6:0] ram_raddr;
wire [7:0]  ram_rdata;
// the RAM's byte is registered before anything uses it (no logic after the block RAM's clock-to-out): a byte
// read is in ram_byte two edges after the read, when neither ram_re nor ram_re_d is set
reg  [7:0]  ram_byte;
reg         ram_re_d;
wire        ram_byte_ready = !ram_re && !ram_re_d;
sdp_ram #(.WIDTH(8), .DEPTH(SLOTS * 128)) slots (
    .clk(clk), .we(ram_we), .waddr(ram_waddr), .wdata(ram_wdata),
    .re(ram_re), .raddr(ram_raddr), .rdata(ram_rdata)
);

// ---- slot writer ----------------------------------------------------------------------------------------
localparam [1:0] W_IDLE = 2'd0, W_RECORD = 2'd1, W_ORDER = 2'd2, W_BEAT = 2'd3;
reg [1:0]   wstate;
reg [6:0]   woff;
reg [`TG_REC_BITS-1:0] rec;
reg [63:0]  beat;
reg [3:0]   beat_left;
reg         beat_last, beat_user;
reg         prefer_orders;
localparam [3:0] ORDER_IDLE_CYCLES = 4'd15;
reg  [3:0]  order_idle;            // cycles an open order frame has waited for its next beat

wire take_record = wstate == W_IDLE && slot_free && s_rec_tvalid && (!s_ord_tvalid || !prefer_orders);
assign s_rec_tready = take_record;
assign s_ord_tready = wstate == W_ORDER && woff < ORDER_CLOSE_AT;

function [3:0] lanes(input [7:0] keep);
    integer i;
    begin
        lanes = 4'd0;
        for (i = 0; i < 8; i = i + 1) if (keep[i]) lanes = 4'(i + 1);
    end
endfunction

task automatic close_slot(input [6:0] len);
    begin
        slot_len[tx_write[SB-1:0]] <= len;
        tx_write <= tx_write + 1'b1;
        wstate <= W_IDLE;
    end
endtask

always @(posedge clk) begin
    ram_we <= 1'b0;
    order_idle <= wstate == W_ORDER && !s_ord_tvalid && order_idle != ORDER_IDLE_CYCLES ? order_idle + 1'b1
                : wstate == W_ORDER && !s_ord_tvalid ? order_idle : 4'd0;
    if (rst) begin
        wstate <= W_IDLE;
        tx_write <= 8'd0;
        prefer_orders <= 1'b0;
    end else case (wstate)
    W_IDLE: if (take_record) begin
        rec <= s_rec_tdata;
        {ram_we, ram_waddr, ram_wdata} <= {1'b1, tx_write[SB-1:0], 7'd0, `TG_SL_BOARD_RECORDS};
        woff <= 7'd1;
        wstate <= W_RECORD;
        prefer_orders <= 1'b1;
    end else if (slot_free && s_ord_tvalid) begin
        {ram_we, ram_waddr, ram_wdata} <= {1'b1, tx_write[SB-1:0], 7'd0, `TG_SL_BOARD_ORDERS};
        woff <= 7'd1;
        wstate <= W_ORDER;
        prefer_orders <= 1'b0;
    end
    W_RECORD: begin
        {ram_we, ram_waddr, ram_wdata} <= {1'b1, tx_write[SB-1:0], woff, rec[7:0]};
        rec <= rec >> 8;
        woff <= woff + 1'b1;
        if (woff == 7'(`TG_REC_BYTES)) close_slot(woff + 1'b1);
    end
    // a frame closes when full, or when its bytes have waited ORDER_IDLE_CYCLES for more (cut through: the
    // rest of an order may be far behind), so no byte that left the gate waits on the board
    W_ORDER: if (woff >= ORDER_CLOSE_AT || (woff != 7'd1 && !s_ord_tvalid && order_idle == ORDER_IDLE_CYCLES)) begin
        {ram_we, ram_waddr, ram_wdata} <= {1'b1, tx_write[SB-1:0], woff, 8'd0};
        close_slot(woff + 1'b1);
    end else if (s_ord_tvalid) begin
        beat <= s_ord_tdata;
        beat_left <= lanes(s_ord_tkeep);
        beat_last <= s_ord_tlast;
        beat_user <= s_ord_tuser;
        wstate <= W_BEAT;
    end
    default: if (beat_left != 0) begin
        {ram_we, ram_waddr, ram_wdata} <= {1'b1, tx_write[SB-1:0], woff, beat[7:0]};
        beat <= beat >> 8;
        beat_left <= beat_left - 1'b1;
        woff <= woff + 1'b1;
    end else if (beat_last) begin
        ram_we <= 1'b1;
        ram_waddr <= {tx_write[SB-1:0], woff};
        ram_wdata <= 8'd0;
        ram_wdata[`TG_SL_ORDER_END_BIT] <= 1'b1;
        ram_wdata[`TG_SL_ORDER_DROPPED_BIT] <= beat_user;
        close_slot(woff + 1'b1);
    end else begin
        wstate <= W_ORDER;
    end
    endcase
end

// ---- sender ---------------------------------------------------------------------------------------------
localparam [2:0] S_IDLE = 3'd0, S_HDR = 3'd1, S_READ = 3'd2, S_PAY = 3'd3, S_CRC = 3'd4, S_CLOSE = 3'd5;
reg [2:0]  sstate;
reg [7:0]  f_type, f_seq;
reg        f_slot;           // payload from the slot of f_seq, else made here
reg [6:0]  f_len, f_off;     // payload bytes, the next one
reg [2:0]  f_hdr;
reg [1:0]  f_crc;           // CRC bytes sent
reg [15:0] f_window;
reg [31:0] crc;
reg [7:0]  f_ack;            // taken when the frame starts; the window later, so it never counts a frame the ack does not
reg        m_counts;         // m_data is a header or payload byte (in the CRC)
reg        sync_ack_due, resp_pending, stats_pending, ack_pending, nak_pending;
reg        f_rewind;
reg [7:0]  sync_nonce_r;
reg [15:0] advertised;
reg [TW-1:0] timer;
wire [31:0] crc_next;
crc32_bzip2 crc_step (.crc(crc), .data(m_data), .next(crc_next));

// registered: a cycle late is harmless (an idle sender's ack), and the compares end in a flip-flop
reg  window_grew;
always @(posedge clk) window_grew <= {1'b0, window} >= {1'b0, advertised} + 17'(WINDOW_STEP);
wire first_send = 8'(f_seq - tx_base) >= 8'(tx_hi - tx_base);

reg [7:0] made_byte;   // payload of the frames made here
// made_byte registered (a wide choice among the counters' bytes: no further logic after it); it is for the
// current f_off and f_type when made_ready, a cycle after either changed
reg [7:0] made_byte_q;
reg       made_ready;
always @* begin
    made_byte = 8'd0;
    case (f_type)
    `TG_SL_BOARD_SYNC_ACK: case (f_off)
        7'd0: made_byte = 8'(`TG_SL_VERSION);
        7'd1: made_byte = 8'(SLOTS);
        default: made_byte = 8'($clog2(`TG_SL_FIFO_DEPTH));
    endcase
    `TG_SL_BOARD_REG_RESPONSE: made_byte = f_off == 7'd4 ? {6'd0, resp_code} : resp_data[8*f_off[1:0] +: 8];
    default: made_byte = counters[32*f_off[6:2] + 8*f_off[1:0] +: 8];
    endcase
end

task automatic start_frame(input [7:0] t, input [7:0] s, input slot, input [6:0] len);
    begin
        f_type <= t;
        f_seq <= s;
        f_slot <= slot;
        f_len <= len;
        f_off <= 7'd0;
        f_hdr <= 3'd0;
        f_crc <= 2'd0;
        made_ready <= 1'b0;
        f_ack <= expected;
        ack_pending <= 1'b0;
        f_rewind <= nak_pending;
        nak_pending <= 1'b0;
        crc <= 32'hFFFFFFFF;
        {m_valid, m_delimiter} <= 2'b11;
        sstate <= S_HDR;
    end
endtask

task automatic send(input [7:0] b, input counts);
    begin
        m_data <= b;
        m_counts <= counts;
        {m_valid, m_delimiter} <= 2'b10;
    end
endtask

always @(posedge clk) begin
    ram_re <= 1'b0;
    ram_re_d <= ram_re;
    ram_byte <= ram_rdata;
    made_byte_q <= made_byte;
    made_ready <= 1'b1;
    {count_frames, count_resent, count_rewinds, count_timeouts} <= 4'd0;
    if (m_valid && m_ready) begin
        m_valid <= 1'b0;
        if (!m_delimiter && m_counts) crc <= crc_next;
    end
    if (ack_due) ack_pending <= 1'b1;
    if (nak) nak_pending <= 1'b1;
    if (resp_due) resp_pending <= 1'b1;
    if (stats_due) stats_pending <= 1'b1;
    if (sync_done) begin
        sync_ack_due <= 1'b1;
        sync_nonce_r <= sync_nonce;
    end
    if (rst) begin
        sstate <= S_IDLE;
        m_valid <= 1'b0;
        tx_base <= 8'd0;
        tx_next <= 8'd0;
        tx_hi <= 8'd0;
        timer <= '0;
        advertised <= 16'd0;
        {resp_pending, stats_pending, ack_pending, nak_pending} <= 4'b0000;
        if (!sync_done) sync_ack_due <= 1'b0;
    end else begin
        if (!m_valid || m_ready) case (sstate)
        S_IDLE: if (!m_valid) begin
            if (sync_ack_due) begin
                sync_ack_due <= 1'b0;
                start_frame(`TG_SL_BOARD_SYNC_ACK, sync_nonce_r, 1'b0, 7'd3);
            end else if (resp_pending) begin
                resp_pending <= 1'b0;
                start_frame(`TG_SL_BOARD_REG_RESPONSE, resp_seq, 1'b0, 7'd5);
            end else if (stats_pending) begin
                stats_pending <= 1'b0;
                start_frame(`TG_SL_BOARD_STATS, 8'd0, 1'b0, 7'(4 * COUNTERS));
            end else if (tx_next != tx_write) begin
                start_frame(8'd0, tx_next, 1'b1, slot_len[tx_next[SB-1:0]] - 1'b1);
                tx_next <= tx_next + 1'b1;
            end else if (ack_pending || window_grew) begin
                start_frame(`TG_SL_BOARD_ACK, 8'd0, 1'b0, 7'd0);
            end
        end
        S_HDR: begin
            case (f_hdr)
            3'd0: if (f_slot) begin
                // the slot's first byte is its type
                ram_re <= 1'b1;
                ram_raddr <= {f_seq[SB-1:0], 7'd0};
                f_hdr <= 3'd7;
            end else begin
                send(f_type, 1'b1);
                f_hdr <= 3'd1;
            end
            3'd7: if (ram_byte_ready) begin
                send(ram_byte, 1'b1);
                f_type <= ram_byte;
                f_hdr <= 3'd1;
                if (first_send) begin
                    count_frames <= 1'b1;
                    tx_hi <= f_seq + 1'b1;
                end else begin
                    count_resent <= 1'b1;
                end
            end
            3'd1: begin send(f_seq, 1'b1); f_hdr <= 3'd2; end
            3'd2: begin send(f_ack, 1'b1); f_hdr <= 3'd3; f_window <= window; advertised <= window; end
            3'd3: begin send({7'd0, f_rewind} << `TG_SL_ACK_REWIND_BIT, 1'b1); f_hdr <= 3'd4; end
            3'd4: begin send(f_window[7:0], 1'b1); f_hdr <= 3'd5; end
            default: begin
                send(f_window[15:8], 1'b1);
                sstate <= f_len == 0 ? S_CRC : f_slot ? S_PAY : S_READ;
                if (f_slot) begin
                    ram_re <= 1'b1;
                    ram_raddr <= {f_seq[SB-1:0], 7'd1};
                end
            end
            endcase
        end
        // S_PAY: a slot byte whose read was issued; S_READ: a byte made here
        S_PAY, S_READ: if (f_slot ? ram_byte_ready : made_ready) begin
            send(f_slot ? ram_byte : made_byte_q, 1'b1);
            f_off <= f_off + 1'b1;
            made_ready <= 1'b0;
            if (f_off + 1'b1 == f_len) sstate <= S_CRC;
            else if (f_slot) begin
                ram_re <= 1'b1;
                ram_raddr <= {f_seq[SB-1:0], f_off + 7'd2};
            end
        end
        // high byte first, once the last payload byte is in the CRC
        S_CRC: if (f_crc != 2'd0 || !m_valid) begin
            send(~crc[{~f_crc, 3'd0} +: 8], 1'b0);
            f_crc <= f_crc + 1'b1;
            if (f_crc == 2'd3) sstate <= S_CLOSE;
        end
        default: begin
            {m_valid, m_delimiter} <= 2'b11;
            sstate <= S_IDLE;
        end
        endcase

        // acknowledgements and resends
        if (tx_base == tx_hi) timer <= '0;
        else if (timer == TW'(RTO_CYCLES)) begin
            timer <= '0;
            tx_next <= tx_base;
            count_timeouts <= 1'b1;
        end else timer <= timer + 1'b1;
        // an ack of a frame never sent is stale or damaged: taking it would free slots the host never had
        if (ack_valid && 8'(ack_seq - tx_base) <= 8'(tx_hi - tx_base)) begin
            if (ack_seq != tx_base) timer <= '0;
            tx_base <= ack_seq;
            if (ack_rewind && 8'(ack_seq - tx_base) < 8'(tx_hi - tx_base)) begin
                tx_next <= ack_seq;
                count_rewinds <= 1'b1;
            end else if (8'(tx_next - ack_seq) > 8'(tx_write - ack_seq)) begin
                tx_next <= ack_seq;
            end
        end
    end
end
endmodule
`default_nettype wire
