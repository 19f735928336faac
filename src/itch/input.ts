// The inputs `tickgate decode itch` reads, told apart by their content: a packet capture (pcap or pcapng;
// each UDP payload a MoldUDP64 packet), a raw stream of MoldUDP64 packets back to back, or a NASDAQ
// BinaryFILE (each message after a 2-byte big-endian length). What reaches the device is MoldUDP64 packets;
// everything else in the input is counted here (InputCounts) so the summary can say what was passed over.
import { frameContent, PCAP_MAGIC, PCAPNG_MAGIC, pcapFrames, pcapngFrames, type CapturedFrame } from './capture.js';
import { FeedFormatError } from './input-errors.js';
import { itchLength } from './messages.js';
import { isMoldPacket, moldStreamPackets, type MoldStreamCounts } from './mold-packets.js';
import { binaryFilePackets, type FeedDecoder, type FeedRecord } from './ref-decoder.js';

export { FeedFormatError };

export type FeedFormat = 'pcap' | 'pcapng' | 'moldudp64' | 'binaryfile';

export function detectFormat(b: Buffer): FeedFormat {
  if (b.length >= 24 && PCAP_MAGIC.has(b.readUInt32BE(0))) return 'pcap';
  if (b.length >= 12 && b.readUInt32BE(0) === PCAPNG_MAGIC) return 'pcapng';
  if (b.length >= 3 && itchLength(b[2]!) === b.readUInt16BE(0)) return 'binaryfile';
  if (b.length >= 20 && isMoldStreamStart(b)) return 'moldudp64';
  throw new FeedFormatError('cannot tell the input format: not a pcap or pcapng capture, a MoldUDP64 packet stream or a NASDAQ BinaryFILE');
}

/** A raw MoldUDP64 stream starts with a session of printable characters (or all NUL, as anonymised captures
 *  have it). */
function isMoldStreamStart(b: Buffer): boolean {
  const session = b.subarray(0, 10);
  return session.every((c) => c >= 0x20 && c <= 0x7e) || session.every((c) => c === 0);
}

/** What the input held besides the packets handed to the device. */
export interface InputCounts extends MoldStreamCounts {
  /** frames in a capture (0 for other inputs) */
  frames: number;
  /** frames that are not a MoldUDP64 stream: not IPv4/UDP, or a UDP payload that is not a well-formed
   *  MoldUDP64 packet and not of a session already seen */
  otherTraffic: number;
  /** frames cut short by the capture's snapshot length, IPv4 fragments, and datagrams whose lengths run
   *  past their frame */
  truncatedFrames: number;
}

export const noInputCounts = (): InputCounts => ({ frames: 0, otherTraffic: 0, truncatedFrames: 0, resyncs: 0 });

/** Which UDP payloads go to the device: a well-formed MoldUDP64 packet, or one at least a header long that
 *  names a session a well-formed packet already named (the device then reports what is wrong with it).
 *  Anything else never reaches the device, so it can neither make error records with garbage sessions nor
 *  take a slot of the session table; it is counted as other traffic. */
export class MoldPayloadFilter {
  private readonly sessions = new Set<string>();

  constructor(private readonly counts: Pick<InputCounts, 'otherTraffic'>) {}

  accepts(p: Buffer): boolean {
    const session = p.length >= 20 ? p.toString('latin1', 0, 10) : undefined;
    if (isMoldPacket(p)) this.sessions.add(session!);
    else if (session === undefined || !this.sessions.has(session)) {
      this.counts.otherTraffic++;
      return false;
    }
    return true;
  }
}

/** The MoldUDP64 packets of a capture (MoldPayloadFilter decides which UDP payloads). */
export function* capturePackets(frames: Iterable<CapturedFrame>, counts: InputCounts): Generator<Buffer> {
  const filter = new MoldPayloadFilter(counts);
  for (const frame of frames) {
    counts.frames++;
    const c = frameContent(frame);
    if (c.kind === 'truncated') { counts.truncatedFrames++; continue; }
    if (c.kind === 'other') { counts.otherTraffic++; continue; }
    if (filter.accepts(c.payload)) yield c.payload;
  }
}

/** The MoldUDP64 packets of an input, in order (a BinaryFILE's messages one per packet); `counts` is
 *  filled in as the packets are taken. */
export function feedPackets(input: Buffer, counts: InputCounts = noInputCounts()): Iterable<Buffer> {
  switch (detectFormat(input)) {
    case 'pcap': return capturePackets(pcapFrames(input), counts);
    case 'pcapng': return capturePackets(pcapngFrames(input), counts);
    case 'moldudp64': return moldStreamPackets(input, counts);
    case 'binaryfile': return binaryFilePackets(input);
  }
}

/** Every record of an input, in order, from the golden model. */
export function decodeFeed(input: Buffer, decoder: FeedDecoder): FeedRecord[] {
  const out: FeedRecord[] = [];
  for (const p of feedPackets(input)) decoder.packet(p, out);
  return out;
}
