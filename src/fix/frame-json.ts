// The NDJSON form of FIX records (DESIGN.md 3.2). The framer stage fills kind, offset, length and error;
// msgType, msgSeqNum, fields and decoded come with the parser core.
import type { FixFrameEvent } from '../device/events.js';

export function fixFrameJson(ev: FixFrameEvent): string {
  return `{"kind":"fix","offset":${ev.offset},"length":${ev.length},"error":${ev.error === null ? 'null' : `"${ev.error}"`}}`;
}
