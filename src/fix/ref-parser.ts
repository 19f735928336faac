// Golden model of hdl/fix/fix_parser.v: the same field entries and message records, in the same order,
// from the same bytes, processed one byte at a time. The rules below are the contract both implement.
//
// Framing. A message starts at "8=FIX" and ends at the SOH that closes its "<SOH>10=" field. Bytes outside
// a message are one garbled span, reported when the next "8=FIX" starts or the stream ends. A message
// interrupted by "<SOH>8=FIX" is garbled and the new message starts at that "8"; one cut off by the end of
// the stream is truncated; a message span longer than maxMsgLen is too_long.
//
// Fields. Inside a message, a field is digits, "=", value, SOH. Every SOH that closes a value gives one
// field entry (tag, value offset from the message start, value length, decoded value). The message is
// garbled when a field has no "=", an empty or non-digit tag, more than 9 tag digits or tag 0, or when
// its second and third fields are not 9 and 35. Values of the decoded tags are converted: integers,
// Y/N flags, and decimals as a signed 64-bit mantissa with the number of digits after the point.
//
// Verdicts for a message that reached its trailer, in priority order: too_long, garbled,
// bad_body_length (BodyLength missing, not a number, or not the byte count from after the 9 field to the
// SOH before 10=), bad_checksum (not three digits, or not the byte sum modulo 256 of everything before 10=).
// Only such messages carry the summary (MsgType, MsgSeqNum, BodyLength, CheckSum, flags); spans that end
// otherwise carry their field count and zeros.
import type { FrameError } from '../device/events.js';
import { DECODED } from '../device/generated/layout.js';

export type DecodedType = 'none' | 'int' | 'flag' | 'decimal';

export interface FieldEntry {
  kind: 'fix_field';
  /** Stream offset of the message the field belongs to. */
  messageOffset: number;
  tag: number;
  /** Value start, in bytes from the message start. */
  valueOffset: number;
  valueLength: number;
  decodedType: DecodedType;
  /** Digits after the decimal point (decimal only). */
  scale: number;
  /** The decoded value: integer, flag (1 = Y), or decimal mantissa; 0 when not decoded. */
  value: bigint;
}

export interface MessageSummary {
  msgType: string;
  /** Bytes in the MsgType value, saturating at 255; msgType holds at most the first two. */
  msgTypeLength: number;
  msgSeqNum: number | null;
  bodyLength: number | null;
  checksum: number | null;
  computedChecksum: number;
  possDup: boolean;
  possResend: boolean;
}

export interface FrameRecord extends MessageSummary {
  kind: 'fix_frame';
  offset: number;
  length: number;
  error: FrameError | null;
  /** Field entries sent for this span before this record. */
  fieldCount: number;
}

export interface StreamEndRecord {
  kind: 'stream_end';
  /** Bytes in the stream that ended. */
  bytes: number;
}

export type ParsedItem = FieldEntry | FrameRecord | StreamEndRecord;

/** The field entry just completed, as the parser holds it: no objects, the value is
 *  (neg ? -1 : 1) × (mantBig ?? mant). Valid only during FixParserSink.field. */
export interface FieldState {
  messageOffset: number;
  tag: number;
  valueOffset: number;
  valueLength: number;
  /** DECODED code of the generated layout */
  type: number;
  scale: number;
  neg: boolean;
  /** The magnitude while it is below 2^53 (mantBig null); a flag's 1 (Y) or 0 (N). */
  mant: number;
  mantBig: bigint | null;
}

/** Where the parser's output goes, in stream order: the objects of `push`, or device records (the reference
 *  device writes them in place for readers that walk records). */
export interface FixParserSink {
  field(f: FieldState): void;
  frame(r: FrameRecord): void;
  streamEnd(bytes: number): void;
}

const DECODED_TYPE_NAMES: readonly DecodedType[] = (Object.keys(DECODED) as DecodedType[]).sort((a, b) => DECODED[a] - DECODED[b]);
const { none: DT_NONE, int: DT_INT, flag: DT_FLAG, decimal: DT_DECIMAL } = DECODED;

