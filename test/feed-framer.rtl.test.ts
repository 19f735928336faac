// hdl/feed/mold_framer.v against its golden model (src/itch/ref-framer.ts) in a Verilator testbench
// (test/rtl/mold_framer_tb.sv): generated trading days and adversarial packets (tiny and empty messages,
// several events in one beat, truncation anywhere, trailing bytes, short and empty packets, long
// messages), with random input gaps and output backpressure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateItchSession, moldHeader, moldPacketize } from '../src/itch/generator.js';
import { framePacket, MAX_MSG, type FramerEvent } from '../src/itch/ref-framer.js';
import { tempDir } from './helpers/session.js';

const root = path.resolve(__dirname, '..');
const rtl = [['common', 'carry_select_add.v'], ['feed', 'mold_cutter.v'], ['feed', 'mold_assembler.v'], ['feed', 'mold_framer.v']].map((f) => path.join(root, 'hdl', ...f));
const tb = path.join(root, 'test', 'rtl', 'mold_framer_tb.sv');
const outDir = path.join(root, 'build', 'tb', 'mold_framer');
const bin = path.join(outDir, 'tb');

function testbench(): string {
  if (!existsSync(bin) || [...rtl, tb].some((f) => statSync(f).mtimeMs > statSync(bin).mtimeMs)) {
    mkdirSync(outDir, { recursive: true });
    execFileSync('verilator', ['--binary', '--timing', '-Wno-fatal', '--top-module', 'mold_framer_tb', ...rtl, tb, '-Mdir', outDir, '-o', 'tb'], { stdio: 'pipe' });
  }
  return bin;
}

const hex = (b: Buffer) => b.toString('hex');
const bigHex = (v: bigint, bytes: number) => v.toString(16).padStart(bytes * 2, '0');

/** One expected event as the testbench reads it: 704 bits, see test/rtl/mold_framer_tb.sv. */
function eventHex(e: FramerEvent, last: boolean): string {
  const kind = e.kind === 'header' ? 0 : e.kind === 'message' ? 1 : 2;
  const error = e.kind === 'error' ? { short_packet: 1, truncated_packet: 2, trailing_bytes: 3 }[e.error] : 0;
  const count = e.kind === 'header' ? e.count : e.kind === 'error' ? e.trailing : 0;
  const length = e.kind === 'message' ? e.length : 0;
  const data = e.kind === 'message' ? Buffer.from(e.data).reverse() : Buffer.alloc(MAX_MSG);
  const top = (Number(last) << 4) | (kind << 2) | error; // bits 692..688 (the packet's last event, kind, error), above them padding
  return top.toString(16).padStart(3, '0') + hex(e.session) + bigHex(e.seq, 8) + bigHex(BigInt(count), 2) + bigHex(BigInt(length), 2) + hex(data);
}

/** Lanes past tkeep on a last beat: zeros, or bytes that read as a Message Count and a short length prefix
 *  (0, 1, 0, 1 ...), or a fixed pattern; the framer must not look at them. */
const padding = (packet: number, n: number) =>
  Buffer.from(Array.from({ length: n }, (_, k): number => [0, k & 1, 0xa5][packet % 3] ?? 0));

/** Packets as beats: {tlast, tkeep, tdata} hex, byte k of a beat in tdata[8k +: 8]. */
function beats(packets: Buffer[]): string[] {
  const out: string[] = [];
  for (const [i, p] of packets.entries()) {
    if (p.length === 0) { out.push('1' + '00' + '0'.repeat(16)); continue; }
    for (let at = 0; at < p.length; at += 8) {
      const chunk = p.subarray(at, Math.min(p.length, at + 8));
      const last = at + 8 >= p.length ? 1 : 0;
      const keep = (1 << chunk.length) - 1;
      out.push(`${last}${keep.toString(16).padStart(2, '0')}${hex(Buffer.concat([chunk, padding(i, 8 - chunk.length)]).reverse())}`);
    }
  }
  return out;
}

