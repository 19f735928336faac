// `decode fix --backend ref` end to end, in process: FIX.4.4 exchange traffic read in 1 MiB pieces, through
// the reference device, NDJSON lines out to a sink that takes them at once. Against it, in the same process,
// the path the command had before (referenceFixLines): an event object per field entry and frame from the
// device, the message put together by FixMessageAssembler, one JSON.stringify per line. The same bytes, so the ratio is the gain.
import { RefDevice } from '../src/device/ref-device.js';
import { decodeFixStream } from '../src/fix/decode.js';
import { referenceFixLines } from '../src/fix/message-assembler.js';
import { benchMessages } from './fix-parser.js';
import { median, pieces, repeat } from './stats.js';

export interface DecodeFixRates {
  messages: number;
  bytes: number;
  linesPerSecond: number;
  megabytesPerSecond: number;
  baselinePerSecond: number;
  runs: number;
}

export async function decodeFixRates(runs: number, count = 100_000): Promise<DecodeFixRates> {
  const wire = Buffer.concat(benchMessages(count));
  const lines = await repeat(runs, async () => {
    const device = new RefDevice();
    const out: Buffer[] = [];
    await decodeFixStream(device, pieces(wire), (b) => { out.push(Buffer.from(b)); });
    await device.close();
    return Buffer.concat(out);
  });
  const baseline = await repeat(runs, async () => {
    const device = new RefDevice();
    const text = await referenceFixLines(device, pieces(wire));
    await device.close();
    return Buffer.from(text);
  });
  if (!lines.result.equals(baseline.result)) throw new Error('decode fix: the line writer and the baseline printed different bytes');
  const printed = lines.result.toString('latin1').split('\n').length - 1;
  if (printed !== count) throw new Error(`decode fix printed ${printed} lines for ${count} messages`);
  const seconds = median(lines.seconds);
  return {
    messages: count, bytes: wire.length, linesPerSecond: count / seconds, megabytesPerSecond: wire.length / seconds / 1e6,
    baselinePerSecond: count / median(baseline.seconds), runs,
  };
}
