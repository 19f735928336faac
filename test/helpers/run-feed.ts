// Runs MoldUDP64 packets through the stepped simulation or the reference device: every feed record as the
// device sent it, and the feed counters.
import { REG } from '../../src/device/generated/layout.js';
import { RefDevice, SteppedSimDevice, type Device } from '../../src/device/index.js';
import { configureFeed, readArbiterCounters, readFeedCounters, type Arbitration, type FeedIngress } from '../../src/itch/device-feed.js';
import type { FeedCounters } from '../../src/itch/ref-decoder.js';
import type { ArbiterCounters } from '../../src/itch/ref-line-arbiter.js';
import type { WireSubscription } from '../../src/itch/ref-udp-rx.js';

export interface FeedRun {
  packets: Buffer[];
  /** subscriptions; undefined: no filter */
  symbols?: string[];
  egressReady?: number;
  ingressValid?: number;
  seed?: number;
  /** the packets are Ethernet frames (CONTROL.FEED_WIRE) and this the wire table */
  wire?: readonly WireSubscription[];
  /** with `wire`: lines A and B arbitrated, and everything held flushed after the last frame */
  arbitration?: Arbitration;
}

const ingressOf = (run: FeedRun): FeedIngress =>
  (run.wire ? { kind: 'frames', lines: run.wire, ...(run.arbitration ? { arbitration: run.arbitration } : {}) } : { kind: 'packets' });

export interface FeedRunResult {
  records: Buffer[];
  counters: FeedCounters & { eventsOut: number; arbiter: ArbiterCounters };
  /** stepped simulation only: cycles from the end of the locate table's clear to the last record */
  cycles?: number;
}

function counters(dev: Device | SteppedSimDevice): FeedRunResult['counters'] {
  return { ...readFeedCounters(dev), eventsOut: dev.readReg(REG.EVENTS_OUT), arbiter: readArbiterCounters(dev) };
}

/** Resets the device and clocks it until the locate table is cleared. */
export function resetFeed(dev: SteppedSimDevice): void {
  dev.reset();
  for (let n = 0; dev.readReg(REG.FEED_STATUS) !== 0; n++) {
    if (n > 100) throw new Error('the locate table did not finish clearing');
    dev.stepRaw(4096);
  }
}

/** Cycles without a record after which the run is taken as done: a jumbo packet of duplicates (8,000 bytes,
 *  1,000 beats) gives no record while the framer takes it. */
const QUIET_CYCLES = 1536;

export function runFeedSim(dev: SteppedSimDevice, run: FeedRun): FeedRunResult {
  resetFeed(dev);
  dev.setEgressReady(run.egressReady ?? 1, run.seed ?? 1);
  dev.setIngressValid(run.ingressValid ?? 1, (run.seed ?? 1) + 1);
  configureFeed(dev, run.symbols, ingressOf(run));
  const start = dev.cycles();
  for (const p of run.packets) dev.sendFeedNow(p);
  const records: Buffer[] = [];
  let last = start;
  const bytes = run.packets.reduce((n, p) => n + p.length, 0);
  const limit = 10_000 + bytes * 100;
  const drain = () => {
    let quiet = 0;
    let packets = -1;
    for (let cycles = 0; dev.ingressQueued() > 0 || quiet < QUIET_CYCLES; cycles += 64) {
      if (cycles > limit) throw new Error(`feed made no progress: ${dev.ingressQueued()} bytes still queued after ${cycles} cycles`);
      const r = dev.stepRaw(64);
      for (let at = 0; at < r.records.length; at += 64) records.push(Buffer.from(r.records.subarray(at, at + 64)));
      if (r.records.length) last = r.egressCycles.readBigUInt64LE(r.egressCycles.length - 8);
      quiet = r.records.length || dev.ingressQueued() ? 0 : quiet + 64;
      if (quiet >= QUIET_CYCLES) {
        // packets still reaching the tracker (the arbiter's queues can hold several of them) are not quiet
        const now = dev.readReg(REG.FEED_PACKETS);
        if (now !== packets) quiet = 0;
        packets = now;
      }
    }
  };
  drain();
  if (run.arbitration) {
    dev.writeReg(REG.FEED_ARB_FLUSH, 1);
    drain();
  }
  dev.setEgressReady(1);
  dev.setIngressValid(1);
  return { records, counters: counters(dev), cycles: Number(last - start) + 1 };
}

export async function runFeedRef(run: FeedRun): Promise<FeedRunResult> {
  const dev = new RefDevice();
  configureFeed(dev, run.symbols, ingressOf(run));
  for (const p of run.packets) await dev.sendFeed(p);
  if (run.arbitration) dev.writeReg(REG.FEED_ARB_FLUSH, 1);
  const result = { records: [] as Buffer[], counters: counters(dev) };
  await dev.close();
  for await (const ev of dev.events()) if (ev.kind === 'feed_record') result.records.push(ev.record);
  return result;
}