/** The signed value of a field state, as a FieldEntry holds it. */
export function fieldValue(f: FieldState): bigint {
  if (f.type === DT_NONE) return 0n;
  const m = f.mantBig ?? BigInt(f.mant);
  return f.neg ? -m : m;
}

/** The sink of `push`: one object per entry and record. */
class ItemArraySink implements FixParserSink {
  out: ParsedItem[] = [];
  field(f: FieldState): void {
    this.out.push({
      kind: 'fix_field', messageOffset: f.messageOffset, tag: f.tag, valueOffset: f.valueOffset, valueLength: f.valueLength,
      decodedType: DECODED_TYPE_NAMES[f.type]!, scale: f.scale, value: fieldValue(f),
    });
  }
  frame(r: FrameRecord): void { this.out.push(r); }
  streamEnd(bytes: number): void { this.out.push({ kind: 'stream_end', bytes }); }
}

export const INT_TAGS: ReadonlySet<number> = new Set([9, 34, 36, 7, 16, 108]);
export const FLAG_TAGS: ReadonlySet<number> = new Set([43, 97, 123]);
export const DECIMAL_TAGS: ReadonlySet<number> = new Set([14, 31, 32, 38, 44, 6, 99, 151]);

const enum TagClass { None, Int, Flag, Decimal }
/** Tag number to its class, for the tags below 256 (every decoded tag is). */
const TAG_CLASS = new Uint8Array(256);
for (const t of INT_TAGS) TAG_CLASS[t] = TagClass.Int;
for (const t of FLAG_TAGS) TAG_CLASS[t] = TagClass.Flag;
for (const t of DECIMAL_TAGS) TAG_CLASS[t] = TagClass.Decimal;

const SOH = 0x01;
const C8 = 0x38, EQ = 0x3d, F = 0x46, I = 0x49, X = 0x58, C1 = 0x31, C0 = 0x30;
const DOT = 0x2e, MINUS = 0x2d, Y = 0x59, N = 0x4e;
const enum Mode { Idle, Garbage, Msg, Trailer }
const MAX_TAG_DIGITS = 9;
const TAG_MODULUS = 1_000_000_000;
const I64_MAX = (1n << 63n) - 1n;
/** Largest mantissa that still takes a digit as a plain number without losing precision. */
const SAFE_MANT = Math.floor(Number.MAX_SAFE_INTEGER / 10) - 1;
/** "8=FI" as h1..h4 (a message starts when "X" follows), and SOH "1" "0" as h2..h4 (the trailer when "=" follows). */
const START_8FI = (C8 << 24 | EQ << 16 | F << 8 | I) >>> 0;
const SOH_10 = SOH << 16 | C1 << 8 | C0;
/** Byte sum of "8=FIX", the bytes every message starts with. */
const START_SUM = (C8 + EQ + F + I + X) & 0xff;

const NO_SUMMARY: MessageSummary = {
  msgType: '', msgTypeLength: 0, msgSeqNum: null, bodyLength: null, checksum: null, computedChecksum: 0,
  possDup: false, possResend: false,
};

/** An int entry's value when it fits 0..2^32-1 (BodyLength, MsgSeqNum), else null. A magnitude in mantBig is
 *  beyond 2^53; "-0" is 0. */
function uint32Of(f: FieldState): number | null {
  if (f.type !== DT_INT || f.mantBig !== null || f.mant > 0xffffffff || (f.neg && f.mant !== 0)) return null;
  return f.mant;
}

export class FixParserModel {
  private mode = Mode.Idle;
  private start = 0;
  private pos = 0;
  private gcount = 0;
  // the last five bytes: h0 the oldest, then h1..h4 packed in one word, h4 (the newest) in the low byte
  private h0 = 0;
  private h14 = 0;

