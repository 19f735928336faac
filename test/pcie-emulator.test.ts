// The `pcie` backend through the PCIe emulator (`tickgate emulate pcie`: the Verilated Alveo U250 board top
// behind a FUSE file system with the xdma driver's device files), as a lab would run it: every command prints
// byte-identical output to `--backend ref`; a missing or foreign device exits 2 with one line; a client
// killed mid-transfer leaves the emulator serving.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessage } from '../src/fix/message.js';
import { sampleExchangeMessages } from '../src/fix/sample-session.js';
import { binaryFile, generateItchSession, moldPacketize, pcapFile, pcapOf, udpFrame } from '../src/itch/generator.js';
import { fixStream } from './helpers/fix-arbitraries.js';
import { orderSegment } from './helpers/order-arbitraries.js';
import { get, RawPeer } from './helpers/raw-peer.js';

const bin = path.resolve(__dirname, '..', 'bin', 'tickgate.js');

interface Run { code: number; stdout: string; stderr: string }

function tickgate(args: string[], cwd?: string): { child: ChildProcess; done: Promise<Run> } {
  const child = execFile(process.execPath, [bin, ...args], { encoding: 'latin1', maxBuffer: 1 << 28, cwd });
  child.stdin!.end();
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<Run>((resolve) => child.on('close', (c) => resolve({ code: c ?? -1, stdout, stderr })));
  return { child, done };
}

const run = (args: string[], cwd?: string) => tickgate(args, cwd).done;

function mounted(dir: string): boolean {
  return readFileSync('/proc/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === dir);
}

let work: string;
let cardDir: string;
let emulator: ChildProcess;
let emulatorErr = '';
let device: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'tickgate-pcie-'));
  cardDir = path.join(work, 'card');
  emulator = spawn(process.execPath, [bin, 'emulate', 'pcie', '--dir', cardDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  emulator.stderr!.on('data', (d) => { emulatorErr += d; });
  device = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator not ready in 60 s: ${emulatorErr}`)), 60_000);
    emulator.stdout!.on('data', (d) => {
      out += d;
      const m = /^ready (\S+)\n/m.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    emulator.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${emulatorErr}`)));
  });
}, 90_000);

afterAll(async () => {
  if (emulator && emulator.exitCode === null) {
    const exited = new Promise<number | null>((resolve) => emulator.on('exit', (code) => resolve(code)));
    emulator.kill('SIGTERM');
    expect(await exited, 'the emulator exits 0 on SIGTERM').toBe(0);
    expect(mounted(cardDir), 'and unmounts').toBe(false);
  }
  rmSync(work, { recursive: true, force: true });
}, 30_000);

/** A FIX file every test may use, whichever tests run. */
function fixFile(): string {
  const file = path.join(work, 'sample.fix');
  writeFileSync(file, Buffer.concat(sampleExchangeMessages({ messages: 50, seed: 5 })));
  return file;
}

describe('tickgate emulate pcie', () => {
  it('prints `ready <dir>/xdma0` and serves the xdma driver\'s device files', () => {
    expect(device).toBe(`${cardDir}/xdma0`);
    expect(mounted(cardDir)).toBe(true);
  });
});

