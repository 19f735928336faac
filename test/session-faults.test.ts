// Fault tests of the long-lived `tickgate session` process. The acceptor is killed with SIGKILL in the middle
// of a QuickFIX initiator's order stream and started again: every order is filled exactly once, and
// QuickFIX's log shows no sequence number of ours reused or lost. A peer that stops reading does not grow
// the acceptor's memory: it stops reading from the peer until the peer reads again.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort, quickfixPeer, quickfixSettings } from './helpers/quickfix.js';
import { RawPeer } from './helpers/raw-peer.js';
import { tempDir } from './helpers/session.js';
import { OUTBOUND_BACKLOG_BYTES } from '../src/session/runner.js';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '..', 'bin', 'tickgate.js');

interface Acceptor { child: ChildProcess; exit: Promise<number | null>; stderr: () => string }

function startAcceptor(dir: string, backend: string): Promise<Acceptor> {
  const child = spawn(process.execPath, [CLI, 'session', '--config', 'acceptor.yaml', '--app', 'fill', '--backend', backend], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('"type":"listening"')) resolve({ child, exit, stderr: () => err });
    });
    void exit.then((code) => reject(new Error(`acceptor exited (${code}) before listening: ${err}`)));
  });
}

function writeAcceptorConfig(dir: string, port: number): void {
  writeFileSync(path.join(dir, 'acceptor.yaml'), [
    'session:', '  role: acceptor', '  beginString: FIX.4.4', '  senderCompID: TICKGATE', '  targetCompID: QFCLIENT',
    `  port: ${port}`, '  storeDir: ./store', '',
  ].join('\n'));
}

/** A message built for one SenderCompID given another, with BodyLength and CheckSum made again. */
function rebuild(message: Buffer, sender: string): Buffer {
  const fields = message.toString('latin1').split('\x01').filter(Boolean).map((f) => f.split('=') as [string, string]);
  const body = fields.filter(([t]) => !['8', '9', '10'].includes(t)).map(([t, v]) => `${t}=${t === '49' ? sender : v}\x01`).join('');
  const head = `8=${fields[0]![1]}\x019=${Buffer.byteLength(body, 'latin1')}\x01`;
  let sum = 0;
  for (const b of Buffer.from(head + body, 'latin1')) sum += b;
  return Buffer.from(`${head}${body}10=${String(sum % 256).padStart(3, '0')}\x01`, 'latin1');
}

/** The stalling peer: small receive buffer; Logon, then every order while reading nothing until told on
 *  stdin, then reads until it has a fill for every order; prints {"fills": N}. */
const STALLING_PEER = `
import json, socket, sys, threading
port, orders = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(('127.0.0.1', port))
s.sendall(open('logon.fix', 'rb').read())
buf = b''
while b'\\x0135=A\\x01' not in buf:
    buf += s.recv(4096)
print('logged on', flush=True)
threading.Thread(target=lambda: s.sendall(open('orders.fix', 'rb').read()), daemon=True).start()
sys.stdin.readline()
pattern = b'\\x0135=8\\x01'
fills, tail = 0, b''
while fills < orders:
    chunk = s.recv(1 << 16)
    if not chunk:
        break
    data = tail + chunk
    fills += data.count(pattern)
    tail = data[-(len(pattern) - 1):]
print(json.dumps({'fills': fills}), flush=True)
`;

const journalOf = (dir: string) => path.join(dir, 'store', 'FIX.4.4-TICKGATE-QFCLIENT.journal');
const countLines = (file: string, pattern: RegExp) => (existsSync(file) ? (readFileSync(file, 'utf8').match(pattern) ?? []).length : 0);

