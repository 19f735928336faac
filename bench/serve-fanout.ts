// `tickgate serve` to 1, 10 and 100 WebSocket clients: a real serve process replays a generated day
// (--wait-clients N --exit-at-end, reference backend); the clients, in this process, count the events of each
// Batch from its framing and decode one event in 64 to read its hostTime, for the latency from the host
// publishing it to the client receiving it (same machine, same clock). The clients share this process, so
// with many of them their own reading is part of what is measured. And end to end on a live feed: from the
// exchange Timestamp a publisher stamps as it sends to the client receiving the message.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { packageRoot } from '../src/device/addon.js';
import { generateItchSession, moldPacketize, pcapFile } from '../src/itch/generator.js';
import { MoldPublisher } from '../src/itch/publisher.js';
import { ExchangeClock } from '../src/serve/exchange-clock.js';
import { eventSchema } from '../src/serve/events.js';
import { percentile } from './stats.js';

export interface FanoutRate {
  clients: number;
  /** events delivered, summed over clients, per second (first receipt to last) */
  eventsPerSecond: number;
  perClientEventsPerSecond: number;
  latencyMs: { p50: number; p99: number; samples: number };
}

const SAMPLE_EVERY = 64;
const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;

/** Events in a Batch: its field-1 entries, each a tag byte, a varint length and the Event. */
function* batchEvents(b: Buffer): Generator<Buffer> {
  let at = 0;
  while (at < b.length) {
    at++;   // tag 0x0a
    let len = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = b[at++]!;
      len += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    yield b.subarray(at, at + len);
    at += len;
  }
}

