// Packet captures as `tcpdump`, `dumpcap` and Wireshark write them: classic pcap (either byte order,
// microsecond or nanosecond) and pcapng (any number of sections and interfaces; Enhanced, Simple and the
// obsolete Packet blocks), and the UDP datagrams inside their frames. Link types read: Ethernet (with any
// 802.1Q/802.1ad tags), Linux cooked v1 and v2 (`tcpdump -i any`), raw IP and BSD loopback.
import { readWhole, type ChunkReader } from './chunk-reader.js';
import { FeedFormatError } from './input-errors.js';

export const PCAP_MAGIC = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
export const PCAPNG_MAGIC = 0x0a0d0d0a;

/** One captured frame: its bytes as captured, the length it had on the wire, and its link type. */
export interface CapturedFrame {
  data: Buffer;
  originalLength: number;
  linkType: number;
}

/** The largest frame a capture may hold (Wireshark's limit for Ethernet); a bigger length means damage. */
const MAX_FRAME = 262_144;

function damaged(format: string, at: number, bytes: number): FeedFormatError {
  return new FeedFormatError(`${format} record at byte ${at} claims ${bytes} bytes, more than any frame (${MAX_FRAME}): the file is damaged`);
}

const LINK = { NULL: 0, ETHERNET: 1, RAW: 101, LINUX_SLL: 113, RAW_IPV4: 228, LINUX_SLL2: 276 } as const;
const READABLE_LINKS = new Set<number>(Object.values(LINK));

function checkLink(linkType: number, where: string): void {
  if (!READABLE_LINKS.has(linkType)) {
    throw new FeedFormatError(`${where} has link type ${linkType}; tickgate reads Ethernet (1), Linux cooked (113, 276), raw IP (101, 228) and BSD loopback (0)`);
  }
}

/** The frames of a classic pcap file. A record cut off by the end of the file (its header too) is a frame
 *  shorter than its captured length says, so it counts as truncated; a record longer than any frame can be
 *  means the file is damaged: an error, as Wireshark gives. */
export class PcapReader implements ChunkReader<CapturedFrame> {
  private header: { le: boolean; linkType: number } | undefined;

  /** The first call is given the whole 24-byte file header (format detection waits for it). */
  take(b: Buffer, base: number, final: boolean, out: CapturedFrame[]): number {
    let at = 0;
    if (!this.header) {
      const magic = b.readUInt32BE(0);
      const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
      const linkType = (le ? b.readUInt32LE(20) : b.readUInt32BE(20)) & 0x0fffffff;   // the top bits may carry an FCS length
      checkLink(linkType, 'the pcap capture');
      this.header = { le, linkType };
      at = 24;
    }
    const { le, linkType } = this.header;
    const u32 = (p: number) => (le ? b.readUInt32LE(p) : b.readUInt32BE(p));
    while (at < b.length) {
      if (at + 16 > b.length) {
        if (!final) break;
        out.push({ data: b.subarray(at), originalLength: Infinity, linkType });
        return b.length;
      }
      const incl = u32(at + 8);
      const orig = u32(at + 12);
      if (incl > MAX_FRAME) throw damaged('pcap', base + at, incl);
      if (at + 16 + incl > b.length && !final) break;
      const data = b.subarray(at + 16, Math.min(b.length, at + 16 + incl));
      at = Math.min(b.length, at + 16 + incl);
      out.push({ data, originalLength: data.length < incl ? Math.max(orig, incl) : orig, linkType });
    }
    return at;
  }
}

export const pcapFrames = (b: Buffer): Generator<CapturedFrame> => readWhole(new PcapReader(), b);

/** The shortest block of each type that holds its fixed fields. */
const MIN_BLOCK: Record<number, number> = { [PCAPNG_MAGIC]: 28, 1: 20, 2: 32, 3: 16, 6: 32 };

/** The frames of a pcapng file, in file order. */
export class PcapngReader implements ChunkReader<CapturedFrame> {
  private le = true;
  private interfaces: Array<{ linkType: number; snapLength: number }> = [];

