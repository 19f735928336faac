// The device's feed records as events for the hub: ITCH messages, gaps, errors and session announcements as
// they come, and after each ITCH message that changes a book, that book's update. An event's symbol (for
// Subscribe filters) is the message's Stock, or for messages that carry only a Stock Locate (executions,
// cancels, ...) the Stock its Stock Directory (R) message named.
import type { FeedRecordSink } from '../itch/device-feed.js';
import { FeedRecordReader } from '../itch/feed-records.js';
import { RECORD_AT_COMMON, RECORD_BYTES } from '../device/generated/layout.js';
import { encodeBookEvent, encodeItchEvent } from './event-encoder.js';
import { feedEvent } from './events.js';
import type { EventHub } from './hub.js';
import { OrderBooks } from './order-book.js';

export class FeedPublisher implements FeedRecordSink {
  private readonly reader = new FeedRecordReader();
  readonly books: OrderBooks;
  private readonly locateStock = new Map<number, string>();
  /** per stock: the record sequence number of the message that changed its book last */
  private readonly bookRecordSeq = new Map<string, number>();

  constructor(private readonly hub: EventHub, bookDepth: number) {
    this.books = new OrderBooks(bookDepth);
    hub.bookSnapshots = (symbols, hostTime) => this.books.latest(symbols).map((b) => encodeBookEvent(b, this.bookRecordSeq.get(b.stock)!, hostTime));
  }

  push(records: Buffer, at: number): void {
    const record = records.subarray(at, at + RECORD_BYTES);
    const recordSeq = record.readUInt32LE(RECORD_AT_COMMON.seq);
    const r = this.reader.push(record);
    if (!r) return;
    if (r.kind !== 'itch') {
      this.hub.publish(feedEvent(r, recordSeq), r.kind, undefined);
      return;
    }
    let stock: string | undefined;
    for (const [name, value] of r.fields) if (name === 'stock') stock = value as string;
    if (r.msgType === 'R' && stock !== undefined) this.locateStock.set(r.stockLocate, stock);
    const symbol = stock ?? this.locateStock.get(r.stockLocate);
    this.hub.publishWith((hostTime) => encodeItchEvent(r, recordSeq, hostTime), 'itch', symbol, r.raw.readUIntBE(5, 6));
    for (const book of this.books.apply(r.raw, r.seq)) {
      this.bookRecordSeq.set(book.stock, recordSeq);
      this.hub.publishWith((hostTime) => encodeBookEvent(book, recordSeq, hostTime), 'book', book.stock, book.timestamp);
    }
  }
}
