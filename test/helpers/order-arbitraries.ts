// fast-check generators for the risk gate: orders with every field valid, at a boundary, broken, missing or
// repeated, in any field order; limits around them; and order streams mixed with other messages and the
// malformed spans of the FIX generators.
import fc from 'fast-check';
import { buildMessage } from '../../src/fix/message.js';
import { encodeItch, moldPacketize } from '../../src/itch/generator.js';
import type { RiskLimits, SymbolLimits } from '../../src/risk/config.js';
import { segment } from './fix-arbitraries.js';

export const TABLE_SYMBOLS = ['AAPL', 'XYZ', 'NVDA', 'A', 'ABCDEFGH'];
const STREAM_SYMBOLS = [...TABLE_SYMBOLS, 'MSFT', 'ABCDEFGHI', 'AAP', 'AA\0L', 'AAPL\0'];

const text = (min: number, max: number) => fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: min, maxLength: max });
const ticks = fc.bigInt({ min: 1n, max: 3_000_000n });

/** A decimal text of `t` ticks of 1/10,000 with 0..5 places (5 places: not a valid price). */
const priceText = fc.tuple(ticks, fc.integer({ min: 0, max: 5 })).map(([t, places]) => {
  if (places === 5) return `${t / 10000n}.${(t % 10000n).toString().padStart(4, '0')}1`;
  const whole = t / 10000n;
  const frac = (t % 10000n).toString().padStart(4, '0').slice(0, places);
  return places ? `${whole}.${frac}` : String(whole);
});

const field = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 24 });

export const orderMessage = fc.record({
  begin: fc.constantFrom('FIX.4.2', 'FIX.4.4', 'FIXT.1.1'),
  msgType: fc.constantFrom('D', 'D', 'D', 'G'),
  id: field(fc.oneof(text(1, 12), fc.constant(''))),
  symbol: field(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TABLE_SYMBOLS) }, { weight: 1, arbitrary: fc.constantFrom(...STREAM_SYMBOLS, '') })),
  side: field(fc.oneof({ weight: 6, arbitrary: fc.constantFrom('1', '2', '5', '6') }, { weight: 1, arbitrary: fc.constantFrom('3', '0', '12', '', 'B') })),
  qty: field(fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 3000 }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom('0', '10.5', '1O0', '4294967295', '4294967296', '99999999999999999999', '-5', '007', '1000', '1001') },
  )),
  type: field(fc.oneof({ weight: 6, arbitrary: fc.constantFrom('1', '2', '2') }, { weight: 1, arbitrary: fc.constantFrom('3', '', '02') })),
  price: field(fc.oneof({ weight: 6, arbitrary: priceText }, { weight: 1, arbitrary: fc.constantFrom('0', '28147497671.0656', '28147497671.0655', '-1', 'abc', '1e3') })),
  repeats: fc.array(fc.tuple(fc.constantFrom(11, 55, 54, 38, 40, 44), fc.constantFrom('', 'AAPL', '2', '5', '1', '999')), { maxLength: 2 }),
  shuffle: fc.array(fc.nat(), { maxLength: 8 }),
  pad: fc.nat({ max: 200 }),
}).map((o) => {
  const fields: Array<[number, string]> = [];
  if (o.id !== null) fields.push([11, o.id]);
  if (o.symbol !== null) fields.push([55, o.symbol]);
  if (o.side !== null) fields.push([54, o.side]);
  fields.push([60, '20261126-10:00:00.000']);
  if (o.qty !== null) fields.push([38, o.qty]);
  if (o.type !== null) fields.push([40, o.type]);
  if (o.price !== null) fields.push([44, o.price]);
  for (const [i, k] of o.shuffle.entries()) {
    const a = i % fields.length;
    const b = k % fields.length;
    [fields[a], fields[b]] = [fields[b]!, fields[a]!];
  }
  fields.push(...o.repeats);
  if (o.pad) fields.push([58, 'p'.repeat(o.pad)]);
  return buildMessage(o.begin, [[35, o.msgType], [34, '2'], [49, 'TW'], [52, '20261126-10:00:00.000'], [56, 'ISLD'], ...fields]);
});

const passThrough = fc.constantFrom('0', 'F', '8', 'AE').map((t) =>
  buildMessage('FIX.4.4', [[35, t], [34, '3'], [49, 'TW'], [52, '20261126-10:00:00.000'], [56, 'ISLD'], [11, 'p'], [55, 'AAPL']]));

const badChecksum = orderMessage.map((m) => Buffer.from(m.toString('latin1').replace(/10=\d{3}\x01$/, '10=000\x01'), 'latin1'));

/** One piece of an order stream. */
export const orderSegment = fc.oneof(
  { weight: 12, arbitrary: orderMessage },
  { weight: 2, arbitrary: passThrough },
  { weight: 1, arbitrary: badChecksum },
  { weight: 2, arbitrary: segment },
);

export const orderStream = fc.array(orderSegment, { minLength: 1, maxLength: 24 }).map((parts) => Buffer.concat(parts));

const symbolLimits = (symbol: string): fc.Arbitrary<SymbolLimits> => fc.record({
  maxQty: fc.bigInt({ min: 0n, max: 3000n }),
  maxNotional: fc.bigInt({ min: 0n, max: 3_000_000n * 3000n }),
  referencePrice: ticks,
  collarBps: fc.bigInt({ min: 0n, max: 20000n }),
  maxPosition: fc.bigInt({ min: 0n, max: 6000n }),
}).map((l) => ({ symbol, ...l }));

/** Limits over a random subset of the table symbols; the rate is the caller's. */
export const symbolSet = fc.subarray(TABLE_SYMBOLS).chain((names) => fc.tuple(...names.map(symbolLimits)));

export const rate = fc.record({ burst: fc.integer({ min: 1, max: 6 }), cyclesPerToken: fc.integer({ min: 1, max: 600 }) });

export function withRate(symbols: SymbolLimits[], r: { burst: number; cyclesPerToken: number }, killSwitch = false): RiskLimits {
  return { killSwitch, burst: r.burst, cyclesPerToken: r.cyclesPerToken, symbols };
}

/** Feed packets of trades (P, Q) of table symbols and others, at random prices, Stock space padded. */
export const tradePackets = fc.array(fc.tuple(fc.constantFrom('P', 'Q'), fc.constantFrom(...TABLE_SYMBOLS, 'MSFT', 'AAPLX'), ticks.map(Number)),
  { minLength: 1, maxLength: 12 }).chain((trades) => fc.integer({ min: 1, max: 1 << 20 }).map((firstSeq) => moldPacketize(
  trades.map(([type, stock, price]) => encodeItch(type, type === 'P'
    ? { stockLocate: 1, trackingNumber: 0, timestamp: 1, orderReferenceNumber: 1n, buySellIndicator: 'B', shares: 100, stock, price, matchNumber: 1n }
    : { stockLocate: 1, trackingNumber: 0, timestamp: 1, shares: 100n, stock, crossPrice: price, matchNumber: 1n, crossType: 'O' })),
  { session: 'TRADES0001', firstSeq, seed: firstSeq, messagesPerPacket: 4 })));

/** Limits whose reference prices may come from the feed's last trades. */
export function fromItch(l: RiskLimits, on: boolean): RiskLimits {
  return { ...l, referenceFromItch: on };
}
