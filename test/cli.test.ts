// The tickgate CLI as a user runs it: both backends print byte-identical NDJSON; bad arguments exit 2.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessage } from '../src/fix/message.js';
import { sampleExchangeMessages } from '../src/fix/sample-session.js';


const bin = path.resolve(__dirname, '..', 'bin', 'tickgate.js');

async function tickgate(args: string[], input?: Buffer): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = execFile(process.execPath, [bin, ...args], { encoding: 'latin1', maxBuffer: 1 << 28 });
  if (input !== undefined) child.stdin!.end(input);
  else child.stdin!.end();
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout, stderr };
}

describe('tickgate decode fix', () => {
  let dir: string;
  let file: string;
  let stream: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tickgate-cli-'));
    const msgs = sampleExchangeMessages({ messages: 300, seed: 11 });
    const long = buildMessage('FIX.4.4', [[35, '8'], [58, 'x'.repeat(5000)]]);
    const badSum = Buffer.from(msgs[5]!.toString('latin1').replace(/10=\d{3}/, '10=000'), 'latin1');
    const badLen = Buffer.from(msgs[6]!.toString('latin1').replace(/\x019=(\d+)/, (_, n) => `\x019=${Number(n) + 1}`), 'latin1');
    stream = Buffer.concat([Buffer.from('garbage\x01'), ...msgs.slice(0, 150), long, Buffer.from('\x01\x01'), badSum, badLen,
      ...msgs.slice(150), msgs[0]!.subarray(0, 30)]);
    file = path.join(dir, 'stream.fix');
    writeFileSync(file, stream);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints byte-identical NDJSON from the sim and ref backends, with every error kind present', async () => {
    const sim = await tickgate(['decode', 'fix', '--backend', 'sim', file]);
    const ref = await tickgate(['decode', 'fix', '--backend', 'ref', file]);
    expect(sim.code).toBe(0);
    expect(ref.code).toBe(0);
    expect(sim.stdout).toBe(ref.stdout);
    const records = sim.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.filter((r) => r.error === null)).toHaveLength(300);
    expect(records.filter((r) => r.error === 'garbled').map((r) => r.length)).toEqual([8, 2]);
    expect(records.filter((r) => r.error === 'too_long')).toHaveLength(1);
    expect(records.filter((r) => r.error === 'bad_checksum')).toHaveLength(1);
    expect(records.filter((r) => r.error === 'bad_body_length')).toHaveLength(1);
    expect(records.at(-1)).toEqual({
      kind: 'fix', offset: stream.length - 30, length: 30, msgType: null, msgSeqNum: null, error: 'truncated', fields: [], decoded: {},
    });
    for (const r of records.filter((x) => x.error === null)) {
      const text = stream.toString('latin1', r.offset, r.offset + r.length);
      expect(r.fields.map(([t, v]: [number, string]) => `${t}=${v}\x01`).join('')).toBe(text);
      expect(r.msgType).toBe(r.fields[2][1]);
    }
    const covered = records.reduce((n, r) => n + r.length, 0);
    expect(covered).toBe(stream.length);
  });

  it('reads standard input when given -', async () => {
    const fromStdin = await tickgate(['decode', 'fix', '-'], stream);
    const fromFile = await tickgate(['decode', 'fix', file]);
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });

  it('honours --max-message-bytes', async () => {
    const r = await tickgate(['decode', 'fix', '--backend', 'sim', '--max-message-bytes', '100', file]);
    const tooLong = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((x) => x.error === 'too_long');
    expect(tooLong.length).toBeGreaterThan(100);
  });

  it.each([
    [['decode', 'fix', '--backend', 'fpga', 'x'], /--backend must be one of sim, ref, pcie, serial, not "fpga"/],
    [['decode', 'fix', '/no/such/file'], /cannot read input \/no\/such\/file: no such file or folder/],
    [['decode', 'fix'], /missing input/],
    [['decode', 'fix', '--max-message-bytes', '0', '-'], /--max-message-bytes must be a whole number/],
    [['decode', 'fix', '--frobnicate', '-'], /Unknown option '--frobnicate'/],
    [['decode', 'csv', '-'], /cannot decode "csv"/],
    [['launch'], /unknown command "launch"/],
  ])('exits 2 with one message for %j', async (args, message) => {
    const r = await tickgate(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('tickgate with its output closed early', () => {
  it('stops quietly with the status of SIGPIPE, as cat does under head', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tickgate-cli-'));
    try {
      const file = path.join(dir, 'day.pcap');
      const { generateItchSession, moldPacketize, pcapFile } = await import('../src/itch/generator.js');
      writeFileSync(file, pcapFile(moldPacketize(generateItchSession({ seed: 3, symbols: ['AAPL'], messages: 50_000 }), { session: 'S1', firstSeq: 1 })));
      const child = execFile(process.execPath, [bin, 'decode', 'itch', '--backend', 'ref', file], { encoding: 'latin1' });
      let stderr = '';
      child.stderr!.on('data', (d) => { stderr += d; });
      child.stdout!.once('data', () => child.stdout!.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect(stderr).toBe('');
      expect(code).toBe(141);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tickgate demo', () => {
  it('streams exchange messages over loopback TCP through the simulated device', async () => {
    const r = await tickgate(['demo', '--messages', '50']);
    expect(r.code).toBe(0);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.filter((x) => x.error === null)).toHaveLength(50);
    expect(records.filter((x) => x.error === 'garbled')).toHaveLength(1);
    expect(records.at(-1).error).toBe('truncated');
    expect(r.stderr).toMatch(/device counters \{"messages":50,/);
  });
});

