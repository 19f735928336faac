// `decode itch --format proto`: the device's feed records as length-delimited `Event`s (each a varint length
// and the Event, the framing of protobuf's writeDelimitedTo / parseDelimitedFrom), one per NDJSON line the
// text format would print: ITCH messages, gaps and errors, in device order, without hostTime (nothing is
// published). ITCH messages take the event encoder; the rare gaps and errors protobufjs.
import type { FeedRecordSink } from '../itch/device-feed.js';
import { FeedRecordReader } from '../itch/feed-records.js';
import { RECORD_AT_COMMON } from '../device/generated/layout.js';
import { encodeItchEvent } from './event-encoder.js';
import { feedEvent } from './events.js';
import { encodeEvent } from './hub.js';

export class DelimitedEventWriter implements FeedRecordSink {
  private readonly reader = new FeedRecordReader();
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private readonly lengths = Buffer.alloc(5);

  /** Bytes written and not yet taken. */
  get size(): number { return this.bytes; }

  push(record: Buffer): void {
    const recordSeq = record.readUInt32LE(RECORD_AT_COMMON.seq);
    const r = this.reader.push(record);
    if (!r || r.kind === 'session') return;
    const event = r.kind === 'itch' ? encodeItchEvent(r, recordSeq) : encodeEvent(feedEvent(r, recordSeq));
    let n = event.length;
    let at = 0;
    while (n >= 0x80) {
      this.lengths[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.lengths[at++] = n;
    this.parts.push(Buffer.from(this.lengths.subarray(0, at)), event);
    this.bytes += at + event.length;
  }

  /** The Events written since the last take. */
  take(): Buffer {
    const out = Buffer.concat(this.parts, this.bytes);
    this.parts = [];
    this.bytes = 0;
    return out;
  }
}
