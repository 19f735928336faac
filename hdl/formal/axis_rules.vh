// AXI-Stream handshake rules as formal properties, for the FORMAL blocks of the cores (yosys-smtbmc; see
// scripts/formal.mjs). A source that offers a beat keeps tvalid high and the payload unchanged until the
// sink takes it. A module asserts the rule on its outputs (it is the source) and assumes it on its inputs;
// when a module is proved inside a larger one, its assumptions become assertions on its neighbours.
// Every block that uses these declares f_past_valid (high from the second cycle on) and assumes rst in the
// first cycle. A proof defines FORMAL_TOP_<module> for its top: properties that need an assumption of their
// own (a tracked address picked at random) go under it.
`ifndef TG_AXIS_RULES_VH
`define TG_AXIS_RULES_VH

`define TG_AXIS_SOURCE_ASSERT(valid, ready, payload) \
    always @(posedge clk) if (f_past_valid && !$past(rst) && $past(valid) && !$past(ready)) begin \
        assert(valid); \
        assert((payload) == $past(payload)); \
    end

`define TG_AXIS_SOURCE_ASSUME(valid, ready, payload) \
    always @(posedge clk) if (f_past_valid && !$past(rst) && $past(valid) && !$past(ready)) begin \
        assume(valid); \
        assume((payload) == $past(payload)); \
    end

`define TG_FORMAL_RESET \
    reg f_past_valid = 1'b0; \
    always @(posedge clk) f_past_valid <= 1'b1; \
    always @* if (!f_past_valid) assume(rst);

`endif
