// The event encoder (src/serve/event-encoder.ts) against protobufjs: for every ITCH message record the golden
// model makes from random feeds, and every book update of generated and deep order flow, the same bytes as
// `Event.encode(Event.fromObject(...))` of the event object, host times across 2^32 and 2^53 included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeItch, generateItchSession } from '../src/itch/generator.js';
import { FeedDecoder } from '../src/itch/ref-decoder.js';
import { encodeBookEvent, encodeItchEvent, type U64Halves } from '../src/serve/event-encoder.js';
import { eventSchema, feedEvent } from '../src/serve/events.js';
import { ProtoWriter } from '../src/serve/proto-writer.js';
import protobuf from 'protobufjs';
import { OrderBooks } from '../src/serve/order-book.js';
import { feedPacket } from './helpers/feed-arbitraries.js';

const RUNS = Number(process.env.FC_RUNS ?? 100);

const hostTime = fc.record({ low: fc.nat({ max: 0xffff_ffff }), high: fc.nat({ max: 0xffff_ffff }) }).map((h): U64Halves => ({ ...h, unsigned: true }));

const reference = (event: Record<string, unknown>) => {
  const { Event } = eventSchema();
  return Buffer.from(Event.encode(Event.fromObject(event)).finish());
};

describe('event encoder', () => {
  it('writes an ITCH message event as protobufjs does', () => {
    fc.assert(fc.property(fc.array(feedPacket, { minLength: 1, maxLength: 20 }), hostTime, fc.nat(), (packets, time, firstSeq) => {
      const decoder = new FeedDecoder();
      let n = 0;
      for (const r of packets.flatMap((p) => decoder.packet(p))) {
        if (r.kind !== 'itch') continue;
        const recordSeq = (firstSeq + n++) >>> 0;
        expect(Buffer.from(encodeItchEvent(r, recordSeq, time))).toEqual(reference({ ...feedEvent(r, recordSeq), hostTime: time }));
      }
    }), { numRuns: RUNS });
  });

  it('writes a book event as protobufjs does', () => {
    const check = (messages: Buffer[], time: U64Halves, seqBase: bigint) => {
      const books = new OrderBooks(4);
      messages.forEach((m, i) => {
        for (const book of books.apply(m, seqBase + BigInt(i))) {
          expect(Buffer.from(encodeBookEvent(book, i, time))).toEqual(reference({ recordSeq: i, book, hostTime: time }));
        }
      });
    };
    check(generateItchSession({ seed: 3, symbols: ['AAPL', 'MSFT'], messages: 2_000 }), { low: 1, high: 0x1234_5678, unsigned: true }, 1n);
    const flow = fc.array(fc.record({
      type: fc.constantFrom('A', 'F', 'E', 'X', 'D', 'U'), ref: fc.integer({ min: 1, max: 20 }), newRef: fc.integer({ min: 1, max: 20 }),
      buy: fc.boolean(), price: fc.constantFrom(1, 100, 2 ** 31 + 5, 2 ** 32 - 1), shares: fc.constantFrom(1, 2 ** 31, 2 ** 32 - 1),
      timestamp: fc.constantFrom(0, 2 ** 32 + 1, 2 ** 48 - 1),
    }).map((o) => encodeItch(o.type, {
      timestamp: o.timestamp, orderReferenceNumber: BigInt(o.ref), originalOrderReferenceNumber: BigInt(o.ref), newOrderReferenceNumber: BigInt(o.newRef),
      buySellIndicator: o.buy ? 'B' : 'S', stock: 'ZVZZT', price: o.price, shares: o.shares, executedShares: 1, cancelledShares: 1,
    })), { minLength: 20, maxLength: 200 });
    fc.assert(fc.property(flow, hostTime, fc.constantFrom(1n, 2n ** 53n, 2n ** 64n - 300n), (messages, time, seqBase) => check(messages, time, seqBase)), { numRuns: RUNS });
  });
});

describe('proto writer', () => {
  // Random writes, nested bodies of any length (lengths of one, two and three varint bytes), against
  // protobufjs's Writer doing the same; a small first buffer, so it grows.
  type Op = { op: 'varint32'; v: number } | { op: 'uint64'; v: number | string } | { op: 'int64'; v: number } | { op: 'string'; v: string } | { op: 'open' } | { op: 'close' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('varint32' as const), v: fc.nat({ max: 0xffff_ffff }) }),
    fc.record({ op: fc.constant('uint64' as const), v: fc.oneof(fc.maxSafeNat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String)) }),
    fc.record({ op: fc.constant('int64' as const), v: fc.maxSafeInteger() }),
    fc.record({ op: fc.constant('string' as const), v: fc.oneof(fc.string(), fc.string({ minLength: 100, maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 40 })) }),
    fc.constant({ op: 'open' as const }), fc.constant({ op: 'close' as const }),
  );
  it('writes what protobufjs writes', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 400 }), (ops) => {
      const mine = new ProtoWriter(16);
      const theirs = protobuf.Writer.create();
      let depth = 0;
      for (const o of ops) {
        if (o.op === 'open') { mine.fork(); theirs.fork(); depth++; continue; }
        if (o.op === 'close') { if (depth) { mine.ldelim(); theirs.ldelim(); depth--; } continue; }
        if (o.op === 'varint32') { mine.varint32(o.v); theirs.uint32(o.v); }
        if (o.op === 'uint64') { mine.uint64(o.v); theirs.uint64(o.v); }
        if (o.op === 'int64') { mine.int64(o.v); theirs.int64(o.v); }
        if (o.op === 'string') { mine.string(o.v); theirs.string(o.v); }
      }
      for (; depth; depth--) { mine.ldelim(); theirs.ldelim(); }
      expect(Buffer.from(mine.copy())).toEqual(Buffer.from(theirs.finish()));
    }), { numRuns: RUNS });
  });
});
