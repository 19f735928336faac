// The NDJSON lines of `tickgate decode itch` (DESIGN.md 3.3) written straight from the device's feed records
// into an output buffer: each ITCH type's fields are read from the record's normalized body with a plan
// made once from the ITCH table, so a message costs no objects and no strings. The lines are byte for byte
// those of feedRecordJson over FeedRecordReader (the readable reference, checked against this writer by
// test/feed-lines.test.ts). Gaps, errors and session records are rare: they take that reference path.
import { ITCH_MESSAGE_AT } from '../device/generated/layout.js';
import type { PrintableFeedRecord } from './device-feed.js';
import { bodyFields, BodyFieldKind, FeedRecordWalker, uintLE } from './feed-record-walker.js';
import { ITCH_TYPES } from './messages.js';
import { feedRecordJson } from './ref-decoder.js';

const TWO_32 = 0x1_0000_0000;
/** hi words below this keep a 64-bit value within Number.MAX_SAFE_INTEGER */
const SAFE_HI = 0x20_0000;
const QUOTE = 0x22;

interface FieldPlan { key: Buffer; at: number; size: number; kind: BodyFieldKind }
/** worstBytes: the longest a line of the type can be after its line start (every alpha byte escaped as
 *  \u00XX, every number at its longest), so one reservation covers any line. */
interface TypePlan { head: Buffer; fields: FieldPlan[]; worstBytes: number }
/** A uint64 in quotes, or a 2^53-scale number. */
const NUMBER_BYTES = 22;

const ascii = (s: string) => Buffer.from(s, 'latin1');

const LINE_START = ascii('{"kind":"itch","session":');
const SEQ_KEY = ascii(',"seq":');
const TRACKING_KEY = ascii(',"trackingNumber":');
const TIMESTAMP_KEY = ascii(',"timestamp":');
const NULL = ascii('null');

/** Per type byte: `","msgType":"X","stockLocate":` and the plans of the fields after Timestamp. */
const PLANS: Array<TypePlan | undefined> = new Array(256).fill(undefined);
for (const t of ITCH_TYPES.values()) {
  const head = ascii(`,"msgType":${JSON.stringify(t.type)},"stockLocate":`);
  const fields = bodyFields(t).map((f) => ({ ...f, key: ascii(`,${JSON.stringify(f.name)}:`) }));
  const worstBytes = NUMBER_BYTES + head.length + TRACKING_KEY.length + TIMESTAMP_KEY.length + 3 * NUMBER_BYTES + 2
    + fields.reduce((n, f) => n + f.key.length + (f.kind === BodyFieldKind.Alpha ? 2 + 6 * f.size : NUMBER_BYTES), 0);
  PLANS[t.type.charCodeAt(0)] = { head, fields, worstBytes };
}

/** JSON.stringify's escapes for the control characters it does not write as \u00XX. */
const SHORT_ESCAPE: Record<number, number> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72 };
const HEX = ascii('0123456789abcdef');

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** (i + 1));
/** Decimal digits of a non-negative integer below 2^53. */
function decimalDigits(v: number): number {
  let d = 1;
  while (d < 16 && v >= POWERS_OF_TEN[d - 1]!) d++;
  return d;
}

export class FeedLineWriter extends FeedRecordWalker {
  private out: Buffer;
  private pos = 0;
  /** Per session slot: a line's start up to its seq value, `{"kind":"itch","session":"NAME","seq":` (the
   *  session null for a BinaryFILE's blank one). */
  private readonly lineStart: Array<Buffer | undefined> = [];

  constructor(private readonly blockBytes = 1 << 20) {
    super();
    this.out = Buffer.allocUnsafe(blockBytes);
  }

  /** Bytes of lines written and not yet taken. */
  get size(): number { return this.pos; }

  /** The lines written since the last take. */
  take(): Buffer {
    const lines = this.out.subarray(0, this.pos);
    this.out = Buffer.allocUnsafe(this.blockBytes);
    this.pos = 0;
    return lines;
  }

  protected override sessionAnnounced(slot: number, name: string): void {
    this.lineStart[slot] = Buffer.concat([LINE_START, name === '' ? NULL : Buffer.from(JSON.stringify(name)), SEQ_KEY]);
  }

  protected other(r: PrintableFeedRecord): void {
    this.text(feedRecordJson(r) + '\n');
  }

  private text(s: string): void {
    this.room(Buffer.byteLength(s));
    this.pos += this.out.write(s, this.pos);
  }

