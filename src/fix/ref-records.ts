// The FIX path's device records (fix_fields, fix_frame, stream_end, DESIGN.md §1) written from the golden
// model's output, in place, as the RTL lays them out: the reference device hands them to readers that walk
// records (`decode fix`) without an object per field. One field entry per fix_fields record, where the RTL
// packs up to two. Timestamps are 0: the reference has no clock.
import {
  ERROR, FIX_FIELDS_AT, FIX_FIELDS_ENTRY0, FIX_FIELDS_ENTRY_AT, FIX_FRAME_AT, FRAME_FLAG, KIND, RECORD_AT_COMMON,
  STREAM_END_AT,
} from '../device/generated/layout.js';
import type { FieldState, FrameRecord } from './ref-parser.js';

const TWO_32 = 0x1_0000_0000;

function writeU64(view: DataView, at: number, v: number): void {
  view.setUint32(at, v % TWO_32, true);
  view.setUint32(at + 4, Math.floor(v / TWO_32), true);
}

function writeCommon(view: DataView, at: number, kind: number, error: number, seq: number): void {
  view.setUint8(at + RECORD_AT_COMMON.kind, kind);
  view.setUint8(at + RECORD_AT_COMMON.error, error);
  view.setUint32(at + RECORD_AT_COMMON.seq, seq, true);
}

// a field record's offsets as plain constants: this is the hot path of the reference device's FIX records
const KIND_AT = RECORD_AT_COMMON.kind;
const ERROR_AT = RECORD_AT_COMMON.error;
const SEQ_AT = RECORD_AT_COMMON.seq;
const FIELDS_KIND = KIND.fix_fields;
const NO_ERROR = ERROR.none;
const COUNT_AT = FIX_FIELDS_AT.count;
const MESSAGE_OFFSET_AT = FIX_FIELDS_AT.messageOffset;
const TAG_AT = FIX_FIELDS_ENTRY0 + FIX_FIELDS_ENTRY_AT.tag;
const VALUE_OFFSET_AT = FIX_FIELDS_ENTRY0 + FIX_FIELDS_ENTRY_AT.valueOffset;
const VALUE_LENGTH_AT = FIX_FIELDS_ENTRY0 + FIX_FIELDS_ENTRY_AT.valueLength;
const DECODED_TYPE_AT = FIX_FIELDS_ENTRY0 + FIX_FIELDS_ENTRY_AT.decodedType;
const SCALE_AT = FIX_FIELDS_ENTRY0 + FIX_FIELDS_ENTRY_AT.scale;
const VALUE_AT = FIX_FIELDS_ENTRY0 + FIX_FIELDS_ENTRY_AT.value;

/** A fix_fields record holding the one entry `f`, at `at` of zeroed memory. */
export function writeFieldRecord(view: DataView, at: number, seq: number, f: FieldState): void {
  view.setUint8(at + KIND_AT, FIELDS_KIND);
  view.setUint8(at + ERROR_AT, NO_ERROR);
  view.setUint32(at + SEQ_AT, seq, true);
  view.setUint8(at + COUNT_AT, 1);
  writeU64(view, at + MESSAGE_OFFSET_AT, f.messageOffset);
  view.setUint32(at + TAG_AT, f.tag, true);
  view.setUint32(at + VALUE_OFFSET_AT, f.valueOffset, true);
  view.setUint32(at + VALUE_LENGTH_AT, f.valueLength, true);
  view.setUint8(at + DECODED_TYPE_AT, f.type);
  view.setUint8(at + SCALE_AT, f.scale);
  const v = at + VALUE_AT;
  if (f.mantBig !== null) {
    view.setBigInt64(v, f.neg ? -f.mantBig : f.mantBig, true);
  } else {
    // two's complement from the halves; -0 is 0
    const signed = f.neg ? -f.mant : f.mant;
    const hi = Math.floor(signed / TWO_32);
    view.setUint32(v, signed - hi * TWO_32, true);
    view.setInt32(v + 4, hi | 0, true);
  }
}

/** A fix_frame record for `r`, at `at` of zeroed memory. */
export function writeFrameRecord(view: DataView, at: number, seq: number, r: FrameRecord): void {
  writeCommon(view, at, KIND.fix_frame, ERROR[r.error ?? 'none'], seq);
  const flags = (r.msgSeqNum !== null ? 1 << FRAME_FLAG.MSG_SEQ_NUM : 0) | (r.possDup ? 1 << FRAME_FLAG.POSS_DUP : 0)
    | (r.possResend ? 1 << FRAME_FLAG.POSS_RESEND : 0) | (r.bodyLength !== null ? 1 << FRAME_FLAG.BODY_LENGTH : 0)
    | (r.checksum !== null ? 1 << FRAME_FLAG.CHECKSUM : 0);
  view.setUint8(at + FIX_FRAME_AT.flags, flags);
  writeU64(view, at + FIX_FRAME_AT.offset, r.offset);
  view.setUint32(at + FIX_FRAME_AT.length, r.length, true);
  view.setUint32(at + FIX_FRAME_AT.fieldCount, r.fieldCount, true);
  view.setUint32(at + FIX_FRAME_AT.msgSeqNum, r.msgSeqNum ?? 0, true);
  view.setUint32(at + FIX_FRAME_AT.bodyLength, r.bodyLength ?? 0, true);
  view.setUint16(at + FIX_FRAME_AT.msgType, (r.msgType.charCodeAt(0) || 0) | ((r.msgType.charCodeAt(1) || 0) << 8), true);
  view.setUint8(at + FIX_FRAME_AT.computedChecksum, r.computedChecksum);
  view.setUint8(at + FIX_FRAME_AT.msgTypeLength, r.msgTypeLength);
  view.setUint16(at + FIX_FRAME_AT.checksum, r.checksum ?? 0, true);
}

/** A stream_end record for a stream of `bytes` bytes, at `at` of zeroed memory. */
export function writeStreamEndRecord(view: DataView, at: number, seq: number, bytes: number): void {
  writeCommon(view, at, KIND.stream_end, ERROR.none, seq);
  writeU64(view, at + STREAM_END_AT.offset, bytes);
}
