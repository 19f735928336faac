// Realistic ITCH 5.0 sessions for tests, benchmarks and the simulated exchange: system events, a stock
// directory, then a trading day of adds, executions, cancels, deletes, replaces, trades, crosses and the
// rarer messages, with order references that stay consistent. Wrapped as MoldUDP64 packets, as a pcap
// capture (Ethernet, optional VLAN tag, IPv4, UDP) or as a NASDAQ BinaryFILE.
import { ITCH_TYPES } from './messages.js';

export type ItchValues = Record<string, number | bigint | string>;

/** One ITCH message from its field values (missing fields are 0 or spaces). */
export function encodeItch(type: string, values: ItchValues): Buffer {
  const t = ITCH_TYPES.get(type);
  if (!t) throw new Error(`no ITCH message type ${type}`);
  // from Node's buffer pool: allocating each small message on its own made the garbage collector the
  // generator's largest cost
  const b = Buffer.allocUnsafe(t.length).fill(0);
  b[0] = type.charCodeAt(0);
  for (const f of t.fields) {
    const v = values[f.name];
    if (f.kind === 'alpha') {
      const text = String(v ?? '');
      for (let i = 0; i < f.size; i++) b[f.offset + i] = i < text.length ? text.charCodeAt(i) & 0xff : 0x20;
    } else if (f.size === 8) b.writeBigUInt64BE(BigInt(v ?? 0), f.offset);
    else b.writeUIntBE(Number(v ?? 0), f.offset, f.size);
  }
  return b;
}

/** A small, fast, seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SessionOptions {
  seed: number;
  symbols: string[];
  /** Messages of the trading day between the opening and closing system events. */
  messages: number;
}

/** The live order references, ascending, with the k-th one found in O(log n) (a Fenwick tree over
 *  reference numbers, which only ever grow): picking from a copy of the book's keys made the generator
 *  quadratic. */
export class LiveRefs {
  private readonly tree: Int32Array;
  private readonly top: number;
  size = 0;

  constructor(private readonly first: number, capacity: number) {
    this.tree = new Int32Array(capacity + 1);
    this.top = 1 << Math.floor(Math.log2(capacity + 1));
  }

  private update(ref: number, delta: number): void {
    for (let i = ref - this.first + 1; i < this.tree.length; i += i & -i) this.tree[i]! += delta;
    this.size += delta;
  }

  add(ref: number): void { this.update(ref, 1); }
  remove(ref: number): void { this.update(ref, -1); }

  /** The k-th smallest live reference, from 0. */
  at(k: number): number {
    let i = 0;
    for (let step = this.top; step > 0; step >>= 1) {
      if (i + step < this.tree.length && this.tree[i + step]! <= k) {
        i += step;
        k -= this.tree[i]!;
      }
    }
    return this.first + i;
  }
}

