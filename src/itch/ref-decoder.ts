// Golden model of the market-data feed path: MoldUDP64 packets in, ITCH 5.0 records out (DESIGN.md 3.3).
// The rules below are the contract the RTL feed core will implement.
//
// MoldUDP64. A packet is Session (10, alpha), Sequence Number (8, of its first message), Message Count (2),
// then each message as Message Length (2) and the message. Count 0 is a heartbeat and 0xFFFF the end of the
// session; both carry the next sequence number. Per session, the first packet sets the expected number.
// Sessions are told apart by their 10 bytes as received; the device tracks SESSION_SLOTS of them at once: a
// session not in the table takes the slot after the last one taken (round robin, replacing what was there,
// which then starts afresh if it comes back) and is announced by a session record.
// A packet whose number is above the expected one gives a gap record {expected, received} first; messages
// whose number is below the expected one are duplicates: dropped and counted (and the packet counted as a
// duplicate packet when sequence + count, without wrap-around, is at most the expected number). Then
// expected = max(expected, sequence + count).
//
// Errors, each a record and a counter, never a stop: a packet shorter than its 20-byte header
// (short_packet); a length field or a message running past the end of the packet (truncated_packet: the
// rest of the packet is dropped, its messages counted as lost); bytes left after the last message
// (trailing_bytes); a message type ITCH 5.0 does not have (unknown_message_type); a message whose length
// is not its type's (bad_length). A message with an error still uses its sequence number. Error records
// carry numbers (FeedErrorInfo), and their text is made from those alone, so the device can send them.
//
// Symbol filter. Without one, every message passes. With one, a message passes when its Stock Locate is 0
// or belongs to a listed symbol; whether a locate belongs to a listed symbol is decided when its Stock
// Directory (R) message passes (its 8 Stock bytes as received against the list), and an R message is itself
// filtered by its Stock field. A locate no R message has named does not pass. Gap and error records always
// pass.
import { readWhole, type ChunkReader } from './chunk-reader.js';
import type { WireStatusName } from '../device/generated/layout.js';
import { ITCH_TYPES } from './messages.js';
import { receiveFrame, type WireSubscription } from './ref-udp-rx.js';
import { HOLD_BEATS, LineArbiter, noArbiterCounters, type ArbiterCounters, type ArbitratedPacket } from './ref-line-arbiter.js';

/** MoldUDP64 sessions the device tracks at once (FEED_SESSION_SLOTS). */
export const SESSION_SLOTS = 4;

export type ItchErrorKind = 'short_packet' | 'truncated_packet' | 'trailing_bytes' | 'unknown_message_type' | 'bad_length' | WireErrorKind;
/** The errors of the wire-level ingress (DESIGN.md 3.8), one per udp_rx status other than ok. */
export type WireErrorKind = 'truncated_frame' | 'bad_ip_header' | 'bad_ip_checksum' | 'ip_fragment' | 'bad_udp_length' | 'bad_udp_checksum';
const WIRE_ERROR: Record<Exclude<WireStatusName, 'ok'>, WireErrorKind> = {
  truncated: 'truncated_frame', ip_header: 'bad_ip_header', ip_checksum: 'bad_ip_checksum', fragment: 'ip_fragment',
  udp_length: 'bad_udp_length', udp_checksum: 'bad_udp_checksum',
};

/** A MoldUDP64 sequence number: a number, or a bigint beyond 2^53 (printed as a decimal string). */
export type MoldSeq = number | bigint;
const U64 = (1n << 64n) - 1n;
const MAX_SAFE_SEQ = BigInt(Number.MAX_SAFE_INTEGER);
function moldSeq(v: MoldSeq): MoldSeq {
  return typeof v === 'number' || v > MAX_SAFE_SEQ ? v : Number(v);
}
const jsonSeq = (v: MoldSeq | null) => (typeof v === 'bigint' ? v.toString() : v);

