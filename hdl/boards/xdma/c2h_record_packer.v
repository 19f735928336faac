// Card-to-host record packets: records (one per beat) leave on the XDMA C2H stream in packets that close
// (tlast) after `batch_records` records, or when the newest record has waited `idle_cycles` cycles with no
// record behind it, so a host read() returns promptly in a quiet market. The newest record is held back
// until the next one arrives or the idle time passes, because tlast has to ride on a record: the host
// sees a record when its packet closes either way, and no filler record is needed.
`default_nettype none
module c2h_record_packer #(
    parameter DATA_WIDTH = 512
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire [15:0]           batch_records,  // 0 counts as 1
    input  wire [15:0]           idle_cycles,

    input  wire [DATA_WIDTH-1:0] s_axis_tdata,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,

    output wire [DATA_WIDTH-1:0] m_axis_tdata,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  m_axis_tlast,

    output wire                  packet_done     // pulse: a packet closed
);

reg [DATA_WIDTH-1:0] held_reg;
reg                  held_valid_reg;
reg [15:0]           count_reg;        // records already sent in the open packet
reg [15:0]           idle_reg;         // cycles the held record has waited alone
reg [15:0]           batch_last_reg;   // count_reg at which the held record closes the packet
reg [DATA_WIDTH-1:0] out_data_reg;
reg                  out_valid_reg;
reg                  out_last_reg;
reg                  packet_done_reg;

wire out_free = !out_valid_reg || m_axis_tready;
wire batch_full = count_reg >= batch_last_reg;
wire idle_over = idle_reg >= idle_cycles;
wire send = held_valid_reg && out_free && (batch_full || s_axis_tvalid || idle_over);
wire send_last = batch_full || !s_axis_tvalid;

assign s_axis_tready = !held_valid_reg || send;
assign m_axis_tdata = out_data_reg;
assign m_axis_tvalid = out_valid_reg;
assign m_axis_tlast = out_last_reg;
assign packet_done = packet_done_reg;

always @(posedge clk) begin
    if (rst) begin
        held_reg <= {DATA_WIDTH{1'b0}};
        held_valid_reg <= 1'b0;
        count_reg <= 16'd0;
        idle_reg <= 16'd0;
        batch_last_reg <= 16'd0;
        out_data_reg <= {DATA_WIDTH{1'b0}};
        out_valid_reg <= 1'b0;
        out_last_reg <= 1'b0;
        packet_done_reg <= 1'b0;
    end else begin
        batch_last_reg <= batch_records == 16'd0 ? 16'd0 : batch_records - 16'd1;
        packet_done_reg <= 1'b0;
        if (m_axis_tready) out_valid_reg <= 1'b0;

        if (send) begin
            out_data_reg <= held_reg;
            out_valid_reg <= 1'b1;
            out_last_reg <= send_last;
            packet_done_reg <= send_last;
            count_reg <= send_last ? 16'd0 : count_reg + 16'd1;
        end

        if (s_axis_tvalid && s_axis_tready) begin
            held_reg <= s_axis_tdata;
            held_valid_reg <= 1'b1;
            idle_reg <= 16'd0;
        end else if (send) begin
            held_valid_reg <= 1'b0;
        end else if (held_valid_reg && !idle_over) begin
            idle_reg <= idle_reg + 16'd1;
        end
    end
end

endmodule
`default_nettype wire
