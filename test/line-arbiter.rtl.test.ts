// hdl/feed/line_arbiter_decide.v against the golden model's arbiter (src/itch/ref-line-arbiter.ts) in a Verilator
// testbench (test/rtl/line_arbiter_decide_tb.sv): up to five sessions (one more than the table holds) sent on
// two lines with random losses, skews, heartbeats, ends of session, short packets and flushes, under random
// hold limits, input gaps and release back-pressure. The release order (which line's oldest packet goes next)
// and the four per-line counters must be the model's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moldHeader } from '../src/itch/generator.js';
import { HEADER_BYTES, LineArbiter } from '../src/itch/ref-line-arbiter.js';
import { SESSION_SLOTS } from '../src/itch/ref-decoder.js';
import { tempDir } from './helpers/session.js';

const root = path.resolve(__dirname, '..');
const rtl = ['feed/line_arbiter_decide.v', 'feed/line_arbiter_counters.v', 'common/carry_select_add.v', 'common/axis_fifo.v']
  .map((f) => path.join(root, 'hdl', f));
const tb = path.join(root, 'test', 'rtl', 'line_arbiter_decide_tb.sv');
const outDir = path.join(root, 'build', 'tb', 'line_arbiter_decide');
const bin = path.join(outDir, 'tb');
// the rules' corners are narrow: many short runs (about 30 ms each)
const FC_RUNS = Number(process.env.FC_RUNS_ARBITER ?? 500);

function testbench(): string {
  if (!existsSync(bin) || [...rtl, tb, path.join(root, 'hdl', 'common', 'compare_pieces.vh')].some((f) => statSync(f).mtimeMs > statSync(bin).mtimeMs)) {
    mkdirSync(outDir, { recursive: true });
    execFileSync('verilator', ['--binary', '--timing', '-Wno-fatal', `-I${path.join(root, 'hdl', 'generated')}`, '--top-module', 'line_arbiter_decide_tb', ...rtl, tb, '-Mdir', outDir, '-o', 'tb'], { stdio: 'pipe' });
  }
  return bin;
}

type Entry = { kind: 'packet'; line: 0 | 1; payload: Buffer } | { kind: 'flush' };

const SESSIONS = ['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO'];

/** Sessions' packets on two lines: each packet on A, B or both, each copy up to `skew` packets late, with
 *  heartbeats, ends of session, short packets, packets from long ago or far ahead, and flushes between. */
const entriesArb = fc.record({
  sessions: fc.oneof(fc.constant(1), fc.constant(2), fc.integer({ min: 1, max: SESSIONS.length })),
  packets: fc.array(fc.record({
    session: fc.nat(),
    count: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 0xffff)),
    where: fc.constantFrom('both', 'both', 'a', 'b', 'none'),
    jitter: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
    extra: fc.integer({ min: 0, max: 60 }),
    odd: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'short', 'past', 'future'),
  }), { minLength: 1, maxLength: 120 }),
  flushes: fc.array(fc.nat(), { maxLength: 3 }),
}).map(({ sessions, packets, flushes }) => {
  const next = new Array(sessions).fill(0n).map((_, k) => BigInt(1 + 1000 * k));
  const copies: Array<{ key: number; entry: Entry }> = [];
  packets.forEach((p, i) => {
    const s = p.session % sessions;
    let seq = next[s]!;
    if (p.odd === 'past') seq = seq > 5n ? seq - 5n : 1n;
    if (p.odd === 'future') seq += 7n;
    const body = Buffer.alloc(p.extra, 0x20);
    const payload = p.odd === 'short' ? Buffer.alloc(p.extra % HEADER_BYTES, 0x41)
      : Buffer.concat([moldHeader(SESSIONS[s]!, seq, p.count), body]);
    if (p.odd === 'none' && p.count !== 0xffff) next[s] = seq + BigInt(p.count);
    for (const line of [0, 1] as const) {
      if (p.where === 'none' || (p.where === 'a' && line === 1) || (p.where === 'b' && line === 0)) continue;
      copies.push({ key: i + p.jitter[line]!, entry: { kind: 'packet', line, payload } });
    }
  });
  // each line in its own order
  for (const line of [0, 1] as const) {
    let last = -Infinity;
    for (const c of copies) if (c.entry.kind === 'packet' && c.entry.line === line) { c.key = Math.max(c.key, last); last = c.key; }
  }
  copies.sort((x, y) => x.key - y.key);
  const entries: Entry[] = copies.map((c) => c.entry);
  for (const f of flushes) entries.splice(f % (entries.length + 1), 0, { kind: 'flush' });
  entries.push({ kind: 'flush' });
  return entries;
});

