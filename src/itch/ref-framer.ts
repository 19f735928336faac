// Golden model of hdl/feed/mold_framer.v: the events the framer gives for one MoldUDP64 packet, under the
// rules of src/itch/ref-decoder.ts (header, each message with its number, then the packet's error if any).
export const MAX_MSG = 64;

export type FramerEvent =
  | { kind: 'header'; session: Buffer; seq: bigint; count: number }
  | { kind: 'message'; session: Buffer; seq: bigint; length: number; data: Buffer }
  /** trailing: short_packet, the packet's bytes; trailing_bytes, the bytes left over; otherwise 0 */
  | { kind: 'error'; error: 'short_packet' | 'truncated_packet' | 'trailing_bytes'; session: Buffer; seq: bigint; trailing: number };

export function framePacket(p: Buffer): FramerEvent[] {
  const out: FramerEvent[] = [];
  if (p.length < 20) {
    // the session as far as it arrived (missing bytes are 0); no number yet
    const session = Buffer.alloc(10);
    p.copy(session, 0, 0, Math.min(10, p.length));
    out.push({ kind: 'error', error: 'short_packet', session, seq: 0n, trailing: p.length });
    return out;
  }
  const session = Buffer.from(p.subarray(0, 10));
  let seq = p.readBigUInt64BE(10);
  const count = p.readUInt16BE(18);
  out.push({ kind: 'header', session, seq, count });
  let at = 20;
  let left = count === 0xffff ? 0 : count;
  while (left > 0) {
    if (at + 2 > p.length) {
      out.push({ kind: 'error', error: 'truncated_packet', session, seq, trailing: 0 });
      return out;
    }
    const len = p.readUInt16BE(at);
    if (at + 2 + len > p.length) {
      out.push({ kind: 'error', error: 'truncated_packet', session, seq, trailing: 0 });
      return out;
    }
    const data = Buffer.alloc(MAX_MSG);
    p.copy(data, 0, at + 2, at + 2 + Math.min(len, MAX_MSG));
    out.push({ kind: 'message', session, seq, length: len, data });
    seq = (seq + 1n) & 0xffffffffffffffffn;
    left--;
    at += 2 + len;
  }
  if (at < p.length) out.push({ kind: 'error', error: 'trailing_bytes', session, seq, trailing: p.length - at });
  return out;
}