describe('--backend pcie through the emulator prints what --backend ref prints', () => {
  it('decode fix: every error kind, and random streams', async () => {
    const msgs = sampleExchangeMessages({ messages: 300, seed: 11 });
    const long = buildMessage('FIX.4.4', [[35, '8'], [58, 'x'.repeat(5000)]]);
    const badSum = Buffer.from(msgs[5]!.toString('latin1').replace(/10=\d{3}/, '10=000'), 'latin1');
    const streams = [
      Buffer.concat([Buffer.from('garbage\x01'), ...msgs.slice(0, 150), long, Buffer.from('\x01\x01'), badSum, ...msgs.slice(150),
        msgs[0]!.subarray(0, 30)]),
      ...fc.sample(fixStream, { numRuns: 6, seed: 5 }),
      // more than one 64 KiB DMA write and more than one sub-frame
      Buffer.concat(sampleExchangeMessages({ messages: 2500, seed: 3 })),
    ];
    for (const [k, stream] of streams.entries()) {
      const file = path.join(work, `fix-${k}.fix`);
      writeFileSync(file, stream);
      const [pcie, ref] = await Promise.all([run(['decode', 'fix', '--backend', 'pcie', '--device', device, file]), run(['decode', 'fix', '--backend', 'ref', file])]);
      expect(pcie.stderr).toBe('');
      expect(pcie.code).toBe(0);
      expect(pcie.stdout, `stream ${k} of ${stream.length} bytes`).toBe(ref.stdout);
    }
  }, 120_000);

  it('decode itch: a pcap, a BinaryFILE, and a symbol filter', async () => {
    const msgs = generateItchSession({ seed: 9, symbols: ['AAPL', 'MSFT', 'QQQ', 'TSLA'], messages: 4000 });
    const pcap = path.join(work, 'day.pcap');
    writeFileSync(pcap, pcapFile(moldPacketize(msgs, { session: 'TEST000001', firstSeq: 1, seed: 4 })));
    const file = path.join(work, 'day.itch');
    writeFileSync(file, binaryFile(msgs.slice(0, 1500)));
    // lines A and B, each losing packets the other brings, B two packets behind: arbitrated on the card, the
    // held packets let go by a register write at the end
    const packets = moldPacketize(msgs, { session: 'TEST000001', firstSeq: 1, seed: 4 });
    const lineA = { dst: [233, 54, 12, 111] as [number, number, number, number], dstPort: 26_477 };
    const lineB = { dst: [233, 49, 196, 111] as [number, number, number, number], dstPort: 26_477 };
    const frames = [];
    for (let k = 0; k < packets.length + 2; k++) {
      if (packets[k] && k % 5 !== 2) frames.push({ data: udpFrame(packets[k]!, lineA) });
      if (packets[k - 2] && (k - 2) % 7 !== 4) frames.push({ data: udpFrame(packets[k - 2]!, lineB) });
    }
    const ab = path.join(work, 'ab.pcap');
    writeFileSync(ab, pcapOf(frames));
    const lines = ['--line', 'A=233.54.12.111:26477', '--line', 'B=233.49.196.111:26477'];
    for (const args of [[pcap], [file], ['--symbols', 'AAPL,QQQ', pcap], [...lines, ab]]) {
      const pcie = await run(['decode', 'itch', '--backend', 'pcie', '--device', device, ...args]);
      const ref = await run(['decode', 'itch', '--backend', 'ref', ...args]);
      expect(pcie.code, pcie.stderr).toBe(0);
      expect(pcie.stdout.length).toBeGreaterThan(1000);
      expect(pcie.stdout, args.join(' ')).toBe(ref.stdout);
      expect(pcie.stderr, args.join(' ')).toBe(ref.stderr);
    }
  }, 120_000);

  it('check orders: verdicts and forwarded bytes in both egress modes, with the rate limit in play, and --itch', async () => {
    const dir = path.join(work, 'orders');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'risk.yaml'), ['risk:', '  maxOrdersPerSecond: 200000', '  burst: 3', '  symbols:',
      '    AAPL: { maxQty: 2000, maxNotional: 400000, referencePrice: 150.25, collarBps: 3000, maxPosition: 4000 }',
      '    XYZ: { maxQty: 1500, maxNotional: 90000, referencePrice: 80, collarBps: 8000, maxPosition: 2500 }',
      '    NVDA: { maxQty: 3000, maxNotional: 900000, referencePrice: 200, collarBps: 12000, maxPosition: 6000 }', ''].join('\n'));
    writeFileSync(path.join(dir, 'risk-cut.yaml'), readFileSync(path.join(dir, 'risk.yaml'), 'utf8').replace('risk:\n', 'risk:\n  egress: cutThrough\n'));
    writeFileSync(path.join(dir, 'orders.fix'), Buffer.concat(fc.sample(orderSegment, { numRuns: 400, seed: 7 })));
    const msgs = generateItchSession({ seed: 2, symbols: ['AAPL', 'NVDA'], messages: 500 });
    writeFileSync(path.join(dir, 'day.itch'), binaryFile(msgs));
    for (const config of ['risk.yaml', 'risk-cut.yaml']) {
      for (const extra of [[], ['--itch', 'day.itch']]) {
        const args = ['check', 'orders', '--config', config, ...extra];
        const ref = await run([...args, '--backend', 'ref', '--forward', 'fwd-ref', 'orders.fix'], dir);
        const pcie = await run([...args, '--backend', 'pcie', '--device', device, '--forward', 'fwd-pcie', 'orders.fix'], dir);
        expect(pcie.code, pcie.stderr).toBe(0);
        expect(pcie.stdout, args.join(' ')).toBe(ref.stdout);
        expect(readFileSync(path.join(dir, 'fwd-pcie'))).toEqual(readFileSync(path.join(dir, 'fwd-ref')));
        expect(ref.stdout).toContain('"rate_limit"');
      }
    }
  }, 180_000);
});

