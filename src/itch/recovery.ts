// MoldUDP64 gap recovery on the host: packets from the multicast feed and from the retransmission server
// both arrive here; messages leave in sequence order, each exactly once. A gap (a packet or heartbeat
// ahead of the expected number) sends a request for the missing range (Session, Sequence Number, Message
// Count: the MoldUDP64 request packet) and repeats it until the range is filled.
import { moldHeader } from './generator.js';

export interface RecoveryOptions {
  /** Sends a MoldUDP64 request packet to the retransmission server. */
  request: (packet: Buffer) => void;
  /** Messages in order, from the first number seen. */
  deliver: (session: string, seq: number, message: Buffer) => void;
  /** Most messages asked for in one request. */
  maxRequest?: number;
  /** A request not answered within this time is sent again. */
  retryMs?: number;
  /** The first number wanted: 1 recovers a session from its start even when its first packets were lost;
   *  without it, delivery starts at the first packet seen (a late joiner). */
  startAt?: number;
}

export interface RecoveryCounters {
  requests: number;
  recovered: number;
  duplicates: number;
  malformed: number;
}

/** A MoldUDP64 request packet (client to retransmission server). */
export function moldRequest(session: string, seq: number, count: number): Buffer {
  return moldHeader(session, seq, count);
}

export class MoldRecovery {
  readonly counters: RecoveryCounters = { requests: 0, recovered: 0, duplicates: 0, malformed: 0 };
  private session: string | undefined;
  private expected: number | undefined;
  /** The highest number known to exist (from packets and heartbeats), plus one. */
  private known = 0;
  private readonly held = new Map<number, Buffer>();
  private requested: { from: number; at: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(private readonly o: RecoveryOptions) {}

  /** True once the end of session was seen and every message before it delivered. */
  get complete(): boolean { return this.ended && this.expected !== undefined && this.expected >= this.known; }
  get nextExpected(): number | undefined { return this.expected; }

  packet(p: Buffer): void {
    if (p.length < 20) { this.counters.malformed++; return; }
    const session = p.toString('latin1', 0, 10).replace(/ +$/, '');
    if (this.session === undefined) this.session = session;
    if (session !== this.session) { this.counters.malformed++; return; }
    const seq = Number(p.readBigUInt64BE(10));
    const count = p.readUInt16BE(18);
    this.expected ??= this.o.startAt ?? seq;
    if (count === 0 || count === 0xffff) {
      if (count === 0xffff) this.ended = true;
      this.known = Math.max(this.known, seq);
    } else {
      let at = 20;
      for (let i = 0; i < count; i++) {
        if (at + 2 > p.length || at + 2 + p.readUInt16BE(at) > p.length) { this.counters.malformed++; break; }
        const len = p.readUInt16BE(at);
        const s = seq + i;
        if (s < this.expected || this.held.has(s)) this.counters.duplicates++;
        else this.held.set(s, p.subarray(at + 2, at + 2 + len));
        at += 2 + len;
        this.known = Math.max(this.known, s + 1);
      }
    }
    this.drain();
    this.askForGap();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private drain(): void {
    const fromRequest = this.requested !== undefined;
    for (let m = this.held.get(this.expected!); m !== undefined; m = this.held.get(this.expected!)) {
      this.held.delete(this.expected!);
      if (fromRequest && this.expected! >= this.requested!.from) this.counters.recovered++;
      this.o.deliver(this.session!, this.expected!, m);
      this.expected!++;
    }
    if (this.requested && this.expected! > this.requested.from) this.requested = undefined;
  }

  private askForGap(): void {
    if (this.expected! >= this.known) {
      this.close();
      return;
    }
    if (this.requested && Date.now() - this.requested.at < (this.o.retryMs ?? 100)) return this.arm();
    const firstHeld = Math.min(this.known, ...this.held.keys());
    const count = Math.min(firstHeld - this.expected!, this.o.maxRequest ?? 1000);
    this.requested = { from: this.expected!, at: Date.now() };
    this.counters.requests++;
    this.o.request(moldRequest(this.session!, this.expected!, count));
    this.arm();
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.expected! < this.known) {
        this.requested = undefined;
        this.askForGap();
      }
    }, this.o.retryMs ?? 100);
    this.timer.unref();
  }
}
