// FIFO whose writes become visible only when committed: a frame's bytes are written as they arrive and its
// CRC decides at the end whether they stay (commit) or go (rollback). The read side is first-word
// fall-through over the committed entries: the RAM's registered read and an output register fetch ahead (as
// in bram_fifo), so the RAM's output drives only a register's data pin and no logic follows its
// clock-to-out; an entry is offered two cycles after it is committed, then one leaves per cycle.
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
    output reg  [WIDTH-1:0]  m_data,
    output reg               m_valid,
    input  wire              m_ready
);
localparam integer AW = $clog2(DEPTH);
reg [AW:0] wr_ptr, commit_ptr, rd_ptr;

assign full = wr_ptr - rd_ptr == DEPTH[AW:0];
assign free_committed = DEPTH[AW:0] - (commit_ptr - rd_ptr);

reg fetched;                              // the RAM's output holds an entry not yet moved on
wire [WIDTH-1:0] ram_data;
wire move = fetched && (!m_valid || m_ready);
wire fetch = rd_ptr != commit_ptr && (!fetched || move);

sdp_ram #(.WIDTH(WIDTH), .DEPTH(DEPTH)) ram (
    .clk(clk), .we(s_valid && !full), .waddr(wr_ptr[AW-1:0]), .wdata(s_data),
    .re(fetch), .raddr(rd_ptr[AW-1:0]), .rdata(ram_data)
);

always @(posedge clk) begin
    if (move) m_data <= ram_data;
    if (rst) begin
        wr_ptr <= '0;
        commit_ptr <= '0;
        rd_ptr <= '0;
        fetched <= 1'b0;
        m_valid <= 1'b0;
    end else begin
        if (rollback) wr_ptr <= commit_ptr;
        else begin
            if (s_valid && !full) wr_ptr <= wr_ptr + 1'b1;
            if (commit) commit_ptr <= s_valid && !full ? wr_ptr + 1'b1 : wr_ptr;
        end
        if (fetch) begin
            rd_ptr <= rd_ptr + 1'b1;
            fetched <= 1'b1;
        end else if (move) begin
            fetched <= 1'b0;
        end
        if (move) m_valid <= 1'b1;
        else if (m_ready) m_valid <= 1'b0;
    end
end
endmodule
`default_nettype wire
