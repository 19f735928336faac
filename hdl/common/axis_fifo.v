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

endmodule
`default_nettype wire
