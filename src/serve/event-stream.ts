// `decode itch --format proto`: the device's feed records as length-delimited `Event`s (each a varint length
// and the Event, the framing of protobuf's writeDelimitedTo / parseDelimitedFrom), one per NDJSON line the
// text format would print: ITCH messages, gaps and errors, in device order, without hostTime (nothing is
// published). ITCH messages are written straight from the record bytes by a writer generated per type (the
// record walker of the NDJSON writer, the event encoder's field tags); the rare gaps and errors take
// protobufjs.
// test/decode-proto.test.ts demands each Event's JSON mapping be its NDJSON line and its bytes be what
// protobufjs writes for it.
import { ITCH_MESSAGE_AT } from '../device/generated/layout.js';
import type { PrintableFeedRecord } from '../itch/device-feed.js';
import { bodyFields, BodyFieldKind, FeedRecordWalker, u32LECode } from '../itch/feed-record-walker.js';
import { ITCH_TYPES, type ItchMessageType } from '../itch/messages.js';
import { EVENT_TAGS, ITCH_COMMON_TAGS, itchPlans } from './event-encoder.js';
import { feedEvent } from './events.js';
import { encodeEvent } from './hub.js';
import { closeDelimited, ProtoWriter, putVarint32, putVarint64 } from './proto-writer.js';

const BLOCK_BYTES = 1 << 18;

/** Writes a length-delimited Event of one ITCH type at `pos` (room reserved by the caller): rec/at its first
 *  record, body/from its normalized body, timestamp its Timestamp, session the session field made for its
 *  slot (tag, length and UTF-8 bytes). Gives the position after it. */
type EventWriter = (out: Buffer, pos: number, rec: Buffer, at: number, body: Buffer, from: number, timestamp: number,
  recordSeq: number, session: Buffer) => number;

/** A tag's varint bytes, as constant stores at `pos`. */
function tagBytes(tag: number): string {
  const b: number[] = [];
  let x = tag;
  while (x > 0x7f) { b.push((x & 0x7f) | 0x80); x >>>= 7; }
  b.push(x);
  return `${b.map((c, i) => `out[pos + ${i}] = ${c};`).join(' ')} pos += ${b.length};`;
}

/** The Event writer of an ITCH type, generated from the schema's plan so that every tag is a constant store
 *  and every field a read at a constant offset (the bytes ProtoWriter's calls would write, without a call and
 *  a bounds check per value), and the most bytes its Event can take but the session field. */
function eventWriter(t: ItchMessageType): { write: EventWriter; worstBytes: number } {
  const plan = itchPlans().get(t.type)!;
  const tag = (name: string) => plan.fields.get(name)!;
  // three lengths of up to 3 bytes, each tag up to 2 (checked below), a varint up to 10
  let worstBytes = 3 * 3 + 2 + 5 + 2 + 2 + 2 + 10 + 2 + 2 + 3 * (2 + 10);
  const code = [
    'pos++; const event = pos;',
    tagBytes(EVENT_TAGS.recordSeq), 'pos = putVarint32(out, pos, recordSeq);',
    tagBytes(EVENT_TAGS.itch), 'pos++; const itch = pos;',
    tagBytes(plan.memberTag), 'pos++; const member = pos;',
    'out.set(session, pos); pos += session.length;',
    tagBytes(ITCH_COMMON_TAGS.seq),
    `pos = putVarint64(out, pos, ${u32LECode('rec', `at + ${ITCH_MESSAGE_AT.moldSeq}`)}, ${u32LECode('rec', `at + ${ITCH_MESSAGE_AT.moldSeq + 4}`)});`,
    tagBytes(ITCH_COMMON_TAGS.msgType), `out[pos] = 1; out[pos + 1] = ${t.type.charCodeAt(0)}; pos += 2;`,
    tagBytes(tag('stockLocate').tag), `pos = putVarint32(out, pos, rec[at + ${ITCH_MESSAGE_AT.stockLocate}] | rec[at + ${ITCH_MESSAGE_AT.stockLocate + 1}] << 8);`,
    tagBytes(tag('trackingNumber').tag), `pos = putVarint32(out, pos, rec[at + ${ITCH_MESSAGE_AT.trackingNumber}] | rec[at + ${ITCH_MESSAGE_AT.trackingNumber + 1}] << 8);`,
    tagBytes(tag('timestamp').tag), 'pos = putVarint64(out, pos, timestamp % 0x100000000, Math.floor(timestamp / 0x100000000));',
  ];
  const tags = [EVENT_TAGS.recordSeq, EVENT_TAGS.itch, plan.memberTag, ITCH_COMMON_TAGS.seq, ITCH_COMMON_TAGS.msgType];
  for (const f of bodyFields(t)) {
    const { tag: fieldTag, type } = tag(f.name);
    tags.push(fieldTag);
    code.push(tagBytes(fieldTag));
    const p = `from + ${f.at}`;
    switch (f.kind) {
      case BodyFieldKind.Alpha:
        code.push(`pos = putAlpha(out, pos, body, ${p}, ${f.size});`);
        worstBytes += 2 + 1 + 2 * f.size;
        break;
      case BodyFieldKind.Uint:
        if (f.size !== 4) throw new Error(`ITCH ${t.type} ${f.name}: no Event writer for a ${f.size}-byte integer`);
        code.push(type === 'uint32' ? `pos = putVarint32(out, pos, ${u32LECode('body', p)});` : `pos = putVarint64(out, pos, ${u32LECode('body', p)}, 0);`);
        worstBytes += 2 + 10;
        break;
      case BodyFieldKind.Uint64:
        code.push(`pos = putVarint64(out, pos, ${u32LECode('body', p)}, ${u32LECode('body', `${p} + 4`)});`);
        worstBytes += 2 + 10;
    }
  }
  if (tags.some((x) => x >= 1 << 14)) throw new Error(`ITCH ${t.type}: a tag takes more than 2 bytes`);
  code.push('pos = closeDelimited(out, member, pos);', 'pos = closeDelimited(out, itch, pos);', 'return closeDelimited(out, event, pos);');
  const make = new Function('putVarint32', 'putVarint64', 'putAlpha', 'closeDelimited',
    `return function event_${t.type.charCodeAt(0)}(out, pos, rec, at, body, from, timestamp, recordSeq, session) {\n${code.join('\n')}\n};`);
  return { write: make(putVarint32, putVarint64, putAlpha, closeDelimited) as EventWriter, worstBytes };
}

