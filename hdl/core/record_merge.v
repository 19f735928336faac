// The event egress: the records of the three paths (FIX parser, feed, risk gate) merged round robin into one
// FIFO, each stamped with its sequence number (the count of records before it, from reset) on the way in.
`default_nettype none
`include "tickgate_layout.vh"
module record_merge #(
    parameter integer FIFO_DEPTH = 16,
    // the record layout (narrower in the formal proof, which does not depend on the width)
    parameter integer REC_BITS = `TG_REC_BITS,
    parameter integer SEQ_LSB = `TG_REC_SEQ_LSB   // where the 32-bit sequence number goes
) (
    input  wire                      clk,
    input  wire                      rst,

    input  wire [REC_BITS-1:0]   fix_tdata,
    input  wire                      fix_tvalid,
    output wire                      fix_tready,

    input  wire [REC_BITS-1:0]   feed_tdata,
    input  wire                      feed_tvalid,
    output wire                      feed_tready,

    input  wire [REC_BITS-1:0]   risk_tdata,
    input  wire                      risk_tvalid,
    output wire                      risk_tready,

    output wire [REC_BITS-1:0]   m_tdata,
    output wire                      m_tvalid,
    input  wire                      m_tready
);
    reg  [31:0] record_seq_reg;
    wire [31:0] record_seq_next;
    wire        unused_seq_carry;   // the number wraps
    carry_select_add #(.WIDTH(32)) seq_adder (.a(record_seq_reg), .b(1'b1), .sum(record_seq_next), .carry(unused_seq_carry));
    reg  [1:0]  last_grant;                 // 0 FIX parser, 1 feed, 2 risk gate
    wire        fifo_tready;
    wire [2:0]  requests = {risk_tvalid, feed_tvalid, fix_tvalid};
    reg  [1:0]  grant;
    always @* begin
        // the first requester after the last one granted
        case (last_grant)
            2'd0: grant = requests[1] ? 2'd1 : requests[2] ? 2'd2 : 2'd0;
            2'd1: grant = requests[2] ? 2'd2 : requests[0] ? 2'd0 : 2'd1;
            default: grant = requests[0] ? 2'd0 : requests[1] ? 2'd1 : 2'd2;
        endcase
    end
    wire [REC_BITS-1:0] merged_tdata = grant == 2'd0 ? fix_tdata : grant == 2'd1 ? feed_tdata : risk_tdata;
    wire        merged_tvalid = |requests;
    wire        merged_fire = merged_tvalid && fifo_tready;
    wire [31:0] unused_merged_seq = merged_tdata[SEQ_LSB +: 32];
    wire [REC_BITS-1:0] sequenced_tdata = {
        merged_tdata[REC_BITS-1:SEQ_LSB+32],
        record_seq_reg,
        merged_tdata[SEQ_LSB-1:0]
    };

    assign fix_tready = fifo_tready && grant == 2'd0;
    assign feed_tready = fifo_tready && grant == 2'd1;
    assign risk_tready = fifo_tready && grant == 2'd2;

    always @(posedge clk) begin
        if (rst) begin
            record_seq_reg <= 32'd0;
            last_grant <= 2'd0;
        end else if (merged_fire) begin
            record_seq_reg <= record_seq_next;
            last_grant <= grant;
        end
    end

    axis_fifo #(
        .DATA_WIDTH(REC_BITS),
        .DEPTH(FIFO_DEPTH)
    ) fifo_inst (
        .clk(clk),
        .rst(rst),
        .s_axis_tdata(sequenced_tdata),
        .s_axis_tvalid(merged_tvalid),
        .s_axis_tready(fifo_tready),
        .m_axis_tdata(m_tdata),
        .m_axis_tvalid(m_tvalid),
        .m_axis_tready(m_tready)
    );

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSUME(fix_tvalid, fix_tready, fix_tdata)
    `TG_AXIS_SOURCE_ASSUME(feed_tvalid, feed_tready, feed_tdata)
    `TG_AXIS_SOURCE_ASSUME(risk_tvalid, risk_tready, risk_tdata)
    `TG_AXIS_SOURCE_ASSERT(m_tvalid, m_tready, m_tdata)

    // The FIFO takes a record exactly when one of the three paths hands one over, that record, stamped with
    // the number of records before it: none is invented, lost, taken twice or numbered out of turn. (The
    // FIFO's own properties carry every record it takes to the output unchanged and in order.)
    wire       f_fix_fire = fix_tvalid && fix_tready;
    wire       f_feed_fire = feed_tvalid && feed_tready;
    wire       f_risk_fire = risk_tvalid && risk_tready;
    wire [1:0] f_fires = {1'b0, f_fix_fire} + {1'b0, f_feed_fire} + {1'b0, f_risk_fire};
    reg [31:0] f_records = 32'd0;
    always @(posedge clk) if (rst) f_records <= 32'd0; else f_records <= f_records + {30'd0, f_fires};
    always @* if (f_past_valid) begin
        assert(f_fires == {1'b0, merged_fire});
        if (merged_tvalid && fifo_tready) assert(merged_fire);
        if (f_fix_fire) assert(merged_tdata == fix_tdata);
        if (f_feed_fire) assert(merged_tdata == feed_tdata);
        if (f_risk_fire) assert(merged_tdata == risk_tdata);
        assert(record_seq_reg == f_records);
    end
    // no path waits forever: a path offering a record gets the next turn after at most the other two
    reg [1:0] f_waited [0:2];
    integer f_p;
    always @(posedge clk) for (f_p = 0; f_p < 3; f_p = f_p + 1)
        if (rst || !requests[f_p] || (fifo_tready && grant == f_p[1:0])) f_waited[f_p] <= 2'd0;
        else if (merged_fire) f_waited[f_p] <= f_waited[f_p] + 2'd1;
    always @* if (f_past_valid) begin
        assert(last_grant != 2'd3);
        for (f_p = 0; f_p < 3; f_p = f_p + 1) begin
            assert(f_waited[f_p] <= 2'd2);
            // (what makes it inductive: a waiting path was not the last served, and after two turns the
            // last served is the one just before it)
            if (f_waited[f_p] != 2'd0) assert(last_grant != f_p[1:0]);
            if (f_waited[f_p] == 2'd2) assert(last_grant == (f_p == 0 ? 2'd2 : f_p[1:0] - 2'd1));
        end
    end
`endif
endmodule
`default_nettype wire
