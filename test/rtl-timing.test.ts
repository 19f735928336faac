// The per-module timing report (scripts/rtl-timing.mjs, `npm run timing`): the sta parser, the carry-chain
// count, and one real module through Yosys end to end.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { longestCarryChain, moduleTiming, parseSta, timingAgainstBudgets } from '../scripts/rtl-timing.mjs';
import { CORES, moduleSources } from '../scripts/rtl-sources.mjs';
import path from 'node:path';
import { netlistPath, parseCellLibrary } from '../scripts/netlist-sta.mjs';
import { tempDir } from './helpers/session.js';

// The shape of Yosys 0.23's sta output (cell names shortened).
const STA = `
3. Executing STA pass (static timing analysis).
Latest arrival time in 'm' is 1298:
    1298 $ff$1 (FDRE.D)
           $n1 [0]
    1298 $lut$1 (LUT3.I2->O)
           $n2 [2]
    1171 $lut$2 (LUT5.I3->O)
           $n3 [3]
     933 $lut$3 (LUT3.I2->O)
           $n4 [2]
     806 $lut$4 (LUT3.I0->O)
           \\q [0]
     399 $ff$2 (FDRE.C->Q)
           $clk
      96 $buf (BUFG.I->O)
           $clk2
       0 $pad (IBUF.I->O)
       0   \\clk (<primary input>)

Arrival histogram:
`;

