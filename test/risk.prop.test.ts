// Property tests of the risk gate's golden model: random orders (good, at the limits, broken) mixed with
// session messages and junk, random limits, random chunking. An oracle written apart from the model
// (from the generator's order specs, decimals by string arithmetic) must name the same reason for every
// order; the forwarded bytes are exactly the accepted orders and the untouched messages; chunking changes
// nothing. The same harness takes the RTL gate once it exists.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMessage } from '../src/fix/message.js';
import { formatScaled, riskLimits, riskSchema } from '../src/risk/config.js';
import { RiskGateModel, type GateOutput, type RiskReason } from '../src/risk/ref-gate.js';

const RUNS = Number(process.env.FC_RUNS ?? 300);
const SEED = Number(process.env.FC_SEED ?? 20261125);

interface SymbolSpec { maxQty: number; maxNotional: string; referencePrice: string; collarBps: number; maxPosition: number }
interface OrderSpec { msgType: 'D' | 'G'; id: string | null; symbol: string | null; side: string | null; qty: string | null; ordType: string | null; price: string | null; corruptChecksum: boolean; qtyEdge: QtyEdge; priceEdge: PriceEdge }
type QtyEdge = 'none' | 'maxQty' | 'maxQty+1' | 'position' | 'position+1';
type PriceEdge = 'none' | 'collarHigh' | 'collarHigh+1' | 'collarLow' | 'collarLow-1' | 'notional' | 'notional+1';
type Item = { kind: 'order'; spec: OrderSpec } | { kind: 'heartbeat' } | { kind: 'junk'; text: string };

const NAMES = ['AAPL', 'MSFT', 'NVDA', 'X'];
const decimal = (maxWhole: number, maxPlaces: number) => fc.tuple(fc.integer({ min: 0, max: maxWhole }), fc.integer({ min: 0, max: maxPlaces }), fc.integer({ min: 0, max: 99999 }))
  .map(([w, p, f]) => (p === 0 ? String(w) : `${w}.${String(f).padStart(5, '0').slice(0, p)}`));

const symbolSpec: fc.Arbitrary<SymbolSpec> = fc.record({
  maxQty: fc.integer({ min: 0, max: 2000 }),
  maxNotional: decimal(400000, 2).filter((v) => Number(v) > 0),
  referencePrice: decimal(300, 4).filter((v) => Number(v) > 0),
  collarBps: fc.integer({ min: 0, max: 3000 }),
  maxPosition: fc.integer({ min: 0, max: 5000 }),
});

const orderSpec: fc.Arbitrary<OrderSpec> = fc.record({
  msgType: fc.constantFrom('D', 'G'),
  id: fc.oneof({ weight: 20, arbitrary: fc.string({ unit: fc.constantFrom(...'abcXYZ019-'), minLength: 1, maxLength: 12 }) }, { weight: 1, arbitrary: fc.constantFrom(null, '') }),
  symbol: fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...NAMES, 'GOOG', 'AAPLAAPLA') }, { weight: 1, arbitrary: fc.constantFrom(null, '') }),
  side: fc.oneof({ weight: 20, arbitrary: fc.constantFrom('1', '2', '5', '6') }, { weight: 1, arbitrary: fc.constantFrom(null, '3', '12', '') }),
  qty: fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 1, max: 2500 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom(null, '0', '10.5', '10.0', 'abc', '-5', '') }),
  ordType: fc.oneof({ weight: 20, arbitrary: fc.constantFrom('1', '2', '2', '2') }, { weight: 1, arbitrary: fc.constantFrom(null, '3', 'P') }),
  price: fc.oneof({ weight: 20, arbitrary: decimal(400, 4).filter((v) => Number(v) > 0) }, { weight: 1, arbitrary: fc.constantFrom(null, '0', '1.00001', '-3', 'x') }),
  corruptChecksum: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  // Values exactly at a limit of the order's symbol, or one unit or tick over it, resolved against the table
  qtyEdge: fc.constantFrom<QtyEdge>('none', 'none', 'maxQty', 'maxQty+1', 'position', 'position+1'),
  priceEdge: fc.constantFrom<PriceEdge>('none', 'none', 'collarHigh', 'collarHigh+1', 'collarLow', 'collarLow-1', 'notional', 'notional+1'),
});

