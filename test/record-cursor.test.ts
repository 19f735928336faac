// RecordCursor reads, in place, what decodeRecords builds into events: the same values for every kind of
// record, and the same DeviceProtocolError for a batch the host cannot read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecords, DeviceProtocolError, type DeviceEvent } from '../src/device/events.js';
import {
  DECODED_NAME, FIX_FIELDS_AT, FIX_FIELDS_ENTRIES, FIX_FIELDS_ENTRY0, FIX_FIELDS_ENTRY_AT, FIX_FIELDS_ENTRY_STRIDE, FIX_FRAME_AT,
  KIND, RECORD_BYTES, STREAM_END_AT,
} from '../src/device/generated/layout.js';
import { RecordCursor } from '../src/device/record-cursor.js';

const RUNS = Number(process.env.FC_RUNS ?? 200);
const DECODED_TYPES = Object.keys(DECODED_NAME).map(Number);

/** A record the host can read: a known kind, and within it values that decodeRecords accepts. */
const record = fc.record({
  kind: fc.constantFrom(...Object.values(KIND)),
  bytes: fc.uint8Array({ minLength: RECORD_BYTES, maxLength: RECORD_BYTES }),
  count: fc.integer({ min: 1, max: FIX_FIELDS_ENTRIES }),
  types: fc.array(fc.constantFrom(...DECODED_TYPES), { minLength: FIX_FIELDS_ENTRIES, maxLength: FIX_FIELDS_ENTRIES }),
  error: fc.integer({ min: 0, max: 5 }),
}).map(({ kind, bytes, count, types, error }) => {
  const r = Buffer.from(bytes);
  r[0] = kind;
  const clearTop = (at: number) => { r[at + 6] = 0; r[at + 7] = 0; };  // u64s of a day: below 2^48
  if (kind === KIND.fix_fields) {
    r[FIX_FIELDS_AT.count] = count;
    clearTop(FIX_FIELDS_AT.messageOffset);
    for (let k = 0; k < FIX_FIELDS_ENTRIES; k++) {
      const e = FIX_FIELDS_ENTRY0 + k * FIX_FIELDS_ENTRY_STRIDE;
      r[e + FIX_FIELDS_ENTRY_AT.decodedType] = types[k]!;
      clearTop(e + FIX_FIELDS_ENTRY_AT.value);
    }
  } else if (kind === KIND.fix_frame) {
    r[1] = error;
    clearTop(FIX_FRAME_AT.offset);
  } else if (kind === KIND.stream_end) {
    clearTop(STREAM_END_AT.offset);
  }
  return r;
});

/** What the cursor reads of each record, in the shape of the events decodeRecords makes of it. */
function viaCursor(batch: Buffer): unknown[] {
  const c = new RecordCursor().reset(batch);
  const out: unknown[] = [];
  while (c.next()) {
    if (c.kind === KIND.fix_fields) {
      for (let k = 0; k < c.u8(FIX_FIELDS_AT.count); k++) {
        out.push({
          kind: 'fix_field', seq: c.seq, messageOffset: c.u64(FIX_FIELDS_AT.messageOffset), tag: c.fieldTag(k),
          valueOffset: c.fieldValueOffset(k), valueLength: c.fieldValueLength(k), decodedType: DECODED_NAME[c.fieldDecodedType(k)],
          scale: c.fieldScale(k), value: c.fieldDecodedType(k) === 0 ? 0 : c.fieldValue(k),
        });
      }
    } else if (c.kind === KIND.fix_frame) {
      out.push({ kind: 'fix_frame', seq: c.seq, offset: c.u64(FIX_FRAME_AT.offset), length: c.u32(FIX_FRAME_AT.length), timestamp: c.u64Exact(FIX_FRAME_AT.timestamp) });
    } else if (c.kind === KIND.stream_end) {
      out.push({ kind: 'stream_end', seq: c.seq, bytes: c.u64(STREAM_END_AT.offset), timestamp: c.u64Exact(STREAM_END_AT.timestamp) });
    } else {
      out.push({ kind: c.kind === KIND.risk_verdict ? 'risk_record' : 'feed_record', seq: c.seq, record: Buffer.from(c.record()) });
    }
  }
  return out;
}

