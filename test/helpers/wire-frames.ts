// Random Ethernet frames for the wire-level ingress tests (test/udp-rx.rtl.test.ts, test/feed-core.diff.test.ts):
// UDP datagrams to a few groups and ports, with VLAN stacks of 0-3 tags, IPv4 options, UDP checksums and
// padding, and one damage each at most; and random subscription tables over the same groups and ports.
import fc from 'fast-check';
import { udpFrame } from '../../src/itch/generator.js';
import type { WireSubscription } from '../../src/itch/ref-udp-rx.js';

export const GROUPS: [number, number, number, number][] = [[233, 54, 12, 111], [233, 54, 12, 112], [239, 1, 1, 1], [10, 0, 0, 9]];
export const PORTS = [26_400, 26_401, 18_000, 53];
export const addressOf = (g: readonly number[]) => ((g[0]! << 24) | (g[1]! << 16) | (g[2]! << 8) | g[3]!) >>> 0;
const TPIDS = [0x8100, 0x88a8, 0x9100, 0x8100];

/** What is done to a well-formed frame. */
const DAMAGE = ['none', 'none', 'none', 'byte', 'version', 'ihl', 'total', 'fragment', 'protocol', 'udpLength', 'udpChecksum', 'ipChecksum', 'truncate', 'ethertype', 'garbage'] as const;

export const frameArb = fc.record({
  payload: fc.uint8Array({ minLength: 0, maxLength: 120 }),
  tags: fc.array(fc.record({ tpid: fc.constantFrom(...TPIDS), id: fc.integer({ min: 0, max: 4095 }) }), { maxLength: 3 }),
  optionWords: fc.constantFrom(0, 0, 0, 1, 2, 3, 10),
  group: fc.integer({ min: 0, max: GROUPS.length - 1 }),
  port: fc.integer({ min: 0, max: PORTS.length - 1 }),
  udpChecksum: fc.boolean(),
  pad: fc.boolean(),
  damage: fc.constantFrom(...DAMAGE),
  at: fc.nat(),
  value: fc.integer({ min: 0, max: 255 }),
});

export type FrameSpec = typeof frameArb extends fc.Arbitrary<infer T> ? T : never;

/** The frame with byte `at` XORed with `mask`. */
export function flip(frame: Buffer, at: number, mask: number): Buffer {
  frame.writeUInt8(frame.readUInt8(at) ^ mask, at);
  return frame;
}

/** The frame of `s`; `payload` (a MoldUDP64 packet, say) instead of the spec's random bytes. */
export function makeFrame(s: FrameSpec, payload: Uint8Array = s.payload): Buffer {
  if (s.damage === 'garbage') return Buffer.from([s.value, ...payload.subarray(0, s.at % 90)]);  // a frame has a byte at least
  const tags = s.tags.length === 3 ? s.tags : s.tags.slice(0, 2);
  const frame = udpFrame(Buffer.from(payload), {
    dst: GROUPS[s.group], dstPort: PORTS[s.port], tags: tags.map((t) => [t.tpid, t.id] as const),
    ipOptions: Buffer.alloc(4 * s.optionWords, 1), udpChecksum: s.udpChecksum, pad: s.pad,
  });
  const e = 14 + 4 * tags.length;
  const ip = e;
  const udp = ip + 20 + 4 * s.optionWords;
  const refixIp = () => {
    frame.writeUInt16BE(0, ip + 10);
    let sum = 0;
    for (let i = ip; i < udp; i += 2) sum += frame.readUInt16BE(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    frame.writeUInt16BE(~sum & 0xffff, ip + 10);
  };
  switch (s.damage) {
    case 'byte': flip(frame, s.at % frame.length, 1 + (s.value % 255)); break;
    case 'version': frame[ip] = (s.value & 0xf0) | (frame[ip]! & 0x0f); refixIp(); break;
    case 'ihl': frame[ip] = 0x40 | (s.value & 0x0f); break;
    case 'total': frame.writeUInt16BE((frame.readUInt16BE(ip + 2) + (s.value % 2 ? s.value : -s.value)) & 0xffff, ip + 2); refixIp(); break;
    case 'fragment': frame.writeUInt16BE(s.value % 2 ? 0x2000 : (s.value << 3) & 0x1fff || 8, ip + 6); refixIp(); break;
    case 'protocol': frame[ip + 9] = s.value === 17 ? 6 : s.value; refixIp(); break;
    case 'udpLength': frame.writeUInt16BE((frame.readUInt16BE(udp + 4) + s.value - 128) & 0xffff, udp + 4); break;
    case 'udpChecksum': frame.writeUInt16BE(((frame.readUInt16BE(udp + 6) + 1 + s.value) & 0xffff) || 1, udp + 6); break;
    case 'ipChecksum': flip(frame, ip + 10, 1 + (s.value % 255)); break;
    case 'truncate': return frame.subarray(0, 1 + (s.at % frame.length));  // a frame has a byte at least
    case 'ethertype': frame.writeUInt16BE(s.value % 2 ? 0x86dd : 0x0806, e - 2); break;
  }
  return frame;
}

export const tableArb = fc.oneof(
  fc.constant([] as WireSubscription[]),
  fc.uniqueArray(fc.record({ group: fc.integer({ min: 0, max: GROUPS.length - 1 }), port: fc.integer({ min: 0, max: PORTS.length - 1 }), line: fc.integer({ min: 0, max: 1 }) }),
    { minLength: 1, maxLength: 16, selector: (t) => `${t.group}:${t.port}` })
    .map((ts) => ts.map((t) => ({ address: addressOf(GROUPS[t.group]!), port: PORTS[t.port]!, line: t.line }))),
);

