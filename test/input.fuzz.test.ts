// Hostile inputs for the host's readers, fuzzed: raw MoldUDP64 streams with broken counts, lengths and
// garbage; pcap and pcapng captures with random frames (other traffic, cut-short frames, fragments, VLAN
// stacks, broken packets); and configs with random damage. Each reader must never throw anything but its
// own clear error, never lose a byte of a stream, and account for every frame.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ConfigError, parseConfig } from '../src/config/config.js';
import { moldHeader, pcapngOf, pcapOf, udpFrame, type CaptureRecord } from '../src/itch/generator.js';
import { feedPackets, FeedFormatError, noInputCounts } from '../src/itch/input.js';
import { isMoldPacket, moldStreamPackets } from '../src/itch/mold-packets.js';

const RUNS = Number(process.env.FC_RUNS_INPUT ?? process.env.FC_RUNS ?? 200);
const SEED = Number(process.env.FC_SEED ?? 20261203);

/** A well-formed MoldUDP64 packet of one of a few sessions, with short messages of random bytes. */
const moldPacket = fc.record({
  session: fc.constantFrom('000012345A', 'SESSION002', 'B000000001'),
  seq: fc.integer({ min: 1, max: 1_000_000 }),
  messages: fc.array(fc.uint8Array({ minLength: 1, maxLength: 60 }), { maxLength: 6 }),
  eos: fc.boolean(),
}).map((p) => Buffer.concat([
  moldHeader(p.session, p.seq, p.eos && p.messages.length === 0 ? 0xffff : p.messages.length),
  ...p.messages.flatMap((m) => [Buffer.from([m.length >> 8, m.length & 0xff]), Buffer.from(m)]),
]));

/** Damage to one packet: a wrong count, a wrong length, garbage after it, cut short. */
const damage = fc.oneof(
  fc.record({ kind: fc.constant('count' as const), delta: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ kind: fc.constant('length' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 0xffff }) }),
  fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('cut' as const), keep: fc.nat() }),
);

interface Damage { kind: string; delta?: number; at?: number; value?: number; bytes?: Uint8Array; keep?: number }

function damaged(p: Buffer, d: Damage): Buffer {
  const q = Buffer.from(p);
  switch (d.kind) {
    case 'count': q.writeUInt16BE((q.readUInt16BE(18) + d.delta! + 0x10000) % 0x10000, 18); return q;
    case 'length': if (q.length >= 22) q.writeUInt16BE(d.value!, 20 + (d.at! % Math.max(1, q.length - 21))); return q;
    case 'garbage': return Buffer.concat([q, Buffer.from(d.bytes!)]);
    default: return q.subarray(0, d.keep! % (q.length + 1));
  }
}

describe('fuzz: raw MoldUDP64 streams', () => {
  it('cut into packets that are exactly the input, and into the packets themselves when nothing is broken', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(moldPacket, fc.option(damage, { freq: 5 })), { minLength: 1, maxLength: 30 }),
      (items) => {
        const packets = items.map(([p, d]) => (d ? damaged(p, d) : p));
        const stream = Buffer.concat(packets);
        const counts = { resyncs: 0 };
        const out = [...moldStreamPackets(stream, counts)];
        expect(Buffer.concat(out).equals(stream)).toBe(true);
        expect(out.every((p) => p.length > 0)).toBe(true);
        if (items.every(([, d]) => d === null)) {
          expect(out.map((p) => p.toString('hex'))).toEqual(packets.map((p) => p.toString('hex')));
          expect(counts.resyncs).toBe(0);
        }
      },
    ), { numRuns: RUNS, seed: SEED });
  });
});

/** One frame of a capture: a MoldUDP64 packet (maybe broken), other UDP or non-IP traffic, or a frame the
 *  capture cut short or fragmented. */
const frame = fc.oneof(
  fc.record({ kind: fc.constant('mold' as const), p: moldPacket, d: fc.option(damage, { freq: 4 }), vlans: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('udp' as const), payload: fc.uint8Array({ maxLength: 80 }), port: fc.integer({ min: 1, max: 65535 }) }),
  fc.record({ kind: fc.constant('arp' as const), bytes: fc.uint8Array({ minLength: 28, maxLength: 28 }) }),
  fc.record({ kind: fc.constant('snapped' as const), p: moldPacket, keep: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ kind: fc.constant('fragment' as const), p: moldPacket, offset: fc.integer({ min: 0, max: 0x1fff }) }),
);

