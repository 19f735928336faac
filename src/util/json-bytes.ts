// NDJSON written straight into a byte buffer: numbers as digits, strings escaped and encoded exactly as
// JSON.stringify of a latin1 string would write them in UTF-8. The line writers of `decode itch` and `decode
// fix` use it so that a line costs no intermediate objects or strings; callers reserve room for a whole line
// with `room` first, then write without bounds checks.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** JSON.stringify's escapes for the control characters it does not write as \u00XX. */
const SHORT_ESCAPE: Record<number, number> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72 };
const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** 1 for the bytes a JSON string holds as they are: printable ASCII but the quote and the backslash. */
const PLAIN = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) PLAIN[c] = c === QUOTE || c === BACKSLASH ? 0 : 1;
/** hi words below this keep a 64-bit value within Number.MAX_SAFE_INTEGER */
const SAFE_HI = 0x20_0000;
const TWO_32 = 0x1_0000_0000;
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** (i + 1));

/** Decimal digits of a non-negative integer below 2^53. */
function decimalDigits(v: number): number {
  let d = 1;
  while (d < 16 && v >= POWERS_OF_TEN[d - 1]!) d++;
  return d;
}

/** "00" to "99": two digits per division. */
const DIGIT_PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''), 'latin1');

/** Writes the decimal digits of `v` (0 ≤ v < 2^31) so that they end just before `end`; gives where they
 *  start (v = 0 writes one 0). */
function digitsBefore(out: Buffer, end: number, v: number): number {
  let p = end;
  while (v >= 100) {
    const q = (v / 100) | 0;
    const r = 2 * (v - q * 100);
    out[--p] = DIGIT_PAIRS[r + 1]!;
    out[--p] = DIGIT_PAIRS[r]!;
    v = q;
  }
  if (v >= 10) {
    out[--p] = DIGIT_PAIRS[2 * v + 1]!;
    out[--p] = DIGIT_PAIRS[2 * v]!;
  } else {
    out[--p] = 0x30 + v;
  }
  return p;
}

/** The most bytes one source byte takes in a JSON string (a control character as \u00XX). */
export const JSON_BYTES_PER_CHAR = 6;
/** The most bytes a 64-bit integer takes, quoted or signed. */
export const JSON_NUMBER_BYTES = 22;

export class JsonBytes {
  out: Buffer;
  pos = 0;

  constructor(private readonly blockBytes = 1 << 20) {
    this.out = Buffer.allocUnsafe(blockBytes);
  }

  /** Bytes written and not yet taken. */
  get size(): number { return this.pos; }

  /** What was written since the last take. */
  take(): Buffer {
    const lines = this.out.subarray(0, this.pos);
    this.out = Buffer.allocUnsafe(this.blockBytes);
    this.pos = 0;
    return lines;
  }

  /** Makes sure `n` more bytes fit. */
  room(n: number): void {
    if (this.pos + n <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.pos + n));
    this.out.copy(bigger, 0, 0, this.pos);
    this.out = bigger;
  }

  /** Any text (reserves its own room). */
  text(s: string): void {
    this.room(Buffer.byteLength(s));
    this.pos += this.out.write(s, this.pos);
  }

  byte(c: number): void { this.out[this.pos++] = c; }

  bytes(b: Buffer): void {
    const out = this.out;
    let pos = this.pos;
    for (let i = 0; i < b.length; i++) out[pos++] = b[i]!;
    this.pos = pos;
  }

  /** A non-negative integer below 2^53 in decimal. */
  number(v: number): void {
    const out = this.out;
    if (v < 10) {
      out[this.pos++] = 0x30 + v;
      return;
    }
    const end = this.pos + decimalDigits(v);
    this.pos = end;
    if (v <= 0x7fff_ffff) {
      digitsBefore(out, end, v);
      return;
    }
    // above 2^31: the low eight digits (zero-padded) and the rest, each below 2^31, so in int32 arithmetic
    // instead of a float division per digit
    const high = Math.floor(v / 1e8);
    const low = v - high * 1e8;
    const lowFrom = digitsBefore(out, end, low);
    out.fill(0x30, end - 8, lowFrom);
    digitsBefore(out, end - 8, high);
  }

  /** mantissa / 10^scale exactly, without exponent, from the sign and the magnitude (below 2^53): the
   *  digits, then the last `scale` of them moved one place right for the point (zero-padded first, so that
   *  at least one digit stands before it). Room: 3 + max(16, scale) bytes. */
  decimal(neg: boolean, magnitude: number, scale: number): void {
    const out = this.out;
    if (neg && magnitude !== 0) out[this.pos++] = 0x2d;   // there is no -0
    if (scale === 0) {
      this.number(magnitude);
      return;
    }
    const digits = decimalDigits(magnitude);
    for (let pad = scale + 1 - digits; pad > 0; pad--) out[this.pos++] = 0x30;
    this.number(magnitude);
    const point = this.pos - scale;
    out.copyWithin(point + 1, point, this.pos);
    out[point] = 0x2e;
    this.pos++;
  }

  /** An unsigned 64-bit value from its 32-bit halves: a number below 2^53, a quoted decimal above. */
  u64(lo: number, hi: number, quoted: boolean): void {
    if (hi < SAFE_HI) {
      if (quoted) this.out[this.pos++] = QUOTE;
      this.number(hi * TWO_32 + lo);
      if (quoted) this.out[this.pos++] = QUOTE;
    } else {
      this.out[this.pos++] = QUOTE;
      this.pos += this.out.write(((BigInt(hi) << 32n) | BigInt(lo)).toString(), this.pos, 'latin1');
      this.out[this.pos++] = QUOTE;
    }
  }

  /** Bytes `src[from, end)` read as latin1, as a JSON string (room: 2 + 6 per byte). */
  string(src: Uint8Array, from: number, end: number): void {
    const out = this.out;
    let pos = this.pos;
    out[pos++] = QUOTE;
    for (let i = from; i < end; i++) {
      const c = src[i]!;
      if (PLAIN[c] === 1) {
        out[pos++] = c;
      } else if (c >= 0x80) {
        out[pos++] = 0xc0 | (c >> 6);
        out[pos++] = 0x80 | (c & 0x3f);
      } else {
        out[pos++] = BACKSLASH;
        const short = c === QUOTE || c === BACKSLASH ? c : SHORT_ESCAPE[c];
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