/** `tickgate session` as an acceptor; resolves with its port once it listens. */
function acceptor(args: string[], cwd: string): Promise<{ port: number; child: ChildProcess; done: Promise<Run> }> {
  const t = tickgate(['session', ...args], cwd);
  return new Promise((resolve, reject) => {
    let err = '';
    t.child.stderr!.on('data', (d) => {
      err += d;
      const m = /"type":"listening".*"port":(\d+)/.exec(err);
      if (m) resolve({ port: Number(m[1]), child: t.child, done: t.done });
    });
    void t.done.then((r) => reject(new Error(`session exited ${r.code}: ${r.stderr}`)));
  });
}

const SESSION_YAML = ['session:', '  role: acceptor', '  beginString: FIX.4.4', '  senderCompID: EXCH', '  targetCompID: CLIENT', '  port: 0', '  storeDir: ./store'];
const RISK_YAML = ['risk:', '  maxOrdersPerSecond: 1000000', '  burst: 100', '  symbols:', '    AAPL: { maxQty: 1000, maxNotional: 1000000, referencePrice: 99, collarBps: 500, maxPosition: 100000 }'];
const ORDER = (clOrdID: string, qty: string): Array<[number, string]> =>
  [[11, clOrdID], [55, 'AAPL'], [54, '1'], [60, '20261204-10:00:00.000'], [38, qty], [40, '2'], [44, '99.125']];