/** `expected`: events each client must receive (undefined: not known yet, the first run learns it). */
async function fanout(dir: string, clients: number, expected: number | undefined): Promise<FanoutRate & { perClient: number }> {
  const serve = await startServe(dir, ['--wait-clients', String(clients), '--exit-at-end']);
  const { url, exit } = serve;
  const { Event, Subscribe } = eventSchema();
  let first = 0;
  let last = 0;
  let delivered = 0;
  const latencies: number[] = [];
  await Promise.all(Array.from({ length: clients }, () => new Promise<void>((resolve) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/stream`, { headers: { authorization: 'Bearer bench' } });
    let n = 0;
    ws.on('open', () => ws.send(Subscribe.encode(Subscribe.create({})).finish()));
    ws.on('message', (data: Buffer) => {
      const t = performance.now();
      first ||= t;
      last = t;
      for (const e of batchEvents(data)) {
        if (n++ % SAMPLE_EVERY === 0) {
          const sent = BigInt(String((Event.decode(e) as unknown as { hostTime: { toString(): string } }).hostTime));
          latencies.push(Number(nowNs() - sent) / 1e6);
        }
      }
    });
    ws.on('close', () => { delivered += n; resolve(); });
    ws.on('error', () => undefined);
  })));
  await exit;
  if (expected !== undefined && delivered !== expected * clients) throw new Error(`serve fan-out: ${delivered} events delivered, ${expected * clients} expected`);
  const seconds = (last - first) / 1000;
  return {
    perClient: delivered / clients, clients, eventsPerSecond: delivered / seconds, perClientEventsPerSecond: delivered / clients / seconds,
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), samples: latencies.length },
  };
}

/** Starts `tickgate serve` (reference backend) in `dir`; resolves with its URL once it listens. */
async function startServe(dir: string, args: string[]): Promise<{ url: string; exit: Promise<number | null>; kill(): void }> {
  const serve = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'tickgate.js'), 'serve', '--config', 'serve.yaml', '--backend', 'ref', ...args],
    { cwd: dir, env: { ...process.env, TICKGATE_TOKENS: 'bench' }, stdio: ['ignore', 'pipe', 'ignore'] });
  const exit = new Promise<number | null>((resolve) => serve.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    serve.stdout!.on('data', (d: Buffer) => { const m = /listening (\S+)/.exec(String(d)); if (m) resolve(m[1]!); });
    void exit.then((code) => reject(new Error(`serve exited (${code})`)));
  });
  return { url, exit, kill: () => serve.kill('SIGTERM') };
}

export interface EndToEndLatency {
  messages: number;
  messagesPerSecond: number;
  /** from the message's exchange Timestamp, stamped as the publisher sends it, to the client receiving it */
  latencyMs: { p50: number; p99: number; max: number; samples: number };
}

/** End to end, as a lab sees a live feed: a MoldUDP64 publisher on loopback multicast stamps each packet's
 *  messages with the exchange clock as it sends them, at `rate` messages per second; `tickgate serve` takes
 *  the group through the device (reference backend) to one WebSocket client in this process, which reads
 *  every ITCH message's Timestamp against the same clock. */
export async function serveEndToEndLatency(messages = 40_000, rate = 20_000, warmUp = 20_000): Promise<EndToEndLatency> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickgate-e2e-'));
  const udp = await new Promise<number>((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.bind(0, '127.0.0.1', () => { const p = sock.address().port; sock.close(() => resolve(p)); });
  });
  const publisher = new MoldPublisher({ session: 'E2E0000001', group: '239.255.43.1', port: udp });
  try {
    await publisher.start();
    writeFileSync(path.join(dir, 'serve.yaml'), `serve:\n  listen: 127.0.0.1:0\nfeed:\n  listen: 239.255.43.1:${udp}\n  timeZone: UTC\n`);
    const serve = await startServe(dir, ['--wait-clients', '1', '--exit-at-end']);
    const clock = new ExchangeClock('UTC');
    const { Event, Subscribe } = eventSchema();
    const latencies: number[] = [];
    let received = 0;
    const closed = new Promise<void>((resolve) => {
      const ws = new WebSocket(`${serve.url.replace(/^http/, 'ws')}/v1/stream`, { headers: { authorization: 'Bearer bench' } });
      ws.on('open', () => ws.send(Subscribe.encode(Subscribe.create({ kinds: ['itch'] })).finish()));
      ws.on('message', (data: Buffer) => {
        const now = clock.nowNs();
        for (const e of batchEvents(data)) {
          if (received++ < warmUp) continue;
          const itch = (Event.decode(e) as unknown as { itch: Record<string, { timestamp: number | { toNumber(): number } }> }).itch;
          const ts = Object.values(itch)[0]!.timestamp;
          latencies.push((now - (typeof ts === 'number' ? ts : ts.toNumber())) / 1e6);
        }
      });
      ws.on('close', () => resolve());
      ws.on('error', () => undefined);
    });
    await new Promise((r) => setTimeout(r, 300));   // subscribed, and serve has joined the group
    const day = generateItchSession({ seed: 13, symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA'], messages: warmUp + messages }).slice(0, warmUp + messages);
    const perTick = Math.max(1, Math.round(rate / 1000));
    const send = async (from: number, to: number) => {
      const start = performance.now();
      for (let i = from; i < to; i += perTick) {
        const due = start + ((i - from) / rate) * 1000;
        while (performance.now() < due) await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        const ns = Math.floor(clock.nowNs());
        publisher.publish(day.slice(i, Math.min(i + perTick, to)).map((m) => { const c = Buffer.from(m); c.writeUIntBE(ns, 5, 6); return c; }));
      }
      return (performance.now() - start) / 1000;
    };
    // the first messages find serve cold (its code not yet compiled) and queue up: sent, then a pause to
    // let them drain, and only the messages after it measured
    await send(0, warmUp);
    await new Promise((r) => setTimeout(r, 1000));
    const seconds = await send(warmUp, day.length);
    publisher.endSession();
    await closed;
    await serve.exit;
    if (received !== day.length) throw new Error(`end-to-end latency: ${received} messages received of ${day.length}`);
    return {
      messages, messagesPerSecond: messages / seconds,
      latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: Math.max(...latencies), samples: latencies.length },
    };
  } finally {
    publisher.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function serveFanoutRates(): Promise<{ messages: number; events: number; rates: FanoutRate[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickgate-fanout-'));
  try {
    const messages = generateItchSession({ seed: 12, symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA'], messages: 30_000 });
    writeFileSync(path.join(dir, 'day.pcap'), pcapFile(moldPacketize(messages, { session: 'FANOUT0001', firstSeq: 1 })));
    writeFileSync(path.join(dir, 'serve.yaml'), 'serve:\n  listen: 127.0.0.1:0\n  maxQueueBytes: 67108864\nfeed:\n  source: ./day.pcap\n');
    const rates: FanoutRate[] = [];
    let perClient: number | undefined;
    for (const n of [1, 10, 100]) {
      const { perClient: got, ...rate } = await fanout(dir, n, perClient);
      perClient ??= got;
      rates.push(rate);
    }
    return { messages: messages.length, events: perClient!, rates };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
