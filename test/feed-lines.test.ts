// FeedLineWriter writes `decode itch`'s NDJSON straight from device records; FeedRecordReader +
// feedRecordJson is the readable reference. Both must give the same bytes for any feed the golden model
// turns into records (odd alpha bytes, sequence numbers past 2^53, blank sessions, gaps and errors), and
// for a record stream the host cannot read, the same lines before the same error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEED_ERROR, KIND, RECORD_AT_COMMON, RECORD_BYTES } from '../src/device/generated/layout.js';
import { FeedLineWriter } from '../src/itch/feed-lines.js';
import { encodeFeedRecord, FeedRecordReader } from '../src/itch/feed-records.js';
import { FeedDecoder, feedRecordJson } from '../src/itch/ref-decoder.js';
import { feedPacket as packet, ITCH_TYPE_LIST as TYPES } from './helpers/feed-arbitraries.js';

const RUNS = Number(process.env.FC_RUNS ?? 200);

/** The device's records of these packets, stamped as the core's merge does. */
function deviceRecords(packets: Buffer[], symbols?: Set<string>): Buffer[] {
  const decoder = new FeedDecoder(symbols);
  const out: Buffer[] = [];
  for (const p of packets) for (const r of decoder.packet(p)) out.push(...encodeFeedRecord(r));
  out.forEach((b, i) => b.writeUInt32LE(i, RECORD_AT_COMMON.seq));
  return out;
}

/** The reference: every line until the first error, and that error's message. */
function referenceLines(records: Buffer[]): { text: string; error: string | undefined } {
  const reader = new FeedRecordReader();
  let text = '';
  try {
    for (const rec of records) {
      const r = reader.push(rec);
      if (r && r.kind !== 'session') text += feedRecordJson(r) + '\n';
    }
  } catch (err) {
    return { text, error: (err as Error).message };
  }
  return { text, error: undefined };
}

/** The writer over the same records, its output taken at the given points. */
function writerLines(records: Buffer[], takeAt: Set<number>): { text: string; error: string | undefined } {
  const w = new FeedLineWriter(256);
  let text = '';
  try {
    records.forEach((rec, i) => {
      w.push(rec);
      if (takeAt.has(i)) text += w.take().toString('utf8');
    });
  } catch (err) {
    return { text: text + w.take().toString('utf8'), error: (err as Error).message };
  }
  return { text: text + w.take().toString('utf8'), error: undefined };
}

describe('FeedLineWriter', () => {
  it('writes the reference lines for any feed the golden model decodes', () => {
    fc.assert(fc.property(fc.array(packet, { minLength: 1, maxLength: 30 }), fc.boolean(), fc.array(fc.nat(200)),
      (packets, filtered, takes) => {
        const records = deviceRecords(packets, filtered ? new Set(['AAPL']) : undefined);
        const ref = referenceLines(records);
        expect(ref.error).toBeUndefined();
        expect(writerLines(records, new Set(takes))).toEqual(ref);
      }), { numRuns: RUNS });
  });

  it('reads records from a batch at any offset', () => {
    const records = deviceRecords([Buffer.concat([
      Buffer.from('BENCH00001'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 2]),
      ...[TYPES.find((t) => t.type === 'A')!, TYPES.find((t) => t.type === 'I')!].flatMap((t) => {
        const m = Buffer.alloc(t.length, 0x41);
        m[0] = t.type.charCodeAt(0);
        return [Buffer.from([0, t.length]), m];
      }),
    ])]);
    const batch = Buffer.concat([Buffer.alloc(RECORD_BYTES), ...records]);
    const w = new FeedLineWriter();
    for (let at = RECORD_BYTES; at < batch.length; at += RECORD_BYTES) w.push(batch, at);
    expect(w.take().toString()).toBe(referenceLines(records).text);
    expect(referenceLines(records).text.split('\n')).toHaveLength(3);
  });

  it('writes the longest lines whole: every alpha byte escaped, the session too', () => {
    // a session of NUL bytes (an anonymised capture) and messages whose alpha bytes are all control bytes
    const packets = TYPES.map((t, k) => {
      const m = Buffer.alloc(t.length, 0x01);
      m[0] = t.type.charCodeAt(0);
      const h = Buffer.alloc(20);
      h.writeBigUInt64BE(BigInt(k + 1), 10);
      h.writeUInt16BE(1, 18);
      return Buffer.concat([h, Buffer.from([0, t.length]), m]);
    });
    const records = deviceRecords(packets);
    const ref = referenceLines(records);
    expect(Math.max(...ref.text.split('\n').map((l) => l.length))).toBeGreaterThan(512);
    // taken after every record: each line starts a fresh block, as small as the writer allows
    expect(writerLines(records, new Set(records.keys()))).toEqual(ref);
  });

  it('gives the reference lines and error for records the host cannot read', () => {
    const feedKinds = [KIND.feed_session, KIND.itch_message, KIND.itch_more, KIND.feed_gap, KIND.feed_error, KIND.fix_frame];
    const damaged = fc.record({ kind: fc.constantFrom(...feedKinds), bytes: fc.uint8Array({ minLength: RECORD_BYTES, maxLength: RECORD_BYTES }) })
      .map(({ kind, bytes }) => {
        const b = Buffer.from(bytes);
        b[0] = kind;
        if (kind === KIND.feed_error) b[1] = Object.values(FEED_ERROR)[b[1]! % 6] ?? 0x7f;
        b[3] = b[3]! & 3;
        // mostly a real type (often a long one, whose body goes on in an itch_more) and a 6-byte timestamp
        if (b[63]! < 200) b[2] = (b[62]! < 100 ? 'IO' : 'AIOEPR').charCodeAt(b[61]! % 2 + (b[62]! < 100 ? 0 : b[60]! % 4));
        if (b[59]! < 128) { b[22] = 0; b[23] = 0; }
        return b;
      });
    fc.assert(fc.property(fc.array(packet, { maxLength: 6 }), fc.array(damaged, { minLength: 1, maxLength: 6 }), fc.nat(), fc.array(fc.nat(20)),
      (packets, bad, where, takes) => {
        const records = deviceRecords(packets);
        const at = where % (records.length + 1);
        const stream = [...records.slice(0, at), ...bad, ...records.slice(at)];
        expect(writerLines(stream, new Set(takes))).toEqual(referenceLines(stream));
      }), { numRuns: RUNS });
  });
});
