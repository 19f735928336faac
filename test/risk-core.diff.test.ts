// The risk gate (hdl/risk/, the order path of tickgate_core) against its golden model through the addon.
import { afterAll, describe, expect, it } from 'vitest';
import { SteppedSimDevice } from '../src/device/sim-device.js';
import { riskLimits, riskSchema, type RiskLimits } from '../src/risk/config.js';
import { decodeVerdict } from '../src/risk/verdict-records.js';
import { RISK_VERDICT_AT } from '../src/device/generated/layout.js';
import { LIMITS, limits, order } from './helpers/orders.js';
import { runRiskRef, runRiskSim, verdictTimes, type RiskRun } from './helpers/run-risk.js';
import { configureRisk, OrderPathReader } from '../src/risk/device-risk.js';

const dev = new SteppedSimDevice();
afterAll(() => dev.close());


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
  expectDroppedFromInput(run, sim);
  // the reference has no egress timeline (every frame leaves whole after its verdict): what left the
  // cut-through egress is checked above against the input instead
  const { late, bytesOut, framesDropped, ...counters } = sim.counters;
  const { late: _refLate, bytesOut: refBytesOut, framesDropped: _refDropped, ...refCounters } = ref.counters;
  expect(counters).toEqual(refCounters);
  expect(framesDropped).toBe(sim.dropped.length);
  expect(bytesOut).toBe(BigInt(refBytesOut ?? -1) + BigInt(sim.dropped.reduce((n, d) => n + d.bytes.length, 0) + sim.unfinished));
  if (timeline) expect(late).toBe(0);
}

/** Cut-through egress: every frame that left, forwarded or dropped, is bytes of the input, in input order
 *  (no frame repeats, reorders or invents bytes; a dropped frame may hold bytes the next frame sends again:
 *  a span speculated to start a message can turn out garbled), and there are no more dropped frames than
 *  spans that were not forwarded. */
function expectDroppedFromInput(run: RiskRun, sim: ReturnType<typeof runRiskSim>): void {
  if (sim.dropped.length === 0) return;
  const input = Buffer.concat(run.steps.flatMap((st) => ('bytes' in st ? [st.bytes] : [])));
  const frames: Array<{ bytes: Buffer; dropped: boolean }> = [];
  let d = 0;
  for (let f = 0; f <= sim.forwarded.length; f++) {
    while (d < sim.dropped.length && sim.dropped[d]!.after === f) frames.push({ bytes: sim.dropped[d++]!.bytes, dropped: true });
    if (f < sim.forwarded.length) frames.push({ bytes: sim.forwarded[f]!, dropped: false });
  }
  expect(d).toBe(sim.dropped.length);
  let at = 0;
  for (const { bytes, dropped } of frames) {
    expect(bytes.length).toBeGreaterThan(0);
    const found = input.indexOf(bytes, at);
    expect(found, `a frame of ${bytes.length} bytes that is not the input's next bytes`).toBeGreaterThanOrEqual(0);
    at = found + (dropped ? 1 : bytes.length);
  }
  expect(sim.dropped.length).toBeLessThanOrEqual(sim.records.length + (sim.counters.passed as number) - sim.forwarded.length + 1);
}

/** The limits with the egress in cut-through mode or not. */
const egress = (l: RiskLimits, cutThrough: boolean): RiskLimits => ({ ...l, cutThrough });

describe('risk gate RTL', () => {
  it('smoke', async () => {
    await expectSame({ steps: [{ limits: limits() }, { bytes: Buffer.concat([order({ id: 'A1' }), order({ qty: '2000' }), order({ symbol: 'MSFT' })]), end: true }] });
  });
});