/** The order with its edge values filled in from the symbol's limits and the current position. */
function resolveEdges(s: OrderSpec, table: Map<string, SymbolSpec>, positions: Map<string, bigint>): OrderSpec {
  const l = s.symbol ? table.get(s.symbol) : undefined;
  if (!l) return s;
  const r = { ...s };
  const side = s.side === '1' ? 1n : -1n;
  const pos = positions.get(s.symbol!) ?? 0n;
  if (s.qtyEdge === 'maxQty' || s.qtyEdge === 'maxQty+1') r.qty = String(BigInt(l.maxQty) + (s.qtyEdge === 'maxQty' ? 0n : 1n));
  if (s.qtyEdge === 'position' || s.qtyEdge === 'position+1') {
    const room = BigInt(l.maxPosition) - side * pos + (s.qtyEdge === 'position' ? 0n : 1n);
    if (room > 0n) r.qty = String(room);
  }
  const ref = ticks(l.referencePrice)!;
  const bps = BigInt(l.collarBps);
  let px: bigint | null = null;
  if (s.priceEdge === 'collarHigh' || s.priceEdge === 'collarHigh+1') px = (ref * (10000n + bps)) / 10000n + (s.priceEdge === 'collarHigh' ? 0n : 1n);
  if (s.priceEdge === 'collarLow' || s.priceEdge === 'collarLow-1') px = (ref * (10000n - bps) + 9999n) / 10000n - (s.priceEdge === 'collarLow' ? 0n : 1n);
  const qty = r.qty !== null && /^\d+$/.test(r.qty) ? BigInt(r.qty) : 0n;
  if ((s.priceEdge === 'notional' || s.priceEdge === 'notional+1') && qty > 0n) px = ticks(l.maxNotional)! / qty + (s.priceEdge === 'notional' ? 0n : 1n);
  if (px !== null && px > 0n) r.price = formatScaled(px);
  return r;
}

const item: fc.Arbitrary<Item> = fc.oneof(
  { weight: 10, arbitrary: orderSpec.map((spec) => ({ kind: 'order' as const, spec })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heartbeat' as const }) },
  { weight: 1, arbitrary: fc.constantFrom('junk\x01', 'x', '\x01\x01').map((text) => ({ kind: 'junk' as const, text })) },
);

function orderBytes(s: OrderSpec, seq: number): Buffer {
  const body: Array<[number, string]> = [[35, s.msgType], [34, String(seq)], [49, 'TW'], [52, '20261125-10:00:00.000'], [56, 'ISLD']];
  if (s.id !== null) body.push([11, s.id]);
  if (s.symbol !== null) body.push([55, s.symbol]);
  if (s.side !== null) body.push([54, s.side]);
  if (s.qty !== null) body.push([38, s.qty]);
  if (s.ordType !== null) body.push([40, s.ordType]);
  if (s.price !== null) body.push([44, s.price]);
  const m = buildMessage('FIX.4.4', body);
  return s.corruptChecksum ? Buffer.from(m.toString('latin1').replace(/10=(\d{3})\x01$/, (_, d: string) => `10=${String((Number(d) + 1) % 256).padStart(3, '0')}\x01`), 'latin1') : m;
}

/** Decimal text to an integer of 1/10,000, by string arithmetic; null when not a plain decimal with ≤ 4 places. */
function ticks(text: string): bigint | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m || (m[2] ?? '').length > 4) return null;
  return BigInt(m[1]! + (m[2] ?? '').padEnd(4, '0'));
}

