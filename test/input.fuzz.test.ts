// Hostile inputs for the host's readers, fuzzed: raw MoldUDP64 streams with broken counts, lengths and
// garbage; pcap and pcapng captures with random frames (other traffic, cut-short frames, fragments, VLAN
// stacks, broken packets); and configs with random damage. Each reader must never throw anything but its
// own clear error, never lose a byte of a stream, and account for every frame.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ConfigError, parseConfig } from '../src/config/config.js';
import { binaryFile, moldHeader, pcapngOf, pcapOf, udpFrame, type CaptureRecord } from '../src/itch/generator.js';
import { feedPacketBatches, feedPackets, FeedFormatError, noInputCounts } from '../src/itch/input.js';
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

type FrameSpec = typeof frame extends fc.Arbitrary<infer T> ? T : never;

/** A capture file of the frames; how many of them the capture cut short. */
function captureOf(frames: readonly FrameSpec[], format: string): { file: Buffer; snapped: number } {
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
  return { file: format === 'pcap' ? pcapOf(records) : pcapngOf(records, { bigEndian: format === 'pcapng-be' }), snapped };
}

describe('fuzz: captures', () => {
  it('every frame is a packet for the device, other traffic or truncated, in pcap and pcapng alike', () => {
    fc.assert(fc.property(
      fc.array(frame, { maxLength: 40 }), fc.constantFrom('pcap', 'pcapng-le', 'pcapng-be'),
      (frames, format) => {
        const { file, snapped } = captureOf(frames, format);
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

/** Everything a reader gives for the input: packets (hex) and counts, and the error that ended it. */
interface Reading { packets: string[]; counts: ReturnType<typeof noInputCounts>; error: string | null }

function readWholeInput(file: Buffer): Reading {
  const counts = noInputCounts();
  const packets: string[] = [];
  try {
    for (const p of feedPackets(file, counts)) packets.push(p.toString('hex'));
  } catch (err) {
    return { packets, counts, error: String(err) };
  }
  return { packets, counts, error: null };
}

async function* piecesOf(file: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (file.length + 1)))].sort((a, b) => a - b)) {
    yield file.subarray(from, cut);   // empty pieces too, as a socket may give them
    from = cut;
  }
  yield file.subarray(from);
}

async function readInPieces(file: Buffer, cuts: number[]): Promise<Reading> {
  const counts = noInputCounts();
  const packets: string[] = [];
  try {
    for await (const batch of feedPacketBatches(piecesOf(file, cuts), counts)) for (const p of batch) packets.push(p.toString('hex'));
  } catch (err) {
    return { packets, counts, error: String(err) };
  }
  return { packets, counts, error: null };
}

/** An input of any of the four formats, well-formed or damaged. */
const anyInput = fc.oneof(
  fc.array(fc.tuple(moldPacket, fc.option(damage, { freq: 5 })), { minLength: 1, maxLength: 30 })
    .map((items) => Buffer.concat(items.map(([p, d]) => (d ? damaged(p, d) : p)))),
  fc.tuple(fc.array(frame, { maxLength: 30 }), fc.constantFrom('pcap', 'pcapng-le', 'pcapng-be'),
    fc.option(fc.tuple(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }))))
    .map(([frames, format, hurt]) => {
      const file = Buffer.from(captureOf(frames, format).file);
      if (!hurt) return file;
      const [cutAt, writes] = hurt;
      const cut = file.subarray(0, 24 + (cutAt % (file.length - 23)));
      for (const [at, value] of writes) cut[at % cut.length] = value;
      return cut;
    }),
  fc.tuple(fc.array(fc.uint8Array({ minLength: 11, maxLength: 11 }), { minLength: 1, maxLength: 20 }), fc.nat())
    .map(([bodies, cutAt]) => {
      const file = binaryFile(bodies.map((b) => Buffer.concat([Buffer.from([0x53]), Buffer.from(b)])));
      return file.subarray(0, 3 + (cutAt % (file.length - 2)));
    }),
);

describe('fuzz: inputs read as they arrive', () => {
  it('give the same packets, counts and error in pieces cut anywhere as read whole', async () => {
    await fc.assert(fc.asyncProperty(anyInput, fc.array(fc.nat(), { maxLength: 12 }), async (file, cuts) => {
      expect(await readInPieces(file, cuts)).toEqual(readWholeInput(file));
    }), { numRuns: RUNS * 2, seed: SEED });
  });

  it('a stretch of garbage longer than any packet is given in pieces of at most 1 MiB, whole or in pieces', async () => {
    const good = (seq: number) => Buffer.concat([moldHeader('000012345A', seq, 1), Buffer.from([0, 3, 0x53, 0, 0])]);
    let x = 7;
    const garbage = Buffer.alloc(3 << 20, 0).map(() => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
    const file = Buffer.concat([good(1), good(2), garbage, good(3), good(4)]);
    const whole = readWholeInput(file);
    expect(whole.error).toBeNull();
    expect(whole.packets.every((p) => p.length / 2 <= 1 << 20)).toBe(true);
    expect(whole.packets.slice(-2)).toEqual([good(3).toString('hex'), good(4).toString('hex')]);
    expect(whole.packets.join('')).toBe(file.toString('hex'));
    expect(await readInPieces(file, [100, 65_536, 1 << 20, 3 << 20])).toEqual(whole);
  });

  it('hands the packets of the first piece on before the rest of the input is read', async () => {
    const records = [...Array(4_000).keys()].map((k) => ({ data: udpFrame(Buffer.concat([moldHeader('000012345A', 1 + k, 1), Buffer.from([0, 3, 0x53, 0, 0])])) }));
    const file = pcapOf(records);
    let pulled = 0;
    async function* input(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < file.length; at += 4096) {
        pulled++;
        yield file.subarray(at, at + 4096);
      }
    }
    const counts = noInputCounts();
    let packets = 0;
    for await (const batch of feedPacketBatches(input(), counts)) {
      packets += batch.length;
      // each batch comes out of the piece just read: the reader is never more than a piece ahead of its consumer
      expect(pulled * 4096).toBeLessThan(24 + packets * (16 + records[0]!.data.length) + 2 * 4096);
    }
    expect(packets).toBe(records.length);
    expect(counts.frames).toBe(records.length);
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
