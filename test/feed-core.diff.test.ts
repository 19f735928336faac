// The feed core (hdl/feed/: framer, tracker, symbol filter, in tickgate_core) against its golden model
// through the addon: the same MoldUDP64 packets into the stepped simulation and the reference device must
// give the same records, byte for byte, and the same counters. fast-check builds the traffic: generated
// trading days of several sessions cut into packets of random sizes and interleaved, then lost, repeated,
// delayed, cut short, corrupted, padded with trailing bytes, mixed with short packets, heartbeats, end of
// session and malformed messages; random subscriptions; random input gaps and egress backpressure.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { REG } from '../src/device/generated/layout.js';
import { SteppedSimDevice } from '../src/device/sim-device.js';
import { FeedRecordReader } from '../src/itch/feed-records.js';
import { encodeItch, generateItchSession, moldHeader, moldPacketize, udpFrame } from '../src/itch/generator.js';
import { FeedDecoder, feedLines, type FeedRecord } from '../src/itch/ref-decoder.js';
import type { WireSubscription } from '../src/itch/ref-udp-rx.js';
import { configureFeed } from '../src/itch/device-feed.js';
import { resetFeed, runFeedRef, runFeedSim, type FeedRun } from './helpers/run-feed.js';
import { addressOf, frameArb, GROUPS, makeFrame, PORTS, tableArb } from './helpers/wire-frames.js';

const dev = new SteppedSimDevice();
afterAll(() => dev.close());

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMD'];
const SESSIONS = ['SESSION001', 'SESSION002', 'SESSION003', 'SESSION004', 'SESSION005', 'SESSION006'];

const packetOf = (session: string, seq: number | bigint, messages: Buffer[], count = messages.length) =>
  Buffer.concat([moldHeader(session, seq, count), ...messages.flatMap((m) => [Buffer.from([m.length >> 8, m.length & 0xff]), m])]);

