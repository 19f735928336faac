// hdl/boards/xdma/xdma_shell.v on two unrelated clocks (test/rtl/xdma_shell_tb.sv) against the framing's golden
// model (src/device/xdma-framing.ts): host writes of random sub-frames (empty, END or not, up to 300 bytes, bad
// headers, writes cut short) on the three H2C channels must reach the core's ingress beat for beat; records
// and order frames from the core must leave in C2H packets that keep every record in order, close within the
// batch size, and carry each order with its length and DROPPED flag; the register window must answer the
// shell's registers, forward the core's, and refuse the rest; the counters must say what happened. Random
// valid/ready on every port, clock ratios from 0.4 to 2.5.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XDMA_SHELL } from '../src/device/generated/layout.js';
import { deframe, parseOrderPacket, subFrame, type IngressBeat } from '../src/device/xdma-framing.js';
import { tempDir } from './helpers/session.js';

const root = path.resolve(__dirname, '..');
const rtl = [
  ['common', 'axis_async_fifo.v'], ['common', 'event_counter.v'], ['common', 'carry_select_add.v'],
  ['boards', 'xdma', 'h2c_unpack.v'], ['boards', 'xdma', 'h2c_deframer.v'], ['boards', 'xdma', 'c2h_record_packer.v'],
  ['boards', 'xdma', 'c2h_order_packer.v'], ['boards', 'xdma', 'axil_cdc.v'], ['boards', 'xdma', 'axil_forward.v'], ['boards', 'xdma', 'xdma_shell_regs.v'],
  ['boards', 'xdma', 'xdma_shell.v'],
].map((f) => path.join(root, 'hdl', ...f));
const tb = path.join(root, 'test', 'rtl', 'xdma_shell_tb.sv');
const outDir = path.join(root, 'build', 'tb', 'xdma_shell');
const bin = path.join(outDir, 'tb');
const layoutVh = path.join(root, 'hdl', 'generated', 'tickgate_layout.vh');

function testbench(): string {
  if (!existsSync(bin) || [...rtl, tb, layoutVh].some((f) => statSync(f).mtimeMs > statSync(bin).mtimeMs)) {
    mkdirSync(outDir, { recursive: true });
    execFileSync('verilator', ['--binary', '--timing', '-Wno-fatal', `-I${path.join(root, 'hdl', 'generated')}`, '--top-module', 'xdma_shell_tb', ...rtl, tb, '-Mdir', outDir, '-o', 'tb'], { stdio: 'pipe' });
  }
  return bin;
}

const hex = (b: Buffer) => Buffer.from(b).reverse().toString('hex');
const BEAT = 64;
const REG = XDMA_SHELL.REG;
const shellAddr = (offset: number) => XDMA_SHELL.windowOffset + offset;

/** A host write as XDMA H2C beats: 64 bytes each, tkeep per byte on the last, lanes past it zero. */
function h2cBeats(write: Buffer): string[] {
  const out: string[] = [];
  for (let at = 0; at < write.length; at += BEAT) {
    const chunk = write.subarray(at, Math.min(write.length, at + BEAT));
    const keep = (1n << BigInt(chunk.length)) - 1n;
    const last = at + BEAT >= write.length ? 1 : 0;
    out.push(`${last}${keep.toString(16).padStart(16, '0')}${hex(Buffer.concat([chunk, Buffer.alloc(BEAT - chunk.length)]))}`);
  }
  return out;
}

/** Order egress beats from the core: 8 bytes each, the last partial, tuser on it when dropped; with
 *  `emptyEnd` the frame ends in a beat of its own without bytes (tkeep 0), as a cut-through frame whose
 *  bytes all left before its verdict does. */
function orderBeats(frame: { bytes: Buffer; dropped: boolean; emptyEnd?: boolean }): string[] {
  const out: string[] = [];
  const beat = (chunk: Buffer, last: boolean) => {
    const flags = (last && frame.dropped ? 2 : 0) | (last ? 1 : 0);
    out.push(`${flags}${((1 << chunk.length) - 1).toString(16).padStart(2, '0')}${hex(Buffer.concat([chunk, Buffer.alloc(8 - chunk.length)]))}`);
  };
  for (let at = 0; at < frame.bytes.length; at += 8) {
    beat(frame.bytes.subarray(at, Math.min(frame.bytes.length, at + 8)), !frame.emptyEnd && at + 8 >= frame.bytes.length);
  }
  if (frame.emptyEnd) beat(Buffer.alloc(0), true);
  return out;
}

