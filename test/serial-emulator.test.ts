// The `serial` backend through the serial emulator (`tickgate emulate serial`: the Verilated Arty A7 board top,
// UART at simulated bit timing, behind a pseudo-terminal), as a lab with a board on a USB cable would run it:
// every command prints byte-identical output to `--backend ref`, also over a line that corrupts, drops and
// doubles bytes (the link counters show the recoveries); a missing port, a silent one and a board that is not
// a tickgate exit 2 with one line, never hang. The emulated line carries a few tens of kB/s, so the inputs are
// small.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessage } from '../src/fix/message.js';
import { sampleExchangeMessages } from '../src/fix/sample-session.js';
import { binaryFile, generateItchSession, moldPacketize, pcapFile } from '../src/itch/generator.js';
import { SerialDevice } from '../src/device/serial-device.js';
import { SERIAL_LINK } from '../src/device/generated/layout.js';
import { decodeFixStream } from '../src/fix/decode.js';
import { fixStream } from './helpers/fix-arbitraries.js';
import { orderSegment } from './helpers/order-arbitraries.js';

const bin = path.resolve(__dirname, '..', 'bin', 'tickgate.js');

interface Run { code: number; stdout: string; stderr: string }

function run(args: string[], cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { encoding: 'latin1', maxBuffer: 1 << 28, cwd }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
    child.stdin!.end();
  });
}

interface Emulator { child: ChildProcess; link: string; stderr: () => string }

