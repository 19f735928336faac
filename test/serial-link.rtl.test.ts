// The serial shell on its own (hdl/boards/serial/ in test/rtl/serial_link_tb.v: a loopback in place of the
// core, random back-pressure on every port), driven over a pseudo-terminal at simulated bit timing by the
// host end of the link (src/device/serial-link.ts). Random sequences of stream sends and register accesses,
// on a clean line and on one that corrupts, drops and doubles bytes, must reach the core's ports exactly as
// the link's rules say (FIX and order frames flushed at their end, feed packets in whole beats, END as
// tlast), each beat once and in order; echoed order bytes must come back with their ends and the tuser of
// every second frame; registers must answer once per request, SLVERR outside the map.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERIAL_LINK } from '../src/device/generated/layout.js';
import { HostLink, type StreamKind } from '../src/device/serial-link.js';
import type { LinkCounterName } from '../src/device/serial-device.js';

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'build', 'tb', 'serial_link');
const bin = path.join(outDir, 'serial-link-tb');
const CLKS_PER_BIT = 4;

function testbench(): string {
  const rtl = ['uart_rx', 'uart_tx', 'crc32_bzip2', 'slip_rx', 'slip_tx', 'commit_fifo', 'ingress_unpack', 'link_reg_master', 'link_rx', 'link_tx', 'serial_shell']
    .map((m) => path.join(root, 'hdl', 'boards', 'serial', `${m}.v`))
    .concat(['sdp_ram', 'ram_fetch_ahead', 'event_counter', 'carry_select_add'].map((m) => path.join(root, 'hdl', 'common', `${m}.v`)));
  const tb = path.join(root, 'test', 'rtl', 'serial_link_tb.v');
  const main = path.join(root, 'sim', 'serial-emulator', 'main.cc');
  const inputs = [...rtl, tb, main, path.join(root, 'hdl', 'generated', 'tickgate_layout.vh')];
  if (!existsSync(bin) || inputs.some((f) => statSync(f).mtimeMs > statSync(bin).mtimeMs)) {
    mkdirSync(outDir, { recursive: true });
    execFileSync('verilator', ['--cc', '--exe', '--build', '-O2', '-Wno-fatal', `-I${path.join(root, 'hdl', 'generated')}`,
      '--top-module', 'serial_link_tb', `-GCLKS_PER_BIT=${CLKS_PER_BIT}`, '-GRTO_CYCLES=200000',
      '-CFLAGS', `-O2 -std=c++17 -DCLKS_PER_BIT=${CLKS_PER_BIT} -DVTOP=Vserial_link_tb -DVTOP_HEADER='"Vserial_link_tb.h"'`,
      '--Mdir', outDir, '-o', 'serial-link-tb', ...rtl, tb, main], { stdio: 'pipe' });
  }
  return bin;
}

interface Board { child: ChildProcess; link: string }

