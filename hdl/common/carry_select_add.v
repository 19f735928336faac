// a + b as a carry-select adder: every PIECE-bit piece is added twice, without and with a carry in, and the
// carries into the pieces are chosen from the pieces' carries, so the longest carry chain is PIECE bits, not
// WIDTH (a 64-bit add in one chain is 16 CARRY4, about 1.9 ns on a 7-series part before any logic). The
// second sum of a piece whose b bits are all zero is an increment, and its carry is "all ones": a narrow b
// (a counter's step) costs one chain and a few all-ones tests.
`default_nettype none
module carry_select_add #(
    parameter integer WIDTH = 64,
    parameter integer B_WIDTH = 1,          // at most WIDTH
    parameter integer PIECE = 16
) (
    input  wire [WIDTH-1:0]   a,
    input  wire [B_WIDTH-1:0] b,
    output wire [WIDTH-1:0]   sum,
    output wire               carry         // out of bit WIDTH-1
);
    localparam integer PIECES = (WIDTH + PIECE - 1) / PIECE;
    localparam integer PADDED = PIECES * PIECE;

    // a one-bit b is the carry into the lowest piece; pieces above b's bits only increment
    localparam integer ADD_PIECES = B_WIDTH == 1 ? 0 : (B_WIDTH + PIECE - 1) / PIECE;
    localparam integer B_PADDED = ADD_PIECES == 0 ? PIECE : ADD_PIECES * PIECE;

    wire [PADDED-1:0]   a_p = {{PADDED-WIDTH{1'b0}}, a};
    wire [B_PADDED-1:0] b_p;
    wire [PIECES:0]     carry_in /*verilator split_var*/;
    wire [PADDED-1:0]   sum_p;
    generate
        if (B_WIDTH == 1) begin : g_one_bit
            assign carry_in[0] = b[0];
            assign b_p = {B_PADDED{1'b0}};
        end else begin : g_wide
            assign carry_in[0] = 1'b0;
            assign b_p = {{B_PADDED-B_WIDTH{1'b0}}, b};
        end
    endgenerate
    wire [B_PADDED-1:0] unused_b = b_p;   // (all zero for a one-bit b)

    genvar k;
    generate
        for (k = 0; k < PIECES; k = k + 1) begin : g_piece
            wire [PIECE-1:0] a_k = a_p[PIECE*k +: PIECE];
            if (k < ADD_PIECES) begin : g_add
                wire [PIECE:0] plain = {1'b0, a_k} + {1'b0, b_p[PIECE*k +: PIECE]};
                wire [PIECE:0] plus_one = {1'b0, a_k} + {1'b0, b_p[PIECE*k +: PIECE]} + {{PIECE{1'b0}}, 1'b1};
                assign sum_p[PIECE*k +: PIECE] = carry_in[k] ? plus_one[PIECE-1:0] : plain[PIECE-1:0];
                assign carry_in[k + 1] = carry_in[k] ? plus_one[PIECE] : plain[PIECE];
            end else begin : g_increment
                // its carry out is "all ones", a test of the piece, not the end of its chain
                assign sum_p[PIECE*k +: PIECE] = carry_in[k] ? a_k + {{PIECE-1{1'b0}}, 1'b1} : a_k;
                assign carry_in[k + 1] = carry_in[k] && &a_k;
            end
        end
    endgenerate

    assign sum = sum_p[WIDTH-1:0];
    generate
        if (PADDED > WIDTH) begin : g_carry_inside
            assign carry = sum_p[WIDTH];
            wire unused_top = carry_in[PIECES];
            wire [PADDED-1:WIDTH] unused_pad = sum_p[PADDED-1:WIDTH];
        end else begin : g_carry_out
            assign carry = carry_in[PIECES];
        end
    endgenerate
endmodule
`default_nettype wire
