// Asynchronous AXI-Stream FIFO: the write side on s_clk, the read side on m_clk, clocks unrelated.
// Each side counts in binary and publishes its pointer in Gray code from a register; the other side
// takes it through SYNC_STAGES flip-flops (ASYNC_REG), so at most one bit of a crossing pointer is in
// flight and a stale value only makes the FIFO look fuller (write side) or emptier (read side) than it
// is, never the reverse. The storage is written on s_clk and read on m_clk once the read side has seen
// the write pointer pass the entry, so the entry has been stable for SYNC_STAGES read cycles; the board
// constraints bound that path (and the pointer crossings) with set_max_delay -datapath_only. The read side
// moves the entry into an output register, so the storage's read ends there (one cycle more latency).
//
// Reset: s_rst and m_rst are synchronous to their own clocks and must overlap (both sides in reset at
// some instant), as a reset_sync per domain from one source gives. While only one side has entered reset,
// the other may see a pointer jump; whatever it does then is wiped when its own reset arrives.
`default_nettype none
module axis_async_fifo #(
    parameter DATA_WIDTH = 8,
    parameter DEPTH = 16,        // a power of two, at least 4
    parameter SYNC_STAGES = 2
) (
    input  wire                  s_clk,
    input  wire                  s_rst,
    input  wire [DATA_WIDTH-1:0] s_axis_tdata,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,

    input  wire                  m_clk,
    input  wire                  m_rst,
    output wire [DATA_WIDTH-1:0] m_axis_tdata,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready
);

localparam ADDR_WIDTH = $clog2(DEPTH);
localparam PTR_WIDTH = ADDR_WIDTH + 1;

function [PTR_WIDTH-1:0] to_gray(input [PTR_WIDTH-1:0] b);
    to_gray = b ^ (b >> 1);
endfunction

reg [DATA_WIDTH-1:0] mem [0:DEPTH-1];

// ---- write side (s_clk) ------------------------------------------------------------------------------
reg [PTR_WIDTH-1:0] wr_bin_reg;
reg [PTR_WIDTH-1:0] wr_gray_reg;   // published to the read side
(* ASYNC_REG = "TRUE" *) reg [SYNC_STAGES*PTR_WIDTH-1:0] rd_gray_sync_reg;  // stage k at [k*PTR_WIDTH +: PTR_WIDTH]

wire [PTR_WIDTH-1:0] rd_gray_seen = rd_gray_sync_reg[(SYNC_STAGES-1)*PTR_WIDTH +: PTR_WIDTH];
// full: the write pointer is one lap ahead of the read pointer (Gray form: top two bits inverted). A
// register, so no compare follows it to s_axis_tready: set from the write pointer's next value and the read
// pointer seen now, i.e. a cycle older than the one it is used with, which only makes the FIFO look full a
// cycle longer (the write pointer never passes the older read pointer by more than DEPTH).
reg full;
wire write = s_axis_tvalid && !full;
wire [PTR_WIDTH-1:0] wr_bin_next = wr_bin_reg + {{PTR_WIDTH-1{1'b0}}, write};
wire [PTR_WIDTH-1:0] wr_gray_next = to_gray(wr_bin_next);

assign s_axis_tready = !full;

always @(posedge s_clk) begin
    if (write) mem[wr_bin_reg[ADDR_WIDTH-1:0]] <= s_axis_tdata;
end

always @(posedge s_clk) begin
    if (s_rst) begin
        wr_bin_reg <= {PTR_WIDTH{1'b0}};
        wr_gray_reg <= {PTR_WIDTH{1'b0}};
        rd_gray_sync_reg <= {SYNC_STAGES*PTR_WIDTH{1'b0}};
        full <= 1'b0;
    end else begin
        wr_bin_reg <= wr_bin_next;
        wr_gray_reg <= wr_gray_next;
        full <= wr_gray_next == {~rd_gray_seen[PTR_WIDTH-1:PTR_WIDTH-2], rd_gray_seen[PTR_WIDTH-3:0]};
        rd_gray_sync_reg <= {rd_gray_sync_reg[(SYNC_STAGES-1)*PTR_WIDTH-1:0], rd_gray_reg};
    end
end

// ---- read side (m_clk) -------------------------------------------------------------------------------
reg [PTR_WIDTH-1:0] rd_bin_reg;
reg [PTR_WIDTH-1:0] rd_gray_reg;   // published to the write side
(* ASYNC_REG = "TRUE" *) reg [SYNC_STAGES*PTR_WIDTH-1:0] wr_gray_sync_reg;

wire empty = rd_gray_reg == wr_gray_sync_reg[(SYNC_STAGES-1)*PTR_WIDTH +: PTR_WIDTH];
// output register: an entry is moved out of the storage into it as soon as it is free or being taken, so
// the storage's read (a LUT RAM read, clocked on the other side) ends at this register and no consumer's
// logic sits behind it
reg [DATA_WIDTH-1:0] out_data_reg;
reg                  out_valid_reg;
wire read = !empty && (!out_valid_reg || m_axis_tready);
wire [PTR_WIDTH-1:0] rd_bin_next = rd_bin_reg + {{PTR_WIDTH-1{1'b0}}, read};

assign m_axis_tvalid = out_valid_reg;
assign m_axis_tdata = out_data_reg;

always @(posedge m_clk) begin
    if (m_rst) begin
        rd_bin_reg <= {PTR_WIDTH{1'b0}};
        rd_gray_reg <= {PTR_WIDTH{1'b0}};
        wr_gray_sync_reg <= {SYNC_STAGES*PTR_WIDTH{1'b0}};
        out_data_reg <= {DATA_WIDTH{1'b0}};
        out_valid_reg <= 1'b0;
    end else begin
        rd_bin_reg <= rd_bin_next;
        rd_gray_reg <= to_gray(rd_bin_next);
        wr_gray_sync_reg <= {wr_gray_sync_reg[(SYNC_STAGES-1)*PTR_WIDTH-1:0], wr_gray_reg};
        if (read) begin
            out_data_reg <= mem[rd_bin_reg[ADDR_WIDTH-1:0]];
            out_valid_reg <= 1'b1;
        end else if (m_axis_tready) begin
            out_valid_reg <= 1'b0;
        end
    end
end

endmodule
`default_nettype wire
