// Synchronous first-word fall-through FIFO over block RAM (hdl/common/sdp_ram.v): the RAM's registered read
// and one output register make two stages that fetch ahead, so a word written in cycle t is offered in cycle
// t+3, and then one word leaves per cycle. It holds DEPTH words in the RAM plus two in the stages; `settled`
// says both stages are full (after the reader has stopped taking words, within two cycles if the RAM holds
// any), which is when a full RAM means DEPTH + 2 words inside.
`default_nettype none
module bram_fifo #(
    parameter integer WIDTH = 64,
    parameter integer DEPTH = 1024   // a power of two
) (
    input  wire             clk,
    input  wire             rst,

    input  wire [WIDTH-1:0] s_data,
    input  wire             s_valid,
    output wire             s_ready,

    output wire [WIDTH-1:0] m_data,
    output wire             m_valid,
    input  wire             m_ready,

    output wire             settled
);

localparam integer AW = $clog2(DEPTH);

reg [AW:0] wr_ptr_reg, rd_ptr_reg;
reg        fetched_reg;             // the RAM's output holds a word not yet moved on
reg        out_valid_reg;
reg [WIDTH-1:0] out_data_reg;

wire [WIDTH-1:0] ram_data;
wire ram_empty = wr_ptr_reg == rd_ptr_reg;
wire ram_full = wr_ptr_reg == {~rd_ptr_reg[AW], rd_ptr_reg[AW-1:0]};
wire write = s_valid && !ram_full;
wire pop = out_valid_reg && m_ready;
wire move = fetched_reg && (!out_valid_reg || pop);
wire fetch = !ram_empty && (!fetched_reg || move);

sdp_ram #(.WIDTH(WIDTH), .DEPTH(DEPTH)) ram (.clk(clk),
    .we(write), .waddr(wr_ptr_reg[AW-1:0]), .wdata(s_data),
    .re(fetch), .raddr(rd_ptr_reg[AW-1:0]), .rdata(ram_data));

assign s_ready = !ram_full;
assign m_valid = out_valid_reg;
assign m_data = out_data_reg;
assign settled = fetched_reg && out_valid_reg;

always @(posedge clk) begin
    if (write) wr_ptr_reg <= wr_ptr_reg + 1'b1;
    if (fetch) rd_ptr_reg <= rd_ptr_reg + 1'b1;
    if (fetch) fetched_reg <= 1'b1;
    else if (move) fetched_reg <= 1'b0;
    if (move) out_data_reg <= ram_data;
    if (move) out_valid_reg <= 1'b1;
    else if (pop) out_valid_reg <= 1'b0;
    if (rst) begin
        wr_ptr_reg <= {(AW+1){1'b0}};
        rd_ptr_reg <= {(AW+1){1'b0}};
        fetched_reg <= 1'b0;
        out_valid_reg <= 1'b0;
    end
end
endmodule
`default_nettype wire
