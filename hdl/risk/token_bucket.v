// Order-rate token bucket on device time (rules at the top of src/risk/ref-gate.ts): at most `burst`
// tokens; while not full it gains one every `cycles_per_token` cycles, while full no credit builds up. A
// token earned in a cycle is there for a decision in that cycle (`tokens` includes it); `take` spends one.
// It starts full at the first commit. The burst and rate in use are those of the bank of the last order
// decided: an order decided under other limits (`switch_en`) clips the bucket to its burst and sets the rate
// from then on. So a rate change applies from the first order checked under it, and the golden model, which
// knows decision times but not commit times, follows it exactly.
`default_nettype none
module token_bucket (
    input  wire        clk,
    input  wire        rst,
    input  wire        commit,             // a commit took effect this cycle: the first one fills the bucket
    input  wire [15:0] commit_burst,
    input  wire [31:0] commit_cycles_per_token,
    input  wire        switch_en,          // an order is decided this cycle under the limits below
    input  wire [15:0] switch_burst,
    input  wire [31:0] switch_cycles_per_token,
    input  wire        take,
    output wire [15:0] tokens
);
    reg [15:0] tokens_q;
    reg [31:0] credit_q;                   // cycles since the last token, less one
    reg        fresh_q;                    // no commit yet
    reg [15:0] burst_q;
    reg [31:0] cpt_q;

    // at the rate in use
    wire        full = tokens_q >= burst_q;
    wire        earn = !full && credit_q + 32'd1 >= cpt_q;
    wire [15:0] tokens_run = full ? burst_q : tokens_q + {15'd0, earn};
    wire [31:0] credit_run = full || earn || tokens_run >= burst_q ? 32'd0 : credit_q + 32'd1;
    // an order's limits: clipped to its burst, and never more credit than its rate's next token needs
    wire        clip = switch_en && tokens_run >= switch_burst;
    wire [31:0] credit_cap = switch_cycles_per_token - 32'd1;
    wire [15:0] tokens_now = clip ? switch_burst : tokens_run;
    wire [31:0] credit_next = clip ? 32'd0 : switch_en && credit_run > credit_cap ? credit_cap : credit_run;

    assign tokens = tokens_now;

    always @(posedge clk) begin
        if (rst) begin
            tokens_q <= 16'd0;
            credit_q <= 32'd0;
            fresh_q <= 1'b1;
            burst_q <= 16'd0;
            cpt_q <= 32'd1;
        end else if (commit && fresh_q) begin
            tokens_q <= commit_burst;
            credit_q <= 32'd0;
            fresh_q <= 1'b0;
            burst_q <= commit_burst;
            cpt_q <= commit_cycles_per_token;
        end else begin
            tokens_q <= tokens_now - {15'd0, take};
            credit_q <= credit_next;
            if (switch_en) begin
                burst_q <= switch_burst;
                cpt_q <= switch_cycles_per_token;
            end
        end
    end

`ifdef FORMAL
`include "axis_rules.vh"
    `TG_FORMAL_RESET
    // the checker takes a token only when there is one
    always @* if (f_past_valid && take) assume(tokens_now != 16'd0);
    // within [0, burst] for the burst in use, before and after a decision's token
    always @* if (f_past_valid) begin
        assert(tokens_q <= burst_q);
        assert(tokens_now <= (switch_en ? switch_burst : burst_q));
    end
    // a token never takes longer than the rate says
    always @* if (f_past_valid && cpt_q != 32'd0) assert(credit_q < cpt_q);
`endif
endmodule
`default_nettype wire
