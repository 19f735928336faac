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

/** The fields after Timestamp, normalized: integers reversed to little-endian, alpha as received. */
function normalizedBody(t: ItchMessageType, msg: Buffer): Buffer {
  const body = Buffer.alloc(t.length - HEADER_BYTES);
  for (const f of t.fields) {
    if (f.offset < HEADER_BYTES) continue;
    for (let i = 0; i < f.size; i++) {
      body[f.offset - HEADER_BYTES + i] = msg[f.kind === 'alpha' ? f.offset + i : f.offset + f.size - 1 - i]!;
    }
  }
  return body;
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
      const t = ITCH_TYPES.get(r.msgType)!;
      const body = normalizedBody(t, r.raw);
      const b = record(KIND.itch_message);
      b[ITCH_MESSAGE_AT.msgType] = r.raw[0]!;
      b[ITCH_MESSAGE_AT.sessionSlot] = r.slot;
      b.writeBigUInt64LE(BigInt(r.seq), ITCH_MESSAGE_AT.moldSeq);
      b.writeBigUInt64LE(BigInt(r.raw.readUIntBE(5, 6)), ITCH_MESSAGE_AT.timestamp);
      b.writeUInt16LE(r.raw.readUInt16BE(1), ITCH_MESSAGE_AT.stockLocate);
      b.writeUInt16LE(r.raw.readUInt16BE(3), ITCH_MESSAGE_AT.trackingNumber);
      body.copy(b, ITCH_MESSAGE_AT.body, 0, Math.min(MAIN_BODY, body.length));
      if (body.length <= MAIN_BODY) return [b];
      const more = record(KIND.itch_more);
      more[ITCH_MORE_AT.msgType] = r.raw[0]!;
      more[ITCH_MORE_AT.sessionSlot] = r.slot;
      more.writeBigUInt64LE(BigInt(r.seq), ITCH_MORE_AT.moldSeq);
      body.copy(more, ITCH_MORE_AT.body, MAIN_BODY);
      return [b, more];
    }
  }
}

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
    const raw = messageFromBody(type, rec.readUInt16LE(ITCH_MESSAGE_AT.stockLocate), rec.readUInt16LE(ITCH_MESSAGE_AT.trackingNumber),
      rec.readBigUInt64LE(ITCH_MESSAGE_AT.timestamp), body);
    return { kind: 'itch', session: this.session(slot, seq), seq: u64(rec, ITCH_MESSAGE_AT.moldSeq), ...decodeMessage(raw), slot, raw };
  }
}