/** The rules of src/risk/ref-gate.ts, again, from the order's spec. */
function oracle(s: OrderSpec, table: Map<string, SymbolSpec>, positions: Map<string, bigint>, killSwitch: boolean): { reason: RiskReason | null; delta: bigint } {
  const l = s.symbol ? table.get(s.symbol) : undefined;
  const qty = s.qty !== null && /^\d+$/.test(s.qty) && BigInt(s.qty) > 0n ? BigInt(s.qty) : null;
  const side = s.side === '1' ? 1n : s.side === '2' || s.side === '5' || s.side === '6' ? -1n : null;
  const type = s.ordType === '1' ? 'market' : s.ordType === '2' ? 'limit' : null;
  const limitPx = s.price !== null && ticks(s.price) !== null && ticks(s.price)! > 0n ? ticks(s.price) : null;
  const ref = l ? ticks(l.referencePrice)! : null;
  const px = type === 'limit' ? limitPx : type === 'market' ? ref : null;
  const pos = s.symbol && l ? positions.get(s.symbol) ?? 0n : null;
  const abs = (v: bigint) => (v < 0n ? -v : v);
  const well = !s.corruptChecksum && !!s.id && !!s.symbol && side !== null && qty !== null && type !== null && (type === 'market' || limitPx !== null);
  let reason: RiskReason | null = null;
  if (killSwitch) reason = 'kill_switch';
  else if (s.corruptChecksum) reason = 'bad_order';
  else if (s.symbol && !l) reason = 'unknown_symbol';
  else if (l && qty !== null && qty > BigInt(l.maxQty)) reason = 'max_qty';
  else if (l && qty !== null && px !== null && qty * px > ticks(l.maxNotional)!) reason = 'max_notional';
  else if (l && type === 'limit' && limitPx !== null && abs(limitPx - ref!) * 10000n > BigInt(l.collarBps) * ref!) reason = 'price_collar';
  else if (l && qty !== null && side !== null && abs(pos! + side * qty) > BigInt(l.maxPosition)) reason = 'max_position';
  else if (!well) reason = 'bad_order';
  return { reason, delta: reason === null ? side! * qty! : 0n };
}

const chunked = (bytes: Buffer, cuts: number[]) => {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) { out.push(bytes.subarray(at, p)); at = p; }
  return out;
};

describe('risk gate golden model, properties', () => {
  it('agrees with the oracle on every order; forwards exactly the accepted orders and untouched messages; chunking changes nothing', () => {
    fc.assert(fc.property(
      fc.dictionary(fc.constantFrom(...NAMES), symbolSpec, { maxKeys: 4 }),
      fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      fc.array(item, { minLength: 1, maxLength: 40 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (symbols, killSwitch, items, cuts) => {
        const limits = riskLimits(riskSchema.parse({ killSwitch, maxOrdersPerSecond: 1, burst: 65535, clockHz: 1000, symbols }));
        const table = new Map(Object.entries(symbols));
        const positions = new Map<string, bigint>();
        const expectedReasons: Array<RiskReason | null> = [];
        const expectedForward: Buffer[] = [];
        const parts: Buffer[] = [];
        items.forEach((it, k) => {
          if (it.kind === 'order') {
            const spec = resolveEdges(it.spec, table, positions);
            const bytes = orderBytes(spec, k + 2);
            parts.push(bytes);
            const { reason, delta } = oracle(spec, table, positions, killSwitch);
            expectedReasons.push(reason);
            if (reason === null) {
              positions.set(spec.symbol!, (positions.get(spec.symbol!) ?? 0n) + delta);
              expectedForward.push(bytes);
            }
          } else if (it.kind === 'heartbeat') {
            const hb = buildMessage('FIX.4.4', [[35, '0'], [34, String(k + 2)], [49, 'TW'], [52, '20261125-10:00:00.000'], [56, 'ISLD']]);
            parts.push(hb);
            expectedForward.push(hb);
          } else {
            parts.push(Buffer.from(it.text, 'latin1'));
            // junk between messages is one garbled span, reported when the next message starts or the stream ends
            if (k === 0 || items[k - 1]!.kind !== 'junk') expectedReasons.push('bad_order');
          }
        });
        const stream = Buffer.concat(parts);
        const whole = new RiskGateModel(limits);
        const a = whole.push(stream);
        whole.end(a);
        const pieces = new RiskGateModel(limits);
        const b: GateOutput = { verdicts: [], forwarded: [] };
        for (const c of chunked(stream, cuts)) pieces.push(c, b);
        pieces.end(b);
        expect(b).toEqual(a);
        expect(a.verdicts.map((v) => v.reason)).toEqual(expectedReasons);
        expect(Buffer.concat(a.forwarded)).toEqual(Buffer.concat(expectedForward));
        for (const [name, spec] of table) {
          const p = whole.position(name);
          expect(p < 0n ? -p : p).toBeLessThanOrEqual(BigInt(spec.maxPosition));
          expect(p).toBe(positions.get(name) ?? 0n);
        }
      },
    ), { numRuns: RUNS, seed: SEED });
  });
});
