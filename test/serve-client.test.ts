// The typed client (`tickgate/client`) against a real `tickgate serve --demo`: it subscribes, iterates the
// events it asked for, connects again and resubscribes when the server restarts on the same address, and
// fails with the HTTP status when its token is refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientRefusedError, connect, type ClientEvent } from '../src/serve/client.js';
import { freePort } from './helpers/quickfix.js';
import { tempDir } from './helpers/session.js';

const CLI = path.resolve(__dirname, '..', 'bin', 'tickgate.js');

function serveDemo(dir: string): Promise<{ child: ChildProcess; url: string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--demo', '--config', 'serve.yaml', '--backend', 'ref'], {
    cwd: dir, env: { ...process.env, TICKGATE_TOKENS: 'client-token' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /^listening (\S+)$/m.exec(out);
      if (m) resolve({ child, url: m[1]!, exit });
    });
    void exit.then((code) => reject(new Error(`serve exited (${code}) before listening`)));
  });
}

/** The next `n` events brought by connection `connection` (events of an earlier one still queued are
 *  skipped). */
async function take(it: AsyncIterator<ClientEvent>, n: number, connection: number): Promise<ClientEvent[]> {
  const out: ClientEvent[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) break;
    if (r.value.connection === connection) out.push(r.value);
  }
  return out;
}

describe('tickgate/client', () => {
  it('iterates what it subscribed to, and comes back after the server restarts', async () => {
    const dir = tempDir('tickgate-client-');
    writeFileSync(path.join(dir, 'serve.yaml'), `serve:\n  listen: 127.0.0.1:${await freePort()}\n`);
    let server = await serveDemo(dir);
    const client = await connect({ url: server.url, token: 'client-token', kinds: ['book'], symbols: ['AAPL'] });
    const it = client[Symbol.asyncIterator]();
    try {
      const first = await take(it, 200, 1);
      expect(first.every((e) => e.kind === 'book' && e.body.stock === 'AAPL')).toBe(true);
      server.child.kill('SIGTERM');
      expect(await server.exit).toBe(0);
      server = await serveDemo(dir);
      const after = await take(it, 200, 2);
      expect(after).toHaveLength(200);
      expect(after.every((e) => e.kind === 'book' && e.body.stock === 'AAPL')).toBe(true);
      expect(client.connections).toBe(2);
    } finally {
      client.close();
      server.child.kill('SIGTERM');
      await server.exit;
    }
  }, 60_000);

  it('fails with the status when the token is refused', async () => {
    const dir = tempDir('tickgate-client-');
    writeFileSync(path.join(dir, 'serve.yaml'), 'serve:\n  listen: 127.0.0.1:0\n');
    const server = await serveDemo(dir);
    try {
      await expect(connect({ url: server.url, token: 'wrong' })).rejects.toEqual(new ClientRefusedError(401));
    } finally {
      server.child.kill('SIGTERM');
      await server.exit;
    }
  }, 30_000);
});