describe('risk gate RTL: cut-through egress', () => {
  const ct = egress(limits(), true);
  const accepted = () => order({ pad: 200 });
  const rejected = () => order({ qty: '2000', pad: 200 });

  it('a rejected order\'s bytes start to leave and its frame is dropped; accepted ones leave whole', async () => {
    const run: RiskRun = { steps: [{ limits: ct }, { bytes: Buffer.concat([accepted(), rejected(), accepted(), rejected()]), end: true }] };
    await expectSame(run, true);
    const sim = runRiskSim(dev, run);
    expect(sim.forwarded.length).toBe(2);
    expect(sim.dropped.map((d) => d.after)).toEqual([1, 2]);
    // its bytes left up to the last reported field before the verdict, far more than one beat
    for (const d of sim.dropped) expect(d.bytes.length).toBeGreaterThan(64);
    expect(sim.counters.framesDropped).toBe(2);
  });

  it('store and forward drops nothing: a rejected order never leaves', async () => {
    const run: RiskRun = { steps: [{ limits: egress(limits(), false) }, { bytes: Buffer.concat([accepted(), rejected(), accepted()]), end: true }] };
    await expectSame(run, true);
    const sim = runRiskSim(dev, run);
    expect(sim.forwarded.length).toBe(2);
    expect(sim.dropped).toEqual([]);
    expect(sim.counters.bytesOut).toBe(BigInt(sim.forwarded.reduce((n, f) => n + f.length, 0)));
  });

  it('a malformed span (bad checksum) whose bytes started to leave is dropped; garbage between messages never leaves', async () => {
    const bad = accepted();
    bad[bad.length - 2] = bad[bad.length - 2] === 0x30 ? 0x31 : 0x30;
    const run: RiskRun = { steps: [{ limits: ct }, { bytes: Buffer.concat([accepted(), bad, Buffer.from('garbage bytes here'), accepted(), Buffer.from('8=FIX.4.4\x019=5\x0135=D\x01')]), end: true }] };
    await expectSame(run, true);
    const sim = runRiskSim(dev, run);
    expect(sim.forwarded.length).toBe(2);
    expect(sim.dropped.length).toBeGreaterThanOrEqual(1);
    expect(sim.dropped[0]!.bytes.toString('latin1')).toBe(bad.subarray(0, sim.dropped[0]!.bytes.length).toString('latin1'));
  });

  it('the shortest well-formed messages (22 bytes) back to back pass whole: a speculated start sends at most 16 bytes', async () => {
    const shortest = buildMessage('FIX', [[35, '0']]);
    expect(shortest.length).toBe(22);
    const run: RiskRun = { steps: [{ limits: ct }, { bytes: Buffer.concat([...Array(12).fill(shortest), accepted(), shortest, shortest]), end: true }] };
    await expectSame(run, true);
    const sim = runRiskSim(dev, run);
    expect(sim.forwarded.length).toBe(15);
    expect(sim.dropped).toEqual([]);
  });

  it('the mode switches at a commit once the path is empty, either way, with nothing lost', async () => {
    const stream = () => ({ bytes: Buffer.concat([accepted(), rejected(), order({ msgType: 'F' })]), end: true });
    const run: RiskRun = { steps: [{ limits: ct }, stream(), { limits: egress(limits(), false) }, stream(), { limits: ct }, stream()], orderEgressReady: 0.5, seed: 7 };
    await expectSame(run);
    const sim = runRiskSim(dev, run);
    expect(sim.forwarded.length).toBe(6);
    expect(sim.dropped.map((d) => d.after)).toEqual([1, 5]);
  });

  it('a commit while an order is half in: the order keeps the limits it began under, as the model says', async () => {
    const o = order({ qty: '100', pad: 200 });
    const fieldEnd = (n: number) => { let at = 0; for (let k = 0; k < n; k++) at = o.indexOf(1, at) + 1; return at; };
    for (const at of [5, fieldEnd(1), fieldEnd(1) + 2, fieldEnd(2), fieldEnd(2) + 1, fieldEnd(3), 40, o.length - 3]) {
      const run: RiskRun = { steps: [{ limits: egress(limits(), false) }, { bytes: o.subarray(0, at) }, { limits: egress(limits({ killSwitch: true }), false) }, { bytes: Buffer.concat([o.subarray(at), order({})]), end: true }] };
      await expectSame(run);
    }
  });

  // The order path counted the store-and-forward egress as idle once its queue was empty, with the last beat
  // of a forwarded order still held at the output under back-pressure, so a commit to cut-through could
  // switch the egress over that beat (found by reasoning for the formal proofs). Here the beats leave one at
  // a time until only the last is held, then the commit. With the old idle condition put back this test
  // still passes: in this sequence something else keeps the path busy until the beat leaves, so it guards
  // the behaviour but does not reproduce the fault.
  it('a commit to cut-through waits for a forwarded order\'s last beat held by back-pressure', () => {
    const first = order({ id: 'FIRST', pad: 150 });
    const second = order({ id: 'SECOND' });
    const NEVER = 1e-12;                                                // (0, 1]: ready practically never
    dev.reset();
    dev.setOrderEgressReady(NEVER);
    const programmer = configureRisk(dev, egress(limits(), false));
    const reader = new OrderPathReader();
    const step = (cycles: number) => { for (const ev of dev.step(cycles).events) reader.push(ev); };
    const out = () => reader.frames.unfinished + reader.out.forwarded.reduce((n, f) => n + f.length, 0);
    dev.sendOrdersNow(first);
    step(400);                                                          // decided, its first beat at the output
    expect(out()).toBe(0);
    while (first.length - out() > 8) {                                  // one beat leaves per ready cycle
      dev.setOrderEgressReady(1);
      step(1);
      dev.setOrderEgressReady(NEVER);
      step(8);
    }
    expect(out()).toBeLessThan(first.length);
    programmer.commit(egress(limits(), true));                         // the last beat is still held
    dev.setOrderEgressReady(1);
    dev.sendOrdersNow(second, { end: true });
    step(2000);
    expect(reader.out.forwarded.map((f) => f.toString('latin1'))).toEqual([first.toString('latin1'), second.toString('latin1')]);
  });

  // The addon takes sends on the host's side and hands them to the clock thread before a cycle: an end sent on
  // its own must still go on the last beat of the bytes waiting, not become a beat of its own.
  it('an order stream\'s end sent after its bytes gives the same records, cycle for cycle, as one sent with them', () => {
    const o = order({ id: 'ENDS', pad: 201 });
    const run = (send: () => void) => {
      dev.reset();
      dev.setOrderEgressReady(1);
      configureRisk(dev, egress(limits(), false));
      send();
      const r = dev.step(1500);
      return r.events.map((e, i) => JSON.stringify({ e, at: r.egressCycles[i] }, (_, v) => (typeof v === 'bigint' ? String(v) : v)));
    };
    // a second stream behind it: a beat of its own for the end would move its decision by the path's cadence
    const next = order({ id: 'NEXT' });
    const together = run(() => { dev.sendOrdersNow(o, { end: true }); dev.sendOrdersNow(next, { end: true }); });
    const apart = run(() => { dev.sendOrdersNow(o); dev.sendOrdersNow(new Uint8Array(0), { end: true }); dev.sendOrdersNow(next, { end: true }); });
    expect(together.filter((e) => e.includes('"risk_record"'))).toHaveLength(2);
    expect(apart).toEqual(together);
  });

  // found by `npm run fuzz` (seed 1657952348): the egress counted as idle while a dropped frame's last beat
  // still waited at its output under back-pressure, so a commit to store and forward hid that beat, the
  // frame never ended, and the next message was taken as part of it
  it('a commit to store and forward waits for a dropped frame\'s last beat held by back-pressure', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const run: RiskRun = {
        steps: [{ limits: ct }, { bytes: Buffer.alloc(8) }, { limits: egress(limits(), false) },
          { bytes: Buffer.concat([order({ msgType: '0' }), accepted()]), end: true }],
        orderEgressReady: 0.3, seed,
      };
      await expectSame(run);
      const sim = runRiskSim(dev, run);
      expect(sim.forwarded.map((f) => f.subarray(0, 9).toString('latin1')), `seed ${seed}`).toEqual(['8=FIX.4.4', '8=FIX.4.4']);
    }
  });
});

