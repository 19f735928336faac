// FIX parser benchmarks: throughput and latency counted in simulated cycles (exact, machine independent), and
// the wall-clock rate of the threaded simulation and of the host-side software on this machine.
import {
  FIX_FRAME_AT, ITCH_MESSAGE_AT, KIND, RECORD_BYTES, REG, REG_BIT, STREAM_END_AT,
} from '../src/device/generated/layout.js';
import { decodeRecords, type DeviceEvent } from '../src/device/events.js';
import { RecordCursor } from '../src/device/record-cursor.js';
import { SimDevice, SteppedSimDevice } from '../src/device/sim-device.js';
import { FixParserModel, type FieldState, type FixParserSink, type FrameRecord } from '../src/fix/ref-parser.js';
import { recordViews, writeFieldRecord, writeFrameRecord, writeStreamEndRecord } from '../src/fix/ref-records.js';
import { sampleExchangeMessages } from '../src/fix/sample-session.js';
import { openFeed } from './feed-core.js';
import { median, repeat } from './stats.js';

export function enableFix(dev: { writeReg(a: number, v: number): void }): void {
  dev.writeReg(REG.CONTROL, 1 << REG_BIT.CONTROL_FIX_RX_ENABLE);
}

export interface ThroughputResult {
  messages: number;
  bytes: number;
  cycles: number;
  bytesPerCycle: number;
}

/** Bytes per cycle from the first beat accepted to the last record out, for one stream of realistic messages. */
export function parserThroughput(messages: Buffer[]): ThroughputResult {
  const dev = new SteppedSimDevice();
  try {
    enableFix(dev);
    const wire = Buffer.concat(messages);
    const start = dev.cycles();
    dev.sendNow(wire, { end: true });
    let frames = 0;
    let lastFrameCycle = start;
    for (let guard = 0; guard < wire.length; guard += 4096) {
      const r = r_step(dev, 4096);
      r.forEach(([e, c]) => { if (e.kind === 'fix_frame') { frames++; lastFrameCycle = c; } });
      if (r.some(([e]) => e.kind === 'stream_end')) break;
    }
    if (frames !== messages.length) throw new Error(`parser bench: ${frames} records for ${messages.length} messages`);
    const cycles = Number(lastFrameCycle - start) + 1;
    return { messages: frames, bytes: wire.length, cycles, bytesPerCycle: wire.length / cycles };
  } finally {
    dev.close();
  }
}

function r_step(dev: SteppedSimDevice, n: number): Array<[DeviceEvent, bigint]> {
  const r = dev.step(n);
  return r.events.map((e, i) => [e, r.egressCycles[i]!]);
}

export interface LatencyResult {
  samples: number;
  min: number;
  max: number;
}

/**
 * Cycles from the clock edge that accepts a message's last beat to the edge that hands out its record,
 * over messages whose last byte falls in every lane of the beat.
 */
export function parserLatency(messages: Buffer[]): LatencyResult {
  const dev = new SteppedSimDevice();
  const lat: number[] = [];
  try {
    enableFix(dev);
    for (const msg of messages) {
      dev.sendNow(msg);
      let lastBeat = -1n;
      let record: bigint | undefined;
      for (let n = 0; n < msg.length + 64 && record === undefined; n++) {
        const before = dev.cycles();
        const queued = dev.ingressQueued();
        const r = dev.step(1);
        if (queued > 0 && dev.ingressQueued() === 0) lastBeat = before;
        const i = r.events.findIndex((e) => e.kind === 'fix_frame');
        if (i >= 0) record = r.egressCycles[i]!;
      }
      if (record === undefined || lastBeat < 0n) throw new Error('latency bench: no record for a message');
      lat.push(Number(record - lastBeat));
    }
    return { samples: lat.length, min: Math.min(...lat), max: Math.max(...lat) };
  } finally {
    dev.close();
  }
}

export interface ThreadedResult {
  messages: number;
  cyclesPerSecond: number;
  messagesPerSecond: number;
  runs: number;
}