export interface ItchMessageRecord {
  kind: 'itch';
  session: string | null;
  seq: MoldSeq;
  msgType: string;
  /** The fields of the message type, in specification order. */
  fields: Array<[string, number | string]>;
  stockLocate: number;
  /** Session table slot (not printed). */
  slot: number;
  /** The message as received (not printed). */
  raw: Buffer;
}
export interface GapRecord { kind: 'gap'; session: string; expected: MoldSeq; received: MoldSeq; slot: number }
/** The numbers an error is described by; the text (`detail`) is made from them by feedErrorDetail. */
export interface FeedErrorInfo {
  /** the packet's Message Count (0 for short_packet) */
  count: number;
  /** truncated_packet: the message (from 1) that runs past the end */
  index: number;
  /** short_packet: bytes in the packet; trailing_bytes: bytes left over */
  bytes: number;
  /** unknown_message_type, bad_length: the message's length and type byte */
  length: number;
  typeByte: number;
}
export interface ItchErrorRecord {
  kind: 'error'; session: string | null; seq: MoldSeq | null; error: ItchErrorKind; detail: string;
  /** not printed */
  slot: number | null;
  info: FeedErrorInfo;
}
/** A session took a slot of the session table: not printed, it tells the host which session a slot means. */
export interface SessionRecord { kind: 'session'; slot: number; session: Buffer }
export type FeedRecord = ItchMessageRecord | GapRecord | ItchErrorRecord | SessionRecord;

/** How the symbol filter decides (the device's registers; a fixed list for the golden model). */
export interface SymbolFilter {
  enabled(): boolean;
  /** stock: the 8 Stock bytes of an R message as received */
  subscribed(stock: Buffer): boolean;
}

/** A filter passing the listed symbols (at most 8 characters; an R message's Stock is space padded). */
export function symbolList(symbols: Iterable<string>): SymbolFilter {
  const set = new Set([...symbols].map((s) => s.padEnd(8, ' ')));
  return { enabled: () => true, subscribed: (stock) => set.has(stock.toString('latin1')) };
}

export function feedErrorDetail(error: ItchErrorKind, i: FeedErrorInfo): string {
  switch (error) {
    case 'short_packet': return `${i.bytes} bytes, the MoldUDP64 header alone is ${HEADER_BYTES}`;
    case 'truncated_packet': return `message ${i.index} of ${i.count} runs past the end of the packet`;
    case 'trailing_bytes':
      return `${i.bytes} byte${i.bytes === 1 ? '' : 's'} after ${i.count === 0 || i.count === END_OF_SESSION ? 'a packet with no messages' : `message ${i.count}`}`;
    case 'unknown_message_type': return i.length ? `type byte 0x${i.typeByte.toString(16).padStart(2, '0')}` : 'empty message';
    case 'bad_length': {
      const t = ITCH_TYPES.get(String.fromCharCode(i.typeByte))!;
      return `${t.type} (${t.name}) is ${t.length} bytes, this one ${i.length}`;
    }
    case 'truncated_frame': return 'the frame ends before the datagram its IPv4 header announces';
    case 'bad_ip_header': return 'IPv4 version, header length or total length impossible';
    case 'bad_ip_checksum': return 'the IPv4 header checksum does not hold';
    case 'ip_fragment': return 'an IPv4 fragment (fragments are not reassembled)';
    case 'bad_udp_length': return 'the UDP length is not the IPv4 payload length';
    case 'bad_udp_checksum': return 'the UDP checksum does not hold (the datagram\'s messages had already been delivered)';
  }
}

export interface FeedCounters {
  packets: number;
  heartbeats: number;
  endOfSession: number;
  messages: number;
  duplicates: number;
  /** packets with messages, every one of them delivered before */
  duplicatePackets: number;
  gaps: number;
  missing: bigint;
  filtered: number;
  /** wire-level ingress: Ethernet frames taken, and those that were not a subscribed UDP stream */
  frames: number;
  otherTraffic: number;
  /** frames whose payload was taken, per line (A, B) */
  linePackets: [number, number];
  errors: Record<ItchErrorKind, number>;
}

const HEADER_BYTES = 20;
const SESSION_BYTES = 10;
const END_OF_SESSION = 0xffff;

function alpha(b: Buffer, at: number, size: number): string {
  return b.toString('latin1', at, at + size).replace(/ +$/, '');
}

/** Decodes one ITCH message (its type and length already checked). */
export function decodeMessage(msg: Buffer): { msgType: string; fields: Array<[string, number | string]>; stockLocate: number } {
  const t = ITCH_TYPES.get(String.fromCharCode(msg[0]!))!;
  const fields: Array<[string, number | string]> = t.fields.map((f) => {
    if (f.kind === 'alpha') return [f.name, alpha(msg, f.offset, f.size)];
    if (f.size === 8) return [f.name, msg.readBigUInt64BE(f.offset).toString()];
    return [f.name, msg.readUIntBE(f.offset, f.size)];
  });
  return { msgType: t.type, fields, stockLocate: msg.readUInt16BE(1) };
}

