// Decoded device events: the typed view of the event records the device emits.
import { ERROR_NAME, KIND, RECORD_BYTES, readRecord, type ErrorName } from './generated/layout.js';

export type FrameError = Exclude<ErrorName, 'none'>;

/** A FIX message span (or a garbled span) found on the FIX ingress. */
export interface FixFrameEvent {
  kind: 'fix_frame';
  seq: number;
  offset: number;
  length: number;
  error: FrameError | null;
  /** Device cycle at which the span's last byte was processed (0 from the reference model). */
  timestamp: bigint;
}

/** The FIX ingress stream ended; every record of that stream came before this one. */
export interface StreamEndEvent {
  kind: 'stream_end';
  seq: number;
  /** Bytes in the stream that ended. */
  bytes: number;
  timestamp: bigint;
}

export type DeviceEvent = FixFrameEvent | StreamEndEvent;

/** Raised when the device sends something the host does not understand: a layout mismatch or a fault. */
export class DeviceProtocolError extends Error {
  readonly code = 'DEVICE_PROTOCOL';
}

function toSafeNumber(v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DeviceProtocolError(`${what} ${v} is beyond 2^53`);
  return Number(v);
}

/** Decodes every record in `buf` (a whole number of records) and appends the events to `out`. */
export function decodeRecords(buf: Uint8Array, out: DeviceEvent[] = []): DeviceEvent[] {
  if (buf.byteLength % RECORD_BYTES !== 0) {
    throw new DeviceProtocolError(`record batch of ${buf.byteLength} bytes is not a multiple of ${RECORD_BYTES}`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let at = 0; at < buf.byteLength; at += RECORD_BYTES) {
    const r = readRecord(view, at);
    if (r.kind === KIND.fix_frame) {
      const name = ERROR_NAME[r.error];
      if (name === undefined) throw new DeviceProtocolError(`record ${r.seq} has unknown error code ${r.error}`);
      out.push({
        kind: 'fix_frame',
        seq: r.seq,
        offset: toSafeNumber(r.offset, 'offset'),
        length: r.length,
        error: name === 'none' ? null : name,
        timestamp: r.timestamp,
      });
    } else if (r.kind === KIND.stream_end) {
      out.push({ kind: 'stream_end', seq: r.seq, bytes: toSafeNumber(r.offset, 'stream length'), timestamp: r.timestamp });
    } else {
      throw new DeviceProtocolError(`record ${r.seq} has unknown kind ${r.kind}`);
    }
  }
  return out;
}
