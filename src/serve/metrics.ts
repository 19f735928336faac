// `/metrics` of `tickgate serve` in Prometheus text format (prom-client): the device's feed counters and the
// service's own figures, read when scraped; the publish latency as a histogram.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Device } from '../device/device.js';
import { readArbiterCounters, readFeedCounters } from '../itch/device-feed.js';
import type { EventHub } from './hub.js';
import type { JetStreamPublisher } from './jetstream.js';
import type { OrderBooks } from './order-book.js';

export interface ServiceMetrics {
  registry: Registry;
  /** Seconds from the oldest event of a batch reaching the host (its device record read) to the batch's
   *  socket write. */
  publishLatency: Histogram;
  /** Seconds from the exchange Timestamp of a batch's oldest ITCH message or book to the batch's socket
   *  write; live and demo feeds only (a replayed capture's Timestamps are of another day). */
  feedLatency: Histogram;
  /** batches whose oldest Timestamp was ahead of the host clock (clocks not synchronised) */
  timestampsAhead: Counter;
}

export function serviceMetrics(hub: EventHub, device: Device, books: OrderBooks, jetstream?: JetStreamPublisher): ServiceMetrics {
  const registry = new Registry();
  const gauge = (name: string, help: string, read: () => number) => new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  const counter = (name: string, help: string, read: () => number) => new Counter({
    name, help, registers: [registry],
    collect() { this.reset(); this.inc(read()); },
  });
  gauge('tickgate_clients', 'WebSocket clients connected', () => hub.counters.clients);
  gauge('tickgate_queue_bytes', 'bytes waiting for clients (socket buffers and batches being built)', () => hub.queuedBytes());
  counter('tickgate_clients_subscribed_total', 'clients that sent a Subscribe', () => hub.counters.subscribed);
  counter('tickgate_events_published_total', 'events published (before subscription filters)', () => hub.counters.eventsPublished);
  counter('tickgate_events_sent_total', 'events sent to clients, summed over clients', () => hub.counters.eventsSent);
  counter('tickgate_batches_sent_total', 'WebSocket messages sent', () => hub.counters.batchesSent);
  counter('tickgate_slow_consumers_cut_total', 'clients closed with 4008', () => hub.counters.slowConsumersCut);
  counter('tickgate_book_updates_total', 'book updates', () => books.counters.updates);
  counter('tickgate_book_unknown_orders_total', 'ITCH messages naming an order reference not on a book', () => books.counters.unknownOrders);
  if (jetstream) {
    gauge('tickgate_jetstream_waiting', 'events not yet acknowledged by JetStream', () => jetstream.waiting);
    counter('tickgate_jetstream_published_total', 'events acknowledged by JetStream', () => jetstream.counters.published);
    counter('tickgate_jetstream_retries_total', 'publishes tried again (JetStream unreachable or slow)', () => jetstream.counters.retries);
  }
  const feed = new Counter({
    name: 'tickgate_feed_total', help: "the device's feed counters (FEED_* registers)", labelNames: ['counter'], registers: [registry],
    collect() {
      this.reset();
      const c = readFeedCounters(device);
      for (const [name, value] of Object.entries(c)) {
        if (typeof value === 'object') continue;
        this.inc({ counter: name }, Number(value));
      }
      for (const [name, value] of Object.entries(c.errors)) this.inc({ counter: `error_${name}` }, value);
    },
  });
  void feed;
  const lines = new Counter({
    name: 'tickgate_feed_line_total',
    help: "lines A and B of the wire-level feed: packets taken, messages lost that the other line had delivered (covered_losses), packets whose messages had all been delivered (late_duplicates)",
    labelNames: ['line', 'counter'], registers: [registry],
    collect() {
      this.reset();
      const c = readFeedCounters(device);
      const a = readArbiterCounters(device);
      (['A', 'B'] as const).forEach((line, i) => {
        this.inc({ line, counter: 'packets' }, c.linePackets[i]!);
        this.inc({ line, counter: 'covered_losses' }, Number(a.coveredLosses[i]!));
        this.inc({ line, counter: 'late_duplicates' }, a.lateDuplicates[i]!);
      });
    },
  });
  void lines;
  const publishLatency = new Histogram({
    name: 'tickgate_publish_latency_seconds',
    help: "from an event's device record reaching the host to the socket write of its batch (the batch's oldest event)",
    buckets: [1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  const feedLatency = new Histogram({
    name: 'tickgate_feed_latency_seconds',
    help: "from the exchange Timestamp of a batch's oldest ITCH message or book (read against the host clock in feed.timeZone) to the batch's socket write; live and demo feeds only",
    buckets: [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  const timestampsAhead = new Counter({
    name: 'tickgate_feed_timestamps_ahead_total',
    help: 'batches whose oldest exchange Timestamp was ahead of the host clock (the clocks are not synchronised); not in the latency histogram',
    registers: [registry],
  });
  return { registry, publishLatency, feedLatency, timestampsAhead };
}
