// Puts the wire ingress's frame statuses (hdl/feed/udp_to_mold.v) in order between the framer's events on
// their way to the tracker, so that a frame's records come in the order the golden model gives them
// (src/itch/ref-decoder.ts, FeedDecoder.frameTo): the packet's records, then the frame's error if it has one.
//   - a frame whose payload reached the framer: its events pass; after the one flagged ev_last, the framer
//     waits for the frame's status; a status other than ok becomes an EV_WIRE event there;
//   - a frame taken with an empty payload: an EV_ERROR short_packet of 0 bytes (what the framer says of a
//     packet shorter than its header), then its status as above;
//   - a refused frame: its EV_WIRE event alone.
// With wire_mode low (bare UDP payloads on the feed ingress) the framer's events pass untouched.
// Only kind, error and count are chosen here; the rest of an event passes through (EV_WIRE and the empty
// payload's short_packet read nothing else).
`default_nettype none
`include "tickgate_layout.vh"
module wire_status_merge (
    input  wire        clk,
    input  wire        rst,
    input  wire        wire_mode,

    input  wire        ev_valid,
    output wire        ev_ready,
    input  wire [1:0]  ev_kind,
    input  wire [1:0]  ev_error,
    input  wire        ev_last,
    input  wire [15:0] ev_count,

    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [5:0]  st_data,      // {line, taken, has_payload, status}; the line is not used yet
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire        st_valid,
    output wire        st_ready,

    output wire        o_valid,
    input  wire        o_ready,
    output wire [1:0]  o_kind,
    output wire [1:0]  o_error,
    output wire [15:0] o_count
);

localparam [1:0] EV_ERROR = 2'd2, EV_WIRE = 2'd3;
localparam [1:0] ERR_SHORT = 2'd1;

reg ended_reg;        // the framer ended a packet whose frame status has not been taken
reg short_sent_reg;   // the empty payload's short_packet has left; its status is next
reg offering_reg;     // a framer event is on the output and was not taken

wire       st_taken = st_data[4];
wire       st_has_payload = st_data[3];
wire [2:0] st_status = st_data[2:0];
wire       st_ok = st_status == `TG_WIRE_OK;

wire head_alone = wire_mode && st_valid && !st_has_payload;                     // refused, or empty payload
wire head_short = head_alone && st_taken && !short_sent_reg;
wire head_after = wire_mode && st_valid && st_has_payload && ended_reg;         // its packet's events are out
// a framer event offered and not taken stays offered, whatever status arrives meanwhile
wire inject = (head_alone || (head_after && !st_ok)) && !offering_reg;
wire pass = !wire_mode || offering_reg || (!head_alone && (!ended_reg || (head_after && st_ok)));

assign o_valid = inject || (pass && ev_valid);
assign o_kind = inject ? (head_short ? EV_ERROR : EV_WIRE) : ev_kind;
assign o_error = inject ? (head_short ? ERR_SHORT : 2'd0) : ev_error;
assign o_count = inject ? {13'd0, head_short ? 3'd0 : st_status} : ev_count;
assign ev_ready = !inject && pass && o_ready;
wire passed = ev_valid && ev_ready;
// a status leaves with its event; an ok status after its packet leaves with no event, as the next one passes
assign st_ready = (inject && o_ready && !(head_short && !st_ok)) || (head_after && st_ok);

always @(posedge clk) begin
    offering_reg <= !inject && pass && ev_valid && !o_ready;
    if (inject && o_ready) short_sent_reg <= head_short && !st_ok;
    if (head_after && (st_ok || o_ready)) ended_reg <= 1'b0;
    if (passed && wire_mode && ev_last) ended_reg <= 1'b1;
    if (rst) begin
        ended_reg <= 1'b0;
        short_sent_reg <= 1'b0;
        offering_reg <= 1'b0;
    end
end

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    always @(posedge clk) if (f_past_valid) assume(wire_mode == $past(wire_mode));   // set while the path is idle
    `TG_AXIS_SOURCE_ASSUME(ev_valid, ev_ready, {ev_kind, ev_error, ev_last, ev_count})
    `TG_AXIS_SOURCE_ASSUME(st_valid, st_ready, st_data)
    `TG_AXIS_SOURCE_ASSERT(o_valid, o_ready, {o_kind, o_error, o_count})
    // after a packet's last event, no framer event passes before that frame's status is taken (an ok status
    // may be taken in the same cycle as the next packet's first event passes)
    reg f_ended = 1'b0;
    always @(posedge clk) begin
        if (st_valid && st_ready && st_has_payload) f_ended <= 1'b0;
        if (passed && wire_mode && ev_last) f_ended <= 1'b1;
        if (rst) f_ended <= 1'b0;
    end
    always @* if (!rst && f_past_valid && f_ended && wire_mode && passed) assert(st_valid && st_ready && st_has_payload && st_ok);
    always @* if (!rst && f_past_valid) assert(f_ended == ended_reg || !wire_mode);
    // what induction needs to know of the registers
    always @* if (!rst && f_past_valid) begin
        assert(!(offering_reg && ended_reg));
        assert(!short_sent_reg || (st_valid && st_taken && !st_has_payload && !st_ok));
        assert(!ended_reg || wire_mode);
    end
`endif
endmodule
`default_nettype wire