type Access = { write: boolean; addr: number; data?: number };
const accessHex = (a: Access) => `${a.write ? 1 : 0}${a.addr.toString(16).padStart(8, '0')}${(a.data ?? 0).toString(16).padStart(8, '0')}`;

interface Run {
  writes: Buffer[][];              // per H2C channel, the host writes in order
  records: Buffer[];
  orders: Array<{ bytes: Buffer; dropped: boolean; emptyEnd?: boolean }>;
  batch: number;
  idle: number;
  seed: number;
  clocks: { xdmaPs: number; corePs: number };
  before: Access[];
  after: Access[];
}

interface Observed {
  ingress: IngressBeat[][];
  c2h: Array<Array<{ last: boolean; bytes: Buffer }>>;
  answers: Array<{ write: boolean; addr: number; resp: number; data: number }>;
}

function run(r: Run): Observed {
  const dir = tempDir('tickgate-xdma-');
  const file = (name: string, lines: string[]) => {
    writeFileSync(path.join(dir, name), lines.join('\n') + '\n');
    return path.join(dir, name);
  };
  const h2c = r.writes.map((ws) => ws.flatMap(h2cBeats));
  const ord = r.orders.flatMap(orderBeats);
  const axil = [...r.before, ...r.after];
  execFileSync(testbench(), [
    `+h2c0=${file('h2c0.hex', h2c[0]!)}`, `+h2c1=${file('h2c1.hex', h2c[1]!)}`, `+h2c2=${file('h2c2.hex', h2c[2]!)}`,
    `+rec=${file('rec.hex', r.records.map(hex))}`, `+ord=${file('ord.hex', ord)}`, `+axil=${file('axil.hex', axil.map(accessHex))}`,
    `+out=${path.join(dir, 'out.txt')}`, `+n0=${h2c[0]!.length}`, `+n1=${h2c[1]!.length}`, `+n2=${h2c[2]!.length}`,
    `+nrec=${r.records.length}`, `+nord=${ord.length}`, `+naxil=${axil.length}`, `+naxil_pre=${r.before.length}`,
    `+seed=${r.seed}`, `+xdma_ps=${r.clocks.xdmaPs}`, `+core_ps=${r.clocks.corePs}`, `+quiet=${r.idle + 400}`,
  ], { stdio: 'pipe' });
  const seen: Observed = { ingress: [[], [], []], c2h: [[], []], answers: [] };
  for (const line of readFileSync(path.join(dir, 'out.txt'), 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'I') {
      const keep = parseInt(f[3]!, 16);
      const data = Buffer.from(f[4]!, 'hex').reverse();
      const n = keep === 0 ? 0 : Math.log2(keep + 1);
      if (!Number.isInteger(n)) throw new Error(`ingress tkeep ${f[3]} is not contiguous from lane 0`);
      seen.ingress[Number(f[1])]!.push({ bytes: data.subarray(0, n), last: f[2] === '1' });
    } else if (f[0] === 'C') {
      const keep = BigInt('0x' + f[3]!);
      const data = Buffer.from(f[4]!, 'hex').reverse();
      let n = 0;
      while (n < BEAT && (keep >> BigInt(n)) & 1n) n++;
      if (keep !== (1n << BigInt(n)) - 1n) throw new Error(`C2H tkeep ${f[3]} is not contiguous`);
      seen.c2h[Number(f[1])]!.push({ last: f[2] === '1', bytes: data.subarray(0, n) });
    } else if (f[0] === 'A') {
      seen.answers.push({ write: f[1] === '1', addr: parseInt(f[2]!, 16), resp: Number(f[3]), data: parseInt(f[4]!, 16) });
    }
  }
  return seen;
}

/** C2H beats cut into packets at tlast; a packet still open at the end is returned as well (it fails the test). */
function packets(beats: Array<{ last: boolean; bytes: Buffer }>): { closed: Buffer[]; open: Buffer | null } {
  const closed: Buffer[] = [];
  let cur: Buffer[] = [];
  for (const b of beats) {
    cur.push(b.bytes);
    if (b.last) { closed.push(Buffer.concat(cur)); cur = []; }
  }
  return { closed, open: cur.length ? Buffer.concat(cur) : null };
}

