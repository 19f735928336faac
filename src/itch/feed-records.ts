// Feed records as the device sends them (spec/device.yaml, kinds feed_session, itch_message, itch_more,
// feed_gap, feed_error): written by the reference device from the golden model's records, and read back
// into those records by the host (FeedRecordReader) whichever backend sent them.
import { DeviceProtocolError } from '../device/events.js';
import {
  FEED_ERROR, FEED_ERROR_AT, FEED_ERROR_FLAG, FEED_ERROR_NAME, FEED_GAP_AT, FEED_SESSION_AT, FEED_SESSION_BYTES, ITCH_MESSAGE_AT,
  ITCH_MESSAGE_BYTES, ITCH_MORE_AT, KIND, RECORD_AT_COMMON, RECORD_BYTES,
} from '../device/generated/layout.js';
import { ITCH_TYPES, type ItchMessageType } from './messages.js';
import { decodeMessage, feedErrorDetail, type FeedRecord, type ItchMessageRecord, type MoldSeq } from './ref-decoder.js';

const HEADER_BYTES = 11;          // Message Type, Stock Locate, Tracking Number, Timestamp
const MAIN_BODY = ITCH_MESSAGE_BYTES.body;

/** Per type byte: for each byte of the normalized body (the fields after Timestamp, integers reversed to
 *  little-endian, alpha as received), the message byte it comes from. */
const BODY_FROM: Array<Uint8Array | undefined> = new Array(256).fill(undefined);
for (const t of ITCH_TYPES.values()) {
  const from = new Uint8Array(t.length - HEADER_BYTES);
  for (const f of t.fields) {
    if (f.offset < HEADER_BYTES) continue;
    for (let i = 0; i < f.size; i++) from[f.offset - HEADER_BYTES + i] = f.kind === 'alpha' ? f.offset + i : f.offset + f.size - 1 - i;
  }
  BODY_FROM[t.type.charCodeAt(0)] = from;
}

/** A MoldUDP64 sequence number as a little-endian u64 (no BigInt for a number). */
function writeSeq(out: Buffer, at: number, seq: MoldSeq): void {
  if (typeof seq === 'bigint') {
    out.writeBigUInt64LE(seq, at);
    return;
  }
  const lo = seq % 0x1_0000_0000;
  const hi = (seq - lo) / 0x1_0000_0000;
  out[at] = lo; out[at + 1] = lo >>> 8; out[at + 2] = lo >>> 16; out[at + 3] = lo >>> 24;
  out[at + 4] = hi; out[at + 5] = hi >>> 8; out[at + 6] = hi >>> 16; out[at + 7] = hi >>> 24;
}

/** Records an ITCH message takes: one, or two when its body goes on in an itch_more record. */
export const itchRecordCount = (typeByte: number): number => (BODY_FROM[typeByte]!.length > MAIN_BODY ? 2 : 1);

/** Writes the records of a message of one type but its sequence number: the message at `m` of `msg`, the
 *  records at `at` of `out`. */
type RecordWriter = (msg: Buffer, m: number, slot: number, out: Buffer, at: number) => void;

/** The record writer of an ITCH type, generated from BODY_FROM so that every byte is a store at a constant
 *  offset: a loop through the table and Buffer's byte-order setters took a tenth of the reference device's
 *  feed path. */
function recordWriter(typeByte: number): RecordWriter {
  const from = BODY_FROM[typeByte]!;
  const code: string[] = [];
  const record = (base: number, kind: number, typeAt: number, slotAt: number) => code.push(
    `out[at + ${base + RECORD_AT_COMMON.kind}] = ${kind};`, `out[at + ${base + typeAt}] = ${typeByte};`, `out[at + ${base + slotAt}] = slot;`);
  /** A big-endian field of the message, stored little-endian. */
  const reversed = (to: number, msgAt: number, size: number) => {
    for (let i = 0; i < size; i++) code.push(`out[at + ${to + i}] = msg[m + ${msgAt + size - 1 - i}];`);
  };
  record(0, KIND.itch_message, ITCH_MESSAGE_AT.msgType, ITCH_MESSAGE_AT.sessionSlot);
  reversed(ITCH_MESSAGE_AT.timestamp, 5, 6);
  reversed(ITCH_MESSAGE_AT.stockLocate, 1, 2);
  reversed(ITCH_MESSAGE_AT.trackingNumber, 3, 2);
  for (let i = 0; i < Math.min(from.length, MAIN_BODY); i++) code.push(`out[at + ${ITCH_MESSAGE_AT.body + i}] = msg[m + ${from[i]}];`);
  if (from.length > MAIN_BODY) {
    record(RECORD_BYTES, KIND.itch_more, ITCH_MORE_AT.msgType, ITCH_MORE_AT.sessionSlot);
    for (let i = MAIN_BODY; i < from.length; i++) code.push(`out[at + ${RECORD_BYTES + ITCH_MORE_AT.body + i - MAIN_BODY}] = msg[m + ${from[i]}];`);
  }
  return new Function('msg', 'm', 'slot', 'out', 'at', code.join('\n')) as RecordWriter;
}
const RECORD_WRITERS: Array<RecordWriter | undefined> = BODY_FROM.map((from, typeByte) => (from ? recordWriter(typeByte) : undefined));