  // the message being parsed
  private garbled = false;
  private fieldCount = 0;
  private sum = 0;
  private sumAtFieldEnd = 0;
  private bodyStart = 0;
  private msgType = '';
  private msgTypeLength = 0;
  private msgSeqNum: number | null = null;
  private bodyLength: number | null = null;
  private possDup = false;
  private possResend = false;
  // the field being parsed
  private inValue = false;
  private tag = 0;
  private tagDigits = 0;
  private tagBad = false;
  private valueStart = 0;
  private valueLength = 0;
  private mant = 0;
  private mantBig: bigint | null = null;
  private digits = 0;
  private neg = false;
  private point = false;
  private scale = 0;
  private valueBad = false;
  private overflow = false;
  private firstChar = 0;
  /** Whether anything reads the value's digits: a decoded tag, MsgType, CheckSum. Other values are only
   *  counted (their entries carry no decoded value). */
  private decodeValue = false;
  /** The entry of the field that just ended, handed to the sink. */
  private readonly field: FieldState = {
    messageOffset: 0, tag: 0, valueOffset: 0, valueLength: 0, type: DT_NONE, scale: 0, neg: false, mant: 0, mantBig: null,
  };
  private readonly items = new ItemArraySink();

  /** @param maxMsgLen messages longer than this many bytes are reported too_long */
  constructor(public maxMsgLen = 4096) {}

  /** Feeds bytes of the current stream; appends the entries and records they complete to `out`. */
  push(bytes: Uint8Array, out: ParsedItem[] = []): ParsedItem[] {
    this.items.out = out;
    this.pushTo(bytes, this.items);
    return out;
  }

  /** Ends the current stream (tlast): flushes the pending span, reports stream_end, starts over. */
  end(out: ParsedItem[] = []): ParsedItem[] {
    this.items.out = out;
    this.endTo(this.items);
    return out;
  }

  /** `push`, with the output going to `sink`. */
  pushTo(bytes: Uint8Array, sink: FixParserSink): void {
    const out = sink;
    const pos0 = this.pos;
    for (let k = 0; k < bytes.length; k++) {
      const b = bytes[k]!;
      const p = pos0 + k;
      switch (this.mode) {
        case Mode.Idle:
          this.mode = Mode.Garbage;
          this.start = p;
          this.gcount = 1;
          break;
        case Mode.Garbage:
          if (b === X && this.last4(bytes, k) === START_8FI) {
            if (this.gcount > 4) out.frame(this.frame(p - 4, 'garbled', false, false));
            this.beginMessage(p - 4);
          } else if (this.gcount < 7) {
            this.gcount++;
          }
          break;
        case Mode.Msg: {
          // Runs taken in one loop, where neither a message start nor the trailer can match (both need a SOH
          // among the last five bytes, and a run holds none): a value nothing reads, up to its SOH (an X still
          // goes the byte-wise way); the digits of a decoded value (MsgType's are kept as text: byte by byte);
          // tag digits, while the tag stays within its nine digits (beyond, the last nine count).
          const digit = b >= 0x30 && b <= 0x39;
          let end = k;
          if (this.inValue) {
            if (!this.decodeValue) {
              if (b !== SOH && b !== X) end = this.skipValue(bytes, k);
            } else if (digit && this.fieldCount !== 2) {
              end = this.takeValueDigits(bytes, k);
            }
          } else if (digit && !this.tagBad) {
            end = this.takeTagDigits(bytes, k);
          }
          if (end > k) {
            k = end - 1;
            continue;
          }
          if (b === X && this.last4(bytes, k) === START_8FI && this.byteBack(bytes, k, 5) === SOH) {
            out.frame(this.frame(p - 4, 'garbled', true, false));
            this.beginMessage(p - 4);
          } else {
            if (b === EQ && (this.last4(bytes, k) & 0xffffff) === SOH_10) this.mode = Mode.Trailer;
            this.parseByte(b, p, out);
          }
          break;
        }
        case Mode.Trailer:
          this.parseByte(b, p, out);
          if (b === SOH) {
            out.frame(this.frame(p + 1, null, true, true));
            this.mode = Mode.Idle;
          }
          break;
      }
    }
    // the history for the next chunk: its last five bytes, from this one and the history before it
    const n = bytes.length;
    const h14 = this.last4(bytes, n);
    this.h0 = this.byteBack(bytes, n, 5);
    this.h14 = h14;
    this.pos = pos0 + n;
  }

