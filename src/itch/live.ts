// Live feed: a multicast group read as it arrives, gaps recovered from the retransmission server, packets
// on to a sink (the device, or the golden model) in sequence order. Recovered messages go on in order,
// repacked into packets of consecutive messages (up to a 1,400-byte payload, flushed after each datagram),
// so the sink sees a gap-free stream (it still reports a gap if recovery gave up).
import dgram from 'node:dgram';
import { moldHeader } from './generator.js';
import { MoldRecovery } from './recovery.js';
import type { FeedSink } from './device-feed.js';
import { MoldPayloadFilter } from './input.js';

const MAX_PAYLOAD = 1400;

export interface LiveFeedOptions {
  group: string;
  port: number;
  interface?: string;
  /** host:port of the retransmission server; without it, gaps are reported, not recovered. */
  retransmit?: { host: string; port: number };
  sink: FeedSink;
  retryMs?: number;
}

const RECEIVE_BUFFER_BYTES = 8 * 2 ** 20;

export class LiveFeed {
  readonly recovery: MoldRecovery | undefined;
  /** Datagrams that were not MoldUDP64 (without recovery; with it, MoldRecovery counts them malformed). */
  readonly counts = { otherTraffic: 0 };
  private readonly filter = new MoldPayloadFilter(this.counts);
  // a burst arriving while the event loop is busy waits in the kernel: ask for more than the default
  // 208 KiB (Linux caps the request at net.core.rmem_max)
  private readonly socket = dgram.createSocket({ type: 'udp4', reuseAddr: true, recvBufferSize: RECEIVE_BUFFER_BYTES });
  private endedResolve!: () => void;
  /** Resolves when the end of session arrived and every message before it was delivered. */
  readonly ended = new Promise<void>((resolve) => { this.endedResolve = resolve; });

  constructor(private readonly o: LiveFeedOptions) {
    if (o.retransmit) {
      const { host, port } = o.retransmit;
      this.recovery = new MoldRecovery({
        request: (p) => this.socket.send(p, port, host),
        deliver: (session, seq, m) => this.repack(session, seq, m),
        retryMs: o.retryMs,
        startAt: 1,
      });
    }
    this.socket.on('message', (p) => {
      if (this.recovery) {
        this.recovery.packet(p);
        this.flush();
        if (this.recovery.complete) this.endedResolve();
      } else if (this.filter.accepts(p)) {
        o.sink.packet(p);
        if (p.length >= 20 && p.readUInt16BE(18) === 0xffff) this.endedResolve();
      }
    });
  }

  private pending: { session: string; seq: number; parts: Buffer[]; bytes: number } | undefined;

  private repack(session: string, seq: number, m: Buffer): void {
    const p = this.pending;
    if (p && (p.session !== session || p.seq + p.parts.length / 2 !== seq || p.bytes + 2 + m.length > MAX_PAYLOAD)) this.flush();
    this.pending ??= { session, seq, parts: [], bytes: 20 };
    this.pending.parts.push(Buffer.from([m.length >> 8, m.length & 0xff]), m);
    this.pending.bytes += 2 + m.length;
  }

  private flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.o.sink.packet(Buffer.concat([moldHeader(p.session, p.seq, p.parts.length / 2), ...p.parts]));
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