/** A trading day's ITCH messages, in order. */
export function generateItchSession(o: SessionOptions): Buffer[] {
  const r = prng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: Buffer[] = [];
  let ts = 34_200_000_000_000; // 09:30:00 in ns since midnight
  let tracking = 0;
  const firstRef = 1000; // references and match numbers stay far below 2^53: numbers, not bigints
  let nextRef = firstRef;
  let nextMatch = 1;
  const matches: number[] = [];
  const book = new Map<number, { locate: number; side: string; shares: number; price: number; stock: string }>();
  const live = new LiveRefs(firstRef, o.messages + 1); // a message makes at most one reference
  const emit = (type: string, v: ItchValues) => {
    ts += 1 + Math.floor(r() * 50_000);
    tracking = (tracking + 1) & 0xffff;
    out.push(encodeItch(type, { trackingNumber: tracking, timestamp: ts, stockLocate: 0, ...v }));
  };
  const stocks = o.symbols.map((stock, i) => ({ stock, locate: i + 1, price: 100_0000 + Math.floor(r() * 400_0000) }));

  emit('S', { eventCode: 'O' });
  for (const s of stocks) {
    emit('R', {
      stockLocate: s.locate, stock: s.stock, marketCategory: pick(['Q', 'G', 'S', 'N']), financialStatusIndicator: 'N', roundLotSize: 100,
      roundLotsOnly: 'N', issueClassification: 'C', issueSubType: 'Z', authenticity: 'P', shortSaleThresholdIndicator: 'N', ipoFlag: 'N',
      luldReferencePriceTier: '1', etpFlag: 'N', etpLeverageFactor: 0, inverseIndicator: 'N',
    });
    emit('H', { stockLocate: s.locate, stock: s.stock, tradingState: 'T', reserved: ' ', reason: '' });
  }
  emit('V', { level1: 4_000_00000000n, level2: 3_700_00000000n, level3: 3_300_00000000n });
  emit('S', { eventCode: 'S' });
  emit('S', { eventCode: 'Q' });

  for (let n = 0; n < o.messages; n++) {
    const s = pick(stocks);
    const x = r();
    const px = () => Math.max(1, s.price + Math.round((r() - 0.5) * 2000));
    if (x < 0.42 || live.size < 5) {
      const ref = nextRef++;
      live.add(ref);
      const side = r() < 0.5 ? 'B' : 'S';
      const shares = 100 * (1 + Math.floor(r() * 10));
      const price = px();
      book.set(ref, { locate: s.locate, side, shares, price, stock: s.stock });
      const mpid = r() < 0.2;
      emit(mpid ? 'F' : 'A', { stockLocate: s.locate, orderReferenceNumber: ref, buySellIndicator: side, shares, stock: s.stock, price, ...(mpid ? { attribution: pick(['GSCO', 'MSCO', 'NITE']) } : {}) });
      continue;
    }
    const ref = live.at(Math.floor(r() * live.size));
    const ord = book.get(ref)!;
    if (x < 0.55) {
      const shares = Math.min(ord.shares, 100);
      const match = nextMatch++;
      matches.push(match);
      emit('E', { stockLocate: ord.locate, orderReferenceNumber: ref, executedShares: shares, matchNumber: match });
      ord.shares -= shares;
    } else if (x < 0.6) {
      const match = nextMatch++;
      matches.push(match);
      emit('C', { stockLocate: ord.locate, orderReferenceNumber: ref, executedShares: ord.shares, matchNumber: match, printable: 'Y', executionPrice: ord.price + 1 });
      ord.shares = 0;
    } else if (x < 0.7) {
      const cancel = Math.min(ord.shares, 100);
      emit('X', { stockLocate: ord.locate, orderReferenceNumber: ref, cancelledShares: cancel });
      ord.shares -= cancel;
    } else if (x < 0.8) {
      emit('D', { stockLocate: ord.locate, orderReferenceNumber: ref });
      ord.shares = 0;
    } else if (x < 0.88) {
      const neu = nextRef++;
      const price = px();
      emit('U', { stockLocate: ord.locate, originalOrderReferenceNumber: ref, newOrderReferenceNumber: neu, shares: ord.shares, price });
      book.set(neu, { ...ord, price });
      live.add(neu);
      ord.shares = 0;
    } else if (x < 0.94) {
      const match = nextMatch++;
      matches.push(match);
      emit('P', { stockLocate: s.locate, orderReferenceNumber: 0n, buySellIndicator: 'B', shares: 100, stock: s.stock, price: px(), matchNumber: match });
    } else if (x < 0.96) {
      emit('I', {
        stockLocate: s.locate, pairedShares: 10_000n, imbalanceShares: 500n, imbalanceDirection: pick(['B', 'S', 'N', 'O']), stock: s.stock,
        farPrice: px(), nearPrice: px(), currentReferencePrice: s.price, crossType: 'O', priceVariationIndicator: 'L',
      });
    } else if (x < 0.97) {
      const match = nextMatch++;
      emit('Q', { stockLocate: s.locate, shares: 50_000n, stock: s.stock, crossPrice: s.price, matchNumber: match, crossType: 'O' });
    } else if (x < 0.975 && matches.length) {
      emit('B', { stockLocate: s.locate, matchNumber: pick(matches) });
    } else {
      const rare = pick(['Y', 'L', 'K', 'J', 'h', 'N', 'W', 'O']);
      const common = { stockLocate: s.locate, stock: s.stock };
      if (rare === 'Y') emit('Y', { ...common, regSHOAction: '0' });
      else if (rare === 'L') emit('L', { ...common, mpid: 'NITE', primaryMarketMaker: 'Y', marketMakerMode: 'N', marketParticipantState: 'A' });
      else if (rare === 'K') emit('K', { ...common, ipoQuotationReleaseTime: 36_000, ipoQuotationReleaseQualifier: 'A', ipoPrice: s.price });
      else if (rare === 'J') emit('J', { ...common, auctionCollarReferencePrice: s.price, upperAuctionCollarPrice: s.price + 5000, lowerAuctionCollarPrice: s.price - 5000, auctionCollarExtension: 0 });
      else if (rare === 'h') emit('h', { ...common, marketCode: 'Q', operationalHaltAction: 'H' });
      else if (rare === 'N') emit('N', { ...common, interestFlag: pick(['B', 'S', 'A', 'N']) });
      else if (rare === 'W') emit('W', { breachedLevel: '1' });
      else emit('O', { ...common, openEligibilityStatus: 'N', minimumAllowablePrice: s.price - 1000, maximumAllowablePrice: s.price + 1000, nearExecutionPrice: s.price, nearExecutionTime: BigInt(ts), lowerPriceRangeCollar: s.price - 2000, upperPriceRangeCollar: s.price + 2000 });
    }
    if (ord.shares === 0) {
      book.delete(ref);
      live.remove(ref);
    }
  }
  emit('S', { eventCode: 'M' });
  emit('S', { eventCode: 'E' });
  emit('S', { eventCode: 'C' });
  return out;
}

