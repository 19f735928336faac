// `tickgate serve` as a user runs it: a capture through the device to WebSocket clients. Tokens are checked
// before the upgrade; a client that subscribed to everything receives, in device order and without loss,
// exactly what `decode itch` prints (as the JSON mapping of its events); a client subscribed to one symbol's
// books receives what the order books give for it; a client that stops reading is cut with 4008 while the
// others go on; --wait-clients holds the replay and --exit-at-end stops after the last event.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import dgram from 'node:dgram';
import { generateItchSession, moldPacketize, pcapFile, prng } from '../src/itch/generator.js';
import { MoldPublisher } from '../src/itch/publisher.js';
import { FeedDecoder } from '../src/itch/ref-decoder.js';
import { connect } from '../src/serve/client.js';
import { eventJson, eventSchema, ITCH_MEMBER } from '../src/serve/events.js';
import { ExchangeClock } from '../src/serve/exchange-clock.js';
import { OrderBooks } from '../src/serve/order-book.js';
import { tempDir } from './helpers/session.js';
import { debianPython } from './helpers/python.js';

const CLI = path.resolve(__dirname, '..', 'bin', 'tickgate.js');
const TOKENS = 'first-secret-token,second-secret-token';

interface Served { child: ChildProcess; url: string; exit: Promise<number | null>; stderr: () => string }

function serve(dir: string, args: string[], config = 'serve.yaml'): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config, '--backend', 'ref', ...args], {
    cwd: dir, env: { ...process.env, TICKGATE_TOKENS: TOKENS }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d; });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /^listening (\S+)$/m.exec(out);
      if (m) resolve({ child, url: m[1]!, exit, stderr: () => err });
    });
    void exit.then((code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)));
  });
}

function freeUdpPort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.bind(0, '127.0.0.1', () => { const p = sock.address().port; sock.close(() => resolve(p)); });
  });
}

function writeConfig(dir: string, capture: string, extra: string[] = []): void {
  writeFileSync(path.join(dir, 'serve.yaml'), ['serve:', '  listen: 127.0.0.1:0', '  bookDepth: 5', ...extra, 'feed:', `  source: ./${capture}`, ''].join('\n'));
}

