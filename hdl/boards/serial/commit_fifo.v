// FIFO whose writes become visible only when committed: a frame's bytes are written as they arrive and its
// CRC decides at the end whether they stay (commit) or go (rollback). The read side is first-word
// fall-through over the committed entries: the RAM's registered read and an output register fetch ahead
// (hdl/common/ram_fetch_ahead.v, as in bram_fifo), so the RAM's output drives only a register's data pin and
// no logic follows its clock-to-out; an entry is offered two cycles after it is committed, then one leaves
// per cycle.
`default_nettype none
module commit_fifo #(
    parameter integer WIDTH = 12,
    parameter integer DEPTH = 2048            // a power of two
) (
    input  wire              clk,
    input  wire              rst,
    input  wire [WIDTH-1:0]  s_data,
    input  wire              s_valid,         // ignored while full
    output wire              full,
    input  wire              commit,          // the entries written since the last commit or rollback stay
    input  wire              rollback,        // ... or are forgotten
    output wire [AW:0]       free_committed,  // entries free once uncommitted ones are forgotten
    output wire [WIDTH-1:0]  m_data,
    output wire              m_valid,
    input  wire              m_ready
);
localparam integer AW = $clog2(DEPTH);
reg [AW:0] wr_ptr, commit_ptr, rd_ptr;

assign full = wr_ptr - rd_ptr == DEPTH[AW:0];
assign free_committed = DEPTH[AW:0] - (commit_ptr - rd_ptr);

wire fetch;
/* verilator lint_off UNUSEDSIGNAL */
wire fetched;                             // the RAM's output holds an entry not yet moved on (read by the proof)
/* verilator lint_on UNUSEDSIGNAL */
wire [WIDTH-1:0] ram_data;

sdp_ram #(.WIDTH(WIDTH), .DEPTH(DEPTH)) ram (
    .clk(clk), .we(s_valid && !full), .waddr(wr_ptr[AW-1:0]), .wdata(s_data),
    .re(fetch), .raddr(rd_ptr[AW-1:0]), .rdata(ram_data)
);

// only committed entries are fetched: a rollback never has to take one back
ram_fetch_ahead #(.WIDTH(WIDTH)) read_stages (.clk(clk), .rst(rst),
    .available(rd_ptr != commit_ptr), .fetch(fetch), .ram_data(ram_data),
    .m_data(m_data), .m_valid(m_valid), .m_ready(m_ready), .fetched(fetched));

always @(posedge clk) begin
    if (rst) begin
        wr_ptr <= '0;
        commit_ptr <= '0;
        rd_ptr <= '0;
    end else begin
        if (rollback) wr_ptr <= commit_ptr;
        else begin
            if (s_valid && !full) wr_ptr <= wr_ptr + 1'b1;
            if (commit) commit_ptr <= s_valid && !full ? wr_ptr + 1'b1 : wr_ptr;
        end
        if (fetch) rd_ptr <= rd_ptr + 1'b1;
    end
end

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSERT(m_valid, m_ready, m_data)

    // the pointers keep their order: read <= committed <= written, within DEPTH of the read one
    always @* if (f_past_valid && !rst) begin
        assert(commit_ptr - rd_ptr <= wr_ptr - rd_ptr);
        assert(wr_ptr - rd_ptr <= DEPTH[AW:0]);
    end

    // One entry, picked at random when written, leaves unchanged and after exactly the committed entries
    // written before it, unless a rollback forgets it first: nothing committed is lost, duplicated, reordered
    // or changed, and nothing rolled back gets out before it is written again.
    (* anyseq *) reg f_pick;
    reg [1:0]       f_state = 2'd0;          // 0 not picked, 1 inside, 2 gone out or forgotten
    reg [WIDTH-1:0] f_data;
    reg [AW+1:0]    f_ahead;                 // entries that leave before it
    reg [AW:0]      f_at;                    // its write pointer
    wire [AW+1:0]   f_out_level = {1'b0, wr_ptr - rd_ptr} + {{(AW+1){1'b0}}, fetched} + {{(AW+1){1'b0}}, m_valid};
    wire            f_out = m_valid && m_ready;
    always @(posedge clk) begin
        if (rst) begin
            f_state <= 2'd0;
        end else begin
            if (f_state == 2'd0 && s_valid && !full && !rollback && f_pick) begin
                f_state <= 2'd1;
                f_data <= s_data;
                f_at <= wr_ptr;
                f_ahead <= f_out_level - {{(AW+1){1'b0}}, f_out};
            end
            if (f_state == 2'd1) begin
                if (rollback && f_at - rd_ptr >= commit_ptr - rd_ptr) f_state <= 2'd2;
                else if (f_out) begin
                    if (f_ahead == 0) f_state <= 2'd2;
                    else f_ahead <= f_ahead - 1'b1;
                end
            end
        end
    end
    always @* if (f_past_valid && !rst && f_state == 2'd1 && f_ahead == 0 && m_valid) assert(m_data == f_data);
`endif
endmodule
`default_nettype wire
