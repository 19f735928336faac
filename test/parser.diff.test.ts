// Differential test: the RTL parser in Verilator and the TypeScript golden model must give identical
// records and counters for random and adversarial streams, random chunking and random egress backpressure.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SteppedSimDevice } from '../src/device/index.js';
import { chunked, cut, fixStream } from './helpers/fix-arbitraries.js';
import { comparable, firstSeqGap, readCounters, runRef, runSim, type StreamRun } from './helpers/run-device.js';

const SEED = Number(process.env.FC_SEED ?? 20261125);
const RUNS = Number(process.env.FC_RUNS ?? 1000);

describe(`FIX parser: RTL matches the golden model (fast-check seed ${SEED})`, () => {
  let sim: SteppedSimDevice;
  beforeAll(() => { sim = new SteppedSimDevice(); });
  afterAll(() => sim.close());

  const runArb = fc.record({
    streams: fc.array(fc.tuple(fixStream, chunked(40)), { minLength: 1, maxLength: 3 }),
    maxMsgLen: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
    readyProbability: fc.oneof(fc.constant(1), fc.double({ min: 0.05, max: 1, noNaN: true })),
    readySeed: fc.integer({ min: 1, max: 0x7fffffff }),
  });

  it('gives identical records and counters for random streams, chunking and backpressure', async () => {
    await fc.assert(
      fc.asyncProperty(runArb, async ({ streams, maxMsgLen, readyProbability, readySeed }) => {
        const run: StreamRun = { streams: streams.map(([bytes, sizes]) => cut(bytes, sizes)), maxMsgLen };
        sim.setEgressReady(readyProbability, readySeed);
        const got = runSim(sim, run);
        const want = await runRef(run);
        expect(comparable(got.events)).toEqual(comparable(want.events));
        expect(readCounters(sim)).toEqual(readCounters(want.device));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('loses no record when the host takes one record in twenty cycles', async () => {
    const streams = fc.sample(fixStream, { seed: SEED, numRuns: 40 });
    const run: StreamRun = { streams: [streams.flatMap((s) => cut(s, [7, 13, 64, 1, 200]))] };
    sim.setEgressReady(0.05, 99);
    const got = runSim(sim, run);
    sim.setEgressReady(1, 1);
    const want = await runRef(run);
    expect(firstSeqGap(got.events)).toBeNull();
    expect(comparable(got.events)).toEqual(comparable(want.events));
    expect(got.events.length).toBeGreaterThan(40);
  });
});