export interface PacketOptions {
  session: string;
  /** sequence numbers run on past 2^64 - 1 to 0, as a 64-bit field does */
  firstSeq: number | bigint;
  /** UDP payload budget per packet. */
  maxPayload?: number;
  /** messages per packet, as many as fit up to this; default a random 1 to 30 per packet */
  messagesPerPacket?: number;
  seed?: number;
}

/** MoldUDP64 packets carrying the messages in order (a random number per packet within the budget). */
export function moldPacketize(messages: Buffer[], o: PacketOptions): Buffer[] {
  const r = prng(o.seed ?? 1);
  const budget = o.maxPayload ?? 1400;
  const packets: Buffer[] = [];
  let seq = BigInt(o.firstSeq);
  let i = 0;
  while (i < messages.length) {
    const want = o.messagesPerPacket ?? 1 + Math.floor(r() * 30);
    const parts: Buffer[] = [];
    let size = 20;
    while (i < messages.length && parts.length < want && size + 2 + messages[i]!.length <= budget) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(messages[i]!.length);
      parts.push(len, messages[i]!);
      size += 2 + messages[i]!.length;
      i++;
    }
    if (parts.length === 0) throw new RangeError(`moldPacketize: a ${messages[i]!.length}-byte message does not fit a ${budget}-byte payload`);
    packets.push(Buffer.concat([moldHeader(o.session, seq, parts.length / 2), ...parts]));
    seq = (seq + BigInt(parts.length / 2)) & U64_MASK;
  }
  return packets;
}

const U64_MASK = (1n << 64n) - 1n;

/** A MoldUDP64 header; a sequence number outside 64 bits is taken modulo 2^64. */
export function moldHeader(session: string, seq: number | bigint, count: number): Buffer {
  const h = Buffer.alloc(20);
  h.write(session.padEnd(10, ' ').slice(0, 10), 0, 'latin1');
  h.writeBigUInt64BE(BigInt(seq) & U64_MASK, 10);
  h.writeUInt16BE(count, 18);
  return h;
}

