// The host side of decode fix: however the input arrives in chunks, the NDJSON is the same, on both
// backends; the assembler refuses records that do not add up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDevice, type BackendName, type FixFieldEvent, type FixFrameEvent } from '../src/device/index.js';
import { decodeFixStream } from '../src/fix/decode.js';
import { FixMessageAssembler } from '../src/fix/message-assembler.js';
import { chunked, cut, fixStream } from './helpers/fix-arbitraries.js';

async function decode(backend: BackendName, chunks: Uint8Array[]): Promise<string> {
  const device = openDevice({ backend });
  let out = '';
  async function* input() { for (const c of chunks) yield c; }
  await decodeFixStream(device, input(), (text) => { out += text; });
  await device.close();
  return out;
}

describe('decode fix on the host', () => {
  it('prints the same NDJSON however the input is chunked, on both backends (fast-check seed 7)', async () => {
    await fc.assert(
      fc.asyncProperty(fixStream, chunked(300), async (bytes, sizes) => {
        const whole = await decode('ref', [bytes]);
        expect(await decode('ref', cut(bytes, sizes))).toBe(whole);
        expect(await decode('sim', cut(bytes, sizes))).toBe(whole);
      }),
      { seed: Number(process.env.FC_SEED ?? 7), numRuns: Number(process.env.FC_RUNS ?? 1000) / 10 },
    );
  });

  it('refuses a frame record whose field count does not match the entries that came before it', () => {
    const a = new FixMessageAssembler();
    a.append(Buffer.from('8=FIX.4.4\x019=5\x0135=A\x0110=180\x01', 'latin1'));
    const field: FixFieldEvent = {
      kind: 'fix_field', seq: 0, messageOffset: 0, tag: 8, valueOffset: 2, valueLength: 7, decodedType: 'none', scale: 0, value: 0n,
    };
    a.field(field);
    const frame: FixFrameEvent = {
      kind: 'fix_frame', seq: 1, offset: 0, length: 26, error: null, fieldCount: 4, msgType: 'A', msgTypeLength: 1, msgSeqNum: null,
      bodyLength: 5, checksum: 180, computedChecksum: 180, possDup: false, possResend: false, timestamp: 0n,
    };
    expect(() => a.frame(frame)).toThrow(/1 field entries arrived, the record says 4/);
  });
});