  take(b: Buffer, base: number, final: boolean, out: CapturedFrame[]): number {
    let at = 0;
    const u32 = (p: number) => (this.le ? b.readUInt32LE(p) : b.readUInt32BE(p));
    const u16 = (p: number) => (this.le ? b.readUInt16LE(p) : b.readUInt16BE(p));
    const firstLink = () => this.interfaces[0]?.linkType ?? LINK.ETHERNET;
    while (at < b.length) {
      if (at + 12 > b.length) {
        if (!final) break;
        // the file ends inside a block header: a frame cut short, as far as anyone can tell
        out.push({ data: b.subarray(at), originalLength: Infinity, linkType: firstLink() });
        return b.length;
      }
      const type = b.readUInt32BE(at) === PCAPNG_MAGIC ? PCAPNG_MAGIC : u32(at);
      let le = this.le;
      if (type === PCAPNG_MAGIC) {
        // Section Header Block: its byte-order magic sets the order of everything in the section
        const bom = b.readUInt32LE(at + 8);
        if (bom === 0x1a2b3c4d) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else throw new FeedFormatError(`pcapng section at byte ${base + at} has no valid byte-order magic`);
      }
      const length = le ? b.readUInt32LE(at + 4) : b.readUInt32BE(at + 4);
      if (length < (MIN_BLOCK[type] ?? 12) || length % 4 !== 0) throw new FeedFormatError(`pcapng block at byte ${base + at} has an invalid length ${length}`);
      const end = at + length;
      if (end > b.length && !final) break;
      if (type === PCAPNG_MAGIC) {
        this.le = le;
        this.interfaces = [];
      }
      const body = at + 8;
      if (end > b.length) {
        // the file ends inside this block: a packet block is a frame cut short; any other block held none
        if (type === 6 || type === 2 || type === 3) out.push({ data: b.subarray(body), originalLength: Infinity, linkType: firstLink() });
        return b.length;
      }
      if (type === 1) {
        this.interfaces.push({ linkType: u16(body), snapLength: u32(body + 4) });
      } else if (type === 6 || type === 2) {
        // Enhanced Packet Block (6) and the obsolete Packet Block (2)
        const iface = type === 6 ? u32(body) : u16(body);
        const captured = u32(body + 12);
        const original = u32(body + 16);
        if (captured > MAX_FRAME) throw damaged('pcapng', base + at, captured);
        const start = body + 20;
        const data = b.subarray(start, Math.min(start + captured, end - 4));
        out.push(frameOn(this.interfaces, iface, data, Math.max(original, captured), base + at));
      } else if (type === 3) {
        // Simple Packet Block: interface 0, captured length from the block and the snap length
        const original = u32(body);
        const snap = this.interfaces[0]?.snapLength || Infinity;
        const captured = Math.min(original, snap, length - 16);
        out.push(frameOn(this.interfaces, 0, b.subarray(body + 4, body + 4 + captured), original, base + at));
      }
      at = end;
    }
    return at;
  }
}

export const pcapngFrames = (b: Buffer): Generator<CapturedFrame> => readWhole(new PcapngReader(), b);

function frameOn(interfaces: ReadonlyArray<{ linkType: number }>, iface: number, data: Buffer, originalLength: number, at: number): CapturedFrame {
  const info = interfaces[iface];
  if (!info) throw new FeedFormatError(`pcapng packet at byte ${at} names interface ${iface}, which no Interface Description Block describes`);
  checkLink(info.linkType, `pcapng interface ${iface}`);
  return { data, originalLength, linkType: info.linkType };
}

const ETHERNET_ADDRESSES = Buffer.alloc(12);

/** A captured frame as the wire-level ingress takes it (DESIGN.md 3.8): an Ethernet frame as it is; the IPv4
 *  packet of another link type (Linux cooked, raw IP, BSD loopback) behind an Ethernet II header, as a MAC
 *  would hand it over. Null for a frame of another link type that does not carry IPv4 (the host counts it as
 *  other traffic). */
