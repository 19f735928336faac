// The `risk:` section of the config (DESIGN.md 3.4) and its conversion to the integer units the gate
// works in: quantities in whole units, prices and notionals in 1/10,000 of the currency unit, time in cycles.
import { z } from 'zod';

/** Symbols the device's table holds. */
export const RISK_SYMBOL_CAPACITY = 1024;
/** Prices and notionals are held as integers of 1/10^PRICE_SCALE. */
export const PRICE_SCALE = 4;
const PRICE_ONE = 10n ** BigInt(PRICE_SCALE);

const SYMBOL = /^[\x21-\x7e]{1,8}$/;

/** A decimal (YAML number or string) with at most PRICE_SCALE places, as a scaled integer. */
const scaledDecimal = (what: string, max: bigint) => z.union([z.number(), z.string()]).transform((v, ctx) => {
  const text = typeof v === 'number' ? String(v) : v.trim();
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m || /e/i.test(text)) {
    ctx.addIssue({ code: 'custom', message: `must be a positive ${what} like 190.25, not "${text}"` });
    return z.NEVER;
  }
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > PRICE_SCALE) {
    ctx.addIssue({ code: 'custom', message: `has more than ${PRICE_SCALE} decimal places` });
    return z.NEVER;
  }
  const scaled = BigInt(m[1]!) * PRICE_ONE + BigInt(frac.padEnd(PRICE_SCALE, '0') || '0');
  if (scaled <= 0n || scaled > max) {
    ctx.addIssue({ code: 'custom', message: `must be above 0 and at most ${formatScaled(max)}` });
    return z.NEVER;
  }
  return scaled;
});

const wholeNumber = (min: number, max: number) => z.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const symbolLimits = z.strictObject({
  maxQty: wholeNumber(0, 0xffffffff),
  maxNotional: scaledDecimal('amount', (1n << 63n) - 1n),
  referencePrice: scaledDecimal('price', (1n << 48n) - 1n),
  collarBps: wholeNumber(0, 1_000_000),
  maxPosition: wholeNumber(0, 2 ** 47 - 1),
});

export const riskSchema = z.strictObject({
  killSwitch: z.boolean({ error: 'must be true or false' }).default(false),
  maxOrdersPerSecond: z.number().positive('must be above 0'),
  burst: wholeNumber(1, 65_535),
  /** The device clock, to turn maxOrdersPerSecond into cycles per token. */
  clockHz: wholeNumber(1_000, 2_000_000_000).default(250_000_000),
  /** Where reference prices come from: set by the host from this file, or the ITCH feed's last trade. */
  referencePriceSource: z.enum(['host', 'itch'], { error: 'must be "host" or "itch"' }).default('host'),
  /** How accepted orders leave: after their verdict (a rejected order's bytes never leave), or cut through
   *  (bytes leave as they arrive, the last beat at the verdict; a rejected order's frame is dropped
   *  with tuser, for the MAC to drop or poison). */
  egress: z.enum(['storeAndForward', 'cutThrough'], { error: 'must be "storeAndForward" or "cutThrough"' }).default('storeAndForward'),
  symbols: z.record(z.string(), symbolLimits).superRefine((symbols, ctx) => {
    const names = Object.keys(symbols);
    if (names.length > RISK_SYMBOL_CAPACITY) ctx.addIssue({ code: 'custom', message: `holds ${names.length} symbols; the device table holds ${RISK_SYMBOL_CAPACITY}` });
    for (const name of names) {
      if (!SYMBOL.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'a symbol is 1 to 8 printable ASCII characters' });
    }
  }),
}).superRefine((r, ctx) => {
  if (r.clockHz / r.maxOrdersPerSecond > 0xffffffff) {
    ctx.addIssue({ code: 'custom', path: ['maxOrdersPerSecond'], message: `is less than one order per 2^32 cycles at clockHz ${r.clockHz}` });
  }
  if (r.clockHz / r.maxOrdersPerSecond < 1) {
    ctx.addIssue({ code: 'custom', path: ['maxOrdersPerSecond'], message: `is more than one order per cycle at clockHz ${r.clockHz}` });
  }
});

export type RiskConfig = z.output<typeof riskSchema>;

export interface SymbolLimits {
  symbol: string;
  /** The symbol's index in the device's tables, when the caller assigns it (the reference device does). */
  index?: number;
  maxQty: bigint;
  /** In 1/10,000. */
  maxNotional: bigint;
  referencePrice: bigint;
  collarBps: bigint;
  maxPosition: bigint;
}

/** The limits in the gate's units, as the host programs them into the device. */
export interface RiskLimits {
  killSwitch: boolean;
  /** Reference prices are the feed's last trade (P, Q) of each symbol once there is one; the configured
   *  referencePrice until then. */
  referenceFromItch?: boolean;
  /** Order egress cut through rather than store and forward (the device's mode; the verdicts and the
   *  forwarded messages are the same either way). */
  cutThrough?: boolean;
  burst: number;
  cyclesPerToken: number;
  symbols: SymbolLimits[];
}

export function riskLimits(c: RiskConfig): RiskLimits {
  return {
    killSwitch: c.killSwitch,
    referenceFromItch: c.referencePriceSource === 'itch',
    cutThrough: c.egress === 'cutThrough',
    burst: c.burst,
    cyclesPerToken: Math.max(1, Math.round(c.clockHz / c.maxOrdersPerSecond)),
    symbols: Object.entries(c.symbols).map(([symbol, l]) => ({
      symbol,
      maxQty: BigInt(l.maxQty),
      maxNotional: l.maxNotional,
      referencePrice: l.referencePrice,
      collarBps: BigInt(l.collarBps),
      maxPosition: BigInt(l.maxPosition),
    })),
  };
}

export function formatScaled(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = a / PRICE_ONE;
  const frac = (a % PRICE_ONE).toString().padStart(PRICE_SCALE, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}
