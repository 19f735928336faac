// The device's feed records, walked for writers that work from the record bytes (the NDJSON lines of
// `decode itch`, its protobuf Events): an ITCH message of a known type and session goes to `message` with its
// normalized body (in its record, or its two records joined); everything else (gaps, errors, a message of a
// session or type the walker does not know, a broken record pair) takes the readable reference path,
// FeedRecordReader, with its checks and errors, and goes to `other`. Session records set the slot's name.
import { DeviceProtocolError } from '../device/events.js';
import { ITCH_MESSAGE_AT, ITCH_MESSAGE_BYTES, ITCH_MORE_AT, KIND, RECORD_AT_COMMON, RECORD_BYTES } from '../device/generated/layout.js';
import type { PrintableFeedRecord } from './device-feed.js';
import { FeedRecordReader, timestampError } from './feed-records.js';
import { ITCH_TYPES, type ItchMessageType } from './messages.js';

/** Bytes of Message Type, Stock Locate, Tracking Number and Timestamp: the record holds the body after them. */
export const ITCH_HEADER_BYTES = 11;
const MAIN_BODY = ITCH_MESSAGE_BYTES.body;

/** How a field of the normalized body is read. */
export const enum BodyFieldKind { Alpha, Uint, Uint64 }

/** The fields of an ITCH type after the header: where each sits in the normalized body and how it is read. */
export function bodyFields(t: ItchMessageType): Array<{ name: string; at: number; size: number; kind: BodyFieldKind }> {
  return t.fields.filter((f) => f.offset >= ITCH_HEADER_BYTES).map((f) => ({
    name: f.name, at: f.offset - ITCH_HEADER_BYTES, size: f.size,
    kind: f.kind === 'alpha' ? BodyFieldKind.Alpha : f.size === 8 ? BodyFieldKind.Uint64 : BodyFieldKind.Uint,
  }));
}

/** For the writers generated per ITCH type: an expression reading the unsigned little-endian 4 bytes at
 *  `p` of `src` as a non-negative number. */
export const u32LECode = (src: string, p: string): string =>
  `((${src}[${p}] | ${src}[${p} + 1] << 8 | ${src}[${p} + 2] << 16) + ${src}[${p} + 3] * 0x1000000)`;

/** Per type byte: the length of its body after the header, or -1 for no ITCH type. */
const BODY_BYTES = new Int32Array(256).fill(-1);
for (const t of ITCH_TYPES.values()) BODY_BYTES[t.type.charCodeAt(0)] = t.length - ITCH_HEADER_BYTES;

export abstract class FeedRecordWalker {
  /** The reference path, for the records that are not ITCH messages (it keeps the session table too). */
  private readonly reader = new FeedRecordReader();
  /** Per session slot: its MoldUDP64 session, trailing spaces trimmed ('' for a BinaryFILE's blank one). */
  protected readonly sessions: Array<string | undefined> = [];
  /** A long message's first record, waiting for its itch_more. */
  private pending: Buffer | undefined;
  /** The reference reader holds a long message's first record (one of a session it does not know): what
   *  follows goes its way, so it reports the break as it would alone. */
  private readerHolds = false;
  private readonly joined = Buffer.alloc(2 * RECORD_BYTES);

  /** An ITCH message: rec/at its first record, body/from its normalized body (in the record, or joined),
   *  timestamp its Timestamp (checked to fit 48 bits), recordSeq the record sequence number of its last
   *  record. */
  protected abstract message(rec: Buffer, at: number, body: Buffer, from: number, timestamp: number, recordSeq: number): void;

  /** A record of the reference path (never a session announcement), with its record sequence number. */
  protected abstract other(r: PrintableFeedRecord, recordSeq: number): void;

  /** A session slot took a session (`name` trimmed; '' for a blank one). */
  protected sessionAnnounced(_slot: number, _name: string): void {}

  /** One device feed record (RECORD_BYTES at `at`); a record of any other family is a DeviceProtocolError. */
  push(b: Buffer, at = 0): void {
    const kind = b[at + RECORD_AT_COMMON.kind]!;
    if (this.readerHolds) {
      // fall through to the reference path
    } else if (kind === KIND.itch_message && this.pending === undefined) {
      const bodyBytes = BODY_BYTES[b[at + ITCH_MESSAGE_AT.msgType]!]!;
      if (bodyBytes >= 0 && this.sessions[b[at + ITCH_MESSAGE_AT.sessionSlot]!] !== undefined) {
        if (bodyBytes <= MAIN_BODY) this.fastMessage(b, at, b, at + ITCH_MESSAGE_AT.body, b.readUInt32LE(at + RECORD_AT_COMMON.seq));
        else this.pending = Buffer.from(b.subarray(at, at + RECORD_BYTES));
        return;
      }
    } else if (kind === KIND.itch_more && this.pending !== undefined) {
      const first = this.pending;
      if (b[at + ITCH_MORE_AT.msgType] === first[ITCH_MESSAGE_AT.msgType]
        && b.readBigUInt64LE(at + ITCH_MORE_AT.moldSeq) === first.readBigUInt64LE(ITCH_MESSAGE_AT.moldSeq)) {
        this.pending = undefined;
        first.copy(this.joined, 0, ITCH_MESSAGE_AT.body);
        b.copy(this.joined, MAIN_BODY, at + ITCH_MORE_AT.body, at + RECORD_BYTES);
        this.fastMessage(first, 0, this.joined, 0, b.readUInt32LE(at + RECORD_AT_COMMON.seq));
        return;
      }
    }
    this.slowPath(b.subarray(at, at + RECORD_BYTES));
  }

  private fastMessage(rec: Buffer, at: number, body: Buffer, from: number, recordSeq: number): void {
    const timestampHi = rec.readUInt32LE(at + ITCH_MESSAGE_AT.timestamp + 4);
    if (timestampHi > 0xffff) {
      throw new DeviceProtocolError(timestampError(recordSeq, rec.readBigUInt64LE(at + ITCH_MESSAGE_AT.timestamp)));
    }
    this.message(rec, at, body, from, timestampHi * 0x1_0000_0000 + rec.readUInt32LE(at + ITCH_MESSAGE_AT.timestamp), recordSeq);
  }

  /** Every record the fast path does not take, with the reference reader's checks and errors. */
  private slowPath(rec: Buffer): void {
    if (this.pending !== undefined) {
      const first = this.pending;
      this.pending = undefined;
      this.reader.push(first);   // it remembers the message, so the record below meets its check
    }
    const r = this.reader.push(rec);
    this.readerHolds = r === undefined;
    if (r === undefined) return;
    if (r.kind === 'session') {
      const name = r.session.toString('latin1').replace(/ +$/, '');
      this.sessions[r.slot] = name;
      this.sessionAnnounced(r.slot, name);
      return;
    }
    this.other(r, rec.readUInt32LE(RECORD_AT_COMMON.seq));
  }
}
