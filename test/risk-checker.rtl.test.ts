// hdl/risk/risk_checker.v alone, in a Verilator testbench (test/rtl/risk_checker_tb.sv), against the golden
// model (src/risk/ref-gate.ts): orders pushed one per cycle and decided one per cycle, which the order path
// itself never does (its parser brings at most one order per 8 cycles). Few symbols, so back-to-back orders
// of one symbol test the position forwarding between orders in flight; a fast small token bucket, so rate
// limits fall between them. The model gets the same orders as FIX messages and the testbench's decision
// cycles as its clock.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkerThroughput, runChecker, type CheckerDecision, type CheckerOrder } from '../bench/risk-checker.js';
import { ERROR, RISK_REASON } from '../src/device/generated/layout.js';
import { buildMessage } from '../src/fix/message.js';
import type { RiskLimits, SymbolLimits } from '../src/risk/config.js';
import { RiskGateModel } from '../src/risk/ref-gate.js';

const SYMBOLS = ['AAPL', 'XYZ', 'NVDA'];

/** An order as fields: each valid, broken or missing. */
interface Order {
  id: boolean;
  symbol: number | 'unknown' | 'missing';
  side: '1' | '2' | '5' | '6' | '3' | null;
  qty: bigint | 'fraction' | null;
  type: '1' | '2' | '3' | null;
  /** In 1/10,000. */
  price: bigint | null;
  badChecksum: boolean;
}

const order: fc.Arbitrary<Order> = fc.record({
  id: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  symbol: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: SYMBOLS.length - 1 }) }, { weight: 1, arbitrary: fc.constantFrom('unknown' as const, 'missing' as const) }),
  side: fc.oneof({ weight: 10, arbitrary: fc.constantFrom('1' as const, '2' as const) }, { weight: 1, arbitrary: fc.constantFrom('5' as const, '6' as const, '3' as const, null) }),
  qty: fc.oneof({ weight: 12, arbitrary: fc.bigInt({ min: 1n, max: 400n }) }, { weight: 1, arbitrary: fc.constantFrom(1n << 32n, 'fraction' as const, null) }),
  type: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('1' as const, '2' as const) }, { weight: 1, arbitrary: fc.constantFrom('3' as const, null) }),
  price: fc.option(fc.bigInt({ min: 1n, max: 3_000_000n }), { freq: 15 }),
  badChecksum: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

const symbolLimits: fc.Arbitrary<Omit<SymbolLimits, 'symbol' | 'index'>> = fc.record({
  maxQty: fc.bigInt({ min: 0n, max: 500n }),
  maxNotional: fc.bigInt({ min: 0n, max: 3_000_000n * 500n }),
  referencePrice: fc.bigInt({ min: 1n, max: 3_000_000n }),
  collarBps: fc.bigInt({ min: 0n, max: 20000n }),
  maxPosition: fc.bigInt({ min: 0n, max: 1500n }),
});

const priceText = (ticks: bigint) => `${ticks / 10000n}.${(ticks % 10000n).toString().padStart(4, '0')}`;

function fixMessage(o: Order, seq: number): Buffer {
  const body: Array<[number, string]> = [[35, 'D'], [34, String(seq)], [49, 'TW'], [52, '20261126-10:00:00.000'], [56, 'ISLD']];
  if (o.id) body.push([11, `c${seq}`]);
  if (o.symbol !== 'missing') body.push([55, o.symbol === 'unknown' ? 'MSFT' : SYMBOLS[o.symbol]!]);
  if (o.side !== null) body.push([54, o.side]);
  if (o.qty !== null) body.push([38, o.qty === 'fraction' ? '10.5' : String(o.qty)]);
  if (o.type !== null) body.push([40, o.type]);
  if (o.price !== null) body.push([44, priceText(o.price)]);
  const m = buildMessage('FIX.4.4', body);
  if (o.badChecksum) m[m.length - 2] = m[m.length - 2] === 0x30 ? 0x31 : 0x30;
  return m;
}

/** What the gate's capture makes of the order's fields. */
const checkerOrder = (o: Order, seq: number): CheckerOrder => ({
  error: o.badChecksum ? ERROR.bad_checksum : ERROR.none,
  clOrdIDLength: o.id ? `c${seq}`.length : 0,
  named: o.symbol !== 'missing',
  index: typeof o.symbol === 'number' ? o.symbol : null,
  side: o.side === '1' ? 'buy' : o.side === null || o.side === '3' ? null : 'sell',
  qty: typeof o.qty === 'bigint' ? o.qty : null,
  type: o.type === '1' ? 1 : o.type === '2' ? 2 : 0,
  price: o.price,
});