  /** The byte `back` (1..5) places before bytes[k], from the chunk or from the history before it. Only the
   *  bytes that can end a pattern ("X", "=") look back, so no byte pays for keeping a history. */
  private byteBack(bytes: Uint8Array, k: number, back: number): number {
    const i = k - back;
    if (i >= 0) return bytes[i]!;
    // i from -5 (h0) to -1 (h4, the newest byte before the chunk)
    return i === -5 ? this.h0 : (this.h14 >>> (8 * (-1 - i))) & 0xff;
  }

  /** The four bytes before bytes[k], the oldest in the high byte (as h1..h4). */
  private last4(bytes: Uint8Array, k: number): number {
    if (k >= 4) return ((bytes[k - 4]! << 24) | (bytes[k - 3]! << 16) | (bytes[k - 2]! << 8) | bytes[k - 1]!) >>> 0;
    return ((this.byteBack(bytes, k, 4) << 24) | (this.byteBack(bytes, k, 3) << 16) | (this.byteBack(bytes, k, 2) << 8)
      | this.byteBack(bytes, k, 1)) >>> 0;
  }

  /** `end`, with the output going to `sink`. */
  endTo(sink: FixParserSink): void {
    if (this.mode === Mode.Garbage) sink.frame(this.frame(this.pos, 'garbled', false, false));
    else if (this.mode !== Mode.Idle) sink.frame(this.frame(this.pos, 'truncated', true, false));
    sink.streamEnd(this.pos);
    this.mode = Mode.Idle;
    this.start = 0;
    this.pos = 0;
    this.h0 = this.h14 = 0;
  }

  /** State after "8=FIX" at `start`: inside the value of field 8, three bytes in. */
  private beginMessage(start: number): void {
    this.mode = Mode.Msg;
    this.start = start;
    this.garbled = false;
    this.fieldCount = 0;
    this.sum = START_SUM;
    this.sumAtFieldEnd = 0;
    this.bodyStart = 0;
    this.msgType = '';
    this.msgTypeLength = 0;
    this.msgSeqNum = null;
    this.bodyLength = null;
    this.possDup = false;
    this.possResend = false;
    this.tag = 8;
    this.tagBad = false;
    this.tagDigits = 1;
    this.beginValue(2);
    this.valueLength = 3;
    this.valueBad = true;  // "FIX" is not a number
    this.firstChar = F;
  }

  private beginValue(valueStart: number): void {
    this.inValue = true;
    const t = this.tag;
    this.decodeValue = (t < 256 && TAG_CLASS[t] !== TagClass.None) || this.fieldCount === 2 || this.mode === Mode.Trailer;
    this.valueStart = valueStart;
    this.valueLength = 0;
    this.mant = 0;
    this.mantBig = null;
    this.digits = 0;
    this.neg = false;
    this.point = false;
    this.scale = 0;
    this.valueBad = false;
    this.overflow = false;
    this.firstChar = 0;
  }

  private parseByte(b: number, p: number, out: FixParserSink): void {
    const rel = (p - this.start) >>> 0;
    if (!this.inValue) {
      this.sum = (this.sum + b) & 0xff;
      if (b === EQ) {
        if (this.tagDigits === 0 || this.tagDigits > MAX_TAG_DIGITS || this.tag === 0 || this.tagBad) this.garbled = true;
        this.beginValue(rel + 1);
      } else if (b === SOH) {
        this.garbled = true;  // a field without "="
        this.sumAtFieldEnd = this.sum;
        this.resetTag();
      } else if (b >= 0x30 && b <= 0x39) {
        this.tag = (this.tag * 10 + (b - 0x30)) % TAG_MODULUS;  // the last nine digits
        this.tagDigits = Math.min(this.tagDigits + 1, MAX_TAG_DIGITS + 1);
      } else {
        this.tagBad = true;
      }
      return;
    }
    if (b !== SOH) {
      this.sum = (this.sum + b) & 0xff;
      this.valueByte(b);
      return;
    }
    // SOH: the field is complete. The checksum covers everything before "10=".
    const computed = this.sumAtFieldEnd;
    this.sum = (this.sum + b) & 0xff;
    this.sumAtFieldEnd = this.sum;
    const f = this.completeField();
    out.field(f);
    const n = this.fieldCount;
    this.fieldCount = (this.fieldCount + 1) >>> 0;
    if (n === 1) {
      if (this.tag !== 9) this.garbled = true;
      this.bodyStart = rel + 1;
      this.bodyLength = uint32Of(f);
    } else if (n === 2 && this.tag !== 35) {
      this.garbled = true;
    }
    if (this.tag === 34 && this.msgSeqNum === null) this.msgSeqNum = uint32Of(f);
    if (f.type === DT_FLAG && f.mant === 1) {
      if (this.tag === 43) this.possDup = true;
      if (this.tag === 97) this.possResend = true;
    }
    if (this.mode === Mode.Trailer) {
      this.trailerComputed = computed;
      this.trailerBodyActual = (this.valueStart - 3 - this.bodyStart) >>> 0;
      this.trailerChecksum = this.isChecksumValue() ? this.mant : null;
    }
    this.resetTag();
  }

