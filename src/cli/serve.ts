// `tickgate serve --config <yaml> [--backend ...] [--wait-clients N] [--exit-at-end]` and `tickgate serve
// --demo` (DESIGN.md 3.7): the feed through the device, its events and books to WebSocket clients.
import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { chooseDevice, ConfigError, loadConfig } from '../config/config.js';
import { openDevice, type BackendName, type BoardOption } from '../device/index.js';
import { configureFeed, DeviceFeed } from '../itch/device-feed.js';
import { generateItchSession, moldPacketize, restampPacket } from '../itch/generator.js';
import { feedPacketBatches, noInputCounts } from '../itch/input.js';
import { LiveFeed } from '../itch/live.js';
import { NASDAQ_TIME_ZONE, serveSchema, type FeedConfig, type ServeConfig } from '../serve/config.js';
import { ExchangeClock } from '../serve/exchange-clock.js';
import { FeedPublisher } from '../serve/feed-publisher.js';
import { EventHub } from '../serve/hub.js';
import { JetStreamPublisher } from '../serve/jetstream.js';
import { serviceMetrics } from '../serve/metrics.js';
import { EventServer, TokenCheck } from '../serve/server.js';
import { fsReason } from '../util/fs-errors.js';

export interface ServeCommandOptions {
  configFile: string | undefined;
  demo: boolean;
  backend: BackendName | undefined;
  /** pcie: the device files' prefix, serial: the port (else the config's). */
  device?: string;
  baud?: number;
  boardFlag?: BoardOption['boardFlag'];
  waitClients: number;
  exitAtEnd: boolean;
}

/** Longest a replay keeps the event loop to itself. */
const YIELD_MS = 10;
/** The demo's replay speed when the config gives none: slow enough to watch. */
const DEMO_RATE = 20_000;
/** How long `--exit-at-end` waits for clients to take the last events. */
const DRAIN_MS = 30_000;
/** How long `--exit-at-end` waits for JetStream to acknowledge the last events (it may be restarting). */
const JETSTREAM_DRAIN_MS = 300_000;

function tokensFrom(serve: ServeConfig, demo: boolean): { tokens: string[]; generated: boolean } {
  const tokens = (process.env[serve.tokensEnv] ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (tokens.length) return { tokens, generated: false };
  if (demo) return { tokens: [randomBytes(16).toString('hex')], generated: true };
  throw new ConfigError(`serve.tokensEnv: the environment variable ${serve.tokensEnv} holds no token (comma-separated bearer tokens)`);
}

function readTls(serve: ServeConfig, baseDir: string): { cert: Buffer; key: Buffer } | undefined {
  if (!serve.tls) return undefined;
  const read = (key: 'cert' | 'key') => {
    const file = path.resolve(baseDir, serve.tls![key]);
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError(`serve.tls.${key}: cannot read ${file}: ${fsReason(err)}`);
    }
  };
  return { cert: read('cert'), key: read('key') };
}

/** Packets of the source, in order; the demo's are generated trading days, one session after another. */
async function* sourcePackets(feed: FeedConfig | undefined, baseDir: string, demo: boolean): AsyncGenerator<Buffer> {
  if (demo) {
    for (let day = 1; ; day++) {
      const messages = generateItchSession({ seed: day, symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'META', 'GOOG', 'AMD'], messages: 100_000 });
      yield* moldPacketize(messages, { session: `DEMO${String(day).padStart(6, '0')}`, firstSeq: 1 });
    }
  }
  const file = path.resolve(baseDir, feed!.source!);
  for await (const batch of feedPacketBatches(createReadStream(file, { highWaterMark: 1 << 20 }), noInputCounts())) yield* batch;
}

const splitHostPort = (v: string) => ({ host: v.slice(0, v.lastIndexOf(':')), port: Number(v.slice(v.lastIndexOf(':') + 1)) });

/** A live MoldUDP64 group into the device until its end of session (or SIGINT/SIGTERM); gaps recovered
 *  from feed.retransmit when given. A live feed cannot wait for anyone: a slow client is cut by bytes. */
async function serveLive(f: FeedConfig, sink: DeviceFeed, stopped: Promise<void>): Promise<void> {
  const { host: group, port } = splitHostPort(f.listen!);
  const live = new LiveFeed({ group, port, interface: f.interface ?? '127.0.0.1', retransmit: f.retransmit === undefined ? undefined : splitHostPort(f.retransmit), sink });
  try {
    await live.start();
  } catch (err) {
    live.close();
    throw new ConfigError(`feed.listen: cannot join ${f.listen}: ${(err as Error).message}`);
  }
  try {
    await Promise.race([live.ended, stopped]);
  } finally {
    live.close();
  }
}

const messagesIn = (p: Buffer) => (p.length >= 20 ? p.readUInt16BE(18) % 0xffff : 0);