/**
 * Writes the itch_message record (and its itch_more) of a message that passed the feed's checks (at `m` of
 * `msg`) into `out` at `at`, whose bytes must be zero, and gives the number of records written. Record
 * sequence numbers are left 0: the device stamps them.
 */
export function writeItchRecords(msg: Buffer, m: number, slot: number, seq: MoldSeq, out: Buffer, at: number): number {
  const type = msg[m]!;
  RECORD_WRITERS[type]!(msg, m, slot, out, at);
  writeSeq(out, at + ITCH_MESSAGE_AT.moldSeq, seq);
  if (BODY_FROM[type]!.length <= MAIN_BODY) return 1;
  writeSeq(out, at + RECORD_BYTES + ITCH_MORE_AT.moldSeq, seq);
  return 2;
}

/** The inverse: the message's bytes from its record fields and normalized body. */
function messageFromBody(t: ItchMessageType, locate: number, tracking: number, timestamp: bigint, body: Buffer): Buffer {
  const msg = Buffer.alloc(t.length);
  msg[0] = t.type.charCodeAt(0);
  msg.writeUInt16BE(locate, 1);
  msg.writeUInt16BE(tracking, 3);
  msg.writeUIntBE(Number(timestamp), 5, 6);
  for (const f of t.fields) {
    if (f.offset < HEADER_BYTES) continue;
    for (let i = 0; i < f.size; i++) {
      msg[f.kind === 'alpha' ? f.offset + i : f.offset + f.size - 1 - i] = body[f.offset - HEADER_BYTES + i]!;
    }
  }
  return msg;
}

function record(kind: number): Buffer {
  const b = Buffer.alloc(RECORD_BYTES);
  b[RECORD_AT_COMMON.kind] = kind;
  return b;
}

/** The device records of one golden-model record (sequence numbers 0: the device stamps them). */
export function encodeFeedRecord(r: FeedRecord): Buffer[] {
  switch (r.kind) {
    case 'session': {
      const b = record(KIND.feed_session);
      b[FEED_SESSION_AT.sessionSlot] = r.slot;
      r.session.copy(b, FEED_SESSION_AT.session, 0, FEED_SESSION_BYTES.session);
      return [b];
    }
    case 'gap': {
      const b = record(KIND.feed_gap);
      b[FEED_GAP_AT.sessionSlot] = r.slot;
      b.writeBigUInt64LE(BigInt(r.expected), FEED_GAP_AT.expected);
      b.writeBigUInt64LE(BigInt(r.received), FEED_GAP_AT.received);
      return [b];
    }
    case 'error': {
      const b = record(KIND.feed_error);
      b[RECORD_AT_COMMON.error] = FEED_ERROR[r.error];
      b[FEED_ERROR_AT.flags] = (r.seq !== null ? 1 << FEED_ERROR_FLAG.SEQ : 0) | (r.slot !== null ? 1 << FEED_ERROR_FLAG.SESSION : 0);
      b[FEED_ERROR_AT.sessionSlot] = r.slot ?? 0;
      b.writeBigUInt64LE(BigInt(r.seq ?? 0), FEED_ERROR_AT.moldSeq);
      b.writeUInt16LE(r.info.count, FEED_ERROR_AT.count);
      b.writeUInt16LE(r.info.index & 0xffff, FEED_ERROR_AT.index);
      b.writeUInt16LE(r.info.bytes, FEED_ERROR_AT.bytes);
      b.writeUInt16LE(r.info.length, FEED_ERROR_AT.length);
      b[FEED_ERROR_AT.msgType] = r.info.typeByte;
      return [b];
    }
    case 'itch': {
      const b = Buffer.alloc(2 * RECORD_BYTES);
      const n = writeItchRecords(r.raw, 0, r.slot, r.seq, b, 0);
      return n === 1 ? [b.subarray(0, RECORD_BYTES)] : [b.subarray(0, RECORD_BYTES), b.subarray(RECORD_BYTES)];
    }
  }
}

/** An ITCH Timestamp is 6 bytes. */
const TIMESTAMP_LIMIT = 1n << 48n;
export const timestampError = (seq: number, timestamp: bigint) => `record ${seq} holds timestamp ${timestamp}, wider than ITCH's 6 bytes`;

const u64 = (b: Buffer, at: number): MoldSeq => {
  const v = b.readBigUInt64LE(at);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
};
const alphaName = (b: Buffer) => b.toString('latin1').replace(/ +$/, '');

