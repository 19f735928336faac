// Runs QuickFIX's own acceptance scripts (test/definitions/server/<version>/*.def of a QuickFIX source
// checkout, which this repository does not contain) against an acceptor, and counts the scripts that pass:
// the yardstick the session conformance issue was measured with. The engine is tickgate's acceptor (echo
// application, every inbound byte through the device) or, for comparison, QuickFIX's (test/peers/qf-echo).
//
//   npm run acceptance -- <dir of .def files> [--engine tickgate|quickfix] [--backend ref|sim] [--verbose]
//
// Script lines: iCONNECT / i<n>,CONNECT open a connection, I<msg> sends (9, 10 and <TIME>, <TIME±s> filled
// in), E<msg> is the next message expected (10, 52, 60, 122 and 42 compared by pattern), eDISCONNECT waits
// for the engine to close the connection, i<n>,DISCONNECT closes it. Each script gets a fresh engine, as
// QuickFIX's runner configures it: acceptor ISLD, counterparty TW<version>, ResetOnLogon.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mkdtempSync } from 'node:fs';
import type { BackendName } from '../src/device/index.js';
import { checksum } from '../src/fix/message.js';
import { attachApp } from '../src/session/apps.js';
import { sessionSchema } from '../src/session/config.js';
import type { BeginString } from '../src/session/dictionary.js';
import { SessionRunner } from '../src/session/runner.js';
import { freePort, quickfixPeer, quickfixSettings } from './peers/quickfix.js';

const SOH = '\x01';
/** Fields compared by pattern, as QuickFIX's runner does (its fields.fmt): unanchored regular expressions. */
const PATTERNS = new Map<number, RegExp>([
  [10, /\d{3}/], [42, /\d{8}-\d{2}:\d{2}:\d{2}/], [52, /\d{8}-\d{2}:\d{2}:\d{2}/], [60, /\d{8}-\d{2}:\d{2}:\d{2}/],
  [122, /\d{8}-\d{2}:\d{2}:\d{2}/],
]);

interface Engine { port: number; close(): Promise<void> }

const VERSIONS: Record<string, { beginString: BeginString; tester: string }> = {
  fix42: { beginString: 'FIX.4.2', tester: 'TW42' },
  fix44: { beginString: 'FIX.4.4', tester: 'TW44' },
};

async function startTickgate(beginString: BeginString, tester: string, backend: BackendName): Promise<Engine> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickgate-at-'));
  const runner = new SessionRunner({
    config: sessionSchema.parse({ role: 'acceptor', beginString, senderCompID: 'ISLD', targetCompID: tester, port: 0, resetOnLogon: true, storeDir: 'store' }),
    baseDir: dir, backend, untilLogout: false,
  });
  attachApp(runner.session, 'echo', () => undefined);
  await runner.start();
  return { port: runner.port, close: () => runner.stop() };
}

async function startQuickfix(beginString: BeginString, tester: string): Promise<Engine> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickgate-at-qf-'));
  mkdirSync(path.join(dir, 'log'), { recursive: true });
  const port = await freePort();
  const cfg = quickfixSettings({ role: 'acceptor', beginString, senderCompID: 'ISLD', targetCompID: tester, port, dir, extra: ['ResetOnLogon=Y', 'ValidateUserDefinedFields=Y'] });
  const child = spawn(quickfixPeer('qf-echo'), [cfg], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`qf-echo exited (${code})`)));
  });
  return {
    port,
    close: () => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.stdin!.end(); }),
  };
}

function timestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 19)}`;
}

/** <TIME>, <TIME±s> filled in; BodyLength and CheckSum added where the script leaves them out. */
function prepare(text: string): string {
  let m = text.replace(/<TIME([+-]\d+)?>/g, (_, d: string | undefined) => timestamp(Date.now() + (d ? Number(d) * 1000 : 0)));
  if (!/\x019=/.test(m) && m.startsWith('8=')) {
    const first = m.indexOf(SOH) + 1;
    const trailer = m.search(/\x0110=[^\x01]*\x01$/);
    const body = m.slice(first, trailer < 0 ? m.length : trailer + 1);
    m = `${m.slice(0, first)}9=${body.length}${SOH}${m.slice(first)}`;
  }
  if (!/\x0110=[^\x01]*\x01$/.test(m)) m += `10=${checksum(Buffer.from(m, 'latin1'))}${SOH}`;
  return m;
}

function differs(expected: string, got: string): string | null {
  const e = expected.split(SOH).filter(Boolean);
  const g = got.split(SOH).filter(Boolean);
  if (e.length !== g.length) return `${g.length} fields where ${e.length} were expected`;
  for (let i = 0; i < e.length; i++) {
    const [et, ev] = [e[i]!.slice(0, e[i]!.indexOf('=')), e[i]!.slice(e[i]!.indexOf('=') + 1)];
    const [gt, gv] = [g[i]!.slice(0, g[i]!.indexOf('=')), g[i]!.slice(g[i]!.indexOf('=') + 1)];
    if (et !== gt) return `field ${i + 1} is ${gt}, expected ${et}`;
    const pattern = PATTERNS.get(Number(et));
    if (pattern ? !pattern.test(gv) : ev !== gv) return `${et}=${gv}, expected ${et}=${ev}`;
  }
  return null;
}

class Connection {
  readonly messages: string[] = [];
  closed = false;
  private buffer = '';
  constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer += d.toString('latin1');
      for (let m = /^8=[^\x01]*\x019=(\d+)\x01/.exec(this.buffer); m; m = /^8=[^\x01]*\x019=(\d+)\x01/.exec(this.buffer)) {
        const end = m[0].length + Number(m[1]) + 7;
        if (this.buffer.length < end) break;
        this.messages.push(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end);
      }
    });
    socket.on('close', () => { this.closed = true; });
    socket.on('error', () => undefined);
  }
}

async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

/** Runs one script; null when it passes, else why not. */
async function runScript(file: string, port: number): Promise<string | null> {
  const conns = new Map<string, Connection>();
  const read = new Map<string, number>();
  try {
    for (const [n, raw] of readFileSync(file, 'latin1').split('\n').entries()) {
      const line = raw.replace(/\r$/, '');
      if (line === '' || line.startsWith('#')) continue;
      const m = /^([iIeE])(?:(\d+),)?(.*)$/.exec(line);
      if (!m) continue;
      const [, kind, label = '1', text] = m as unknown as [string, string, string | undefined, string];
      const at = `line ${n + 1}`;
      if (kind === 'i' && text === 'CONNECT') {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        conns.set(label, new Connection(socket));
        read.set(label, 0);
      } else if (kind === 'i' && text === 'DISCONNECT') {
        conns.get(label)?.socket.destroy();
      } else if (kind === 'I') {
        conns.get(label)?.socket.write(Buffer.from(prepare(text), 'latin1'));
      } else if (kind === 'E') {
        const c = conns.get(label);
        if (!c) return `${at}: no connection ${label}`;
        const index = read.get(label)!;
        if (!await until(() => c.messages.length > index, 10_000)) return `${at}: expected ${text.replaceAll(SOH, '|')}, ${c.closed ? 'the connection closed' : 'nothing came'}`;
        read.set(label, index + 1);
        const why = differs(prepare(text), c.messages[index]!);
        if (why) return `${at}: ${why}\n    expected ${prepare(text).replaceAll(SOH, '|')}\n         got ${c.messages[index]!.replaceAll(SOH, '|')}`;
      } else if (kind === 'e' && text === 'DISCONNECT') {
        const c = conns.get(label);
        if (!c) return `${at}: no connection ${label}`;
        if (!await until(() => c.closed, 10_000)) return `${at}: expected a disconnect`;
      }
    }
    return null;
  } finally {
    for (const c of conns.values()) c.socket.destroy();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: {
    engine: { type: 'string', default: 'tickgate' }, backend: { type: 'string', default: 'sim' }, verbose: { type: 'boolean', default: false },
  } });
  const dir = positionals[0];
  if (!dir) throw new Error('usage: npm run acceptance -- <dir of QuickFIX .def scripts, e.g. test/definitions/server/fix44> [--engine tickgate|quickfix] [--backend ref|sim]');
  const version = VERSIONS[path.basename(dir)];
  if (!version) throw new Error(`${dir}: the folder name says the version (${Object.keys(VERSIONS).join(', ')})`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.def')).sort();
  let passed = 0;
  for (const f of files) {
    const engine = values.engine === 'quickfix'
      ? await startQuickfix(version.beginString, version.tester)
      : await startTickgate(version.beginString, version.tester, values.backend as BackendName);
    const failure = await runScript(path.join(dir, f), engine.port);
    await engine.close();
    if (!failure) passed++;
    console.log(`${failure ? 'FAIL' : 'pass'} ${f}${failure && values.verbose ? `\n  ${failure}` : failure ? `: ${failure.split('\n')[0]}` : ''}`);
  }
  console.log(`${values.engine}: ${passed} of ${files.length} scripts pass`);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(2);
});