async function until(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Our messages as QuickFIX logged them (its FileLog): fresh numbers, PossDup resends, gap-filled ranges. */
function ourNumbers(logDir: string): { fresh: number[]; covered: Set<number> } {
  const file = readdirSync(logDir).find((f) => f.endsWith('.messages.current.log'));
  const fresh: number[] = [];
  const covered = new Set<number>();
  for (const line of readFileSync(path.join(logDir, file!), 'latin1').split('\n')) {
    if (!line.includes('\x0149=TICKGATE\x01')) continue;
    const seq = Number(/\x0134=(\d+)\x01/.exec(line)![1]);
    if (line.includes('\x0135=4\x01') && line.includes('\x01123=Y\x01')) {
      for (let s = seq; s < Number(/\x0136=(\d+)\x01/.exec(line)![1]); s++) covered.add(s);
    } else {
      covered.add(seq);
      if (!line.includes('\x0143=Y\x01')) fresh.push(seq);
    }
  }
  return { fresh, covered };
}

describe('session faults', () => {
  it('acceptor killed with SIGKILL mid-stream and restarted: every order filled exactly once, no number reused or lost', async () => {
    const dir = tempDir('tickgate-fault-');
    const port = await freePort();
    writeAcceptorConfig(dir, port);
    const first = await startAcceptor(dir, 'sim');
    const orders = 6000;
    const cfg = quickfixSettings({ role: 'initiator', beginString: 'FIX.4.4', senderCompID: 'QFCLIENT', targetCompID: 'TICKGATE', port, dir: path.join(dir, 'qf') });
    const client = run(quickfixPeer('qf-initiator'), [cfg, String(orders), '150']).catch((e: { stdout: string }) => e);

    // kill once a good part of the orders are filled, and well before all are
    await until('fills before the kill', () => countLines(journalOf(dir), /"t":"8"/g) >= 800, 60_000);
    first.child.kill('SIGKILL');
    await first.exit;
    const filledBeforeKill = countLines(journalOf(dir), /"t":"8"/g);
    expect(filledBeforeKill).toBeLessThan(orders);

    const second = await startAcceptor(dir, 'sim');
    const { stdout } = await client as { stdout: string };
    const summary = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(summary).toMatchObject({ loggedOn: true, orders, filled: orders, duplicateFills: 0, rejects: 0 });
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);

    // our numbers as QuickFIX saw them: fresh ones strictly increasing (none reused); fresh, resent and
    // gap-filled together exactly 1..last (none lost)
    const { fresh, covered } = ourNumbers(path.join(dir, 'qf', 'log'));
    const last = Math.max(...covered);
    expect(fresh.every((s, i) => i === 0 || s > fresh[i - 1]!)).toBe(true);
    expect([...covered].sort((a, b) => a - b)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    // one fill per order in our journal, across both runs: nothing answered twice
    expect(countLines(journalOf(dir), /"t":"8"/g)).toBe(orders);
  }, 240_000);

  it('a peer that stops reading stops being read: memory stays bounded, and nothing is lost when it reads again', async () => {
    const dir = tempDir('tickgate-stall-');
    const port = await freePort();
    writeAcceptorConfig(dir, port);
    const acceptor = await startAcceptor(dir, 'ref');
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${acceptor.child.pid}/status`, 'utf8'))![1]) * 1024;
    // The peer is a small Python program with a small receive buffer, so the kernel cannot hide the stall:
    // it sends Logon and the orders, reads nothing for a while, then reads everything and counts the fills.
    const orders = 80_000;
    const builder = await RawPeer.connect(port, { sender: 'NOBODY', target: 'TICKGATE' });   // only to build messages
    builder.close();
    const order = (k: number) => builder.message('D', { seq: k + 2 }, [[11, `s-${k}`], [55, 'AAPL'], [54, '1'], [60, '20261203-10:00:00.000'], [38, '100'], [40, '2'], [44, '10.5']]);
    const logon = builder.message('A', { seq: 1 }, [[98, '0'], [108, '30']]);
    const rewrite = (b: Buffer) => rebuild(b, 'QFCLIENT');
    writeFileSync(path.join(dir, 'logon.fix'), rewrite(logon));
    writeFileSync(path.join(dir, 'orders.fix'), Buffer.concat(Array.from({ length: orders }, (_, k) => rewrite(order(k)))));
    writeFileSync(path.join(dir, 'peer.py'), STALLING_PEER);
    const peer = spawn('python3', ['peer.py', String(port), String(orders)], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
    let peerOut = '';
    peer.stdout!.on('data', (d: Buffer) => { peerOut += d.toString(); });
    const peerExit = new Promise<number | null>((resolve) => peer.once('exit', (code) => resolve(code)));
    await until('the peer to log on', () => peerOut.includes('logged on'), 30_000);
    const baseline = rss();

    // it stops: the orders taken stop growing, well short of all
    const received = () => countLines(journalOf(dir), /"k":"recv"/g);
    await until('the acceptor to take orders', () => received() > 1000, 60_000);
    // stopped: no order taken for two whole seconds (a busy machine may pause a process for a moment)
    let before = -1;
    let since = Date.now();
    await until('the acceptor to stop taking orders', () => {
      const now = received();
      if (now !== before) { before = now; since = Date.now(); }
      return Date.now() - since > 2000;
    }, 90_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(received()).toBe(before);
    // what it took fits its socket's send buffer, the peer's small receive buffer and our backlog limit
    const wmemMax = Number(readFileSync('/proc/sys/net/ipv4/tcp_wmem', 'utf8').trim().split(/\s+/)[2]);
    const bound = (2 * wmemMax + OUTBOUND_BACKLOG_BYTES + (1 << 16)) / 150;
    expect(bound).toBeLessThan(orders);
    expect(received()).toBeLessThan(bound);
    // memory: what it read is bounded, so is what it holds; while stalled it does not grow
    const stalled = rss();
    await new Promise((r) => setTimeout(r, 2000));
    const grown = rss() - stalled;
    expect(grown, `RSS grew by ${(grown / 2 ** 20).toFixed(1)} MiB while stalled`).toBeLessThan(8 * 2 ** 20);
    expect(stalled - baseline, 'RSS after taking what it took').toBeLessThan(512 * 2 ** 20);

    // it goes on when the peer reads again: every order filled
    peer.stdin!.end('read\n');
    expect(await peerExit).toBe(0);
    expect(JSON.parse(peerOut.trim().split('\n').at(-1)!)).toEqual({ fills: orders });
    acceptor.child.kill('SIGTERM');
    expect(await acceptor.exit).toBe(0);
  }, 240_000);
});