/** Packets with numbers drawn at random from a narrow range: gaps, both lines ahead, duplicates and limits
 *  reached all the time. */
const scrambleArb = fc.array(fc.oneof(
  { weight: 12, arbitrary: fc.record({
    line: fc.constantFrom<0 | 1>(0, 1), session: fc.integer({ min: 0, max: 5 }), seq: fc.integer({ min: 1, max: 24 }),
    count: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 0xffff)), extra: fc.integer({ min: 0, max: 60 }),
  }).map((r): Entry => ({ kind: 'packet', line: r.line, payload: Buffer.concat([moldHeader(SESSIONS[r.session % 5]!.slice(0, r.session < 5 ? 10 : 1), r.seq, r.count), Buffer.alloc(r.extra)]) })) },
  { weight: 1, arbitrary: fc.constant<Entry>({ kind: 'flush' }) },
), { minLength: 1, maxLength: 120 }).map((entries) => [...entries, { kind: 'flush' } as Entry]);

const beatsOf = (p: Buffer) => Math.max(1, Math.ceil(p.length / 8));

function modelRun(entries: readonly Entry[], hold: number, holdBeats: number): string {
  const arbiter = new LineArbiter(hold, SESSION_SLOTS, holdBeats);
  const out: string[] = [];
  const release = (p: { line: 0 | 1 }) => out.push(`R ${p.line}`);
  for (const e of entries) {
    if (e.kind === 'flush') arbiter.flush(release);
    else arbiter.arrive({ line: e.line, payload: e.payload, status: 'ok' }, release);
  }
  const c = arbiter.counters;
  out.push(`C ${c.coveredLosses[0]} ${c.coveredLosses[1]} ${c.lateDuplicates[0]} ${c.lateDuplicates[1]}`);
  return out.join('\n');
}

const hexOf = (v: bigint, digits: number) => v.toString(16).padStart(digits, '0');

function stimLine(e: Entry): string {
  if (e.kind === 'flush') return `1${'0'.repeat(46)}`;
  const p = e.payload;
  const header = p.length >= HEADER_BYTES;
  const session = header ? p.subarray(0, 10).toString('hex') : '0'.repeat(20);
  const seq = header ? hexOf(p.readBigUInt64BE(10), 16) : '0'.repeat(16);
  const count = header ? hexOf(BigInt(p.readUInt16BE(18)), 4) : '0000';
  return `0${e.line}${header ? 1 : 0}${session}${seq}${count}${hexOf(BigInt(beatsOf(p)), 4)}`;
}

function rtlRun(entries: readonly Entry[], hold: number, holdBeats: number, seed: number): string {
  const dir = tempDir('tickgate-line-arbiter-');
  writeFileSync(path.join(dir, 'stim.hex'), entries.map(stimLine).join('\n') + '\n');
  const args = [`+stim=${path.join(dir, 'stim.hex')}`, `+n=${entries.length}`, `+hold=${hold}`, `+beats=${holdBeats}`, `+seed=${seed}`];
  const out = execFileSync(testbench(), args, { encoding: 'utf8', stdio: 'pipe' });
  return out.split('\n').filter((l) => /^(R|C|TIMEOUT) /.test(l)).join('\n');
}

