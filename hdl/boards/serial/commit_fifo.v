// FIFO whose writes become visible only when committed: a frame's bytes are written as they arrive and its
// CRC decides at the end whether they stay (commit) or go (rollback). The read side is first-word
// fall-through over the committed entries.
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
    output reg               m_valid,
    input  wire              m_ready
);
localparam integer AW = $clog2(DEPTH);
reg [AW:0] wr_ptr, commit_ptr, rd_ptr;

assign full = wr_ptr - rd_ptr == DEPTH[AW:0];
assign free_committed = DEPTH[AW:0] - (commit_ptr - rd_ptr);

wire re = rd_ptr != commit_ptr && (!m_valid || m_ready);

sdp_ram #(.WIDTH(WIDTH), .DEPTH(DEPTH)) ram (
    .clk(clk), .we(s_valid && !full), .waddr(wr_ptr[AW-1:0]), .wdata(s_data),
    .re(re), .raddr(rd_ptr[AW-1:0]), .rdata(m_data)
);

always @(posedge clk) begin
    if (rst) begin
        wr_ptr <= '0;
        commit_ptr <= '0;
        rd_ptr <= '0;
        m_valid <= 1'b0;
    end else begin
        if (rollback) wr_ptr <= commit_ptr;
        else begin
            if (s_valid && !full) wr_ptr <= wr_ptr + 1'b1;
            if (commit) commit_ptr <= s_valid && !full ? wr_ptr + 1'b1 : wr_ptr;
        end
        if (re) begin
            rd_ptr <= rd_ptr + 1'b1;
            m_valid <= 1'b1;
        end else if (m_ready) begin
            m_valid <= 1'b0;
        end
    end
end
endmodule
`default_nettype wire