const counters: Access[] = [
  REG.H2C_FRAMES_FIX, REG.H2C_FRAMES_FEED, REG.H2C_FRAMES_ORDERS, REG.H2C_BAD_HEADERS_FIX, REG.H2C_BAD_HEADERS_FEED,
  REG.H2C_BAD_HEADERS_ORDERS, REG.H2C_TRUNCATED_FIX, REG.H2C_TRUNCATED_FEED, REG.H2C_TRUNCATED_ORDERS,
  REG.C2H_RECORD_PACKETS, REG.C2H_ORDER_PACKETS, REG.CORE_BUS_TIMEOUTS,
].map((o) => ({ write: false, addr: shellAddr(o) }));

function check(r: Run): void {
  const seen = run(r);
  const expected = r.writes.map((ws) => ws.map(deframe));
  for (let ch = 0; ch < 3; ch++) {
    const want = expected[ch]!.flatMap((d) => d.beats);
    expect(seen.ingress[ch]!.map((b) => `${b.last ? 'L' : '-'}${b.bytes.toString('hex')}`), `H2C channel ${ch}`)
      .toEqual(want.map((b) => `${b.last ? 'L' : '-'}${b.bytes.toString('hex')}`));
  }
  const rec = packets(seen.c2h[0]!);
  expect(rec.open, 'the last record packet closes on the idle time').toBeNull();
  expect(Buffer.concat(rec.closed).equals(Buffer.concat(r.records)), 'records in order, none lost or invented').toBe(true);
  for (const p of rec.closed) expect(p.length / 64).toBeLessThanOrEqual(Math.max(1, r.batch));
  const ord = packets(seen.c2h[1]!);
  expect(ord.open).toBeNull();
  expect(ord.closed.map(parseOrderPacket).map((o) => `${o.dropped ? 'D' : 'A'}${o.bytes.toString('hex')}`))
    .toEqual(r.orders.map((o) => `${o.dropped ? 'D' : 'A'}${o.bytes.toString('hex')}`));

  const answers = seen.answers.slice(r.before.length);
  expect(answers.slice(0, counters.length).map((a) => a.data), 'counters').toEqual([
    ...[0, 1, 2].map((ch) => expected[ch]!.reduce((n, d) => n + d.framesDone, 0)),
    ...[0, 1, 2].map((ch) => expected[ch]!.reduce((n, d) => n + d.badHeaders, 0)),
    ...[0, 1, 2].map((ch) => expected[ch]!.reduce((n, d) => n + d.truncated, 0)),
    rec.closed.length, r.orders.length, 0,
  ]);
}

// ---- arbitraries ------------------------------------------------------------------------------------------
const payload = fc.oneof(
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 9 }) },
  { weight: 3, arbitrary: fc.uint8Array({ minLength: 10, maxLength: 300 }) },
).map((a) => Buffer.from(a));
const goodWrite = fc.array(fc.tuple(payload, fc.boolean()), { minLength: 1, maxLength: 5 })
  .map((subs) => Buffer.concat(subs.map(([p, end]) => subFrame(p, end))));
/** Writes a broken host could send: a header mangled (magic, reserved byte, flag bit), or the write cut short. */
const badWrite = fc.tuple(goodWrite, fc.constantFrom('magic', 'reserved', 'flags', 'cut'), fc.nat())
  .map(([w, how, at]) => {
    const b = Buffer.from(w);
    if (how === 'cut') return b.subarray(0, 8 * (1 + (at % Math.max(1, b.length / 8 - 1))));
    // the first header: its whole write is dropped
    if (how === 'magic') b.writeUInt8(b.readUInt8(4 + (at % 4)) ^ 0x20, 4 + (at % 4));
    if (how === 'reserved') b.writeUInt8(1 + (at % 255), 3);
    if (how === 'flags') b.writeUInt8(b.readUInt8(2) | (2 << (at % 7)), 2);
    return b;
  });
const writes = fc.array(fc.oneof({ weight: 4, arbitrary: goodWrite }, { weight: 1, arbitrary: badWrite }), { maxLength: 6 });
const record = fc.uint8Array({ minLength: 64, maxLength: 64 }).map((a) => Buffer.from(a));
const order = fc.oneof(
  fc.record({ bytes: fc.uint8Array({ minLength: 1, maxLength: 120 }).map((a) => Buffer.from(a)), dropped: fc.boolean() }),
  fc.record({ bytes: fc.uint8Array({ maxLength: 120 }).map((a) => Buffer.from(a)), dropped: fc.boolean(), emptyEnd: fc.constant(true) }),
);
const halfPeriod = fc.integer({ min: 1000, max: 5000 });