function firstDifference(a: Buffer[], b: Buffer[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (!a[i] || !b[i] || !a[i]!.equals(b[i]!)) return i;
  return -1;
}

/** The golden model's printed lines for device records. */
function lines(records: Buffer[]): string[] {
  const reader = new FeedRecordReader();
  const out: FeedRecord[] = [];
  for (const r of records) {
    const rec = reader.push(r);
    if (rec) out.push(rec);
  }
  return feedLines(out);
}

async function expectSame(run: FeedRun): Promise<{ lines: string[] }> {
  // the stepped simulation is synchronous: let the worker's event loop breathe between runs
  await new Promise((resolve) => setImmediate(resolve));
  const ref = await runFeedRef(run);
  const sim = runFeedSim(dev, run);
  // the first difference with its neighbours (a whole-array diff of thousands of records takes minutes)
  const at = firstDifference(sim.records, ref.records);
  if (at >= 0) {
    const show = (rs: Buffer[]) => rs.slice(Math.max(0, at - 2), at + 3).map((r) => r.toString('hex'));
    expect({ at, sim: show(sim.records), simCount: sim.records.length }).toEqual({ at, sim: show(ref.records), simCount: ref.records.length });
  }
  expect(sim.counters).toEqual(ref.counters);
  // and the reference device is the golden decoder
  const golden = new FeedDecoder(run.symbols ? new Set(run.symbols) : undefined);
  if (run.arbitration) golden.arbitrate(run.arbitration.holdPackets, run.arbitration.holdBeats);
  const out: FeedRecord[] = [];
  for (const p of run.packets) {
    if (run.wire) golden.frame(p, run.wire, out);
    else golden.packet(p, out);
  }
  golden.flush(out);
  expect(sim.counters.arbiter).toEqual(golden.arbiterCounters());
  const printed = lines(sim.records);
  const want = feedLines(out);
  const i = printed.findIndex((l, k) => l !== want[k]);
  if (i >= 0 || printed.length !== want.length) expect({ at: i, line: printed[i], n: printed.length }).toEqual({ at: i, line: want[i], n: want.length });
  return { lines: printed };
}

const mutation = fc.record({
  op: fc.constantFrom('none', 'none', 'none', 'none', 'drop', 'repeat', 'stale', 'delay', 'cut', 'flip', 'trail', 'short', 'beat', 'junk'),
  at: fc.nat(),
  byte: fc.nat({ max: 255 }),
  n: fc.integer({ min: 1, max: 40 }),
});

const scenario = fc.record({
  sessions: fc.integer({ min: 1, max: 6 }),
  seed: fc.nat(),
  messages: fc.integer({ min: 20, max: 160 }),
  maxPayload: fc.constantFrom(72, 90, 300, 1400),
  mutations: fc.array(mutation, { minLength: 0, maxLength: 60 }),
  symbols: fc.option(fc.subarray([...SYMBOLS, 'NOPE'], { minLength: 0, maxLength: 4 }), { nil: undefined }),
  egressReady: fc.constantFrom(1, 1, 0.5, 0.15),
  ingressValid: fc.constantFrom(1, 1, 0.6, 0.25),
  // where the sessions' numbers start: small, or a few thousand below where the device's 16-bit pieces
  // carry (2^16, 2^32, 2^48) or the 64-bit number wraps, so the runs cross it
  seqBase: fc.constantFrom(0n, 0n, 0n, 2n ** 16n - 2500n, 2n ** 32n - 3000n, 2n ** 48n - 4000n, 2n ** 64n - 2000n, 2n ** 64n - 4500n),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario): FeedRun {
  const perSession = SESSIONS.slice(0, s.sessions).map((session, k) => moldPacketize(
    generateItchSession({ seed: s.seed + k, symbols: SYMBOLS.slice(0, 2 + ((s.seed + k) % 4)), messages: s.messages }),
    { session, firstSeq: s.seqBase + BigInt(1 + k * 1000), seed: s.seed + 17 * k, maxPayload: s.maxPayload },
  ));
  // interleave the sessions' packets, each session in order
  const packets: Buffer[] = [];
  const next = perSession.map(() => 0);
  let r = s.seed;
  while (next.some((n, k) => n < perSession[k]!.length)) {
    r = (Math.imul(r, 1103515245) + 12345) >>> 0;
    const k = (r >>> 16) % perSession.length;
    if (next[k]! < perSession[k]!.length) packets.push(Buffer.from(perSession[k]![next[k]!++]!));
  }
  for (const m of s.mutations) {
    const i = m.at % packets.length;
    const p = packets[i]!;
    switch (m.op) {
      case 'drop': packets.splice(i, 1); break;
      case 'repeat': packets.splice(i + m.n % 5, 0, Buffer.from(p)); break;
      case 'stale': packets.splice(i + 1 + m.n % 5, 0, p.subarray(0, 20 + m.byte % Math.max(1, p.length - 20))); break;
      case 'delay': packets.splice(i, 1); packets.splice(Math.min(packets.length, i + m.n), 0, p); break;
      case 'cut': packets[i] = p.subarray(0, m.byte % p.length); break;
      case 'flip': { const q = Buffer.from(p); q[m.byte * 7 % q.length] = m.n * 6; packets[i] = q; break; }
      case 'trail': packets[i] = Buffer.concat([p, Buffer.alloc(m.n % 9 + 1, m.byte)]); break;
      case 'short': packets.splice(i, 0, Buffer.alloc(m.n % 20, m.byte)); break;
      case 'beat': packets.splice(i, 0, moldHeader(SESSIONS[m.byte % s.sessions]!, s.seqBase + BigInt(1 + (m.byte % s.sessions) * 1000 + m.n * 3), m.n % 2 ? 0 : 0xffff)); break;
      case 'junk': {
        const seq = s.seqBase + BigInt(1 + (m.byte % s.sessions) * 1000 + m.n);
        const junk = Buffer.alloc(m.n % 7 === 0 ? 0 : m.n, m.byte);
        packets.splice(i, 0, packetOf(SESSIONS[m.byte % s.sessions]!, seq, [junk, encodeItch('D', { stockLocate: 1, orderReferenceNumber: m.n }).subarray(0, m.n % 19 + 1)]));
        break;
      }
    }
  }
  return { packets, symbols: s.symbols, egressReady: s.egressReady, ingressValid: s.ingressValid, seed: s.seed };
}

/** The scenario's packets as Ethernet frames: each sent to a random group and port (one of them, on a table
 *  that has it, most of the time), with random VLAN tags, IPv4 options, checksums, padding and damage; random
 *  frames of other traffic among them. */
const wireScenario = fc.record({
  base: scenario,
  specs: fc.array(frameArb, { minLength: 1, maxLength: 64 }),
  junk: fc.array(fc.tuple(fc.nat(), frameArb), { maxLength: 12 }),
  table: tableArb,
  stream: fc.nat(),
});

function buildWire(w: typeof wireScenario extends fc.Arbitrary<infer T> ? T : never): FeedRun {
  const run = build(w.base);
  const home = w.table[w.stream % Math.max(1, w.table.length)];
  const frames = run.packets.map((p, i) => {
    const spec = w.specs[i % w.specs.length]!;
    // three frames in four go to the subscribed stream, undamaged more often than not
    const toHome = home && (i + w.stream) % 4 !== 0;
    const at = toHome ? { group: GROUPS.findIndex((g) => addressOf(g) === home.address), port: PORTS.indexOf(home.port) } : {};
    return makeFrame({ ...spec, ...at, damage: (i * 7 + w.stream) % 3 === 0 ? spec.damage : 'none' }, p);
  });
  for (const [at, spec] of w.junk) frames.splice(at % (frames.length + 1), 0, makeFrame(spec));
  return { ...run, packets: frames, wire: w.table };
}

/** Lines A and B: the scenario's packets sent on both, each copy lost on one line or both at random and
 *  arriving up to a few packets early or late against the other line's (each line in its own order), as
 *  frames with random VLANs, options and damage, among other traffic; arbitrated with random hold limits. */
const abScenario = fc.record({
  base: scenario,
  lost: fc.array(fc.constantFrom('none', 'none', 'none', 'none', 'a', 'b', 'both'), { minLength: 1, maxLength: 64 }),
  jitter: fc.array(fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 5 })), { minLength: 1, maxLength: 64 }),
  specs: fc.array(frameArb, { minLength: 1, maxLength: 32 }),
  damaged: fc.nat({ max: 12 }),
  junk: fc.array(fc.tuple(fc.nat(), frameArb), { maxLength: 8 }),
  holdPackets: fc.integer({ min: 1, max: 15 }),
  holdBeats: fc.constantFrom(undefined, undefined, 300, 40, 3),
});

