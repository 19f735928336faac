// A protobuf writer into one growing byte buffer, for the event encoder's hot path: no object per field
// (protobufjs's Writer links an operation object per write and allocates again in finish), 64-bit values
// from numbers without a Long. A length-delimited field is opened with one byte kept for its length and
// closed by writing the length there, moving the body on when the length takes more bytes.

const TWO_32 = 0x1_0000_0000;

/** Writes `v` (an unsigned 32-bit value) as a varint at `pos`; gives the position after it. */
export function putVarint32(out: Uint8Array, pos: number, v: number): number {
  let x = v >>> 0;
  while (x > 0x7f) {
    out[pos++] = (x & 0x7f) | 0x80;
    x >>>= 7;
  }
  out[pos] = x;
  return pos + 1;
}

/** Writes the 64-bit value `high`:`low` (two unsigned 32-bit halves) as a varint at `pos`; gives the position
 *  after it. */
export function putVarint64(out: Uint8Array, pos: number, low: number, high: number): number {
  let lo = low >>> 0;
  let hi = high >>> 0;
  while (hi) {
    out[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  while (lo > 0x7f) {
    out[pos++] = (lo & 0x7f) | 0x80;
    lo >>>= 7;
  }
  out[pos] = lo;
  return pos + 1;
}

/** Closes a length-delimited body that starts at `start`, one byte after the byte kept for its length, and
 *  ends at `pos`: its length goes before it, the body moved on when the length takes more than that byte
 *  (room for that is the caller's). Gives the position after the body. */
export function closeDelimited(out: Buffer, start: number, pos: number): number {
  const length = pos - start;
  let extra = 0;
  for (let x = length >>> 7; x; x >>>= 7) extra++;
  if (extra) out.copyWithin(start + extra, start, pos);
  putVarint32(out, start - 1, length);
  return pos + extra;
}

export class ProtoWriter {
  buf: Buffer;
  pos = 0;
  /** where each open length-delimited field's body starts */
  private readonly open: number[] = [];

  constructor(size = 1 << 16) {
    this.buf = Buffer.allocUnsafe(size);
  }

  reset(): this {
    this.pos = 0;
    this.open.length = 0;
    return this;
  }

  /** The bytes written since the last reset, copied. */
  copy(): Uint8Array {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  varint32(v: number): this {
    this.room(5);
    this.pos = putVarint32(this.buf, this.pos, v);
    return this;
  }

  /** A varint of the 64-bit value `high`:`low` (two unsigned 32-bit halves). */
  varint64(low: number, high: number): this {
    this.room(10);
    this.pos = putVarint64(this.buf, this.pos, low, high);
    return this;
  }

  /** An unsigned 64-bit value: a whole number below 2^53, a decimal string, or halves. */
  uint64(v: number | string | { low: number; high: number }): this {
    if (typeof v === 'number') return this.varint64(v % TWO_32, Math.floor(v / TWO_32));
    if (typeof v === 'string') {
      if (v.length < 16) return this.uint64(Number(v));
      const b = BigInt.asUintN(64, BigInt(v));
      return this.varint64(Number(b & 0xffff_ffffn), Number(b >> 32n));
    }
    return this.varint64(v.low, v.high);
  }

  /** A signed 64-bit value (two's complement: a negative one takes ten bytes). */
  int64(v: number): this {
    if (v >= 0) return this.uint64(v);
    const b = BigInt.asUintN(64, BigInt(v));
    return this.varint64(Number(b & 0xffff_ffffn), Number(b >> 32n));
  }

  string(s: string): this {
    // short ASCII (ITCH alpha fields, sessions) byte by byte: cheaper than a native call
    if (s.length < 0x80) {
      this.room(s.length + 1);
      let at = this.pos + 1;
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        this.buf[at++] = c;
      }
      if (i === s.length) {
        this.buf[this.pos] = s.length;
        this.pos = at;
        return this;
      }
    }
    const n = Buffer.byteLength(s);
    this.varint32(n);
    this.room(n);
    this.pos += this.buf.write(s, this.pos, 'utf8');
    return this;
  }

  /** Bytes as they are (an encoded message, after its length). */
  raw(bytes: Uint8Array): this {
    this.room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** Opens a length-delimited body (after its tag, when it has one). */
  fork(): this {
    this.room(1);
    this.pos++;
    this.open.push(this.pos);
    return this;
  }

  /** Closes the body opened last: its length goes before it. */
  ldelim(): this {
    this.room(4);
    this.pos = closeDelimited(this.buf, this.open.pop()!, this.pos);
    return this;
  }

  /** Makes room for `n` more bytes at `pos` (`buf` may change), for a caller that writes them itself. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}
