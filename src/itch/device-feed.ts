// The feed path through a device: subscriptions and enables set through registers, MoldUDP64 packets in,
// the device's feed records read back into golden-model records (src/itch/feed-records.ts).
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import type { Device } from '../device/device.js';
import { EventQueue } from '../device/event-queue.js';
import type { DeviceEvent } from '../device/events.js';
import { RECORD_BYTES, REG, REG_BIT } from '../device/generated/layout.js';
import { FeedRecordReader } from './feed-records.js';
import { FeedDecoder, type FeedCounters, type FeedRecord, type SessionRecord } from './ref-decoder.js';
import type { ArbiterCounters } from './ref-line-arbiter.js';
import type { WireSubscription } from './ref-udp-rx.js';

export type PrintableFeedRecord = Exclude<FeedRecord, SessionRecord>;

/** With wholeInput, batches of fewer events than this make the reader wait for the sender's turn to end. */
const SHORT_BATCH = 64;

/** Where packets go: the device (DeviceFeed) or the golden model directly (tests, benchmarks). */
export interface FeedSink {
  packet(p: Buffer): void;
}

export class FeedConfigError extends Error {
  readonly code = 'FEED_CONFIG';
}

/** What the feed ingress carries: bare MoldUDP64 packets, or Ethernet frames (DESIGN.md 3.8) with the
 *  wire ingress's table (empty: every UDP stream, line A). */
export type FeedIngress = { kind: 'packets' } | { kind: 'frames'; lines: readonly WireSubscription[]; arbitration?: Arbitration };

/** A/B arbitration (hdl/feed/line_arbiter.v): packets a line may hold while the other may still fill a gap. */
export interface Arbitration {
  holdPackets: number;
  holdBeats?: number;
}

/** What `decode itch` holds when lines A and B are both given: a few packets, as a live feed's lines are a few
 *  packets apart at most; a gap both lines lost waits at most this many packets of the line ahead. */
export const DEFAULT_HOLD_PACKETS = 8;

/** Writes the subscriptions (if any: the filter is on exactly when `symbols` is given), the ingress mode and
 *  the wire table, and enables the feed receiver. A symbol is 1 to 8 printable ASCII characters. */
export function configureFeed(device: Pick<Device, 'readReg' | 'writeReg'>, symbols?: readonly string[],
  ingress: FeedIngress = { kind: 'packets' }): void {
  if (ingress.kind === 'frames') {
    const slots = device.readReg(REG.FEED_LINE_SLOTS);
    if (ingress.lines.length > slots) throw new FeedConfigError(`--line: the device holds ${slots} streams, ${ingress.lines.length} were given`);
    ingress.lines.forEach((l, slot) => {
      device.writeReg(REG.FEED_LINE_ADDRESS, l.address >>> 0);
      device.writeReg(REG.FEED_LINE_PORT, (l.port | (l.line << REG_BIT.FEED_LINE_PORT_LINE_B)) >>> 0);
      device.writeReg(REG.FEED_LINE_WRITE, (slot | (1 << REG_BIT.FEED_LINE_WRITE_VALID)) >>> 0);
    });
    const arb = ingress.arbitration;
    if (arb) {
      if (!Number.isInteger(arb.holdPackets) || arb.holdPackets < 0 || arb.holdPackets > 15) {
        throw new FeedConfigError(`holdPackets: ${arb.holdPackets} is not a whole number from 0 to 15`);
      }
      if (arb.holdBeats !== undefined && (!Number.isInteger(arb.holdBeats) || arb.holdBeats < 1 || arb.holdBeats > 8191)) {
        throw new FeedConfigError(`holdBeats: ${arb.holdBeats} is not a whole number from 1 to 8191`);
      }
      device.writeReg(REG.FEED_ARB_HOLD_PACKETS, arb.holdPackets);
      if (arb.holdBeats !== undefined) device.writeReg(REG.FEED_ARB_HOLD_BEATS, arb.holdBeats);
    }
  }
  if (symbols) {
    const slots = device.readReg(REG.FEED_SUB_SLOTS);
    if (symbols.length > slots) throw new FeedConfigError(`--symbols: the device holds ${slots} subscriptions, ${symbols.length} were given`);
    symbols.forEach((symbol, slot) => {
      if (!/^[\x21-\x7e][\x20-\x7e]{0,7}$/.test(symbol)) {
        throw new FeedConfigError(`--symbols: "${symbol}" is not an ITCH symbol (1 to 8 printable ASCII characters)`);
      }
      const bytes = Buffer.from(symbol.padEnd(8, ' '), 'latin1');
      device.writeReg(REG.FEED_SUB_SYMBOL_LO, bytes.readUInt32LE(0));
      device.writeReg(REG.FEED_SUB_SYMBOL_HI, bytes.readUInt32LE(4));
      device.writeReg(REG.FEED_SUB_WRITE, (slot | (1 << REG_BIT.FEED_SUB_WRITE_VALID)) >>> 0);
    });
  }
  const filter = symbols ? 1 << REG_BIT.CONTROL_FEED_FILTER_ENABLE : 0;
  const wire = ingress.kind === 'frames' ? 1 << REG_BIT.CONTROL_FEED_WIRE : 0;
  const control = device.readReg(REG.CONTROL) & ~((1 << REG_BIT.CONTROL_FEED_FILTER_ENABLE) | (1 << REG_BIT.CONTROL_FEED_WIRE));
  // the mode is set while the receiver is still off (the path is idle), then the receiver is enabled
  device.writeReg(REG.CONTROL, (control | filter | wire) >>> 0);
  device.writeReg(REG.CONTROL, (control | (1 << REG_BIT.CONTROL_FEED_RX_ENABLE) | filter | wire) >>> 0);
}

