// Decoded device events: the typed view of the event records the device emits. A FIX message arrives as
// its field entries (in field order) followed by its fix_frame event; see src/fix/ref-parser.ts.
import type { FieldEntry, FrameRecord } from '../fix/ref-parser.js';
import {
  DECODED_NAME, ERROR_NAME, FIX_FIELDS_AT, FIX_FIELDS_ENTRIES, FIX_FIELDS_ENTRY0, FIX_FIELDS_ENTRY_AT, FIX_FIELDS_ENTRY_STRIDE,
  FRAME_FLAG, KIND, RECORD_AT_COMMON, RECORD_BYTES, readFixFrame, readStreamEnd, type DecodedName, type ErrorName,
} from './generated/layout.js';

export type FrameError = Exclude<ErrorName, 'none'>;

/** One field of the message being parsed: its tag, where its value is, and the value in binary. */
export interface FixFieldEvent extends FieldEntry {
  seq: number;
}

/** A FIX message span (or a garbled span); closes the field events of its message. */
export interface FixFrameEvent extends FrameRecord {
  seq: number;
  /** Device cycle at which the span's last byte was processed (0 from the reference model). */
  timestamp: bigint;
}

/** The FIX ingress stream ended; every record of that stream came before this one. */
export interface StreamEndEvent {
  kind: 'stream_end';
  seq: number;
  /** Bytes in the stream that ended. */
  bytes: number;
  timestamp: bigint;
}

/** The FIX path's records (fix_fields, fix_frame, stream_end) as the device wrote them, a whole number of
 *  them in device order, for a reader that walks them in place (src/fix/fix-lines.ts). A device sends these
 *  instead of fix_field, fix_frame and stream_end events once asked to (Device.deliverFixRecords). */
export interface FixRecordsEvent {
  kind: 'fix_records';
  records: Buffer;
}

/** The feed path's records as the device wrote them, a whole number of them in device order, for a reader
 *  that walks them in place (src/itch/feed-lines.ts). A device sends these instead of feed_record events
 *  once asked to (Device.deliverFeedRecords). */
export interface FeedRecordsEvent {
  kind: 'feed_records';
  records: Buffer;
}

/** A record of the feed path (kinds feed_session, itch_message, itch_more, feed_gap, feed_error), as sent;
 *  src/itch/feed-records.ts reads it. */
export interface FeedRecordEvent {
  kind: 'feed_record';
  seq: number;
  record: Buffer;
}

/** A risk_verdict record of the order path, as sent; src/risk/verdict-records.ts reads it. */
export interface RiskRecordEvent {
  kind: 'risk_record';
  seq: number;
  record: Buffer;
}

/** Bytes that left on the order egress (what the risk gate let through), in order; `ends` are the offsets in
 *  `bytes` where a message ended. A message may continue in the next order_out event. */
/** Bytes that left on the order egress in one batch. A frame may span batches; see OrderFrames. */
export interface OrderOutEvent {
  kind: 'order_out';
  bytes: Buffer;
  /** Where in `bytes` each frame that ended in this batch ended. */
  ends: number[];
  /** For each of `ends`: the frame ended with tuser (cut-through egress: its bytes left, then the gate
   *  dropped it: a rejected order or a malformed span). Absent: none was. */
  dropped?: boolean[];
}

/** In an orderEnds entry of the addon: the frame ended with tuser. */
export const ORDER_FRAME_DROPPED = 0x8000_0000;

export type DeviceEvent = FixFieldEvent | FixFrameEvent | StreamEndEvent | FixRecordsEvent | FeedRecordsEvent | FeedRecordEvent | RiskRecordEvent
  | OrderOutEvent;

const FEED_KINDS: ReadonlySet<number> = new Set([KIND.feed_session, KIND.itch_message, KIND.itch_more, KIND.feed_gap, KIND.feed_error]);

/** Raised when the device sends something the host does not understand: a layout mismatch or a fault. */
export class DeviceProtocolError extends Error {
  readonly code = 'DEVICE_PROTOCOL';
}

/** A little-endian u64 as a number, without a BigInt on the way (field records are the hot path). */
function readU64(view: DataView, at: number, what: string): number {
  const hi = view.getUint32(at + 4, true);
  if (hi > 0x1fffff) throw new DeviceProtocolError(`${what} is beyond 2^53`);
  return hi * 0x100000000 + view.getUint32(at, true);
}

function toSafeNumber(v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DeviceProtocolError(`${what} ${v} is beyond 2^53`);
  return Number(v);
}

const bit = (flags: number, b: number) => ((flags >>> b) & 1) === 1;

/** Records in one fix_records or feed_records event at most: devices pace by waiting events (the sim device
 *  holds its clock above 65,536), so this bounds the bytes that can wait (64 MiB there). */
const RUN_BYTES = 16 * RECORD_BYTES;

/** Which families of records come as runs (one event for many records, a view of the batch) instead of an
 *  event each: Device.deliverFixRecords, Device.deliverFeedRecords. */
export interface RecordRuns {
  fix?: boolean;
  feed?: boolean;
}

const FIX_PATH_KINDS: ReadonlySet<number> = new Set([KIND.fix_fields, KIND.fix_frame, KIND.stream_end]);

/** Decodes every record in `buf` (a whole number of records) and appends the events to `out`; the families
 *  `runs` names come as fix_records / feed_records events (views of `buf`, not copies). */