const NO_INFO: FeedErrorInfo = { count: 0, index: 0, bytes: 0, length: 0, typeByte: 0 };
/** Per type byte: its message length, 0 for a type ITCH 5.0 does not have. */
const ITCH_LENGTH = new Uint16Array(256);
for (const t of ITCH_TYPES.values()) ITCH_LENGTH[t.type.charCodeAt(0)] = t.length;
const STOCK_DIRECTORY = 0x52;   // R

/** Where the decoder puts what a packet gives, in order. */
export interface FeedOutput {
  /** session, gap and error records */
  record(r: Exclude<FeedRecord, ItchMessageRecord>): void;
  /** a message that passed the checks and the filter: `length` bytes at `at` of `packet` (no view is made
   *  per message; a copy is the receiver's to make) */
  message(session: string, slot: number, seq: MoldSeq, packet: Buffer, at: number, length: number): void;
}

export class FeedDecoder {
  readonly counters: FeedCounters = {
    packets: 0, heartbeats: 0, endOfSession: 0, messages: 0, duplicates: 0, duplicatePackets: 0, gaps: 0, missing: 0n, filtered: 0,
    frames: 0, otherTraffic: 0, linePackets: [0, 0],
    errors: {
      short_packet: 0, truncated_packet: 0, trailing_bytes: 0, unknown_message_type: 0, bad_length: 0,
      truncated_frame: 0, bad_ip_header: 0, bad_ip_checksum: 0, ip_fragment: 0, bad_udp_length: 0, bad_udp_checksum: 0,
    },
  };
  /** Per slot: the session as received, its name trimmed, and the next sequence number expected. */
  private readonly sessions: Array<{ id: Buffer; name: string; expected: bigint } | undefined> = new Array(SESSION_SLOTS).fill(undefined);
  private nextSlot = 0;
  private arbiter: LineArbiter | undefined;
  /** the arbiters' counters, kept across arbitrate() calls */
  private readonly arbiterCounts = noArbiterCounters();
  /** Stock Locate → its R message named a subscribed symbol */
  private readonly locates = new Map<number, boolean>();
  private readonly filter: SymbolFilter | undefined;
  /** Sees every well-formed message, at `at` of `packet`, before the symbol filter (the device's trade tap
   *  for the risk gate). */
  tap: ((packet: Buffer, at: number) => void) | undefined;

  /** @param symbols only these symbols' messages pass (plus Stock Locate 0); undefined passes everything */
  constructor(symbols?: ReadonlySet<string> | SymbolFilter) {
    this.filter = symbols === undefined ? undefined : 'enabled' in symbols ? symbols : symbolList(symbols);
  }

  /** One MoldUDP64 packet (a UDP payload): its records. */
  packet(p: Buffer, out: FeedRecord[] = []): FeedRecord[] {
    this.packetTo(p, this.collect(out));
    return out;
  }

  /** One Ethernet frame on the wire-level ingress (DESIGN.md 3.8; src/itch/ref-udp-rx.ts decides what it
   *  holds): other traffic is counted; a refused frame gives its error; a taken frame's payload (possibly
   *  empty) is a MoldUDP64 packet, followed by the frame's error when its status is not ok. */
  frameTo(frame: Buffer, table: readonly WireSubscription[], out: FeedOutput): void {
    this.counters.frames++;
    const r = receiveFrame(frame, table);
    if (r.kind === 'other') {
      this.counters.otherTraffic++;
      return;
    }
    if (r.kind === 'payload') {
      const line = r.line === 0 ? 0 : 1;
      this.counters.linePackets[line]++;
      if (this.arbiter) {
        // held packets outlive the caller's buffer
        this.arbiter.arrive({ line, payload: Buffer.from(r.payload), status: r.status }, (p) => this.released(p, out));
        return;
      }
      this.packetTo(Buffer.from(r.payload.buffer, r.payload.byteOffset, r.payload.byteLength), out);
    }
    if (r.status !== 'ok') this.error(out, null, null, null, WIRE_ERROR[r.status], NO_INFO);
  }

  /** Lines A and B arbitrated (src/itch/ref-line-arbiter.ts), holding at most `holdPackets` packets per line;
   *  0 turns it off. A new arbiter starts with an empty session table; the counters carry on. */
  arbitrate(holdPackets: number, holdBeats = HOLD_BEATS): void {
    if (this.held() > 0) throw new Error('arbitrate: packets are held; flush first');
    this.arbiter = holdPackets > 0 ? new LineArbiter(holdPackets, SESSION_SLOTS, holdBeats, this.arbiterCounts) : undefined;
  }