export function ethernetFrame(frame: CapturedFrame): Buffer | null {
  const f = frame.data;
  const wrap = (etherType: Buffer, packet: Buffer) => Buffer.concat([ETHERNET_ADDRESSES, etherType, packet]);
  const IPV4 = Buffer.from([0x08, 0x00]);
  switch (frame.linkType) {
    case LINK.ETHERNET: return f;
    case LINK.LINUX_SLL: return f.length < 16 ? null : wrap(f.subarray(14, 16), f.subarray(16));
    case LINK.LINUX_SLL2: return f.length < 20 ? null : wrap(f.subarray(0, 2), f.subarray(20));
    case LINK.NULL: return f.length >= 4 && (f.readUInt32LE(0) === 2 || f.readUInt32BE(0) === 2) ? wrap(IPV4, f.subarray(4)) : null;
    default: return f.length >= 1 && f[0]! >> 4 === 4 ? wrap(IPV4, f) : null;
  }
}

/** A UDP datagram found in a frame. */
export interface UdpDatagram {
  kind: 'udp';
  /** destination address and port, as `a.b.c.d:port` */
  destination: string;
  payload: Buffer;
}

/** What a frame holds: a whole UDP datagram; something else (`other`: ARP, IPv6, TCP ...); or a datagram
 *  that cannot be read whole (`truncated`: cut short by the capture, an IPv4 fragment, lengths that run past
 *  the frame). */
export type FrameContent = UdpDatagram | { kind: 'other' } | { kind: 'truncated' };

const OTHER = { kind: 'other' } as const;
const TRUNCATED = { kind: 'truncated' } as const;

export function frameContent(frame: CapturedFrame): FrameContent {
  const f = frame.data;
  if (f.length < frame.originalLength) return TRUNCATED;
  let at: number;
  let etherType: number;
  switch (frame.linkType) {
    case LINK.ETHERNET:
      if (f.length < 14) return TRUNCATED;
      at = 12;
      etherType = f.readUInt16BE(at);
      at += 2;
      break;
    case LINK.LINUX_SLL:
      if (f.length < 16) return TRUNCATED;
      etherType = f.readUInt16BE(14);
      at = 16;
      break;
    case LINK.LINUX_SLL2:
      if (f.length < 20) return TRUNCATED;
      etherType = f.readUInt16BE(0);
      at = 20;
      break;
    case LINK.NULL: {
      if (f.length < 4) return TRUNCATED;
      // the address family in the capturing machine's byte order; AF_INET is 2 everywhere
      const family = f.readUInt32LE(0) === 2 || f.readUInt32BE(0) === 2;
      return family ? ipv4Datagram(f, 4) : OTHER;
    }
    default:   // raw IP
      if (f.length < 1) return TRUNCATED;
      return f[0]! >> 4 === 4 ? ipv4Datagram(f, 0) : OTHER;
  }
  while (etherType === 0x8100 || etherType === 0x88a8) {
    if (f.length < at + 4) return TRUNCATED;
    etherType = f.readUInt16BE(at + 2);
    at += 4;
  }
  return etherType === 0x0800 ? ipv4Datagram(f, at) : OTHER;
}

function ipv4Datagram(f: Buffer, ip: number): FrameContent {
  if (f.length < ip + 20) return TRUNCATED;
  if (f[ip]! >> 4 !== 4) return OTHER;
  const ihl = (f[ip]! & 0x0f) * 4;
  const totalLength = f.readUInt16BE(ip + 2);
  const fragment = f.readUInt16BE(ip + 6);
  if (f[ip + 9] !== 17) return OTHER;
  if ((fragment & 0x2000) !== 0 || (fragment & 0x1fff) !== 0) return TRUNCATED;
  if (ihl < 20 || totalLength < ihl + 8 || f.length < ip + totalLength) return TRUNCATED;
  const udp = ip + ihl;
  const udpLength = f.readUInt16BE(udp + 4);
  if (udpLength < 8 || udp + udpLength > ip + totalLength) return TRUNCATED;
  const destination = `${f[ip + 16]}.${f[ip + 17]}.${f[ip + 18]}.${f[ip + 19]}:${f.readUInt16BE(udp + 2)}`;
  return { kind: 'udp', destination, payload: f.subarray(udp + 8, udp + udpLength) };
}