import fc from 'fast-check';
import { cut } from './helpers/fix-arbitraries.js';
import { encodeItch, moldPacketize } from '../src/itch/generator.js';
import { fromItch, orderStream, rate, symbolSet, TABLE_SYMBOLS, tradePackets, withRate } from './helpers/order-arbitraries.js';

const RUNS = Number(process.env.FC_RUNS_RISK ?? 100);
// shrinking a counterexample of several kilobytes can outlast the test's timeout, which would then report
// nothing: stop in time and report the counterexample shrunk so far (running out of time is a failure too)
const IN_TIME = { interruptAfterTimeLimit: 500_000, markInterruptAsFailure: true };
/** `npm run fuzz` hands every property a fresh seed in FC_SEED; without it each keeps its own. */
const seedOr = (own: number) => (process.env.FC_SEED === undefined ? own : Number(process.env.FC_SEED));

describe('risk gate RTL against the golden model: fast-check', () => {
  it('one piece per stream, no gaps: the bytes\' timeline holds, to the cycle, rate limit included', async () => {
    await fc.assert(fc.asyncProperty(
      rate, symbolSet, fc.array(fc.tuple(orderStream, fc.boolean()), { minLength: 1, maxLength: 4 }), fc.boolean(),
      async (r, symbols, streams, cutThrough) => {
        const steps: RiskRun['steps'] = [{ limits: egress(withRate(symbols, r), cutThrough) }];
        for (const [bytes, end] of streams) steps.push({ bytes, end });
        await expectSame({ steps }, true);
      },
    ), { numRuns: RUNS, seed: seedOr(0x71e1), ...IN_TIME });
  }, 600_000);

  it('random orders, limits and rates, commits between streams, chunking, input gaps and back-pressure', async () => {
    const step = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(orderStream, fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }), fc.boolean()).map(([bytes, sizes, end]) => ({ bytes, sizes, end })) },
      { weight: 1, arbitrary: fc.tuple(symbolSet, fc.boolean(), fc.option(rate), fc.boolean()).map(([symbols, kill, newRate, cutThrough]) => ({ symbols, kill, newRate, cutThrough })) },
    );
    // the egress mode changes at commits too (the device takes it once the path is empty)
    await fc.assert(fc.asyncProperty(
      rate, symbolSet, fc.array(step, { minLength: 1, maxLength: 5 }),
      fc.constantFrom(1, 1, 0.6), fc.constantFrom(1, 1, 0.5), fc.constantFrom(1, 1, 0.4), fc.integer({ min: 1, max: 1 << 30 }),
      async (r, first, steps, ingressValid, egressReady, orderEgressReady, seed) => {
        const run: RiskRun = { steps: [{ limits: egress(withRate(first, r), seed % 2 === 0) }], ingressValid, egressReady, orderEgressReady, seed };
        for (const s of steps) {
          if ('symbols' in s) run.steps.push({ limits: egress(withRate(s.symbols, s.newRate ?? r, s.kill && seed % 3 === 0), s.cutThrough) });
          else {
            const pieces = cut(s.bytes, s.sizes);
            pieces.forEach((p, i) => run.steps.push({ bytes: Buffer.from(p), end: s.end && i === pieces.length - 1 }));
          }
        }
        await expectSame(run);
      },
    ), { numRuns: RUNS, seed: seedOr(0x5a7e), ...IN_TIME });
  }, 600_000);
});

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildMessage } from '../src/fix/message.js';
import { RiskGateModel, verdictJson, type RiskReason } from '../src/risk/ref-gate.js';
import { orderSegment } from './helpers/order-arbitraries.js';
import { tempDir } from './helpers/session.js';

