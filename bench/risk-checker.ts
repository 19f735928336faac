// The risk checker (hdl/risk/risk_checker.v) alone in its Verilator testbench (test/rtl/risk_checker_tb.sv):
// orders given as the checker's input fields, pushed and decided as fast as the caller asks, up to one per
// cycle. The order path never feeds it that fast (its parser brings at most one order per 8 cycles); this is
// how the checker's own rate is measured (`npm run bench`) and tested (test/risk-checker.rtl.test.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../src/device/addon.js';
import { ERROR } from '../src/device/generated/layout.js';
import type { RiskLimits } from '../src/risk/config.js';

/** An order's fields as the gate hands them to the checker (first occurrence of each, decoded). */
export interface CheckerOrder {
  error: number;
  clOrdIDLength: number;          // 0: none
  named: boolean;
  /** The symbol's table index, when it is in the table. */
  index: number | null;
  side: 'buy' | 'sell' | null;
  qty: bigint | null;
  type: 0 | 1 | 2;                // neither, market, limit
  /** Limit price in 1/10,000, when valid. */
  price: bigint | null;
}

export interface CheckerDecision { cycle: number; reason: number; tokens: number; position: bigint; flags: number; qty: bigint; price: bigint; notional: bigint; index: number }

function testbench(): string {
  const root = packageRoot();
  const sources = ['hdl/risk/risk_checker.v', 'hdl/risk/token_bucket.v', 'hdl/common/sdp_ram.v', 'test/rtl/risk_checker_tb.sv'].map((f) => path.join(root, f));
  const outDir = path.join(root, 'build', 'tb', 'risk_checker');
  const bin = path.join(outDir, 'tb');
  if (!existsSync(bin) || sources.some((f) => statSync(f).mtimeMs > statSync(bin).mtimeMs)) {
    mkdirSync(outDir, { recursive: true });
    execFileSync('verilator', ['--binary', '--timing', '-Wno-fatal', '-I' + path.join(root, 'hdl', 'generated'), '--top-module', 'risk_checker_tb',
      ...sources, '-Mdir', outDir, '-o', 'tb'], { stdio: 'pipe' });
  }
  return bin;
}

const bits = (v: bigint | number | boolean, width: number) => BigInt(typeof v === 'boolean' ? Number(v) : v) & ((1n << BigInt(width)) - 1n);
const pack = (fields: Array<[bigint | number | boolean, number]>) => fields.reduce((v, [value, width]) => (v << BigInt(width)) | bits(value, width), 0n);

/** The testbench's order word (see test/rtl/risk_checker_tb.sv). */
function orderHex(o: CheckerOrder): string {
  return pack([
    [0, 1], [o.error, 8], [o.clOrdIDLength > 0, 1], [0, 16], [o.clOrdIDLength, 16],
    [o.named, 1], [o.index !== null, 1], [o.index ?? 0, 10], [o.side !== null, 1], [o.side !== 'buy', 1],
    [o.qty !== null, 1], [o.qty ?? 0n, 64], [o.type, 2], [o.price !== null, 1], [o.price ?? 0n, 48],
  ]).toString(16).padStart(44, '0');
}

/** A symbol's limits as the device holds them (hdl/csr/csr_regs.v's risk_limit_data). */
function limitsHex(l: RiskLimits['symbols'][number]): string {
  return pack([[l.maxPosition, 47], [l.collarBps, 20], [l.referencePrice, 48], [l.maxNotional, 63], [l.maxQty, 32]]).toString(16).padStart(53, '0');
}

/** Runs the orders through the checker, bank 0 holding `limits` (symbol k at index k), host reference prices. */
export function runChecker(limits: RiskLimits, orders: CheckerOrder[], opts: { seed: number; push?: number; decide?: number }): CheckerDecision[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickgate-checker-'));
  try {
    writeFileSync(path.join(dir, 'limits.hex'), limits.symbols.map(limitsHex).join('\n') + '\n');
    writeFileSync(path.join(dir, 'orders.hex'), orders.map(orderHex).join('\n') + '\n');
    const out = execFileSync(testbench(), [`+limits=${path.join(dir, 'limits.hex')}`, `+orders=${path.join(dir, 'orders.hex')}`, `+s=${limits.symbols.length}`,
      `+n=${orders.length}`, `+seed=${opts.seed}`, `+burst=${limits.burst}`, `+cpt=${limits.cyclesPerToken}`, `+kill=${Number(limits.killSwitch)}`,
      `+push=${opts.push ?? 100}`, `+decide=${opts.decide ?? 100}`], { encoding: 'utf8', stdio: 'pipe', maxBuffer: 256 << 20 });
    return [...out.matchAll(/^decision (\d+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)$/gm)].map((m) => ({
      cycle: Number(m[1]), reason: parseInt(m[2]!, 16), tokens: parseInt(m[3]!, 16), position: BigInt.asIntN(48, BigInt('0x' + m[4])),
      flags: parseInt(m[5]!, 16), qty: BigInt('0x' + m[6]), price: BigInt('0x' + m[7]), notional: BigInt('0x' + m[8]), index: parseInt(m[9]!, 16),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CheckerThroughput { orders: number; cycles: number; ordersPerCycle: number; maxDecisionSpacing: number; accepted: number }

/** Valid orders back to back on three symbols, alternating sides, pushed every cycle and decided as soon as
 *  ready: decisions per cycle from the first decision to the last. */
export function checkerThroughput(count: number): CheckerThroughput {
  const symbol = { maxQty: 1000n, maxNotional: 1n << 60n, referencePrice: 1_000_000n, collarBps: 1000n, maxPosition: 5000n };
  const limits: RiskLimits = { killSwitch: false, burst: 65_535, cyclesPerToken: 1, symbols: ['AAPL', 'XYZ', 'NVDA'].map((s, index) => ({ ...symbol, symbol: s, index })) };
  const orders: CheckerOrder[] = Array.from({ length: count }, (_, k) => ({
    error: ERROR.none, clOrdIDLength: 8, named: true, index: k % 3, side: k % 4 === 3 ? 'sell' : 'buy', qty: 100n, type: 2, price: 1_000_000n,
  }));
  const decisions = runChecker(limits, orders, { seed: 1 });
  const cycles = decisions.at(-1)!.cycle - decisions[0]!.cycle + 1;
  return {
    orders: decisions.length, cycles, ordersPerCycle: decisions.length / cycles,
    maxDecisionSpacing: Math.max(...decisions.slice(1).map((d, i) => d.cycle - decisions[i]!.cycle)),
    accepted: decisions.filter((d) => d.reason === 0).length,
  };
}
