// The event service's schema (proto/tickgate.proto, generated from spec/events.yaml and spec/itch.yaml) and
// the events it publishes, built from the golden-model records every backend's output is read into.
// Field names are the NDJSON names, so an event's protobuf JSON mapping is its `decode itch` line (with
// 64-bit integers as decimal strings).
import path from 'node:path';
import protobuf from 'protobufjs';
import { packageRoot } from '../device/addon.js';
import { ITCH_TYPES } from '../itch/messages.js';
import type { FeedRecord, MoldSeq } from '../itch/ref-decoder.js';

export const EVENT_KINDS = ['itch', 'gap', 'error', 'book', 'fix', 'verdict', 'session'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** "Add Order (No MPID Attribution)" -> "addOrderNoMpidAttribution": the ItchMessage member of a type. */
function memberName(name: string): string {
  const words = name.replace(/[^A-Za-z0-9 ]/g, ' ').split(/ +/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('');
}

/** Per ITCH type letter, its member in ItchMessage. */
export const ITCH_MEMBER: ReadonlyMap<string, string> = new Map([...ITCH_TYPES.values()].map((t) => [t.type, memberName(t.name)]));

export interface EventSchema {
  root: protobuf.Root;
  Event: protobuf.Type;
  Batch: protobuf.Type;
  Subscribe: protobuf.Type;
}

let schema: EventSchema | undefined;

/** The schema, loaded once from proto/tickgate.proto (field names kept as written). */
export function eventSchema(): EventSchema {
  if (schema) return schema;
  const root = new protobuf.Root().loadSync(path.join(packageRoot(), 'proto', 'tickgate.proto'), { keepCase: true });
  schema = { root, Event: root.lookupType('tickgate.v1.Event'), Batch: root.lookupType('tickgate.v1.Batch'), Subscribe: root.lookupType('tickgate.v1.Subscribe') };
  return schema;
}

/** A 64-bit value as protobufjs takes it without losing digits. */
const u64 = (v: MoldSeq | bigint): number | string => (typeof v === 'bigint' ? v.toString() : v);

/** The plain object of an Event (protobufjs fromObject/encode input) for a feed record. */
export function feedEvent(r: FeedRecord, recordSeq: number): Record<string, unknown> {
  switch (r.kind) {
    case 'itch': {
      const message: Record<string, unknown> = { session: r.session ?? '', seq: u64(r.seq), msgType: r.msgType };
      for (const [k, v] of r.fields) message[k] = v;
      return { recordSeq, itch: { [ITCH_MEMBER.get(r.msgType)!]: message } };
    }
    case 'gap':
      return { recordSeq, gap: { session: r.session, expected: u64(r.expected), received: u64(r.received) } };
    case 'error':
      return { recordSeq, error: { session: r.session ?? '', ...(r.seq === null ? {} : { seq: u64(r.seq) }), error: r.error, detail: r.detail } };
    case 'session':
      return { recordSeq, session: { session: r.session.toString('latin1').replace(/ +$/, ''), slot: r.slot } };
  }
}

/** The kind of an Event object (the member of its `body` that is set). */
export function eventKind(e: Record<string, unknown>): EventKind {
  for (const k of EVENT_KINDS) if (e[k] !== undefined && e[k] !== null) return k;
  throw new Error('event without a body');
}

/** An Event or Batch as its proto3 JSON mapping gives it: 64-bit integers as strings, every field present. */
export function eventJson(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  return type.toObject(type.decode(bytes), { longs: String, defaults: true, oneofs: false }) as Record<string, unknown>;
}