describe('FIX sessions on the card: its FIX receiver, risk gate and feed core shared by one command', () => {
  it('tickgate session with device: { backend: pcie, path } in the config: messages in through the card\'s parser, out through its risk gate', async () => {
    const dir = mkdtempSync(path.join(work, 'session-'));
    writeFileSync(path.join(dir, 'acceptor.yaml'), [...SESSION_YAML, 'device:', '  backend: pcie', `  path: ${device}`, ...RISK_YAML, ''].join('\n'));
    const s = await acceptor(['--config', 'acceptor.yaml', '--app', 'echo'], dir);
    try {
      const peer = await RawPeer.connect(s.port, { sender: 'CLIENT', target: 'EXCH' });
      peer.logon();
      await peer.expect('A');
      peer.send('D', { seq: 2 }, ORDER('ok-1', '250'));
      const echoed = await peer.expect('D');
      expect(echoed.slice(7, -1), 'the order within limits came back through the gate').toEqual(ORDER('ok-1', '250'));
      peer.send('D', { seq: 3 }, ORDER('big-1', '5000'));  // over maxQty: the gate stops the echo
      peer.send('D', { seq: 4 }, ORDER('ok-2', '300'));
      const next = await peer.expect('D', 2);
      expect(get(next, 11), 'the order over maxQty never left the card').toBe('ok-2');
      peer.send('5', { seq: 5 });
      await peer.expect('5');
      await peer.waitClosed();
    } finally {
      s.child.kill('SIGTERM');
    }
    const r = await s.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/stopped by the device: max_qty/);
  }, 60_000);

  it('a session on the card without a risk: section is refused in one line: the card has one FIX receiver', async () => {
    const dir = mkdtempSync(path.join(work, 'session-'));
    writeFileSync(path.join(dir, 'acceptor.yaml'), [...SESSION_YAML, ''].join('\n'));
    const r = await run(['session', '--config', 'acceptor.yaml', '--backend', 'pcie', '--device', device], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tickgate: session FIX.4.4:EXCH->CLIENT[^\n]*order path without a risk: section[^\n]*FIX receiver is in use by [^\n]*inbound messages[^\n]*\n$/);
  });

  it('tickgate start --backend pcie: the client\'s orders, executions and market data all through the one card', async () => {
    const r = await run(['start', '--backend', 'pcie', '--device', device, '--orders', '300', '--itch-messages', '3000']);
    expect(r.code, r.stderr).toBe(0);
    const fills = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { clOrdID: string; ordStatus: string });
    expect(new Set(fills.map((f) => f.clOrdID)).size).toBe(300);
    expect(fills.every((f) => f.ordStatus === '2')).toBe(true);
    expect(r.stderr).toMatch(/300 of 300 orders filled/);
    expect(r.stderr).toMatch(/client risk gate \(pcie\) counters \{"verdicts":300,"accepted":300,/);
    const itch = /market data: (\d+) of (\d+) ITCH messages received in order[^\n]*decoded by the device's feed core \(pcie\): \d+ packets, (\d+) messages/.exec(r.stderr);
    expect(itch, r.stderr).not.toBeNull();
    expect(itch![1]).toBe(itch![2]);
    expect(itch![3]).toBe(itch![2]);
  }, 120_000);
});

describe('a client killed mid-transfer', () => {
  it('leaves the emulator serving the next client, which gets the right answer', async () => {
    const msgs = generateItchSession({ seed: 21, symbols: ['AAPL', 'MSFT'], messages: 40_000 });
    const pcap = path.join(work, 'big.pcap');
    writeFileSync(pcap, pcapFile(moldPacketize(msgs, { session: 'TEST000002', firstSeq: 1 })));
    const victim = tickgate(['decode', 'itch', '--backend', 'pcie', '--device', device, pcap]);
    // killed once records flow: its reads and writes are in flight
    await new Promise<void>((resolve) => {
      victim.child.stdout!.once('data', () => resolve());
    });
    victim.child.kill('SIGKILL');
    await victim.done;
    const small = path.join(work, 'small.itch');
    writeFileSync(small, binaryFile(msgs.slice(0, 800)));
    const pcie = await run(['decode', 'itch', '--backend', 'pcie', '--device', device, small]);
    const ref = await run(['decode', 'itch', '--backend', 'ref', small]);
    expect(pcie.code, pcie.stderr).toBe(0);
    expect(pcie.stdout).toBe(ref.stdout);
  }, 120_000);

  it('a second client while one reads the card is told so in one line, exit 2', async () => {
    // the first client holds the card while its input (a pipe) stays open
    const first = execFile(process.execPath, [bin, 'decode', 'fix', '--backend', 'pcie', '--device', device, '-'], { encoding: 'latin1' });
    let out = '';
    first.stdout!.on('data', (d) => { out += d; });
    const firstDone = new Promise<number>((resolve) => first.on('close', (c) => resolve(c ?? -1)));
    const msgs = sampleExchangeMessages({ messages: 50, seed: 8 });
    first.stdin!.write(Buffer.concat(msgs.slice(0, 25)));
    await new Promise((r) => setTimeout(r, 2000));
    const second = await run(['decode', 'fix', '--backend', 'pcie', '--device', device, fixFile()]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^tickgate: pcie device \S+xdma0: \S+xdma0_c2h_0: Device or resource busy \(another process reads this card\)\n$/);
    first.stdin!.end(Buffer.concat(msgs.slice(25)));
    expect(await firstDone).toBe(0);
    const file = path.join(work, 'fifty.fix');
    writeFileSync(file, Buffer.concat(msgs));
    expect(out).toBe((await run(['decode', 'fix', '--backend', 'ref', file])).stdout);
  }, 120_000);
});

