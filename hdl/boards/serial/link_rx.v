// Host frames off the decoded SLIP byte stream: header, CRC, then what the frame asks for. Data frames in
// sequence go into the ingress FIFO as they arrive (four bytes behind, so the CRC never enters it) and are
// committed at the frame's end when the CRC holds, or rolled back. Everything else is decided at the end:
// a register request starts the bus master, a sync resets the link, an ack moves the sender's window.
// Sequenced frames are applied once, in order: a duplicate is acknowledged again, a frame after a lost one
// is dropped (the host resends from the acknowledged one), and every outcome has its counter.
`default_nettype none
`include "tickgate_layout.vh"
module link_rx (
    input  wire        clk,
    input  wire        rst,
    input  wire [7:0]  s_data,
    input  wire        s_valid,
    input  wire        s_end,
    input  wire        s_bad,

    output reg  [11:0] fifo_entry,         // {marker, end, stream[1:0], byte}
    output reg         fifo_write,
    input  wire        fifo_full,
    output reg         fifo_commit,
    output reg         fifo_rollback,

    output reg  [7:0]  expected,           // next host sequence number taken
    output reg         ack_valid,          // a good frame carried the host's ack
    output reg  [7:0]  ack_seq,
    output reg         ack_rewind,
    output reg         ack_due,            // tell the host what was taken (and the window)
    output reg         sync,               // reset the link and the core; nonce echoed
    output reg  [7:0]  sync_nonce,
    output reg         stats_due,

    output reg         reg_start,          // a register request in sequence (the master is idle)
    output reg         reg_write,
    output reg  [`TG_CSR_ADDR_BITS-1:0] reg_addr,
    output reg  [31:0] reg_wdata,
    output reg  [7:0]  reg_seq,
    input  wire        reg_busy,
    output reg         reg_resend,         // the last request came again: send its response again

    output reg         count_frames,
    output reg         count_crc_errors,
    output reg         count_bad_frames,
    output reg         count_duplicates,
    output reg         count_out_of_order,
    output reg         count_overflows
);
localparam integer HB = `TG_SL_HEADER_BYTES;
localparam integer CB = `TG_SL_CRC_BYTES;

reg [11:0] length;          // bytes so far (saturates)
reg [31:0] crc;
wire [31:0] crc_next;
crc32_bzip2 crc_step (.crc(crc), .data(s_data), .next(crc_next));
reg        crc_good;        // crc is the residue of a good frame, kept with crc so no compare follows it
reg [7:0]  type_r, seq_r, ack_r;
reg [1:0]  flags_r;         // END and FLUSH of a data frame, REWIND of an ack
reg [7:0]  d1, d2, d3, d4;  // the four latest bytes: a frame's last four are its CRC
reg        take;            // a data frame in sequence: its payload goes into the FIFO
reg        overflow;
reg [47:0] params;          // register request payload: address u16 LE, value u32 LE
reg        have_reg;        // reg_seq names the last register request taken since the sync

wire [1:0] stream = type_r == `TG_SL_HOST_FIX ? 2'd0 : type_r == `TG_SL_HOST_FEED ? 2'd1 : 2'd2;
wire is_data = type_r == `TG_SL_HOST_FIX || type_r == `TG_SL_HOST_FEED || type_r == `TG_SL_HOST_ORDERS;
wire is_reg = type_r == `TG_SL_HOST_REG_WRITE || type_r == `TG_SL_HOST_REG_READ;
wire [11:0] payload_bytes = length - 12'(HB + CB);
// seq_r and expected compared a cycle ahead: seq_r is set at a frame's second byte and expected at a frame's
// end, and both results are used no earlier than the frame's HB-th byte or its end
reg in_sequence, behind;    // behind: the frame is a duplicate (seq_r - expected >= 128), else after a lost one
always @(posedge clk) begin
    in_sequence <= seq_r == expected;
    behind <= 8'(seq_r - expected) >= 8'd128;
end
wire [11:0] reg_bytes = type_r == `TG_SL_HOST_REG_WRITE ? 12'd6 : 12'd2;

always @(posedge clk) begin
    fifo_write <= 1'b0;
    fifo_commit <= 1'b0;
    fifo_rollback <= 1'b0;
    ack_valid <= 1'b0;
    ack_due <= 1'b0;
    sync <= 1'b0;
    stats_due <= 1'b0;
    reg_start <= 1'b0;
    reg_resend <= 1'b0;
    {count_frames, count_crc_errors, count_bad_frames, count_duplicates, count_out_of_order, count_overflows} <= 6'd0;
    if (rst) begin
        length <= 12'd0;
        crc <= 32'hFFFFFFFF;
        crc_good <= 1'b0;
        take <= 1'b0;
        overflow <= 1'b0;
        expected <= 8'd0;
        have_reg <= 1'b0;
    end else if (s_valid) begin
        crc <= crc_next;
        crc_good <= crc_next == 32'hC704DD7B;   // the residue of a good frame
        if (length != 12'hFFF) length <= length + 1'b1;
        case (length)
        12'd0: type_r <= s_data;
        12'd1: seq_r <= s_data;
        12'd2: ack_r <= s_data;
        12'd3: flags_r <= s_data[1:0];
        12'(HB): take <= is_data && in_sequence;
        default: ;
        endcase
        {d4, d3, d2, d1} <= {d3, d2, d1, s_data};
        if (length >= 12'(HB + CB)) begin
            // the payload byte four behind this one
            if (take) begin
                fifo_entry <= {2'b00, stream, d4};
                fifo_write <= 1'b1;
                if (fifo_full) overflow <= 1'b1;
            end
            if (length < 12'(HB + CB + 6)) params <= {d4, params[47:8]};
        end
    end else if (s_end) begin
        length <= 12'd0;
        crc <= 32'hFFFFFFFF;
        crc_good <= 1'b0;
        take <= 1'b0;
        overflow <= 1'b0;
        if (length != 0) begin
            if (s_bad || length < 12'(HB + CB)) begin
                count_bad_frames <= 1'b1;
                fifo_rollback <= 1'b1;
            end else if (!crc_good) begin
                count_crc_errors <= 1'b1;
                fifo_rollback <= 1'b1;
            end else begin
                count_frames <= 1'b1;
                ack_valid <= 1'b1;
                ack_seq <= ack_r;
                ack_rewind <= type_r == `TG_SL_HOST_ACK && flags_r[`TG_SL_ACK_REWIND_BIT];
                if (type_r < `TG_SL_HOST_SEQUENCED_BELOW && !in_sequence) begin
                    fifo_rollback <= 1'b1;
                    if (!behind) begin
                        count_out_of_order <= 1'b1;
                        ack_due <= 1'b1;
                    end else if (is_reg && have_reg && seq_r == reg_seq) begin
                        count_duplicates <= 1'b1;
                        reg_resend <= !reg_busy;
                    end else begin
                        count_duplicates <= 1'b1;
                        ack_due <= 1'b1;
                    end
                end else if (is_data) begin
                    ack_due <= 1'b1;
                    if (overflow || fifo_full) begin
                        count_overflows <= 1'b1;
                        fifo_rollback <= 1'b1;
                    end else begin
                        // the marker that ends this frame's payload, committed with it
                        fifo_entry <= {1'b1, flags_r[`TG_SL_DATA_END_BIT], stream, 6'd0, flags_r};
                        fifo_write <= 1'b1;
                        fifo_commit <= 1'b1;
                        expected <= expected + 1'b1;
                    end
                end else if (is_reg) begin
                    if (payload_bytes != reg_bytes) begin
                        count_bad_frames <= 1'b1;
                    end else if (!reg_busy) begin
                        reg_start <= 1'b1;
                        reg_write <= type_r == `TG_SL_HOST_REG_WRITE;
                        reg_addr <= type_r == `TG_SL_HOST_REG_WRITE ? params[`TG_CSR_ADDR_BITS-1:0] : params[32 +: `TG_CSR_ADDR_BITS];
                        reg_wdata <= params[47:16];
                        reg_seq <= seq_r;
                        have_reg <= 1'b1;
                        expected <= expected + 1'b1;
                    end
                    // a request while the bus is busy is dropped unacknowledged: the host resends it
                end else if (type_r == `TG_SL_HOST_SYNC) begin
                    sync <= 1'b1;
                    sync_nonce <= seq_r;
                    expected <= 8'd0;
                    have_reg <= 1'b0;
                    fifo_rollback <= 1'b1;
                end else if (type_r == `TG_SL_HOST_STATS) begin
                    stats_due <= 1'b1;
                end else if (type_r != `TG_SL_HOST_ACK) begin
                    count_bad_frames <= 1'b1;
                    ack_valid <= 1'b0;
                end
            end
        end
    end
end
endmodule
`default_nettype wire