  /** What the closing "10=" field said, for the verdict: the checksum computed up to it, the body's length as
   *  counted, the checksum it gives (null: not three digits). */
  private trailerComputed = 0;
  private trailerBodyActual = 0;
  private trailerChecksum: number | null = null;

  private isChecksumValue(): boolean {
    return this.valueLength === 3 && this.digits === 3 && !this.valueBad && !this.point && !this.neg;
  }

  private resetTag(): void {
    this.inValue = false;
    this.tag = 0;
    this.tagDigits = 0;
    this.tagBad = false;
  }

  /** The run of tag digits from `from`, added to the tag when it keeps the tag within MAX_TAG_DIGITS digits;
   *  returns where the run ends, or `from` when it was not taken. */
  private takeTagDigits(bytes: Uint8Array, from: number): number {
    let tag = this.tag;
    let sum = this.sum;
    let j = from;
    const n = bytes.length;
    while (j < n) {
      const c = bytes[j]!;
      if (c < 0x30 || c > 0x39) break;
      tag = tag * 10 + (c - 0x30);
      sum += c;
      j++;
    }
    const digits = this.tagDigits + (j - from);
    if (digits > MAX_TAG_DIGITS) return from;
    this.tag = tag;
    this.tagDigits = digits;
    this.sum = sum & 0xff;
    return j;
  }

  /** The run of digits from `from` in a decoded value, while the mantissa stays a plain number and the scale
   *  below its cap (what valueByte does to each digit then); returns where the run ends (`from`: not taken). */
  private takeValueDigits(bytes: Uint8Array, from: number): number {
    if (this.mantBig !== null || this.overflow) return from;
    const point = this.point;
    let mant = this.mant;
    let scale = this.scale;
    let sum = this.sum;
    let j = from;
    const n = bytes.length;
    while (j < n && mant < SAFE_MANT && scale < 255) {
      const c = bytes[j]!;
      if (c < 0x30 || c > 0x39) break;
      mant = mant * 10 + (c - 0x30);
      if (point) scale++;
      sum += c;
      j++;
    }
    const taken = j - from;
    if (taken === 0) return from;
    if (this.valueLength === 0) this.firstChar = bytes[from]!;
    this.valueLength = (this.valueLength + taken) >>> 0;
    this.digits = Math.min(this.digits + taken, 4);
    this.mant = mant;
    this.scale = scale;
    this.sum = sum & 0xff;
    return j;
  }

  /** A value byte run from `from` to the next SOH or X (or the chunk's end) that nothing decodes: summed and
   *  counted. Returns where the run ends. */
  private skipValue(bytes: Uint8Array, from: number): number {
    let sum = this.sum;
    let j = from;
    const n = bytes.length;
    while (j < n) {
      const c = bytes[j]!;
      if (c === SOH || c === X) break;
      sum += c;
      j++;
    }
    this.sum = sum & 0xff;
    this.valueLength = (this.valueLength + (j - from)) >>> 0;
    return j;
  }

