// fast-check generators of FIX byte streams: valid messages with numeric, flag and text values, and the
// ways real streams go wrong (bad tags, missing "=", wrong BodyLength and CheckSum, cut-offs, junk).
import fc from 'fast-check';
import { checksum, SOH } from '../../src/fix/message.js';

const DECODED_TAGS = [9, 34, 36, 7, 16, 108, 43, 97, 123, 14, 31, 32, 38, 44, 6, 99, 151];
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 24 });
const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

const numericValue = fc.oneof(
  digits(1, 6),
  fc.tuple(fc.constantFrom('', '-'), digits(0, 8), fc.constantFrom('', '.'), digits(0, 8)).map((p) => p.join('')),
  digits(17, 24),                                           // near and past 2^63
  fc.constantFrom('9223372036854775807', '9223372036854775808', '-9223372036854775807', '922337203685477580.7', '-0', '-0.0', '0.', '.5'),
  fc.constantFrom('1.2.3', '--1', '1-', '+5', '1e5', ' 7', 'Y', 'N', 'y', 'YN', ''),
);
const value = fc.oneof({ weight: 3, arbitrary: numericValue }, { weight: 2, arbitrary: printable }, { weight: 1, arbitrary: fc.constant('') });
const goodTag = fc.oneof(fc.constantFrom(...DECODED_TAGS), fc.integer({ min: 1, max: 20000 })).map(String);
const badTag = fc.constantFrom('', 'abc', '0', '00', '0035', '1234567890', '99999999999', '4x', '-1');
const flagField = fc.tuple(fc.constantFrom(43, 97, 123), fc.constantFrom('Y', 'N', 'y', 'YY', '', '1')).map(([t, v]) => `${t}=${v}${SOH}`);
const field = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.oneof({ weight: 30, arbitrary: goodTag }, { weight: 1, arbitrary: badTag }), value).map(([t, v]) => `${t}=${v}${SOH}`) },
  { weight: 1, arbitrary: flagField },
);
const noEquals = fc.constantFrom('35D', '', '12345').map((t) => `${t}${SOH}`);

export interface MessageShape {
  begin: string;
  msgType: string;
  body: string[];
  bodyLengthDelta: number;
  checksumText: string | null;
}

/** A message from raw field texts, with a BodyLength off by `bodyLengthDelta` and a replaced CheckSum. */
export function rawMessage({ begin, msgType, body, bodyLengthDelta, checksumText }: MessageShape): Buffer {
  const bodyText = `35=${msgType}${SOH}` + body.join('');
  const head = `8=${begin}${SOH}9=${Buffer.byteLength(bodyText, 'latin1') + bodyLengthDelta}${SOH}`;
  const withoutTrailer = Buffer.from(head + bodyText, 'latin1');
  return Buffer.concat([withoutTrailer, Buffer.from(`10=${checksumText ?? checksum(withoutTrailer)}${SOH}`, 'latin1')]);
}

const shape = (mostlyValid: boolean) => fc.record({
  begin: fc.constantFrom('FIX.4.2', 'FIX.4.4', 'FIXT.1.1'),
  msgType: fc.constantFrom('0', '8', 'D', 'A', 'AE', 'j', 'XYZ', 'L'.repeat(300)),
  body: fc.array(mostlyValid ? field : fc.oneof({ weight: 6, arbitrary: field }, { weight: 1, arbitrary: noEquals }), { maxLength: 14 }),
  bodyLengthDelta: mostlyValid ? fc.constant(0) : fc.oneof(fc.constant(0), fc.integer({ min: -3, max: 3 })),
  checksumText: mostlyValid ? fc.constant(null) : fc.oneof(fc.constant(null), digits(3, 3), fc.constantFrom('1', '1234', 'abc', '')),
});

export const validMessage = shape(true).map(rawMessage);
export const malformedMessage = shape(false).map(rawMessage);

const tokens = ['8=FIX', '8=FI', '8=', '\x018=FIX', '\x0110=', '\x0110=123\x01', '10=', '\x01', '=', '8=FIX.4.4\x01', 'X', '\x01\x01', '9=5\x01', '35=D\x01'];
const adversarial = fc.array(fc.constantFrom(...tokens), { minLength: 1, maxLength: 6 }).map((t) => Buffer.from(t.join(''), 'latin1'));

const truncatedMessage = validMessage.chain((m) => fc.integer({ min: 1, max: m.length - 1 }).map((n) => m.subarray(0, n)));
const corruptedMessage = validMessage.chain((m) =>
  fc.tuple(fc.integer({ min: 0, max: m.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, b]) => {
    const c = Buffer.from(m);
    c[at] = b;
    return c;
  }),
);
const longValue = fc.tuple(fc.integer({ min: 60, max: 400 }), fc.constantFrom('7', 'x')).map(([n, c]) =>
  rawMessage({ begin: 'FIX.4.4', msgType: '8', body: [`58=${c.repeat(n)}${SOH}`, `38=${'1'.repeat(n)}${SOH}`], bodyLengthDelta: 0, checksumText: null }));
// decimals with about 255 digits after the point, where the scale saturates
const longScale = fc.integer({ min: 250, max: 258 }).map((n) =>
  rawMessage({ begin: 'FIX.4.4', msgType: '8', body: [`44=0.${'0'.repeat(n)}${SOH}`, `6=-.${'0'.repeat(n - 1)}5${SOH}`], bodyLengthDelta: 0, checksumText: null }));

export const segment = fc.oneof(
  { weight: 6, arbitrary: validMessage },
  { weight: 3, arbitrary: malformedMessage },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)) },
  { weight: 2, arbitrary: adversarial },
  { weight: 1, arbitrary: truncatedMessage },
  { weight: 1, arbitrary: corruptedMessage },
  { weight: 1, arbitrary: longValue },
  { weight: 1, arbitrary: longScale },
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
