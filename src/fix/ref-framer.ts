// Golden model of hdl/fix/fix_framer.v: the same spans, in the same order, from the same bytes,
// processed one byte at a time. See the RTL header for the framing rules.
import type { FrameError } from '../device/events.js';

export interface FrameSpan {
  kind: 'fix_frame' | 'stream_end';
  offset: number;
  length: number;
  error: FrameError | null;
}

const SOH = 0x01;
const enum Mode { Idle, Garbage, Msg, Trailer }
const C8 = 0x38, EQ = 0x3d, F = 0x46, I = 0x49, X = 0x58, C1 = 0x31, C0 = 0x30;

export class FixFramerModel {
  private mode = Mode.Idle;
  private start = 0;
  private pos = 0;
  // the last five bytes, h4 the newest
  private h0 = 0; private h1 = 0; private h2 = 0; private h3 = 0; private h4 = 0;

  /** @param maxMsgLen messages longer than this many bytes are reported too_long */
  constructor(public maxMsgLen = 4096) {}

  /** Feeds bytes of the current stream; returns the spans they complete. */
  push(bytes: Uint8Array, out: FrameSpan[] = []): FrameSpan[] {
    for (let k = 0; k < bytes.length; k++) {
      const b = bytes[k]!;
      const p = this.pos;
      switch (this.mode) {
        case Mode.Idle:
          this.mode = Mode.Garbage;
          this.start = p;
          break;
        case Mode.Garbage:
          if (this.isStart(b)) {
            if (this.start !== p - 4) out.push(this.span(this.start, p - 4, 'garbled', false));
            this.mode = Mode.Msg;
            this.start = p - 4;
          }
          break;
        case Mode.Msg:
          if (this.isStart(b) && this.h0 === SOH) {
            out.push(this.span(this.start, p - 4, 'garbled', true));
            this.start = p - 4;
          } else if (this.h2 === SOH && this.h3 === C1 && this.h4 === C0 && b === EQ) {
            this.mode = Mode.Trailer;
          }
          break;
        case Mode.Trailer:
          if (b === SOH) {
            out.push(this.span(this.start, p + 1, null, true));
            this.mode = Mode.Idle;
          }
          break;
      }
      this.h0 = this.h1; this.h1 = this.h2; this.h2 = this.h3; this.h3 = this.h4; this.h4 = b;
      this.pos = p + 1;
    }
    return out;
  }

  /** Ends the current stream (tlast): flushes the pending span, reports stream_end, starts over. */
  end(out: FrameSpan[] = []): FrameSpan[] {
    if (this.mode === Mode.Garbage) out.push(this.span(this.start, this.pos, 'garbled', false));
    else if (this.mode !== Mode.Idle) out.push(this.span(this.start, this.pos, 'truncated', true));
    out.push({ kind: 'stream_end', offset: this.pos, length: 0, error: null });
    this.mode = Mode.Idle;
    this.start = 0;
    this.pos = 0;
    this.h0 = this.h1 = this.h2 = this.h3 = this.h4 = 0;
    return out;
  }

  private isStart(b: number): boolean {
    return b === X && this.h1 === C8 && this.h2 === EQ && this.h3 === F && this.h4 === I;
  }

  private span(start: number, end: number, error: FrameError | null, isMessage: boolean): FrameSpan {
    const length = end - start;
    const tooLong = isMessage && length > this.maxMsgLen;
    return { kind: 'fix_frame', offset: start, length: Math.min(length, 0xffffffff), error: tooLong ? 'too_long' : error };
  }
}
