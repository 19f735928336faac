// The FIX path's device records (fix_fields, fix_frame, stream_end, DESIGN.md §1) written from the golden
// model's output, in place, as the RTL lays them out: the reference device hands them to readers that walk
// records (`decode fix`) without an object per field. One field entry per fix_fields record, where the RTL
// packs up to two. Timestamps are 0: the reference has no clock. A field record, one per field of every
// message, is written in 32-bit words (every field of it is 4-aligned); the rarer ones through a DataView.
import {
  ERROR, FIX_FIELDS_AT, RECORD_BYTES, FIX_FIELDS_ENTRY0, FIX_FIELDS_ENTRY_AT, FIX_FRAME_AT, FRAME_FLAG, KIND, RECORD_AT_COMMON,
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

// the same as 32-bit word indexes (the words of a little-endian machine: Node's platforms)
for (const at of [SEQ_AT, MESSAGE_OFFSET_AT, TAG_AT, VALUE_OFFSET_AT, VALUE_LENGTH_AT, VALUE_AT, RECORD_BYTES]) {
  if (at % 4 !== 0) throw new Error(`layout: a fix_fields word at ${at} is not 4-aligned`);
}
const SEQ_W = SEQ_AT / 4;
const MESSAGE_OFFSET_W = MESSAGE_OFFSET_AT / 4;
const TAG_W = TAG_AT / 4;
const VALUE_OFFSET_W = VALUE_OFFSET_AT / 4;
const VALUE_LENGTH_W = VALUE_LENGTH_AT / 4;
const VALUE_W = VALUE_AT / 4;

/** The views the record writers take of one buffer of records. */
export interface RecordViews {
  bytes: Uint8Array;
  words: Uint32Array;
  signedWords: Int32Array;
  view: DataView;
}

/** Views of `b`, which holds whole records from a 4-aligned offset (a Buffer.alloc, or a record of one). */
export function recordViews(b: Uint8Array): RecordViews {
  if (b.byteOffset % 4 !== 0) throw new Error('record buffers start 4-aligned');
  const words = b.byteLength >> 2;
  return {
    bytes: b, words: new Uint32Array(b.buffer, b.byteOffset, words), signedWords: new Int32Array(b.buffer, b.byteOffset, words),
    view: new DataView(b.buffer, b.byteOffset, b.byteLength),
  };
}

/** A fix_fields record holding the one entry `f`, at `at` (a multiple of RECORD_BYTES) of zeroed memory. */
export function writeFieldRecord(r: RecordViews, at: number, seq: number, f: FieldState): void {
  const bytes = r.bytes;
  const words = r.words;
  const w = at >> 2;
  bytes[at + KIND_AT] = FIELDS_KIND;
  bytes[at + ERROR_AT] = NO_ERROR;
  bytes[at + COUNT_AT] = 1;
  words[w + SEQ_W] = seq;
  const offset = f.messageOffset;
  const offsetHi = Math.floor(offset / TWO_32);
  words[w + MESSAGE_OFFSET_W] = offset - offsetHi * TWO_32;
  words[w + MESSAGE_OFFSET_W + 1] = offsetHi;
  words[w + TAG_W] = f.tag;
  words[w + VALUE_OFFSET_W] = f.valueOffset;
  words[w + VALUE_LENGTH_W] = f.valueLength;
  bytes[at + DECODED_TYPE_AT] = f.type;
  bytes[at + SCALE_AT] = f.scale;
  if (f.mantBig !== null) {
    r.view.setBigInt64(at + VALUE_AT, f.neg ? -f.mantBig : f.mantBig, true);
  } else {
    // two's complement from the halves; -0 is 0
    const signed = f.neg ? -f.mant : f.mant;
    const hi = Math.floor(signed / TWO_32);
    words[w + VALUE_W] = signed - hi * TWO_32;
    r.signedWords[w + VALUE_W + 1] = hi;
  }
}

/** A fix_frame record for `r`, at `at` of zeroed memory. */
export function writeFrameRecord({ view }: RecordViews, at: number, seq: number, r: FrameRecord): void {
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
export function writeStreamEndRecord({ view }: RecordViews, at: number, seq: number, bytes: number): void {
  writeCommon(view, at, KIND.stream_end, ERROR.none, seq);
  writeU64(view, at + STREAM_END_AT.offset, bytes);
}