describe('timing report', () => {
  it('reads the worst path of an sta report: arrival, LUT levels, start', () => {
    expect(parseSta(STA, 'm')).toEqual({ pathPs: 1298, lutLevels: 4, carryCells: 0, muxCells: 0, from: 'register' });
    expect(parseSta(STA.replace('(FDRE.C->Q)', '(IBUF.I->O)'), 'm')?.from).toBe('input');
    expect(parseSta(STA.replace('(FDRE.C->Q)', '(RAMB36E1.CLKARDCLK->DOADO)'), 'm')?.from).toBe('register');
    expect(parseSta('no report', 'm')).toBeNull();
  });

  it('counts the longest carry chain, carry-out to carry-in', () => {
    const carry = (ci: number | string, co: number[]) => ({ type: 'CARRY4', connections: { CI: [ci], CO: co } });
    const netlist = { modules: { m: { cells: {
      a: carry('0', [1, 2, 3, 4]), b: carry(4, [5, 6, 7, 8]), c: carry(8, [9, 10, 11, 12]),
      d: carry('0', [20, 21, 22, 23]), e: { type: 'LUT6', connections: {} },
    } } } };
    expect(longestCarryChain(netlist, 'm')).toBe(3);
    expect(longestCarryChain({ modules: {} }, 'm')).toBe(0);
  });

  it('holds every module to its budget, with the tolerance, and names what is missing or too slow', () => {
    const budgets = { targetPs: 2000, tolerance: 0.1, modules: { a: 2000, b: 5000 } };
    expect(timingAgainstBudgets({ a: { pathPs: 2200 }, b: { pathPs: 5400 } }, budgets)).toMatchObject({ ok: true, errors: [], atTarget: [] });
    expect(timingAgainstBudgets({ a: { pathPs: 2201 }, b: { pathPs: 4000 } }, budgets)).toMatchObject({
      ok: false, errors: ['a 2201 ps exceeds its budget of 2000 ps (+10 %: 2200 ps)'],
      notes: ['b 4000 ps is well under its budget of 5000 ps: lower the budget', '0 of 2 modules within 2000 ps; FAILED'] });
    expect(timingAgainstBudgets({ c: { pathPs: 10 } }, budgets).errors).toEqual(['c has no budget in scripts/timing-budgets.json (measured 10 ps)']);
    // the checked-in budgets cover every timed module (the core and order_path only wire them together)
    const checkedIn = JSON.parse(readFileSync('scripts/timing-budgets.json', 'utf8')) as { modules: Record<string, number>; withCarry: Record<string, number>; abcFlow: string[] };
    const timed = CORES.filter((m) => m !== 'tickgate_core' && m !== 'order_path').sort();
    expect(Object.keys(checkedIn.modules).sort()).toEqual(timed);
    expect(Object.keys(checkedIn.withCarry).sort()).toEqual(timed);
    expect(checkedIn.abcFlow.filter((m) => !timed.includes(m))).toEqual([]);
  });

  it('times a netlist with the carry arcs sta skips: register, LUT, carry chain, register', () => {
    // the shapes of cells_sim.v's specify blocks
    const lib = parseCellLibrary(`
module BUFG(output O, input I);
  specify
    (I => O) = 96;
  endspecify
endmodule
module FDRE(output reg Q, input C, CE, D, R);
  specify
    $setup(D , posedge C &&& CE && !IS_C_INVERTED , /*-46*/ 0); // Negative times not currently supported
    if (!IS_C_INVERTED && R == IS_R_INVERTED && CE) (posedge C => (Q : D ^ IS_D_INVERTED)) = 303;
  endspecify
endmodule
module LUT2(output O, input I0, I1);
  specify
    (I0 => O) = 400; (I1 => O) = 200;
  endspecify
endmodule
module CARRY4(output [3:0] CO, O, input CI, CYINIT, input [3:0] DI, S);
  specify
    (S[0] => CO[3]) = 500;
    (CI => CO[3]) = 100;
    (CI => O[3]) = 300;
  endspecify
endmodule
`);
    expect(lib.get('FDRE')?.clockToOut.get('Q')).toBe(303);
    expect(lib.get('FDRE')?.setup.has('D')).toBe(true);
    expect(lib.get('CARRY4')?.comb).toContainEqual({ from: 'S', fromBit: 0, to: 'CO', toBit: 3, ps: 500 });
    const ff = (q: number, d: number) => ({ type: 'FDRE', port_directions: { C: 'input', D: 'input', Q: 'output' }, connections: { C: [1], D: [d], Q: [q] } });
    const carry = (ci: number | string, s0: number, co3: number, o3: number) => ({ type: 'CARRY4',
      port_directions: { CI: 'input', S: 'input', CO: 'output', O: 'output' },
      connections: { CI: [ci], S: [s0, '0', '0', '0'], CO: ['x', 'x', 'x', co3].map((b) => b === 'x' ? 90 + s0 : b), O: ['x', 'x', 'x', o3].map((b) => b === 'x' ? 95 + s0 : b) } });
    const netlist = { modules: { m: {
      ports: { clk: { direction: 'input', bits: [0] } },
      cells: {
        buf: { type: 'BUFG', port_directions: { I: 'input', O: 'output' }, connections: { I: [0], O: [1] } },
        a: ff(10, 40), lut: { type: 'LUT2', port_directions: { I0: 'input', I1: 'input', O: 'output' }, connections: { I0: [10], I1: [10], O: [11] } },
        c0: carry('0', 11, 20, 21), c1: carry(20, 3, 22, 23), b: ff(40, 23),
      },
    } } };
    // 96 (clock buffer) + 303 (clock to Q) + 400 (LUT, slowest pin) + 500 (S to CO) + 300 (CI to O)
    expect(netlistPath(netlist, 'm', lib)).toMatchObject({ pathPs: 1599, lutLevels: 1, carryCells: 2, from: 'register', end: 'FDRE.D' });
  });

  it('synthesises each module from its own sources and those of what it instantiates, nothing else', () => {
    const names = (top: string) => moduleSources(top).map((f) => path.basename(f, '.v')).sort();
    expect(names('mold_framer')).toEqual(['carry_select_add', 'mold_assembler', 'mold_cutter', 'mold_framer']);
    expect(names('token_bucket')).toEqual(['token_bucket']);
    expect(names('risk_gate')).toContain('risk_checker');
    expect(names('risk_gate')).toContain('sdp_ram'); // through risk_checker
    expect(names('risk_gate')).not.toContain('mold_cutter');
    for (const m of CORES) expect(names(m)).toContain(m);
    expect(() => moduleSources('no_such_module')).toThrow(/no source file/);
  });

  it('times a real module through Yosys', async () => {
    const t = await moduleTiming('token_bucket', tempDir('tickgate-timing-'));
    expect(t.ok).toBe(true);
    expect(t.pathPs).toBeGreaterThan(0);
    expect(t.lutLevels).toBeGreaterThan(0);
    expect(t.ff).toBeGreaterThan(0);
    // its 32-bit adds and compares are carry chains, which sta cannot see: counted instead
    expect(t.longestCarryChain).toBeGreaterThanOrEqual(8);
    // timed again with the carry arcs: never shorter than sta's path, and through the chains
    expect(t.withCarry?.pathPs).toBeGreaterThanOrEqual(t.pathPs!);
    expect(t.withCarry?.carryCells).toBeGreaterThan(0);
    expect(t.withCarry?.untimed).toEqual([]);
  }, 120_000);

  it('maps a module on the abcFlow list with abc at once, and says why', async () => {
    const t = await moduleTiming('sdp_ram', tempDir('tickgate-timing-'), undefined, { skipAbc9: true });
    expect(t).toMatchObject({ ok: true, flow: 'abc', pathPs: 2550 }); // the block RAM's clock-to-out
    expect(t.note).toMatch(/abc9 fails .*abcFlow in scripts\/timing-budgets.json: not tried again/);
  }, 120_000);
});
