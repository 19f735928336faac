// `tickgate decode itch [--backend sim|ref|pcie [--device <prefix>]] [--symbols A,B] [--line A=<group>:<port> ...]
// [--format ndjson|proto] <file|->`: a pcap capture, a MoldUDP64 packet stream or a NASDAQ BinaryFILE in, one
// NDJSON record per ITCH message (and per gap or error) out, or the same as length-delimited protobuf Events.
// Every backend runs the same path: a capture's frames whole into the device's wire-level feed ingress (other
// inputs as MoldUDP64 packets), the device's records back out.
import { openDevice, type BackendName, type BoardAddress } from '../device/index.js';
import {
  configureFeed, DEFAULT_HOLD_PACKETS, DeviceFeed, FeedConfigError, flushArbiter, readFeedCounters,
  type DeviceFeedOptions, type FeedIngress, type FeedRecordSink, type PrintableFeedRecord,
} from '../itch/device-feed.js';
import { FeedLineWriter } from '../itch/feed-lines.js';
import { feedPacketBatches, noInputCounts, type InputCounts } from '../itch/input.js';
import { LiveFeed } from '../itch/live.js';
import { feedRecordJson, type FeedCounters } from '../itch/ref-decoder.js';
import type { WireSubscription } from '../itch/ref-udp-rx.js';
import { DelimitedEventWriter } from '../serve/event-stream.js';

/** NDJSON lines go to the output in blocks of about this many bytes ... */
const BLOCK_BYTES = 256 * 1024;
/** ... and this many blocks wait for the output before the input is held back. */
const MAX_UNWRITTEN_BLOCKS = 4;

export interface DecodeItchOptions {
  backend: BackendName;
  /** pcie: the device files' prefix, serial: the port */
  device?: string;
  baud?: number;
  symbols: string[] | undefined;
  /** --line: the wire ingress's subscription table; none: every UDP stream of a capture is taken */
  lines?: readonly WireSubscription[];
  input: AsyncIterable<Uint8Array>;
  /** ndjson (the default): one line per record; proto: length-delimited tickgate.v1.Events */
  format?: 'ndjson' | 'proto';
  write: (text: string | Uint8Array) => void | Promise<void>;
  /** The summary line (DESIGN.md 3.3), once the input is done. */
  summary?: (line: string) => void;
}

/** The closing summary: what the input held and where every part of it went (a capture's frames are
 *  counted by the host as it reads them; what the device took, refused or passed over, by the device). */
export function summaryJson(input: InputCounts, device: FeedCounters): string {
  const errors = Object.values(device.errors).reduce((a, b) => a + b, 0);
  return JSON.stringify({
    kind: 'summary', frames: input.frames, packets: device.packets, messages: device.messages,
    duplicatePackets: device.duplicatePackets, duplicateMessages: device.duplicates, gaps: device.gaps, errors,
    otherTraffic: input.otherTraffic + device.otherTraffic,
    truncatedFrames: input.truncatedFrames + device.errors.truncated_frame + device.errors.ip_fragment,
  });
}

