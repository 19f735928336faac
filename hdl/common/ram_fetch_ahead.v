// The read side of a FIFO over a block RAM with a registered read (hdl/common/sdp_ram.v): the RAM's output
// register and one output register make two stages that fetch ahead, so the RAM's output drives only a
// register's data pin and no logic follows its clock-to-out. The owner keeps the pointers: it reads the RAM
// at its read pointer and moves that pointer on whenever `fetch` is high. A word the RAM holds is offered two
// cycles after `available` rises; then one word leaves per cycle. Used by bram_fifo (the arbiter's packet
// queues) and commit_fifo (the serial link's ingress).
`default_nettype none
module ram_fetch_ahead #(
    parameter integer WIDTH = 64
) (
    input  wire             clk,
    input  wire             rst,

    input  wire             available,  // the RAM holds a word at the read pointer
    output wire             fetch,      // read it now (the RAM's re) and move the read pointer on
    input  wire [WIDTH-1:0] ram_data,   // the RAM's output, a cycle after a fetch

    output wire [WIDTH-1:0] m_data,
    output wire             m_valid,
    input  wire             m_ready,

    output wire             fetched     // the RAM's output holds a word not yet moved on
);

reg             fetched_reg;
reg             out_valid_reg;
reg [WIDTH-1:0] out_data_reg;

wire move = fetched_reg && (!out_valid_reg || m_ready);
assign fetch = available && (!fetched_reg || move);

assign m_data = out_data_reg;
assign m_valid = out_valid_reg;
assign fetched = fetched_reg;

always @(posedge clk) begin
    if (fetch) fetched_reg <= 1'b1;
    else if (move) fetched_reg <= 1'b0;
    if (move) out_data_reg <= ram_data;
    if (move) out_valid_reg <= 1'b1;
    else if (m_ready) out_valid_reg <= 1'b0;
    if (rst) begin
        fetched_reg <= 1'b0;
        out_valid_reg <= 1'b0;
    end
end

endmodule
`default_nettype wire
