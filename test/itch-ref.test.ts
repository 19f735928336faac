// The ITCH 5.0 / MoldUDP64 golden model against hand-made bytes, the DESIGN.md 3.3 example, every message
// type, sequence gaps and duplicates, malformed packets, the three input formats, the symbol filter, the
// CLI; and fast-check streams of generated sessions with loss, duplication, reordering and corruption.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryFile, encodeItch, generateItchSession, LiveRefs, moldHeader, moldPacketize, pcapFile } from '../src/itch/generator.js';
import { decodeFeed, detectFormat } from '../src/itch/input.js';
import { ITCH_TYPES } from '../src/itch/messages.js';
import { FeedDecoder, feedLines, type FeedRecord } from '../src/itch/ref-decoder.js';
import { tempDir } from './helpers/session.js';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '..', 'bin', 'tickgate.js');

const packet = (session: string, seq: number, messages: Buffer[]) =>
  Buffer.concat([moldHeader(session, seq, messages.length), ...messages.flatMap((m) => [Buffer.from([m.length >> 8, m.length & 0xff]), m])]);
const lines = (records: FeedRecord[]) => feedLines(records);
const printed = (records: FeedRecord[]) => records.filter((r) => r.kind !== 'session');

describe('ITCH 5.0 messages', () => {
  it('decodes the DESIGN.md 3.3 example from bytes written out by hand', () => {
    const addOrder = Buffer.from([
      0x41, // A
      0x00, 0x07, // stock locate 7
      0x00, 0x00, // tracking number 0
      0x1f, 0x1a, 0xce, 0xd9, 0xf0, 0x7b, // timestamp 34200000000123
      0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x42, 0x41, // order reference 1000001
      0x42, // B
      0x00, 0x00, 0x00, 0x64, // 100 shares
      0x41, 0x41, 0x50, 0x4c, 0x20, 0x20, 0x20, 0x20, // "AAPL    "
      0x00, 0x1d, 0x02, 0x90, // price 1901200
    ]);
    const out = new FeedDecoder().packet(packet('000012345A', 1234, [addOrder]));
    expect(lines(out)).toEqual(['{"kind":"itch","session":"000012345A","seq":1234,"msgType":"A","stockLocate":7,"trackingNumber":0,'
      + '"timestamp":34200000000123,"orderReferenceNumber":"1000001","buySellIndicator":"B","shares":100,"stock":"AAPL","price":1901200}']);
  });

  it('knows every ITCH 5.0 message type at its specified length', () => {
    const lengths = { S: 12, R: 39, H: 25, Y: 20, L: 26, V: 35, W: 12, K: 28, J: 35, h: 21, A: 36, F: 40, E: 31, C: 36, X: 23, D: 19, U: 35, P: 44, Q: 40, B: 19, I: 50, N: 20, O: 48 };
    expect(Object.fromEntries([...ITCH_TYPES].map(([t, m]) => [t, m.length]))).toEqual(lengths);
  });

  it('round-trips every field of every type, 8-byte integers as strings and alpha padding trimmed', () => {
    for (const [type, t] of ITCH_TYPES) {
      const values: Record<string, number | bigint | string> = {};
      t.fields.forEach((f, k) => {
        values[f.name] = f.kind === 'alpha' ? 'ZYXWVUTS'.slice(0, Math.max(1, f.size - 1)) : f.size === 8 ? 2n ** 63n + BigInt(k) : f.size === 6 ? 2 ** 47 + k : 2 ** (8 * f.size - 1) + k;
      });
      const out = new FeedDecoder().packet(packet('S1', 1, [encodeItch(type, values)]));
      const rec = JSON.parse(lines(out)[0]!) as Record<string, unknown>;
      for (const f of t.fields) {
        const v = values[f.name]!;
        expect(rec[f.name], `${type}.${f.name}`).toEqual(typeof v === 'bigint' ? v.toString() : v);
      }
    }
  });
});

