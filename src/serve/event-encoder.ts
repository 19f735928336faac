// Feed events straight to protobuf bytes: the same bytes as protobufjs's `Event.encode(Event.fromObject(
// feedEvent(...)))` (test/event-encoder.test.ts demands it), written by a ProtoWriter from a plan per ITCH
// type made once from the schema, without the event object, fromObject's conversions, a Long per 64-bit
// field or an object per write. The ITCH messages and books are nearly every event the service sends.
import protobuf from 'protobufjs';
import type { ItchMessageRecord } from '../itch/ref-decoder.js';
import { eventSchema, ITCH_MEMBER } from './events.js';
import type { BookLevel, BookUpdate } from './order-book.js';
import { ProtoWriter } from './proto-writer.js';

export type Scalar = 'uint32' | 'uint64' | 'int64' | 'string';

export interface ItchPlan {
  /** tag of the member in ItchMessage (length-delimited) */
  memberTag: number;
  /** per ITCH field name: its tag and how it is written */
  fields: ReadonlyMap<string, { tag: number; type: Scalar }>;
}

/** A 64-bit unsigned value as the halves protobufjs takes (see hub.hostTimeNs). */
export interface U64Halves { low: number; high: number; unsigned: true }

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;
const tagOf = (id: number, wire: number) => ((id << 3) | wire) >>> 0;

// Event, BookUpdate and Level field numbers, from proto/tickgate.proto (checked against the schema when the
// plans are made)
export const EVENT_TAGS = { recordSeq: tagOf(1, WIRE_VARINT), itch: tagOf(2, WIRE_BYTES), book: tagOf(5, WIRE_BYTES), hostTime: tagOf(9, WIRE_VARINT) };
const BOOK = { stock: tagOf(1, WIRE_BYTES), seq: tagOf(2, WIRE_BYTES), timestamp: tagOf(3, WIRE_VARINT), bids: tagOf(4, WIRE_BYTES), asks: tagOf(5, WIRE_BYTES) };
const LEVEL = { price: tagOf(1, WIRE_VARINT), shares: tagOf(2, WIRE_VARINT), orders: tagOf(3, WIRE_VARINT) };
export const ITCH_COMMON_TAGS = { session: tagOf(1, WIRE_BYTES), seq: tagOf(2, WIRE_VARINT), msgType: tagOf(3, WIRE_BYTES) };

let plans: Map<string, ItchPlan> | undefined;

/** Per ITCH type letter: its member's tag in ItchMessage and its fields' tags and types (from the schema). */
export function itchPlans(): ReadonlyMap<string, ItchPlan> {
  if (plans) return plans;
  const { Event, root } = eventSchema();
  root.resolveAll();
  const check = (type: protobuf.Type, want: Record<string, number>) => {
    for (const [name, tag] of Object.entries(want)) {
      const f = type.fields[name];
      if (!f || tagOf(f.id, f.resolvedType instanceof protobuf.Type || f.type === 'string' ? WIRE_BYTES : WIRE_VARINT) !== tag || f.repeated !== (name === 'bids' || name === 'asks')) {
        throw new Error(`event encoder: ${type.name}.${name} is not field ${tag >>> 3} of proto/tickgate.proto any more`);
      }
    }
  };
  check(Event, EVENT_TAGS);
  check(root.lookupType('tickgate.v1.BookUpdate'), BOOK);
  check(root.lookupType('tickgate.v1.Level'), LEVEL);
  const itch = root.lookupType('tickgate.v1.ItchMessage');
  plans = new Map();
  for (const [msgType, member] of ITCH_MEMBER) {
    const field = itch.fields[member]!;
    const type = field.resolvedType as protobuf.Type;
    check(type, ITCH_COMMON_TAGS);
    const fields = new Map<string, { tag: number; type: Scalar }>();
    for (const f of type.fieldsArray) {
      if (f.id <= 3) continue;
      if (!['uint32', 'uint64', 'int64', 'string'].includes(f.type)) throw new Error(`event encoder: ${type.name}.${f.name} is a ${f.type}`);
      fields.set(f.name, { tag: tagOf(f.id, f.type === 'string' ? WIRE_BYTES : WIRE_VARINT), type: f.type as Scalar });
    }
    plans.set(msgType, { memberTag: tagOf(field.id, WIRE_BYTES), fields });
  }
  return plans;
}

function writeScalar(w: ProtoWriter, type: Scalar, value: number | string): void {
  switch (type) {
    case 'string': w.string(String(value)); break;
    case 'uint32': w.varint32(Number(value)); break;
    case 'uint64': w.uint64(value); break;
    case 'int64': w.int64(Number(value)); break;
  }
}

/** Writes the Event of an ITCH message record (without hostTime when none is given). */
export function writeItchEvent(w: ProtoWriter, r: ItchMessageRecord, recordSeq: number, hostTime?: U64Halves): void {
  const plan = itchPlans().get(r.msgType)!;
  w.varint32(EVENT_TAGS.recordSeq).varint32(recordSeq);
  w.varint32(EVENT_TAGS.itch).fork();
  w.varint32(plan.memberTag).fork();
  w.varint32(ITCH_COMMON_TAGS.session).string(r.session ?? '');
  w.varint32(ITCH_COMMON_TAGS.seq).uint64(typeof r.seq === 'bigint' ? r.seq.toString() : r.seq);
  w.varint32(ITCH_COMMON_TAGS.msgType).string(r.msgType);
  for (const [name, value] of r.fields) {
    const f = plan.fields.get(name)!;
    writeScalar(w.varint32(f.tag), f.type, value);
  }
  w.ldelim();
  w.ldelim();
  if (hostTime) w.varint32(EVENT_TAGS.hostTime).uint64(hostTime);
}

function writeLevel(w: ProtoWriter, tag: number, l: BookLevel): void {
  w.varint32(tag).fork();
  w.varint32(LEVEL.price).int64(l.price);
  w.varint32(LEVEL.shares).uint64(l.shares);
  w.varint32(LEVEL.orders).varint32(l.orders);
  w.ldelim();
}

/** Writes the Event of a book update. */
export function writeBookEvent(w: ProtoWriter, book: BookUpdate, recordSeq: number, hostTime?: U64Halves): void {
  itchPlans();
  w.varint32(EVENT_TAGS.recordSeq).varint32(recordSeq);
  w.varint32(EVENT_TAGS.book).fork();
  w.varint32(BOOK.stock).string(book.stock);
  w.varint32(BOOK.seq).string(String(book.seq));
  w.varint32(BOOK.timestamp).uint64(book.timestamp);
  for (const l of book.bids) writeLevel(w, BOOK.bids, l);
  for (const l of book.asks) writeLevel(w, BOOK.asks, l);
  w.ldelim();
  if (hostTime) w.varint32(EVENT_TAGS.hostTime).uint64(hostTime);
}

const shared = new ProtoWriter();

/** The Event of an ITCH message record, as its own bytes. */
export function encodeItchEvent(r: ItchMessageRecord, recordSeq: number, hostTime?: U64Halves): Uint8Array {
  writeItchEvent(shared.reset(), r, recordSeq, hostTime);
  return shared.copy();
}

/** The Event of a book update, as its own bytes. */
export function encodeBookEvent(book: BookUpdate, recordSeq: number, hostTime?: U64Halves): Uint8Array {
  writeBookEvent(shared.reset(), book, recordSeq, hostTime);
  return shared.copy();
}