describe('fuzz: captures', () => {
  it('every frame is a packet for the device, other traffic or truncated, in pcap and pcapng alike', () => {
    fc.assert(fc.property(
      fc.array(frame, { maxLength: 40 }), fc.constantFrom('pcap', 'pcapng-le', 'pcapng-be'),
      (frames, format) => {
        const records: CaptureRecord[] = [];
        let snapped = 0;
        for (const f of frames) {
          if (f.kind === 'mold') {
            const vlan = f.vlans > 0 ? 100 : undefined;
            let data = udpFrame(f.d ? damaged(f.p, f.d) : f.p, { vlan });
            // a second tag: 802.1ad outside 802.1Q
            if (f.vlans === 2) data = Buffer.concat([data.subarray(0, 12), Buffer.from([0x88, 0xa8, 0, 7]), data.subarray(12)]);
            records.push({ data });
          } else if (f.kind === 'udp') records.push({ data: udpFrame(Buffer.from(f.payload), { dstPort: f.port, dst: [127, 0, 0, 1] }) });
          else if (f.kind === 'arp') records.push({ data: Buffer.concat([Buffer.alloc(12, 0xff), Buffer.from([0x08, 0x06]), Buffer.from(f.bytes)]) });
          else if (f.kind === 'snapped') {
            const data = udpFrame(f.p);
            const keep = Math.min(f.keep, data.length - 1);
            records.push({ data: data.subarray(0, keep), originalLength: data.length });
            snapped++;
          } else records.push({ data: udpFrame(f.p, { fragment: f.offset === 0 ? 0x2000 : f.offset }) });
        }
        const file = format === 'pcap' ? pcapOf(records) : pcapngOf(records, { bigEndian: format === 'pcapng-be' });
        const counts = noInputCounts();
        let out: Buffer[];
        try {
          out = [...feedPackets(file, counts)];
        } catch (err) {
          // a reader may refuse an input only with its own clear error
          expect(err).toBeInstanceOf(FeedFormatError);
          return;
        }
        expect(counts.frames).toBe(frames.length);
        expect(counts.frames).toBe(out.length + counts.otherTraffic + counts.truncatedFrames);
        expect(counts.truncatedFrames).toBeGreaterThanOrEqual(snapped + frames.filter((f) => f.kind === 'fragment').length);
        // what reaches the device: well-formed packets, and broken ones of a session already seen
        const seen = new Set<string>();
        for (const p of out) {
          if (isMoldPacket(p)) seen.add(p.toString('latin1', 0, 10));
          else expect(seen.has(p.toString('latin1', 0, 10))).toBe(true);
        }
      },
    ), { numRuns: RUNS, seed: SEED });
  });
});

describe('fuzz: damaged capture files', () => {
  it('a capture cut anywhere or with bytes overwritten is read or refused with a FeedFormatError, never a crash', () => {
    const day = [...Array(12).keys()].map((k) => udpFrame(Buffer.concat([moldHeader('000012345A', 1 + k, 1), Buffer.from([0, 3, 0x53, 0, 0]) ])));
    fc.assert(fc.property(
      fc.constantFrom('pcap', 'pcapng-le', 'pcapng-be', 'pcapng-spb'), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      (format, cutAt, writes) => {
        const records = day.map((data) => ({ data }));
        const whole = format === 'pcap' ? pcapOf(records) : pcapngOf(records, { bigEndian: format === 'pcapng-be', simple: format === 'pcapng-spb' });
        const file = Buffer.from(whole.subarray(0, 24 + (cutAt % (whole.length - 23))));
        for (const [at, value] of writes) file[at % file.length] = value;
        const counts = noInputCounts();
        try {
          const out = [...feedPackets(file, counts)];
          expect(counts.frames).toBe(out.length + counts.otherTraffic + counts.truncatedFrames);
          if (writes.length === 0) expect(counts.frames).toBeGreaterThanOrEqual(Math.min(day.length, out.length));
        } catch (err) {
          expect(err, String(err)).toBeInstanceOf(FeedFormatError);
        }
      },
    ), { numRuns: RUNS * 5, seed: SEED });
  });
});

describe('fuzz: configs', () => {
  const valid = {
    session: { role: 'acceptor', beginString: 'FIX.4.4', senderCompID: 'EXCH', targetCompID: 'CLIENT', port: 9878, heartBtInt: 30, storeDir: './store' },
    risk: { maxOrdersPerSecond: 1000, burst: 100, symbols: { AAPL: { maxQty: 1000, maxNotional: 500000, referencePrice: 190.5, collarBps: 500, maxPosition: 5000 } } },
  };
  const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }));

  it('a damaged config is accepted or refused with a ConfigError that names the file and a key, never anything else', () => {
    const paths: string[][] = [];
    const walk = (o: unknown, at: string[]) => {
      if (o && typeof o === 'object' && !Array.isArray(o)) for (const [k, v] of Object.entries(o)) { paths.push([...at, k]); walk(v, [...at, k]); }
    };
    walk(valid, []);
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.constantFrom(...paths), fc.oneof(anyValue, fc.constant(undefined))), { minLength: 1, maxLength: 4 }),
      fc.option(fc.string({ minLength: 1, maxLength: 9 }), { freq: 3 }),
      (edits, extraKey) => {
        const config = structuredClone(valid) as Record<string, unknown>;
        for (const [path, value] of edits) {
          let o = config as Record<string, unknown>;
          for (const k of path.slice(0, -1)) {
            if (!o[k] || typeof o[k] !== 'object') o[k] = {};
            o = o[k] as Record<string, unknown>;
          }
          if (value === undefined) delete o[path.at(-1)!];
          else o[path.at(-1)!] = value;
        }
        if (extraKey) config[extraKey] = { [extraKey]: 1 };
        try {
          parseConfig(YAML.stringify(config), 'fuzz.yaml', '/');
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          const message = (err as Error).message;
          expect(message).toMatch(/^fuzz\.yaml: /);
          // problems are "<key path>: <what is wrong>", joined by "; " (a quoted key may hold "; " itself)
          const key = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*")`;
          const problem = new RegExp(String.raw`^(?:\(top level\)|${key}(?:\.${key})*): \S`);
          expect(message.slice('fuzz.yaml: '.length)).toMatch(problem);
        }
      },
    ), { numRuns: RUNS, seed: SEED });
  });
});
