// Runs byte streams through the stepped simulation or the reference device and collects every event.
import { REG, REG_BIT } from '../../src/device/generated/layout.js';
import { RefDevice, SteppedSimDevice, type Device, type DeviceEvent } from '../../src/device/index.js';

/** An event without its timestamp and record sequence number: what both backends must agree on (the RTL
 *  packs two field entries per record where it can, the reference model one). */
export type Comparable = Record<string, unknown>;

export function comparable(events: DeviceEvent[]): Comparable[] {
  return events.map((e) => {
    const { seq: _s, ...rest } = e as DeviceEvent & { seq?: number };
    if ('timestamp' in rest) delete (rest as { timestamp?: bigint }).timestamp;
    return rest;
  });
}

export interface StreamRun {
  /** Each stream as its chunks; every stream is ended. */
  streams: Uint8Array[][];
  maxMsgLen?: number;
}

export function enableFix(dev: Pick<Device, 'readReg' | 'writeReg'>, maxMsgLen?: number): void {
  if (maxMsgLen !== undefined) dev.writeReg(REG.FIX_MAX_MSG_LEN, maxMsgLen);
  dev.writeReg(REG.CONTROL, 1 << REG_BIT.CONTROL_FIX_RX_ENABLE);
}

export interface SimRunResult {
  events: DeviceEvent[];
  egressCycles: bigint[];
  cycles: number;
}

/** Feeds all streams, then clocks until every stream_end is out; throws if the device stops making progress. */
export function runSim(dev: SteppedSimDevice, run: StreamRun): SimRunResult {
  dev.reset();
  enableFix(dev, run.maxMsgLen);
  let bytes = 0;
  for (const chunks of run.streams) {
    if (chunks.length === 0) dev.sendNow(new Uint8Array(0), { end: true });
    chunks.forEach((c, i) => dev.sendNow(c, { end: i === chunks.length - 1 }));
    bytes += chunks.reduce((n, c) => n + c.length, 0);
  }
  const events: DeviceEvent[] = [];
  const egressCycles: bigint[] = [];
  let ends = 0;
  let cycles = 0;
  const limit = 100_000 + bytes * 200;
  while (ends < run.streams.length) {
    const r = dev.step(64);
    cycles += 64;
    for (const e of r.events) if (e.kind === 'stream_end') ends++;
    events.push(...r.events);
    egressCycles.push(...r.egressCycles);
    if (cycles > limit) throw new Error(`device made no progress: ${ends}/${run.streams.length} streams ended after ${cycles} cycles`);
  }
  const tail = dev.step(64);
  if (tail.events.length) throw new Error(`events after the last stream_end: ${JSON.stringify(comparable(tail.events))}`);
  return { events, egressCycles, cycles };
}

export async function runRef(run: StreamRun): Promise<{ events: DeviceEvent[]; device: RefDevice }> {
  const dev = new RefDevice();
  enableFix(dev, run.maxMsgLen);
  for (const chunks of run.streams) {
    if (chunks.length === 0) await dev.send(new Uint8Array(0), { end: true });
    for (let i = 0; i < chunks.length; i++) await dev.send(chunks[i]!, { end: i === chunks.length - 1 });
  }
  await dev.close();
  const events: DeviceEvent[] = [];
  for await (const e of dev.events()) events.push(e);
  return { events, device: dev };
}

/** Counters both backends must agree on (EVENTS_OUT counts records, which the two pack differently). */
export const COUNTERS = [
  'FIX_MESSAGES', 'FIX_GARBLED', 'FIX_GARBLED_BYTES', 'FIX_TRUNCATED', 'FIX_TOO_LONG', 'FIX_STREAMS',
  'FIX_BAD_CHECKSUM', 'FIX_BAD_BODY_LENGTH', 'FIX_FIELDS',
] as const;

export function readCounters(dev: Pick<Device, 'readReg' | 'readReg64'>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const c of COUNTERS) out[c] = dev.readReg(REG[c]);
  out.FIX_BYTES = dev.readReg64(REG.FIX_BYTES_LO).toString();
  return out;
}

/** The first record sequence number out of order, or null when records are numbered 0, 1, 2, ... with no
 *  gap (field events of one record share its number). */
export function firstSeqGap(events: DeviceEvent[]): number | null {
  let expected = 0;
  let last = -1;
  for (const e of events) {
    if (!('seq' in e)) continue;            // order egress bytes carry no record number
    if (e.seq === last) continue;
    if (e.seq !== expected) return e.seq;
    last = e.seq;
    expected++;
  }
  return null;
}