/** Sets the Timestamp of every message in a MoldUDP64 packet to `ns` (ns since midnight), as an exchange
 *  stamps messages as it sends them (the demo and the latency benchmark, which read it against the clock). */
export function restampPacket(packet: Buffer, ns: number): void {
  const count = packet.length >= 20 ? packet.readUInt16BE(18) : 0;
  let at = 20;
  for (let i = 0; i < count && count !== 0xffff && at + 2 <= packet.length; i++) {
    const len = packet.readUInt16BE(at);
    if (len >= 11 && at + 2 + len <= packet.length) packet.writeUIntBE(Math.floor(ns), at + 2 + 5, 6);
    at += 2 + len;
  }
}

/** A NASDAQ BinaryFILE: each message after its 2-byte big-endian length. */
export function binaryFile(messages: Buffer[]): Buffer {
  return Buffer.concat(messages.flatMap((m) => {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(m.length);
    return [len, m];
  }));
}

export interface PcapOptions {
  /** An 802.1Q tag with this VLAN id on every frame. */
  vlan?: number;
  dstPort?: number;
  /** Frames of other traffic mixed in (ARP), which a reader must skip. */
  noise?: boolean;
}

/** One frame of a capture: its bytes and, when the capture cut it short, its length on the wire. */
export interface CaptureRecord {
  data: Buffer;
  originalLength?: number;
}

/** A pcap capture of the packets as UDP datagrams to a multicast group. */
export function pcapFile(packets: Buffer[], o: PcapOptions = {}): Buffer {
  const records: CaptureRecord[] = [];
  packets.forEach((payload, k) => {
    if (o.noise && k % 7 === 3) records.push({ data: Buffer.concat([Buffer.alloc(12, 0xff), Buffer.from([0x08, 0x06]), Buffer.alloc(28)]) });
    records.push({ data: udpFrame(payload, o) });
  });
  return pcapOf(records);
}

/** A classic pcap file (little-endian, microseconds) of these frames. */
export function pcapOf(frames: readonly CaptureRecord[], linkType = 1): Buffer {
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(linkType, 20);
  const out: Buffer[] = [global];
  frames.forEach((f, k) => {
    const h = Buffer.alloc(16);
    const usec = 7 * (k + 1);
    h.writeUInt32LE(34_200 + Math.floor(usec / 1e6), 0);
    h.writeUInt32LE(usec % 1e6, 4);
    h.writeUInt32LE(f.data.length, 8);
    h.writeUInt32LE(f.originalLength ?? f.data.length, 12);
    out.push(h, f.data);
  });
  return Buffer.concat(out);
}

/** A pcapng file of these frames: one section, one interface, Enhanced Packet Blocks (or Simple Packet
 *  Blocks with `simple`, which hold no captured length: a frame is cut short only by `snapLength`), in
 *  either byte order. */
export function pcapngOf(frames: readonly CaptureRecord[], o: { linkType?: number; bigEndian?: boolean; simple?: boolean; snapLength?: number } = {}): Buffer {
  const be = o.bigEndian ?? false;
  const block = (type: number, body: Buffer) => {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const b = Buffer.alloc(12 + padded.length);
    const w = (v: number, at: number) => (be ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
    w(type, 0);
    w(b.length, 4);
    padded.copy(b, 8);
    w(b.length, b.length - 4);
    return b;
  };
  const u32 = (v: number) => { const b = Buffer.alloc(4); if (be) b.writeUInt32BE(v >>> 0); else b.writeUInt32LE(v >>> 0); return b; };
  const u16 = (v: number) => { const b = Buffer.alloc(2); if (be) b.writeUInt16BE(v); else b.writeUInt16LE(v); return b; };
  const shb = block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d), u16(1), u16(0), Buffer.alloc(8, 0xff)]));
  const snap = o.snapLength ?? 0;
  const idb = block(1, Buffer.concat([u16(o.linkType ?? 1), u16(0), u32(snap || (o.simple ? 0 : 262_144))]));
  const simpleBlock = (f: CaptureRecord) => {
    const original = f.originalLength ?? f.data.length;
    const kept = snap ? Math.min(original, snap) : original;
    if (f.data.length < kept) throw new Error('a Simple Packet Block cannot hold a frame cut short other than by the snap length');
    return block(3, Buffer.concat([u32(original), f.data.subarray(0, kept)]));
  };
  const packets = frames.map((f, k) => (o.simple
    ? simpleBlock(f)
    : block(6, Buffer.concat([u32(0), u32(0), u32(1000 * (k + 1)), u32(f.data.length), u32(f.originalLength ?? f.data.length), f.data]))));
  return Buffer.concat([shb, idb, ...packets]);
}

