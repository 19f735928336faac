// Live feed: a multicast group read as it arrives, gaps recovered from the retransmission server, records
// out in sequence order. Recovered messages go to the decoder as one-message packets in order, so the
// decoder sees a gap-free stream (it still reports a gap if recovery gave up).
import dgram from 'node:dgram';
import { moldHeader } from './generator.js';
import { MoldRecovery } from './recovery.js';
import { FeedDecoder, type FeedRecord } from './ref-decoder.js';

export interface LiveFeedOptions {
  group: string;
  port: number;
  interface?: string;
  /** host:port of the retransmission server; without it, gaps are reported, not recovered. */
  retransmit?: { host: string; port: number };
  symbols?: ReadonlySet<string>;
  onRecord: (r: FeedRecord) => void;
  retryMs?: number;
}

export class LiveFeed {
  readonly decoder: FeedDecoder;
  readonly recovery: MoldRecovery | undefined;
  private readonly socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  private endedResolve!: () => void;
  /** Resolves when the end of session arrived and every message before it was delivered. */
  readonly ended = new Promise<void>((resolve) => { this.endedResolve = resolve; });

  constructor(private readonly o: LiveFeedOptions) {
    this.decoder = new FeedDecoder(o.symbols);
    const out: FeedRecord[] = [];
    const emit = () => { for (const r of out.splice(0)) o.onRecord(r); };
    if (o.retransmit) {
      const { host, port } = o.retransmit;
      this.recovery = new MoldRecovery({
        request: (p) => this.socket.send(p, port, host),
        deliver: (session, seq, m) => {
          const len = Buffer.from([m.length >> 8, m.length & 0xff]);
          this.decoder.packet(Buffer.concat([moldHeader(session, seq, 1), len, m]), out);
          emit();
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
        this.decoder.packet(p, out);
        emit();
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