export async function runServe(o: ServeCommandOptions): Promise<void> {
  const config = o.configFile === undefined ? undefined : loadConfig(o.configFile);
  const baseDir = config?.baseDir ?? process.cwd();
  const serve = config?.serve ?? serveSchema.parse({});
  if (!o.demo) {
    if (!config?.feed) throw new ConfigError(`${o.configFile}: feed: the section is missing (feed.source names the capture to serve, or feed.listen a multicast group)`);
    if (config.feed.source !== undefined) {
      const file = path.resolve(baseDir, config.feed.source);
      try {
        await access(file);
      } catch (err) {
        throw new ConfigError(`feed.source: cannot read ${file}: ${fsReason(err)}`);
      }
    }
  }
  const { tokens, generated } = tokensFrom(serve, o.demo);
  const tls = readTls(serve, baseDir);
  const { host, port } = splitHostPort(serve.listen);

  const device = openDevice(config ? chooseDevice(o, config.device) : { backend: o.backend ?? 'sim', device: o.device, baud: o.baud });
  try {
    configureFeed(device, config?.feed?.symbols);
  } catch (err) {
    await device.close();
    throw err;
  }
  let jetstream: JetStreamPublisher | undefined;
  if (serve.nats) {
    try {
      jetstream = await JetStreamPublisher.open(serve.nats.url, serve.nats.stream);
    } catch (err) {
      await device.close();
      throw new ConfigError(`serve.nats.url: cannot use JetStream at ${serve.nats.url}: ${(err as Error).message}`);
    }
  }
  const hub = new EventHub(serve.maxQueueBytes);
  if (jetstream) {
    const js = jetstream;
    hub.taps.push((encoded, kind, symbol) => js.publish(encoded, kind, symbol));
  }
  const publisher = new FeedPublisher(hub, serve.bookDepth);
  const feed = new DeviceFeed(device, publisher);
  const metrics = serviceMetrics(hub, device, publisher.books, jetstream);
  // a replayed capture's Timestamps are of its own day: the feed latency only for live and demo feeds
  const live = o.demo ? undefined : config?.feed?.listen;
  const clock = live !== undefined || o.demo ? new ExchangeClock(config?.feed?.timeZone ?? NASDAQ_TIME_ZONE) : undefined;
  hub.onBatchSent = (age, oldestTimestamp) => {
    metrics.publishLatency.observe(age);
    if (!clock || oldestTimestamp !== oldestTimestamp) return;
    const latency = (clock.nowNs() - oldestTimestamp) / 1e9;
    if (latency < 0) metrics.timestampsAhead.inc();
    else metrics.feedLatency.observe(latency);
  };
  const server = new EventServer({ host, port, tls, tokens: new TokenCheck(tokens), hub, metrics: metrics.registry });
  let url: string;
  try {
    url = await server.listen();
  } catch (err) {
    await feed.finish();
    await jetstream?.close();
    throw new ConfigError(`serve.listen: cannot listen on ${serve.listen}: ${(err as Error).message}`);
  }
  process.stdout.write(`listening ${url}\n`);
  if (generated) process.stderr.write(`tickgate serve: demo token ${tokens[0]} (set ${serve.tokensEnv} to choose your own)\n`);

  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => { stopping = true; resolve(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  try {
    if (o.waitClients > 0) await Promise.race([hub.whenSubscribed(o.waitClients), stopped]);
    if (live !== undefined && !stopping) await serveLive(config!.feed!, feed, stopped);
    const rate = config?.feed?.rate || (o.demo ? DEMO_RATE : 0);
    const start = Date.now();
    let sent = 0;
    let yielded = Date.now();
    for await (const p of live === undefined ? sourcePackets(config?.feed, baseDir, o.demo) : []) {
      if (stopping) break;
      // the device and the hub answer within the same turn, so a replay that is behind its rate would never
      // let the event loop read a request (/metrics, a new client, a Subscribe): give it a turn every 10 ms
      if (Date.now() - yielded > YIELD_MS) {
        await new Promise((r) => setImmediate(r));
        yielded = Date.now();
      }
      if (o.demo) restampPacket(p, clock!.nowNs());
      await feed.send(p);
      // a replay goes at the speed of the slowest client that keeps taking events, and of JetStream
      await hub.readyForMore();
      await jetstream?.readyForMore();
      sent += messagesIn(p);
      const ahead = rate > 0 ? start + (sent / rate) * 1000 - Date.now() : 0;
      if (ahead > 1) await Promise.race([new Promise((r) => setTimeout(r, ahead)), stopped]);
    }
    // every record of the replay is with the hub before it is asked to drain
    await feed.settled();
    if (!stopping) {
      if (o.exitAtEnd) {
        await hub.drained(DRAIN_MS);
        if (jetstream && !(await jetstream.drained(JETSTREAM_DRAIN_MS))) {
          process.stderr.write(`tickgate serve: JetStream still lacks ${jetstream.waiting} events after ${JETSTREAM_DRAIN_MS / 1000} s; stopping without them\n`);
        }
      } else {
        await stopped;
      }
    }
  } finally {
    await server.close();
    await feed.finish();
    await jetstream?.close();
    process.stderr.write(JSON.stringify({ kind: 'serve_summary', ...hub.counters, books: publisher.books.counters, jetstream: jetstream?.counters }) + '\n');
  }
}