/** Right-padded ASCII as received, trailing spaces trimmed, as a string field's length and bytes (latin1
 *  bytes in UTF-8; at most 16 bytes, so a one-byte length). */
function putAlpha(out: Buffer, pos: number, b: Buffer, at: number, size: number): number {
  let end = at + size;
  while (end > at && b[end - 1] === 0x20) end--;
  let length = end - at;
  for (let i = at; i < end; i++) if (b[i]! >= 0x80) length++;
  out[pos++] = length;
  for (let i = at; i < end; i++) {
    const c = b[i]!;
    if (c < 0x80) {
      out[pos++] = c;
    } else {
      out[pos++] = 0xc0 | (c >> 6);
      out[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

let writers: Array<{ write: EventWriter; worstBytes: number } | undefined> | undefined;

/** Per type byte: its Event writer (made on first use: the plans need the schema). */
function eventWriters(): Array<{ write: EventWriter; worstBytes: number } | undefined> {
  if (writers) return writers;
  writers = new Array(256).fill(undefined);
  for (const t of ITCH_TYPES.values()) writers[t.type.charCodeAt(0)] = eventWriter(t);
  return writers;
}

export class DelimitedEventWriter extends FeedRecordWalker {
  private w = new ProtoWriter(BLOCK_BYTES);
  private readonly writers = eventWriters();
  /** Per session slot: the session field of its Events (tag, length, UTF-8 bytes of the trimmed name). */
  private readonly sessionFields: Array<Buffer | undefined> = [];

  protected override sessionAnnounced(slot: number, name: string): void {
    const bytes = Buffer.from(name, 'utf8');
    const field = new ProtoWriter(16 + bytes.length).varint32(ITCH_COMMON_TAGS.session).varint32(bytes.length).raw(bytes);
    this.sessionFields[slot] = field.copy() as Buffer;
  }

  /** Bytes written and not yet taken. */
  get size(): number { return this.w.pos; }

  /** The Events written since the last take. */
  take(): Buffer {
    const out = this.w.buf.subarray(0, this.w.pos);
    this.w = new ProtoWriter(BLOCK_BYTES);
    return out;
  }

  protected other(r: PrintableFeedRecord, recordSeq: number): void {
    const event = encodeEvent(feedEvent(r, recordSeq));
    this.w.varint32(event.length).raw(event);
  }

  protected message(rec: Buffer, at: number, body: Buffer, from: number, timestamp: number, recordSeq: number): void {
    const writer = this.writers[rec[at + ITCH_MESSAGE_AT.msgType]!]!;
    const session = this.sessionFields[rec[at + ITCH_MESSAGE_AT.sessionSlot]!]!;
    const w = this.w;
    w.room(session.length + writer.worstBytes);
    w.pos = writer.write(w.buf, w.pos, rec, at, body, from, timestamp, recordSeq, session);
  }
}
