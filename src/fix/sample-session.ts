// Realistic FIX traffic for demos, tests and benchmarks: a logon, then orders, execution reports and
// heartbeats between a buy side and an exchange, with deterministic content for a given seed.
import { buildMessage, type FieldList } from './message.js';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA', 'JPM'];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}

function sendingTime(ms: number): string {
  const d = new Date(Date.UTC(2026, 10, 25, 13, 30, 0) + ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}

export interface SampleOptions {
  messages: number;
  seed?: number;
  beginString?: string;
}

/** Messages as the exchange sends them: Logon, then execution reports with some heartbeats. */
export function sampleExchangeMessages({ messages, seed = 1, beginString = 'FIX.4.4' }: SampleOptions): Buffer[] {
  const rand = rng(seed);
  const out: Buffer[] = [];
  let seq = 1;
  const header = (msgType: string): FieldList => [
    [35, msgType], [34, String(seq++)], [49, 'ISLD'], [52, sendingTime(seq * 3)], [56, 'TW'],
  ];
  out.push(buildMessage(beginString, [...header('A'), [98, '0'], [108, '30']]));
  while (out.length < messages) {
    if (rand() < 0.05) {
      out.push(buildMessage(beginString, header('0')));
      continue;
    }
    const qty = 100 * (1 + Math.floor(rand() * 50));
    const filled = rand() < 0.5 ? qty : 100 * Math.floor(rand() * (qty / 100));
    const price = (50 + rand() * 400).toFixed(2);
    const id = 1_000_000 + out.length;
    out.push(buildMessage(beginString, [
      ...header('8'),
      [37, `O${id}`], [11, `C${id}`], [17, `E${id}`], [150, filled === qty ? 'F' : '1'],
      [39, filled === qty ? '2' : '1'], [55, SYMBOLS[Math.floor(rand() * SYMBOLS.length)]!],
      [54, rand() < 0.5 ? '1' : '2'], [38, String(qty)], [44, price], [32, String(filled)], [31, price],
      [151, String(qty - filled)], [14, String(filled)], [6, price], [60, sendingTime(seq * 3 + 1)],
    ]));
  }
  return out;
}