  private valueByte(b: number): void {
    if (!this.decodeValue) {
      this.valueLength = (this.valueLength + 1) >>> 0;
      return;
    }
    if (this.valueLength === 0) this.firstChar = b;
    if (this.fieldCount === 2) {
      if (this.valueLength < 2) this.msgType += String.fromCharCode(b);
      this.msgTypeLength = Math.min(this.msgTypeLength + 1, 255);
    }
    this.valueLength = (this.valueLength + 1) >>> 0;
    if (b >= 0x30 && b <= 0x39) {
      const d = b - 0x30;
      this.digits = Math.min(this.digits + 1, 4);
      if (this.point) {
        if (this.scale === 255) this.overflow = true;
        else this.scale++;
      }
      if (this.overflow) return;
      if (this.mantBig === null && this.mant < SAFE_MANT) {
        this.mant = this.mant * 10 + d;
      } else {
        const m = (this.mantBig ?? BigInt(this.mant)) * 10n + BigInt(d);
        if (m > I64_MAX) this.overflow = true;
        else this.mantBig = m;
      }
    } else if (b === DOT) {
      if (this.point) this.valueBad = true;
      this.point = true;
    } else if (b === MINUS && this.valueLength === 1) {
      this.neg = true;
    } else {
      this.valueBad = true;
    }
  }

  /** Fills `field` with the entry of the field that just ended. */
  private completeField(): FieldState {
    const f = this.field;
    const t = this.tag;
    const cls = t < 256 ? TAG_CLASS[t]! : TagClass.None;
    f.messageOffset = this.start;
    f.tag = t;
    f.valueOffset = this.valueStart;
    f.valueLength = this.valueLength;
    f.type = DT_NONE;
    f.scale = 0;
    f.neg = false;
    f.mant = 0;
    f.mantBig = null;
    if (cls === TagClass.Flag) {
      if (this.valueLength === 1 && (this.firstChar === Y || this.firstChar === N)) {
        f.type = DT_FLAG;
        f.mant = this.firstChar === Y ? 1 : 0;
      }
    } else if (cls !== TagClass.None) {
      const numeric = this.digits > 0 && !this.valueBad && !this.overflow;
      const isInt = cls === TagClass.Int;
      if (numeric && !(isInt && this.point)) {
        f.type = isInt ? DT_INT : DT_DECIMAL;
        f.neg = this.neg;
        f.mant = this.mant;
        f.mantBig = this.mantBig;
        f.scale = isInt ? 0 : this.scale;
      }
    }
    return f;
  }

  private frame(end: number, error: FrameError | null, isMessage: boolean, complete: boolean): FrameRecord {
    const length = end - this.start;
    const tooLong = isMessage && length > this.maxMsgLen;
    const fieldCount = isMessage ? this.fieldCount : 0;
    const cut = Math.min(length, 0xffffffff);
    if (!complete) {
      const s = NO_SUMMARY;
      return {
        kind: 'fix_frame', offset: this.start, length: cut, error: tooLong ? 'too_long' : error, fieldCount,
        msgType: s.msgType, msgTypeLength: s.msgTypeLength, msgSeqNum: s.msgSeqNum, bodyLength: s.bodyLength,
        checksum: s.checksum, computedChecksum: s.computedChecksum, possDup: s.possDup, possResend: s.possResend,
      };
    }
    const checksum = this.trailerChecksum;
    let verdict = error;
    if (this.garbled) verdict = 'garbled';
    else if (this.bodyLength === null || this.bodyLength !== this.trailerBodyActual) verdict = 'bad_body_length';
    else if (checksum === null || checksum !== this.trailerComputed) verdict = 'bad_checksum';
    return {
      kind: 'fix_frame', offset: this.start, length: cut, error: tooLong ? 'too_long' : verdict, fieldCount,
      msgType: this.msgType, msgTypeLength: this.msgTypeLength, msgSeqNum: this.msgSeqNum, bodyLength: this.bodyLength,
      checksum, computedChecksum: this.trailerComputed, possDup: this.possDup, possResend: this.possResend,
    };
  }
}
