// Live feed: a multicast group read as it arrives, gaps recovered from the retransmission server, packets
// on to a sink (the device, or the golden model) in sequence order. Recovered messages go on as
// one-message packets in order, so the sink sees a gap-free stream (it still reports a gap if recovery
// gave up).
import dgram from 'node:dgram';
import { moldHeader } from './generator.js';
import { MoldRecovery } from './recovery.js';
import type { FeedSink } from './device-feed.js';

export interface LiveFeedOptions {
  group: string;
  port: number;
  interface?: string;
  /** host:port of the retransmission server; without it, gaps are reported, not recovered. */
  retransmit?: { host: string; port: number };
  sink: FeedSink;
  retryMs?: number;
}

export class LiveFeed {
  readonly recovery: MoldRecovery | undefined;
  private readonly socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  private endedResolve!: () => void;
  /** Resolves when the end of session arrived and every message before it was delivered. */
  readonly ended = new Promise<void>((resolve) => { this.endedResolve = resolve; });

  constructor(private readonly o: LiveFeedOptions) {
    if (o.retransmit) {
      const { host, port } = o.retransmit;
      this.recovery = new MoldRecovery({
        request: (p) => this.socket.send(p, port, host),
        deliver: (session, seq, m) => {
          const len = Buffer.from([m.length >> 8, m.length & 0xff]);
          o.sink.packet(Buffer.concat([moldHeader(session, seq, 1), len, m]));
        },
        retryMs: o.retryMs,
        startAt: 1,
      });
    }
    this.socket.on('message', (p) => {
      if (this.recovery) {
        this.recovery.packet(p);
        if (this.recovery.complete) this.endedResolve();
      } else {
        o.sink.packet(p);
        if (p.length >= 20 && p.readUInt16BE(18) === 0xffff) this.endedResolve();
      }
    });
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.o.port, () => {
        try {
          this.socket.addMembership(this.o.group, this.o.interface ?? '127.0.0.1');
          resolve();
        } catch (err) {
          reject(err as Error);
        }
      });
    });
  }

  close(): void {
    this.recovery?.close();
    this.socket.close();
  }
}