/** The reasons the RTL gives for one stream of orders (checked against the reference device too). */
async function rtlReasons(l: RiskLimits, ...orders: Buffer[]): Promise<Array<RiskReason | null>> {
  const run: RiskRun = { steps: [{ limits: l }, { bytes: Buffer.concat(orders), end: true }] };
  await expectSame(run, true);
  return runRiskSim(dev, run).records.map((r) => decodeVerdict(r).reason);
}

describe('risk gate RTL: reference prices from the feed\'s last trades', () => {
  it('fast-check: trades between order streams, the source switched by commits, the feed filter on or off', async () => {
    const step = fc.oneof(
      { weight: 3, arbitrary: orderStream.map((bytes) => ({ bytes })) },
      { weight: 2, arbitrary: tradePackets.map((feed) => ({ feed })) },
      { weight: 1, arbitrary: fc.tuple(symbolSet, fc.boolean(), fc.option(rate)).map(([symbols, itch, newRate]) => ({ symbols, itch, newRate })) },
    );
    // with the feed's symbol filter on, trades of symbols it drops still set prices
    const feedSymbols = fc.option(fc.subarray([...TABLE_SYMBOLS, 'MSFT']), { nil: undefined });
    await fc.assert(fc.asyncProperty(rate, symbolSet, fc.boolean(), fc.array(step, { minLength: 1, maxLength: 6 }), feedSymbols, async (r, first, itch, steps, symbols) => {
      const run: RiskRun = { steps: [{ limits: fromItch(withRate(first, r), itch) }], feedSymbols: symbols };
      for (const s of steps) {
        if ('symbols' in s) run.steps.push({ limits: fromItch(withRate(s.symbols, s.newRate ?? r), s.itch) });
        else run.steps.push(s);
      }
      await expectSame(run);
    }), { numRuns: Math.max(10, RUNS / 4), seed: seedOr(0x7ade), ...IN_TIME });
  }, 600_000);

  it('a trade moves the collar and the market-order notional, subscribed or not; "host" ignores it', async () => {
    const trade = (price: number) => moldPacketize([encodeItch('P', { stockLocate: 1, trackingNumber: 0, timestamp: 1, orderReferenceNumber: 1n,
      buySellIndicator: 'B', shares: 100, stock: 'AAPL', price, matchNumber: 1n })], { session: 'TRADES0001', firstSeq: 1, seed: 1 });
    const orders = () => ({ bytes: Buffer.concat([order({ price: '199.50' }), order({ price: '210' }), order({ qty: '1000', type: '1' })]) });
    for (const [itch, feedSymbols] of [[true, undefined], [true, ['MSFT']], [false, undefined]] as const) {
      // with the feed filter passing only MSFT, AAPL's trade still reaches the gate
      const run: RiskRun = { steps: [{ limits: fromItch(limits({ referencePriceSource: itch ? 'itch' : 'host' }), itch) }, orders(), { feed: trade(2_100_000) }, orders()],
        feedSymbols: feedSymbols ? [...feedSymbols] : undefined };
      await expectSame(run);
      const reasons = runRiskSim(dev, run).records.map((x) => decodeVerdict(x).reason);
      // 190 ± 5 %: 199.50 in, 210 out; after a trade at 210: 199.50..220.50 in; market notional 1000 × 210 > 200,000? no: 500,000 limit
      expect(reasons).toEqual(itch ? [null, 'price_collar', null, null, null, null] : [null, 'price_collar', null, null, 'price_collar', null]);
    }
  });
});