/** The feed counters as the device's registers give them (the golden model's FeedCounters shape). */
export function readFeedCounters(device: Pick<Device, 'readReg' | 'readReg64'>): FeedCounters {
  return {
    packets: device.readReg(REG.FEED_PACKETS),
    heartbeats: device.readReg(REG.FEED_HEARTBEATS),
    endOfSession: device.readReg(REG.FEED_END_OF_SESSION),
    messages: device.readReg(REG.FEED_MESSAGES),
    duplicates: device.readReg(REG.FEED_DUPLICATES),
    duplicatePackets: device.readReg(REG.FEED_DUPLICATE_PACKETS),
    gaps: device.readReg(REG.FEED_GAPS),
    missing: device.readReg64(REG.FEED_MISSING_LO),
    filtered: device.readReg(REG.FEED_FILTERED),
    errors: {
      short_packet: device.readReg(REG.FEED_SHORT_PACKETS),
      truncated_packet: device.readReg(REG.FEED_TRUNCATED),
      trailing_bytes: device.readReg(REG.FEED_TRAILING),
      unknown_message_type: device.readReg(REG.FEED_UNKNOWN_TYPES),
      bad_length: device.readReg(REG.FEED_BAD_LENGTHS),
      truncated_frame: device.readReg(REG.FEED_TRUNCATED_FRAMES),
      bad_ip_header: device.readReg(REG.FEED_BAD_IP_HEADERS),
      bad_ip_checksum: device.readReg(REG.FEED_BAD_IP_CHECKSUMS),
      ip_fragment: device.readReg(REG.FEED_IP_FRAGMENTS),
      bad_udp_length: device.readReg(REG.FEED_BAD_UDP_LENGTHS),
      bad_udp_checksum: device.readReg(REG.FEED_BAD_UDP_CHECKSUMS),
    },
    frames: device.readReg(REG.FEED_FRAMES),
    otherTraffic: device.readReg(REG.FEED_OTHER_TRAFFIC),
    linePackets: [device.readReg(REG.FEED_LINE_A_PACKETS), device.readReg(REG.FEED_LINE_B_PACKETS)],
  };
}

/** The A/B arbiter's counters as the device's registers give them. */
export function readArbiterCounters(device: Pick<Device, 'readReg' | 'readReg64'>): ArbiterCounters {
  return {
    coveredLosses: [device.readReg64(REG.FEED_LINE_A_COVERED_LO), device.readReg64(REG.FEED_LINE_B_COVERED_LO)],
    lateDuplicates: [device.readReg(REG.FEED_LINE_A_LATE), device.readReg(REG.FEED_LINE_B_LATE)],
    forcedFlushes: device.readReg(REG.FEED_ARB_FORCED_FLUSHES),
  };
}

/** Lets every packet the A/B arbiter holds go (the end of an input): waits for the device to have taken what
 *  was sent, flushes, and waits again. */
export async function flushArbiter(device: Pick<Device, 'writeReg' | 'flush'>): Promise<void> {
  await device.flush();
  device.writeReg(REG.FEED_ARB_FLUSH, 1);
  await device.flush();
}

/** Takes the device's feed records as they come: the RECORD_BYTES at `at` of `records`. A sink that walks
 *  records in place gets them in runs (Device.deliverFeedRecords). */
export interface FeedRecordSink {
  push(records: Buffer, at: number): void;
}

