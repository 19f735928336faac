// Binary value of a packed BCD number (least significant digit in bits 3:0), by pairwise combination:
// digit pairs, then pairs of pairs, so the adder depth grows with log2(DIGITS), not with DIGITS.
// Combinational. Digits above 9 are not checked (the producer only packs decimal digits).
`default_nettype none
module bcd_to_binary #(
    parameter DIGITS = 19,
    parameter OUT_WIDTH = 64
) (
    input  wire [4*DIGITS-1:0]  bcd,
    output wire [OUT_WIDTH-1:0] value
);

// Level k holds groups of 2^k digits; LEVELS levels reach all DIGITS.
localparam LEVELS = $clog2(DIGITS);
localparam GROUPS0 = 1 << LEVELS;

function [OUT_WIDTH-1:0] pow10(input integer n);
    integer j;
    begin
        pow10 = 1;
        for (j = 0; j < n; j = j + 1) pow10 = pow10 * 10;
    end
endfunction

// split_var: each element is its own signal to Verilator, so the levels are not one circular signal
wire [OUT_WIDTH-1:0] level [0:LEVELS][0:GROUPS0-1] /*verilator split_var*/;

genvar k, g;
generate
    for (g = 0; g < GROUPS0; g = g + 1) begin : g_digits
        if (g < DIGITS) begin : g_digit
            assign level[0][g] = {{OUT_WIDTH-4{1'b0}}, bcd[4*g +: 4]};
        end else begin : g_pad
            assign level[0][g] = {OUT_WIDTH{1'b0}};
        end
    end
    for (k = 1; k <= LEVELS; k = k + 1) begin : g_levels
        localparam [OUT_WIDTH-1:0] SCALE = pow10(1 << (k - 1));
        for (g = 0; g < GROUPS0; g = g + 1) begin : g_groups
            if (g < (GROUPS0 >> k)) begin : g_pair
                assign level[k][g] = level[k-1][2*g+1] * SCALE + level[k-1][2*g];
            end else begin : g_unused
                assign level[k][g] = {OUT_WIDTH{1'b0}};
            end
        end
    end
endgenerate

assign value = level[LEVELS][0];

endmodule
`default_nettype wire
