// The A/B line arbitration rules of the golden model (src/itch/ref-line-arbiter.ts) against what a feed handler
// must guarantee, on random losses and random arrival orders of the two lines' copies of one session.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeItch, generateItchSession, moldHeader, moldPacketize, prng, udpFrame } from '../src/itch/generator.js';
import { FeedDecoder, type FeedRecord } from '../src/itch/ref-decoder.js';
import type { WireSubscription } from '../src/itch/ref-udp-rx.js';

const A_GROUP: [number, number, number, number] = [233, 54, 12, 111];
const B_GROUP: [number, number, number, number] = [233, 49, 196, 111];
const PORT = 26_400;
const address = (g: number[]) => ((g[0]! << 24) | (g[1]! << 16) | (g[2]! << 8) | g[3]!) >>> 0;
const TABLE: WireSubscription[] = [{ address: address(A_GROUP), port: PORT, line: 0 }, { address: address(B_GROUP), port: PORT, line: 1 }];
const HOLD = 8;

/** Packet i of the session: `sizes[i]` system-event messages numbered from `first`. */
function sessionPackets(sizes: number[], first = 1): Buffer[] {
  let seq = BigInt(first);
  return sizes.map((n) => {
    const parts = [moldHeader('ARBTEST', seq, n)];
    for (let k = 0; k < n; k++) {
      const m = encodeItch('S', { stockLocate: 0, trackingNumber: Number((seq + BigInt(k)) & 0xffffn), timestamp: Number(seq) + k, eventCode: 'O' });
      parts.push(Buffer.from([0, m.length]), m);
    }
    seq += BigInt(n);
    return Buffer.concat(parts);
  });
}

const frameOf = (line: 0 | 1, packet: Buffer) => udpFrame(packet, { dst: line === 0 ? A_GROUP : B_GROUP, dstPort: PORT });

interface Copy { line: 0 | 1; index: number; key: number }

/** Each line's copies that were not lost, in arrival order: copy i of a line arrives at i + its jitter (ties in
 *  the order drawn). Jitter within `maxJitter` packets keeps each line in order up to that skew. */
const scenario = (maxJitter: number, commonLoss: boolean) => fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 40 }),
  lost: fc.array(fc.constantFrom<'none' | 'a' | 'b' | 'both'>(...(commonLoss ? ['none', 'none', 'a', 'b', 'both'] as const : ['none', 'none', 'none', 'a', 'b'] as const)), { minLength: 40, maxLength: 40 }),
  jitter: fc.array(fc.tuple(fc.integer({ min: 0, max: maxJitter }), fc.integer({ min: 0, max: maxJitter })), { minLength: 40, maxLength: 40 }),
}).map(({ sizes, lost, jitter }) => {
  const copies: Copy[] = [];
  sizes.forEach((_, i) => {
    if (lost[i] !== 'a' && lost[i] !== 'both') copies.push({ line: 0, index: i, key: i + jitter[i]![0] });
    if (lost[i] !== 'b' && lost[i] !== 'both') copies.push({ line: 1, index: i, key: i + jitter[i]![1] });
  });
  // keep each line in its own order: a line's copies never overtake each other
  for (const line of [0, 1] as const) {
    let last = -Infinity;
    for (const c of copies.filter((x) => x.line === line)) { c.key = Math.max(c.key, last); last = c.key; }
  }
  copies.sort((x, y) => x.key - y.key);
  return { sizes, lost: lost.slice(0, sizes.length), copies };
});

function decode(sizes: number[], copies: Copy[], hold: number) {
  const packets = sessionPackets(sizes);
  const d = new FeedDecoder();
  d.arbitrate(hold);
  const out: FeedRecord[] = [];
  for (const c of copies) d.frame(frameOf(c.line, packets[c.index]!), TABLE, out);
  d.flush(out);
  return { out, d, packets };
}

const seqs = (out: FeedRecord[]) => out.flatMap((r) => (r.kind === 'itch' ? [BigInt(r.seq)] : []));
const gaps = (out: FeedRecord[]) => out.filter((r) => r.kind === 'gap');
const firstSeqOf = (sizes: number[], i: number) => BigInt(1 + sizes.slice(0, i).reduce((a, b) => a + b, 0));

