// `tickgate decode itch [--backend sim|ref] [--symbols A,B] <file|->`: a pcap capture, a MoldUDP64 packet
// stream or a NASDAQ BinaryFILE in, one NDJSON record per ITCH message (and per gap or error) out.
import type { BackendName } from '../device/index.js';
import { decodeFeed } from '../itch/input.js';
import { FeedDecoder, feedRecordJson } from '../itch/ref-decoder.js';
import { BackendUnavailableError } from './check.js';

export interface DecodeItchOptions {
  backend: BackendName;
  symbols: string[] | undefined;
  input: AsyncIterable<Uint8Array>;
  write: (text: string) => void | Promise<void>;
}

export async function decodeItch(o: DecodeItchOptions): Promise<void> {
  if (o.backend === 'sim') {
    throw new BackendUnavailableError('decode itch: the feed core is not in the RTL yet, so there is no sim backend for it; use --backend ref (the golden model)');
  }
  const chunks: Buffer[] = [];
  for await (const c of o.input) chunks.push(Buffer.from(c));
  const input = Buffer.concat(chunks);
  if (input.length === 0) return;
  const decoder = new FeedDecoder(o.symbols ? new Set(o.symbols) : undefined);
  const records = decodeFeed(input, decoder);
  for (let i = 0; i < records.length; i += 4096) {
    await o.write(records.slice(i, i + 4096).map(feedRecordJson).join('\n') + '\n');
  }
}
