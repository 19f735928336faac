// Feed core benchmarks, counted in simulated cycles (exact): messages per cycle on back-to-back Add Orders
// and on a generated trading day, and the latency from the beat holding a message's last byte to its record;
// the same through the wire-level ingress (whole Ethernet frames, CONTROL.FEED_WIRE), where the latency runs
// from the frame's last byte.
import { KIND, REG } from '../src/device/generated/layout.js';
import { SteppedSimDevice } from '../src/device/sim-device.js';
import { configureFeed, type FeedIngress } from '../src/itch/device-feed.js';
import { encodeItch, generateItchSession, moldPacketize, udpFrame } from '../src/itch/generator.js';
import { ITCH_TYPES } from '../src/itch/messages.js';

export function openFeed(ingress?: FeedIngress): SteppedSimDevice {
  const dev = new SteppedSimDevice();
  for (let n = 0; dev.readReg(REG.FEED_STATUS) !== 0; n++) {
    if (n > 100) throw new Error('feed bench: the locate table did not clear');
    dev.stepRaw(4096);
  }
  configureFeed(dev, undefined, ingress);
  return dev;
}

/** The stream the wire benchmarks subscribe (one table entry, line A), and its packets as frames to it,
 *  with a UDP checksum (the receive path checks it). */
const BENCH_GROUP: [number, number, number, number] = [233, 54, 12, 111];
const BENCH_PORT = 26_477;
export const WIRE_INGRESS: FeedIngress = {
  kind: 'frames', lines: [{ address: ((233 << 24) | (54 << 16) | (12 << 8) | 111) >>> 0, port: BENCH_PORT, line: 0 }],
};
export const asFrames = (packets: Buffer[]): Buffer[] => packets.map((p) => udpFrame(p, { dst: BENCH_GROUP, dstPort: BENCH_PORT, udpChecksum: true }));

/** Lines A and B arbitrated (hdl/feed/line_arbiter.v, hold 8 packets as decode itch sets it): line A is the
 *  stream above, line B another group on the same port. */
const B_GROUP: [number, number, number, number] = [233, 49, 196, 111];
export const WIRE_INGRESS_AB: FeedIngress = {
  kind: 'frames',
  lines: [...(WIRE_INGRESS.kind === 'frames' ? WIRE_INGRESS.lines : []), { address: ((233 << 24) | (49 << 16) | (196 << 8) | 111) >>> 0, port: BENCH_PORT, line: 1 }],
  arbitration: { holdPackets: 8 },
};
/** Each packet on line A, then its copy on line B one packet later. */
export function onBothLines(packets: Buffer[]): Buffer[] {
  const a = asFrames(packets);
  const b = packets.map((p) => udpFrame(p, { dst: B_GROUP, dstPort: BENCH_PORT, udpChecksum: true }));
  return a.flatMap((f, k) => (k > 0 ? [f, b[k - 1]!] : [f])).concat(b.slice(-1));
}

export interface FeedThroughput {
  messages: number;
  packets: number;
  bytes: number;
  cycles: number;
  messagesPerCycle: number;
  /** the packets' beats (8 bytes, a packet's last beat partial) per cycle: 1 is line rate */
  lineRate: number;
}

/** From the first beat offered to the last record out; every message must come out as one record. With
 *  `ingress` frames, `packets` are Ethernet frames and line rate is one beat of them a cycle. */
export function feedThroughput(packets: Buffer[], messages: number, ingress?: FeedIngress): FeedThroughput {
  const dev = openFeed(ingress);
  try {
    const start = dev.cycles();
    for (const p of packets) dev.sendFeedNow(p);
    let records = 0;
    let last = start;
    for (let guard = 0; dev.ingressQueued() > 0 || guard < 2; guard += dev.ingressQueued() > 0 ? 0 : 1) {
      const r = dev.stepRaw(1024);
      for (let at = 0; at < r.records.length; at += 64) {
        const kind = r.records[at];
        if (kind === KIND.itch_message) { records++; last = r.egressCycles.readBigUInt64LE((at / 64) * 8); }
      }
    }
    if (records !== messages) throw new Error(`feed bench: ${records} records for ${messages} messages`);
    const cycles = Number(last - start) + 1;
    const beats = packets.reduce((n, p) => n + Math.ceil(p.length / 8), 0);
    return { messages, packets: packets.length, bytes: packets.reduce((n, p) => n + p.length, 0), cycles, messagesPerCycle: messages / cycles, lineRate: beats / cycles };
  } finally {
    dev.close();
  }
}

