// The risk gate (hdl/risk/, the order path of tickgate_core) against its golden model through the addon.
import { afterAll, describe, expect, it } from 'vitest';
import { SteppedSimDevice } from '../src/device/sim-device.js';
import { riskLimits, riskSchema, type RiskLimits } from '../src/risk/config.js';
import { decodeVerdict } from '../src/risk/verdict-records.js';
import { RISK_VERDICT_AT } from '../src/device/generated/layout.js';
import { order } from './helpers/orders.js';
import { runRiskRef, runRiskSim, verdictTimes, type RiskRun } from './helpers/run-risk.js';

const dev = new SteppedSimDevice();
afterAll(() => dev.close());

const LIMITS = {
  killSwitch: false, maxOrdersPerSecond: 1000, burst: 100,
  symbols: {
    AAPL: { maxQty: 1000, maxNotional: 500000, referencePrice: 190.00, collarBps: 500, maxPosition: 5000 },
    XYZ: { maxQty: 10000, maxNotional: '500000', referencePrice: '50', collarBps: 10000, maxPosition: 100000 },
  },
};
const limits = (over: Record<string, unknown> = {}): RiskLimits => riskLimits(riskSchema.parse({ ...LIMITS, ...over }));

/** The simulation and the reference device give the same verdict records, byte for byte, the same forwarded
 *  messages and the same counters. With `timeline` the reference keeps its own clock (the bytes' timeline)
 *  and the device's decision cycles must be that timeline plus a constant, with no decision late; without,
 *  the reference decides at the device's cycles (input gaps, back-pressure and commits make those). */
async function expectSame(run: RiskRun, timeline = false): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const sim = runRiskSim(dev, run);
  const ref = await runRiskRef(run, timeline ? undefined : verdictTimes(sim.records));
  const untimed = (rs: Buffer[]) => rs.map((r) => {
    const v = decodeVerdict(r);
    return JSON.stringify({ ...v, time: 0 }, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
  });
  expect(untimed(sim.records)).toEqual(untimed(ref.records));
  const bytes = (rs: Buffer[]) => rs.map((r) => {
    const b = Buffer.from(r.subarray(8));
    if (timeline) b.fill(0, RISK_VERDICT_AT.time - 8);
    return b.toString('hex');
  });
  expect(bytes(sim.records)).toEqual(bytes(ref.records));
  if (timeline) {
    const simTimes = verdictTimes(sim.records);
    const refTimes = verdictTimes(ref.records);
    expect(simTimes.map((t, i) => t - refTimes[i]!)).toEqual(simTimes.map(() => simTimes[0]! - refTimes[0]!));
  }
  expect(sim.forwarded.map((b) => b.toString('latin1'))).toEqual(ref.forwarded.map((b) => b.toString('latin1')));
  const { late, ...counters } = sim.counters;
  const { late: _refLate, ...refCounters } = ref.counters;
  expect(counters).toEqual(refCounters);
  if (timeline) expect(late).toBe(0);
}

describe('risk gate RTL', () => {
  it('smoke', async () => {
    await expectSame({ steps: [{ limits: limits() }, { bytes: Buffer.concat([order({ id: 'A1' }), order({ qty: '2000' }), order({ symbol: 'MSFT' })]), end: true }] });
  });
});

import fc from 'fast-check';
import { cut } from './helpers/fix-arbitraries.js';
import { orderStream, rate, symbolSet, withRate } from './helpers/order-arbitraries.js';

const RUNS = Number(process.env.FC_RUNS_RISK ?? 100);

describe('risk gate RTL against the golden model: fast-check', () => {
  it('one piece per stream, no gaps: the bytes\' timeline holds, to the cycle, rate limit included', async () => {
    await fc.assert(fc.asyncProperty(
      rate, symbolSet, fc.array(fc.tuple(orderStream, fc.boolean()), { minLength: 1, maxLength: 4 }),
      async (r, symbols, streams) => {
        const steps: RiskRun['steps'] = [{ limits: withRate(symbols, r) }];
        for (const [bytes, end] of streams) steps.push({ bytes, end });
        await expectSame({ steps }, true);
      },
    ), { numRuns: RUNS, seed: 0x71e1 });
  }, 600_000);

  it('random orders, limits, commits between streams, chunking, input gaps and back-pressure', async () => {
    const step = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(orderStream, fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }), fc.boolean()).map(([bytes, sizes, end]) => ({ bytes, sizes, end })) },
      { weight: 1, arbitrary: fc.tuple(symbolSet, fc.boolean()).map(([symbols, kill]) => ({ symbols, kill })) },
    );
    await fc.assert(fc.asyncProperty(
      rate, symbolSet, fc.array(step, { minLength: 1, maxLength: 5 }),
      fc.constantFrom(1, 1, 0.6), fc.constantFrom(1, 1, 0.5), fc.constantFrom(1, 1, 0.4), fc.integer({ min: 1, max: 1 << 30 }),
      async (r, first, steps, ingressValid, egressReady, orderEgressReady, seed) => {
        const run: RiskRun = { steps: [{ limits: withRate(first, r) }], ingressValid, egressReady, orderEgressReady, seed };
        for (const s of steps) {
          if ('symbols' in s) run.steps.push({ limits: withRate(s.symbols, r, s.kill && seed % 3 === 0) });
          else {
            const pieces = cut(s.bytes, s.sizes);
            pieces.forEach((p, i) => run.steps.push({ bytes: Buffer.from(p), end: s.end && i === pieces.length - 1 }));
          }
        }
        await expectSame(run);
      },
    ), { numRuns: RUNS, seed: 0x5a7e });
  }, 600_000);
});
