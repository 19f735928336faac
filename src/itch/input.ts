// The inputs `tickgate decode itch` reads, told apart by their content: a pcap capture (Ethernet, any 802.1Q
// VLAN tags, IPv4, UDP; each UDP payload one MoldUDP64 packet), a raw stream of MoldUDP64 packets back to
// back, or a NASDAQ BinaryFILE (each message after a 2-byte big-endian length).
import { itchLength } from './messages.js';
import { binaryFilePackets, type FeedDecoder, type FeedRecord } from './ref-decoder.js';

export type FeedFormat = 'pcap' | 'moldudp64' | 'binaryfile';

export class FeedFormatError extends Error {
  readonly code = 'FEED_FORMAT';
}

const PCAP_MAGIC = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);

export function detectFormat(b: Buffer): FeedFormat {
  if (b.length >= 24 && PCAP_MAGIC.has(b.readUInt32BE(0))) return 'pcap';
  if (b.length >= 3 && itchLength(b[2]!) === b.readUInt16BE(0)) return 'binaryfile';
  if (b.length >= 20 && [...b.subarray(0, 10)].every((c) => c >= 0x20 && c <= 0x7e)) return 'moldudp64';
  throw new FeedFormatError('cannot tell the input format: not a pcap capture, a MoldUDP64 packet stream or a NASDAQ BinaryFILE');
}

export interface PcapStats {
  frames: number;
  /** Frames that are not IPv4/UDP (ARP, IPv6, TCP ...): skipped. */
  skipped: number;
  /** IPv4 fragments and frames cut short by the capture length: skipped, counted. */
  unusable: number;
}

/** The UDP payloads of a pcap capture, in capture order. */
export function* pcapPayloads(b: Buffer, stats: PcapStats = { frames: 0, skipped: 0, unusable: 0 }): Generator<Buffer> {
  const magic = b.readUInt32BE(0);
  const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  const u32 = (at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const linkType = u32(20);
  if (linkType !== 1) throw new FeedFormatError(`pcap link type ${linkType} is not Ethernet (1)`);
  let at = 24;
  while (at + 16 <= b.length) {
    const incl = u32(at + 8);
    const orig = u32(at + 12);
    const frame = b.subarray(at + 16, Math.min(b.length, at + 16 + incl));
    at += 16 + incl;
    stats.frames++;
    if (frame.length < incl || incl < orig) { stats.unusable++; continue; }
    const payload = udpPayload(frame);
    if (payload === 'skip') stats.skipped++;
    else if (payload === 'unusable') stats.unusable++;
    else yield payload;
  }
}

function udpPayload(f: Buffer): Buffer | 'skip' | 'unusable' {
  let at = 12;
  if (f.length < at + 2) return 'unusable';
  let etherType = f.readUInt16BE(at);
  while (etherType === 0x8100 || etherType === 0x88a8) {
    at += 4;
    if (f.length < at + 2) return 'unusable';
    etherType = f.readUInt16BE(at);
  }
  if (etherType !== 0x0800) return 'skip';
  const ip = at + 2;
  if (f.length < ip + 20 || f[ip]! >> 4 !== 4) return 'unusable';
  const ihl = (f[ip]! & 0x0f) * 4;
  const totalLength = f.readUInt16BE(ip + 2);
  const fragment = f.readUInt16BE(ip + 6);
  if (f[ip + 9] !== 17) return 'skip';
  if ((fragment & 0x2000) !== 0 || (fragment & 0x1fff) !== 0) return 'unusable';
  const udp = ip + ihl;
  if (f.length < ip + totalLength || totalLength < ihl + 8) return 'unusable';
  const udpLength = f.readUInt16BE(udp + 4);
  if (udpLength < 8 || udp + udpLength > ip + totalLength) return 'unusable';
  return f.subarray(udp + 8, udp + udpLength);
}

/** MoldUDP64 packets back to back: each one's length follows from its header and message lengths. A packet
 *  that runs past the end of the input is handed over as it is (the decoder reports it truncated). */
export function* moldPackets(b: Buffer): Generator<Buffer> {
  let at = 0;
  while (at < b.length) {
    let end = at + 20;
    if (end <= b.length) {
      const count = b.readUInt16BE(at + 18);
      if (count !== 0 && count !== 0xffff) {
        for (let i = 0; i < count && end + 2 <= b.length; i++) end += 2 + b.readUInt16BE(end);
      }
    }
    yield b.subarray(at, Math.min(end, b.length));
    at = end;
  }
}

/** The MoldUDP64 packets of an input, in order (a BinaryFILE's messages one per packet). */
export function feedPackets(input: Buffer): Iterable<Buffer> {
  switch (detectFormat(input)) {
    case 'pcap': return pcapPayloads(input);
    case 'moldudp64': return moldPackets(input);
    case 'binaryfile': return binaryFilePackets(input);
  }
}

/** Every record of an input, in order, from the golden model. */
export function decodeFeed(input: Buffer, decoder: FeedDecoder): FeedRecord[] {
  const out: FeedRecord[] = [];
  for (const p of feedPackets(input)) decoder.packet(p, out);
  return out;
}