describe('A/B line arbitration RTL, the decisions (line_arbiter_decide)', () => {
  it('releases in the golden model\'s order and counts what it counts', () => {
    // small limits, so that they decide often; packets are 3 to 10 beats long
    const hold = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 15 }));
    const holdBeats = fc.oneof(fc.integer({ min: 3, max: 24 }), fc.integer({ min: 3, max: 200 }));
    fc.assert(fc.property(fc.oneof(entriesArb, scrambleArb), hold, holdBeats, fc.integer({ min: 1, max: 1 << 30 }),
      (entries, hold, holdBeats, seed) => {
        expect(rtlRun(entries, hold, holdBeats, seed)).toBe(modelRun(entries, hold, holdBeats));
      }), { numRuns: FC_RUNS });
  }, 600_000);

  it('holds a gap\'s packets until the other line fills it, and lets a line go first come, first out with hold 0', () => {
    const p = (line: 0 | 1, seq: number, count = 2): Entry => ({ kind: 'packet', line, payload: moldHeader('FIXED', seq, count) });
    // A loses 3-4, brings 5-6 and 7-8 ahead of B's 3-4
    const entries: Entry[] = [p(0, 1), p(1, 1), p(0, 5), p(0, 7), p(1, 3), p(1, 5), p(1, 7), { kind: 'flush' }];
    const held = modelRun(entries, 8, 1000);
    // A's 5 waits for B's 3 (A's loss covered: 2 messages); B's 1, 5 and 7 are late
    expect(held).toBe(['R 0', 'R 1', 'R 1', 'R 0', 'R 0', 'R 1', 'R 1', 'C 2 0 0 3'].join('\n'));
    expect(rtlRun(entries, 8, 1000, 3)).toBe(held);
    const firstCome = modelRun(entries, 0, 1000);
    // A's 5 goes at once (a gap), so B's 3 is late too, and nothing A lost was delivered before A went on
    expect(firstCome).toBe(['R 0', 'R 1', 'R 0', 'R 0', 'R 1', 'R 1', 'R 1', 'C 0 0 0 4'].join('\n'));
    expect(rtlRun(entries, 0, 1000, 4)).toBe(firstCome);
  });

  it('holds a line up to its beat limit and not a beat more', () => {
    const p = (line: 0 | 1, seq: number): Entry => ({ kind: 'packet', line, payload: moldHeader('FIXED', seq, 2) });
    // A's 5 and 7 (3 beats each) wait for B's 3 while A holds 6 beats at most; with 5 they go as a gap
    const entries: Entry[] = [p(0, 1), p(1, 1), p(0, 5), p(0, 7), p(1, 3), { kind: 'flush' }];
    const held = ['R 0', 'R 1', 'R 1', 'R 0', 'R 0', 'C 2 0 0 1'].join('\n');
    const gone = ['R 0', 'R 1', 'R 0', 'R 0', 'R 1', 'C 0 0 0 2'].join('\n');
    expect(modelRun(entries, 8, 6)).toBe(held);
    expect(rtlRun(entries, 8, 6, 7)).toBe(held);
    expect(modelRun(entries, 8, 5)).toBe(gone);
    expect(rtlRun(entries, 8, 5, 8)).toBe(gone);
  });

  it('when both lines are past a gap, the lower number goes first, whichever arrived first', () => {
    const p = (line: 0 | 1, seq: number, count = 2): Entry => ({ kind: 'packet', line, payload: moldHeader('FIXED', seq, count) });
    // both lost 3-4; A lost 5-6 as well: A's 7 arrives first, but B's 5 goes first (the gap 3-4), then A's 7
    const entries: Entry[] = [p(0, 1), p(1, 1), p(0, 7), p(1, 5), p(1, 7), { kind: 'flush' }];
    const expected = ['R 0', 'R 1', 'R 1', 'R 0', 'R 1', 'C 2 0 0 2'].join('\n');
    expect(modelRun(entries, 8, 1000)).toBe(expected);
    expect(rtlRun(entries, 8, 1000, 5)).toBe(expected);
  });
});