/** A client: connects with a token, subscribes, and collects every event (as its JSON mapping) until closed. */
function client(url: string, token: string | undefined, subscribe: { kinds?: string[]; symbols?: string[] }, o: { viaQuery?: boolean; stall?: boolean } = {}) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/stream${o.viaQuery && token ? `?token=${token}` : ''}`,
    { headers: token && !o.viaQuery ? { authorization: `Bearer ${token}` } : {} });
  const events: Array<Record<string, unknown>> = [];
  const { Batch, Subscribe } = eventSchema();
  ws.on('open', () => {
    ws.send(Subscribe.encode(Subscribe.fromObject(subscribe)).finish());
    if (o.stall) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  });
  ws.on('message', (data: Buffer) => { events.push(...(eventJson(Batch, data).events as Array<Record<string, unknown>>)); });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on('error', () => undefined);
  });
  const refused = new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); }));
  return { ws, events, closed, refused };
}

describe('tickgate serve', () => {
  let dir: string;
  let messages: Buffer[];
  beforeAll(() => {
    dir = tempDir('tickgate-serve-');
    messages = generateItchSession({ seed: 21, symbols: ['AAPL', 'MSFT', 'NVDA'], messages: 20_000 });
    const packets = moldPacketize(messages, { session: 'SERVE00001', firstSeq: 1 });
    packets.splice(40, 1);   // a lost packet: a gap event
    writeFileSync(path.join(dir, 'day.pcap'), pcapFile(packets));
  });

  it('exits 2 naming the key when it cannot start: no token, no source, a bad key', async () => {
    const run = (env: Record<string, string>, config: string) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      writeFileSync(path.join(dir, 'bad.yaml'), config);
      execFile(process.execPath, [CLI, 'serve', '--config', 'bad.yaml', '--backend', 'ref'], { cwd: dir, env: { ...process.env, TICKGATE_TOKENS: '', ...env } },
        (err, _out, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? null : 0, stderr }));
    });
    const noToken = await run({}, 'serve:\n  listen: 127.0.0.1:0\nfeed:\n  source: ./day.pcap\n');
    expect(noToken).toEqual({ code: 2, stderr: expect.stringContaining('serve.tokensEnv: the environment variable TICKGATE_TOKENS holds no token') });
    const noSource = await run({ TICKGATE_TOKENS: 'x' }, 'serve:\n  listen: 127.0.0.1:0\nfeed:\n  source: ./missing.pcap\n');
    expect(noSource).toEqual({ code: 2, stderr: expect.stringContaining('feed.source: cannot read') });
    const inFile = await run({ TICKGATE_TOKENS: 'x' }, 'serve:\n  tokens: [abc]\nfeed:\n  source: ./day.pcap\n');
    expect(inFile).toEqual({ code: 2, stderr: expect.stringContaining('serve.tokens: tokens never sit in the config') });
    const depth = await run({ TICKGATE_TOKENS: 'x' }, 'serve:\n  bookDepth: 0\nfeed:\n  source: ./day.pcap\n');
    expect(depth).toEqual({ code: 2, stderr: expect.stringContaining('serve.bookDepth: must be from 1 to 100') });
    const both = await run({ TICKGATE_TOKENS: 'x' }, 'feed:\n  source: ./day.pcap\n  listen: 239.1.1.1:3000\n');
    expect(both).toEqual({ code: 2, stderr: expect.stringContaining('feed.source: give either source (a file) or listen (a multicast group:port)') });
    const stray = await run({ TICKGATE_TOKENS: 'x' }, 'feed:\n  source: ./day.pcap\n  retransmit: 127.0.0.1:4000\n');
    expect(stray).toEqual({ code: 2, stderr: expect.stringContaining('feed.retransmit: is for a live feed (listen)') });
    const zone = await run({ TICKGATE_TOKENS: 'x' }, 'feed:\n  listen: 239.1.1.1:3000\n  timeZone: Eastern\n');
    expect(zone).toEqual({ code: 2, stderr: expect.stringContaining('feed.timeZone: must be an IANA time zone name, e.g. America/New_York or UTC') });
  }, 60_000);

  it('closes a client whose Subscribe it cannot take with 1008 and the reason', async () => {
    writeConfig(dir, 'day.pcap');
    const s = await serve(dir, []);
    try {
      const unknownKind = client(s.url, 'first-secret-token', { kinds: ['itch', 'quotes'] });
      expect(await unknownKind.closed).toEqual({ code: 1008, reason: 'unknown kind "quotes": the kinds are itch, gap, error, book, fix, verdict, session' });
      const ws = new WebSocket(`${s.url.replace(/^http/, 'ws')}/v1/stream`, { headers: { authorization: 'Bearer first-secret-token' } });
      const text = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      ws.on('open', () => ws.send('subscribe me'));
      expect(await text).toEqual({ code: 1008, reason: 'send Subscribe as a binary message' });
      const garbage = new WebSocket(`${s.url.replace(/^http/, 'ws')}/v1/stream`, { headers: { authorization: 'Bearer first-secret-token' } });
      const bad = new Promise<{ code: number; reason: string }>((resolve) => garbage.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      garbage.on('open', () => garbage.send(Buffer.from([0xff, 0xff, 0xff])));
      const closed = await bad;
      expect(closed.code).toBe(1008);
      expect(closed.reason).toMatch(/^not a Subscribe message: /);
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exit).toBe(0);
  }, 60_000);

  it('refuses a missing or unknown token with 401 before the upgrade', async () => {
    writeConfig(dir, 'day.pcap');
    const s = await serve(dir, []);
    try {
      expect(await client(s.url, undefined, {}).refused).toBe(401);
      expect(await client(s.url, 'not-a-token', {}).refused).toBe(401);
      const res = await fetch(`${s.url}/v1/stream`, { headers: { authorization: 'Bearer first-secret-token' } });
      expect(res.status).toBe(426);
      expect(s.stderr()).not.toContain('secret');
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exit).toBe(0);
  }, 60_000);

  it('sends a subscriber everything decode itch prints, and another one its symbol\'s books', async () => {
    writeConfig(dir, 'day.pcap');
    const s = await serve(dir, ['--wait-clients', '2', '--exit-at-end']);
    const all = client(s.url, 'first-secret-token', {});
    const books = client(s.url, 'second-secret-token', { kinds: ['book'], symbols: ['AAPL'] }, { viaQuery: true });
    expect((await all.closed).code).toBe(1001);
    expect((await books.closed).code).toBe(1001);
    expect(await s.exit).toBe(0);

    const lines = await new Promise<string>((resolve, reject) => execFile(process.execPath, [CLI, 'decode', 'itch', '--backend', 'ref', path.join(dir, 'day.pcap')],
      { maxBuffer: 1 << 28 }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
    const expected = lines.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const feedEvents = all.events.filter((e) => e.book === null || e.book === undefined).filter((e) => !e.session);
    expect(feedEvents).toHaveLength(expected.length);
    expect(expected.some((l) => l.kind === 'gap')).toBe(true);
    feedEvents.forEach((e, i) => {
      const line = expected[i]!;
      const body = line.kind === 'itch' ? (e.itch as Record<string, Record<string, unknown>>)[ITCH_MEMBER.get(line.msgType as string)!]! : e[line.kind as string] as Record<string, unknown>;
      for (const [k, v] of Object.entries(line)) if (k !== 'kind') expect(String(body[k]), `${i}: ${k}`).toBe(String(v));
    });
    // record sequence numbers: the device's order, none lost or repeated
    const seqs = all.events.filter((e) => !e.book).map((e) => e.recordSeq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);

    // the book client: exactly the AAPL updates the order books give for the messages that arrived
    const decoder = new FeedDecoder();
    const ob = new OrderBooks(5);
    const want: unknown[] = [];
    for (const p of moldPacketize(messages, { session: 'SERVE00001', firstSeq: 1 }).filter((_, k) => k !== 40)) {
      for (const r of decoder.packet(p)) {
        if (r.kind !== 'itch') continue;
        for (const u of ob.apply(r.raw, r.seq)) if (u.stock === 'AAPL') want.push(JSON.parse(JSON.stringify({ ...u, seq: String(u.seq), timestamp: String(u.timestamp), bids: u.bids.map((l) => ({ ...l, price: String(l.price), shares: String(l.shares) })), asks: u.asks.map((l) => ({ ...l, price: String(l.price), shares: String(l.shares) })) })));
      }
    }
    expect(want.length).toBeGreaterThan(100);
    expect(books.events.map((e) => e.book)).toEqual(want);
  }, 120_000);

  it('gives the Python example (protoc-compiled schema) what it gives a TypeScript client', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'tickgate-py-'));
    execFileSync('protoc', [`--python_out=${out}`, '-I', path.resolve(__dirname, '..', 'proto'), 'tickgate.proto']);
    writeConfig(dir, 'day.pcap');
    const s = await serve(dir, ['--wait-clients', '2', '--exit-at-end']);
    const ts = client(s.url, 'second-secret-token', { kinds: ['itch', 'book', 'gap'], symbols: ['MSFT'] });
    const lines = await new Promise<string>((resolve, reject) => execFile(debianPython(), [path.resolve(__dirname, '..', 'examples', 'python', 'subscribe.py'),
      '--url', s.url, '--kinds', 'itch,book,gap', '--symbols', 'MSFT'], {
      env: { ...process.env, TICKGATE_TOKEN: 'first-secret-token', PYTHONPATH: out }, maxBuffer: 1 << 28,
    }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve(stdout))));
    await ts.closed;
    expect(await s.exit).toBe(0);
    const py = lines.trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(py.length).toBeGreaterThan(1000);
    expect(py).toEqual(ts.events);
  }, 120_000);

  it('serves a live multicast feed (feed.listen), gaps recovered from the retransmission server', async () => {
    const udp = await freeUdpPort();
    const random = prng(7);
    const publisher = new MoldPublisher({ session: 'LIVESERVE1', group: '239.255.42.7', port: udp, heartbeatMs: 20, drop: () => random() < 0.2 });
    await publisher.start();
    writeFileSync(path.join(dir, 'live.yaml'), ['serve:', '  listen: 127.0.0.1:0', 'feed:', `  listen: 239.255.42.7:${udp}`, `  retransmit: 127.0.0.1:${publisher.retransmitPort}`, ''].join('\n'));
    const served = await serve(dir, ['--wait-clients', '1', '--exit-at-end'], 'live.yaml');
    try {
      const c = client(served.url, 'first-secret-token', { kinds: ['itch', 'gap'] });
      await new Promise((r) => setTimeout(r, 500));   // subscribed, and the feed has joined the group
      const day = generateItchSession({ seed: 31, symbols: ['AAPL', 'MSFT'], messages: 2_000 });
      publisher.publish(day);
      publisher.endSession();
      expect(await served.exit).toBe(0);
      await c.closed;
      const seqs = c.events.map((e) => (e.gap ? 'gap' : Number((Object.values(e.itch as object)[0] as { seq: string }).seq)));
      expect(seqs).toEqual(day.map((_, i) => i + 1));
    } finally {
      served.child.kill('SIGTERM');
      publisher.close();
    }
  }, 60_000);

  it('measures a live feed from the exchange Timestamp (feed.timeZone) to the socket write', async () => {
    const udp = await freeUdpPort();
    const publisher = new MoldPublisher({ session: 'LATENCY001', group: '239.255.42.8', port: udp });
    await publisher.start();
    writeFileSync(path.join(dir, 'latency.yaml'), ['serve:', '  listen: 127.0.0.1:0', 'feed:', `  listen: 239.255.42.8:${udp}`, '  timeZone: Asia/Tokyo', ''].join('\n'));
    const served = await serve(dir, ['--wait-clients', '1'], 'latency.yaml');
    try {
      const c = client(served.url, 'first-secret-token', { kinds: ['itch'] });
      await new Promise((r) => setTimeout(r, 500));
      const tokyo = new ExchangeClock('Asia/Tokyo');
      const stamped = (messages: Buffer[], ns: number) => messages.map((m) => { const copy = Buffer.from(m); copy.writeUIntBE(ns, 5, 6); return copy; });
      const day = generateItchSession({ seed: 32, symbols: ['AAPL'], messages: 400 });
      // as an exchange stamps them: now, in the feed's zone; then a few stamped by a clock an hour ahead
      for (let i = 0; i < 300; i += 20) {
        publisher.publish(stamped(day.slice(i, i + 20), Math.floor(tokyo.nowNs())));
        await new Promise((r) => setTimeout(r, 5));
      }
      const ahead = Math.floor(tokyo.sinceMidnightNs(Date.now() + 3_600_000));
      await new Promise((r) => setTimeout(r, 100));
      publisher.publish(stamped(day.slice(300), ahead));
      const deadline = Date.now() + 20_000;
      while (c.events.length < day.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(c.events.length).toBe(day.length);
      const text = await (await fetch(`${served.url}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name.replace(/[{}"]/g, (ch) => `\\${ch}`)} (\\S+)$`, 'm').exec(text)?.[1]);
      const count = value('tickgate_feed_latency_seconds_count');
      expect(count).toBeGreaterThan(0);
      // loopback, one process: every batch within a second of its stamp (a wrong zone would be hours off)
      expect(value('tickgate_feed_latency_seconds_bucket{le="1"}')).toBe(count);
      expect(value('tickgate_feed_latency_seconds_sum') / count).toBeLessThan(0.5);
      expect(value('tickgate_feed_timestamps_ahead_total')).toBeGreaterThan(0);
    } finally {
      served.child.kill('SIGTERM');
      publisher.close();
    }
    expect(await served.exit).toBe(0);
  }, 60_000);

  it('serves over TLS when configured; a plain connection gets nothing', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    writeConfig(dir, 'day.pcap', ['  tls: { cert: ./cert.pem, key: ./key.pem }']);
    const s = await serve(dir, ['--wait-clients', '1']);
    try {
      expect(s.url).toMatch(/^https:/);
      const plain = client(s.url.replace(/^https/, 'http'), 'first-secret-token', {});
      expect((await plain.closed).code).toBe(1006);
      const c = await connect({ url: s.url, token: 'first-secret-token', kinds: ['itch'], ca: readFileSync(path.join(dir, 'cert.pem')) });
      const it = c[Symbol.asyncIterator]();
      const first = await it.next();
      expect(first.value).toMatchObject({ kind: 'itch', body: { systemEvent: { msgType: 'S', eventCode: 'O' } } });
      c.close();
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exit).toBe(0);
  }, 60_000);

  it('gives its figures and the device counters at /metrics; a later book subscriber gets every book first', async () => {
    writeConfig(dir, 'day.pcap');
    const s = await serve(dir, ['--wait-clients', '1']);
    try {
      const all = client(s.url, 'first-secret-token', {});
      let seen = -1;
      while (seen !== all.events.length) {
        seen = all.events.length;
        await new Promise((r) => setTimeout(r, 500));
      }
      const text = await (await fetch(`${s.url}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text)?.[1]);
      const itch = all.events.filter((e) => e.itch).length;
      expect(itch).toBeGreaterThan(19_000);
      expect(value('tickgate_feed_total{counter="messages"}')).toBe(itch);
      expect(value('tickgate_feed_total{counter="gaps"}')).toBe(1);
      expect(value('tickgate_events_sent_total')).toBe(all.events.length);
      expect(value('tickgate_clients')).toBe(1);
      expect(value('tickgate_publish_latency_seconds_count')).toBeGreaterThan(0);
      // a replayed capture's Timestamps are of its own day: no feed latency from them
      expect(value('tickgate_feed_latency_seconds_count')).toBe(0);
      expect(value('tickgate_book_updates_total')).toBe(all.events.filter((e) => e.book).length);
      // a client that subscribes to books now gets each book's state first: its last update
      const last = new Map<string, Record<string, unknown>>();
      for (const e of all.events) if (e.book) last.set((e.book as { stock: string }).stock, e);
      const withoutTime = (e: Record<string, unknown>) => ({ ...e, hostTime: undefined });
      const aapl = client(s.url, 'second-secret-token', { kinds: ['book'], symbols: ['AAPL'] });
      const books = client(s.url, 'second-secret-token', { kinds: ['itch', 'book'] });
      const deadline = Date.now() + 10_000;
      while ((aapl.events.length < 1 || books.events.length < last.size) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      expect(last.size).toBe(3);
      expect(aapl.events.map(withoutTime)).toEqual([withoutTime(last.get('AAPL')!)]);
      expect(books.events.map(withoutTime)).toEqual([...last.values()].map(withoutTime));
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exit).toBe(0);
  }, 60_000);

  it('cuts a client that stops reading with 4008; the others get everything', async () => {
    const big = tempDir('tickgate-serve-');
    const day = generateItchSession({ seed: 4, symbols: ['AAPL', 'MSFT'], messages: 150_000 });
    writeFileSync(path.join(big, 'big.pcap'), pcapFile(moldPacketize(day, { session: 'SERVE00002', firstSeq: 1 })));
    writeConfig(big, 'big.pcap', ['  maxQueueBytes: 65536']);
    const s = await serve(big, ['--wait-clients', '2']);
    const stalled = client(s.url, 'first-secret-token', {}, { stall: true });
    const reader = client(s.url, 'second-secret-token', { kinds: ['itch'] });
    const deadline = Date.now() + 120_000;
    while (reader.events.length < day.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(reader.events.length).toBe(day.length);
    // the stalled client reads again: what was sent before the cut, then the close
    (stalled.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const cut = await stalled.closed;
    expect(cut.code).toBe(4008);
    expect(stalled.events.length).toBeLessThan(day.length);
    s.child.kill('SIGTERM');
    expect((await reader.closed).code).toBe(1001);
    expect(await s.exit).toBe(0);
  }, 180_000);
});