  /** Packets the arbiter holds. */
  held(): number {
    const held = this.arbiter?.held() ?? [0, 0];
    return held[0] + held[1];
  }

  /** The arbiters' per-line counters. */
  arbiterCounters(): ArbiterCounters {
    return this.arbiterCounts;
  }

  clearArbiterCounters(): void {
    Object.assign(this.arbiterCounts, noArbiterCounters());
  }

  /** Every packet the arbiter holds goes out, the earliest arrived first. */
  flushTo(out: FeedOutput): void {
    this.arbiter?.flush((p) => this.released(p, out));
  }

  flush(out: FeedRecord[] = []): FeedRecord[] {
    this.flushTo(this.collect(out));
    return out;
  }

  private released(p: ArbitratedPacket, out: FeedOutput): void {
    this.packetTo(p.payload, out);
    if (p.status !== 'ok') this.error(out, null, null, null, WIRE_ERROR[p.status], NO_INFO);
  }

  /** One Ethernet frame: its records. */
  frame(frame: Buffer, table: readonly WireSubscription[], out: FeedRecord[] = []): FeedRecord[] {
    this.frameTo(frame, table, this.collect(out));
    return out;
  }

  private collect(out: FeedRecord[]): FeedOutput {
    return {
      record: (r) => out.push(r),
      message: (session, slot, seq, packet, at, length) => {
        const raw = Buffer.from(packet.subarray(at, at + length));
        out.push({ kind: 'itch', session, seq: moldSeq(seq), ...decodeMessage(raw), slot, raw });
      },
    };
  }

  /** One MoldUDP64 packet, its records handed to `out` in order. */
  packetTo(p: Buffer, out: FeedOutput): void {
    this.counters.packets++;
    if (p.length < HEADER_BYTES) {
      this.error(out, null, null, null, 'short_packet', { ...NO_INFO, bytes: p.length });
      return;
    }
    const seq = p.readBigUInt64BE(10);
    const count = p.readUInt16BE(18);
    let slot = this.sessionSlot(p);
    if (slot < 0) {
      slot = this.nextSlot;
      this.nextSlot = (this.nextSlot + 1) % SESSION_SLOTS;
      const id = Buffer.from(p.subarray(0, SESSION_BYTES));
      this.sessions[slot] = { id, name: alpha(id, 0, SESSION_BYTES), expected: seq };
      out.record({ kind: 'session', slot, session: Buffer.from(id) });
    }
    const entry = this.sessions[slot]!;
    const session = entry.name;
    const expected = entry.expected;
    if (seq > expected) {
      this.counters.gaps++;
      // the device's 64-bit counters stop at their top instead of wrapping (hdl/common/event_counter.v)
      const missing = this.counters.missing + seq - expected;
      this.counters.missing = missing > U64 ? U64 : missing;
      out.record({ kind: 'gap', session, expected: moldSeq(expected), received: moldSeq(seq), slot });
    }
    const max = (a: bigint, b: bigint) => (a > b ? a : b);
    if (count === 0 || count === END_OF_SESSION) {
      if (count === 0) this.counters.heartbeats++;
      else this.counters.endOfSession++;
      entry.expected = max(expected, seq);
      if (p.length > HEADER_BYTES) this.error(out, session, slot, null, 'trailing_bytes', { ...NO_INFO, count, bytes: p.length - HEADER_BYTES });
      return;
    }
    const next = seq + BigInt(count);
    if (next <= expected) this.counters.duplicatePackets++;
    // 64-bit wrap-around, as the device's adder does
    const end = next & U64;
    entry.expected = max(expected, end);
    // the message numbers as plain numbers when all of them and the expected one are below 2^53 (in practice
    // always): a BigInt per message is most of what this loop would allocate
    const small = end <= MAX_SAFE_SEQ && expected <= MAX_SAFE_SEQ && end === next;
    const seqN = small ? Number(seq) : 0;
    const expectedN = small ? Number(expected) : 0;
    let at = HEADER_BYTES;
    for (let i = 0; i < count; i++) {
      const msgSeq: MoldSeq = small ? seqN + i : (seq + BigInt(i)) & U64;
      if (at + 2 > p.length || at + 2 + p.readUInt16BE(at) > p.length) {
        // The lost messages are numbered only when they were not delivered before (a cut-off duplicate is not).
        const lost = max(BigInt(msgSeq), expected);
        this.error(out, session, slot, lost < end ? moldSeq(lost) : null, 'truncated_packet', { ...NO_INFO, count, index: i + 1 });
        return;
      }
      const len = (p[at]! << 8) | p[at + 1]!;
      const m = at + 2;
      at = m + len;
      if (small ? (msgSeq as number) < expectedN : (msgSeq as bigint) < expected) {
        this.counters.duplicates++;
        continue;
      }
      this.message(p, m, len, session, slot, msgSeq, count, out);
    }
    if (at < p.length) this.error(out, session, slot, null, 'trailing_bytes', { ...NO_INFO, count, bytes: p.length - at });
  }

