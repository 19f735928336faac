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
  /** --format proto, the same input */
  protoPerSecond: number;
  protoBytes: number;
  runs: number;
}

export async function decodeItchRates(runs: number): Promise<DecodeItchRates> {
  const messages = generateItchSession({ seed: 1, symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'META', 'GOOG', 'AMD'], messages: 300_000 });
  const packets = moldPacketize(messages, { session: 'BENCH00001', firstSeq: 1 });
  const capture = pcapFile(packets);
  // each run keeps the blocks it wrote, joined for the comparison after the timing
  const decode = (format: 'ndjson' | 'proto') => repeat(runs, async () => {
    const out: Uint8Array[] = [];
    await decodeItch({ backend: 'ref', symbols: undefined, format, input: pieces(capture), write: (b) => { out.push(typeof b === 'string' ? Buffer.from(b) : b); }, summary: () => {} });
    return out;
  });
  const lines = await decode('ndjson');
  const proto = await decode('proto');
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
    return out;
  });
  const text = Buffer.concat(lines.result);
  if (!text.equals(Buffer.concat(baseline.result))) throw new Error('decode itch: the line writer and the baseline printed different bytes');
  const count = text.toString('latin1').split('\n').length - 1;
  if (count !== messages.length) throw new Error(`decode itch printed ${count} lines for ${messages.length} messages`);
  return {
    messages: messages.length, captureBytes: capture.length,
    linesPerSecond: messages.length / median(lines.seconds), baselinePerSecond: messages.length / median(baseline.seconds),
    protoPerSecond: messages.length / median(proto.seconds), protoBytes: delimitedBytes(proto.result, messages.length), runs,
  };
}

/** The bytes of `expected` length-delimited Events in these blocks; throws if they hold another number. */
function delimitedBytes(blocks: Uint8Array[], expected: number): number {
  const b = Buffer.concat(blocks);
  let events = 0;
  for (let at = 0; at < b.length; events++) {
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = b[at++]!;
      length += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    at += length;
    if (at > b.length) throw new Error('decode itch --format proto: the last Event runs past the output');
  }
  if (events !== expected) throw new Error(`decode itch --format proto wrote ${events} Events for ${expected} messages`);
  return b.length;
}
