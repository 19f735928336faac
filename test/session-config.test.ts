// The session: section of the config, the password sources, TLS and reconnect backoff.
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config/config.js';
import { backoffDelay, resolvePassword, SessionRunner } from '../src/session/runner.js';
import { get, RawPeer } from './helpers/raw-peer.js';
import { sessionConfig, startRunner, tempDir } from './helpers/session.js';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '..', 'bin', 'tickgate.js');

const BASE = ['session:', '  role: initiator', '  beginString: FIX.4.4', '  senderCompID: A', '  targetCompID: B', '  port: 9878'];
const configError = (lines: string[]) => {
  try {
    parseConfig(lines.join('\n'), 'test.yaml', '/');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('config was accepted');
};

describe('session config', () => {
  it('fills the defaults of a minimal section', () => {
    const c = parseConfig(BASE.join('\n'), 'test.yaml', '/').session!;
    expect(c).toMatchObject({ host: '127.0.0.1', heartBtInt: 30, resetOnLogon: false, storeDir: './var/store', validate: true });
  });

  it.each([
    { lines: [...BASE.slice(0, 5), '  port: nine'], error: /session\.port: .*number/ },
    { lines: [...BASE, '  heartBtInt: 0'], error: /session\.heartBtInt: must be at least 1/ },
    { lines: [...BASE, '  colour: blue'], error: /session\.colour: unknown key/ },
    { lines: [...BASE, '  password: hunter2'], error: /session\.password: the password never sits in the config/ },
    { lines: BASE.map((l) => l.replace('FIX.4.4', 'FIXT.1.1')), error: /session\.defaultApplVerID: is required with beginString FIXT\.1\.1/ },
    { lines: BASE.map((l) => l.replace('FIX.4.4', 'FIX.4.3')), error: /session\.beginString: must be one of FIX\.4\.2, FIX\.4\.4, FIXT\.1\.1/ },
    { lines: BASE.map((l) => l.replace('initiator', 'both')), error: /session\.role: must be "acceptor" or "initiator"/ },
    { lines: BASE.map((l) => l.replace('targetCompID: B', 'targetCompID: "B=C"')), error: /session\.targetCompID: must not contain SOH or "="/ },
    { lines: [...BASE, '  reconnect: { initialMs: 1000, maxMs: 10 }'], error: /session\.reconnect\.maxMs: must not be below reconnect\.initialMs/ },
    { lines: ['session: [1, 2'], error: /not valid YAML/ },
  ])('names the key and the problem: $error', ({ lines, error }) => {
    expect(configError(lines)).toMatch(error);
  });

  it('the CLI exits 2 with the key in a one-line message', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bad.yaml'), [...BASE, '  heartBtInt: -5'].join('\n'));
    const r = await run(process.execPath, [CLI, 'session', '--config', path.join(dir, 'bad.yaml')]).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr).toMatch(/^tickgate: .*bad\.yaml: session\.heartBtInt: must be at least 1\n$/);
  });

  it('reads the password from the environment variable or the file it names', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'secret'), 's3cret\n');
    process.env.TICKGATE_TEST_PASSWORD = 'from-env';
    expect(resolvePassword(sessionConfig({ role: 'initiator', senderCompID: 'A', targetCompID: 'B', port: 1, passwordEnv: 'TICKGATE_TEST_PASSWORD' }), dir)).toBe('from-env');
    expect(resolvePassword(sessionConfig({ role: 'initiator', senderCompID: 'A', targetCompID: 'B', port: 1, passwordFile: 'secret' }), dir)).toBe('s3cret');
    expect(() => resolvePassword(sessionConfig({ role: 'initiator', senderCompID: 'A', targetCompID: 'B', port: 1, passwordEnv: 'TICKGATE_UNSET_VARIABLE' }), dir))
      .toThrow('session.passwordEnv: the environment variable TICKGATE_UNSET_VARIABLE is not set');
  });

  it('an acceptor with a password drops a Logon with the wrong one and accepts the right one', async () => {
    process.env.TICKGATE_TEST_PASSWORD = 'open-sesame';
    const t = await startRunner('ref', { role: 'acceptor', senderCompID: 'EXCH', targetCompID: 'CLIENT', port: 0, passwordEnv: 'TICKGATE_TEST_PASSWORD' });
    try {
      const wrong = await RawPeer.connect(t.runner.port, { sender: 'CLIENT', target: 'EXCH' });
      wrong.logon(1, 30, [[554, 'guess']]);
      await wrong.waitClosed();
      expect(wrong.bytesReceived).toBe(0);
      const right = await RawPeer.connect(t.runner.port, { sender: 'CLIENT', target: 'EXCH' });
      right.logon(1, 30, [[554, 'open-sesame']]);
      await right.expect('A');
      right.close();
    } finally {
      await t.runner.stop();
    }
  });
});

describe('reconnect backoff', () => {
  it('doubles from initialMs up to maxMs, within the jitter band', () => {
    const r = { initialMs: 100, maxMs: 1000, jitter: 0.2, maxAttempts: 0 };
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, r, () => 0.5))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(3, r, () => 0)).toBe(320);
    expect(backoffDelay(3, r, () => 0.999999)).toBe(480);
  });

  it('an initiator retries a refused connection with growing waits, then gives up after maxAttempts', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
    });
    const runner = new SessionRunner({
      config: sessionConfig({ role: 'initiator', senderCompID: 'A', targetCompID: 'B', port: closedPort, storeDir: 'store', reconnect: { initialMs: 20, maxMs: 1000, jitter: 0, maxAttempts: 4 } }),
      baseDir: tempDir(), backend: 'ref',
    });
    const waits: number[] = [];
    runner.session.on('event', (e) => { if (typeof e.wait === 'number') waits.push(e.wait); });
    await runner.start();
    await expect(runner.done).rejects.toThrow(/cannot connect to 127\.0\.0\.1:\d+ after 4 attempts/);
    expect(waits).toEqual([20, 40, 80]);
  });
});

describe('TLS', () => {
  it('runs a session over TLS (node tls), and a plain TCP client gets nothing', async () => {
    const dir = tempDir('tickgate-tls-');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const acceptor = await startRunner('sim', { role: 'acceptor', senderCompID: 'EXCH', targetCompID: 'CLIENT', port: 0, tls: { cert: 'cert.pem', key: 'key.pem' } }, { dir, app: 'fill' });
    const initiator = await startRunner('sim', {
      role: 'initiator', senderCompID: 'CLIENT', targetCompID: 'EXCH', port: acceptor.runner.port, storeDir: 'store-initiator',
      tls: { ca: 'cert.pem', servername: 'localhost' },
    }, { dir });
    try {
      const fills = new Promise<string[]>((resolve) => {
        const ids: string[] = [];
        initiator.runner.session.on('execution', (er) => { ids.push(er.clOrdID); if (ids.length === 20) resolve(ids); });
      });
      initiator.runner.session.on('state', (s) => {
        if (s !== 'active') return;
        for (let i = 1; i <= 20; i++) initiator.runner.session.sendOrder({ clOrdID: `tls-${i}`, symbol: 'AAPL', side: 'buy', qty: 1, ordType: 'limit', price: '10.5' });
      });
      expect((await fills).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `tls-${i + 1}`).sort());

      const plain = await RawPeer.connect(acceptor.runner.port, { sender: 'CLIENT', target: 'EXCH' });
      plain.logon(1);
      await plain.waitClosed();
      expect(plain.received.filter((m) => get(m, 35) === 'A')).toEqual([]);
    } finally {
      await initiator.runner.stop();
      await acceptor.runner.stop();
    }
  });
});
