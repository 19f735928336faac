// The per-module timing report (scripts/rtl-timing.mjs, `npm run timing`): the sta parser, the carry-chain
// count, and one real module through Yosys end to end.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { longestCarryChain, moduleTiming, parseSta, timingAgainstBudgets } from '../scripts/rtl-timing.mjs';
import { CORES } from '../scripts/rtl-sources.mjs';
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
    const checkedIn = JSON.parse(readFileSync('scripts/timing-budgets.json', 'utf8')) as { modules: Record<string, number> };
    expect(Object.keys(checkedIn.modules).sort()).toEqual(CORES.filter((m) => m !== 'tickgate_core' && m !== 'order_path').sort());
  });

  it('times a real module through Yosys', async () => {
    const t = await moduleTiming('token_bucket', tempDir('tickgate-timing-'));
    expect(t.ok).toBe(true);
    expect(t.pathPs).toBeGreaterThan(0);
    expect(t.lutLevels).toBeGreaterThan(0);
    expect(t.ff).toBeGreaterThan(0);
    // its 32-bit adds and compares are carry chains, which sta cannot see: counted instead
    expect(t.longestCarryChain).toBeGreaterThanOrEqual(8);
  }, 120_000);
});