/** Back-to-back Add Orders (No MPID), packed into 1,400-byte MoldUDP64 payloads (36 per packet). */
export function addOrderPackets(count: number): { packets: Buffer[]; messages: number } {
  const adds = Array.from({ length: count }, (_, k) => encodeItch('A', {
    stockLocate: 1 + (k % 8), trackingNumber: k & 0xffff, timestamp: 34_200_000_000_000 + k, orderReferenceNumber: BigInt(k + 1),
    buySellIndicator: k % 2 ? 'S' : 'B', shares: 100, stock: 'AAPL', price: 1_901_200,
  }));
  return { packets: moldPacketize(adds, { session: 'BENCH00001', firstSeq: 1, seed: 1, maxPayload: 1400, messagesPerPacket: 1000 }), messages: count };
}

/** The shortest frames that carry a message: one System Event (12 bytes) per packet, 76-byte frames. */
export function smallestFrames(count: number): { packets: Buffer[]; messages: number } {
  const events = Array.from({ length: count }, (_, k) => encodeItch('S', { trackingNumber: k & 0xffff, timestamp: 34_200_000_000_000 + k, eventCode: 'Q' }));
  return { packets: asFrames(moldPacketize(events, { session: 'BENCH00001', firstSeq: 1, seed: 1, messagesPerPacket: 1 })), messages: count };
}

export function tradingDayPackets(count: number): { packets: Buffer[]; messages: number } {
  const day = generateItchSession({ seed: 1, symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'META', 'GOOG', 'AMD'], messages: count });
  return { packets: moldPacketize(day, { session: 'BENCH00001', firstSeq: 1, seed: 1 }), messages: day.length };
}

export interface FeedLatency {
  samples: number;
  lanes: number[];
  min: number;
  max: number;
}

/**
 * Cycles from the clock edge that takes the beat with a message's last byte into the core to the edge that
 * hands out its record: every message type alone in a packet, and each after a 1- to 7-byte junk-free
 * prefix message so that the last byte falls in every lane.
 */
export function feedLatency(ingress?: FeedIngress): FeedLatency {
  const dev = openFeed(ingress);
  const lat: number[] = [];
  const lanes = new Set<number>();
  let seq = 1;
  try {
    for (const type of ITCH_TYPES.keys()) {
      for (const prefix of [0, 12, 19, 20, 21, 23, 25, 26]) {   // S, D, Y, h, X, H, L lengths shift the end lane
        const messages = [...(prefix ? [encodeItch(prefix === 12 ? 'S' : prefix === 19 ? 'D' : prefix === 20 ? 'Y' : prefix === 21 ? 'h' : prefix === 23 ? 'X' : prefix === 25 ? 'H' : 'L', {})] : []), encodeItch(type, {})];
        const mold = moldPacketize(messages, { session: 'LATENCY001', firstSeq: seq, seed: 1, messagesPerPacket: 10 })[0]!;
        if (mold.readUInt16BE(18) !== messages.length) throw new Error('latency bench: the messages did not share a packet');
        // a frame's last byte is its packet's last byte (no padding: every such frame is over 60 bytes)
        const packet = ingress?.kind === 'frames' ? asFrames([mold])[0]! : mold;
        seq += messages.length;
        const lastSeq = BigInt(seq - 1);
        lanes.add((packet.length - 1) % 8);
        dev.sendFeedNow(packet);
        let lastBeat = -1n;
        let record: bigint | undefined;
        for (let n = 0; n < packet.length + 64 && record === undefined; n++) {
          const before = dev.cycles();
          const queued = dev.ingressQueued();
          const r = dev.stepRaw(1);
          if (queued > 0 && dev.ingressQueued() === 0) lastBeat = before;
          for (let at = 0; at < r.records.length; at += 64) {
            if (r.records[at] === KIND.itch_message && r.records.readBigUInt64LE(at + 8) === lastSeq) record = r.egressCycles.readBigUInt64LE((at / 64) * 8);
          }
        }
        if (record === undefined || lastBeat < 0n) throw new Error(`latency bench: no record for a ${type} message`);
        lat.push(Number(record - lastBeat));
        dev.stepRaw(16);
      }
    }
    return { samples: lat.length, lanes: [...lanes].sort(), min: Math.min(...lat), max: Math.max(...lat) };
  } finally {
    dev.close();
  }
}