describe('XDMA board shell RTL', () => {
  it('answers its registers, forwards the core window across the clocks, and refuses the rest', () => {
    const before: Access[] = [
      { write: true, addr: shellAddr(REG.C2H_BATCH_RECORDS), data: 5 },
      { write: true, addr: 0x040, data: 0x12345678 },
    ];
    const after: Access[] = [
      ...counters,
      { write: false, addr: shellAddr(REG.ID) },
      { write: false, addr: shellAddr(REG.C2H_BATCH_RECORDS) },
      { write: false, addr: shellAddr(REG.C2H_IDLE_CYCLES) },
      { write: false, addr: shellAddr(REG.STATUS) },
      { write: false, addr: 0x040 },
      { write: false, addr: 0x044 },
      { write: false, addr: 0xffc },
      { write: true, addr: 0xffc, data: 1 },
      { write: false, addr: 0x3000 },
      { write: true, addr: shellAddr(REG.ID), data: 1 },
      { write: false, addr: shellAddr(REG.COUNTER_CLEAR) },
      { write: true, addr: shellAddr(REG.COUNTER_CLEAR), data: 1 },
      { write: false, addr: shellAddr(REG.H2C_FRAMES_FIX) },
      { write: true, addr: shellAddr(REG.CONTROL), data: 1 << XDMA_SHELL.REG_BIT.CONTROL_CORE_RESET },
      { write: false, addr: shellAddr(REG.CONTROL) },
      { write: true, addr: shellAddr(REG.CONTROL), data: 0 },
      { write: false, addr: shellAddr(REG.CONTROL) },
    ];
    const fixWrite = Buffer.concat([subFrame(Buffer.from('8=FIX.4.4\x01'), false), subFrame(Buffer.alloc(0), true)]);
    const r: Run = {
      writes: [[fixWrite], [], []], records: [], orders: [], batch: 5, idle: 64, seed: 3,
      clocks: { xdmaPs: 2000, corePs: 1555 }, before, after,
    };
    const seen = run(r);
    const a = seen.answers.slice(before.length + counters.length);
    expect(seen.answers.slice(0, 2).map((x) => x.resp)).toEqual([0, 0]);
    expect(seen.answers[before.length]!.data, 'frames on the FIX channel').toBe(2);
    expect(a.map((x) => [x.resp, x.data])).toEqual([
      [0, XDMA_SHELL.id],
      [0, 5],
      [0, XDMA_SHELL.REG_RESET.C2H_IDLE_CYCLES],
      [0, 1 << XDMA_SHELL.REG_BIT.STATUS_CORE_CLOCK_LOCKED],
      [0, 0x12345678],
      [0, 0xc0de0011],          // the core's register file, untouched
      [2, 0xc0de03ff],          // the core answered SLVERR: passed on with its data
      [2, 0],
      [3, 0],                   // outside both windows: DECERR
      [2, 0],                   // a read-only shell register
      [2, 0],                   // COUNTER_CLEAR is write-only
      [0, 0],
      [0, 0],                   // cleared
      [0, 0],
      [0, 1 << XDMA_SHELL.REG_BIT.CONTROL_CORE_RESET],
      [0, 0],
      [0, 0],
    ]);
  });

  it('moves random writes, records and orders across unrelated clocks exactly as the framing model says', () => {
    fc.assert(fc.property(
      fc.tuple(writes, writes, writes), fc.array(record, { maxLength: 80 }), fc.array(order, { maxLength: 12 }),
      fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 40 }), halfPeriod, halfPeriod, fc.integer({ min: 1, max: 1 << 30 }),
      (w, records, orders, batch, idle, xdmaPs, corePs, seed) => {
        check({
          writes: w, records, orders, batch, idle, seed, clocks: { xdmaPs, corePs },
          before: [
            { write: true, addr: shellAddr(REG.C2H_BATCH_RECORDS), data: batch },
            { write: true, addr: shellAddr(REG.C2H_IDLE_CYCLES), data: idle },
          ],
          after: counters,
        });
      },
    ), { numRuns: Number(process.env.FC_RUNS_RTL ?? 25), seed: Number(process.env.FC_SEED ?? 20261204) });
  });

  it('keeps every record of a long burst with the default batch and idle time', () => {
    const records = Array.from({ length: 300 }, (_, i) => Buffer.alloc(64, i & 0xff));
    check({
      writes: [[], [], []], records, orders: [], batch: XDMA_SHELL.REG_RESET.C2H_BATCH_RECORDS,
      idle: XDMA_SHELL.REG_RESET.C2H_IDLE_CYCLES, seed: 11, clocks: { xdmaPs: 2000, corePs: 1600 }, before: [], after: counters,
    });
  });
});
