// Joins udp_parse's two queues into the receive path's output: for each frame, its header verdict decides
// whether its payload beats pass (on the verdict's line) or are dropped; its end verdict follows. A taken
// frame leaves its non-empty payload beats (tlast low) and then one status beat (tkeep 0, tlast high, tuser =
// {taken, line, status}: taken 1 and ok, truncated or udp_checksum); a refused one leaves the status beat alone
// (taken 0, line 0, the status that refused it); other traffic
// leaves nothing but a pulse on `other`. The status comes after the payload because the UDP checksum is known
// only at the datagram's end, after its messages have gone downstream (see ARCHITECTURE.md, "Wire-level feed").
`default_nettype none
`include "tickgate_layout.vh"
module udp_deliver (
    input  wire        clk,
    input  wire        rst,

    input  wire [63:0] pl_data,
    input  wire [7:0]  pl_keep,
    input  wire        pl_last,
    input  wire        pl_valid,
    output wire        pl_ready,

    // {has_hdr, other, hdr status, line, has_end, end status}; has_hdr is not read: a frame's first entry
    // always carries its header verdict, which is what S_HEADER waits for
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [9:0]  vd_data,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire        vd_valid,
    output wire        vd_ready,

    output wire [63:0] m_axis_tdata,
    output wire [7:0]  m_axis_tkeep,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,
    output wire [4:0]  m_axis_tuser, // {taken, line, status}; status only on the tlast beat
    output wire        other
);

localparam [1:0] S_HEADER = 2'd0;  // waiting for the frame's header verdict
localparam [1:0] S_PASS = 2'd1;    // payload beats out
localparam [1:0] S_DROP = 2'd2;    // payload beats dropped
localparam [1:0] S_END = 2'd3;     // waiting for the end verdict

(* fsm_encoding = "none" *) reg [1:0] state_reg;
reg        line_reg, other_reg, end_have_reg;
reg [2:0]  refused_reg;            // the header's status when it refused the frame
reg [2:0]  end_status_reg;
reg        out_valid_reg, out_last_reg;
reg [63:0] out_data_reg;
reg [7:0]  out_keep_reg;
reg [4:0]  out_user_reg;
reg        other_pulse_reg;

wire       vd_other = vd_data[8];
wire [2:0] vd_hdr_status = vd_data[7:5];
wire       vd_line = vd_data[4];
wire       vd_has_end = vd_data[3];
wire [2:0] vd_end_status = vd_data[2:0];

wire out_free = !out_valid_reg || m_axis_tready;
wire taken = !other_reg && refused_reg == `TG_WIRE_OK;
wire end_known = end_have_reg || (vd_valid && vd_has_end);
wire [2:0] end_status = end_have_reg ? end_status_reg : vd_end_status;

assign pl_ready = (state_reg == S_PASS && out_free) || state_reg == S_DROP;
assign vd_ready = state_reg == S_HEADER || (state_reg == S_END && !end_have_reg && out_free);

always @(posedge clk) begin
    other_pulse_reg <= 1'b0;
    if (out_free) out_valid_reg <= 1'b0;
    case (state_reg)
        S_HEADER: if (vd_valid) begin
            other_reg <= vd_other;
            refused_reg <= vd_hdr_status;
            line_reg <= vd_line;
            end_have_reg <= vd_has_end;
            end_status_reg <= vd_end_status;
            state_reg <= !vd_other && vd_hdr_status == `TG_WIRE_OK ? S_PASS : S_DROP;
        end
        S_PASS: if (pl_valid && out_free) begin
            if (pl_keep != 8'd0) begin
                out_valid_reg <= 1'b1;
                out_data_reg <= pl_data;
                out_keep_reg <= pl_keep;
                out_last_reg <= 1'b0;
                out_user_reg <= {1'b1, line_reg, `TG_WIRE_OK};
            end
            if (pl_last) state_reg <= S_END;
        end
        S_DROP: if (pl_valid && pl_last) state_reg <= S_END;
        default: if (end_known && out_free) begin
            if (other_reg) other_pulse_reg <= 1'b1;
            else begin
                out_valid_reg <= 1'b1;
                out_keep_reg <= 8'd0;
                out_last_reg <= 1'b1;
                out_user_reg <= taken ? {1'b1, line_reg, end_status} : {2'b00, refused_reg};
            end
            end_have_reg <= 1'b0;
            state_reg <= S_HEADER;
        end
    endcase
    if (rst) begin
        state_reg <= S_HEADER;
        end_have_reg <= 1'b0;
        out_valid_reg <= 1'b0;
        other_pulse_reg <= 1'b0;
    end
end

assign m_axis_tdata = out_data_reg;
assign m_axis_tkeep = out_keep_reg;
assign m_axis_tvalid = out_valid_reg;
assign m_axis_tlast = out_last_reg;
assign m_axis_tuser = out_user_reg;
assign other = other_pulse_reg;

endmodule
`default_nettype wire
