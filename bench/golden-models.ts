// The golden models on this machine: the ITCH/MoldUDP64 decoder (a generated trading day, as a pcap capture
// and as raw MoldUDP64; and the same day through the feed core in the threaded simulation, for comparison)
// and the risk gate (a stream of orders).
import { buildMessage } from '../src/fix/message.js';
import { generateItchSession, moldPacketize, pcapFile } from '../src/itch/generator.js';
import { decodeFeed } from '../src/itch/input.js';
import { FeedDecoder, type FeedRecord } from '../src/itch/ref-decoder.js';
import { SimDevice } from '../src/device/sim-device.js';
import { configureFeed, DeviceFeed } from '../src/itch/device-feed.js';
import { riskLimits, riskSchema } from '../src/risk/config.js';
import { RiskGateModel } from '../src/risk/ref-gate.js';
import { median, repeat } from './stats.js';

export interface GoldenModelRates {
  itch: { messages: number; pcapBytes: number; pcapMessagesPerSecond: number; moldMessagesPerSecond: number; simMessagesPerSecond: number };
  risk: { orders: number; ordersPerSecond: number };
  runs: number;
}

export async function goldenModelRates(runs: number): Promise<GoldenModelRates> {
  const messages = generateItchSession({ seed: 1, symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'META', 'GOOG', 'AMD'], messages: 200_000 });
  const packets = moldPacketize(messages, { session: 'BENCH00001', firstSeq: 1 });
  const pcap = pcapFile(packets, { vlan: 7 });
  const mold = Buffer.concat(packets);
  const check = (n: number) => { if (n !== messages.length) throw new Error(`decoded ${n} of ${messages.length} ITCH messages`); return n; };
  const itchCount = (records: FeedRecord[]) => records.filter((r) => r.kind === 'itch').length;
  const fromPcap = await repeat(runs, () => check(itchCount(decodeFeed(pcap, new FeedDecoder()))));
  const fromMold = await repeat(runs, () => check(itchCount(decodeFeed(mold, new FeedDecoder()))));
  const throughSim = await repeat(Math.min(runs, 3), async () => {
    const device = new SimDevice();
    configureFeed(device);
    let n = 0;
    const feed = new DeviceFeed(device, (r) => { if (r.kind === 'itch') n++; });
    for (const p of packets) await feed.send(p);
    await feed.finish();
    return check(n);
  });

  const symbols = ['AAPL', 'MSFT', 'NVDA', 'TSLA'];
  const limits = riskLimits(riskSchema.parse({
    maxOrdersPerSecond: 1e6, burst: 65535, clockHz: 250_000_000,
    symbols: Object.fromEntries(symbols.map((s) => [s, { maxQty: 5000, maxNotional: 1e6, referencePrice: 190, collarBps: 500, maxPosition: 1e6 }])),
  }));
  const orders = Array.from({ length: 50_000 }, (_, k) => buildMessage('FIX.4.4', [
    [35, 'D'], [34, String(k + 2)], [49, 'TW'], [52, '20261125-10:00:00.000'], [56, 'ISLD'], [11, `o${k}`], [55, symbols[k % 4]!],
    [54, k % 2 ? '1' : '2'], [60, '20261125-10:00:00.000'], [38, String(100 + (k % 50))], [40, '2'], [44, (185 + (k % 10)).toFixed(2)],
  ]));
  const stream = Buffer.concat(orders);
  const risk = await repeat(runs, () => new RiskGateModel(limits).push(stream).verdicts.length);
  return {
    itch: {
      messages: messages.length, pcapBytes: pcap.length,
      pcapMessagesPerSecond: messages.length / median(fromPcap.seconds), moldMessagesPerSecond: messages.length / median(fromMold.seconds),
      simMessagesPerSecond: messages.length / median(throughSim.seconds),
    },
    risk: { orders: orders.length, ordersPerSecond: orders.length / median(risk.seconds) },
    runs,
  };
}
