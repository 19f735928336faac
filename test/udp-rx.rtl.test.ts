// hdl/feed/udp_rx.v against its golden model (src/itch/ref-udp-rx.ts) in a Verilator testbench
// (test/rtl/udp_rx_tb.sv): random frames (VLAN stacks, IPv4 options, other protocols, addresses and ports,
// every malformation the rules name, truncation anywhere, Ethernet padding, garbage), with and without a
// subscription table, under random input gaps and output back-pressure; and back-to-back minimum-size frames
// at one beat a cycle.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WIRE_STATUS } from '../src/device/generated/layout.js';
import { generateItchSession, moldPacketize, udpFrame } from '../src/itch/generator.js';
import { receiveFrame, type WireSubscription } from '../src/itch/ref-udp-rx.js';
import { tempDir } from './helpers/session.js';
import { addressOf, flip, frameArb, GROUPS, makeFrame, PORTS, tableArb } from './helpers/wire-frames.js';

const root = path.resolve(__dirname, '..');
const rtl = [['common', 'axis_fifo.v'], ['feed', 'ones_sum_pipe.v'], ['feed', 'eth_strip.v'], ['feed', 'udp_parse.v'], ['feed', 'udp_deliver.v'], ['feed', 'udp_rx.v']]
  .map((f) => path.join(root, 'hdl', ...f));
const tb = path.join(root, 'test', 'rtl', 'udp_rx_tb.sv');
const outDir = path.join(root, 'build', 'tb', 'udp_rx');
const bin = path.join(outDir, 'tb');
const FC_RUNS = Number(process.env.FC_RUNS_FEED ?? 60);

function testbench(): string {
  const layout = path.join(root, 'hdl', 'generated', 'tickgate_layout.vh');
  if (!existsSync(bin) || [...rtl, tb, layout].some((f) => statSync(f).mtimeMs > statSync(bin).mtimeMs)) {
    mkdirSync(outDir, { recursive: true });
    execFileSync('verilator', ['--binary', '--timing', '-Wno-fatal', `-I${path.join(root, 'hdl', 'generated')}`, '--top-module', 'udp_rx_tb', ...rtl, tb, '-Mdir', outDir, '-o', 'tb'], { stdio: 'pipe' });
  }
  return bin;
}

const hex = (b: Buffer) => b.toString('hex');

/** Frames as beats: {tlast, tkeep, tdata} hex, byte k of a beat in tdata[8k +: 8]; lanes past tkeep hold 0xA5. */
function beats(frames: readonly Buffer[]): string[] {
  const out: string[] = [];
  for (const f of frames) {
    for (let at = 0; at < f.length; at += 8) {
      const chunk = f.subarray(at, Math.min(f.length, at + 8));
      const last = at + 8 >= f.length ? 1 : 0;
      out.push(`${last}${((1 << chunk.length) - 1).toString(16).padStart(2, '0')}${hex(Buffer.concat([chunk, Buffer.alloc(8 - chunk.length, 0xa5)]).reverse())}`);
    }
  }
  return out;
}

interface Expected { beats: string[]; others: number }

/** What the golden model says leaves the receive path, as the testbench's output beats. */
function expected(frames: readonly Buffer[], table: readonly WireSubscription[]): Expected {
  const out: string[] = [];
  let others = 0;
  const beat = (last: number, keep: number, user: number, data: Buffer) =>
    `${last}${keep.toString(16).padStart(2, '0')}${user.toString(16).padStart(2, '0')}${hex(Buffer.concat([data, Buffer.alloc(8 - data.length)]).reverse())}`;
  for (const f of frames) {
    const r = receiveFrame(f, table);
    if (r.kind === 'other') { others++; continue; }
    if (r.kind === 'refused') { out.push(beat(1, 0, WIRE_STATUS[r.status], Buffer.alloc(0))); continue; }
    const p = Buffer.from(r.payload);
    for (let at = 0; at < p.length; at += 8) {
      const chunk = p.subarray(at, Math.min(p.length, at + 8));
      out.push(beat(0, (1 << chunk.length) - 1, 0x10 | (r.line << 3), chunk));
    }
    out.push(beat(1, 0, 0x10 | (r.line << 3) | WIRE_STATUS[r.status], Buffer.alloc(0)));
  }
  return { beats: out, others };
}

function tableHex(table: readonly WireSubscription[]): string[] {
  return Array.from({ length: 16 }, (_, k) => {
    const t = table[k];
    return t ? `1${t.line}${t.port.toString(16).padStart(4, '0')}${(t.address >>> 0).toString(16).padStart(8, '0')}` : '0'.repeat(14);
  });
}

