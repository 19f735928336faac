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

/** Decimal digits of a non-negative integer below 2^53, by halving the range (a timestamp's 14 digits in four
 *  comparisons instead of fourteen). */
function decimalDigits(v: number): number {
  if (v < 1e8) {
    if (v < 1e4) return v < 1e2 ? (v < 10 ? 1 : 2) : v < 1e3 ? 3 : 4;
    return v < 1e6 ? (v < 1e5 ? 5 : 6) : v < 1e7 ? 7 : 8;
  }
  if (v < 1e12) return v < 1e10 ? (v < 1e9 ? 9 : 10) : v < 1e11 ? 11 : 12;
  return v < 1e14 ? (v < 1e13 ? 13 : 14) : v < 1e15 ? 15 : 16;
}

/** "00" to "99": two digits per division. */
const DIGIT_PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''), 'latin1');

/** Writes the decimal digits of `v` (0 ≤ v < 2^31) so that they end just before `end`; gives where they
 *  start (v = 0 writes one 0). */
function digitsBefore(out: Uint8Array, end: number, v: number): number {
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

/** Writes `v` (0 ≤ v < 10^8) as exactly eight digits, zero-padded, ending just before `end`. */
function eightDigitsBefore(out: Uint8Array, end: number, v: number): void {
  const hi = (v / 10000) | 0;
  const lo = v - hi * 10000;
  const a = (hi / 100) | 0;
  const b = (lo / 100) | 0;
  let r = 2 * (lo - b * 100);
  out[end - 1] = DIGIT_PAIRS[r + 1]!; out[end - 2] = DIGIT_PAIRS[r]!;
  r = 2 * b;
  out[end - 3] = DIGIT_PAIRS[r + 1]!; out[end - 4] = DIGIT_PAIRS[r]!;
  r = 2 * (hi - a * 100);
  out[end - 5] = DIGIT_PAIRS[r + 1]!; out[end - 6] = DIGIT_PAIRS[r]!;
  r = 2 * a;
  out[end - 7] = DIGIT_PAIRS[r + 1]!; out[end - 8] = DIGIT_PAIRS[r]!;
}

/** Writes a non-negative integer below 2^53 in decimal at `pos`; gives the position after it. */
export function writeNumber(out: Uint8Array, pos: number, v: number): number {
  if (v < 10) {
    out[pos] = 0x30 + v;
    return pos + 1;
  }
  const end = pos + decimalDigits(v);
  if (v <= 0x7fff_ffff) {
    digitsBefore(out, end, v);
    return end;
  }
  // above 2^31: the low eight digits (zero-padded) and the rest, each below 2^31, so in int32 arithmetic
  // instead of a float division per digit
  const high = Math.floor(v / 1e8);
  eightDigitsBefore(out, end, v - high * 1e8);
  digitsBefore(out, end - 8, high);
  return end;
}

/** Writes an unsigned 64-bit value from its 32-bit halves at `pos`: a number below 2^53 (quoted if asked),
 *  a quoted decimal above; gives the position after it. */
export function writeU64(out: Buffer, pos: number, lo: number, hi: number, quoted: boolean): number {
  if (hi < SAFE_HI) {
    if (quoted) out[pos++] = QUOTE;
    pos = writeNumber(out, pos, hi * TWO_32 + lo);
    if (quoted) out[pos++] = QUOTE;
    return pos;
  }
  out[pos++] = QUOTE;
  pos += out.write(((BigInt(hi) << 32n) | BigInt(lo)).toString(), pos, 'latin1');
  out[pos++] = QUOTE;
  return pos;
}

/** Writes bytes `src[from, end)`, read as latin1, as a JSON string at `pos` (room: 2 + 6 per byte); gives the
 *  position after it. */
export function writeString(out: Uint8Array, pos: number, src: Uint8Array, from: number, end: number): number {
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
  return pos;
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
    this.pos = writeNumber(this.out, this.pos, v);
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
    this.pos = writeU64(this.out, this.pos, lo, hi, quoted);
  }

  /** Bytes `src[from, end)` read as latin1, as a JSON string (room: 2 + 6 per byte). */
  string(src: Uint8Array, from: number, end: number): void {
    this.pos = writeString(this.out, this.pos, src, from, end);
  }
}
