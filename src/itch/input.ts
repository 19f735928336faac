// The inputs `tickgate decode itch` reads, told apart by their content: a packet capture (pcap or pcapng;
// each UDP payload a MoldUDP64 packet), a raw stream of MoldUDP64 packets back to back, or a NASDAQ
// BinaryFILE (each message after a 2-byte big-endian length). What reaches the device is MoldUDP64 packets;
// everything else in the input is counted here (InputCounts) so the summary can say what was passed over.
import { ethernetFrame, frameContent, PCAP_MAGIC, PCAPNG_MAGIC, PcapngReader, PcapReader, type CapturedFrame } from './capture.js';
import { readPieces, readWhole, type ChunkReader } from './chunk-reader.js';
import { FeedFormatError } from './input-errors.js';
import { itchLength } from './messages.js';
import { isMoldPacket, MoldStreamReader, type MoldStreamCounts } from './mold-packets.js';
import { BinaryFileReader, type FeedDecoder, type FeedRecord } from './ref-decoder.js';

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
  /** the input's format, once the first piece decided it */
  format?: FeedFormat;
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

/** A capture's frames, each handed to `frame` as the reader gives them: also the frames before a damage,
 *  which the reader leaves in its output before it throws. */
abstract class CaptureReader implements ChunkReader<Buffer> {
  private readonly frames: CapturedFrame[] = [];

  constructor(private readonly frameReader: ChunkReader<CapturedFrame>, protected readonly counts: InputCounts) {}

  protected abstract frame(frame: CapturedFrame, out: Buffer[]): void;

  take(b: Buffer, base: number, final: boolean, out: Buffer[]): number {
    const frames = this.frames;
    try {
      return this.frameReader.take(b, base, final, frames);
    } finally {
      for (const frame of frames) {
        this.counts.frames++;
        this.frame(frame, out);
      }
      frames.length = 0;
    }
  }
}

/** The MoldUDP64 packets of a capture (MoldPayloadFilter decides which UDP payloads). */
class CapturePacketReader extends CaptureReader {
  private readonly filter = new MoldPayloadFilter(this.counts);

  protected frame(frame: CapturedFrame, out: Buffer[]): void {
    const c = frameContent(frame);
    if (c.kind === 'truncated') this.counts.truncatedFrames++;
    else if (c.kind === 'other') this.counts.otherTraffic++;
    else if (this.filter.accepts(c.payload)) out.push(c.payload);
  }
}

/** Ethernet and IPv4 headers: a frame the capture cut shorter than this stays with the host. */
const CUT_FRAME_MIN = 14 + 20;

/** The frames of a capture, whole, for the wire-level ingress (DESIGN.md 3.8). With `filter` (no subscription
 *  table: every UDP stream is taken), a UDP datagram whose payload MoldPayloadFilter refuses stays here,
 *  counted as other traffic, as before the device took frames; so does a frame of another link type that is
 *  not IPv4. A frame the capture file ends inside, or cut too short to hold an IPv4 header, counts as
 *  truncated here. Everything else goes to the device, which counts and reports it. */
class CaptureFrameReader extends CaptureReader {
  constructor(frameReader: ChunkReader<CapturedFrame>, counts: InputCounts, private readonly filter: MoldPayloadFilter | undefined) {
    super(frameReader, counts);
  }

  protected frame(frame: CapturedFrame, out: Buffer[]): void {
    // cut by the capture, not on the wire: the file ends inside its record (what is there is not sure to be
    // the frame's bytes), or too short to hold an IPv4 header: nothing the device could read
    const cut = frame.data.length < frame.originalLength;
    if (cut && (frame.originalLength === Infinity || frame.data.length < CUT_FRAME_MIN)) { this.counts.truncatedFrames++; return; }
    const whole = ethernetFrame(frame);
    if (whole === null) { this.counts.otherTraffic++; return; }
    if (this.filter) {
      const c = frameContent(frame);
      if (c.kind === 'udp' && !this.filter.accepts(c.payload)) return;
    }
    out.push(whole);
  }
}

/** How a capture reaches the device: its frames whole (the wire-level ingress; `table`: a subscription table
 *  is programmed, so the device alone decides), or (the default) the MoldUDP64 payloads the host found. */
export interface CaptureIngress {
  frames: boolean;
  table?: boolean;
}

/** The reader of an input whose first bytes (at least FORMAT_BYTES, unless the input is shorter) are
 *  `start`: it yields the MoldUDP64 packets (a BinaryFILE's messages one per packet) and fills in `counts`. */
function packetReader(start: Buffer, counts: InputCounts, capture: CaptureIngress = { frames: false }): ChunkReader<Buffer> {
  const format = detectFormat(start);
  counts.format = format;
  const frames = (r: ChunkReader<CapturedFrame>) => (capture.frames
    ? new CaptureFrameReader(r, counts, capture.table ? undefined : new MoldPayloadFilter(counts))
    : new CapturePacketReader(r, counts));
  switch (format) {
    case 'pcap': return frames(new PcapReader());
    case 'pcapng': return frames(new PcapngReader());
    case 'moldudp64': return new MoldStreamReader(counts);
    case 'binaryfile': return new BinaryFileReader();
  }
}

/** What detectFormat looks at. */
const FORMAT_BYTES = 24;

/** The MoldUDP64 packets of a whole input, in order (a capture's frames whole with `capture.frames`);
 *  `counts` is filled in as the packets are taken. */
export function feedPackets(input: Buffer, counts: InputCounts = noInputCounts(), capture?: CaptureIngress): Iterable<Buffer> {
  return readWhole(packetReader(input, counts, capture), input);
}

/** The MoldUDP64 packets of an input as it arrives, a batch per piece read, in bounded memory. The format
 *  is decided (or refused) when the first batch is asked for. */
export function feedPacketBatches(input: AsyncIterable<Uint8Array>, counts: InputCounts, capture?: CaptureIngress): AsyncGenerator<Buffer[]> {
  return readPieces(input, FORMAT_BYTES, (start) => packetReader(start, counts, capture));
}

/** Every record of an input, in order, from the golden model. */
export function decodeFeed(input: Buffer, decoder: FeedDecoder): FeedRecord[] {
  const out: FeedRecord[] = [];
  for (const p of feedPackets(input)) decoder.packet(p, out);
  return out;
}
