// Order egress: sends the spans the gate lets through (accepted orders, passed-through messages) from the
// order ring, in the order they were pushed, each as one AXI-Stream frame packed from lane 0 (tlast on its
// last beat). One beat per cycle while the consumer takes them; the ring port holds its output otherwise.
`default_nettype none
module order_forwarder #(
    parameter integer DEPTH = 8             // spans waiting; a power of two
) (
    input  wire        clk,
    input  wire        rst,

    input  wire        push,
    input  wire [15:0] push_addr,           // global byte address of the span's first byte
    input  wire [12:0] push_length,         // 1..4096
    output wire [$clog2(DEPTH):0] waiting,  // spans queued or being sent
    output wire [15:0] head_addr,           // oldest byte still to send (while waiting != 0)

    output wire        rd_en,
    output wire [15:0] rd_addr,
    input  wire [63:0] rd_data,

    output wire [63:0] m_tdata,
    output wire [7:0]  m_tkeep,
    output wire        m_tvalid,
    input  wire        m_tready,
    output wire        m_tlast
);
    localparam integer AW = $clog2(DEPTH);

    reg [15:0] q_addr [0:DEPTH-1];
    reg [12:0] q_len [0:DEPTH-1];
    reg [AW:0] wr_q, rd_q;

    reg        active_q;                    // a span is being read
    reg [15:0] cur_addr_q;
    reg [12:0] left_q;                      // bytes of it not yet read
    reg        out_valid_q;                 // the ring port's output is a beat to send
    reg [3:0]  out_bytes_q;
    reg        out_last_q;

    wire queued = wr_q != rd_q;
    wire out_free = !out_valid_q || m_tready;
    wire issue = active_q && out_free;
    wire [3:0] issue_bytes = left_q > 13'd8 ? 4'd8 : left_q[3:0];
    wire issue_last = left_q <= 13'd8;

    assign waiting = (wr_q - rd_q) + {{AW{1'b0}}, active_q};
    assign head_addr = active_q ? cur_addr_q : q_addr[rd_q[AW-1:0]];
    assign rd_en = issue;
    assign rd_addr = cur_addr_q;
    assign m_tdata = rd_data;
    assign m_tkeep = out_bytes_q == 4'd8 ? 8'hFF : (8'd1 << out_bytes_q[2:0]) - 8'd1;
    assign m_tvalid = out_valid_q;
    assign m_tlast = out_last_q;

    always @(posedge clk) begin
        if (push) begin
            q_addr[wr_q[AW-1:0]] <= push_addr;
            q_len[wr_q[AW-1:0]] <= push_length;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            wr_q <= {AW+1{1'b0}};
            rd_q <= {AW+1{1'b0}};
            active_q <= 1'b0;
            cur_addr_q <= 16'd0;
            left_q <= 13'd0;
            out_valid_q <= 1'b0;
            out_bytes_q <= 4'd0;
            out_last_q <= 1'b0;
        end else begin
            if (push) wr_q <= wr_q + 1'b1;
            if (issue) begin
                out_valid_q <= 1'b1;
                out_bytes_q <= issue_bytes;
                out_last_q <= issue_last;
                cur_addr_q <= cur_addr_q + 16'd8;
                left_q <= left_q - {9'd0, issue_bytes};
                if (issue_last) active_q <= 1'b0;
            end else if (m_tready) begin
                out_valid_q <= 1'b0;
            end
            if ((!active_q || (issue && issue_last)) && queued) begin
                active_q <= 1'b1;
                cur_addr_q <= q_addr[rd_q[AW-1:0]];
                left_q <= q_len[rd_q[AW-1:0]];
                rd_q <= rd_q + 1'b1;
            end
        end
    end

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSERT(m_tvalid, m_tready, {m_tdata, m_tkeep, m_tlast})
    // the gate pushes only with room, spans of 1..4096 bytes; the ring port holds its output while not read and a
    // beat waits at the output
    always @* if (f_past_valid && push) assume(wr_q - rd_q != DEPTH[AW:0] && push_length != 13'd0 && push_length <= 13'd4096);
    always @(posedge clk) if (f_past_valid && $past(out_valid_q) && !$past(rd_en)) assume(rd_data == $past(rd_data));
    always @* if (f_past_valid) assert(wr_q - rd_q <= DEPTH[AW:0] && left_q <= 13'd4096);

`ifdef FORMAL_TOP_order_forwarder
    // Nothing but the pushed spans leaves: a byte address picked at random that no pushed span covers is
    // never read for the output. (Only where the forwarder is the proof's top: inside a larger design the
    // assumption that picks the address is not a contract of its neighbours.)
    (* anyconst *) reg [15:0] f_outside;
    function automatic f_covers(input [15:0] start, input [12:0] length);
        f_covers = f_outside - start < {3'd0, length};
    endfunction
    always @* if (f_past_valid && push) assume(!f_covers(push_addr, push_length));
    always @* if (f_past_valid && issue) assert(!f_covers(cur_addr_q, {9'd0, issue_bytes}));
    integer f_i;
    always @* if (f_past_valid) begin
        if (active_q) assert(!f_covers(cur_addr_q, left_q) && left_q != 13'd0);
        for (f_i = 0; f_i < DEPTH; f_i = f_i + 1)
            if ({1'b0, f_i[AW-1:0] - rd_q[AW-1:0]} < wr_q - rd_q)
                assert(!f_covers(q_addr[f_i], q_len[f_i]) && q_len[f_i] != 13'd0 && q_len[f_i] <= 13'd4096);
    end
`endif
    // every span ends with tlast on its last byte
    always @* if (f_past_valid && issue) assert(issue_last == (left_q <= 13'd8));
`endif
endmodule
`default_nettype wire
