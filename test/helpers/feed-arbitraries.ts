// Random MoldUDP64 feeds for differential tests: packets of a few sessions (one blank, one with bytes JSON
// must escape), sequence numbers near 1, 2^53 and 2^64, messages of every ITCH type with random bytes (alpha
// fields any byte, spaces often), some of a wrong length or an unknown type, packets cut short or with
// bytes after the last message.
import fc from 'fast-check';
import { ITCH_TYPES } from '../../src/itch/messages.js';

export const ITCH_TYPE_LIST = [...ITCH_TYPES.values()];

/** A message: mostly a known type of the right length with random bytes (alpha fields any byte, spaces
 *  often, so trimming is exercised), sometimes a wrong length or an unknown type. */
export const itchMessage = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constantFrom(...ITCH_TYPE_LIST), bytes: fc.uint8Array({ minLength: 64, maxLength: 64 }), spaces: fc.uint8Array({ minLength: 64, maxLength: 64 }) })
    .map(({ t, bytes, spaces }) => {
      const m = Buffer.from(bytes.subarray(0, t.length));
      m.forEach((_, i) => { if (spaces[i]! < 90) m[i] = 0x20; });
      m[0] = t.type.charCodeAt(0);
      return m;
    }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 60 }).map((b) => Buffer.from(b)) },
);

/** A MoldUDP64 packet of one of a few sessions (one blank, as a BinaryFILE's), sequence numbers near 1,
 *  near 2^53 or near 2^64; sometimes cut short or with bytes after the last message. */
export const feedPacket = fc.record({
  session: fc.constantFrom('BENCH00001', '          ', 'S\u00e9SS "\\\t', 'SESSION003', 'SESSION004', 'SESSION005'),
  seqBase: fc.constantFrom(1n, 2n ** 53n - 3n, 2n ** 64n - 5n),
  seqOffset: fc.integer({ min: 0, max: 6 }),
  messages: fc.array(itchMessage, { maxLength: 5 }),
  cut: fc.integer({ min: -1, max: 200 }),
  trailing: fc.uint8Array({ maxLength: 3 }),
}).map(({ session, seqBase, seqOffset, messages, cut, trailing }) => {
  const h = Buffer.alloc(20);
  h.write(session, 0, 'latin1');
  h.writeBigUInt64BE((seqBase + BigInt(seqOffset)) & (2n ** 64n - 1n), 10);
  h.writeUInt16BE(messages.length, 18);
  const body = messages.flatMap((m) => [Buffer.from([m.length >> 8, m.length & 0xff]), m]);
  const p = Buffer.concat([h, ...body, Buffer.from(trailing)]);
  return cut >= 0 && cut < p.length ? p.subarray(0, cut) : p;
});

