// The event schema (proto/tickgate.proto): every feed record the golden model makes becomes an Event that
// survives encode and decode, and its proto3 JSON mapping is the `decode itch` line: the same names and
// values, with 64-bit integers (seq, timestamp, 8-byte fields) as decimal strings, an absent session or seq
// as the default or absent field. The schema file is what spec/ generates (npm run gen:check in CI).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedDecoder, feedRecordJson } from '../src/itch/ref-decoder.js';
import { eventJson, eventKind, eventSchema, feedEvent, ITCH_MEMBER } from '../src/serve/events.js';
import { lineAsMapping } from './helpers/event-mapping.js';
import { feedPacket } from './helpers/feed-arbitraries.js';

const RUNS = Number(process.env.FC_RUNS ?? 100);

describe('event schema', () => {
  it('has a member for every ITCH type, and loads', () => {
    const { root } = eventSchema();
    const itch = root.lookupType('tickgate.v1.ItchMessage');
    expect(new Set(itch.oneofsArray[0]!.fieldsArray.map((f) => f.name))).toEqual(new Set(ITCH_MEMBER.values()));
  });

  it('carries every feed record so that its JSON mapping is the decode itch line', () => {
    const { Batch } = eventSchema();
    fc.assert(fc.property(fc.array(feedPacket, { minLength: 1, maxLength: 20 }), (packets) => {
      const decoder = new FeedDecoder();
      const records = packets.flatMap((p) => decoder.packet(p));
      const events = records.map((r, i) => feedEvent(r, i));
      const message = Batch.fromObject({ events });
      expect(Batch.verify(message)).toBeNull();
      const decoded = eventJson(Batch, Batch.encode(message).finish()).events as Array<Record<string, unknown>>;
      expect(decoded).toHaveLength(records.length);
      records.forEach((r, i) => {
        const e = decoded[i]!;
        expect(e.recordSeq).toBe(i);
        expect(eventKind(e)).toBe(r.kind);
        if (r.kind === 'session') {
          expect(e.session).toEqual({ session: r.session.toString('latin1').replace(/ +$/, ''), slot: r.slot });
          return;
        }
        const body = r.kind === 'itch' ? (e.itch as Record<string, unknown>)[ITCH_MEMBER.get(r.msgType)!] : e[r.kind];
        expect(body).toEqual(lineAsMapping(feedRecordJson(r)));
      });
    }), { numRuns: RUNS });
  });
});
