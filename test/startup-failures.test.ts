// Start-up failures as a user meets them: every one exits non-zero with one line that names the path (and,
// for a config value, the key), and releases what it had opened, so the process ends instead of hanging.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/session.js';

const bin = path.resolve(__dirname, '..', 'bin', 'tickgate.js');
/** A failing start-up must end well within this; a hang is a failure, not a timeout of the suite. */
const EXIT_WITHIN_MS = 20_000;

function tickgate(args: string[], cwd: string): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => { stdout += d; });
    child.stderr!.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve({ code: 'hung', stdout, stderr }); }, EXIT_WITHIN_MS);
    child.on('close', (c) => { clearTimeout(timer); resolve({ code: c ?? -1, stdout, stderr }); });
  });
}

function acceptorConfig(dir: string, fields: Record<string, string | number>): string {
  const lines = ['session:', '  role: acceptor', '  beginString: FIX.4.4', '  senderCompID: EXCH', '  targetCompID: CLIENT',
    ...Object.entries(fields).map(([k, v]) => `  ${k}: ${v}`), ''];
  const file = path.join(dir, 'acceptor.yaml');
  writeFileSync(file, lines.join('\n'));
  return file;
}

describe('start-up failures', () => {
  for (const backend of ['sim', 'ref']) {
    it(`an acceptor whose port is taken exits 2 naming the address, and does not hang (${backend})`, async () => {
      const dir = tempDir();
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
      const port = (blocker.address() as net.AddressInfo).port;
      try {
        const config = acceptorConfig(dir, { port, storeDir: './store' });
        const r = await tickgate(['session', '--config', config, '--backend', backend], dir);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`session.port: cannot listen on 127.0.0.1:${port}: the address is already in use`);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      } finally {
        blocker.close();
      }
    });
  }

  it('a storeDir that is a file exits 2 naming the key and the path', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'not-a-folder'), 'x');
    const config = acceptorConfig(dir, { port: 0, storeDir: './not-a-folder' });
    const r = await tickgate(['session', '--config', config, '--backend', 'ref'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tickgate: session\.storeDir: cannot use \S*not-a-folder as the message store folder: it exists and is not a folder\n$/);
  });

  it('a storeDir below a file exits 2 naming the key and the path', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'file'), 'x');
    const config = acceptorConfig(dir, { port: 0, storeDir: './file/store' });
    const r = await tickgate(['session', '--config', config, '--backend', 'sim'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/session\.storeDir: cannot use \S*file\/store as the message store folder: a part of the path is not a folder/);
  });

  it('a journal that cannot be opened for writing exits 2 naming the journal', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'store', 'FIX.4.4-EXCH-CLIENT.journal'), { recursive: true });
    const config = acceptorConfig(dir, { port: 0, storeDir: './store' });
    const r = await tickgate(['session', '--config', config, '--backend', 'ref'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/session\.storeDir: cannot use the message store \S*FIX\.4\.4-EXCH-CLIENT\.journal: it is a folder, not a file/);
  });

  const inputs: Array<[string, string[]]> = [
    ['decode fix', ['decode', 'fix']],
    ['decode itch', ['decode', 'itch']],
  ];
  for (const [name, args] of inputs) {
    it(`${name} with a folder as input exits 2 naming the path`, async () => {
      const dir = tempDir();
      mkdirSync(path.join(dir, 'capture'));
      const r = await tickgate([...args, 'capture'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cannot read input capture: it is a folder, not a file');
    });
    it(`${name} with a missing input exits 2 naming the path`, async () => {
      const dir = tempDir();
      const r = await tickgate([...args, 'nothing-here'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cannot read input nothing-here: no such file or folder');
    });
  }

  it('a folder as config exits 2 naming the path', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'conf'));
    const r = await tickgate(['session', '--config', 'conf'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tickgate: cannot read config conf: it is a folder, not a file\n');
  });

  it('check orders with an unwritable --forward exits 2 naming it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'risk.yaml'), 'risk:\n  symbols:\n    AAPL: { maxQty: 10, maxNotional: 1000, referencePrice: 10, collarBps: 100, maxPosition: 100 }\n');
    writeFileSync(path.join(dir, 'orders.fix'), '');
    mkdirSync(path.join(dir, 'out'));
    const r = await tickgate(['check', 'orders', '--config', 'risk.yaml', '--backend', 'ref', '--forward', 'out', 'orders.fix'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--forward: cannot write out: it is a folder, not a file');
  });
});
