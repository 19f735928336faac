// Ones'-complement (Internet) checksum over a stream of beats, four 16-bit words a beat, pipelined so that no
// stage has an adder wider than 19 bits: pairs, then the beat's sum, then the running total kept as 16 bits
// plus a count of what overflowed them (65536 = 1 in ones'-complement arithmetic, so the overflow is added
// back once, at the end), then the fold. A beat marked `first` starts a
// new sum. `ok`, five cycles after a beat entered, says whether the sum up to and including that beat folds to
// 0xFFFF, which is how a receiver checks an IPv4 header or a UDP datagram whose checksum field is among the
// words. Every stage advances every cycle (no back-pressure), so the caller knows which beat a result is of by
// counting.
`default_nettype none
module ones_sum_pipe (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire        in_first,
    // four words of up to 17 bits: a word may be counted twice (the UDP length, which the pseudo-header repeats)
    input  wire [67:0] in_words,
    output wire        out_ok
);

reg        v1_reg, f1_reg;
reg [17:0] s01_reg, s23_reg;
reg        v2_reg, f2_reg;
reg [18:0] s_reg;
reg [15:0] acc_reg;                 // the running total's low 16 bits
reg        carry_reg;               // its carry out of the last beat, not yet in overflow_reg
reg [13:0] overflow_reg;            // what left the low 16 bits before (a frame of 16 KiB adds at most 10,240)
reg [16:0] fold_reg;
reg        ok_reg;

always @(posedge clk) begin
    v1_reg <= in_valid;
    f1_reg <= in_first;
    s01_reg <= {1'b0, in_words[16:0]} + {1'b0, in_words[33:17]};
    s23_reg <= {1'b0, in_words[50:34]} + {1'b0, in_words[67:51]};

    v2_reg <= v1_reg;
    f2_reg <= f1_reg;
    s_reg <= {1'b0, s01_reg} + {1'b0, s23_reg};

    if (v2_reg) begin
        {carry_reg, acc_reg} <= {1'b0, f2_reg ? 16'd0 : acc_reg} + {1'b0, s_reg[15:0]};
        overflow_reg <= (f2_reg ? 14'd0 : overflow_reg) + {11'd0, s_reg[18:16]} + {13'd0, carry_reg && !f2_reg};
    end

    fold_reg <= {1'b0, acc_reg} + {3'd0, overflow_reg} + {16'd0, carry_reg};

    // fold_reg[15:0] + fold_reg[16] == 0xFFFF, without the add
    ok_reg <= fold_reg == 17'h0FFFF || fold_reg == 17'h1FFFE;

    if (rst) begin
        v1_reg <= 1'b0;
        v2_reg <= 1'b0;
    end
end

assign out_ok = ok_reg;

endmodule
`default_nettype wire