/** The golden model's verdicts for the same orders, decided at the testbench's cycles. */
function modelVerdicts(limits: RiskLimits, orders: Order[], times: number[]) {
  const gate = new RiskGateModel(limits);
  let next = 0;
  gate.clock = () => times[next++]!;
  return gate.push(Buffer.concat(orders.map((o, i) => fixMessage(o, i + 2)))).verdicts;
}

function expectModel(limits: RiskLimits, orders: Order[], decisions: CheckerDecision[]): void {
  const verdicts = modelVerdicts(limits, orders, decisions.map((d) => d.cycle));
  expect(verdicts).toHaveLength(orders.length);
  const rtl = decisions.map((d) => ({
    reason: d.reason, tokens: d.tokens, position: d.flags & 0x80 ? d.position : null, qty: d.flags & 0x10 ? d.qty : null,
    price: d.flags & 0x20 ? d.price : null, notional: d.flags & 0x40 ? d.notional : null, index: d.flags & 0x02 ? d.index : null,
  }));
  const model = verdicts.map((v) => ({
    reason: v.reason === null ? RISK_REASON.accepted : RISK_REASON[v.reason], tokens: v.tokens, position: v.position,
    qty: v.qty, price: v.price, notional: v.notional, index: v.symbolIndex,
  }));
  expect(rtl).toEqual(model);
}

const withIndexes = (l: Array<Omit<SymbolLimits, 'symbol' | 'index'>>, rate: { burst: number; cyclesPerToken: number }, killSwitch = false): RiskLimits => ({
  killSwitch, burst: rate.burst, cyclesPerToken: rate.cyclesPerToken, symbols: l.map((s, index) => ({ ...s, symbol: SYMBOLS[index]!, index })),
});

describe('risk checker RTL: one order per cycle', () => {
  it('decides back-to-back orders one per cycle, as the golden model does', () => {
    const generous = { maxQty: 1000n, maxNotional: 1n << 60n, referencePrice: 1_000_000n, collarBps: 20000n, maxPosition: 2000n };
    const limits = withIndexes([generous, generous, generous], { burst: 4, cyclesPerToken: 3 });
    // one symbol, alternating sides that walk the position up to its limit and back
    const orders: Order[] = Array.from({ length: 400 }, (_, i) => ({
      id: true, symbol: i % 7 === 0 ? 1 : 0, side: i % 3 === 2 ? '2' : '1', qty: 100n + BigInt(i % 5), type: '2', price: 1_000_000n, badChecksum: false,
    }));
    const decisions = runChecker(limits, orders.map((o, i) => checkerOrder(o, i + 2)), { seed: 1 });
    expectModel(limits, orders, decisions);
    // every cycle after the first two (limits read, products) decides an order
    const spacing = decisions.slice(1).map((d, i) => d.cycle - decisions[i]!.cycle);
    expect(Math.max(...spacing)).toBe(1);
    expect(decisions.at(-1)!.cycle - decisions[0]!.cycle).toBe(orders.length - 1);
    expect(decisions.filter((d) => d.reason === RISK_REASON.max_position).length).toBeGreaterThan(0);
    expect(decisions.filter((d) => d.reason === RISK_REASON.rate_limit).length).toBeGreaterThan(0);
  });

  it('the bench figure: 2,000 valid orders on three symbols, one decision every cycle', () => {
    const t = checkerThroughput(2000);
    expect(t).toMatchObject({ orders: 2000, cycles: 2000, ordersPerCycle: 1, maxDecisionSpacing: 1 });
    expect(t.accepted).toBeGreaterThan(1000);
  });

  it('fast-check: random orders and limits, pushed and decided at random rates up to one per cycle', () => {
    fc.assert(fc.property(
      fc.array(symbolLimits, { minLength: SYMBOLS.length, maxLength: SYMBOLS.length }),
      fc.record({ burst: fc.integer({ min: 1, max: 6 }), cyclesPerToken: fc.integer({ min: 1, max: 8 }) }),
      fc.array(order, { minLength: 1, maxLength: 120 }),
      fc.constantFrom(100, 100, 60), fc.constantFrom(100, 100, 50), fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), fc.integer({ min: 1, max: 1 << 30 }),
      (l, rate, orders, push, decide, kill, seed) => {
        const limits = withIndexes(l, rate, kill);
        expectModel(limits, orders, runChecker(limits, orders.map((o, i) => checkerOrder(o, i + 2)), { seed, push, decide }));
      },
    ), { numRuns: Number(process.env.FC_RUNS_CHECKER ?? 300), seed: Number(process.env.FC_SEED ?? 20261126) });
  });
});