describe('A/B line arbitration (golden model)', () => {
  it('a loss on one line that the other covers is no gap: every message once, in order', () => {
    fc.assert(fc.property(scenario(3, false), ({ sizes, lost, copies }) => {
      const { out } = decode(sizes, copies, HOLD);
      const total = sizes.reduce((a, b) => a + b, 0);
      // the session starts where its first arriving packet does
      const start = Number(firstSeqOf(sizes, copies[0]!.index));
      expect(gaps(out)).toEqual([]);
      expect(seqs(out)).toEqual(Array.from({ length: total - start + 1 }, (_, i) => BigInt(start + i)));
      void lost;
    }), { numRuns: 300 });
  });

  it('a gap only where both lines lost the messages, and each message at most once, in order', () => {
    fc.assert(fc.property(scenario(3, true), ({ sizes, lost, copies }) => {
      fc.pre(copies.length > 0);
      const { out } = decode(sizes, copies, HOLD);
      const delivered = seqs(out);
      const firstIndex = copies[0]!.index;
      const expected: bigint[] = [];
      const bothLost: Array<[bigint, bigint]> = [];
      const lastIndex = Math.max(...copies.map((c) => c.index));
      for (let i = firstIndex; i <= lastIndex; i++) {
        const from = firstSeqOf(sizes, i);
        if (lost[i] === 'both') {
          const prev = bothLost.at(-1);
          if (prev && prev[1] === from) prev[1] = from + BigInt(sizes[i]!);
          else bothLost.push([from, from + BigInt(sizes[i]!)]);
        } else for (let k = 0; k < sizes[i]!; k++) expected.push(from + BigInt(k));
      }
      expect(delivered).toEqual(expected);
      expect(gaps(out).map((g) => g.kind === 'gap' && [BigInt(g.expected), BigInt(g.received)])).toEqual(bothLost);
    }), { numRuns: 300 });
  });

  it('counts per line the losses the other line covered and the late duplicates', () => {
    fc.assert(fc.property(scenario(3, false), ({ sizes, lost, copies }) => {
      // the session starts with its first packet (packets before where it starts are duplicates of nothing)
      fc.pre(copies[0]?.index === 0);
      const { d } = decode(sizes, copies, HOLD);
      const c = d.arbiterCounters();
      for (const line of [0, 1] as const) {
        const own = copies.filter((x) => x.line === line).map((x) => x.index);
        if (own.length === 0) continue;
        // messages lost on this line between its first and its last packet: every one covered by the other
        let covered = 0n;
        for (let i = own[0]!; i < own.at(-1)!; i++) if (!own.includes(i)) covered += BigInt(sizes[i]!);
        expect(c.coveredLosses[line]).toBe(covered);
      }
      // every copy after the first of a packet is a late duplicate
      const distinct = new Set(copies.map((x) => x.index)).size;
      expect(c.lateDuplicates[0] + c.lateDuplicates[1]).toBe(copies.length - distinct);
      expect(d.counters.gaps).toBe(0);
      void lost;
    }), { numRuns: 300 });
  });

  it('a dead line B: line A\'s gaps are reported once it holds more than the limit, and at the end by the flush', () => {
    const sizes = Array.from({ length: 30 }, () => 2);
    const copies: Copy[] = sizes.flatMap((_, i) => (i === 5 || i === 25 ? [] : [{ line: 0 as const, index: i, key: i }]));
    // line B brought only the first packet, so the arbiter waits for it
    copies.unshift({ line: 1, index: 0, key: -1 });
    const packets = sessionPackets(sizes);
    const d = new FeedDecoder();
    d.arbitrate(HOLD);
    const out: FeedRecord[] = [];
    const heldAfter: number[] = [];
    for (const c of copies) {
      d.frame(frameOf(c.line, packets[c.index]!), TABLE, out);
      heldAfter.push(seqs(out).length);
    }
    // (copy k is packet k - 1 before the loss, packet k after it) packets 6 to 13 wait: 8 held, the limit;
    // the arrival of packet 14 makes 9 and lets them all out, the gap first
    expect(heldAfter[13]).toBe(heldAfter[5]);
    expect(heldAfter[5]).toBe(10);
    expect(heldAfter[14]).toBe(28);
    expect(gaps(out).map((g) => g.kind === 'gap' && Number(g.expected))).toEqual([11]);
    // packets 26 to 29 are still held when the input ends: the flush lets them out, behind the second gap
    const before = seqs(out).length;
    d.flush(out);
    expect(seqs(out).length).toBe(before + 8);
    expect(gaps(out).map((g) => g.kind === 'gap' && Number(g.expected))).toEqual([11, 51]);
    expect(seqs(out)).toEqual(Array.from({ length: 60 }, (_, i) => BigInt(i + 1)).filter((s) => !(s >= 11n && s < 13n) && !(s >= 51n && s < 53n)));
  });

  it('a generated trading day on two lines, each losing 2 % of its packets and running up to 3 packets ahead of the other: the day once, in order, no gap', () => {
    const messages = generateItchSession({ seed: 7, symbols: ['AAPL', 'MSFT', 'NVDA', 'XYZ'], messages: 20_000 });
    const packets = moldPacketize(messages, { session: 'DAY0001', firstSeq: 1, seed: 7 });
    const r = prng(11);
    const copies: Copy[] = [];
    packets.forEach((_, i) => {
      const lose = r() < 0.04 ? (r() < 0.5 ? 0 : 1) : -1;  // never both: every packet reaches one line at least
      for (const line of [0, 1] as const) if (lose !== line && !(i === 0 && line === 1)) copies.push({ line, index: i, key: i + Math.floor(r() * 4) });
    });
    for (const line of [0, 1] as const) {
      let last = -Infinity;
      for (const c of copies.filter((x) => x.line === line)) { c.key = Math.max(c.key, last); last = c.key; }
    }
    copies.sort((x, y) => x.key - y.key);
    const d = new FeedDecoder();
    d.arbitrate(HOLD);
    const out: FeedRecord[] = [];
    for (const c of copies) d.frame(frameOf(c.line, packets[c.index]!), TABLE, out);
    d.flush(out);
    expect(gaps(out)).toEqual([]);
    expect(out.filter((x) => x.kind === 'itch').map((x) => x.kind === 'itch' && x.raw.toString('hex'))).toEqual(messages.map((m) => m.toString('hex')));
    const lost = [0, 1].map((line) => packets.length - copies.filter((c) => c.line === line).length);
    expect(lost[0]! + lost[1]!).toBeGreaterThan(10);
    expect(d.arbiterCounters().coveredLosses.map((n) => n > 0n)).toEqual([true, true]);
  });

  it('without a hold limit (0) the lines go first come, first out, exactly as without arbitration', () => {
    fc.assert(fc.property(scenario(3, true), ({ sizes, copies }) => {
      const packets = sessionPackets(sizes);
      const plain = new FeedDecoder();
      const expected: FeedRecord[] = [];
      for (const c of copies) plain.frame(frameOf(c.line, packets[c.index]!), TABLE, expected);
      expect(decode(sizes, copies, 0).out).toEqual(expected);
    }), { numRuns: 100 });
  });
});