describe('MoldUDP64 sequencing', () => {
  const m = (n: number) => encodeItch('D', { stockLocate: 1, orderReferenceNumber: n });
  it('reports a gap, drops and counts duplicates, keeps sessions apart; heartbeats carry the next number', () => {
    const d = new FeedDecoder();
    const out: FeedRecord[] = [];
    d.packet(packet('A', 1, [m(1), m(2)]), out);
    d.packet(packet('A', 5, [m(5)]), out); // 3, 4 lost
    d.packet(packet('A', 4, [m(4), m(5), m(6)]), out); // 4 is late (below expected 6): dropped; 5 duplicate; 6 new
    d.packet(packet('B', 100, [m(100)]), out);
    d.packet(moldHeader('A', 9, 0), out); // heartbeat: next is 9, so 7 and 8 are missing
    d.packet(moldHeader('A', 9, 0xffff), out);
    expect(printed(out).map((r) => (r.kind === 'itch' ? `${r.session}:${r.seq}` : r.kind === 'gap' ? `gap ${r.session} ${r.expected}->${r.received}` : r.error)))
      .toEqual(['A:1', 'A:2', 'gap A 3->5', 'A:5', 'A:6', 'B:100', 'gap A 7->9']);
    expect(d.counters).toMatchObject({ duplicates: 2, gaps: 2, missing: 4n, heartbeats: 1, endOfSession: 1, messages: 5 });
  });

  it('reports every malformed packet or message and goes on with the next valid one', () => {
    const d = new FeedDecoder();
    const out: FeedRecord[] = [];
    d.packet(Buffer.from('short'), out);
    d.packet(packet('A', 1, [m(1), Buffer.from('Zjunk'), m(3).subarray(0, 10)]), out); // unknown type, bad length
    const cut = packet('A', 4, [m(4), m(5)]);
    d.packet(cut.subarray(0, cut.length - 3), out); // second message runs past the end
    d.packet(Buffer.concat([packet('A', 6, [m(6)]), Buffer.from('xx')]), out); // trailing bytes
    d.packet(packet('A', 7, [m(7)]), out);
    expect(printed(out).map((r) => (r.kind === 'itch' ? `itch ${r.seq}` : r.kind === 'error' ? `${r.error} ${r.seq}` : r.kind))).toEqual([
      'short_packet null', 'itch 1', 'unknown_message_type 2', 'bad_length 3', 'itch 4', 'truncated_packet 5', 'itch 6', 'trailing_bytes null', 'itch 7',
    ]);
    expect(d.counters.errors).toEqual({
      short_packet: 1, truncated_packet: 1, trailing_bytes: 1, unknown_message_type: 1, bad_length: 1,
      truncated_frame: 0, bad_ip_header: 0, bad_ip_checksum: 0, ip_fragment: 0, bad_udp_length: 0, bad_udp_checksum: 0,
    });
  });
});