async function startBoard(link: string, extra: string[]): Promise<Board> {
  const child = spawn(testbench(), [link, ...extra], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the testbench exited ${code}`)));
  });
  return { child, link };
}

/** The host end of the link over the testbench's terminal, with everything it delivers kept. */
class Host {
  readonly records: Buffer[] = [];
  readonly orderChunks: Array<{ bytes: Buffer; end: boolean; dropped: boolean }> = [];
  readonly link: HostLink;
  private readonly port: SerialPort;
  private readonly timer: NodeJS.Timeout;

  constructor(path: string) {
    this.port = new SerialPort({ path, baudRate: 3_000_000, autoOpen: false });
    this.link = new HostLink({
      write: (b) => this.port.write(b),
      onRecords: (r) => this.records.push(Buffer.from(r)),
      onOrderBytes: (bytes, end, dropped) => this.orderChunks.push({ bytes: Buffer.from(bytes), end, dropped }),
    });
    this.port.on('data', (d: Buffer) => this.link.receive(d));
    this.timer = setInterval(() => this.link.tick(), 5);
  }

  async open(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.port.open((e) => (e ? reject(e) : resolve())));
    await this.link.sync();
  }

  async until(what: () => boolean, ms = 120_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!what()) {
      if (Date.now() > deadline) throw new Error(`timed out; link counters ${JSON.stringify(this.link.counters)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}

interface Beat { data: string; keep: number; last: boolean }

const beatsOf = (bytes: Buffer, last: boolean): Beat[] => {
  const out: Beat[] = [];
  for (let at = 0; at < bytes.length; at += 8) {
    const chunk = bytes.subarray(at, at + 8);
    out.push({ data: chunk.toString('hex'), keep: (1 << chunk.length) - 1, last: last && at + 8 >= bytes.length });
  }
  if (bytes.length === 0 && last) out.push({ data: '', keep: 0, last: true });
  return out;
};

type Op =
  | { op: 'fix' | 'orders'; bytes: Buffer; end: boolean }
  | { op: 'feed'; bytes: Buffer }
  | { op: 'write'; addr: number; value: number }
  | { op: 'read'; addr: number };

const bytes = (max: number, min = 0) => fc.uint8Array({ minLength: min, maxLength: max, size: 'max' }).map((b) => Buffer.from(b));
// addresses inside the 16-word map mostly, some outside (SLVERR)
const addr = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 15 }).map((k) => 4 * k) }, { weight: 1, arbitrary: fc.integer({ min: 16, max: 1023 }).map((k) => 4 * k) });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('fix' as const), bytes: bytes(600), end: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('feed' as const), bytes: bytes(700, 1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('orders' as const), bytes: bytes(300), end: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('write' as const), addr, value: fc.integer({ min: 0, max: 0xffffffff }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('read' as const), addr }) },
);

/** What the core's ports must see for these sends (the link's rules, ARCHITECTURE.md "Serial board link"). */
function expected(ops: Op[]): { fix: Beat[]; feed: Beat[]; orders: Buffer; ends: Array<{ at: number; dropped: boolean }> } {
  const fix: Beat[] = [];
  const feed: Beat[] = [];
  const orders: Buffer[] = [];
  let orderBytes = 0;
  let frames = 0;
  const ends: Array<{ at: number; dropped: boolean }> = [];
  const max = SERIAL_LINK.maxPayload;
  for (const o of ops) {
    if (o.op === 'fix') {
      // a frame per maxPayload bytes, each flushed at its end; END (tlast) on the last
      let at = 0;
      do {
        const piece = o.bytes.subarray(at, at + max);
        at += piece.length;
        fix.push(...beatsOf(piece, o.end && at >= o.bytes.length));
      } while (at < o.bytes.length);
    } else if (o.op === 'feed') {
      feed.push(...beatsOf(o.bytes, true));
    } else if (o.op === 'orders') {
      orders.push(o.bytes);
      orderBytes += o.bytes.length;
      if (o.end) ends.push({ at: orderBytes, dropped: frames++ % 2 === 1 });
    }
  }
  return { fix, feed, orders: Buffer.concat(orders), ends };
}

function recordBeat(r: Buffer): { stream: number; n: number; beat: Beat } {
  const keep = r[8]!;
  const lanes = keep === 0 ? 0 : 32 - Math.clz32(keep);
  return { stream: r[10]!, n: r.readUInt32LE(12), beat: { data: r.subarray(0, lanes).toString('hex'), keep, last: r[9] === 1 } };
}

