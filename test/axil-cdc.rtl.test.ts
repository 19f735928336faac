// hdl/boards/xdma/axil_cdc.v, the XDMA shell's register crossing into the core's clock, on two unrelated clocks
// with a 20-cycle time-out (test/rtl/axil_cdc_tb.sv): accesses the core's bus answers, one it never answers
// (SLVERR exactly TIMEOUT + 1 cycles after the handshake, one time-out pulse), the next answered at once with
// SLVERR because the bus is marked dead, and after a reset of both sides the bus answers again.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const rtl = ['boards/xdma/axil_cdc.v', 'boards/xdma/axil_forward.v'].map((f) => path.join(root, 'hdl', f));
const tb = path.join(root, 'test', 'rtl', 'axil_cdc_tb.sv');
const outDir = path.join(root, 'build', 'tb', 'axil_cdc');
const bin = path.join(outDir, 'tb');
const TIMEOUT = 20;   // the testbench's
const OKAY = 0;
const SLVERR = 2;

function testbench(): string {
  if (!existsSync(bin) || [...rtl, tb].some((f) => statSync(f).mtimeMs > statSync(bin).mtimeMs)) {
    mkdirSync(outDir, { recursive: true });
    execFileSync('verilator', ['--binary', '--timing', '-Wno-fatal', `-I${path.join(root, 'hdl', 'generated')}`, '--top-module', 'axil_cdc_tb', ...rtl, tb, '-Mdir', outDir, '-o', 'tb'], { stdio: 'pipe' });
  }
  return bin;
}

interface Access { k: number; kind: 'read' | 'write'; resp: number; data: number; cycles: number; timeouts: number }

function run(delays: number[], resetAfter: number): Access[] {
  const args = [`+accesses=${delays.length}`, `+reset_after=${resetAfter}`, ...delays.map((d, k) => `+delay${k}=${d}`)];
  const out = execFileSync(testbench(), args, { encoding: 'utf8' });
  return [...out.matchAll(/^access (\d+) (read|write) resp=(\d+) data=([0-9a-f]+) cycles=(\d+) timeouts=(\d+)$/gm)].map((m) => ({
    k: Number(m[1]), kind: m[2] as 'read' | 'write', resp: Number(m[3]), data: parseInt(m[4]!, 16), cycles: Number(m[5]), timeouts: Number(m[6]),
  }));
}

describe('axil_cdc: register accesses across the clocks, and the time-out of a bus that never answers', () => {
  it('answers, times out once, then answers at once with SLVERR until both sides are reset', () => {
    // delay 0: the core's bus never answers
    const a = run([3, 3, 0, 0, 2, 5], 3);
    expect(a.map((x) => x.k)).toEqual([0, 1, 2, 3, 4, 5]);
    // answered accesses: OKAY, a read's data is what the bus gave for its address
    for (const x of [a[0]!, a[1]!, a[4]!, a[5]!]) {
      expect(x.resp, `access ${x.k}`).toBe(OKAY);
      expect(x.cycles, `access ${x.k}`).toBeLessThan(TIMEOUT);
      if (x.kind === 'read') expect(x.data).toBe((0xa5a5a << 12 | (16 * x.k)) >>> 0);
    }
    expect(a[1]!.timeouts).toBe(0);
    // the bus never answers: SLVERR when the time-out runs out, exactly once
    expect(a[2]).toMatchObject({ resp: SLVERR, data: 0, cycles: TIMEOUT + 1, timeouts: 1 });
    // the bus is dead now: the next access is answered at once, with no further time-out
    expect(a[3]).toMatchObject({ resp: SLVERR, cycles: 0, timeouts: 1 });
    // after the reset the bus answers again and nothing more timed out
    expect(a[5]!.timeouts).toBe(1);
  });

  it('a slow bus within the time-out is not a time-out', () => {
    const a = run([12, 12], -1);
    expect(a.map((x) => [x.resp, x.timeouts])).toEqual([[OKAY, 0], [OKAY, 0]]);
  });
});
