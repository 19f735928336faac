// AXI-Stream register slice (skid buffer): full throughput, and every output, tready included, comes
// from a register. It cuts the combinational path from a consumer's tready back to the producer; in
// the core it also means the FIX parser's lane walk depends only on registers, never on the core's
// input pins.
`default_nettype none
module axis_skid #(
    parameter DATA_WIDTH = 64,
    parameter KEEP_WIDTH = DATA_WIDTH / 8
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire [DATA_WIDTH-1:0] s_axis_tdata,
    input  wire [KEEP_WIDTH-1:0] s_axis_tkeep,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    input  wire                  s_axis_tlast,

    output wire [DATA_WIDTH-1:0] m_axis_tdata,
    output wire [KEEP_WIDTH-1:0] m_axis_tkeep,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  m_axis_tlast
);

localparam WIDTH = DATA_WIDTH + KEEP_WIDTH + 1;

reg [WIDTH-1:0] out_reg, skid_reg;
reg             out_valid_reg, skid_valid_reg;

wire [WIDTH-1:0] in = {s_axis_tlast, s_axis_tkeep, s_axis_tdata};

always @(posedge clk) begin
    if (rst) begin
        out_valid_reg <= 1'b0;
        skid_valid_reg <= 1'b0;
        out_reg <= {WIDTH{1'b0}};
        skid_reg <= {WIDTH{1'b0}};
    end else if (m_axis_tready || !out_valid_reg) begin
        // the output register is free: refill it, from the skid register first
        if (skid_valid_reg) begin
            out_reg <= skid_reg;
            out_valid_reg <= 1'b1;
            skid_valid_reg <= 1'b0;
        end else begin
            out_reg <= in;
            out_valid_reg <= s_axis_tvalid;
        end
    end else if (s_axis_tvalid && !skid_valid_reg) begin
        // the output is stalled: park the beat that was accepted this cycle
        skid_reg <= in;
        skid_valid_reg <= 1'b1;
    end
end

assign s_axis_tready = !skid_valid_reg;
assign {m_axis_tlast, m_axis_tkeep, m_axis_tdata} = out_reg;
assign m_axis_tvalid = out_valid_reg;

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSERT(m_axis_tvalid, m_axis_tready, out_reg)

    wire f_in = s_axis_tvalid && s_axis_tready;
    wire f_out = m_axis_tvalid && m_axis_tready;
    wire [1:0] f_level = {1'b0, out_valid_reg} + {1'b0, skid_valid_reg};
    always @* if (f_past_valid && skid_valid_reg) assert(out_valid_reg);

    // a beat picked at random leaves unchanged, after exactly the beats that entered before it
    (* anyseq *) reg f_pick;
    reg [1:0] f_state = 2'd0;               // 0 not picked yet, 1 inside, 2 gone out
    reg [WIDTH-1:0] f_beat;
    reg f_ahead;                            // the other beat inside leaves first
    always @(posedge clk) begin
        if (rst) begin
            f_state <= 2'd0;
        end else begin
            if (f_state == 2'd0 && f_in && f_pick) begin
                f_state <= 2'd1;
                f_beat <= in;
                f_ahead <= f_level == 2'd1 && !f_out;
            end
            if (f_state == 2'd1 && f_out) begin
                if (!f_ahead) f_state <= 2'd2;
                else f_ahead <= 1'b0;
            end
        end
    end
    always @* if (f_past_valid && f_state == 2'd1) begin
        if (f_ahead) assert(skid_valid_reg && skid_reg == f_beat);
        else assert(out_valid_reg && out_reg == f_beat);
    end
    always @* assert(f_state != 2'd3);
`endif
endmodule
`default_nettype wire