async function runOps(host: Host, ops: Op[]): Promise<number> {
  const regs = new Map<number, number>();
  for (const o of ops) {
    if (o.op === 'write') {
      const a = await host.link.writeRegister(o.addr, o.value);
      expect(a.resp, `write ${o.addr}`).toBe(o.addr < 64 ? 0 : 2);
      if (o.addr < 64) regs.set(o.addr, o.value >>> 0);
    } else if (o.op === 'read') {
      const a = await host.link.readRegister(o.addr);
      expect(a.resp, `read ${o.addr}`).toBe(o.addr < 64 ? 0 : 2);
      if (o.addr < 64 && regs.has(o.addr)) expect(a.value >>> 0).toBe(regs.get(o.addr));
    } else if (o.op === 'feed') {
      host.link.send('feed', o.bytes, true);
    } else {
      host.link.send(o.op as StreamKind, o.bytes, o.end);
    }
  }
  const want = expected(ops);
  await host.until(() => host.records.length >= want.fix.length + want.feed.length
    && host.orderChunks.reduce((n, c) => n + c.bytes.length, 0) >= want.orders.length
    && host.orderChunks.filter((c) => c.end).length >= want.ends.length);
  const got = host.records.map(recordBeat);
  expect(got.length, 'no beat beyond those sent').toBe(want.fix.length + want.feed.length);
  expect(got.map((g) => g.n), 'every beat once, in order').toEqual(got.map((_, i) => i));
  expect(got.filter((g) => g.stream === 0).map((g) => g.beat)).toEqual(want.fix);
  expect(got.filter((g) => g.stream === 1).map((g) => g.beat)).toEqual(want.feed);
  expect(Buffer.concat(host.orderChunks.map((c) => c.bytes)).equals(want.orders), 'order bytes echoed').toBe(true);
  let at = 0;
  const ends: Array<{ at: number; dropped: boolean }> = [];
  for (const c of host.orderChunks) {
    at += c.bytes.length;
    if (c.end) ends.push({ at, dropped: c.dropped });
  }
  expect(ends).toEqual(want.ends);
  return got.length + want.orders.length;
}

let work: string;
let clean: Board;
let noisy: Board;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'tickgate-serial-tb-'));
  clean = await startBoard(path.join(work, 'ttyCLEAN'), []);
  noisy = await startBoard(path.join(work, 'ttyNOISY'), ['--faults', '0.002', '--seed', '3']);
}, 180_000);

afterAll(async () => {
  for (const b of [clean, noisy]) if (b) b.child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe('serial shell (loopback testbench) against the link\'s rules', () => {
  it('a clean line: random sends and register accesses reach the ports as the rules say', async () => {
    for (const [k, ops] of fc.sample(fc.array(op, { minLength: 1, maxLength: 14 }), { numRuns: 4, seed: 11 }).entries()) {
      const host = new Host(clean.link);
      try {
        await host.open();
        expect(await runOps(host, ops), 'beats and order bytes went through').toBeGreaterThan(0);
        const board = await host.link.stats();
        const named = Object.fromEntries(SERIAL_LINK.counters.map((c, i) => [c, board[i] ?? 0])) as Record<LinkCounterName, number>;
        expect(named.rxCrcErrors + named.rxBadFrames + named.rxOverflows, `run ${k}: ${JSON.stringify(named)}`).toBe(0);
      } finally {
        await host.close();
      }
    }
  }, 240_000);

  it('a line that corrupts, drops and doubles bytes: the same, and the counters show the recoveries', async () => {
    let recovered = 0;
    for (const ops of fc.sample(fc.array(op, { minLength: 4, maxLength: 14 }), { numRuns: 3, seed: 12 })) {
      const host = new Host(noisy.link);
      try {
        await host.open();
        await runOps(host, ops);
        const board = await host.link.stats();
        const named = Object.fromEntries(SERIAL_LINK.counters.map((c, i) => [c, board[i] ?? 0])) as Record<LinkCounterName, number>;
        recovered += named.rxCrcErrors + named.rxBadFrames + host.link.counters.crcErrors + host.link.counters.badFrames;
        expect(named.rxOverflows, 'the host kept within the window').toBe(0);
      } finally {
        await host.close();
      }
    }
    expect(recovered).toBeGreaterThan(0);
  }, 300_000);
});
