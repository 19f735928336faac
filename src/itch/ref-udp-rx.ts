// Golden model of the wire-level feed ingress (hdl/feed/udp_rx.v, DESIGN.md 3.8): one Ethernet frame, as a MAC
// hands it over (no preamble, no FCS), in; what the receive path makes of it out. The RTL implements exactly
// these rules and the differential test (test/udp-rx.rtl.test.ts) holds it to them.
//
// Rules, in the order they are applied (the first that applies decides):
//  1. Ethernet II with up to two VLAN tags (TPID 0x8100, 0x88A8 or 0x9100 each). A frame too short to read its
//     EtherType, with a third tag, or whose EtherType is not IPv4 (0x0800) is other traffic.
//  2. Fewer than 20 bytes after the Ethernet header: truncated.
//  3. With a subscription table, a destination address that no entry names: other traffic.
//  4. Version not 4, or header length (IHL) under 5 words: ip_header.
//  5. Fewer bytes than the header length: truncated.  6. Header checksum does not hold: ip_checksum.
//  7. Total length under the header length: ip_header.  8. More-fragments flag or a fragment offset: fragment.
//  9. Protocol not UDP (17): other traffic.  10. Total length under header + 8: udp_length.
// 11. Fewer bytes than header + 8: truncated.  12. With a table, no entry with this address and destination
//     port: other traffic. 13. UDP length not equal to total length - header length: udp_length.
// Otherwise the frame is taken: its UDP payload goes out on the line of the first entry that matched (line 0
// without a table), followed by a status: truncated when the frame ends before the total length, else
// udp_checksum when the checksum field is not zero and the ones'-complement sum over the pseudo-header and
// the UDP datagram is not 0xFFFF, else ok. Bytes after the total length are Ethernet padding and are ignored.
// A datagram whose UDP length disagrees with its IPv4 length is refused outright (Linux would trim to the
// smaller UDP length): an exchange's feed never sends one, so it is taken as damage.
import type { WireStatusName } from '../device/generated/layout.js';

export interface WireSubscription {
  /** IPv4 destination address as a 32-bit unsigned integer (a multicast group). */
  address: number;
  port: number;
  /** 0 = line A, 1 = line B. */
  line: number;
}

export type WireResult =
  | { kind: 'other' }
  | { kind: 'refused'; status: Exclude<WireStatusName, 'ok' | 'udp_checksum'> }
  | { kind: 'payload'; payload: Uint8Array; line: number; status: 'ok' | 'truncated' | 'udp_checksum' };

const TPIDS = new Set([0x8100, 0x88a8, 0x9100]);
const ETHERTYPE_IPV4 = 0x0800;
const PROTO_UDP = 17;

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;

/** Ones'-complement sum of `b[from, to)` taken as big-endian 16-bit words (an odd last byte padded with 0),
 *  added to `sum`, not folded. */
export function onesSum(b: Uint8Array, from: number, to: number, sum = 0): number {
  let s = sum;
  for (let i = from; i < to; i += 2) s += (b[i]! << 8) | (i + 1 < to ? b[i + 1]! : 0);
  return s;
}

export function foldSum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** The Ethernet header's length (14, 18 or 22 bytes) when the frame carries IPv4, else null. */
export function ipv4Offset(frame: Uint8Array): number | null {
  let at = 12;
  for (let tags = 0; ; tags++) {
    if (frame.length < at + 2) return null;
    const type = u16(frame, at);
    if (!TPIDS.has(type)) return type === ETHERTYPE_IPV4 ? at + 2 : null;
    if (tags === 2) return null;
    at += 4;
  }
}

export function receiveFrame(frame: Uint8Array, table: readonly WireSubscription[]): WireResult {
  const e = ipv4Offset(frame);
  if (e === null) return { kind: 'other' };
  const ip = frame.subarray(e);
  const refused = (status: Exclude<WireStatusName, 'ok' | 'udp_checksum'>): WireResult => ({ kind: 'refused', status });
  if (ip.length < 20) return refused('truncated');
  const dst = ((ip[16]! << 24) | (ip[17]! << 16) | (ip[18]! << 8) | ip[19]!) >>> 0;
  if (table.length && !table.some((t) => t.address >>> 0 === dst)) return { kind: 'other' };
  const ihl = (ip[0]! & 0xf) * 4;
  if (ip[0]! >> 4 !== 4 || ihl < 20) return refused('ip_header');
  if (ip.length < ihl) return refused('truncated');
  if (foldSum(onesSum(ip, 0, ihl)) !== 0xffff) return refused('ip_checksum');
  const total = u16(ip, 2);
  if (total < ihl) return refused('ip_header');
  if (ip[6]! & 0x20 || u16(ip, 6) & 0x1fff) return refused('fragment');
  if (ip[9] !== PROTO_UDP) return { kind: 'other' };
  if (total < ihl + 8) return refused('udp_length');
  if (ip.length < ihl + 8) return refused('truncated');
  const port = u16(ip, ihl + 2);
  const entry = table.find((t) => t.address >>> 0 === dst && t.port === port);
  if (table.length && !entry) return { kind: 'other' };
  const udpLength = u16(ip, ihl + 4);
  if (udpLength !== total - ihl) return refused('udp_length');
  const line = entry?.line ?? 0;
  const payload = ip.slice(ihl + 8, Math.min(total, ip.length));
  if (ip.length < total) return { kind: 'payload', payload, line, status: 'truncated' };
  const checksum = u16(ip, ihl + 6);
  if (checksum !== 0) {
    const pseudo = onesSum(ip, 12, 20) + PROTO_UDP + udpLength;
    if (foldSum(onesSum(ip, ihl, total, pseudo)) !== 0xffff) return { kind: 'payload', payload, line, status: 'udp_checksum' };
  }
  return { kind: 'payload', payload, line, status: 'ok' };
}