function runTestbench(packets: Buffer[], seed: number, rates: { valid: number; ready: number } = { valid: 80, ready: 70 }): string {
  const dir = tempDir('tickgate-tb-');
  const stim = beats(packets);
  const expected = packets.flatMap((p) => framePacket(p).map((e, i, all) => eventHex(e, i === all.length - 1)));
  writeFileSync(path.join(dir, 'stim.hex'), stim.join('\n') + '\n');
  writeFileSync(path.join(dir, 'exp.hex'), expected.join('\n') + '\n');
  return execFileSync(testbench(), [`+stim=${path.join(dir, 'stim.hex')}`, `+exp=${path.join(dir, 'exp.hex')}`, `+n=${stim.length}`, `+m=${expected.length}`, `+seed=${seed}`, `+valid=${rates.valid}`, `+ready=${rates.ready}`], { encoding: 'utf8', stdio: 'pipe' });
}

const packetOf = (session: string, seq: number, messages: Buffer[]) =>
  Buffer.concat([moldHeader(session, seq, messages.length), ...messages.flatMap((m) => [Buffer.from([m.length >> 8, m.length & 0xff]), m])]);

describe('MoldUDP64 framer RTL', () => {
  it('frames a generated trading day, heartbeats and end of session like the golden model', () => {
    const day = generateItchSession({ seed: 9, symbols: ['AAPL', 'MSFT'], messages: 1500 });
    const packets = [...moldPacketize(day, { session: 'DAY0000001', firstSeq: 1, seed: 2 }), moldHeader('DAY0000001', day.length + 1, 0), moldHeader('DAY0000001', day.length + 1, 0xffff)];
    expect(runTestbench(packets, 7)).toMatch(/all match/);
  });

  it('keeps line rate on a trading day: one beat per cycle, never held', () => {
    const day = generateItchSession({ seed: 10, symbols: ['AAPL', 'MSFT', 'NVDA'], messages: 3000 });
    const packets = moldPacketize(day, { session: 'DAY0000002', firstSeq: 1, seed: 4 });
    const out = runTestbench(packets, 1, { valid: 100, ready: 100 });
    const m = /(\d+) beats, (\d+) events, (\d+) cycles/.exec(out)!;
    // every beat taken in its cycle; the last event leaves a couple of cycles after the last beat
    expect(Number(m[3])).toBeLessThanOrEqual(Number(m[1]) + 3);
  });

  it('adversarial packets: tiny and empty messages, truncation anywhere, trailing bytes, short, empty and long', () => {
    const message = fc.oneof(
      { weight: 3, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 5 }) },
      { weight: 2, arbitrary: fc.uint8Array({ minLength: 6, maxLength: 50 }) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 60, maxLength: 90 }) },
    ).map((a) => Buffer.from(a));
    const packet = fc.tuple(fc.array(message, { maxLength: 8 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom('none', 'none', 'cut', 'trail', 'count', 'short'), fc.nat(), fc.constantFrom(0, 0xffff, -1))
      .map(([msgs, seq, mangle, at, special]) => {
        const p = packetOf('ADV' + String(at % 1000).padStart(7, '0'), 0, msgs);
        p.writeBigUInt64BE(seq, 10);
        if (special >= 0 && mangle === 'count') p.writeUInt16BE(special, 18);
        if (mangle === 'cut') return p.subarray(0, 20 + (at % Math.max(1, p.length - 20)));
        if (mangle === 'trail') return Buffer.concat([p, Buffer.alloc(1 + (at % 9), 0xab)]);
        if (mangle === 'short') return p.subarray(0, at % 20);
        return p;
      });
    fc.assert(fc.property(fc.array(packet, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 1 << 30 }), (packets, seed) => {
      expect(runTestbench(packets, seed)).toMatch(/all match/);
    }), { numRuns: Number(process.env.FC_RUNS_RTL ?? 40), seed: Number(process.env.FC_SEED ?? 20261125) });
  });
});
