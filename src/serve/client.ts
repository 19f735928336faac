// A client of `tickgate serve` (`import { connect } from 'tickgate/client'`): connects with a token,
// subscribes, and gives the events as an async iterator, decoded with the service's schema. When the
// connection drops (the server restarted, the network went away) it connects again with backoff and sends
// its Subscribe again; events published meanwhile are not replayed (the service is live). A refused token
// (401) or a closed iterator ends it.
import WebSocket from 'ws';
import { EVENT_KINDS, eventSchema, type EventKind } from './events.js';

export interface ClientOptions {
  /** The server's URL as `serve` prints it (http(s)://host:port) or its WebSocket URL. */
  url: string;
  token: string;
  kinds?: EventKind[];
  symbols?: string[];
  /** Connect again after a drop (default true); the delay doubles from 100 ms up to 5 s. */
  reconnect?: boolean;
  /** https/wss: the certificate authority to trust (PEM), for a server whose certificate is not in Node's store. */
  ca?: string | Buffer;
}

/** One event: its kind, the device's record sequence number and the body as the proto3 JSON mapping gives
 *  it (64-bit integers as decimal strings). */
export interface ClientEvent {
  /** which connection brought it (1, 2, ... : a new one after each reconnect; events in between are lost) */
  connection: number;
  kind: EventKind;
  recordSeq: number;
  body: Record<string, unknown>;
}

/** The server refused the token (HTTP 401), or gave another HTTP answer instead of a WebSocket. */
export class ClientRefusedError extends Error {
  constructor(readonly status: number) {
    super(`tickgate serve refused the connection: HTTP ${status}${status === 401 ? ' (the token is not one the server takes)' : ''}`);
  }
}

function streamUrl(url: string): string {
  const u = new URL(url.replace(/^http/, 'ws'));
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/stream';
  return u.toString();
}

export class TickgateClient implements AsyncIterable<ClientEvent> {
  private ws: WebSocket | undefined;
  private readonly queue: ClientEvent[] = [];
  private head = 0;
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  private closed = false;
  /** Connections made, the first included. */
  connections = 0;

  constructor(private readonly o: ClientOptions) {}

  /** Resolves once the first connection is open and subscribed. */
  open(): Promise<void> {
    return this.connect(100);
  }

  close(): void {
    this.closed = true;
    this.ws?.close(1000);
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ClientEvent> {
    for (;;) {
      while (this.head < this.queue.length) {
        const e = this.queue[this.head++]!;
        if (this.head > 4096 && this.head * 2 > this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
        yield e;
      }
      if (this.failure) throw this.failure;
      if (this.closed) return;
      await new Promise<void>((resolve) => { this.waiter = resolve; });
    }
  }

  private connect(delay: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(streamUrl(this.o.url), { headers: { authorization: `Bearer ${this.o.token}` }, ...(this.o.ca ? { ca: this.o.ca } : {}) });
      this.ws = ws;
      const { Batch, Subscribe } = eventSchema();
      let opened = false;
      ws.on('unexpected-response', (_req, res) => {
        const err = new ClientRefusedError(res.statusCode ?? 0);
        ws.terminate();
        this.fail(err);
        reject(err);
      });
      ws.on('open', () => {
        opened = true;
        this.connections++;
        ws.send(Subscribe.encode(Subscribe.fromObject({ kinds: this.o.kinds ?? [], symbols: this.o.symbols ?? [] })).finish());
        resolve();
      });
      ws.on('message', (data: Buffer) => {
        const batch = Batch.toObject(Batch.decode(data), { longs: String, defaults: true, oneofs: false }) as { events: Array<Record<string, unknown>> };
        for (const e of batch.events) {
          const kind = EVENT_KINDS.find((k) => e[k] !== undefined && e[k] !== null)!;
          this.queue.push({ connection: this.connections, kind, recordSeq: e.recordSeq as number, body: e[kind] as Record<string, unknown> });
        }
        this.wake();
      });
      ws.on('error', () => undefined);
      ws.on('close', () => {
        if (this.closed || this.failure) return this.wake();
        if (!opened && this.connections === 0 && this.o.reconnect === false) {
          const err = new Error(`cannot connect to ${this.o.url}`);
          this.fail(err);
          return reject(err);
        }
        if (this.o.reconnect === false) {
          this.closed = true;
          return this.wake();
        }
        const next = opened ? 100 : Math.min(delay * 2, 5000);
        setTimeout(() => { if (!this.closed) this.connect(next).then(resolve, reject); }, opened ? 100 : delay);
      });
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

/** Connects and subscribes; iterate the result for events. */
export async function connect(o: ClientOptions): Promise<TickgateClient> {
  const c = new TickgateClient(o);
  await c.open();
  return c;
}
