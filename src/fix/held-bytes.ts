// The FIX stream's bytes the host keeps until the device's records no longer refer to them: a record gives
// a message's offset and length in the stream, and the host slices the values from these bytes instead of
// having the device send them back.
import { DeviceProtocolError } from '../device/events.js';

export class HeldStreamBytes {
  private chunks: Buffer[] = [];
  /** Bytes of chunks[0] already released. */
  private skip = 0;
  /** Stream offset of chunks[0][skip]. */
  private base = 0;
  private held = 0;
  /** Where the span of the last `locate` starts in the buffer it returned. */
  at = 0;

  /** Bytes of the stream, in order, before the device sees them. */
  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.held += bytes.length;
  }

  /** The stream ended: the next bytes start a new stream at offset 0. */
  restart(): void {
    this.chunks = [];
    this.skip = 0;
    this.base = 0;
    this.held = 0;
  }

  /** The buffer that holds the `length` bytes at stream offset `offset`; they start at `this.at` in it. No
   *  copy unless the span crosses from one appended chunk into the next. */
  locate(offset: number, length: number): Buffer {
    const from = offset - this.base;
    if (from < 0 || from + length > this.held) {
      throw new DeviceProtocolError(`message at ${offset} (${length} bytes) is outside the bytes held (${this.base}..${this.base + this.held})`);
    }
    if (this.chunks[0]!.length < this.skip + from + length) {
      // the span crosses into later chunks: those up to its end become one (the rest stay as they are)
      let n = 1;
      let bytes = this.chunks[0]!.length - this.skip;
      while (bytes < from + length) bytes += this.chunks[n++]!.length;
      const merged = Buffer.concat([this.chunks[0]!.subarray(this.skip), ...this.chunks.slice(1, n)]);
      this.chunks.splice(0, n, merged);
      this.skip = 0;
    }
    this.at = this.skip + from;
    return this.chunks[0]!;
  }

  /** The `length` bytes at stream offset `offset`. */
  slice(offset: number, length: number): Buffer {
    const buf = this.locate(offset, length);
    return buf.subarray(this.at, this.at + length);
  }

  /** Drops the bytes before `offset`: no later record refers to them. */
  release(offset: number): void {
    while (this.chunks.length && this.base + this.chunks[0]!.length - this.skip <= offset) {
      const rest = this.chunks[0]!.length - this.skip;
      this.base += rest;
      this.held -= rest;
      this.skip = 0;
      this.chunks.shift();
    }
    if (this.chunks.length && offset > this.base) {
      const cut = offset - this.base;
      this.skip += cut;
      this.base += cut;
      this.held -= cut;
    }
  }
}
