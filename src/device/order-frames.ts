// The order egress as frames (one message each), from the batches it arrives in: a frame may start in one
// batch and end in a later one. Frames that ended with tuser (cut-through egress: bytes that left before
// the gate dropped the frame) are counted, not returned: a MAC drops or poisons them on the wire.
import type { OrderOutEvent } from './events.js';

export class OrderFrames {
  /** Frames that ended with tuser. */
  dropped = 0;
  /** Their bytes, when kept (tests check what left), each with the count of frames delivered before it. */
  readonly droppedFrames: Array<{ bytes: Buffer; after: number }> = [];
  private delivered = 0;
  private partial: Buffer[] = [];

  constructor(private readonly keepDropped = false) {}

  /** Bytes of a frame that has not ended yet (cut through: a message still arriving). */
  get unfinished(): number {
    return this.partial.reduce((n, b) => n + b.length, 0);
  }

  /** The frames that ended in this batch. */
  push(ev: OrderOutEvent): Buffer[] {
    const frames: Buffer[] = [];
    let from = 0;
    ev.ends.forEach((end, i) => {
      this.partial.push(ev.bytes.subarray(from, end));
      const frame = Buffer.concat(this.partial);
      this.partial = [];
      from = end;
      if (ev.dropped?.[i]) {
        this.dropped++;
        if (this.keepDropped) this.droppedFrames.push({ bytes: frame, after: this.delivered });
      } else {
        frames.push(frame);
        this.delivered++;
      }
    });
    if (from < ev.bytes.length) this.partial.push(ev.bytes.subarray(from));
    return frames;
  }
}