/** `--line A=<group>:<port>` (repeatable, lines A and B): one entry of the wire ingress's table. */
export function parseLine(value: string): WireSubscription {
  const m = /^([AaBb])=(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(value);
  const octets = m ? m.slice(2, 6).map(Number) : [];
  const port = m ? Number(m[6]) : 0;
  if (!m || octets.some((o) => o > 255) || port < 1 || port > 65535) {
    throw new FeedConfigError(`--line: "${value}" is not <A|B>=<group>:<port> (an IPv4 address and a UDP port from 1 to 65535)`);
  }
  const address = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  return { address, port, line: m[1]!.toUpperCase() === 'A' ? 0 : 1 };
}

export interface ListenItchOptions {
  backend: BackendName;
  /** pcie: the device files' prefix, serial: the port */
  device?: string;
  baud?: number;
  symbols: string[] | undefined;
  group: string;
  port: number;
  interface: string;
  retransmit: { host: string; port: number } | undefined;
  write: (text: string) => void;
}

function openFeedDevice(backend: BackendName, board: BoardAddress, symbols: string[] | undefined,
  out: ((r: PrintableFeedRecord) => void) | FeedRecordSink, ingress?: FeedIngress, options?: DeviceFeedOptions): DeviceFeed {
  const dev = openDevice({ backend, device: board.device, baud: board.baud });
  try {
    configureFeed(dev, symbols, ingress);
  } catch (err) {
    void dev.close();
    throw err;
  }
  return new DeviceFeed(dev, out, options);
}

/** Live mode: prints records as they arrive until the end of the session (or SIGINT/SIGTERM). */
export async function listenItch(o: ListenItchOptions): Promise<void> {
  const feed = openFeedDevice(o.backend, o, o.symbols, (r) => o.write(feedRecordJson(r) + '\n'));
  const live = new LiveFeed({ group: o.group, port: o.port, interface: o.interface, retransmit: o.retransmit, sink: feed });
  try {
    await live.start();
  } catch (err) {
    await feed.finish();
    throw err;
  }
  process.stderr.write(`tickgate decode itch: listening on ${o.group}:${o.port} (interface ${o.interface})${o.retransmit ? `, recovery from ${o.retransmit.host}:${o.retransmit.port}` : ''}\n`);
  const stopped = new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  await Promise.race([live.ended, stopped]);
  live.close();
  await feed.device.flush();
  const counters = readFeedCounters(feed.device);
  await feed.finish();
  process.stderr.write(`tickgate decode itch: ${JSON.stringify({ ...counters, missing: String(counters.missing), recovery: live.recovery?.counters })}\n`);
  const otherTraffic = live.counts.otherTraffic + (live.recovery?.counters.malformed ?? 0);
  process.stderr.write(summaryJson({ ...noInputCounts(), otherTraffic }, counters) + '\n');
}

export async function decodeItch(o: DecodeItchOptions): Promise<void> {
  const counts = noInputCounts();
  const lines = o.lines ?? [];
  const batches = feedPacketBatches(o.input, counts, { frames: true, table: lines.length > 0 });
  // the first batch decides the format, before the device is opened (a refused input opens nothing)
  const first = await batches.next();
  // a capture's frames go to the device whole (DESIGN.md 3.8); other inputs are MoldUDP64 packets already
  const capture = counts.format === 'pcap' || counts.format === 'pcapng';
  if (lines.length && !capture) throw new FeedConfigError('--line selects streams of a packet capture; this input is MoldUDP64 packets or a BinaryFILE');
  // lines A and B both given: the device arbitrates them, holding a few packets for the other line's copy
  const ab = lines.some((l) => l.line === 0) && lines.some((l) => l.line === 1);
  const ingress: FeedIngress = capture
    ? { kind: 'frames', lines, ...(ab ? { arbitration: { holdPackets: DEFAULT_HOLD_PACKETS } } : {}) }
    : { kind: 'packets' };
  const out = o.format === 'proto' ? new DelimitedEventWriter() : new FeedLineWriter(BLOCK_BYTES + 4096);
  let writing = Promise.resolve();
  let unwritten = 0;   // blocks of lines handed to o.write and not yet taken by it
  const flush = () => {
    if (!out.size) return;
    const block = out.take();
    unwritten++;
    writing = writing.then(() => o.write(block)).then(() => { unwritten--; });
  };
  const feed = openFeedDevice(o.backend, o, o.symbols, {
    push(records, at) {
      out.push(records, at);
      if (out.size >= BLOCK_BYTES) flush();
    },
  }, ingress, { wholeInput: true });
  // A damaged input stops the decode, but what came before it is printed first (as Wireshark shows the
  // packets before the damage), with the summary of it; then the error. An input refused before its first
  // frame (a link type tickgate cannot read) gets the error alone.
  let damage: unknown;
  let summary: string;
  try {
    try {
      for (let batch = first; !batch.done; batch = await batches.next()) {
        for (const p of batch.value) {
          await feed.send(p);
          // a slow reader of the output (a pipe) holds the input back, instead of the lines piling up here
          if (unwritten > MAX_UNWRITTEN_BLOCKS) await writing;
        }
      }
    } catch (err) {
      damage = err;
    }
    if (ab) await flushArbiter(feed.device);
    await feed.device.flush();
    summary = summaryJson(counts, readFeedCounters(feed.device));
  } finally {
    await feed.finish();
  }
  flush();
  await writing;
  if (damage === undefined || counts.frames > 0) (o.summary ?? ((line) => process.stderr.write(line + '\n')))(summary);
  if (damage !== undefined) throw damage;
}