describe('risk gate RTL: each reason at its boundary', () => {
  it('accepts inside every limit; max_qty at maxQty passes, one more rejects', async () => {
    expect(await rtlReasons(limits(), order({ qty: '1000' }), order({ qty: '1001', side: '2' }), order({ qty: '4294967296' }))).toEqual([null, 'max_qty', 'max_qty']);
  });
  it('kill_switch first, before every other reason; other messages still pass', async () => {
    const hb = buildMessage('FIX.4.4', [[35, '0'], [34, '9'], [49, 'TW'], [52, '20261126-10:00:00.000'], [56, 'ISLD']]);
    expect(await rtlReasons(limits({ killSwitch: true }), order({ symbol: 'NOPE', qty: '99999' }), hb, order({ id: null }))).toEqual(['kill_switch', 'kill_switch']);
  });
  it('unknown_symbol: not in the table, longer than 8 bytes, or with a NUL byte', async () => {
    expect(await rtlReasons(limits(), order({ symbol: 'MSFT' }), order({ symbol: 'AAPLAAPLA' }), order({ symbol: 'AAP' }), order({ symbol: 'AAPL\0' }))).toEqual(['unknown_symbol', 'unknown_symbol', 'unknown_symbol', 'unknown_symbol']);
  });
  it('max_notional at exactly maxNotional passes, one tick over rejects; market orders use the reference price', async () => {
    expect(await rtlReasons(limits(),
      order({ symbol: 'XYZ', qty: '10000', price: '50' }), order({ symbol: 'XYZ', qty: '10000', price: '50.0001', side: '2' }),
      order({ symbol: 'XYZ', qty: '10000', type: '1', side: '2' }), order({ symbol: 'XYZ', qty: '10000', type: '1', side: '2' }),
    )).toEqual([null, 'max_notional', null, null]);
    const xyz = limits({ symbols: { XYZ: { ...LIMITS.symbols.XYZ, referencePrice: '50.0001' } } });
    expect(await rtlReasons(xyz, order({ symbol: 'XYZ', qty: '10000', type: '1' }))).toEqual(['max_notional']);
  });
  it('price_collar: ±500 bps of 190 is 180.50..199.50 inclusive', async () => {
    expect(await rtlReasons(limits(), order({ price: '199.50' }), order({ price: '199.5001' }), order({ price: '180.5', side: '2' }), order({ price: '180.4999' })))
      .toEqual([null, 'price_collar', null, 'price_collar']);
  });
  it('max_position: ±maxPosition inclusive, net of accepted orders only', async () => {
    const buys = Array.from({ length: 5 }, () => order({ qty: '1000' }));
    expect(await rtlReasons(limits(), ...buys, order({ qty: '1' }), order({ qty: '1000', side: '2' }), order({ qty: '1000' })))
      .toEqual([null, null, null, null, null, 'max_position', null, null]);
  });
  it('rate_limit: a token every cyclesPerToken cycles; one cycle slower rejects', async () => {
    const orders = Array.from({ length: 6 }, () => order({ qty: '1', pad: 200 }));
    expect(await rtlReasons(limits({ burst: 1, clockHz: 1000, maxOrdersPerSecond: 10 }), ...orders)).toEqual([null, null, null, null, null, null]);
    expect(await rtlReasons(limits({ burst: 1, clockHz: 1010, maxOrdersPerSecond: 10 }), ...orders)).toEqual([null, 'rate_limit', null, 'rate_limit', null, 'rate_limit']);
  });
  it('a new rate applies from the first order checked under it: that order sees the old rate\'s tokens, clipped to its burst', async () => {
    const slow = limits({ burst: 1, clockHz: 1e9, maxOrdersPerSecond: 1 });
    const fast = limits({ burst: 3, clockHz: 1000, maxOrdersPerSecond: 1000 });
    const three = () => ({ bytes: Buffer.concat([order({ qty: '1' }), order({ qty: '1' }), order({ qty: '1' })]) });
    const run: RiskRun = { steps: [{ limits: slow }, { bytes: order({ qty: '1' }) }, { limits: fast }, three(), { limits: slow }, three()] };
    await expectSame(run);
    expect(runRiskSim(dev, run).records.map((r) => decodeVerdict(r).reason)).toEqual([null, 'rate_limit', null, null, null, 'rate_limit', 'rate_limit']);
    // credit from the slow rate counts for at most one token at the faster one (orders ~50 cycles apart,
    // a token per 200 cycles, hundreds of cycles between the streams)
    const slower = limits({ burst: 1, clockHz: 1e7, maxOrdersPerSecond: 1000 });
    const faster = limits({ burst: 3, clockHz: 2e5, maxOrdersPerSecond: 1000 });
    const again: RiskRun = { steps: [{ limits: slower }, { bytes: order({ qty: '1' }) }, { limits: faster }, three()] };
    await expectSame(again);
    expect(runRiskSim(dev, again).records.map((r) => decodeVerdict(r).reason)).toEqual([null, 'rate_limit', null, 'rate_limit']);
  });
  it('bad_order: missing or broken fields, bad CheckSum, garbled and truncated spans; never forwarded', async () => {
    const bad = Buffer.from(order({ id: 'sum' }).toString('latin1').replace(/10=\d{3}\x01$/, '10=999\x01'), 'latin1');
    expect(await rtlReasons(limits(),
      order({ id: '' }), order({ side: '3' }), order({ qty: '10.5' }), order({ type: '3' }), order({ price: null }), order({ price: '190.00001' }),
      order({ price: '28147497671.0656' }), order({ symbol: null }), bad, Buffer.from('junk'), order({}).subarray(0, 40),
    )).toEqual(Array(11).fill('bad_order'));
  });
  it('limit changes are atomic at the commit; positions stay', async () => {
    const run: RiskRun = { steps: [
      { limits: limits() }, { bytes: order({ qty: '800' }) },
      { limits: limits({ symbols: { AAPL: { ...LIMITS.symbols.AAPL, maxPosition: 1000, maxQty: 500 } } }) },
      { bytes: Buffer.concat([order({ qty: '600' }), order({ qty: '300' }), order({ qty: '100' })]) },
    ] };
    await expectSame(run);
    expect(runRiskSim(dev, run).records.map((r) => decodeVerdict(r).reason)).toEqual([null, 'max_qty', 'max_position', null]);
  });
  it('max_position from a position above a lowered limit: a sell to maxPosition + 1 rejects, to maxPosition passes, past -maxPosition rejects', async () => {
    // the only way to a position beyond maxPosition; the checker's upper bound for a sell (its carry in) is
    // exercised only here
    const run: RiskRun = { steps: [
      { limits: limits() }, { bytes: Buffer.concat([order({ qty: '1000' }), order({ qty: '1000' }), order({ qty: '1000' })]) },
      { limits: limits({ symbols: { AAPL: { ...LIMITS.symbols.AAPL, maxPosition: 1000, maxQty: 5000 } } }) },
      { bytes: Buffer.concat([order({ qty: '1999', side: '2' }), order({ qty: '2000', side: '2' }), order({ qty: '2001', side: '2' })]) },
    ] };
    await expectSame(run);
    expect(runRiskSim(dev, run).records.map((r) => decodeVerdict(r).reason)).toEqual([null, null, null, 'max_position', null, 'max_position']);
  });
});

