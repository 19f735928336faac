// Synchronous first-word fall-through FIFO over block RAM (hdl/common/sdp_ram.v): the RAM's registered read
// and one output register make two stages that fetch ahead (hdl/common/ram_fetch_ahead.v), so a word written
// in cycle t is offered in cycle t+3, and then one word leaves per cycle. It holds DEPTH words in the RAM plus two in the stages; `settled`
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

wire [WIDTH-1:0] ram_data;
// empty and full are registers, set from the pointers' next values: no pointer compare on the paths that
// read them (a writer's s_ready, the fetch). The pointers one ahead are kept beside the pointers for that.
reg ram_empty, ram_full;
reg [AW:0] wr_ptr_inc_reg, rd_ptr_inc_reg;
wire write = s_valid && !ram_full;
wire fetch;
wire fetched;                       // the RAM's output holds a word not yet moved on

sdp_ram #(.WIDTH(WIDTH), .DEPTH(DEPTH)) ram (.clk(clk),
    .we(write), .waddr(wr_ptr_reg[AW-1:0]), .wdata(s_data),
    .re(fetch), .raddr(rd_ptr_reg[AW-1:0]), .rdata(ram_data));

ram_fetch_ahead #(.WIDTH(WIDTH)) read_stages (.clk(clk), .rst(rst),
    .available(!ram_empty), .fetch(fetch), .ram_data(ram_data),
    .m_data(m_data), .m_valid(m_valid), .m_ready(m_ready), .fetched(fetched));

assign s_ready = !ram_full;
assign settled = fetched && m_valid;

always @(posedge clk) begin
    if (write) begin
        wr_ptr_reg <= wr_ptr_inc_reg;
        wr_ptr_inc_reg <= wr_ptr_inc_reg + 1'b1;
    end
    if (fetch) begin
        rd_ptr_reg <= rd_ptr_inc_reg;
        rd_ptr_inc_reg <= rd_ptr_inc_reg + 1'b1;
    end
    // one pointer moves: the RAM may become full (a write) or empty (a fetch), and stops being the other
    if (write && !fetch) begin
        ram_full <= wr_ptr_inc_reg == {~rd_ptr_reg[AW], rd_ptr_reg[AW-1:0]};
        ram_empty <= 1'b0;
    end else if (fetch && !write) begin
        ram_empty <= rd_ptr_inc_reg == wr_ptr_reg;
        ram_full <= 1'b0;
    end
    if (rst) begin
        wr_ptr_reg <= {(AW+1){1'b0}};
        rd_ptr_reg <= {(AW+1){1'b0}};
        wr_ptr_inc_reg <= {{AW{1'b0}}, 1'b1};
        rd_ptr_inc_reg <= {{AW{1'b0}}, 1'b1};
        ram_empty <= 1'b1;
        ram_full <= 1'b0;
    end
end

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    `TG_AXIS_SOURCE_ASSERT(m_valid, m_ready, m_data)

    // words inside: in the RAM and in the two stages
    wire [AW+1:0] f_level = {1'b0, wr_ptr_reg - rd_ptr_reg} + {{(AW+1){1'b0}}, fetched} + {{(AW+1){1'b0}}, m_valid};
    wire f_in = s_valid && s_ready;
    wire f_out = m_valid && m_ready;
    always @* if (f_past_valid) assert(f_level <= DEPTH + 2);
    always @* if (f_past_valid && ram_full) assert(!ram_empty);
    // the registered flags and pointers are what the pointers say
    always @* if (f_past_valid) begin
        assert(ram_empty == (wr_ptr_reg == rd_ptr_reg));
        assert(ram_full == (wr_ptr_reg == {~rd_ptr_reg[AW], rd_ptr_reg[AW-1:0]}));
        assert(wr_ptr_inc_reg == wr_ptr_reg + 1'b1);
        assert(rd_ptr_inc_reg == rd_ptr_reg + 1'b1);
    end

    // One word, picked at random, leaves unchanged and after exactly the words that went in before it: none is
    // lost, duplicated, reordered or invented (bounded: the word's way through the RAM's registered read is
    // what is checked, for as many cycles as the proof's depth).
    (* anyseq *) reg f_pick;
    reg [1:0]       f_state = 2'd0;          // 0 not picked yet, 1 inside, 2 gone out
    reg [WIDTH-1:0] f_data;
    reg [AW+1:0]    f_ahead;                 // words inside that leave before it
    always @(posedge clk) begin
        if (rst) begin
            f_state <= 2'd0;
        end else begin
            if (f_state == 2'd0 && f_in && f_pick) begin
                f_state <= 2'd1;
                f_data <= s_data;
                f_ahead <= f_level - {{(AW+1){1'b0}}, f_out};
            end
            if (f_state == 2'd1 && f_out) begin
                if (f_ahead == 0) f_state <= 2'd2;
                else f_ahead <= f_ahead - 1'b1;
            end
        end
    end
    always @* if (f_past_valid && f_state == 2'd1) assert(f_ahead < f_level);
    always @* if (f_past_valid && f_state == 2'd1 && f_ahead == 0 && m_valid) assert(m_data == f_data);
`endif
endmodule
`default_nettype wire
