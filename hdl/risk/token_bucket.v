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
    output wire [15:0] tokens,
    output wire [15:0] tokens_left         // after this cycle's take (no subtraction after the choices)
);
    reg [15:0] tokens_q;
    reg [31:0] credit_q;                   // cycles since the last token, less one; below cycles per token
    reg        fresh_q;                    // no commit yet
    reg [15:0] burst_q;
    // The rate as cycles per token less two (a rate of 0 is taken as 1: a token every cycle either way), and
    // what is known of it and the credit a cycle ahead, so that no equality of 32-bit registers stands in
    // front of this cycle's choices.
    reg [31:0] cpt_m2_q;
    reg        cpt_one_q;                  // a token every cycle
    reg        due_q;                      // credit_q + 1 is the rate: a token is earned this cycle unless full

    // Every compare and add below reads registers or inputs only, so they run side by side and none waits
    // for another's carry chain. Each outcome is formed for the three cases of the cycle (full; a token
    // earned; neither), and the case is chosen at the end, `take` last.
    // (a rate of at most 1 is a token every cycle: a test of the high bits, not of a difference)
    wire        commit_one = commit_cycles_per_token[31:1] == 31'd0;
    wire [31:0] commit_cpt_m2 = commit_one ? 32'hFFFF_FFFF : commit_cycles_per_token - 32'd2;
    wire        switch_one = switch_cycles_per_token[31:1] == 31'd0;
    wire [31:0] cap = switch_one ? 32'd0 : switch_cycles_per_token - 32'd1;
    wire [15:0] switch_burst_dec = switch_burst - 16'd1;
    wire [31:0] cap_dec = switch_one ? 32'hFFFF_FFFF : switch_cycles_per_token - 32'd2;

    // at the rate in use
    wire        full = tokens_q >= burst_q;
    wire        earn = !full && due_q;
    wire [15:0] tokens_inc = tokens_q + 16'd1;                  // (no wrap: not full, so below burst)
    wire [15:0] tokens_dec = tokens_q - 16'd1;
    wire [15:0] burst_dec = burst_q - 16'd1;
    // an order's limits: clipped to its burst (the case's tokens >= switch_burst), and never more credit than
    // its rate's next token needs (only credit_q + 1 can be more than cap, when credit_q >= cap)
    wire        clip_full = switch_en && burst_q >= switch_burst;
    wire        clip_earn = switch_en && (switch_burst == 16'd0 || tokens_q >= switch_burst_dec);
    wire        clip_idle = switch_en && tokens_q >= switch_burst;
    wire        over_cap = switch_en && credit_q >= cap;
    wire [15:0] now_full = clip_full ? switch_burst : burst_q;
    wire [15:0] now_full_dec = clip_full ? switch_burst_dec : burst_dec;
    wire [15:0] now_earn = clip_earn ? switch_burst : tokens_inc;
    wire [15:0] now_earn_dec = clip_earn ? switch_burst_dec : tokens_q;
    wire [15:0] now_idle = clip_idle ? switch_burst : tokens_q;
    wire [15:0] now_idle_dec = clip_idle ? switch_burst_dec : tokens_dec;
    wire [15:0] tokens_now = full ? now_full : earn ? now_earn : now_idle;
    wire [15:0] tokens_now_dec = full ? now_full_dec : earn ? now_earn_dec : now_idle_dec;   // tokens_now - 1
    // credit: none after a full cycle, a token or a clip; otherwise one more, at most the new rate's cap
    wire [31:0] credit_idle = clip_idle ? 32'd0 : over_cap ? cap : credit_q + 32'd1;
    wire [31:0] credit_next = full || earn ? 32'd0 : credit_idle;
    // whether credit_next completes the next cycle's token (credit_next + 1 is the next rate): at 0 when
    // the rate is a token a cycle; at cap always; at credit_q + 1 when credit_q is one short
    wire        due_at_zero = switch_en ? switch_one : cpt_one_q;
    wire        due_at_inc = switch_en ? credit_q == cap_dec : credit_q == cpt_m2_q;
    wire        due_next = full || earn || clip_idle ? due_at_zero : over_cap || due_at_inc;

    assign tokens = tokens_now;
    assign tokens_left = take ? tokens_now_dec : tokens_now;

    always @(posedge clk) begin
        if (rst) begin
            tokens_q <= 16'd0;
            credit_q <= 32'd0;
            fresh_q <= 1'b1;
            burst_q <= 16'd0;
            due_q <= 1'b1;
            cpt_m2_q <= 32'hFFFF_FFFF;
            cpt_one_q <= 1'b1;
        end else if (commit && fresh_q) begin
            tokens_q <= commit_burst;
            credit_q <= 32'd0;
            fresh_q <= 1'b0;
            burst_q <= commit_burst;
            due_q <= commit_one;
            cpt_m2_q <= commit_cpt_m2;
            cpt_one_q <= commit_one;
        end else begin
            tokens_q <= tokens_left;
            credit_q <= credit_next;
            due_q <= due_next;
            if (switch_en) begin
                burst_q <= switch_burst;
                cpt_m2_q <= cap_dec;
                cpt_one_q <= switch_one;
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
        assert(tokens_left == tokens_now - {15'd0, take});
    end
    // a token never takes longer than the rate says
    // (and the registers kept a cycle ahead say what they stand for)
    wire [31:0] cpt_m1 = cpt_m2_q + 32'd1;
    always @* if (f_past_valid) assert(credit_q <= cpt_m1 && due_q == (credit_q == cpt_m1) && cpt_one_q == (cpt_m1 == 32'd0));
`endif
endmodule
`default_nettype wire