/** A clean frame spec to line A (0) or B (1) of AB_TABLE. */
const frameOf = (line: 0 | 1) => ({
  payload: new Uint8Array(0), tags: [], optionWords: 0 as const, group: line, port: 0, udpChecksum: true, pad: false,
  damage: 'none' as const, at: 0, value: 0,
});

const AB_TABLE: WireSubscription[] = [
  { address: addressOf(GROUPS[0]!), port: PORTS[0]!, line: 0 },
  { address: addressOf(GROUPS[1]!), port: PORTS[0]!, line: 1 },
];

function buildAB(w: typeof abScenario extends fc.Arbitrary<infer T> ? T : never): FeedRun {
  const run = build(w.base);
  const copies: { line: 0 | 1; frame: Buffer; key: number }[] = [];
  run.packets.forEach((p, i) => {
    const lost = w.lost[i % w.lost.length];
    const jitter = w.jitter[i % w.jitter.length]!;
    for (const line of [0, 1] as const) {
      if (lost === 'both' || lost === (line === 0 ? 'a' : 'b')) continue;
      const spec = w.specs[(i * 2 + line) % w.specs.length]!;
      // one copy in damaged + 1 keeps its spec's damage (none: every copy whole)
      const damage = w.damaged > 0 && (i * 2 + line) % (w.damaged + 1) === 0 ? spec.damage : 'none';
      copies.push({ line, frame: makeFrame({ ...spec, group: line, port: 0, damage }, p), key: i + jitter[line] });
    }
  });
  for (const line of [0, 1] as const) {
    let last = -Infinity;
    for (const c of copies.filter((x) => x.line === line)) { c.key = Math.max(c.key, last); last = c.key; }
  }
  copies.sort((x, y) => x.key - y.key);
  const frames = copies.map((c) => c.frame);
  for (const [at, spec] of w.junk) frames.splice(at % (frames.length + 1), 0, makeFrame(spec));
  return { ...run, packets: frames, wire: AB_TABLE, arbitration: { holdPackets: w.holdPackets, holdBeats: w.holdBeats } };
}