/** An event as viaCursor gives it. */
function comparable(e: DeviceEvent): unknown {
  if (e.kind === 'fix_field') return { ...e, value: Number(e.value) };
  if (e.kind === 'fix_frame') return { kind: e.kind, seq: e.seq, offset: e.offset, length: e.length, timestamp: e.timestamp };
  if (e.kind === 'feed_record' || e.kind === 'risk_record') return { ...e, record: Buffer.from(e.record) };
  return e;
}

function viaEvents(batch: Buffer): unknown[] {
  return decodeRecords(batch).map(comparable);
}

describe('RecordCursor', () => {
  it('reads every kind of record as decodeRecords does', () => {
    fc.assert(fc.property(fc.array(record, { maxLength: 40 }), (records) => {
      const batch = Buffer.concat(records);
      expect(viaCursor(batch)).toEqual(viaEvents(batch));
    }), { numRuns: RUNS });
  });

  it('gives the FIX and feed families in runs when asked: the same records, in order, none lost or repeated', () => {
    const FIX = new Set<number>([KIND.fix_fields, KIND.fix_frame, KIND.stream_end]);
    const FEED = new Set<number>([KIND.feed_session, KIND.itch_message, KIND.itch_more, KIND.feed_gap, KIND.feed_error]);
    fc.assert(fc.property(fc.array(record, { maxLength: 60 }), fc.boolean(), fc.boolean(), (records, fix, feed) => {
      const batch = Buffer.concat(records);
      const events = decodeRecords(batch, [], { fix, feed });
      // every run of the asked-for family stands for its records, which decoded one by one give the plain events
      const again: unknown[] = [];
      for (const e of events) {
        if (e.kind === 'fix_records' || e.kind === 'feed_records') {
          expect(fix || feed).toBe(true);
          expect(e.records.length % RECORD_BYTES).toBe(0);
          expect(e.records.length).toBeLessThanOrEqual(16 * RECORD_BYTES);
          expect(e.records.buffer).toBe(batch.buffer);
          for (let at = 0; at < e.records.length; at += RECORD_BYTES) {
            const kind = e.records[at]!;
            expect((e.kind === 'fix_records' ? FIX : FEED).has(kind)).toBe(true);
            expect(e.kind === 'fix_records' ? fix : feed).toBe(true);
          }
          again.push(...viaEvents(Buffer.from(e.records)));
        } else {
          if (e.kind === 'fix_field' || e.kind === 'fix_frame' || e.kind === 'stream_end') expect(fix).toBe(false);
          if (e.kind === 'feed_record') expect(feed).toBe(false);
          again.push(comparable(e));
        }
      }
      expect(again).toEqual(viaEvents(batch));
    }), { numRuns: RUNS });
  });

  it('reads a record in place: record() is a view of the batch, not a copy', () => {
    const batch = Buffer.alloc(2 * RECORD_BYTES);
    batch[0] = KIND.feed_gap;
    batch[RECORD_BYTES] = KIND.itch_message;
    const c = new RecordCursor().reset(batch);
    expect(c.next()).toBe(true);
    expect(c.next()).toBe(true);
    const r = c.record();
    expect(r.buffer).toBe(batch.buffer);
    expect(r.byteOffset).toBe(batch.byteOffset + RECORD_BYTES);
    expect(c.next()).toBe(false);
  });

  it.each([
    ['a batch that is not whole records', Buffer.alloc(RECORD_BYTES + 3), /not a multiple of 64/],
    ['an unknown kind', Buffer.from([0x2a, 0, 0, 0, 7, 0, 0, 0, ...new Array(56).fill(0)]), /record 7 has unknown kind 42/],
    ['a field record with no entries', Buffer.from([KIND.fix_fields, 0, 0, 0, 9, 0, 0, 0, ...new Array(56).fill(0)]), /record 9 holds 0 field entries/],
  ])('%s: the DeviceProtocolError decodeRecords gives', (_what, batch, message) => {
    expect(() => decodeRecords(batch)).toThrow(message);
    expect(() => { const c = new RecordCursor().reset(batch); while (c.next()); }).toThrow(DeviceProtocolError);
    expect(() => { const c = new RecordCursor().reset(batch); while (c.next()); }).toThrow(message);
  });
});
