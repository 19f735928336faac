// `decode itch --format proto`: the device's feed records as length-delimited `Event`s (each a varint length
// and the Event, the framing of protobuf's writeDelimitedTo / parseDelimitedFrom), one per NDJSON line the
// text format would print: ITCH messages, gaps and errors, in device order, without hostTime (nothing is
// published). ITCH messages take the event encoder; the rare gaps and errors protobufjs.
import type { FeedRecordSink } from '../itch/device-feed.js';
import { FeedRecordReader } from '../itch/feed-records.js';
import { RECORD_AT_COMMON } from '../device/generated/layout.js';
import { writeItchEvent } from './event-encoder.js';
import { feedEvent } from './events.js';
import { encodeEvent } from './hub.js';
import { ProtoWriter } from './proto-writer.js';

export class DelimitedEventWriter implements FeedRecordSink {
  private readonly reader = new FeedRecordReader();
  private w = new ProtoWriter(1 << 18);

  /** Bytes written and not yet taken. */
  get size(): number { return this.w.pos; }

  push(record: Buffer): void {
    const recordSeq = record.readUInt32LE(RECORD_AT_COMMON.seq);
    const r = this.reader.push(record);
    if (!r || r.kind === 'session') return;
    if (r.kind === 'itch') {
      this.w.fork();
      writeItchEvent(this.w, r, recordSeq);
      this.w.ldelim();
    } else {
      const event = encodeEvent(feedEvent(r, recordSeq));
      this.w.varint32(event.length).raw(event);
    }
  }

  /** The Events written since the last take. */
  take(): Buffer {
    const out = this.w.buf.subarray(0, this.w.pos);
    this.w = new ProtoWriter(1 << 18);
    return out;
  }
}
