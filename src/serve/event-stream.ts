// `decode itch --format proto`: the device's feed records as length-delimited `Event`s (each a varint length
// and the Event, the framing of protobuf's writeDelimitedTo / parseDelimitedFrom), one per NDJSON line the
// text format would print: ITCH messages, gaps and errors, in device order, without hostTime (nothing is
// published). ITCH messages are written straight from the record bytes with a plan per type (the record
// walker of the NDJSON writer, the event encoder's field tags); the rare gaps and errors take protobufjs.
// test/decode-proto.test.ts demands each Event's JSON mapping be its NDJSON line and its bytes be what
// protobufjs writes for it.
import { ITCH_MESSAGE_AT } from '../device/generated/layout.js';
import type { PrintableFeedRecord } from '../itch/device-feed.js';
import { bodyFields, BodyFieldKind, FeedRecordWalker, uintLE } from '../itch/feed-record-walker.js';
import { ITCH_TYPES } from '../itch/messages.js';
import { EVENT_TAGS, ITCH_COMMON_TAGS, itchPlans, type Scalar } from './event-encoder.js';
import { feedEvent } from './events.js';
import { encodeEvent } from './hub.js';
import { ProtoWriter } from './proto-writer.js';

const BLOCK_BYTES = 1 << 18;

interface FieldPlan { tag: number; at: number; size: number; kind: BodyFieldKind; type: Scalar }
interface TypePlan { memberTag: number; msgType: string; locateTag: number; trackingTag: number; timestampTag: number; fields: FieldPlan[] }

let plans: Array<TypePlan | undefined> | undefined;

/** Per type byte: where each field after the header sits in the normalized body, and its tag. */
function recordPlans(): Array<TypePlan | undefined> {
  if (plans) return plans;
  plans = new Array(256).fill(undefined);
  for (const t of ITCH_TYPES.values()) {
    const p = itchPlans().get(t.type)!;
    const tag = (name: string) => p.fields.get(name)!;
    plans[t.type.charCodeAt(0)] = {
      memberTag: p.memberTag, msgType: t.type,
      locateTag: tag('stockLocate').tag, trackingTag: tag('trackingNumber').tag, timestampTag: tag('timestamp').tag,
      fields: bodyFields(t).map((f) => ({ ...f, tag: tag(f.name).tag, type: tag(f.name).type })),
    };
  }
  return plans;
}

export class DelimitedEventWriter extends FeedRecordWalker {
  private w = new ProtoWriter(BLOCK_BYTES);
  private readonly plans = recordPlans();

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
    const plan = this.plans[rec[at + ITCH_MESSAGE_AT.msgType]!]!;
    const w = this.w;
    w.fork();
    w.varint32(EVENT_TAGS.recordSeq).varint32(recordSeq);
    w.varint32(EVENT_TAGS.itch).fork();
    w.varint32(plan.memberTag).fork();
    w.varint32(ITCH_COMMON_TAGS.session).string(this.sessions[rec[at + ITCH_MESSAGE_AT.sessionSlot]!]!);
    w.varint32(ITCH_COMMON_TAGS.seq).varint64(rec.readUInt32LE(at + ITCH_MESSAGE_AT.moldSeq), rec.readUInt32LE(at + ITCH_MESSAGE_AT.moldSeq + 4));
    w.varint32(ITCH_COMMON_TAGS.msgType).string(plan.msgType);
    w.varint32(plan.locateTag).varint32(rec.readUInt16LE(at + ITCH_MESSAGE_AT.stockLocate));
    w.varint32(plan.trackingTag).varint32(rec.readUInt16LE(at + ITCH_MESSAGE_AT.trackingNumber));
    w.varint32(plan.timestampTag).uint64(timestamp);
    for (const f of plan.fields) {
      w.varint32(f.tag);
      const p = from + f.at;
      switch (f.kind) {
        case BodyFieldKind.Alpha: this.alpha(body, p, f.size); break;
        case BodyFieldKind.Uint: {
          const v = uintLE(body, p, f.size);
          if (f.type === 'uint32') w.varint32(v);
          else w.uint64(v);
          break;
        }
        case BodyFieldKind.Uint64: w.varint64(body.readUInt32LE(p), body.readUInt32LE(p + 4));
      }
    }
    w.ldelim();
    w.ldelim();
    w.ldelim();
  }

  /** Right-padded ASCII as received, trailing spaces trimmed, as a string (latin1 bytes in UTF-8). */
  private alpha(b: Buffer, at: number, size: number): void {
    let end = at + size;
    while (end > at && b[end - 1] === 0x20) end--;
    let length = end - at;
    for (let i = at; i < end; i++) if (b[i]! >= 0x80) length++;
    const w = this.w;
    w.varint32(length);
    w.room(length);
    const out = w.buf;
    let pos = w.pos;
    for (let i = at; i < end; i++) {
      const c = b[i]!;
      if (c < 0x80) {
        out[pos++] = c;
      } else {
        out[pos++] = 0xc0 | (c >> 6);
        out[pos++] = 0x80 | (c & 0x3f);
      }
    }
    w.pos = pos;
  }
}