describe('inputs and the symbol filter', () => {
  const messages = generateItchSession({ seed: 7, symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA'], messages: 2000 });
  const packets = moldPacketize(messages, { session: '000012345A', firstSeq: 1, seed: 3 });

  it('the generator covers every message type', () => {
    expect(new Set(messages.map((b) => String.fromCharCode(b[0]!)))).toEqual(new Set(ITCH_TYPES.keys()));
  });

  it('pcap (VLAN tags, other traffic skipped), raw MoldUDP64 and BinaryFILE give the same messages', () => {
    const pcap = pcapFile(packets, { vlan: 42, noise: true });
    expect([detectFormat(pcap), detectFormat(Buffer.concat(packets)), detectFormat(binaryFile(messages))]).toEqual(['pcap', 'moldudp64', 'binaryfile']);
    const fromPcap = lines(decodeFeed(pcap, new FeedDecoder()));
    expect(fromPcap).toHaveLength(messages.length);
    expect(lines(decodeFeed(Buffer.concat(packets), new FeedDecoder()))).toEqual(fromPcap);
    expect(lines(decodeFeed(binaryFile(messages), new FeedDecoder()))).toEqual(fromPcap.map((l) => l.replace('"session":"000012345A"', '"session":null')));
  });

  it('--symbols passes listed symbols by their locate from Stock Directory, plus locate 0', () => {
    const d = new FeedDecoder(new Set(['MSFT']));
    const out = decodeFeed(Buffer.concat(packets), d);
    const all = decodeFeed(Buffer.concat(packets), new FeedDecoder());
    const msftLocate = (all.find((r) => r.kind === 'itch' && r.msgType === 'R' && r.fields.some(([k, v]) => k === 'stock' && v === 'MSFT')) as { stockLocate: number }).stockLocate;
    const want = all.filter((r) => r.kind === 'itch' && (r.stockLocate === 0 || r.stockLocate === msftLocate));
    expect(printed(out)).toEqual(want);
    expect(d.counters.filtered).toBe(printed(all).length - want.length);
    expect(d.counters.filtered).toBeGreaterThan(1000);
  });

  it('tickgate decode itch: sim and ref print the same bytes for pcap, MoldUDP64 and BinaryFILE, with and without --symbols', async () => {
    const dir = tempDir();
    const day = generateItchSession({ seed: 8, symbols: ['AAPL', 'MSFT', 'NVDA'], messages: 600 });
    const dayPackets = moldPacketize(day, { session: '000012345A', firstSeq: 1, seed: 6 });
    // a corrupted packet and a repeat, so errors and duplicates are in the output too
    const mangled = [...dayPackets.slice(0, 10), Buffer.from(dayPackets[3]!), dayPackets[10]!.subarray(0, 33), ...dayPackets.slice(11)];
    writeFileSync(path.join(dir, 'day.pcap'), pcapFile(mangled, { vlan: 42, noise: true }));
    writeFileSync(path.join(dir, 'day.mold'), Buffer.concat(mangled));
    writeFileSync(path.join(dir, 'day.itch'), binaryFile(day));
    writeFileSync(path.join(dir, 'junk.bin'), Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]));
    for (const file of ['day.pcap', 'day.mold', 'day.itch']) {
      for (const symbols of [[], ['--symbols', 'MSFT,NVDA']]) {
        const [sim, ref] = await Promise.all(['sim', 'ref'].map((backend) =>
          run(process.execPath, [CLI, 'decode', 'itch', '--backend', backend, ...symbols, file], { cwd: dir, maxBuffer: 64 << 20 })));
        expect(sim!.stdout, `${file} ${symbols.join(' ')}`).toBe(ref!.stdout);
        const expected = feedLines(decodeFeed(readFileSync(path.join(dir, file)), new FeedDecoder(symbols.length ? new Set(['MSFT', 'NVDA']) : undefined)));
        expect(sim!.stdout).toBe(expected.join('\n') + '\n');
      }
    }
    const first = await run(process.execPath, [CLI, 'decode', 'itch', 'day.pcap'], { cwd: dir, maxBuffer: 64 << 20 });
    expect(first.stdout.split('\n')[0]).toMatch(/^\{"kind":"itch","session":"000012345A","seq":1,"msgType":"S",/);
    expect(first.stdout).toMatch(/"kind":"error","session":"000012345A","seq":\d+,"error":"truncated_packet"/);
    for (const backend of ['ref', 'sim']) {
      const r = await run(process.execPath, [CLI, 'decode', 'itch', '--backend', backend, 'junk.bin'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code).toBe(2);
      expect((r as { stderr: string }).stderr).toMatch(/^tickgate: cannot tell the input format/);
    }
    const tooMany = await run(process.execPath, [CLI, 'decode', 'itch', '--symbols', Array.from({ length: 33 }, (_, k) => `S${k}`).join(','), 'day.pcap'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect((tooMany as { code: number }).code).toBe(2);
    expect((tooMany as { stderr: string }).stderr).toMatch(/--symbols: the device holds 32 subscriptions, 33 were given/);
    const tooLong = await run(process.execPath, [CLI, 'decode', 'itch', '--backend', 'sim', '--symbols', 'ABCDEFGHI', 'day.pcap'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect((tooLong as { code: number }).code).toBe(2);
    expect((tooLong as { stderr: string }).stderr).toMatch(/--symbols: "ABCDEFGHI" is not an ITCH symbol \(1 to 8 printable ASCII characters\)/);
  });
});

describe('feed decoding, properties', () => {
  const messages = generateItchSession({ seed: 11, symbols: ['AAPL', 'MSFT'], messages: 600 });
  const packets = moldPacketize(messages, { session: 'SESS1', firstSeq: 1, seed: 5 });
  const total = messages.length;

  it('with packets lost, duplicated, reordered or corrupted: never throws, each sequence number at most once and increasing, every gap reported', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ index: fc.nat({ max: packets.length - 1 }), mangle: fc.constantFrom('none', 'none', 'none', 'truncate', 'flip', 'drop') , at: fc.nat(), byte: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 80 }),
      (plan) => {
        const d = new FeedDecoder();
        const out: FeedRecord[] = [];
        for (const step of plan) {
          const p = Buffer.from(packets[step.index]!);
          if (step.mangle === 'drop') continue;
          if (step.mangle === 'truncate') d.packet(p.subarray(0, step.at % p.length), out);
          else if (step.mangle === 'flip' && p.length > 20) { p[20 + (step.at % (p.length - 20))] = step.byte; d.packet(p, out); }
          else d.packet(p, out);
        }
        const seqs = out.filter((r) => r.kind === 'itch' || (r.kind === 'error' && r.seq !== null)).map((r) => (r as { seq: number }).seq);
        expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
        expect(seqs.every((s) => s >= 1 && s <= total)).toBe(true);
        // Every number skipped between two delivered ones is inside a reported gap, or an error of a packet's message.
        const gaps = out.filter((r): r is Extract<FeedRecord, { kind: 'gap' }> => r.kind === 'gap');
        for (let i = 1; i < seqs.length; i++) {
          for (let s = seqs[i - 1]! + 1; s < seqs[i]!; s++) {
            const inGap = gaps.some((g) => s >= g.expected && s < g.received);
            const lostInPacket = out.some((r) => r.kind === 'error' && r.error === 'truncated_packet');
            expect(inGap || lostInPacket, `sequence ${s} vanished without a gap record`).toBe(true);
          }
        }
      },
    ), { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20261125) });
  });
});

describe('the generator\'s live order references', () => {
  it('finds the k-th live reference as a sorted list of them would', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(199)), { maxLength: 300 }), fc.nat(), (ops, pickAt) => {
      const refs = new LiveRefs(1000, 200);
      const model = new Set<number>();
      for (const [add, n] of ops) {
        const ref = 1000 + n;
        if (add && !model.has(ref)) { model.add(ref); refs.add(ref); }
        if (!add && model.has(ref)) { model.delete(ref); refs.remove(ref); }
      }
      const sorted = [...model].sort((a, b) => a - b);
      expect(refs.size).toBe(sorted.length);
      for (let k = 0; k < sorted.length; k++) expect(refs.at(k)).toBe(sorted[k]);
      if (sorted.length) expect(refs.at(pickAt % sorted.length)).toBe(sorted[pickAt % sorted.length]);
    }));
  });
});
