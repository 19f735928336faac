// The clients of `tickgate serve` and what each receives (DESIGN.md 3.7). Each event is encoded once; a
// client's Batch is the concatenation of its events' encodings, each framed as field 1 of Batch, so no event is
// encoded per client. A client gets events in device order with no loss and no duplicate, or is cut: when what
// waits for it (the socket's buffer and the batch being built) passes maxQueueBytes, it is closed with 4008
// and no other client notices. A replay from a file waits for clients that are behind but taking events
// (readyForMore), so its speed is the slowest such client's; one that takes nothing for STALL_MS is cut.
import { performance } from 'node:perf_hooks';
import protobuf from 'protobufjs';
import type { WebSocket } from 'ws';
import { EVENT_KINDS, eventSchema, type EventKind } from './events.js';

export const CLOSE_SLOW_CONSUMER = 4008;
/** Most symbols in one Subscribe. */
export const MAX_SUBSCRIBE_SYMBOLS = 10_000;
/** A batch is sent once it holds this many bytes, or at the end of the event-loop turn. */
const BATCH_BYTES = 64 * 1024;
/** A client behind by half its queue that takes nothing for this long is cut while a replay waits for it. */
export const STALL_MS = 2000;

export interface HubCounters {
  clients: number;
  subscribed: number;
  eventsPublished: number;
  eventsSent: number;
  batchesSent: number;
  slowConsumersCut: number;
}

interface Client {
  ws: WebSocket;
  /** it sent a Subscribe: until then it receives nothing */
  subscribed: boolean;
  /** undefined: every kind */
  kinds: ReadonlySet<EventKind> | undefined;
  symbols: ReadonlySet<string> | undefined;
  pending: Buffer[];
  pendingBytes: number;
  pendingEvents: number;
  /** performance.now() when the oldest event of the batch being built was published */
  oldestAt: number;
  /** the exchange Timestamp of the batch's oldest event that has one (ns since midnight), or NaN */
  oldestTimestamp: number;
  /** readyForMore's watch: the socket's buffer when last seen lower, and when */
  lastBuffered: number;
  progressAt: number;
}

/** A subscription the hub refuses: the client is closed with 1008 and this text. */
export class SubscribeError extends Error {}

export function parseSubscribe(bytes: Uint8Array): { kinds: ReadonlySet<EventKind> | undefined; symbols: ReadonlySet<string> | undefined } {
  const { Subscribe } = eventSchema();
  let s: { kinds?: string[]; symbols?: string[] };
  try {
    s = Subscribe.toObject(Subscribe.decode(bytes)) as typeof s;
  } catch (err) {
    throw new SubscribeError(`not a Subscribe message: ${(err as Error).message}`);
  }
  const kinds = s.kinds ?? [];
  const symbols = s.symbols ?? [];
  const unknown = kinds.find((k) => !(EVENT_KINDS as readonly string[]).includes(k));
  if (unknown !== undefined) throw new SubscribeError(`unknown kind "${unknown.slice(0, 40)}": the kinds are ${EVENT_KINDS.join(', ')}`);
  if (symbols.length > MAX_SUBSCRIBE_SYMBOLS) throw new SubscribeError(`${symbols.length} symbols: at most ${MAX_SUBSCRIBE_SYMBOLS}`);
  return {
    kinds: kinds.length ? new Set(kinds as EventKind[]) : undefined,
    symbols: symbols.length ? new Set(symbols) : undefined,
  };
}

export class EventHub {
  readonly counters: HubCounters = { clients: 0, subscribed: 0, eventsPublished: 0, eventsSent: 0, batchesSent: 0, slowConsumersCut: 0 };
  private readonly clients = new Set<Client>();
  private flushScheduled = false;
  private readonly subscribedWaiters: Array<{ n: number; resolve: () => void }> = [];

  /** Called as each batch is written with its age (seconds since its oldest event was published) and the
   *  exchange Timestamp of its oldest event that has one (ITCH messages, books), or NaN. */
  onBatchSent: ((ageSeconds: number, oldestTimestamp: number) => void) | undefined;

  constructor(private readonly maxQueueBytes: number) {}