describe('tickgate check orders: sim and ref print the same bytes', () => {
  it('a few hundred random orders and malformed spans, with the rate limit in play', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'risk.yaml'), ['risk:', '  maxOrdersPerSecond: 200000', '  burst: 3', '  symbols:',
      '    AAPL: { maxQty: 2000, maxNotional: 400000, referencePrice: 150.25, collarBps: 3000, maxPosition: 4000 }',
      '    XYZ: { maxQty: 1500, maxNotional: 90000, referencePrice: 80, collarBps: 8000, maxPosition: 2500 }',
      '    NVDA: { maxQty: 3000, maxNotional: 900000, referencePrice: 200, collarBps: 12000, maxPosition: 6000 }', ''].join('\n'));
    const stream = Buffer.concat(fc.sample(orderSegment, { numRuns: 400, seed: 7 }));
    writeFileSync(path.join(dir, 'orders.fix'), stream);
    // the RTL in both egress modes
    writeFileSync(path.join(dir, 'risk-cut.yaml'), readFileSync(path.join(dir, 'risk.yaml'), 'utf8').replace('risk:\n', 'risk:\n  egress: cutThrough\n'));
    const out: Record<string, string> = {};
    for (const [name, backend, config] of [['sim', 'sim', 'risk.yaml'], ['ref', 'ref', 'risk.yaml'], ['cut', 'sim', 'risk-cut.yaml']] as const) {
      const { stdout } = await promisify(execFile)(process.execPath, [path.resolve(__dirname, '..', 'bin', 'tickgate.js'), 'check', 'orders', '--config', config,
        '--backend', backend, '--forward', `fwd-${name}`, 'orders.fix'], { cwd: dir, maxBuffer: 1 << 26 });
      out[name] = stdout;
    }
    expect(out.sim).toBe(out.ref);
    expect(out.cut).toBe(out.ref);
    expect(readFileSync(path.join(dir, 'fwd-sim'))).toEqual(readFileSync(path.join(dir, 'fwd-ref')));
    expect(readFileSync(path.join(dir, 'fwd-cut'))).toEqual(readFileSync(path.join(dir, 'fwd-ref')));
    const reasons = new Set(out.sim!.trim().split('\n').map((l) => (JSON.parse(l) as { reason: string | null }).reason));
    expect([...reasons].sort()).toEqual(expect.arrayContaining(['bad_order', 'max_qty', 'rate_limit', 'unknown_symbol', null]));
    // and the golden model, run directly
    const gate = new RiskGateModel(riskLimits(riskSchema.parse({ maxOrdersPerSecond: 200000, burst: 3, symbols: {
      AAPL: { maxQty: 2000, maxNotional: 400000, referencePrice: 150.25, collarBps: 3000, maxPosition: 4000 },
      XYZ: { maxQty: 1500, maxNotional: 90000, referencePrice: 80, collarBps: 8000, maxPosition: 2500 },
      NVDA: { maxQty: 3000, maxNotional: 900000, referencePrice: 200, collarBps: 12000, maxPosition: 6000 } } })));
    const golden = gate.push(stream);
    gate.end(golden);
    const lines = golden.verdicts.map((v) => verdictJson(v, v.clOrdID ? stream.toString('latin1', v.clOrdID.offset, v.clOrdID.offset + v.clOrdID.length) : null));
    expect(out.sim).toBe(lines.join('\n') + '\n');
  });
});

