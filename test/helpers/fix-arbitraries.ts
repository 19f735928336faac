// fast-check generators of FIX byte streams: valid messages, and the ways real streams go wrong.
import fc from 'fast-check';
import { buildMessage } from '../../src/fix/message.js';

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 24 });
const field = fc.tuple(fc.integer({ min: 1, max: 20000 }), printable).map(([t, v]) => [t, v] as const);

export const validMessage = fc
  .record({
    begin: fc.constantFrom('FIX.4.2', 'FIX.4.4', 'FIXT.1.1'),
    msgType: fc.constantFrom('0', '8', 'D', 'A', 'AE', 'j'),
    fields: fc.array(field, { maxLength: 12 }),
  })
  .map(({ begin, msgType, fields }) => buildMessage(begin, [[35, msgType], ...fields]));

const tokens = ['8=FIX', '8=FI', '8=', '\x018=FIX', '\x0110=', '\x0110=123\x01', '10=', '\x01', '=', '8=FIX.4.4\x01', 'X', '\x01\x01'];
const adversarial = fc.array(fc.constantFrom(...tokens), { minLength: 1, maxLength: 6 }).map((t) => Buffer.from(t.join(''), 'latin1'));

const truncatedMessage = validMessage.chain((m) => fc.integer({ min: 1, max: m.length - 1 }).map((n) => m.subarray(0, n)));
const corruptedMessage = validMessage.chain((m) =>
  fc.tuple(fc.integer({ min: 0, max: m.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, b]) => {
    const c = Buffer.from(m);
    c[at] = b;
    return c;
  }),
);

export const segment = fc.oneof(
  { weight: 8, arbitrary: validMessage },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)) },
  { weight: 2, arbitrary: adversarial },
  { weight: 1, arbitrary: truncatedMessage },
  { weight: 1, arbitrary: corruptedMessage },
);

export const fixStream = fc.array(segment, { maxLength: 24 }).map((parts) => Buffer.concat(parts));

/** Cuts `bytes` into chunks at random points (each chunk 1..maxChunk bytes). */
export function chunked(maxChunk: number) {
  return fc.array(fc.integer({ min: 1, max: maxChunk }), { minLength: 1, maxLength: 64 });
}

export function cut(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const n = sizes[k++ % sizes.length]!;
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}
