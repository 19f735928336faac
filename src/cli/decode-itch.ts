// `tickgate decode itch [--backend sim|ref] [--symbols A,B] <file|->`: a pcap capture, a MoldUDP64 packet
// stream or a NASDAQ BinaryFILE in, one NDJSON record per ITCH message (and per gap or error) out.
import type { BackendName } from '../device/index.js';
import { decodeFeed } from '../itch/input.js';
import { LiveFeed } from '../itch/live.js';
import { FeedDecoder, feedRecordJson } from '../itch/ref-decoder.js';
import { BackendUnavailableError } from './check.js';

export interface DecodeItchOptions {
  backend: BackendName;
  symbols: string[] | undefined;
  input: AsyncIterable<Uint8Array>;
  write: (text: string) => void | Promise<void>;
}

export interface ListenItchOptions {
  backend: BackendName;
  symbols: string[] | undefined;
  group: string;
  port: number;
  interface: string;
  retransmit: { host: string; port: number } | undefined;
  write: (text: string) => void;
}

/** Live mode: prints records as they arrive until the end of the session (or SIGINT/SIGTERM). */
export async function listenItch(o: ListenItchOptions): Promise<void> {
  if (o.backend === 'sim') {
    throw new BackendUnavailableError('decode itch: the feed core is not in the RTL yet, so there is no sim backend for it; use --backend ref (the golden model)');
  }
  const feed = new LiveFeed({
    group: o.group, port: o.port, interface: o.interface, retransmit: o.retransmit,
    symbols: o.symbols ? new Set(o.symbols) : undefined, onRecord: (r) => o.write(feedRecordJson(r) + '\n'),
  });
  await feed.start();
  process.stderr.write(`tickgate decode itch: listening on ${o.group}:${o.port} (interface ${o.interface})${o.retransmit ? `, recovery from ${o.retransmit.host}:${o.retransmit.port}` : ''}\n`);
  const stopped = new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  await Promise.race([feed.ended, stopped]);
  feed.close();
  process.stderr.write(`tickgate decode itch: ${JSON.stringify({ ...feed.decoder.counters, recovery: feed.recovery?.counters })}\n`);
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
