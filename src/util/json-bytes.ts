// NDJSON written straight into a byte buffer: numbers as digits, strings escaped and encoded exactly as
// JSON.stringify of a latin1 string would write them in UTF-8. The line writers of `decode itch` and `decode
// fix` use it so that a line costs no intermediate objects or strings; callers reserve room for a whole line
// with `room` first, then write without bounds checks.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** JSON.stringify's escapes for the control characters it does not write as \u00XX. */
const SHORT_ESCAPE: Record<number, number> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72 };
const HEX = Buffer.from('0123456789abcdef', 'latin1');
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
      if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH && c < 0x80) {
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
