// MoldUDP64 packets as the host sees them before the device: which byte strings are well-formed packets,
// and how a raw stream of packets back to back is cut into packets, resynchronising after a packet whose
// Message Count does not match its bytes.
import { readWhole, type ChunkReader } from './chunk-reader.js';

const HEADER_BYTES = 20;
const HEARTBEAT = 0;
const END_OF_SESSION = 0xffff;

/** The end of the packet starting at `at` as its header and message lengths say, and whether every length
 *  fits inside `b` and the packet within `limit` bytes (`long`: it does not). */
function walk(b: Buffer, at: number, limit = Infinity): { end: number; fits: boolean; long: boolean } {
  const stop = Math.min(b.length, at + limit);
  let end = at + HEADER_BYTES;
  if (end > stop) return { end: b.length, fits: false, long: end > at + limit };
  const count = b.readUInt16BE(at + 18);
  if (count === HEARTBEAT || count === END_OF_SESSION) return { end, fits: true, long: false };
  for (let i = 0; i < count; i++) {
    if (end + 2 > stop) return { end: b.length, fits: false, long: end + 2 > at + limit };
    end += 2 + b.readUInt16BE(end);
    if (end > stop) return { end: b.length, fits: false, long: end > at + limit };
  }
  return { end, fits: true, long: false };
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

/** A raw stream packet longer than this is taken as broken (a UDP payload is under 64 KiB), and bytes
 *  searched this far for a place to resynchronise go to the device as one broken packet: so that a damaged
 *  length or a stretch of garbage never makes the reader hold more than this of its input. */
const MAX_STREAM_PACKET_BYTES = 1 << 20;

/** A decision that needs bytes of the input that have not arrived yet. */
const MORE = -2;

/** Splits a raw stream of MoldUDP64 packets. A packet is taken as its lengths say when they lead to the end
 *  of the input or to a plausible header (a session already seen, the packet's own, or 10 printable
 *  characters). Otherwise its Message Count or a length is wrong, and the stream is taken up again at the
 *  next header of a session already seen (or the broken packet's own) whose sequence number goes on from
 *  where that session is (for the broken packet's session: above the broken packet's number) and whose own
 *  lengths lead to the end or to another plausible header. The bytes before it go to the device as one
 *  packet, which reports them (trailing_bytes or truncated_packet): nothing is dropped without a record.
 *  Where a decision needs bytes that have not arrived, the reader waits for them. */
export class MoldStreamReader implements ChunkReader<Buffer> {
  private readonly sessions = new Map<string, bigint>();      // session bytes (latin1) -> next expected number
  /** While resynchronising after a broken packet (the first byte `take` is given): its session and number,
   *  and the input offset of the next place to try. */
  private broken: { own: string; seq: bigint; next: number } | undefined;

  constructor(private readonly counts: MoldStreamCounts = { resyncs: 0 }) {}

  take(b: Buffer, base: number, final: boolean, out: Buffer[]): number {
    const sessions = this.sessions;
    const sessionAt = (p: number) => b.toString('latin1', p, p + 10);
    const seqAt = (p: number) => b.readBigUInt64BE(p + 10);
    const printable = (p: number) => b.subarray(p, p + 10).every((c) => c >= 0x20 && c <= 0x7e);
    const headerAt = (p: number, own: string) => {
      if (p + HEADER_BYTES > b.length) return false;
      const id = sessionAt(p);
      return id === own || sessions.has(id) || printable(p);
    };
    /** The packet's end when its lengths lead to the end of the input or to a plausible header, -1 when
     *  they do not, MORE when that depends on bytes still to come. */
    const leadsTo = (p: number, own: string): number => {
      const w = walk(b, p, MAX_STREAM_PACKET_BYTES);
      if (!w.fits) return w.long || final ? -1 : MORE;
      if (!final && w.end + HEADER_BYTES > b.length) return MORE;
      return w.end === b.length || headerAt(w.end, own) ? w.end : -1;
    };
    const resumesAt = (p: number, own: string, brokenSeq: bigint): boolean | typeof MORE => {
      if (p + HEADER_BYTES > b.length) return final ? false : MORE;
      const id = sessionAt(p);
      if (id === own) { if (seqAt(p) <= brokenSeq) return false; }
      else if (!sessions.has(id) || seqAt(p) < sessions.get(id)!) return false;
      const end = leadsTo(p, id);
      return end === MORE ? MORE : end >= 0;
    };
    let at = 0;
    while (at < b.length) {
      if (!this.broken) {
        if (at + HEADER_BYTES > b.length) {         // shorter than a header: the device reports it
          if (!final) break;
          out.push(b.subarray(at));
          return b.length;
        }
        const own = sessionAt(at);
        const end = leadsTo(at, own);
        if (end === MORE) break;
        if (end >= 0) {
          const count = b.readUInt16BE(at + 18);
          const next = seqAt(at) + BigInt(count === END_OF_SESSION ? 0 : count);
          if (next > (sessions.get(own) ?? 0n)) sessions.set(own, next);
          out.push(b.subarray(at, end));
          at = end;
          continue;
        }
        this.broken = { own, seq: seqAt(at), next: base + at + 1 };
      }
      const { own, seq } = this.broken;
      let next = this.broken.next - base;
      let resumes: boolean | typeof MORE = false;
      while (next < b.length && next - at < MAX_STREAM_PACKET_BYTES && !(resumes = resumesAt(next, own, seq))) next++;
      if (resumes === MORE || (next === b.length && !final)) {
        this.broken.next = base + next;
        break;
      }
      this.broken = undefined;
      this.counts.resyncs++;
      out.push(b.subarray(at, next));
      at = next;
    }
    return at;
  }
}

export const moldStreamPackets = (b: Buffer, counts: MoldStreamCounts = { resyncs: 0 }): Generator<Buffer> =>
  readWhole(new MoldStreamReader(counts), b);