/** The threaded addon end to end: bytes in from JavaScript, records back through the thread-safe function. */
export async function threadedRate(messages: Buffer[], runs: number): Promise<ThreadedResult> {
  const wire = Buffer.concat(messages);
  const once = async () => {
    const dev = new SimDevice();
    enableFix(dev);
    const c0 = dev.cycles();
    const t0 = process.hrtime.bigint();
    // read while sending: a reader that falls behind holds the device, so send() would wait for ever
    let frames = 0;
    const reading = (async () => {
      for await (const e of dev.events()) {
        if (e.kind === 'fix_frame') frames++;
        else if (e.kind === 'stream_end') break;
      }
    })();
    await dev.send(wire, { end: true });
    await reading;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cycles = Number(dev.cycles() - c0);
    await dev.close();
    if (frames !== messages.length) throw new Error(`threaded bench: ${frames} records for ${messages.length} messages`);
    return { seconds, cycles };
  };
  await once();
  const cps: number[] = [];
  const mps: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await once();
    cps.push(r.cycles / r.seconds);
    mps.push(messages.length / r.seconds);
  }
  return { messages: messages.length, cyclesPerSecond: median(cps), messagesPerSecond: median(mps), runs };
}

/** The golden model's output written as the device's records into a reused window (what the reference
 *  device does for `decode fix`): its counterpart of jspurefix's view, a field index with binary values. */
class RecordWindowSink implements FixParserSink {
  private readonly bytes = Buffer.alloc(1 << 20);
  private readonly view = recordViews(this.bytes);
  private at = 0;
  private seq = 0;
  frames = 0;
  private next(): number {
    const at = this.at;
    this.at = (at + RECORD_BYTES) % this.bytes.length;
    this.seq++;
    return at;
  }
  field(f: FieldState): void { writeFieldRecord(this.view, this.next(), this.seq, f); }
  frame(r: FrameRecord): void { writeFrameRecord(this.view, this.next(), this.seq, r); this.frames++; }
  streamEnd(bytes: number): void { writeStreamEndRecord(this.view, this.next(), this.seq, bytes); }
}

/** The golden model parsing the same bytes in JavaScript (to device records, and to objects), and the host
 *  decoding the device's records. */
export async function softwareRates(messages: Buffer[], runs: number) {
  const wire = Buffer.concat(messages);
  const model = await repeat(runs, () => {
    const sink = new RecordWindowSink();
    const parser = new FixParserModel();
    for (let at = 0; at < wire.length; at += 1 << 16) parser.pushTo(wire.subarray(at, at + (1 << 16)), sink);
    parser.endTo(sink);
    if (sink.frames !== messages.length) throw new Error(`golden model framed ${sink.frames} of ${messages.length} messages`);
    return sink.frames;
  });
  const objects = await repeat(runs, () => new FixParserModel().push(wire).length);
  const records = simRecords(wire);
  const decode = await repeat(runs, () => decodeRecords(records).length);
  return {
    goldenModelMessagesPerSecond: messages.length / median(model.seconds),
    goldenModelMBytesPerSecond: wire.length / median(model.seconds) / 1e6,
    goldenModelObjectsMessagesPerSecond: messages.length / median(objects.seconds),
    recordDecodeMessagesPerSecond: messages.length / median(decode.seconds),
    recordDecodeRecordsPerSecond: records.length / RECORD_BYTES / median(decode.seconds),
    runs,
  };
}

/** Reads every field of every record through a RecordCursor (what a consumer that reads the records in
 *  place does); returns a sum of the fields so that nothing can be optimised away. */
