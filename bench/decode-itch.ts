// `decode itch --backend ref` end to end, in process: a generated day as a pcap capture read in 1 MiB pieces,
// through the reference device, NDJSON lines out to a sink that takes them at once. Against it, in the same
// process, the straightforward path the command had before (golden-model record objects from the device's
// records, one JSON.stringify per line, lines joined): the same bytes, so the ratio is the gain.
import { decodeItch } from '../src/cli/decode-itch.js';
import { RefDevice } from '../src/device/ref-device.js';
import { configureFeed, DeviceFeed } from '../src/itch/device-feed.js';
import { generateItchSession, moldPacketize, pcapFile } from '../src/itch/generator.js';
import { feedRecordJson } from '../src/itch/ref-decoder.js';
import { median, pieces, repeat } from './stats.js';

export interface DecodeItchRates {
  messages: number;
  captureBytes: number;
  linesPerSecond: number;
  baselinePerSecond: number;
  runs: number;
}

export async function decodeItchRates(runs: number): Promise<DecodeItchRates> {
  const messages = generateItchSession({ seed: 1, symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'META', 'GOOG', 'AMD'], messages: 300_000 });
  const packets = moldPacketize(messages, { session: 'BENCH00001', firstSeq: 1 });
  const capture = pcapFile(packets);
  const lines = await repeat(runs, async () => {
    const out: Uint8Array[] = [];
    await decodeItch({ backend: 'ref', symbols: undefined, input: pieces(capture), write: (b) => { out.push(typeof b === 'string' ? Buffer.from(b) : b); }, summary: () => {} });
    return Buffer.concat(out);
  });
  const baseline = await repeat(runs, async () => {
    const device = new RefDevice();
    configureFeed(device);
    let block: string[] = [];
    const out: Buffer[] = [];
    const feed = new DeviceFeed(device, (r) => {
      block.push(feedRecordJson(r));
      if (block.length >= 4096) { out.push(Buffer.from(block.join('\n') + '\n')); block = []; }
    });
    for (const p of packets) await feed.send(p);
    await feed.finish();
    if (block.length) out.push(Buffer.from(block.join('\n') + '\n'));
    return Buffer.concat(out);
  });
  if (!lines.result.equals(baseline.result)) throw new Error('decode itch: the line writer and the baseline printed different bytes');
  const count = lines.result.toString('latin1').split('\n').length - 1;
  if (count !== messages.length) throw new Error(`decode itch printed ${count} lines for ${messages.length} messages`);
  return {
    messages: messages.length, captureBytes: capture.length,
    linesPerSecond: messages.length / median(lines.seconds), baselinePerSecond: messages.length / median(baseline.seconds), runs,
  };
}
