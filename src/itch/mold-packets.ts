// MoldUDP64 packets as the host sees them before the device: which byte strings are well-formed packets,
// and how a raw stream of packets back to back is cut into packets, resynchronising after a packet whose
// Message Count does not match its bytes.
const HEADER_BYTES = 20;
const HEARTBEAT = 0;
const END_OF_SESSION = 0xffff;

/** The end of the packet starting at `at` as its header and message lengths say, and whether every length
 *  fits inside `b`. */
function walk(b: Buffer, at: number): { end: number; fits: boolean } {
  let end = at + HEADER_BYTES;
  if (end > b.length) return { end: b.length, fits: false };
  const count = b.readUInt16BE(at + 18);
  if (count === HEARTBEAT || count === END_OF_SESSION) return { end, fits: true };
  for (let i = 0; i < count; i++) {
    if (end + 2 > b.length) return { end: b.length, fits: false };
    end += 2 + b.readUInt16BE(end);
    if (end > b.length) return { end: b.length, fits: false };
  }
  return { end, fits: true };
}

/** A UDP payload that is exactly one MoldUDP64 packet: a header, and messages whose lengths add up to the
 *  payload's (a heartbeat or end of session: the header alone). */
export function isMoldPacket(p: Buffer): boolean {
  const w = walk(p, 0);
  return w.fits && w.end === p.length;
}

export interface MoldStreamCounts {
  /** places where the stream was found out of step and taken up again at the next good header (the bytes
   *  in between reach the device as one packet, which reports them in its error record) */
  resyncs: number;
}

/** Splits a raw stream of MoldUDP64 packets. A packet is taken as its lengths say when they lead to the end
 *  of the input or to a plausible header (a session already seen, the packet's own, or 10 printable
 *  characters). Otherwise its Message Count or a length is wrong, and the stream is taken up again at the
 *  next header of a session already seen (or the broken packet's own) whose sequence number goes on from
 *  where that session is (for the broken packet's session: above the broken packet's number) and whose own
 *  lengths lead to the end or to another plausible header. The bytes before it go to the device as one
 *  packet, which reports them (trailing_bytes or truncated_packet): nothing is dropped without a record. */
export function* moldStreamPackets(b: Buffer, counts: MoldStreamCounts = { resyncs: 0 }): Generator<Buffer> {
  const sessions = new Map<string, bigint>();      // session bytes (latin1) -> next expected number
  const sessionAt = (p: number) => b.toString('latin1', p, p + 10);
  const seqAt = (p: number) => b.readBigUInt64BE(p + 10);
  const printable = (p: number) => b.subarray(p, p + 10).every((c) => c >= 0x20 && c <= 0x7e);
  const headerAt = (p: number, own: string) => {
    if (p + HEADER_BYTES > b.length) return false;
    const id = sessionAt(p);
    return id === own || sessions.has(id) || printable(p);
  };
  /** The packet's end when its lengths lead to the end of the input or to a plausible header, else -1. */
  const leadsTo = (p: number, own: string) => {
    const w = walk(b, p);
    return w.fits && (w.end === b.length || headerAt(w.end, own)) ? w.end : -1;
  };
  let at = 0;
  while (at < b.length) {
    if (at + HEADER_BYTES > b.length) {         // shorter than a header: the device reports it
      yield b.subarray(at);
      return;
    }
    const own = sessionAt(at);
    const end = leadsTo(at, own);
    if (end >= 0) {
      const count = b.readUInt16BE(at + 18);
      const next = seqAt(at) + BigInt(count === END_OF_SESSION ? 0 : count);
      if (next > (sessions.get(own) ?? 0n)) sessions.set(own, next);
      yield b.subarray(at, end);
      at = end;
      continue;
    }
    const brokenSeq = seqAt(at);
    const resumesAt = (p: number) => {
      if (p + HEADER_BYTES > b.length) return false;
      const id = sessionAt(p);
      if (id === own) { if (seqAt(p) <= brokenSeq) return false; }
      else if (!sessions.has(id) || seqAt(p) < sessions.get(id)!) return false;
      return leadsTo(p, id) >= 0;
    };
    let next = at + 1;
    while (next < b.length && !resumesAt(next)) next++;
    counts.resyncs++;
    yield b.subarray(at, next);
    at = next;
  }
}
