// Every event of `tickgate serve` to a NATS JetStream stream (serve.nats), on `tickgate.<kind>.<symbol>`
// (`_` where there is no symbol), payload one encoded Event, so consumers on other machines replay from any
// sequence. Events go out one at a time in order, each acknowledged by JetStream before the next; a publish
// that fails (the server restarting, the connection gone) is retried with the same message id until
// acknowledged, and JetStream drops the copy of one that had landed (Nats-Msg-Id within the stream's
// duplicate window). So the stream ends with every event, in order, once. What waits is bounded: a replay
// from a file waits (readyForMore) while more than MAX_WAITING events wait.
import { randomBytes } from 'node:crypto';
import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import type { EventKind } from './events.js';

/** Events waiting for JetStream above which a replay waits. */
export const MAX_WAITING = 10_000;
/** Longest wait between retries of a publish. */
const MAX_RETRY_MS = 1000;

/** A subject token from a symbol: characters NATS gives a meaning (., *, >, spaces) become `_`. */
export function subjectToken(symbol: string | undefined): string {
  return symbol === undefined || symbol === '' ? '_' : symbol.replace(/[^A-Za-z0-9_-]/g, '_');
}

export class JetStreamPublisher {
  readonly counters = { published: 0, retries: 0 };
  private readonly queue: Array<{ subject: string; data: Uint8Array; id: string }> = [];
  private head = 0;
  private pumping = false;
  private next = 0;
  /** Message ids are this run's prefix and a count: unique per event, the same for its retries. */
  private readonly run = randomBytes(6).toString('hex');
  private closed = false;
  private readonly idle: Array<() => void> = [];

  private constructor(private readonly nc: NatsConnection, private readonly js: JetStreamClient) {}

  /** Connects and makes sure the stream exists (subjects tickgate.>). */
  static async open(url: string, stream: string): Promise<JetStreamPublisher> {
    const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'tickgate serve' });
    try {
      const jsm = await nc.jetstreamManager();
      try {
        await jsm.streams.info(stream);
      } catch {
        await jsm.streams.add({ name: stream, subjects: ['tickgate.>'] });
      }
      return new JetStreamPublisher(nc, nc.jetstream());
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  get waiting(): number { return this.queue.length - this.head; }

  publish(encoded: Uint8Array, kind: EventKind, symbol: string | undefined): void {
    this.queue.push({ subject: `tickgate.${kind}.${subjectToken(symbol)}`, data: encoded, id: `${this.run}-${this.next++}` });
    if (!this.pumping) void this.pump();
  }

  /** Resolves when at most MAX_WAITING events wait. */
  async readyForMore(): Promise<void> {
    while (this.waiting > MAX_WAITING && !this.closed) await new Promise((r) => setTimeout(r, 5));
  }

  /** Resolves when JetStream has acknowledged every event, or after `timeoutMs`; false then. */
  async drained(timeoutMs: number): Promise<boolean> {
    if (this.waiting === 0) return true;
    return Promise.race([
      new Promise<boolean>((resolve) => this.idle.push(() => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
    ]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.nc.drain().catch(() => this.nc.close());
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    while (this.head < this.queue.length && !this.closed) {
      const m = this.queue[this.head]!;
      let delay = 50;
      for (;;) {
        try {
          await this.js.publish(m.subject, m.data, { msgID: m.id, timeout: 2000 });
          break;
        } catch {
          if (this.closed) break;
          this.counters.retries++;
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, MAX_RETRY_MS);
        }
      }
      this.counters.published++;
      this.queue[this.head++] = undefined as never;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
    }
    this.pumping = false;
    if (this.waiting === 0) for (const done of this.idle.splice(0)) done();
  }
}
