// How long a JavaScript call into the simulation addon waits while the clock thread runs flat out (issue 22,
// item 5): the device parses a long FIX stream on its own thread, sent 4 KiB a turn as a session sends its
// messages, while the event loop reads its events and, on every turn, reads a register (the slowest call: it
// clocks the bus) and the cycle counter. Each call is timed on its own; the event loop's delay is sampled by
// Node at 1 ms resolution.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SimDevice } from '../src/device/index.js';
import { REG } from '../src/device/generated/layout.js';
import { enableFix } from './fix-parser.js';
import { percentile } from './stats.js';

export interface AddonWaits {
  calls: number;
  cycles: number;
  callMs: { p50: number; p99: number; p999: number; max: number };
  /** Calls that took longer than 1 ms, as JavaScript timed them (GC pauses and the machine's scheduling of
   *  the JavaScript thread itself show up here too). */
  callsOver1ms: number;
  /** The sends alone (the part before the device's pacing), as JavaScript timed them: they queue on the
   *  host's side and never take the model. */
  sendMs: { calls: number; p50: number; p99: number; max: number; over1ms: number };
  /** What the target is about: how long the calls waited for the clock thread, timed in the addon around the
   *  lock on the model. p99 and p999 are the upper ends of their power-of-two buckets. */
  lockWaitMs: { calls: number; p99: number; p999: number; max: number; over1ms: number };
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

/** The upper end (ms) of the power-of-two bucket that holds fraction `p` of the waits. */
function bucketPercentile(buckets: number[], count: number, p: number): number {
  let seen = 0;
  for (let k = 0; k < buckets.length; k++) {
    seen += buckets[k]!;
    if (seen >= p * count) return 2 ** (k + 1) / 1e6;
  }
  return Infinity;
}

const SEND_BYTES = 4096;

export async function addonCallWaits(wire: Buffer): Promise<AddonWaits> {
  const dev = new SimDevice();
  enableFix(dev);
  const c0 = dev.cycles();
  const waits: number[] = [];
  let done = false;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const probing = (async () => {
    while (!done) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const t0 = performance.now();
      dev.readReg(REG.CYCLE_LO);
      waits.push(performance.now() - t0);
      const t1 = performance.now();
      dev.cycles();
      waits.push(performance.now() - t1);
    }
  })();
  const reading = (async () => {
    for await (const e of dev.events()) if (e.kind === 'stream_end') break;
  })();
  const sends: number[] = [];
  for (let at = 0; at < wire.length; at += SEND_BYTES) {
    const piece = wire.subarray(at, at + SEND_BYTES);
    // the call's synchronous part: the bytes handed to the addon and the ingress level read for pacing
    const t0 = performance.now();
    const sent = dev.send(piece, { end: at + SEND_BYTES >= wire.length });
    sends.push(performance.now() - t0);
    await sent;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await reading;
  done = true;
  await probing;
  loop.disable();
  const cycles = Number(dev.cycles() - c0);
  const lock = dev.hostWaits();
  await dev.close();
  // waits of 2^20 ns (1.05 ms) and more: buckets 20 up, and those of bucket 19 above 1 ms are not told apart,
  // so `over1ms` counts from bucket 20 and `max` says whether any wait passed 1 ms at all
  const over1ms = lock.buckets.slice(20).reduce((n, c) => n + c, 0);
  const ms = (ns: number) => ns / 1e6;
  return {
    calls: waits.length,
    cycles,
    callMs: { p50: percentile(waits, 0.5), p99: percentile(waits, 0.99), p999: percentile(waits, 0.999), max: waits.reduce((m, w) => Math.max(m, w), 0) },
    callsOver1ms: waits.filter((w) => w > 1).length,
    sendMs: {
      calls: sends.length, p50: percentile(sends, 0.5), p99: percentile(sends, 0.99), max: sends.reduce((m, w) => Math.max(m, w), 0),
      over1ms: sends.filter((w) => w > 1).length,
    },
    lockWaitMs: {
      calls: lock.count, p99: bucketPercentile(lock.buckets, lock.count, 0.99), p999: bucketPercentile(lock.buckets, lock.count, 0.999),
      max: lock.maxNs / 1e6, over1ms,
    },
    eventLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
  };
}