  /** Bytes waiting for clients: their sockets' buffers and the batches being built. */
  queuedBytes(): number {
    let n = 0;
    for (const c of this.clients) n += c.ws.bufferedAmount + c.pendingBytes;
    return n;
  }

  /** A client whose upgrade was accepted; it receives nothing until it subscribes. */
  add(ws: WebSocket): void {
    const client: Client = { ws, subscribed: false, kinds: undefined, symbols: undefined, pending: [], pendingBytes: 0, pendingEvents: 0, oldestAt: 0, oldestTimestamp: NaN, lastBuffered: 0, progressAt: 0 };
    this.clients.add(client);
    this.counters.clients = this.clients.size;
    ws.on('message', (data, isBinary) => {
      try {
        if (!isBinary) throw new SubscribeError('send Subscribe as a binary message');
        const { kinds, symbols } = parseSubscribe(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]));
        client.kinds = kinds;
        client.symbols = symbols;
        if (!client.subscribed) {
          client.subscribed = true;
          this.subscribed();
        }
        // a client that takes books gets each one's state now, before any change of it
        if (this.bookSnapshots && (!kinds || kinds.has('book'))) {
          const hostTime = hostTimeNs();
          for (const e of this.bookSnapshots(symbols, hostTime)) this.enqueue(client, frameEvent(e), NaN);
          this.scheduleFlush();
        }
      } catch (err) {
        ws.close(1008, (err as Error).message.slice(0, 120));
      }
    });
    ws.on('close', () => this.drop(client));
    ws.on('error', () => this.drop(client));
  }

  /** Resolves once `n` clients have subscribed (`--wait-clients`). */
  whenSubscribed(n: number): Promise<void> {
    if (this.counters.subscribed >= n) return Promise.resolve();
    return new Promise((resolve) => this.subscribedWaiters.push({ n, resolve }));
  }

  /** The last BookUpdate of every book (of these symbols, when given), encoded: what a client that
   *  subscribes to books receives first. */
  bookSnapshots: ((symbols: ReadonlySet<string> | undefined, hostTime: HostTime) => Uint8Array[]) | undefined;

  /** Also hands every event, encoded, to these (JetStream). */
  readonly taps: Array<(encoded: Uint8Array, kind: EventKind, symbol: string | undefined) => void> = [];

  /** One event (an Event object as protobufjs takes it) to every client whose subscription takes it;
   *  `timestamp`: its exchange Timestamp (ns since midnight), when it has one. */
  publish(event: Record<string, unknown>, kind: EventKind, symbol: string | undefined, timestamp = NaN): void {
    this.publishWith((hostTime) => {
      event.hostTime = hostTime;
      return encodeEvent(event);
    }, kind, symbol, timestamp);
  }

  /** Like publish, with the event encoded by `encode` (given the host time), called only when a tap or a
   *  client takes it (at most once). */
  publishWith(encode: (hostTime: HostTime) => Uint8Array, kind: EventKind, symbol: string | undefined, timestamp = NaN): void {
    this.counters.eventsPublished++;
    let encoded: Uint8Array | undefined;
    if (this.taps.length) {
      encoded = encode(hostTimeNs());
      for (const tap of this.taps) tap(encoded, kind, symbol);
    }
    let framed: Buffer | undefined;
    for (const c of this.clients) {
      if (!this.clientTakes(c, kind, symbol)) continue;
      framed ??= frameEvent(encoded ?? encode(hostTimeNs()));
      this.enqueue(c, framed, timestamp);
    }
    if (framed) this.scheduleFlush();
  }

  private enqueue(c: Client, framed: Buffer, timestamp: number): void {
    if (c.pendingEvents === 0) {
      c.oldestAt = performance.now();
      c.oldestTimestamp = timestamp;
    } else if (c.oldestTimestamp !== c.oldestTimestamp) {
      c.oldestTimestamp = timestamp;
    }
    c.pending.push(framed);
    c.pendingBytes += framed.length;
    c.pendingEvents++;
    if (c.pendingBytes >= BATCH_BYTES) this.send(c);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private clientTakes(c: Client, kind: EventKind, symbol: string | undefined): boolean {
    return c.subscribed && (!c.kinds || c.kinds.has(kind)) && (!c.symbols || symbol === undefined || c.symbols.has(symbol));
  }

  /** Resolves when no client has more than half of maxQueueBytes waiting. A client that stays behind and
   *  takes nothing for STALL_MS meanwhile is cut (4008). */
  async readyForMore(): Promise<void> {
    for (let waited = false; ; waited = true) {
      const now = Date.now();
      let behind = false;
      for (const c of this.clients) {
        const buffered = c.ws.bufferedAmount;
        if (!waited || buffered < c.lastBuffered) {
          c.lastBuffered = buffered;
          c.progressAt = now;
        }
        if (!c.subscribed || buffered + c.pendingBytes <= this.maxQueueBytes / 2) continue;
        if (now - c.progressAt > STALL_MS) this.cut(c);
        else behind = true;
      }
      if (!behind) return;
      this.flush();
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Sends every batch being built. */
  flush(): void {
    for (const c of this.clients) if (c.pendingBytes) this.send(c);
  }

  /** Resolves when every client has taken what was sent to it (or is gone), waiting at most `timeoutMs`. */
  async drained(timeoutMs: number): Promise<void> {
    this.flush();
    const deadline = Date.now() + timeoutMs;
    while ([...this.clients].some((c) => c.ws.bufferedAmount > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Closes every client (1001: going away) and waits for the closes. */
  async close(): Promise<void> {
    const closed = [...this.clients].map((c) => new Promise<void>((resolve) => {
      if (c.ws.readyState === c.ws.CLOSED) return resolve();
      c.ws.once('close', () => resolve());
      c.ws.close(1001, 'server stopping');
      setTimeout(() => { c.ws.terminate(); resolve(); }, 2000).unref();
    }));
    await Promise.all(closed);
  }

  private subscribed(): void {
    this.counters.subscribed++;
    for (let i = this.subscribedWaiters.length - 1; i >= 0; i--) {
      const w = this.subscribedWaiters[i]!;
      if (this.counters.subscribed >= w.n) {
        this.subscribedWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private send(c: Client): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    if (c.ws.bufferedAmount + c.pendingBytes > this.maxQueueBytes) {
      this.cut(c);
      return;
    }
    const batch = c.pending.length === 1 ? c.pending[0]! : Buffer.concat(c.pending, c.pendingBytes);
    this.counters.eventsSent += c.pendingEvents;
    this.counters.batchesSent++;
    c.pending = [];
    c.pendingBytes = 0;
    c.pendingEvents = 0;
    c.ws.send(batch, { binary: true });
    this.onBatchSent?.((performance.now() - c.oldestAt) / 1000, c.oldestTimestamp);
  }

  private cut(c: Client): void {
    this.counters.slowConsumersCut++;
    c.ws.close(CLOSE_SLOW_CONSUMER, `more than ${this.maxQueueBytes} bytes behind`);
    this.drop(c);
  }

  private drop(c: Client): void {
    if (!this.clients.delete(c)) return;
    c.pending = [];
    c.pendingBytes = 0;
    this.counters.clients = this.clients.size;
  }
}

const TWO_32 = 0x1_0000_0000;

/** Now, in nanoseconds since the Unix epoch (microsecond resolution), as the 64-bit halves protobufjs takes
 *  for a uint64 (a decimal string would cost a Long.fromString per event). */
export type HostTime = { low: number; high: number; unsigned: true };

export function hostTimeNs(): HostTime {
  const us = Math.round((performance.timeOrigin + performance.now()) * 1000);
  // ns = us * 1000, split without leaving integers below 2^53
  const usHigh = Math.floor(us / TWO_32);
  const lowProduct = (us - usHigh * TWO_32) * 1000;
  const carry = Math.floor(lowProduct / TWO_32);
  return { low: (lowProduct - carry * TWO_32) >>> 0, high: (usHigh * 1000 + carry) >>> 0, unsigned: true };
}

export function encodeEvent(event: Record<string, unknown>): Uint8Array {
  const { Event } = eventSchema();
  return Event.encode(Event.fromObject(event)).finish();
}

/** An encoded Event as field 1 of a Batch (tag, length, bytes): Batches are concatenations of these. */
export function frameEvent(encoded: Uint8Array): Buffer {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).bytes(encoded);
  return Buffer.from(w.finish());
}