  private room(n: number): void {
    if (this.pos + n <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.pos + n));
    this.out.copy(bigger, 0, 0, this.pos);
    this.out = bigger;
  }

  protected message(rec: Buffer, at: number, body: Buffer, from: number, timestamp: number): void {
    const plan = PLANS[rec[at + ITCH_MESSAGE_AT.msgType]!]!;
    const lineStart = this.lineStart[rec[at + ITCH_MESSAGE_AT.sessionSlot]!]!;
    this.room(lineStart.length + plan.worstBytes);
    this.bytes(lineStart);
    const seqLo = rec.readUInt32LE(at + ITCH_MESSAGE_AT.moldSeq);
    const seqHi = rec.readUInt32LE(at + ITCH_MESSAGE_AT.moldSeq + 4);
    if (seqHi < SAFE_HI) this.number(seqHi * TWO_32 + seqLo);
    else this.quotedU64(seqLo, seqHi);
    this.bytes(plan.head);
    this.number(rec.readUInt16LE(at + ITCH_MESSAGE_AT.stockLocate));
    this.bytes(TRACKING_KEY);
    this.number(rec.readUInt16LE(at + ITCH_MESSAGE_AT.trackingNumber));
    this.bytes(TIMESTAMP_KEY);
    this.number(timestamp);
    for (const f of plan.fields) {
      this.bytes(f.key);
      const p = from + f.at;
      switch (f.kind) {
        case BodyFieldKind.Alpha: this.alpha(body, p, f.size); break;
        case BodyFieldKind.Uint: this.number(uintLE(body, p, f.size)); break;
        case BodyFieldKind.Uint64: {
          const lo = body.readUInt32LE(p);
          const hi = body.readUInt32LE(p + 4);
          if (hi < SAFE_HI) {
            this.out[this.pos++] = QUOTE;
            this.number(hi * TWO_32 + lo);
            this.out[this.pos++] = QUOTE;
          } else {
            this.quotedU64(lo, hi);
          }
        }
      }
    }
    this.out[this.pos++] = 0x7d;   // }
    this.out[this.pos++] = 0x0a;
  }

  private bytes(b: Buffer): void {
    const out = this.out;
    let pos = this.pos;
    for (let i = 0; i < b.length; i++) out[pos++] = b[i]!;
    this.pos = pos;
  }

  /** A non-negative integer below 2^53 in decimal. */
  private number(v: number): void {
    const out = this.out;
    if (v < 10) {
      out[this.pos++] = 0x30 + v;
      return;
    }
    let p = this.pos + decimalDigits(v);
    this.pos = p;
    // above 2^31 the digits come by float division until the rest fits int32 arithmetic
    while (v > 0x7fff_ffff) {
      const q = Math.floor(v / 10);
      out[--p] = 0x30 + (v - q * 10);
      v = q;
    }
    while (v >= 10) {
      const q = (v / 10) | 0;
      out[--p] = 0x30 + (v - q * 10);
      v = q;
    }
    out[--p] = 0x30 + v;
  }

  private quotedU64(lo: number, hi: number): void {
    this.out[this.pos++] = QUOTE;
    this.pos += this.out.write(((BigInt(hi) << 32n) | BigInt(lo)).toString(), this.pos, 'latin1');
    this.out[this.pos++] = QUOTE;
  }

  /** Right-padded ASCII as received, trailing spaces trimmed, escaped and encoded as JSON.stringify
   *  writes a latin1 string in UTF-8. */
  private alpha(b: Buffer, at: number, size: number): void {
    let end = at + size;
    while (end > at && b[end - 1] === 0x20) end--;
    const out = this.out;
    let pos = this.pos;
    out[pos++] = QUOTE;
    for (let i = at; i < end; i++) {
      const c = b[i]!;
      if (c >= 0x20 && c !== QUOTE && c !== 0x5c && c < 0x80) {
        out[pos++] = c;
      } else if (c >= 0x80) {
        out[pos++] = 0xc0 | (c >> 6);
        out[pos++] = 0x80 | (c & 0x3f);
      } else {
        out[pos++] = 0x5c;
        const short = c === QUOTE || c === 0x5c ? c : SHORT_ESCAPE[c];
        if (short !== undefined) {
          out[pos++] = short;
        } else {
          out[pos++] = 0x75; out[pos++] = 0x30; out[pos++] = 0x30;
          out[pos++] = HEX[c >> 4]!; out[pos++] = HEX[c & 15]!;
        }
      }
    }
    out[pos++] = QUOTE;
    this.pos = pos;
  }
}
