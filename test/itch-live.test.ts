// Live feed over loopback multicast with a MoldUDP64 retransmission server: with random packet loss (of
// retransmissions too), every message arrives exactly once and in order. Also the CLI's live mode.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateItchSession, moldPacketize, prng } from '../src/itch/generator.js';
import { GoldenFeed } from '../src/itch/device-feed.js';
import { LiveFeed } from '../src/itch/live.js';
import { MoldPublisher } from '../src/itch/publisher.js';
import { FeedDecoder, feedLines, feedRecordJson, type FeedRecord } from '../src/itch/ref-decoder.js';

const CLI = path.resolve(__dirname, '..', 'bin', 'tickgate.js');
const GROUP = '239.255.42.1';

function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

/** What a lossless receiver prints for these messages. */
function expectedLines(messages: Buffer[], session: string): string[] {
  const d = new FeedDecoder();
  const out: FeedRecord[] = [];
  for (const p of moldPacketize(messages, { session, firstSeq: 1, seed: 1 })) d.packet(p, out);
  return feedLines(out);
}

describe('live feed with gap recovery', () => {
  it.each([0, 0.25])('loss %s: every message exactly once, in order, no gap left', async (loss) => {
    const messages = generateItchSession({ seed: 21, symbols: ['AAPL', 'MSFT', 'NVDA'], messages: 3000 });
    const port = await freeUdpPort();
    const random = prng(99);
    let sent = 0;
    // With loss, the very first packet is always lost: recovery must ask for the session from its start.
    const publisher = new MoldPublisher({ session: 'LIVE000001', group: GROUP, port, heartbeatMs: 20, drop: () => (sent++ === 0 && loss > 0) || random() < loss });
    await publisher.start();
    const lines: string[] = [];
    const feed = new LiveFeed({ group: GROUP, port, retransmit: { host: '127.0.0.1', port: publisher.retransmitPort }, sink: new GoldenFeed(undefined, (r) => lines.push(feedRecordJson(r))), retryMs: 30 });
    await feed.start();
    try {
      for (let i = 0; i < messages.length; i += 100) {
        publisher.publish(messages.slice(i, i + 100));
        await new Promise((r) => setTimeout(r, 2));
      }
      publisher.endSession();
      await Promise.race([feed.ended, new Promise((_, reject) => setTimeout(() => reject(new Error(`not complete: ${lines.length} of ${messages.length}`)), 20_000))]);
      expect(lines).toEqual(expectedLines(messages, 'LIVE000001'));
      if (loss > 0) {
        expect(feed.recovery!.counters.requests).toBeGreaterThan(0);
        expect(publisher.requestsServed).toBeGreaterThan(0);
      }
    } finally {
      feed.close();
      publisher.close();
    }
  });

  it.each(['sim', 'ref'])('tickgate decode itch --listen (%s) prints the records as they arrive and stops at the end of the session', async (backend) => {
    const messages = generateItchSession({ seed: 5, symbols: ['AAPL', 'MSFT'], messages: 200 });
    const port = await freeUdpPort();
    const random = prng(3);
    const publisher = new MoldPublisher({ session: 'CLI0000001', group: GROUP, port, heartbeatMs: 20, drop: () => random() < 0.2 });
    await publisher.start();
    const child = spawn(process.execPath, [CLI, 'decode', 'itch', '--backend', backend, '--listen', `${GROUP}:${port}`, '--retransmit', `127.0.0.1:${publisher.retransmitPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    try {
      await new Promise<void>((resolve) => { const t = setInterval(() => { if (err.includes('listening')) { clearInterval(t); resolve(); } }, 10); });
      publisher.publish(messages);
      publisher.endSession();
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code, err).toBe(0);
      expect(out.trim().split('\n')).toEqual(expectedLines(messages, 'CLI0000001'));
      const lines = err.trim().split('\n');
      expect(JSON.parse(lines.at(-2)!.replace(/^tickgate decode itch: /, ''))).toMatchObject({ messages: messages.length, duplicates: 0 });
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ kind: 'summary', messages: messages.length, duplicateMessages: 0, gaps: 0, otherTraffic: 0 });
    } finally {
      child.kill();
      publisher.close();
    }
  });
});