export interface UdpFrameOptions extends PcapOptions {
  /** destination IPv4 address (default the group 239.1.1.1) */
  dst?: [number, number, number, number];
  /** IPv4 flags and fragment offset field (default 0: a whole datagram) */
  fragment?: number;
  /** VLAN tags as (TPID, VLAN id) pairs, outermost first (instead of `vlan`: 802.1ad stacks, 0x9100) */
  tags?: readonly (readonly [number, number])[];
  /** IPv4 options (a multiple of 4 bytes, at most 40) */
  ipOptions?: Buffer;
  /** compute the UDP checksum (default: 0, not sent, as feeds do) */
  udpChecksum?: boolean;
  /** pad the frame to Ethernet's 60-byte minimum, as a MAC does */
  pad?: boolean;
}

/** Ones'-complement sum of big-endian 16-bit words, folded (an odd last byte padded with 0). */
function internetSum(parts: readonly Buffer[]): number {
  let sum = 0;
  for (const b of parts) for (let i = 0; i < b.length; i += 2) sum += (b[i]! << 8) | (i + 1 < b.length ? b[i + 1]! : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

/** An Ethernet frame holding the payload as one UDP datagram. */
export function udpFrame(payload: Buffer, o: UdpFrameOptions = {}): Buffer {
  const eth = Buffer.from([0x01, 0x00, 0x5e, 0x01, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01]);
  const tags = o.tags ?? (o.vlan === undefined ? [] : [[0x8100, o.vlan] as const]);
  const vlan = Buffer.concat(tags.map(([tpid, id]) => Buffer.from([tpid >> 8, tpid & 0xff, (id >> 8) & 0x0f, id & 0xff])));
  const type = Buffer.from([0x08, 0x00]);
  const options = o.ipOptions ?? Buffer.alloc(0);
  const ip = Buffer.alloc(20 + options.length);
  ip[0] = 0x40 | (ip.length / 4);
  ip.writeUInt16BE(ip.length + 8 + payload.length, 2);
  ip.writeUInt16BE(o.fragment ?? 0, 6);
  ip[8] = 1;
  ip[9] = 17;
  Buffer.from([10, 0, 0, 1]).copy(ip, 12);
  Buffer.from(o.dst ?? [239, 1, 1, 1]).copy(ip, 16);
  options.copy(ip, 20);
  ip.writeUInt16BE(~internetSum([ip]) & 0xffff, 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(40_000, 0);
  udp.writeUInt16BE(o.dstPort ?? 26_400, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  if (o.udpChecksum) {
    const pseudo = Buffer.concat([ip.subarray(12, 20), Buffer.from([0, 17, udp[4]!, udp[5]!])]);
    udp.writeUInt16BE(~internetSum([pseudo, udp, payload]) & 0xffff || 0xffff, 6);
  }
  const frame = Buffer.concat([eth, vlan, type, ip, udp, payload]);
  return o.pad && frame.length < 60 ? Buffer.concat([frame, Buffer.alloc(60 - frame.length)]) : frame;
}
