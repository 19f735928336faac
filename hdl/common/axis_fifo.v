// Synchronous AXI-Stream FIFO (first-word fall-through). A record written in cycle t is offered on the
// output in cycle t+1. Storage is a plain array so synthesis infers LUT RAM or block RAM.
`default_nettype none
module axis_fifo #(
    parameter DATA_WIDTH = 8,
    parameter DEPTH = 16  // a power of two
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire [DATA_WIDTH-1:0] s_axis_tdata,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,

    output wire [DATA_WIDTH-1:0] m_axis_tdata,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready
);

localparam ADDR_WIDTH = $clog2(DEPTH);

reg [DATA_WIDTH-1:0] mem [0:DEPTH-1];
reg [ADDR_WIDTH:0] wr_ptr_reg;
reg [ADDR_WIDTH:0] rd_ptr_reg;

wire empty = wr_ptr_reg == rd_ptr_reg;
wire full = (wr_ptr_reg[ADDR_WIDTH] != rd_ptr_reg[ADDR_WIDTH]) &&
            (wr_ptr_reg[ADDR_WIDTH-1:0] == rd_ptr_reg[ADDR_WIDTH-1:0]);

assign s_axis_tready = !full;
assign m_axis_tvalid = !empty;
assign m_axis_tdata = mem[rd_ptr_reg[ADDR_WIDTH-1:0]];

always @(posedge clk) begin
    if (s_axis_tvalid && !full) begin
        mem[wr_ptr_reg[ADDR_WIDTH-1:0]] <= s_axis_tdata;
    end
end

always @(posedge clk) begin
    if (rst) begin
        wr_ptr_reg <= {ADDR_WIDTH+1{1'b0}};
        rd_ptr_reg <= {ADDR_WIDTH+1{1'b0}};
    end else begin
        if (s_axis_tvalid && !full) wr_ptr_reg <= wr_ptr_reg + 1'b1;
        if (m_axis_tready && !empty) rd_ptr_reg <= rd_ptr_reg + 1'b1;
    end
end

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSERT(m_axis_tvalid, m_axis_tready, m_axis_tdata)

    wire [ADDR_WIDTH:0] f_level = wr_ptr_reg - rd_ptr_reg;
    wire f_in = s_axis_tvalid && s_axis_tready;
    wire f_out = m_axis_tvalid && m_axis_tready;
    always @* if (f_past_valid) assert(f_level <= DEPTH);

    // One beat, picked at random, goes out unchanged and after exactly the beats that went in before it:
    // no beat is lost, duplicated, reordered or invented.
    (* anyseq *) reg f_pick;
    reg [1:0] f_state = 2'd0;               // 0 not picked yet, 1 inside, 2 gone out
    reg [DATA_WIDTH-1:0] f_data;
    reg [ADDR_WIDTH:0] f_ahead;             // beats inside that leave before it
    always @(posedge clk) begin
        if (rst) begin
            f_state <= 2'd0;
        end else begin
            if (f_state == 2'd0 && f_in && f_pick) begin
                f_state <= 2'd1;
                f_data <= s_axis_tdata;
                f_ahead <= f_level - {{ADDR_WIDTH{1'b0}}, f_out};
            end
            if (f_state == 2'd1 && f_out) begin
                if (f_ahead == 0) f_state <= 2'd2;
                else f_ahead <= f_ahead - 1'b1;
            end
        end
    end
    always @* if (f_past_valid && f_state == 2'd1) begin
        assert(f_ahead < f_level);
        assert(mem[rd_ptr_reg[ADDR_WIDTH-1:0] + f_ahead[ADDR_WIDTH-1:0]] == f_data);
    end
    always @* if (f_past_valid && f_state == 2'd1 && f_ahead == 0 && m_axis_tvalid) assert(m_axis_tdata == f_data);
    always @* assert(f_state != 2'd3);
`endif
endmodule
`default_nettype wire