describe('tickgate check orders --itch', () => {
  it('takes the capture\'s last trades as reference prices with referencePriceSource: itch, on both backends', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'risk.yaml'), ['risk:', '  maxOrdersPerSecond: 1000', '  burst: 100', '  referencePriceSource: itch', '  symbols:',
      '    AAPL: { maxQty: 1000, maxNotional: 500000, referencePrice: 190.00, collarBps: 500, maxPosition: 5000 }', ''].join('\n'));
    const trade = encodeItch('P', { stockLocate: 1, trackingNumber: 0, timestamp: 1, orderReferenceNumber: 1n, buySellIndicator: 'B', shares: 100,
      stock: 'AAPL', price: 2_100_000, matchNumber: 1n });
    writeFileSync(path.join(dir, 'day.itch'), Buffer.concat([Buffer.from([0, trade.length]), trade]));
    writeFileSync(path.join(dir, 'orders.fix'), Buffer.concat([order({ id: 'at-210', price: '210' })]));
    const cli = path.resolve(__dirname, '..', 'bin', 'tickgate.js');
    for (const backend of ['sim', 'ref']) {
      const withDay = await promisify(execFile)(process.execPath, [cli, 'check', 'orders', '--config', 'risk.yaml', '--backend', backend, '--itch', 'day.itch', 'orders.fix'], { cwd: dir });
      expect(withDay.stdout).toBe('{"kind":"verdict","clOrdID":"at-210","accepted":true,"reason":null}\n');
      const without = await promisify(execFile)(process.execPath, [cli, 'check', 'orders', '--config', 'risk.yaml', '--backend', backend, 'orders.fix'], { cwd: dir });
      expect(without.stdout).toBe('{"kind":"verdict","clOrdID":"at-210","accepted":false,"reason":"price_collar"}\n');
    }
  });
});