export function decodeRecords(buf: Uint8Array, out: DeviceEvent[] = [], runs: RecordRuns = {}): DeviceEvent[] {
  if (buf.byteLength % RECORD_BYTES !== 0) {
    throw new DeviceProtocolError(`record batch of ${buf.byteLength} bytes is not a multiple of ${RECORD_BYTES}`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let runFrom = -1;
  let runKind: 'fix_records' | 'feed_records' = 'fix_records';
  const endRun = (at: number) => {
    if (runFrom < 0) return;
    out.push({ kind: runKind, records: Buffer.from(buf.buffer, buf.byteOffset + runFrom, at - runFrom) });
    runFrom = -1;
  };
  for (let at = 0; at < buf.byteLength; at += RECORD_BYTES) {
    const kind = view.getUint8(at + RECORD_AT_COMMON.kind);
    const run = runs.fix && FIX_PATH_KINDS.has(kind) ? 'fix_records' : runs.feed && FEED_KINDS.has(kind) ? 'feed_records' : null;
    if (run !== null) {
      if (runFrom >= 0 && (at - runFrom === RUN_BYTES || runKind !== run)) endRun(at);
      if (runFrom < 0) { runFrom = at; runKind = run; }
      continue;
    }
    endRun(at);
    const seq = view.getUint32(at + RECORD_AT_COMMON.seq, true);
    if (kind === KIND.fix_fields) {
      const count = view.getUint8(at + FIX_FIELDS_AT.count);
      if (count < 1 || count > FIX_FIELDS_ENTRIES) throw new DeviceProtocolError(`record ${seq} holds ${count} field entries`);
      const messageOffset = readU64(view, at + FIX_FIELDS_AT.messageOffset, 'message offset');
      for (let k = 0; k < count; k++) {
        const e = at + FIX_FIELDS_ENTRY0 + k * FIX_FIELDS_ENTRY_STRIDE;
        const type = view.getUint8(e + FIX_FIELDS_ENTRY_AT.decodedType);
        const decodedType: DecodedName | undefined = DECODED_NAME[type];
        if (decodedType === undefined) throw new DeviceProtocolError(`record ${seq} has unknown decoded type ${type}`);
        out.push({
          kind: 'fix_field', seq, messageOffset,
          tag: view.getUint32(e + FIX_FIELDS_ENTRY_AT.tag, true),
          valueOffset: view.getUint32(e + FIX_FIELDS_ENTRY_AT.valueOffset, true),
          valueLength: view.getUint32(e + FIX_FIELDS_ENTRY_AT.valueLength, true),
          decodedType,
          scale: view.getUint8(e + FIX_FIELDS_ENTRY_AT.scale),
          value: type === 0 ? 0n : view.getBigInt64(e + FIX_FIELDS_ENTRY_AT.value, true),
        });
      }
    } else if (kind === KIND.fix_frame) {
      const r = readFixFrame(view, at);
      const name = ERROR_NAME[r.error];
      if (name === undefined) throw new DeviceProtocolError(`record ${r.seq} has unknown error code ${r.error}`);
      const typeChars = Math.min(r.msgTypeLength, 2);
      out.push({
        kind: 'fix_frame',
        seq: r.seq,
        offset: toSafeNumber(r.offset, 'offset'),
        length: r.length,
        error: name === 'none' ? null : name,
        fieldCount: r.fieldCount,
        msgType: String.fromCharCode(...[r.msgType & 0xff, r.msgType >>> 8].slice(0, typeChars)),
        msgTypeLength: r.msgTypeLength,
        msgSeqNum: bit(r.flags, FRAME_FLAG.MSG_SEQ_NUM) ? r.msgSeqNum : null,
        bodyLength: bit(r.flags, FRAME_FLAG.BODY_LENGTH) ? r.bodyLength : null,
        checksum: bit(r.flags, FRAME_FLAG.CHECKSUM) ? r.checksum : null,
        computedChecksum: r.computedChecksum,
        possDup: bit(r.flags, FRAME_FLAG.POSS_DUP),
        possResend: bit(r.flags, FRAME_FLAG.POSS_RESEND),
        timestamp: r.timestamp,
      });
    } else if (kind === KIND.stream_end) {
      const r = readStreamEnd(view, at);
      out.push({ kind: 'stream_end', seq: r.seq, bytes: toSafeNumber(r.offset, 'stream length'), timestamp: r.timestamp });
    } else if (FEED_KINDS.has(kind)) {
      out.push({ kind: 'feed_record', seq, record: Buffer.from(buf.buffer, buf.byteOffset + at, RECORD_BYTES) });
    } else if (kind === KIND.risk_verdict) {
      out.push({ kind: 'risk_record', seq, record: Buffer.from(buf.buffer, buf.byteOffset + at, RECORD_BYTES) });
    } else {
      throw new DeviceProtocolError(`record ${seq} has unknown kind ${kind}`);
    }
  }
  endRun(buf.byteLength);
  return out;
}

/** The order egress bytes of a batch as an event (none when nothing left and no frame ended: a frame can
 *  end with a null beat, no bytes). */
export function orderOutEvent(bytes: Buffer, endsLE: Buffer): OrderOutEvent | undefined {
  if (bytes.length === 0 && endsLE.length === 0) return undefined;
  const ends: number[] = [];
  const dropped: boolean[] = [];
  for (let i = 0; i < endsLE.length; i += 4) {
    const e = endsLE.readUInt32LE(i);
    ends.push(e & ~ORDER_FRAME_DROPPED);
    dropped.push((e & ORDER_FRAME_DROPPED) !== 0);
  }
  return { kind: 'order_out', bytes: Buffer.from(bytes), ends, ...(dropped.includes(true) ? { dropped } : {}) };
}
