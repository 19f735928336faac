// decode fix writes its NDJSON straight from the device's FIX records (FixLineWriter); the readable path
// (event objects, FixMessageAssembler, fixMessageJson) is the reference it must match byte for byte, on both
// backends, however the input is chunked. The reference device's records are the same events as its objects.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecords, openDevice, type BackendName, type DeviceEvent } from '../src/device/index.js';
import { REG, REG_BIT } from '../src/device/generated/layout.js';
import { RefDevice } from '../src/device/ref-device.js';
import { decodeFixStream } from '../src/fix/decode.js';
import { FixLineWriter } from '../src/fix/fix-lines.js';
import { formatDecimal, referenceFixLines } from '../src/fix/message-assembler.js';
import { recordViews, writeFieldRecord, writeFrameRecord } from '../src/fix/ref-records.js';
import { JsonBytes } from '../src/util/json-bytes.js';
import { chunked, cut, fixStream } from './helpers/fix-arbitraries.js';

const seed = Number(process.env.FC_SEED ?? 7);
const runs = Number(process.env.FC_RUNS ?? 1000);

async function* chunks(parts: Uint8Array[]) { for (const c of parts) yield c; }

async function lines(backend: BackendName, parts: Uint8Array[]): Promise<string> {
  const device = openDevice({ backend });
  const out: Buffer[] = [];
  await decodeFixStream(device, chunks(parts), (b) => { out.push(Buffer.from(b)); });
  await device.close();
  return Buffer.concat(out).toString('utf8');
}

async function reference(parts: Uint8Array[]): Promise<string> {
  const device = openDevice({ backend: 'ref' });
  const text = await referenceFixLines(device, chunks(parts));
  await device.close();
  return text;
}

/** Every event the reference device sends for `bytes`, as objects or as records decoded to objects. */
async function refEvents(bytes: Uint8Array, records: boolean): Promise<DeviceEvent[]> {
  const device = new RefDevice();
  if (records) device.deliverFixRecords();
  device.writeReg(REG.CONTROL, 1 << REG_BIT.CONTROL_FIX_RX_ENABLE);
  await device.send(bytes, { end: true });
  await device.close();
  const events: DeviceEvent[] = [];
  for await (const ev of device.events()) {
    if (ev.kind === 'fix_records') decodeRecords(ev.records, events);
    else events.push(ev);
  }
  return events;
}

describe('FixLineWriter (decode fix)', () => {
  it('prints the reference lines byte for byte on ref and sim, however the input is chunked (fast-check seed 7)', async () => {
    await fc.assert(
      fc.asyncProperty(fixStream, chunked(300), async (bytes, sizes) => {
        const expected = await reference([bytes]);
        expect(await lines('ref', cut(bytes, sizes))).toBe(expected);
        expect(await lines('sim', cut(bytes, sizes))).toBe(expected);
      }),
      { seed, numRuns: runs / 10 },
    );
  });

  it('gets from the reference device as records exactly the events it sends as objects', async () => {
    await fc.assert(
      fc.asyncProperty(fixStream, async (bytes) => {
        const asRecords = await refEvents(bytes, true);
        expect(asRecords).toEqual(await refEvents(bytes, false));
        expect(asRecords.at(-1)?.kind).toBe('stream_end');
      }),
      { seed, numRuns: runs / 5 },
    );
  });

  it('holds a message whose bytes arrive over many chunks, and lines past its block size', async () => {
    const one = Buffer.from('8=FIX.4.4\x019=5\x0135=0\x0110=163\x01', 'latin1');
    const bytes = Buffer.concat(Array.from({ length: 3000 }, () => one));
    const parts = cut(bytes, [1, 7, 64, 3]);
    expect(await lines('ref', parts)).toBe(await reference([bytes]));
  });

  it('refuses a frame record whose field count does not match the entries before it', () => {
    const w = new FixLineWriter();
    w.append(Buffer.from('8=FIX.4.4\x019=5\x0135=A\x0110=180\x01', 'latin1'));
    const batch = Buffer.alloc(128);
    const view = recordViews(batch);
    writeFieldRecord(view, 0, 0, { messageOffset: 0, tag: 8, valueOffset: 2, valueLength: 7, type: 0, scale: 0, neg: false, mant: 0, mantBig: null });
    writeFrameRecord(view, 64, 1, {
      kind: 'fix_frame', offset: 0, length: 26, error: null, fieldCount: 4, msgType: 'A', msgTypeLength: 1, msgSeqNum: null,
      bodyLength: 5, checksum: 180, computedChecksum: 180, possDup: false, possResend: false,
    });
    expect(() => w.records(batch)).toThrow(/1 field entries arrived, the record says 4/);
  });

  it('refuses records it cannot read: an unknown decoded type, an unknown error code, a record of another path', () => {
    const w = new FixLineWriter();
    const batch = Buffer.alloc(64);
    const view = recordViews(batch);
    writeFieldRecord(view, 0, 3, { messageOffset: 0, tag: 8, valueOffset: 2, valueLength: 7, type: 9, scale: 0, neg: false, mant: 0, mantBig: null });
    expect(() => w.records(batch)).toThrow(/record 3 has unknown decoded type 9/);
    writeFrameRecord(view, 0, 4, {
      kind: 'fix_frame', offset: 0, length: 26, error: null, fieldCount: 0, msgType: 'A', msgTypeLength: 1, msgSeqNum: null,
      bodyLength: 5, checksum: 180, computedChecksum: 180, possDup: false, possResend: false,
    });
    batch[1] = 77;
    expect(() => new FixLineWriter().records(batch)).toThrow(/record 4 has unknown error code 77/);
    batch[0] = 5;   // itch_message
    expect(() => new FixLineWriter().records(batch)).toThrow(/record 4 of kind 5 among the FIX records/);
  });
});

describe('JsonBytes', () => {
  const written = (write: (j: JsonBytes) => void) => {
    const j = new JsonBytes(16);
    j.room(4096);
    write(j);
    return j.take().toString('utf8');
  };

  it('writes a decimal as formatDecimal does', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 255 }), (neg, m, scale) => {
        expect(written((j) => j.decimal(neg, m, scale))).toBe(formatDecimal(neg ? -BigInt(m) : BigInt(m), scale));
      }),
      { seed, numRuns: runs },
    );
  });

  it('writes a number as String() does, at every digit count and both sides of each power of ten', () => {
    const edges = Array.from({ length: 15 }, (_, i) => 10 ** (i + 1)).flatMap((p) => [p - 1, p]);
    for (const v of [0, 9, ...edges, 2 ** 31 - 1, 2 ** 31, Number.MAX_SAFE_INTEGER]) expect(written((j) => j.number(v))).toBe(String(v));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 15 }), (m, shift) => {
        const v = Math.floor(m / 10 ** shift);
        expect(written((j) => j.number(v))).toBe(String(v));
      }),
      { seed, numRuns: runs },
    );
  });

  it('writes bytes read as latin1 as JSON.stringify writes the string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const b = Buffer.from(bytes);
        expect(written((j) => j.string(b, 0, b.length))).toBe(JSON.stringify(b.toString('latin1')));
      }),
      { seed, numRuns: runs },
    );
  });
});