/** Device feed records in, golden-model records out (session records included, continuations joined). */
export class FeedRecordReader {
  private readonly sessions = new Map<number, string>();
  private pending: { rec: Buffer; type: ItchMessageType } | undefined;

  push(rec: Buffer): FeedRecord | undefined {
    const kind = rec[RECORD_AT_COMMON.kind]!;
    const seq = rec.readUInt32LE(RECORD_AT_COMMON.seq);
    if (this.pending && kind !== KIND.itch_more) throw new DeviceProtocolError(`record ${seq}: an ${this.pending.type.type} message's continuation is missing`);
    switch (kind) {
      case KIND.feed_session: {
        const session = Buffer.from(rec.subarray(FEED_SESSION_AT.session, FEED_SESSION_AT.session + FEED_SESSION_BYTES.session));
        this.sessions.set(rec[FEED_SESSION_AT.sessionSlot]!, alphaName(session));
        return { kind: 'session', slot: rec[FEED_SESSION_AT.sessionSlot]!, session };
      }
      case KIND.feed_gap: {
        const slot = rec[FEED_GAP_AT.sessionSlot]!;
        return { kind: 'gap', session: this.session(slot, seq), expected: u64(rec, FEED_GAP_AT.expected), received: u64(rec, FEED_GAP_AT.received), slot };
      }
      case KIND.feed_error: {
        const error = FEED_ERROR_NAME[rec[RECORD_AT_COMMON.error]!];
        if (error === undefined) throw new DeviceProtocolError(`record ${seq} has unknown feed error code ${rec[RECORD_AT_COMMON.error]}`);
        const flags = rec[FEED_ERROR_AT.flags]!;
        const slot = (flags >> FEED_ERROR_FLAG.SESSION) & 1 ? rec[FEED_ERROR_AT.sessionSlot]! : null;
        const info = {
          count: rec.readUInt16LE(FEED_ERROR_AT.count), index: rec.readUInt16LE(FEED_ERROR_AT.index), bytes: rec.readUInt16LE(FEED_ERROR_AT.bytes),
          length: rec.readUInt16LE(FEED_ERROR_AT.length), typeByte: rec[FEED_ERROR_AT.msgType]!,
        };
        return {
          kind: 'error', session: slot === null ? null : this.session(slot, seq), seq: (flags >> FEED_ERROR_FLAG.SEQ) & 1 ? u64(rec, FEED_ERROR_AT.moldSeq) : null,
          error, detail: feedErrorDetail(error, info), slot, info,
        };
      }
      case KIND.itch_message: {
        const type = ITCH_TYPES.get(String.fromCharCode(rec[ITCH_MESSAGE_AT.msgType]!));
        if (!type) throw new DeviceProtocolError(`record ${seq} holds unknown ITCH type ${rec[ITCH_MESSAGE_AT.msgType]}`);
        if (type.length - HEADER_BYTES > MAIN_BODY) {
          this.pending = { rec: Buffer.from(rec), type };
          return undefined;
        }
        return this.message(rec, type, rec.subarray(ITCH_MESSAGE_AT.body), seq);
      }
      case KIND.itch_more: {
        const p = this.pending;
        if (!p || rec[ITCH_MORE_AT.msgType] !== p.rec[ITCH_MESSAGE_AT.msgType] || rec.readBigUInt64LE(ITCH_MORE_AT.moldSeq) !== p.rec.readBigUInt64LE(ITCH_MESSAGE_AT.moldSeq)) {
          throw new DeviceProtocolError(`record ${seq}: a continuation without its message`);
        }
        this.pending = undefined;
        const body = Buffer.concat([p.rec.subarray(ITCH_MESSAGE_AT.body), rec.subarray(ITCH_MORE_AT.body)]);
        return this.message(p.rec, p.type, body, seq);
      }
      default:
        throw new DeviceProtocolError(`record ${seq} has kind ${kind}, not a feed record`);
    }
  }

  private session(slot: number, seq: number): string {
    const s = this.sessions.get(slot);
    if (s === undefined) throw new DeviceProtocolError(`record ${seq} names session slot ${slot}, which no feed_session record announced`);
    return s;
  }

  private message(rec: Buffer, type: ItchMessageType, body: Buffer, seq: number): ItchMessageRecord {
    const slot = rec[ITCH_MESSAGE_AT.sessionSlot]!;
    const timestamp = rec.readBigUInt64LE(ITCH_MESSAGE_AT.timestamp);
    if (timestamp >= TIMESTAMP_LIMIT) throw new DeviceProtocolError(timestampError(seq, timestamp));
    const raw = messageFromBody(type, rec.readUInt16LE(ITCH_MESSAGE_AT.stockLocate), rec.readUInt16LE(ITCH_MESSAGE_AT.trackingNumber),
      timestamp, body);
    return { kind: 'itch', session: this.session(slot, seq), seq: u64(rec, ITCH_MESSAGE_AT.moldSeq), ...decodeMessage(raw), slot, raw };
  }
}