async function startEmulator(link: string, extra: string[] = []): Promise<Emulator> {
  const child = spawn(process.execPath, [bin, 'emulate', 'serial', '--link', link, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator not ready in 60 s: ${err}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes(`ready ${link}\n`)) { clearTimeout(timer); resolve(); }
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${err}`)));
  });
  return { child, link, stderr: () => err };
}

async function stop(e: Emulator | undefined): Promise<number | null> {
  if (!e || e.child.exitCode !== null) return e?.child.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => e.child.on('exit', (code) => resolve(code)));
  e.child.kill('SIGTERM');
  return exited;
}

let work: string;
let clean: Emulator;
let faulty: Emulator;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'tickgate-serial-'));
  [clean, faulty] = await Promise.all([
    startEmulator(path.join(work, 'ttyBOARD')),
    // about one byte in 1,000, each way: many faults per command
    startEmulator(path.join(work, 'ttyNOISY'), ['--faults', '0.001', '--seed', '7']),
  ]);
}, 90_000);

afterAll(async () => {
  for (const e of [clean, faulty]) {
    if (!e) continue;
    expect(await stop(e), 'the emulator exits 0 on SIGTERM').toBe(0);
    expect(existsSync(e.link), 'and removes its link').toBe(false);
  }
  rmSync(work, { recursive: true, force: true });
}, 30_000);

describe('tickgate emulate serial', () => {
  it('prints `ready <link>` and links a terminal there', () => {
    expect(existsSync(clean.link)).toBe(true);
  });
});

/** Inputs for the three commands, and what --backend ref prints for them. */
function fixStreams(): Buffer[] {
  const msgs = sampleExchangeMessages({ messages: 40, seed: 11 });
  const long = buildMessage('FIX.4.4', [[35, '8'], [58, 'x'.repeat(3000)]]);
  const badSum = Buffer.from(msgs[5]!.toString('latin1').replace(/10=\d{3}/, '10=000'), 'latin1');
  return [
    Buffer.concat([Buffer.from('garbage\x01'), ...msgs.slice(0, 20), long, Buffer.from('\x01\x01'), badSum, ...msgs.slice(20), msgs[0]!.subarray(0, 30)]),
    ...fc.sample(fixStream, { numRuns: 3, seed: 5 }),
  ];
}

function ordersDir(): string {
  const dir = path.join(work, 'orders');
  if (existsSync(dir)) return dir;
  mkdirSync(dir);
  // The rate limit counts device cycles, and over the serial line orders reach the gate far apart (the line
  // carries a few hundred a second), where --backend ref times them as one stream at the order path's full
  // rate: a verdict near a token's refill differs, as it would between a fast and a slow real link. A bucket
  // that never refills within the run (one order a second, three at once) decides the same on both.
  writeFileSync(path.join(dir, 'risk.yaml'), ['risk:', '  maxOrdersPerSecond: 1', '  burst: 3', '  symbols:',
    '    AAPL: { maxQty: 2000, maxNotional: 400000, referencePrice: 150.25, collarBps: 3000, maxPosition: 4000 }',
    '    XYZ: { maxQty: 1500, maxNotional: 90000, referencePrice: 80, collarBps: 8000, maxPosition: 2500 }',
    '    NVDA: { maxQty: 3000, maxNotional: 900000, referencePrice: 200, collarBps: 12000, maxPosition: 6000 }', ''].join('\n'));
  writeFileSync(path.join(dir, 'risk-cut.yaml'), readFileSync(path.join(dir, 'risk.yaml'), 'utf8').replace('risk:\n', 'risk:\n  egress: cutThrough\n'));
  writeFileSync(path.join(dir, 'orders.fix'), Buffer.concat(fc.sample(orderSegment, { numRuns: 60, seed: 7 })));
  writeFileSync(path.join(dir, 'day.itch'), binaryFile(generateItchSession({ seed: 2, symbols: ['AAPL', 'NVDA'], messages: 150 })));
  return dir;
}

/** Every command through `e` against ref; `few` takes one input of each kind (the noisy line is slower). */
async function sameAsRef(e: Emulator, few = false): Promise<void> {
  for (const [k, stream] of fixStreams().slice(0, few ? 2 : undefined).entries()) {
    const file = path.join(work, `fix-${k}.fix`);
    writeFileSync(file, stream);
    const [serial, ref] = [await run(['decode', 'fix', '--backend', 'serial', '--port', e.link, file]), await run(['decode', 'fix', '--backend', 'ref', file])];
    expect(serial.stderr).toBe('');
    expect(serial.code).toBe(0);
    expect(serial.stdout, `stream ${k} of ${stream.length} bytes`).toBe(ref.stdout);
  }
  const msgs = generateItchSession({ seed: 9, symbols: ['AAPL', 'MSFT', 'QQQ', 'TSLA'], messages: 300 });
  const pcap = path.join(work, 'day.pcap');
  writeFileSync(pcap, pcapFile(moldPacketize(msgs, { session: 'TEST000001', firstSeq: 1, seed: 4 })));
  const binary = path.join(work, 'day.itch');
  writeFileSync(binary, binaryFile(msgs.slice(0, 150)));
  for (const args of few ? [[pcap]] : [[pcap], [binary], ['--symbols', 'AAPL,QQQ', pcap]]) {
    const serial = await run(['decode', 'itch', '--backend', 'serial', '--port', e.link, ...args]);
    const ref = await run(['decode', 'itch', '--backend', 'ref', ...args]);
    expect(serial.code, serial.stderr).toBe(0);
    expect(serial.stdout.length).toBeGreaterThan(1000);
    expect(serial.stdout, args.join(' ')).toBe(ref.stdout);
  }
  const dir = ordersDir();
  for (const config of few ? ['risk-cut.yaml'] : ['risk.yaml', 'risk-cut.yaml']) {
    for (const extra of few ? [['--itch', 'day.itch']] : [[], ['--itch', 'day.itch']]) {
      const args = ['check', 'orders', '--config', config, ...extra];
      const ref = await run([...args, '--backend', 'ref', '--forward', 'fwd-ref', 'orders.fix'], dir);
      const serial = await run([...args, '--backend', 'serial', '--port', e.link, '--forward', 'fwd-serial', 'orders.fix'], dir);
      expect(serial.code, serial.stderr).toBe(0);
      expect(serial.stdout, args.join(' ')).toBe(ref.stdout);
      expect(readFileSync(path.join(dir, 'fwd-serial'))).toEqual(readFileSync(path.join(dir, 'fwd-ref')));
      expect(ref.stdout).toContain('"rate_limit"');
    }
  }
}

describe('--backend serial through the emulator prints what --backend ref prints', () => {
  it('decode fix (every error kind, random streams), decode itch (pcap, BinaryFILE, symbol filter), check orders (both egress modes, --itch)', async () => {
    await sameAsRef(clean);
  }, 300_000);
});

describe('one board, several roles', () => {
  it('tickgate start --backend serial: the client\'s orders, executions and market data all through the one board', async () => {
    const r = await run(['start', '--backend', 'serial', '--port', clean.link, '--orders', '20', '--itch-messages', '200']);
    expect(r.code, r.stderr).toBe(0);
    const fills = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { clOrdID: string; ordStatus: string });
    expect(new Set(fills.map((f) => f.clOrdID)).size).toBe(20);
    expect(fills.every((f) => f.ordStatus === '2')).toBe(true);
    expect(r.stderr).toMatch(/client risk gate \(serial\) counters \{"verdicts":20,"accepted":20,/);
    const itch = /market data: (\d+) of (\d+) ITCH messages received in order[^\n]*decoded by the device's feed core \(serial\): \d+ packets, (\d+) messages/.exec(r.stderr);
    expect(itch, r.stderr).not.toBeNull();
    expect(itch![1]).toBe(itch![2]);
    expect(itch![3]).toBe(itch![2]);
  }, 180_000);
});

describe('a line that corrupts, drops and doubles bytes', () => {
  it('changes nothing in the output: the link detects every fault and recovers', async () => {
    await sameAsRef(faulty, true);
  }, 400_000);

  it('and the link counters say how often: CRC failures and bad frames at both ends, resends', async () => {
    const stream = Buffer.concat(sampleExchangeMessages({ messages: 60, seed: 3 }));
    const file = path.join(work, 'counted.fix');
    writeFileSync(file, stream);
    const device = new SerialDevice({ port: faulty.link });
    const lines: string[] = [];
    try {
      await decodeFixStream(device, (async function* () { yield stream; })(), async (t) => { lines.push(typeof t === 'string' ? t : Buffer.from(t).toString('latin1')); });
      const stats = device.linkStats();
      const board = stats.board;
      const host = stats.host;
      expect(board.rxFrames).toBeGreaterThan(0);
      expect(board.rxCrcErrors + board.rxBadFrames + board.uartFramingErrors, JSON.stringify(stats)).toBeGreaterThan(0);
      expect(host.crcErrors + host.badFrames, JSON.stringify(stats)).toBeGreaterThan(0);
      expect(board.txResent + host.resent, JSON.stringify(stats)).toBeGreaterThan(0);
      expect(host.outOfOrder + host.duplicates + board.rxDuplicates + board.rxOutOfOrder, JSON.stringify(stats)).toBeGreaterThan(0);
    } finally {
      await device.close();
    }
    expect(lines.join('')).toBe((await run(['decode', 'fix', '--backend', 'ref', file])).stdout);
  }, 200_000);
});

/** A small FIX file any test may use, whichever tests run. */
function smallFix(): string {
  const file = path.join(work, 'small.fix');
  writeFileSync(file, Buffer.concat(sampleExchangeMessages({ messages: 2, seed: 1 })));
  return file;
}

describe('boards that cannot be used: one line, exit 2, no hang', () => {
  it('a missing port', async () => {
    const r = await run(['decode', 'fix', '--backend', 'serial', '--port', path.join(work, 'ttyNONE'), smallFix()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tickgate: serial device \S+ttyNONE: [^\n]*(No such file|cannot open)[^\n]*\n$/);
  });

  it('a port where nothing answers', async () => {
    // a terminal with no board behind it
    const link = path.join(work, 'ttySILENT');
    const holder = spawn('python3', ['-c', `import os, pty, time, sys\nm, s = pty.openpty()\nos.symlink(os.ttyname(s), sys.argv[1])\nprint('ok', flush=True)\ntime.sleep(60)`, link], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((resolve) => holder.stdout!.once('data', resolve));
      const t0 = Date.now();
      const r = await run(['decode', 'fix', '--backend', 'serial', '--port', link, smallFix()]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^tickgate: serial device \S+ttySILENT: no answer to a link reset[^\n]*\n$/);
      expect(Date.now() - t0).toBeLessThan(30_000);
    } finally {
      holder.kill();
    }
  }, 60_000);
  it('a board that answers but is not a tickgate of this layout', async () => {
    // a fake board: it speaks the link, but its ID register reads 0xDEADBEEF
    const link = path.join(work, 'ttyFOREIGN');
    const board = [
      'import os, pty, sys',
      'def crc(b):',
      '    c = 0xFFFFFFFF',
      '    for x in b:',
      '        c ^= x << 24',
      '        for _ in range(8): c = ((c << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if c & 0x80000000 else (c << 1) & 0xFFFFFFFF',
      '    return c ^ 0xFFFFFFFF',
      'def frame(t, seq, ack, payload):',
      '    f = bytes([t, seq, ack, 0, 0, 8]) + payload',
      '    f += crc(f).to_bytes(4, "big")',
      '    return b"\\xc0" + f.replace(b"\\xdb", b"\\xdb\\xdd").replace(b"\\xc0", b"\\xdb\\xdc") + b"\\xc0"',
      'm, s = pty.openpty()',
      'os.symlink(os.ttyname(s), sys.argv[1])',
      'print("ok", flush=True)',
      'buf, expected = b"", 0',
      'while True:',
      '    buf += os.read(m, 4096)',
      '    while b"\\xc0" in buf:',
      '        f, buf = buf.split(b"\\xc0", 1)',
      '        f = f.replace(b"\\xdb\\xdc", b"\\xc0").replace(b"\\xdb\\xdd", b"\\xdb")',
      '        if len(f) < 10 or crc(f) != 0x38FB2284: continue  # the inverted residue of a good frame',
      `        if f[0] == 0x11: expected = 0; os.write(m, frame(0x91, f[1], 0, bytes([${SERIAL_LINK.version}, 32, 11])))`,
      '        elif f[0] == 0x05 and f[1] == expected:',
      '            expected = (expected + 1) & 0xFF',
      '            addr = int.from_bytes(f[6:8], "little")',
      '            os.write(m, frame(0x92, f[1], expected, (0xDEADBEEF if addr == 0 else 0).to_bytes(4, "little") + b"\\x00"))',
    ].join('\n');
    const holder = spawn('python3', ['-c', board, link], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((resolve) => holder.stdout!.once('data', resolve));
      const r = await run(['decode', 'fix', '--backend', 'serial', '--port', link, smallFix()]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^tickgate: serial device \S+ttyFOREIGN: is not a tickgate board: ID reads 0xDEADBEEF, expected 0x544B4754\n$/);
    } finally {
      holder.kill();
    }
  }, 60_000);
});
