// `decode itch --format proto`: the same records as the NDJSON, as length-delimited Events whose JSON mapping
// is each line (random feeds with gaps, errors, odd sessions, sequence numbers near 2^53 and 2^64; the input
// in random chunks), the same bytes from both backends, and through the CLI.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeItch } from '../src/cli/decode-itch.js';
import { generateItchSession, moldPacketize, pcapFile } from '../src/itch/generator.js';
import { eventJson, eventKind, eventSchema, ITCH_MEMBER } from '../src/serve/events.js';
import { lineAsMapping } from './helpers/event-mapping.js';
import { feedPacket } from './helpers/feed-arbitraries.js';
import { tempDir } from './helpers/session.js';
import { debianPython } from './helpers/python.js';

const RUNS = Number(process.env.FC_RUNS ?? 30);

const CLI = path.resolve(__dirname, '..', 'bin', 'tickgate.js');

async function* chunks(bytes: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const c of cuts) {
    const end = Math.min(bytes.length, at + c);
    yield bytes.subarray(at, end);
    at = end;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

async function decode(bytes: Buffer, format: 'ndjson' | 'proto', backend: 'ref' | 'sim' = 'ref', cuts: number[] = []): Promise<Buffer> {
  const out: Buffer[] = [];
  await decodeItch({ backend, symbols: undefined, input: chunks(bytes, cuts), format, write: (t) => { out.push(Buffer.from(t)); }, summary: () => undefined });
  return Buffer.concat(out);
}

/** The Events of a length-delimited stream. */
function delimited(bytes: Buffer): Uint8Array[] {
  const r = protobuf.Reader.create(bytes);
  const events: Uint8Array[] = [];
  while (r.pos < r.len) events.push(r.bytes());
  return events;
}

function expectSameRecords(ndjson: Buffer, proto: Buffer): void {
  const { Event } = eventSchema();
  const lines = ndjson.toString('utf8').split('\n').filter(Boolean);
  const raw = delimited(proto);
  // canonical: what protobufjs writes for the same Event, field for field
  for (const e of raw) expect(Buffer.from(Event.encode(Event.decode(e)).finish())).toEqual(Buffer.from(e));
  const events = raw.map((e) => eventJson(Event, e));
  const recordSeqs = events.map((e) => e.recordSeq as number);
  expect(recordSeqs).toEqual([...recordSeqs].sort((a, b) => a - b));
  expect(events).toHaveLength(lines.length);
  lines.forEach((line, i) => {
    const e = events[i]!;
    const kind = (JSON.parse(line) as { kind: string }).kind;
    expect(eventKind(e)).toBe(kind);
    expect(e.hostTime).toBe('0');
    const body = kind === 'itch' ? Object.values(e.itch as Record<string, unknown>)[0] : e[kind];
    if (kind === 'itch') expect(Object.keys(e.itch as object)).toEqual([ITCH_MEMBER.get((JSON.parse(line) as { msgType: string }).msgType)]);
    expect(body).toEqual(lineAsMapping(line));
  });
}

describe('decode itch --format proto', () => {
  it('gives an Event per NDJSON line, its JSON mapping the line', async () => {
    await fc.assert(fc.asyncProperty(fc.array(feedPacket, { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 20 }), async (packets, cuts) => {
      const capture = pcapFile(packets);
      expectSameRecords(await decode(capture, 'ndjson'), await decode(capture, 'proto', 'ref', cuts));
    }), { numRuns: RUNS });
  });

  it('writes the same bytes from the simulated core, and from the CLI', async () => {
    const day = pcapFile(moldPacketize(generateItchSession({ seed: 21, symbols: ['AAPL', 'MSFT'], messages: 3_000 }), { session: 'PROTO00001', firstSeq: 1 }));
    const ref = await decode(day, 'proto');
    expect(await decode(day, 'proto', 'sim')).toEqual(ref);
    expectSameRecords(await decode(day, 'ndjson'), ref);
    const dir = tempDir('tickgate-proto-');
    writeFileSync(path.join(dir, 'day.pcap'), day);
    const cli = execFileSync(process.execPath, [CLI, 'decode', 'itch', '--backend', 'ref', '--format', 'proto', 'day.pcap'], { cwd: dir, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(cli).toEqual(ref);
    expect(() => execFileSync(process.execPath, [CLI, 'decode', 'itch', '--format', 'xml', 'day.pcap'], { cwd: dir, stdio: 'pipe' })).toThrow(/--format: "xml" is not a format: ndjson or proto/);
    expect(() => execFileSync(process.execPath, [CLI, 'decode', 'itch', '--format', 'proto', '--listen', '239.1.1.1:3000'], { cwd: dir, stdio: 'pipe' })).toThrow(/--format proto is for a file or stdin; --listen prints NDJSON/);
  }, 60_000);

  it('is read by Google protobuf (Python, protoc-compiled schema) as protobufjs reads it, a cut-short stream refused', async () => {
    const capture = pcapFile(fc.sample(fc.array(feedPacket, { minLength: 20, maxLength: 40 }), { numRuns: 1, seed: 7 })[0]!);
    const proto = await decode(capture, 'proto');
    const out = tempDir('tickgate-py-proto-');
    execFileSync('protoc', [`--python_out=${out}`, '-I', path.resolve(__dirname, '..', 'proto'), 'tickgate.proto']);
    const reader = path.resolve(__dirname, '..', 'examples', 'python', 'read_events.py');
    const env = { ...process.env, PYTHONPATH: `${out}${path.delimiter}${path.dirname(reader)}` };
    const py = execFileSync(debianPython(), [reader], { input: proto, env, maxBuffer: 1 << 26 }).toString().trim().split('\n').map((l) => JSON.parse(l) as unknown);
    const { Event } = eventSchema();
    const ts = delimited(proto).map((e) => eventJson(Event, e));
    expect(ts.length).toBeGreaterThan(10);
    expect(py).toEqual(ts);
    expect(() => execFileSync(debianPython(), [reader], { input: proto.subarray(0, proto.length - 3), env, stdio: 'pipe' })).toThrow(/the input ends inside an event/);
  }, 60_000);
});