describe('feed core: RTL against the golden model, through the addon', () => {
  it('decodes the DESIGN.md 3.3 example as written out by hand', async () => {
    const addOrder = Buffer.from('4100070000' + '1f1aced9f07b' + '00000000000f4241' + '42' + '00000064' + '4141504c20202020' + '001d0290', 'hex');
    const { lines } = await expectSame({ packets: [packetOf('000012345A', 1234, [addOrder])] });
    expect(lines).toEqual(['{"kind":"itch","session":"000012345A","seq":1234,"msgType":"A","stockLocate":7,"trackingNumber":0,'
      + '"timestamp":34200000000123,"orderReferenceNumber":"1000001","buySellIndicator":"B","shares":100,"stock":"AAPL","price":1901200}']);
  });

  it('every message type, each field at its offset (I and O in two records)', async () => {
    const messages = generateItchSession({ seed: 5, symbols: SYMBOLS, messages: 3000 });
    const { lines } = await expectSame({ packets: moldPacketize(messages, { session: 'ALLTYPES01', firstSeq: 1, seed: 2 }) });
    expect(new Set(lines.map((l) => (JSON.parse(l) as { msgType: string }).msgType)).size).toBe(23);
    expect(lines).toHaveLength(messages.length);
  });

  it('gaps, duplicates, the session table (a fifth session replaces the first) and every error kind', async () => {
    const d = (n: number) => encodeItch('D', { stockLocate: 1, orderReferenceNumber: n });
    const packets = [
      packetOf('A', 1, [d(1), d(2)]), packetOf('A', 5, [d(5)]), packetOf('A', 4, [d(4), d(5), d(6)]),
      packetOf('B', 10, [d(10)]), packetOf('C', 20, [d(20)]), packetOf('D', 30, [d(30)]), packetOf('E', 40, [d(40)]),
      packetOf('A', 100, [d(100)]),                              // A was replaced by E: starts afresh, no gap
      Buffer.from('short'), packetOf('B', 11, [Buffer.from('Zjunk'), d(12).subarray(0, 5), Buffer.alloc(0)]),
      packetOf('B', 14, [d(14), d(15)]).subarray(0, 50), Buffer.concat([packetOf('B', 16, [d(16)]), Buffer.from('xx')]),
      packetOf('B', 16, [d(16)]).subarray(0, 30),               // a repeat cut short: nothing new is lost
      Buffer.concat([moldHeader('B', 17, 0), Buffer.from('y')]), moldHeader('B', 20, 0xffff),
    ];
    const { lines } = await expectSame({ packets });
    const ref = await runFeedRef({ packets });
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>).map((r) => r.kind === 'itch' ? `${r.session}:${r.seq}` : r.kind === 'gap' ? `gap ${r.session} ${r.expected}->${r.received}` : `${r.error} ${r.seq}`)).toEqual([
      'A:1', 'A:2', 'gap A 3->5', 'A:5', 'A:6', 'B:10', 'C:20', 'D:30', 'E:40', 'A:100',
      'short_packet null', 'unknown_message_type 11', 'bad_length 12', 'unknown_message_type 13', 'B:14', 'truncated_packet 15',
      'B:16', 'trailing_bytes null', 'truncated_packet null', 'trailing_bytes null', 'gap B 17->20',
    ]);
    // the text of every error record, made on the host from the numbers the device sent
    expect(lines.map((l) => JSON.parse(l) as { kind: string; detail?: string }).filter((r) => r.kind === 'error').map((r) => r.detail)).toEqual([
      '5 bytes, the MoldUDP64 header alone is 20',
      'type byte 0x5a',
      'D (Order Delete) is 19 bytes, this one 5',
      'empty message',
      'message 2 of 2 runs past the end of the packet',
      '2 bytes after message 1',
      'message 1 of 1 runs past the end of the packet',
      '1 byte after a packet with no messages',
    ]);
    expect(ref.counters).toMatchObject({ packets: 15, duplicates: 2, duplicatePackets: 1, gaps: 2, missing: 5n, heartbeats: 1, endOfSession: 1, messages: 11,
      errors: { short_packet: 1, truncated_packet: 2, trailing_bytes: 2, unknown_message_type: 2, bad_length: 1 } });
  });

  it('the symbol filter learns locates from Stock Directory and counts what it drops', async () => {
    const messages = generateItchSession({ seed: 9, symbols: SYMBOLS, messages: 1500 });
    const packets = moldPacketize(messages, { session: 'FILTER0001', firstSeq: 1, seed: 4 });
    const { lines } = await expectSame({ packets, symbols: ['MSFT', 'AMD'] });
    const sim = runFeedSim(dev, { packets, symbols: ['MSFT', 'AMD'] });
    const stocks = new Set(lines.map((l) => (JSON.parse(l) as { stock?: string }).stock).filter((s) => s !== undefined));
    expect(stocks).toEqual(new Set(['MSFT', 'AMD']));
    expect(sim.counters.filtered).toBeGreaterThan(500);
    expect(sim.counters.filtered + sim.counters.messages).toBe(messages.length);
    expect(dev.readReg(REG.FEED_SUB_SLOTS)).toBe(32);
    expect(dev.readReg(REG.FEED_SESSION_SLOTS)).toBe(4);
  });

  it('a message right behind its Stock Directory, same locate, sees the bit the directory just wrote', async () => {
    // The learned bit reaches the locate RAM a cycle after the directory leaves the tracker (symbol_filter.v),
    // so a look-up of that locate in that cycle must take the learned bit. It happens when the egress is
    // stalled (the FIFO full of passing records), the message waits behind the directory, and the
    // directory's own record is dropped (not subscribed) so the message leaves the cycle after it. Locate 8
    // is first learned as subscribed, then re-learned as not: the message behind must be dropped.
    const dir = (locate: number, stock: string) => encodeItch('R', { stockLocate: locate, stock });
    const add = (locate: number, ref: number) => encodeItch('A', { stockLocate: locate, orderReferenceNumber: ref, stock: 'X', shares: 1, price: 1 });
    const filler = Array.from({ length: 40 }, (_, k) => add(7, 100 + k));
    const packets = [packetOf('BYPASS0001', 1, [dir(7, 'MSFT'), dir(8, 'MSFT'), ...filler.slice(0, 20)]),
      packetOf('BYPASS0001', 23, [...filler.slice(20), dir(8, 'NVDA'), add(8, 1)])];
    for (const egressReady of [1, 0.2, 0.05]) {
      const { lines } = await expectSame({ packets, symbols: ['MSFT'], egressReady, seed: 3 });
      const refs = lines.map((l) => (JSON.parse(l) as { orderReferenceNumber?: string }).orderReferenceNumber).filter((n) => n !== undefined);
      expect(refs).toEqual(filler.map((_, k) => String(100 + k)));
    }
  });

  it('wire-level ingress: every status, an empty payload and other traffic, in the golden model\'s order', async () => {
    const d = (n: number) => encodeItch('D', { stockLocate: 1, orderReferenceNumber: n });
    const home = { dst: [233, 54, 12, 111] as [number, number, number, number], dstPort: 26_400, udpChecksum: true };
    const ip = 14 + 4;   // one VLAN tag
    const badUdpSum = udpFrame(packetOf('W', 3, [d(3), d(4)]), { ...home, tags: [[0x8100, 7]] });
    badUdpSum.writeUInt8(badUdpSum.readUInt8(badUdpSum.length - 1) ^ 0x40, badUdpSum.length - 1);
    const badIpSum = udpFrame(packetOf('W', 5, [d(5)]), { ...home, tags: [[0x8100, 7]] });
    badIpSum.writeUInt8(badIpSum.readUInt8(ip + 10) ^ 1, ip + 10);
    const badVersion = udpFrame(packetOf('W', 5, [d(5)]), { ...home, tags: [[0x8100, 7]] });
    badVersion[ip] = 0x65;
    const badUdpLength = udpFrame(packetOf('W', 5, [d(5)]), { ...home, tags: [[0x8100, 7]] });
    badUdpLength.writeUInt16BE(badUdpLength.readUInt16BE(ip + 24) - 1, ip + 24);
    const emptyBadSum = udpFrame(Buffer.alloc(0), home);
    emptyBadSum.writeUInt16BE(0x1234, 14 + 26);
    const arp = Buffer.concat([Buffer.alloc(12, 0xff), Buffer.from([0x08, 0x06]), Buffer.alloc(28, 1)]);
    const frames = [
      udpFrame(packetOf('W', 1, [d(1), d(2)]), { ...home, tags: [[0x8100, 7], [0x8100, 9]], ipOptions: Buffer.alloc(12, 1) }),
      badUdpSum,
      udpFrame(Buffer.alloc(0), home),
      emptyBadSum,
      udpFrame(packetOf('W', 5, [d(5), d(6)]), home).subarray(0, 42 + 20 + 21 + 10),   // cut inside the second message
      badIpSum, badVersion, badUdpLength,
      udpFrame(packetOf('W', 7, [d(7)]), { ...home, fragment: 0x2000 }),
      arp,
      udpFrame(packetOf('W', 7, [d(7)]), { ...home, dstPort: 26_401 }),   // not in the table
      udpFrame(packetOf('W', 7, [d(7)]), { ...home, pad: true }),
    ];
    const wire = [{ address: addressOf([233, 54, 12, 111]), port: 26_400, line: 0 }];
    const { lines } = await expectSame({ packets: frames, wire, egressReady: 0.5, ingressValid: 0.7, seed: 3 });
    const kinds = lines.map((l) => { const r = JSON.parse(l) as { kind: string; error?: string; seq?: number }; return r.kind === 'itch' ? `itch ${r.seq}` : r.error ?? r.kind; });
    expect(kinds).toEqual(['itch 1', 'itch 2', 'itch 3', 'itch 4', 'bad_udp_checksum', 'short_packet', 'short_packet', 'bad_udp_checksum',
      'itch 5', 'truncated_packet', 'truncated_frame', 'bad_ip_checksum', 'bad_ip_header', 'bad_udp_length', 'ip_fragment', 'itch 7']);
  });

  it('wire-level ingress: the same traffic as Ethernet frames, with VLANs, options, damage, other traffic and a random table', async () => {
    await fc.assert(fc.asyncProperty(wireScenario, async (w) => { await expectSame(buildWire(w)); }),
      { numRuns: Number(process.env.FC_RUNS_FEED ?? process.env.FC_RUNS ?? 60), seed: Number(process.env.FC_SEED ?? 20261206), endOnFailure: process.env.FC_SHRINK === undefined });
  });

  it('lines A and B arbitrated: random losses on either line or both, skew between them, damage, other traffic', async () => {
    let covered = 0n;
    let late = 0;
    await fc.assert(fc.asyncProperty(abScenario, async (w) => {
      const run = buildAB(w);
      await expectSame(run);
      const golden = new FeedDecoder();
      golden.arbitrate(w.holdPackets, w.holdBeats);
      for (const f of run.packets) golden.frame(f, AB_TABLE);
      golden.flush();
      const c = golden.arbiterCounters();
      covered += c.coveredLosses[0] + c.coveredLosses[1];
      late += c.lateDuplicates[0] + c.lateDuplicates[1];
    }), { numRuns: Number(process.env.FC_RUNS_FEED ?? process.env.FC_RUNS ?? 40), seed: Number(process.env.FC_SEED ?? 20261207), endOnFailure: process.env.FC_SHRINK === undefined });
    // the runs did exercise the arbiter: losses were covered and copies came late
    expect(covered).toBeGreaterThan(0n);
    expect(late).toBeGreaterThan(0);
  });

  it('A/B: a jumbo frame that does not fit behind what its line holds flushes first; without it the queue would never drain', async () => {
    // about 8,000-byte payloads (1,001 queue words each): line A holds eight behind its loss, the ninth does not fit
    const packets = moldPacketize(generateItchSession({ seed: 9, symbols: SYMBOLS, messages: 4000 }), { session: 'JUMBO00001', firstSeq: 1, seed: 9, maxPayload: 8000, messagesPerPacket: 1000 });
    expect(packets.length).toBeGreaterThan(11);
    const a = (p: Buffer) => makeFrame(frameOf(0), p);
    const b = (p: Buffer) => makeFrame(frameOf(1), p);
    const frames = [a(packets[0]!), ...packets.slice(2, 12).map(a), ...packets.slice(0, 12).map(b)];
    const run: FeedRun = { packets: frames, wire: AB_TABLE, arbitration: { holdPackets: 15, holdBeats: 8191 }, egressReady: 0.7, seed: 4 };
    await expectSame(run);
    const sim = runFeedSim(dev, run);
    expect(sim.counters.arbiter.forcedFlushes).toBe(1);
    expect(sim.counters.gaps).toBe(1);
  });

  it('A/B: FEED_ARB_IDLE_CYCLES lets held packets go when nothing arrives, and counts the flush', async () => {
    const packets = moldPacketize(generateItchSession({ seed: 10, symbols: SYMBOLS, messages: 60 }), { session: 'IDLE000001', firstSeq: 1, seed: 10, maxPayload: 300 });
    const frames = [packets[0]!, packets[2]!, packets[3]!].map((p) => makeFrame(frameOf(0), p));
    resetFeed(dev);
    configureFeed(dev, undefined, { kind: 'frames', lines: AB_TABLE, arbitration: { holdPackets: 4 } });
    dev.writeReg(REG.FEED_ARB_IDLE_CYCLES, 3000);
    const records: Buffer[] = [];
    const step = (cycles: number) => {
      const r = dev.stepRaw(cycles);
      for (let at = 0; at < r.records.length; at += 64) records.push(Buffer.from(r.records.subarray(at, at + 64)));
    };
    // a frame at a time, each once everything before it has left: the first cuts through, the two ahead of
    // the loss must not (nothing is held when the first of them comes)
    for (const f of frames) {
      dev.sendFeedNow(f);
      step(500);
    }
    // the first packet's records are out; the two behind the lost one are held
    const first = packets[0]!.readUInt16BE(18);
    expect(lines(records).filter((l) => l.includes('"kind":"itch"'))).toHaveLength(first);
    expect(dev.readReg(REG.FEED_ARB_FORCED_FLUSHES)).toBe(0);
    step(4000);
    expect(dev.readReg(REG.FEED_ARB_FORCED_FLUSHES)).toBe(1);
    const golden = new FeedDecoder();
    golden.arbitrate(4);
    const out: FeedRecord[] = [];
    for (const f of frames) golden.frame(f, AB_TABLE, out);
    golden.flush(out);
    expect(lines(records)).toEqual(feedLines(out));
    expect(lines(records).filter((l) => l.includes('"kind":"gap"'))).toHaveLength(1);
  });

  it('random traffic with loss, repeats, reordering, corruption and malformed packets; input gaps and backpressure', async () => {
    await fc.assert(fc.asyncProperty(scenario, async (s) => { await expectSame(build(s)); }),
      { numRuns: Number(process.env.FC_RUNS_FEED ?? process.env.FC_RUNS ?? 150), seed: Number(process.env.FC_SEED ?? 20261126), endOnFailure: process.env.FC_SHRINK === undefined });
  });
});