function run(frames: readonly Buffer[], table: readonly WireSubscription[], seed: number, rates = { valid: 80, ready: 70 }): string {
  const dir = tempDir('tickgate-udp-rx-');
  const stim = beats(frames);
  const exp = expected(frames, table);
  writeFileSync(path.join(dir, 'stim.hex'), stim.join('\n') + '\n');
  writeFileSync(path.join(dir, 'exp.hex'), exp.beats.join('\n') + '\n');
  writeFileSync(path.join(dir, 'table.hex'), tableHex(table).join('\n') + '\n');
  const args = [`+stim=${path.join(dir, 'stim.hex')}`, `+exp=${path.join(dir, 'exp.hex')}`, `+table=${path.join(dir, 'table.hex')}`,
    `+n=${stim.length}`, `+m=${exp.beats.length}`, `+others=${exp.others}`, `+seed=${seed}`, `+valid=${rates.valid}`, `+ready=${rates.ready}`];
  try {
    return execFileSync(testbench(), args, { encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`udp_rx_tb failed: ${e.stdout ?? ''}${e.stderr ?? ''}`.trim());
  }
}

// ---- random frames -------------------------------------------------------------------------------------------
describe('UDP receive path RTL (Ethernet, VLAN, IPv4, UDP)', () => {
  it('takes, refuses and drops random frames as the golden model does', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 40 }), tableArb, fc.integer({ min: 1, max: 1 << 30 }), (specs, table, seed) => {
        const frames = specs.map((s) => makeFrame(s));
        expect(run(frames, table, seed)).toMatch(/all match/);
      }),
      { numRuns: FC_RUNS },
    );
  }, 600_000);

  it('covers every status and other traffic in one fixed run', () => {
    const p = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
    const base = (o: Parameters<typeof udpFrame>[1] = {}) => udpFrame(p, { dst: GROUPS[0], dstPort: PORTS[0], udpChecksum: true, ...o });
    const frames = [
      base(), base({ tags: [[0x88a8, 5], [0x8100, 7]] }), base({ ipOptions: Buffer.alloc(8, 1) }), base({ fragment: 0x2000 }),
      base().subarray(0, 50), base().subarray(0, 30), flip(base(), 60, 1),
      flip(base(), 24, 1), udpFrame(p, { dst: GROUPS[1], dstPort: PORTS[0] }),
      udpFrame(Buffer.alloc(0), { dst: GROUPS[0], dstPort: PORTS[0], pad: true }), Buffer.alloc(12),
    ];
    const table = [{ address: addressOf(GROUPS[0]!), port: PORTS[0]!, line: 1 }];
    const statuses = frames.map((f) => receiveFrame(f, table)).map((r) => (r.kind === 'other' ? 'other' : r.status));
    expect(statuses).toEqual(['ok', 'ok', 'ok', 'fragment', 'truncated', 'truncated', 'udp_checksum', 'ip_checksum', 'other', 'ok', 'other']);
    expect(run(frames, table, 11)).toMatch(/all match/);
  });

  it('keeps up with back-to-back minimum-size frames and a generated trading day', () => {
    const day = generateItchSession({ seed: 4, symbols: ['AAPL', 'MSFT', 'NVDA'], messages: 800 });
    const packets = moldPacketize(day, { session: 'WIRE000001', firstSeq: 1, seed: 3 });
    const frames = packets.map((p, k) => udpFrame(p, { dst: GROUPS[k % 2], dstPort: PORTS[0], udpChecksum: k % 3 !== 0 }));
    const minimum = Array.from({ length: 200 }, (_, k) => udpFrame(Buffer.alloc(20, k), { dst: GROUPS[0], dstPort: PORTS[0], pad: true }));
    expect(minimum.every((f) => f.length === 62)).toBe(true);
    const table = [{ address: addressOf(GROUPS[0]!), port: PORTS[0]!, line: 0 }, { address: addressOf(GROUPS[1]!), port: PORTS[0]!, line: 1 }];
    expect(run([...frames, ...minimum], table, 5)).toMatch(/all match/);
    // always valid, always ready: one beat a cycle, so the cycles are the beats plus the pipeline's fill
    const out = run(minimum, table, 6, { valid: 100, ready: 100 });
    const [, inBeats, cycles] = /(\d+) beats in, .* (\d+) cycles/.exec(out) ?? [];
    expect(Number(cycles)).toBeLessThan(Number(inBeats) + 60);
  });

  it('behind a slow reader, with its queues full, loses and invents nothing', () => {
    // short frames (empty and one-byte payloads, refused frames) against an output that takes a beat in 1 of
    // 20 cycles: the parser waits on its queues' credits. The payload queue is the one that fills (its room
    // flag planted always true fails here; the status queue's does not, as in every other test of udp_rx)
    const table = [{ address: addressOf(GROUPS[0]!), port: PORTS[0]!, line: 0 }];
    const frames = Array.from({ length: 120 }, (_, k) => {
      const f = udpFrame(Buffer.alloc(k % 3 === 1 ? 1 : 0, k), { dst: GROUPS[0], dstPort: PORTS[0], pad: true });
      return k % 3 === 2 ? f.subarray(0, 30) : f;
    });
    expect(run(frames, table, 12, { valid: 100, ready: 5 })).toMatch(/all match/);
  });
});
