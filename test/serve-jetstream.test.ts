// `tickgate serve` with `nats:` publishes every event to JetStream. Debian's nats-server runs on a free
// loopback port with JetStream in a temporary folder; it is killed (SIGKILL) in the middle of the replay and
// started again on the same folder and port: the stream must end with every event, in device order, once.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'nats';
import { describe, expect, it } from 'vitest';
import { generateItchSession, moldPacketize, pcapFile } from '../src/itch/generator.js';
import { FeedDecoder } from '../src/itch/ref-decoder.js';
import { eventSchema, EVENT_KINDS } from '../src/serve/events.js';
import { OrderBooks } from '../src/serve/order-book.js';
import { freePort, waitForPort } from './helpers/quickfix.js';
import { tempDir } from './helpers/session.js';

const CLI = path.resolve(__dirname, '..', 'bin', 'tickgate.js');

function natsServer(port: number, store: string): { child: ChildProcess; exit: Promise<unknown> } {
  const child = spawn('nats-server', ['-js', '-sd', store, '-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  return { child, exit: new Promise((resolve) => child.once('exit', resolve)) };
}

describe('tickgate serve to NATS JetStream', () => {
  it('ends with every event in order and none twice, though nats-server was killed mid-stream', async () => {
    execFileSync('nats-server', ['--version']);
    const dir = tempDir('tickgate-nats-');
    const port = await freePort();
    const messages = generateItchSession({ seed: 8, symbols: ['AAPL', 'MSFT'], messages: 6_000 });
    const packets = moldPacketize(messages, { session: 'NATS000001', firstSeq: 1 });
    writeFileSync(path.join(dir, 'day.pcap'), pcapFile(packets));
    writeFileSync(path.join(dir, 'serve.yaml'), ['serve:', '  listen: 127.0.0.1:0', `  nats: { url: "nats://127.0.0.1:${port}", stream: TICKTEST }`,
      'feed:', '  source: ./day.pcap', '  rate: 3000', ''].join('\n'));
    let nats = natsServer(port, path.join(dir, 'js'));
    await waitForPort(port);
    const serve = spawn(process.execPath, [CLI, 'serve', '--config', 'serve.yaml', '--backend', 'ref', '--exit-at-end'], {
      cwd: dir, env: { ...process.env, TICKGATE_TOKENS: 't' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    serve.stderr!.on('data', (d: Buffer) => { stderr += d; });
    const served = new Promise<number | null>((resolve) => serve.once('exit', resolve));
    const listening = new Promise<void>((resolve) => serve.stdout!.on('data', (d: Buffer) => { if (String(d).startsWith('listening')) resolve(); }));
    try {
      await Promise.race([listening, served]);
      await new Promise((r) => setTimeout(r, 500));
      nats.child.kill('SIGKILL');
      await nats.exit;
      await new Promise((r) => setTimeout(r, 500));
      nats = natsServer(port, path.join(dir, 'js'));
      expect(await served, stderr).toBe(0);
      // the kill hit the replay: publishes failed and were tried again
      const summary = JSON.parse(/^\{"kind":"serve_summary".*$/m.exec(stderr)![0]) as { jetstream: { published: number; retries: number } };
      expect(summary.jetstream.retries).toBeGreaterThan(0);

      // what the stream must hold: the feed's records and the book updates, in device order
      const decoder = new FeedDecoder();
      const books = new OrderBooks(10);
      const expected: string[] = [];
      for (const p of packets) {
        for (const r of decoder.packet(p)) {
          expected.push(r.kind === 'itch' ? `itch ${r.seq}` : r.kind);
          if (r.kind === 'itch') for (const u of books.apply(r.raw, r.seq)) expected.push(`book ${u.stock} ${u.seq}`);
        }
      }
      const nc = await connect({ servers: `nats://127.0.0.1:${port}` });
      try {
        const jsm = await nc.jetstreamManager();
        const info = await jsm.streams.info('TICKTEST');
        const { Event } = eventSchema();
        const got: string[] = [];
        const subjects = new Set<string>();
        for (let seq = 1; seq <= info.state.last_seq; seq++) {
          const m = await jsm.streams.getMessage('TICKTEST', { seq });
          subjects.add(m.subject);
          const e = Event.toObject(Event.decode(m.data), { longs: String }) as Record<string, Record<string, unknown>>;
          const kind = EVENT_KINDS.find((k) => e[k])!;
          if (kind === 'itch') got.push(`itch ${(Object.values(e.itch!)[0] as { seq: string }).seq}`);
          else if (kind === 'book') got.push(`book ${e.book!.stock} ${e.book!.seq}`);
          else got.push(kind);
        }
        expect(info.state.messages).toBe(expected.length);
        expect(got).toEqual(expected);
        expect(subjects).toContain('tickgate.itch.AAPL');
        expect(subjects).toContain('tickgate.book.MSFT');
        expect(subjects).toContain('tickgate.session._');
      } finally {
        await nc.close();
      }
    } finally {
      serve.kill('SIGKILL');
      nats.child.kill('SIGTERM');
      await nats.exit;
    }
  }, 180_000);
});