/** A sink handing each record to `onRecord` as a golden-model record (session records kept back). */
export function feedRecords(onRecord: (r: PrintableFeedRecord) => void): FeedRecordSink {
  const reader = new FeedRecordReader();
  return {
    push(records, at) {
      const r = reader.push(records.subarray(at, at + RECORD_BYTES));
      if (r && r.kind !== 'session') onRecord(r);
    },
  };
}

export interface DeviceFeedOptions {
  /** The caller sends a whole input and reads the records at finish() (decode): after a short batch of
   *  events the reader lets the sender's turn end first. Woken at each push, it would take one packet's
   *  events at a time, a promise and a batch each (a tenth of `decode itch`). A service leaves it off, so
   *  that records reach their sink in the turn the device sent them (settled() waits for them either way). */
  wholeInput?: boolean;
}

/** Packets into a device, records out as the device sends them: to `onRecord` as golden-model records, or
 *  as they are to a FeedRecordSink. Reads the device's events (it is their only reader); FIX events, if any,
 *  are ignored. */
export class DeviceFeed implements FeedSink {
  /** The first error of a packet handed over with packet(): finish() rethrows it. */
  private sendError: unknown;
  /** Settles when the device's event stream ends (close) or fails. */
  readonly done: Promise<void>;
  private readonly events: AsyncIterable<DeviceEvent>;
  /** Events the reader has handed to the sink. */
  private handled = 0;
  /** settled() calls waiting for the reader to reach an event count. */
  private catchUps: { upTo: number; resolve: () => void }[] = [];

  constructor(readonly device: Device, out: ((r: PrintableFeedRecord) => void) | FeedRecordSink, o: DeviceFeedOptions = {}) {
    const sink = typeof out === 'function' ? feedRecords(out) : out;
    // a sink of its own walks the records where the device wrote them, a run per event
    if (typeof out !== 'function') device.deliverFeedRecords();
    const take = (ev: DeviceEvent): void => {
      if (ev.kind === 'feed_record') sink.push(ev.record, 0);
      else if (ev.kind === 'feed_records') for (let at = 0; at < ev.records.length; at += RECORD_BYTES) sink.push(ev.records, at);
    };
    const events = this.events = device.events();
    this.done = (async () => {
      if (events instanceof EventQueue) {
        // every backend's: taken a batch at a time, not a promise per record
        for (let batch = await events.nextBatch(); batch; batch = await events.nextBatch()) {
          for (const ev of batch as DeviceEvent[]) take(ev);
          this.handledUpTo(this.handled + batch.length);
          if (o.wholeInput && batch.length < SHORT_BATCH) await setImmediatePromise();
        }
        return;
      }
      for await (const ev of events) {
        take(ev);
        this.handledUpTo(this.handled + 1);
      }
    })().finally(() => this.handledUpTo(Infinity));
  }

  /** Resolves once the device has processed every packet sent so far and the sink has had all their records
   *  (or the event stream has ended). device.flush() alone says the device has delivered its events, not that
   *  this reader has taken them: with `wholeInput` it takes them a turn later. */
  async settled(): Promise<void> {
    await this.device.flush();
    const events = this.events;
    if (!(events instanceof EventQueue)) return;
    // every event delivered by now: those the reader took from the queue, and those still in it
    const upTo = events.taken + events.size;
    if (this.handled >= upTo) return;
    await new Promise<void>((resolve) => this.catchUps.push({ upTo, resolve }));
  }

  private handledUpTo(n: number): void {
    this.handled = n;
    if (this.catchUps.length === 0) return;
    this.catchUps = this.catchUps.filter((c) => {
      if (c.upTo > n) return true;
      c.resolve();
      return false;
    });
  }

  packet(p: Buffer): void {
    this.device.sendFeed(p).catch((err: unknown) => { this.sendError ??= err; });
  }

  /** Sends a packet and waits while the device's ingress is full. */
  send(p: Buffer): Promise<void> {
    return this.device.sendFeed(p);
  }

  /** Waits for every record of the packets sent so far, then closes the device. */
  async finish(): Promise<void> {
    await this.device.flush();
    await this.device.close();
    await this.done;
    if (this.sendError !== undefined) throw this.sendError;
  }
}

/** Packets into the golden model directly. */
export class GoldenFeed implements FeedSink {
  readonly decoder: FeedDecoder;

  constructor(symbols: ReadonlySet<string> | undefined, private readonly onRecord: (r: PrintableFeedRecord) => void) {
    this.decoder = new FeedDecoder(symbols);
  }

  packet(p: Buffer): void {
    for (const r of this.decoder.packet(p)) if (r.kind !== 'session') this.onRecord(r);
  }
}
