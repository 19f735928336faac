// AXI-Lite register block: identification, control registers and read-only counters.
// Addresses come from the generated layout (spec/device.yaml). One write and one read in flight at a time.
// A 64-bit counter is read LO first: that read latches its HI half, so the pair is coherent.
`default_nettype none
`include "tickgate_layout.vh"
module csr_regs #(
    parameter ADDR_WIDTH = `TG_CSR_ADDR_BITS
) (
    input  wire                  clk,
    input  wire                  rst,

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

    output wire [31:0]           control,
    output wire [31:0]           fix_max_msg_len,
    output wire                  counter_clear,

    input  wire [63:0]           cycle,
    input  wire [31:0]           fix_messages,
    input  wire [63:0]           fix_bytes,
    input  wire [31:0]           fix_garbled,
    input  wire [31:0]           fix_garbled_bytes,
    input  wire [31:0]           fix_truncated,
    input  wire [31:0]           fix_too_long,
    input  wire [31:0]           fix_streams,
    input  wire [31:0]           fix_bad_checksum,
    input  wire [31:0]           fix_bad_body_length,
    input  wire [31:0]           fix_fields,
    input  wire [31:0]           events_out,
    input  wire [31:0]           event_stall_cycles,

    output wire                  sub_we,
    output wire [7:0]            sub_slot,
    output wire                  sub_valid,
    output wire [63:0]           sub_symbol,
    input  wire [31:0]           feed_sub_slots,
    input  wire [31:0]           feed_session_slots,
    input  wire                  feed_clearing,
    input  wire [31:0]           feed_packets,
    input  wire [63:0]           feed_bytes,
    input  wire [31:0]           feed_messages,
    input  wire [31:0]           feed_heartbeats,
    input  wire [31:0]           feed_end_of_session,
    input  wire [31:0]           feed_duplicates,
    input  wire [31:0]           feed_gaps,
    input  wire [31:0]           feed_filtered,
    input  wire [63:0]           feed_missing,
    input  wire [31:0]           feed_short,
    input  wire [31:0]           feed_truncated,
    input  wire [31:0]           feed_trailing,
    input  wire [31:0]           feed_unknown,
    input  wire [31:0]           feed_bad_length,
    input  wire [31:0]           feed_duplicate_packets,

    output wire                  risk_commit,
    output wire [31:0]           risk_shadow_control,
    output wire [31:0]           risk_shadow_cycles_per_token,
    output wire                  risk_sym_we,
    output wire [31:0]           risk_sym_cmd,
    output wire [63:0]           risk_sym_symbol,
    output wire [80:0]           risk_hash_key,
    output wire                  risk_limit_we,
    output wire [9:0]            risk_limit_index,
    output wire [209:0]          risk_limit_data,
    input  wire                  risk_clearing,
    input  wire                  risk_active_bank,
    input  wire [31:0]           risk_symbols,
    input  wire [31:0]           risk_verdicts,
    input  wire [31:0]           risk_accepted,
    input  wire [31:0]           risk_passed,
    input  wire [31:0]           risk_late,
    input  wire [31:0]           risk_trades,
    input  wire [31:0]           order_frames_dropped,
    input  wire [63:0]           order_bytes_in,
    input  wire [63:0]           order_bytes_out,
    input  wire [255:0]          risk_rejects       // one 32-bit counter per reason, kill_switch first
);

localparam [1:0] RESP_OKAY = 2'b00;
localparam [1:0] RESP_SLVERR = 2'b10;

reg [31:0] scratch_reg;
reg [31:0] control_reg;
reg [31:0] fix_max_msg_len_reg;
reg        counter_clear_reg;
reg [31:0] sub_symbol_lo_reg, sub_symbol_hi_reg;
reg        sub_we_reg;
reg [7:0]  sub_slot_reg;
reg        sub_valid_reg;
reg        risk_commit_reg, risk_sym_we_reg, risk_limit_we_reg;
reg [31:0] risk_shadow_control_reg, risk_shadow_cpt_reg, risk_sym_cmd_reg, risk_sym_lo_reg, risk_sym_hi_reg;
reg [31:0] risk_key0_reg, risk_key1_reg, risk_key2_reg;
reg [9:0]  risk_limit_index_reg;
reg [31:0] lim_qty_reg, lim_notional_lo_reg, lim_notional_hi_reg, lim_ref_lo_reg, lim_ref_hi_reg;
reg [31:0] lim_collar_reg, lim_pos_lo_reg, lim_pos_hi_reg;
reg        bvalid_reg;
reg [1:0]  bresp_reg;
reg        rvalid_reg;
reg [1:0]  rresp_reg;
reg [31:0] rdata_reg;
reg [31:0] hi_latch_reg;

wire write_en = s_axil_awvalid && s_axil_wvalid && !bvalid_reg;
wire read_en = s_axil_arvalid && !rvalid_reg;
wire [ADDR_WIDTH-1:0] waddr = {s_axil_awaddr[ADDR_WIDTH-1:2], 2'b00};
wire [ADDR_WIDTH-1:0] raddr = {s_axil_araddr[ADDR_WIDTH-1:2], 2'b00};
wire [3:0] unused_addr_lsbs = {s_axil_awaddr[1:0], s_axil_araddr[1:0]};

assign s_axil_awready = write_en;
assign s_axil_wready = write_en;
assign s_axil_bvalid = bvalid_reg;
assign s_axil_bresp = bresp_reg;
assign s_axil_arready = read_en;
assign s_axil_rvalid = rvalid_reg;
assign s_axil_rresp = rresp_reg;
assign s_axil_rdata = rdata_reg;

assign control = control_reg;
assign fix_max_msg_len = fix_max_msg_len_reg;
assign counter_clear = counter_clear_reg;
assign sub_we = sub_we_reg;
assign sub_slot = sub_slot_reg;
assign sub_valid = sub_valid_reg;
assign sub_symbol = {sub_symbol_hi_reg, sub_symbol_lo_reg};
assign risk_commit = risk_commit_reg;
assign risk_shadow_control = risk_shadow_control_reg;
assign risk_shadow_cycles_per_token = risk_shadow_cpt_reg;
assign risk_sym_we = risk_sym_we_reg;
assign risk_sym_cmd = risk_sym_cmd_reg;
assign risk_sym_symbol = {risk_sym_hi_reg, risk_sym_lo_reg};
assign risk_hash_key = {risk_key2_reg[16:0], risk_key1_reg, risk_key0_reg};
assign risk_limit_we = risk_limit_we_reg;
assign risk_limit_index = risk_limit_index_reg;
assign risk_limit_data = {lim_pos_hi_reg[14:0], lim_pos_lo_reg, lim_collar_reg[19:0], lim_ref_hi_reg[15:0], lim_ref_lo_reg,
                          lim_notional_hi_reg[30:0], lim_notional_lo_reg, lim_qty_reg};
wire [52:0] unused_limit_bits = {lim_pos_hi_reg[31:15], lim_collar_reg[31:20], lim_ref_hi_reg[31:16], lim_notional_hi_reg[31:31],
                                 risk_sym_cmd_reg[31:31], risk_sym_cmd_reg[15:11], risk_sym_cmd_reg[26:26]};
wire [14:0] unused_key_bits = risk_key2_reg[31:17];

function [31:0] apply_strobe(input [31:0] old_value, input [31:0] new_value, input [3:0] strobe);
    integer b;
    begin
        for (b = 0; b < 4; b = b + 1) begin
            apply_strobe[b*8 +: 8] = strobe[b] ? new_value[b*8 +: 8] : old_value[b*8 +: 8];
        end
    end
endfunction

always @(posedge clk) begin
    if (rst) begin
        scratch_reg <= `TG_REG_SCRATCH_RESET;
        control_reg <= `TG_REG_CONTROL_RESET;
        fix_max_msg_len_reg <= `TG_REG_FIX_MAX_MSG_LEN_RESET;
        counter_clear_reg <= 1'b0;
        sub_symbol_lo_reg <= `TG_REG_FEED_SUB_SYMBOL_LO_RESET;
        sub_symbol_hi_reg <= `TG_REG_FEED_SUB_SYMBOL_HI_RESET;
        sub_we_reg <= 1'b0;
        sub_slot_reg <= 8'd0;
        sub_valid_reg <= 1'b0;
        risk_commit_reg <= 1'b0;
        risk_sym_we_reg <= 1'b0;
        risk_limit_we_reg <= 1'b0;
        risk_shadow_control_reg <= `TG_REG_RISK_SHADOW_CONTROL_RESET;
        risk_shadow_cpt_reg <= `TG_REG_RISK_SHADOW_CYCLES_PER_TOKEN_RESET;
        risk_sym_cmd_reg <= 32'd0;
        risk_sym_lo_reg <= `TG_REG_RISK_SYM_LO_RESET;
        risk_sym_hi_reg <= `TG_REG_RISK_SYM_HI_RESET;
        risk_key0_reg <= `TG_REG_RISK_SHADOW_HASH_KEY0_RESET;
        risk_key1_reg <= `TG_REG_RISK_SHADOW_HASH_KEY1_RESET;
        risk_key2_reg <= `TG_REG_RISK_SHADOW_HASH_KEY2_RESET;
        risk_limit_index_reg <= 10'd0;
        lim_qty_reg <= 32'd0; lim_notional_lo_reg <= 32'd0; lim_notional_hi_reg <= 32'd0;
        lim_ref_lo_reg <= 32'd0; lim_ref_hi_reg <= 32'd0; lim_collar_reg <= 32'd0;
        lim_pos_lo_reg <= 32'd0; lim_pos_hi_reg <= 32'd0;
        bvalid_reg <= 1'b0;
        bresp_reg <= RESP_OKAY;
    end else begin
        counter_clear_reg <= 1'b0;
        sub_we_reg <= 1'b0;
        risk_commit_reg <= 1'b0;
        risk_sym_we_reg <= 1'b0;
        risk_limit_we_reg <= 1'b0;
        if (bvalid_reg && s_axil_bready) bvalid_reg <= 1'b0;
        if (write_en) begin
            bvalid_reg <= 1'b1;
            bresp_reg <= RESP_OKAY;
            case (waddr)
                `TG_REG_SCRATCH: scratch_reg <= apply_strobe(scratch_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_CONTROL: control_reg <= apply_strobe(control_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_FIX_MAX_MSG_LEN:
                    fix_max_msg_len_reg <= apply_strobe(fix_max_msg_len_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_COUNTER_CLEAR: counter_clear_reg <= s_axil_wstrb[0] && s_axil_wdata[0];
                `TG_REG_FEED_SUB_SYMBOL_LO:
                    sub_symbol_lo_reg <= apply_strobe(sub_symbol_lo_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_FEED_SUB_SYMBOL_HI:
                    sub_symbol_hi_reg <= apply_strobe(sub_symbol_hi_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_FEED_SUB_WRITE: begin
                    sub_we_reg <= 1'b1;
                    sub_slot_reg <= s_axil_wdata[7:0];
                    sub_valid_reg <= s_axil_wdata[`TG_REG_FEED_SUB_WRITE_VALID_BIT];
                end
                `TG_REG_RISK_COMMIT: risk_commit_reg <= s_axil_wstrb[0] && s_axil_wdata[0];
                `TG_REG_RISK_SHADOW_CONTROL:
                    risk_shadow_control_reg <= apply_strobe(risk_shadow_control_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_SHADOW_CYCLES_PER_TOKEN:
                    risk_shadow_cpt_reg <= apply_strobe(risk_shadow_cpt_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_SYM_LO: risk_sym_lo_reg <= apply_strobe(risk_sym_lo_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_SYM_HI: risk_sym_hi_reg <= apply_strobe(risk_sym_hi_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_SHADOW_HASH_KEY0: risk_key0_reg <= apply_strobe(risk_key0_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_SHADOW_HASH_KEY1: risk_key1_reg <= apply_strobe(risk_key1_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_SHADOW_HASH_KEY2: risk_key2_reg <= apply_strobe(risk_key2_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_SYM_WRITE: begin
                    risk_sym_we_reg <= 1'b1;
                    risk_sym_cmd_reg <= s_axil_wdata;
                end
                `TG_REG_RISK_LIMIT_MAX_QTY: lim_qty_reg <= apply_strobe(lim_qty_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_LIMIT_NOTIONAL_LO: lim_notional_lo_reg <= apply_strobe(lim_notional_lo_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_LIMIT_NOTIONAL_HI: lim_notional_hi_reg <= apply_strobe(lim_notional_hi_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_LIMIT_REF_LO: lim_ref_lo_reg <= apply_strobe(lim_ref_lo_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_LIMIT_REF_HI: lim_ref_hi_reg <= apply_strobe(lim_ref_hi_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_LIMIT_COLLAR_BPS: lim_collar_reg <= apply_strobe(lim_collar_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_LIMIT_POSITION_LO: lim_pos_lo_reg <= apply_strobe(lim_pos_lo_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_LIMIT_POSITION_HI: lim_pos_hi_reg <= apply_strobe(lim_pos_hi_reg, s_axil_wdata, s_axil_wstrb);
                `TG_REG_RISK_LIMIT_WRITE: begin
                    risk_limit_we_reg <= 1'b1;
                    risk_limit_index_reg <= s_axil_wdata[9:0];
                end
                default: bresp_reg <= RESP_SLVERR;
            endcase
        end
    end
end

always @(posedge clk) begin
    if (rst) begin
        rvalid_reg <= 1'b0;
        rresp_reg <= RESP_OKAY;
        rdata_reg <= 32'd0;
        hi_latch_reg <= 32'd0;
    end else begin
        if (rvalid_reg && s_axil_rready) rvalid_reg <= 1'b0;
        if (read_en) begin
            rvalid_reg <= 1'b1;
            rresp_reg <= RESP_OKAY;
            case (raddr)
                `TG_REG_ID: rdata_reg <= `TG_DEVICE_ID;
                `TG_REG_VERSION: rdata_reg <= `TG_DEVICE_VERSION;
                `TG_REG_SCRATCH: rdata_reg <= scratch_reg;
                `TG_REG_CONTROL: rdata_reg <= control_reg;
                `TG_REG_FIX_MAX_MSG_LEN: rdata_reg <= fix_max_msg_len_reg;
                `TG_REG_RECORD_BYTES: rdata_reg <= `TG_REC_BYTES;
                `TG_REG_CYCLE_LO: begin rdata_reg <= cycle[31:0]; hi_latch_reg <= cycle[63:32]; end
                `TG_REG_CYCLE_HI: rdata_reg <= hi_latch_reg;
                `TG_REG_FIX_MESSAGES: rdata_reg <= fix_messages;
                `TG_REG_FIX_BYTES_LO: begin rdata_reg <= fix_bytes[31:0]; hi_latch_reg <= fix_bytes[63:32]; end
                `TG_REG_FIX_BYTES_HI: rdata_reg <= hi_latch_reg;
                `TG_REG_FIX_GARBLED: rdata_reg <= fix_garbled;
                `TG_REG_FIX_GARBLED_BYTES: rdata_reg <= fix_garbled_bytes;
                `TG_REG_FIX_TRUNCATED: rdata_reg <= fix_truncated;
                `TG_REG_FIX_TOO_LONG: rdata_reg <= fix_too_long;
                `TG_REG_FIX_STREAMS: rdata_reg <= fix_streams;
                `TG_REG_FIX_BAD_CHECKSUM: rdata_reg <= fix_bad_checksum;
                `TG_REG_FIX_BAD_BODY_LENGTH: rdata_reg <= fix_bad_body_length;
                `TG_REG_FIX_FIELDS: rdata_reg <= fix_fields;
                `TG_REG_EVENTS_OUT: rdata_reg <= events_out;
                `TG_REG_EVENT_STALL_CYCLES: rdata_reg <= event_stall_cycles;
                `TG_REG_FEED_SUB_SYMBOL_LO: rdata_reg <= sub_symbol_lo_reg;
                `TG_REG_FEED_SUB_SYMBOL_HI: rdata_reg <= sub_symbol_hi_reg;
                `TG_REG_FEED_SUB_SLOTS: rdata_reg <= feed_sub_slots;
                `TG_REG_FEED_SESSION_SLOTS: rdata_reg <= feed_session_slots;
                `TG_REG_FEED_STATUS: rdata_reg <= {31'd0, feed_clearing};
                `TG_REG_FEED_PACKETS: rdata_reg <= feed_packets;
                `TG_REG_FEED_BYTES_LO: begin rdata_reg <= feed_bytes[31:0]; hi_latch_reg <= feed_bytes[63:32]; end
                `TG_REG_FEED_BYTES_HI: rdata_reg <= hi_latch_reg;
                `TG_REG_FEED_MESSAGES: rdata_reg <= feed_messages;
                `TG_REG_FEED_HEARTBEATS: rdata_reg <= feed_heartbeats;
                `TG_REG_FEED_END_OF_SESSION: rdata_reg <= feed_end_of_session;
                `TG_REG_FEED_DUPLICATES: rdata_reg <= feed_duplicates;
                `TG_REG_FEED_GAPS: rdata_reg <= feed_gaps;
                `TG_REG_FEED_FILTERED: rdata_reg <= feed_filtered;
                `TG_REG_FEED_MISSING_LO: begin rdata_reg <= feed_missing[31:0]; hi_latch_reg <= feed_missing[63:32]; end
                `TG_REG_FEED_MISSING_HI: rdata_reg <= hi_latch_reg;
                `TG_REG_FEED_SHORT_PACKETS: rdata_reg <= feed_short;
                `TG_REG_FEED_TRUNCATED: rdata_reg <= feed_truncated;
                `TG_REG_FEED_TRAILING: rdata_reg <= feed_trailing;
                `TG_REG_FEED_UNKNOWN_TYPES: rdata_reg <= feed_unknown;
                `TG_REG_FEED_BAD_LENGTHS: rdata_reg <= feed_bad_length;
                `TG_REG_FEED_DUPLICATE_PACKETS: rdata_reg <= feed_duplicate_packets;
                `TG_REG_RISK_STATUS: rdata_reg <= {30'd0, risk_active_bank, risk_clearing};
                `TG_REG_RISK_SHADOW_CONTROL: rdata_reg <= risk_shadow_control_reg;
                `TG_REG_RISK_SHADOW_CYCLES_PER_TOKEN: rdata_reg <= risk_shadow_cpt_reg;
                `TG_REG_RISK_SYM_LO: rdata_reg <= risk_sym_lo_reg;
                `TG_REG_RISK_SYM_HI: rdata_reg <= risk_sym_hi_reg;
                `TG_REG_RISK_SHADOW_HASH_KEY0: rdata_reg <= risk_key0_reg;
                `TG_REG_RISK_SHADOW_HASH_KEY1: rdata_reg <= risk_key1_reg;
                `TG_REG_RISK_SHADOW_HASH_KEY2: rdata_reg <= risk_key2_reg;
                `TG_REG_RISK_LIMIT_MAX_QTY: rdata_reg <= lim_qty_reg;
                `TG_REG_RISK_LIMIT_NOTIONAL_LO: rdata_reg <= lim_notional_lo_reg;
                `TG_REG_RISK_LIMIT_NOTIONAL_HI: rdata_reg <= lim_notional_hi_reg;
                `TG_REG_RISK_LIMIT_REF_LO: rdata_reg <= lim_ref_lo_reg;
                `TG_REG_RISK_LIMIT_REF_HI: rdata_reg <= lim_ref_hi_reg;
                `TG_REG_RISK_LIMIT_COLLAR_BPS: rdata_reg <= lim_collar_reg;
                `TG_REG_RISK_LIMIT_POSITION_LO: rdata_reg <= lim_pos_lo_reg;
                `TG_REG_RISK_LIMIT_POSITION_HI: rdata_reg <= lim_pos_hi_reg;
                `TG_REG_RISK_SYMBOLS: rdata_reg <= risk_symbols;
                `TG_REG_RISK_VERDICTS: rdata_reg <= risk_verdicts;
                `TG_REG_RISK_ACCEPTED: rdata_reg <= risk_accepted;
                `TG_REG_RISK_PASSED: rdata_reg <= risk_passed;
                `TG_REG_RISK_LATE: rdata_reg <= risk_late;
                `TG_REG_RISK_TRADES: rdata_reg <= risk_trades;
                `TG_REG_ORDER_FRAMES_DROPPED: rdata_reg <= order_frames_dropped;
                `TG_REG_ORDER_BYTES_IN_LO: begin rdata_reg <= order_bytes_in[31:0]; hi_latch_reg <= order_bytes_in[63:32]; end
                `TG_REG_ORDER_BYTES_IN_HI: rdata_reg <= hi_latch_reg;
                `TG_REG_ORDER_BYTES_OUT_LO: begin rdata_reg <= order_bytes_out[31:0]; hi_latch_reg <= order_bytes_out[63:32]; end
                `TG_REG_ORDER_BYTES_OUT_HI: rdata_reg <= hi_latch_reg;
                `TG_REG_RISK_REJECT_KILL_SWITCH: rdata_reg <= risk_rejects[0*32 +: 32];
                `TG_REG_RISK_REJECT_UNKNOWN_SYMBOL: rdata_reg <= risk_rejects[1*32 +: 32];
                `TG_REG_RISK_REJECT_MAX_QTY: rdata_reg <= risk_rejects[2*32 +: 32];
                `TG_REG_RISK_REJECT_MAX_NOTIONAL: rdata_reg <= risk_rejects[3*32 +: 32];
                `TG_REG_RISK_REJECT_PRICE_COLLAR: rdata_reg <= risk_rejects[4*32 +: 32];
                `TG_REG_RISK_REJECT_MAX_POSITION: rdata_reg <= risk_rejects[5*32 +: 32];
                `TG_REG_RISK_REJECT_RATE_LIMIT: rdata_reg <= risk_rejects[6*32 +: 32];
                `TG_REG_RISK_REJECT_BAD_ORDER: rdata_reg <= risk_rejects[7*32 +: 32];
                default: begin rdata_reg <= 32'd0; rresp_reg <= RESP_SLVERR; end
            endcase
        end
    end
end

endmodule
`default_nettype wire