  /** The slot whose session is the packet's first SESSION_BYTES bytes, or -1. */
  private sessionSlot(p: Buffer): number {
    for (let slot = 0; slot < SESSION_SLOTS; slot++) {
      const id = this.sessions[slot]?.id;
      if (id === undefined) continue;
      let i = 0;
      while (i < SESSION_BYTES && id[i] === p[i]) i++;
      if (i === SESSION_BYTES) return slot;
    }
    return -1;
  }

  /** The message of `len` bytes at `m` of packet `p`. */
  private message(p: Buffer, m: number, len: number, session: string, slot: number, seq: MoldSeq, count: number, out: FeedOutput): void {
    const length = len ? ITCH_LENGTH[p[m]!] : 0;
    if (length === 0 || len !== length) {
      const info = { ...NO_INFO, count, length: len, typeByte: len ? p[m]! : 0 };
      this.error(out, session, slot, moldSeq(seq), length === 0 ? 'unknown_message_type' : 'bad_length', info);
      return;
    }
    const locate = (p[m + 1]! << 8) | p[m + 2]!;
    if (p[m] === STOCK_DIRECTORY) this.locates.set(locate, this.filter?.subscribed(p.subarray(m + 11, m + 19)) ?? false);
    this.tap?.(p, m);
    if (this.filter?.enabled() && locate !== 0) {
      if (!this.locates.get(locate)) {
        this.counters.filtered++;
        return;
      }
    }
    this.counters.messages++;
    out.message(session, slot, seq, p, m, len);
  }

  private error(out: FeedOutput, session: string | null, slot: number | null, seq: MoldSeq | null, error: ItchErrorKind, info: FeedErrorInfo): void {
    this.counters.errors[error]++;
    out.record({ kind: 'error', session, seq, error, detail: feedErrorDetail(error, info), slot, info });
  }
}

/** The MoldUDP64 packets a NASDAQ BinaryFILE's messages travel in through the device: one message per
 *  packet, numbered from 1 in file order, in a session of 10 spaces (printed as null). A file cut off
 *  inside a message gives a packet whose message runs past its end. */
export class BinaryFileReader implements ChunkReader<Buffer> {
  private seq = 1n;

  take(b: Buffer, _base: number, final: boolean, out: Buffer[]): number {
    let at = 0;
    while (at < b.length) {
      const end = at + 2 + (at + 2 <= b.length ? b.readUInt16BE(at) : 0);
      if (end > b.length && !final) break;
      const header = Buffer.alloc(HEADER_BYTES, 0x20);
      header.writeBigUInt64BE(this.seq++, 10);
      header.writeUInt16BE(1, 18);
      out.push(Buffer.concat([header, b.subarray(at, Math.min(end, b.length))]));
      at = Math.min(end, b.length);
    }
    return at;
  }
}

export const binaryFilePackets = (input: Buffer): Generator<Buffer> => readWhole(new BinaryFileReader(), input);

/** One line of `tickgate decode itch` (DESIGN.md 3.3). */
export function feedRecordJson(r: Exclude<FeedRecord, SessionRecord>): string {
  const session = r.session === '' ? null : r.session;   // BinaryFILE input: no MoldUDP64 session
  switch (r.kind) {
    case 'gap': return JSON.stringify({ kind: 'gap', session, expected: jsonSeq(r.expected), received: jsonSeq(r.received) });
    case 'error': return JSON.stringify({ kind: 'error', session, seq: jsonSeq(r.seq), error: r.error, detail: r.detail });
    case 'itch': {
      const o: Record<string, unknown> = { kind: 'itch', session, seq: jsonSeq(r.seq), msgType: r.msgType };
      for (const [k, v] of r.fields) o[k] = v;
      return JSON.stringify(o);
    }
  }
}

/** The NDJSON lines of these records (session records are the device's bookkeeping: not printed). */
export function feedLines(records: readonly FeedRecord[]): string[] {
  return records.flatMap((r) => (r.kind === 'session' ? [] : [feedRecordJson(r)]));
}