export function readAllFields(cursor: RecordCursor, batch: Uint8Array): number {
  let sum = 0;
  cursor.reset(batch);
  while (cursor.next()) {
    const kind = cursor.kind;
    sum += cursor.seq + cursor.error;
    if (kind === KIND.fix_fields) {
      const count = cursor.u8(2);
      sum += cursor.u64(8);
      for (let k = 0; k < count; k++) {
        sum += cursor.fieldTag(k) + cursor.fieldValueOffset(k) + cursor.fieldValueLength(k) + cursor.fieldDecodedType(k)
          + cursor.fieldScale(k) + cursor.fieldValue(k);
      }
    } else if (kind === KIND.fix_frame) {
      const a = FIX_FRAME_AT;
      sum += cursor.u8(a.flags) + cursor.u64(a.offset) + cursor.u32(a.length) + cursor.u32(a.fieldCount) + cursor.u64(a.timestamp)
        + cursor.u32(a.msgSeqNum) + cursor.u32(a.bodyLength) + cursor.u16(a.msgType) + cursor.u8(a.computedChecksum)
        + cursor.u8(a.msgTypeLength) + cursor.u8(a.checksum);
    } else if (kind === KIND.stream_end) {
      sum += cursor.u64(STREAM_END_AT.offset) + cursor.u64(STREAM_END_AT.timestamp);
    } else if (kind === KIND.itch_message) {
      const a = ITCH_MESSAGE_AT;
      sum += cursor.u8(a.msgType) + cursor.u8(a.sessionSlot) + cursor.u64(a.moldSeq) + cursor.u64(a.timestamp)
        + cursor.u16(a.stockLocate) + cursor.u16(a.trackingNumber);
      for (let b = a.body; b + 4 <= RECORD_BYTES; b += 4) sum += cursor.u32(b);
    } else {
      for (let b = 8; b < RECORD_BYTES; b += 8) sum += cursor.u64(b);
    }
  }
  return sum;
}

/** Host record decode, both families: FIX records (from the RTL for `wire`) and feed records (from the RTL for a
 *  trading day's MoldUDP64 packets), into events (decodeRecords) and read in place (RecordCursor). */
export async function recordDecodeRates(wire: Buffer, feedPackets: Buffer[], runs: number) {
  const fix = simRecords(wire);
  const feed = simFeedRecords(feedPackets);
  const cursor = new RecordCursor();
  const rate = async (batch: Buffer, f: () => unknown) => batch.length / RECORD_BYTES / median((await repeat(runs, f)).seconds);
  return {
    fixRecords: fix.length / RECORD_BYTES,
    feedRecords: feed.length / RECORD_BYTES,
    fixEventsPerSecond: await rate(fix, () => decodeRecords(fix).length),
    feedEventsPerSecond: await rate(feed, () => decodeRecords(feed).length),
    fixCursorPerSecond: await rate(fix, () => readAllFields(cursor, fix)),
    feedCursorPerSecond: await rate(feed, () => readAllFields(cursor, feed)),
    runs,
  };
}

/** Every record the RTL emits for these feed packets, as raw bytes. */
function simFeedRecords(packets: Buffer[]): Buffer {
  const dev = openFeed();
  try {
    for (const p of packets) dev.sendFeedNow(p);
    const bytes = packets.reduce((n, p) => n + p.length, 0);
    const parts: Buffer[] = [];
    let idle = 0;
    for (let n = 0; n < bytes * 2 && idle < 8; n += 4096) {
      const r = dev.stepRaw(4096);
      parts.push(r.records);
      idle = r.records.length ? 0 : idle + 1;
    }
    return Buffer.concat(parts);
  } finally {
    dev.close();
  }
}

/** Every record the RTL emits for `wire`, as raw bytes. */
function simRecords(wire: Buffer): Buffer {
  const dev = new SteppedSimDevice();
  try {
    enableFix(dev);
    dev.sendNow(wire, { end: true });
    const parts: Buffer[] = [];
    for (let n = 0; n < wire.length; n += 4096) {
      const r = dev.stepRaw(4096);
      parts.push(r.records);
      if (r.records.length && r.records[r.records.length - RECORD_BYTES] === KIND.stream_end) break;
    }
    return Buffer.concat(parts);
  } finally {
    dev.close();
  }
}

export function benchMessages(count: number): Buffer[] {
  return sampleExchangeMessages({ messages: count, seed: 42 });
}
