// FIX orders for the risk gate's tests: a NewOrderSingle (or G) with every field settable or left out.
import { buildMessage } from '../../src/fix/message.js';
import { riskLimits, riskSchema, type RiskLimits } from '../../src/risk/config.js';

/** The limits the hand-written cases are written against. */
export const LIMITS = {
  killSwitch: false, maxOrdersPerSecond: 1000, burst: 100,
  symbols: {
    AAPL: { maxQty: 1000, maxNotional: 500000, referencePrice: 190.00, collarBps: 500, maxPosition: 5000 },
    XYZ: { maxQty: 10000, maxNotional: '500000', referencePrice: '50', collarBps: 10000, maxPosition: 100000 },
  },
};
export const limits = (over: Record<string, unknown> = {}): RiskLimits => riskLimits(riskSchema.parse({ ...LIMITS, ...over }));

let seq = 1;
export interface O { id?: string | null; symbol?: string | null; side?: string | null; qty?: string | null; type?: string | null; price?: string | null; msgType?: string; pad?: number }
export function order(o: O): Buffer {
  const body: Array<[number, string]> = [[35, o.msgType ?? 'D'], [34, String(++seq)], [49, 'TW'], [52, '20261125-10:00:00.000'], [56, 'ISLD']];
  if (o.id !== null) body.push([11, o.id ?? `c${seq}`]);
  if (o.symbol !== null) body.push([55, o.symbol ?? 'AAPL']);
  if (o.side !== null) body.push([54, o.side ?? '1']);
  body.push([60, '20261125-10:00:00.000']);
  if (o.qty !== null) body.push([38, o.qty ?? '100']);
  if (o.type !== null) body.push([40, o.type ?? '2']);
  if (o.price !== null && (o.type ?? '2') !== '1') body.push([44, o.price ?? '190']);
  if (o.pad) {
    const without = buildMessage('FIX.4.4', body).length;
    body.push([58, 'x'.repeat(o.pad - without - 4)]);
  }
  return buildMessage('FIX.4.4', body);
}

