// Order-rate token bucket on device time (rules at the top of src/risk/ref-gate.ts): at most `burst`
// tokens; while not full it gains one every `cycles_per_token` cycles, while full no credit builds up. A
// token earned in a cycle is there for a decision in that cycle (`tokens` includes it); `take` spends one.
// It starts full at the first commit; a commit that lowers the burst below what the bucket holds clips it.
`default_nettype none
module token_bucket (
    input  wire        clk,
    input  wire        rst,
    input  wire        commit,             // the bank below changed this cycle
    input  wire [15:0] burst,
    input  wire [31:0] cycles_per_token,
    input  wire        take,
    output wire [15:0] tokens
);
    reg [15:0] tokens_q;
    reg [31:0] credit_q;
    reg        fresh_q;                    // no commit yet: the first one fills the bucket

    wire        full = tokens_q >= burst;
    wire        earn = !full && credit_q + 32'd1 >= cycles_per_token;
    wire [15:0] tokens_now = full ? burst : tokens_q + {15'd0, earn};

    assign tokens = tokens_now;

    always @(posedge clk) begin
        if (rst) begin
            tokens_q <= 16'd0;
            credit_q <= 32'd0;
            fresh_q <= 1'b1;
        end else if (commit && fresh_q) begin
            tokens_q <= burst;
            credit_q <= 32'd0;
            fresh_q <= 1'b0;
        end else begin
            tokens_q <= tokens_now - {15'd0, take};
            credit_q <= full || earn || tokens_now >= burst ? 32'd0 : credit_q + 32'd1;
        end
    end
endmodule
`default_nettype wire