describe('the file system unmounted under a running client', () => {
  it('the client finishes with the right answer, and the emulator mounts again and serves the next', async () => {
    const msgs = generateItchSession({ seed: 23, symbols: ['AAPL', 'MSFT'], messages: 20_000 });
    const pcap = path.join(work, 'unmount.pcap');
    writeFileSync(pcap, pcapFile(moldPacketize(msgs, { session: 'TEST000004', firstSeq: 1 })));
    const client = tickgate(['decode', 'itch', '--backend', 'pcie', '--device', device, pcap]);
    await new Promise((r) => setTimeout(r, 1500));
    // a lazy unmount, as `fusermount3 -u` refuses while files are open: open files go on working
    const umount = await new Promise<number>((resolve) => spawn('umount', ['-l', cardDir]).on('close', (c) => resolve(c ?? -1)));
    expect(umount).toBe(0);
    const r = await client.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe((await run(['decode', 'itch', '--backend', 'ref', pcap])).stdout);
    for (let i = 0; i < 100 && !(mounted(cardDir) && emulatorErr.includes('mounting it again')); i++) await new Promise((res) => setTimeout(res, 100));
    expect(emulatorErr).toContain(`${cardDir} was unmounted; mounting it again`);
    const next = await run(['decode', 'fix', '--backend', 'pcie', '--device', device, fixFile()]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toBe((await run(['decode', 'fix', '--backend', 'ref', fixFile()])).stdout);
  }, 120_000);
});

describe('--backend pcie without a usable card', () => {
  it('a missing device: one line naming it, exit 2', async () => {
    const r = await run(['decode', 'fix', '--backend', 'pcie', '--device', path.join(work, 'nothing', 'xdma7'), fixFile()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tickgate: pcie device \S+nothing\/xdma7: \S+xdma7_user: No such file or directory \(is the xdma driver loaded, and is this the card's prefix\?\)\n$/);
  });

  it('start and session with a missing card: one line naming it, exit 2, nothing left running', async () => {
    const missing = path.join(work, 'nothing', 'xdma7');
    const start = await run(['start', '--backend', 'pcie', '--device', missing]);
    expect(start.code).toBe(2);
    expect(start.stderr).toMatch(new RegExp(`^tickgate start: simulated exchange[^\\n]*\\ntickgate: pcie device ${missing}: [^\\n]*No such file[^\\n]*\\n$`));
    const dir = mkdtempSync(path.join(work, 'session-'));
    writeFileSync(path.join(dir, 'acceptor.yaml'), [...SESSION_YAML, ...RISK_YAML, ''].join('\n'));
    const session = await run(['session', '--config', 'acceptor.yaml', '--backend', 'pcie', '--device', missing], dir);
    expect(session.code).toBe(2);
    expect(session.stderr).toMatch(new RegExp(`^tickgate: pcie device ${missing}: [^\\n]*No such file[^\\n]*\\n$`));
  }, 60_000);

  it('a card that is not a tickgate card, and one that reads all ones: one line each, exit 2', async () => {
    for (const [fill, why] of [[0x00, /is not a tickgate card: ID reads 0x00000000, expected 0x544B4754\n$/], [0xff, /does not answer: its registers read all ones/]] as const) {
      const dir = path.join(work, `foreign-${fill}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'xdma0_user'), Buffer.alloc(8192, fill));
      const r = await run(['decode', 'fix', '--backend', 'pcie', '--device', path.join(dir, 'xdma0'), fixFile()]);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr).toMatch(why);
    }
  });
});
