// Golden model of the market-data feed path: MoldUDP64 packets in, ITCH 5.0 records out (DESIGN.md 3.3).
// The rules below are the contract the RTL feed core will implement.
//
// MoldUDP64. A packet is Session (10, alpha), Sequence Number (8, of its first message), Message Count (2),
// then each message as Message Length (2) and the message. Count 0 is a heartbeat and 0xFFFF the end of the
// session; both carry the next sequence number. Per session, the first packet sets the expected number.
// A packet whose number is above the expected one gives a gap record {expected, received} first; messages
// whose number is below the expected one are duplicates: dropped and counted. Then expected = max(expected,
// sequence + count).
//
// Errors, each a record and a counter, never a stop: a packet shorter than its 20-byte header
// (short_packet); a length field or a message running past the end of the packet (truncated_packet: the
// rest of the packet is dropped, its messages counted as lost); bytes left after the last message
// (trailing_bytes); a message type ITCH 5.0 does not have (unknown_message_type); a message whose length
// is not its type's (bad_length). A message with an error still uses its sequence number.
//
// Symbol filter. Without one, every message passes. With one, a message passes when its Stock Locate is 0
// or belongs to a listed symbol; the locate of a symbol is learned from Stock Directory (R) messages as
// they pass through (an R message is itself filtered by its Stock field). Gap and error records always pass.
import { ITCH_TYPES } from './messages.js';

export type ItchErrorKind = 'short_packet' | 'truncated_packet' | 'trailing_bytes' | 'unknown_message_type' | 'bad_length';

export interface ItchMessageRecord {
  kind: 'itch';
  session: string | null;
  seq: number;
  msgType: string;
  /** The fields of the message type, in specification order. */
  fields: Array<[string, number | string]>;
  stockLocate: number;
}
export interface GapRecord { kind: 'gap'; session: string; expected: number; received: number }
export interface ItchErrorRecord { kind: 'error'; session: string | null; seq: number | null; error: ItchErrorKind; detail: string }
export type FeedRecord = ItchMessageRecord | GapRecord | ItchErrorRecord;

export interface FeedCounters {
  packets: number;
  heartbeats: number;
  endOfSession: number;
  messages: number;
  duplicates: number;
  gaps: number;
  missing: number;
  filtered: number;
  errors: Record<ItchErrorKind, number>;
}

const HEADER_BYTES = 20;
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

export class FeedDecoder {
  readonly counters: FeedCounters = {
    packets: 0, heartbeats: 0, endOfSession: 0, messages: 0, duplicates: 0, gaps: 0, missing: 0, filtered: 0,
    errors: { short_packet: 0, truncated_packet: 0, trailing_bytes: 0, unknown_message_type: 0, bad_length: 0 },
  };
  private readonly expected = new Map<string, number>();
  private readonly locates = new Map<number, string>();

  /** @param symbols only these symbols' messages pass (plus Stock Locate 0); undefined passes everything */
  constructor(private readonly symbols?: ReadonlySet<string>) {}

  /** One MoldUDP64 packet (a UDP payload). */
  packet(p: Buffer, out: FeedRecord[] = []): FeedRecord[] {
    this.counters.packets++;
    if (p.length < HEADER_BYTES) {
      return this.error(out, null, null, 'short_packet', `${p.length} bytes, the MoldUDP64 header alone is ${HEADER_BYTES}`);
    }
    const session = alpha(p, 0, 10);
    const seq = Number(p.readBigUInt64BE(10));
    const count = p.readUInt16BE(18);
    const expected = this.expected.get(session) ?? seq;
    if (seq > expected) {
      this.counters.gaps++;
      this.counters.missing += seq - expected;
      out.push({ kind: 'gap', session, expected, received: seq });
    }
    if (count === 0 || count === END_OF_SESSION) {
      if (count === 0) this.counters.heartbeats++;
      else this.counters.endOfSession++;
      this.expected.set(session, Math.max(expected, seq));
      if (p.length > HEADER_BYTES) this.error(out, session, null, 'trailing_bytes', `${p.length - HEADER_BYTES} bytes after a packet with no messages`);
      return out;
    }
    let at = HEADER_BYTES;
    for (let i = 0; i < count; i++) {
      const msgSeq = seq + i;
      if (at + 2 > p.length || at + 2 + p.readUInt16BE(at) > p.length) {
        // The lost messages are numbered only when they were not delivered before (a cut-off duplicate is not).
        const lost = Math.max(msgSeq, expected);
        this.error(out, session, lost < seq + count ? lost : null, 'truncated_packet', `message ${i + 1} of ${count} runs past the end of the ${p.length}-byte packet`);
        break;
      }
      const len = p.readUInt16BE(at);
      const msg = p.subarray(at + 2, at + 2 + len);
      at += 2 + len;
      if (msgSeq < expected) {
        this.counters.duplicates++;
        continue;
      }
      this.message(msg, session, msgSeq, out);
    }
    if (at < p.length && out[out.length - 1]?.kind !== 'error') {
      this.error(out, session, null, 'trailing_bytes', `${p.length - at} bytes after message ${count}`);
    }
    this.expected.set(session, Math.max(expected, seq + count));
    return out;
  }

  /** One message of a NASDAQ BinaryFILE (no session; numbered from 1 in file order). */
  fileMessage(msg: Buffer, seq: number, out: FeedRecord[] = []): FeedRecord[] {
    this.message(msg, null, seq, out);
    return out;
  }

  /** Reports a BinaryFILE cut off inside a message. */
  truncatedFile(seq: number, detail: string, out: FeedRecord[]): void {
    this.error(out, null, seq, 'truncated_packet', detail);
  }

  private message(msg: Buffer, session: string | null, seq: number, out: FeedRecord[]): void {
    const type = msg.length ? ITCH_TYPES.get(String.fromCharCode(msg[0]!)) : undefined;
    if (!type) {
      this.error(out, session, seq, 'unknown_message_type', msg.length ? `type byte 0x${msg[0]!.toString(16).padStart(2, '0')}` : 'empty message');
      return;
    }
    if (msg.length !== type.length) {
      this.error(out, session, seq, 'bad_length', `${type.type} (${type.name}) is ${type.length} bytes, this one ${msg.length}`);
      return;
    }
    const d = decodeMessage(msg);
    if (d.msgType === 'R') this.locates.set(d.stockLocate, alpha(msg, 11, 8));
    if (this.symbols && d.stockLocate !== 0) {
      const symbol = this.locates.get(d.stockLocate);
      if (symbol === undefined || !this.symbols.has(symbol)) {
        this.counters.filtered++;
        return;
      }
    }
    this.counters.messages++;
    out.push({ kind: 'itch', session, seq, ...d });
  }

  private error(out: FeedRecord[], session: string | null, seq: number | null, error: ItchErrorKind, detail: string): FeedRecord[] {
    this.counters.errors[error]++;
    out.push({ kind: 'error', session, seq, error, detail });
    return out;
  }
}

/** One line of `tickgate decode itch` (DESIGN.md 3.3). */
export function feedRecordJson(r: FeedRecord): string {
  if (r.kind !== 'itch') return JSON.stringify(r);
  const o: Record<string, unknown> = { kind: 'itch', session: r.session, seq: r.seq, msgType: r.msgType };
  for (const [k, v] of r.fields) o[k] = v;
  return JSON.stringify(o);
}
