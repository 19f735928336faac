// A MoldUDP64 publisher, as an exchange runs one: ITCH messages out to a multicast group in packets, every
// message kept for the retransmission server, which answers request packets by unicast. Used by the
// simulated exchange and the tests (where `drop` loses packets on purpose, retransmissions included).
import dgram from 'node:dgram';
import { moldHeader, moldPacketize } from './generator.js';

export interface PublisherOptions {
  session: string;
  group: string;
  port: number;
  /** The interface multicast leaves by; 127.0.0.1 keeps it on loopback. */
  interface?: string;
  /** Decides per packet whether it is lost (tests). */
  drop?: (packet: Buffer) => boolean;
  heartbeatMs?: number;
}

export class MoldPublisher {
  private readonly feed = dgram.createSocket('udp4');
  private readonly retransmitter = dgram.createSocket('udp4');
  private readonly messages: Buffer[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private ended = false;
  requestsServed = 0;

  constructor(private readonly o: PublisherOptions) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.feed.bind(0, this.o.interface ?? '127.0.0.1', () => resolve()));
    this.feed.setMulticastInterface(this.o.interface ?? '127.0.0.1');
    this.feed.setMulticastLoopback(true);
    this.feed.setMulticastTTL(1);
    this.retransmitter.on('message', (req, from) => this.serve(req, from));
    await new Promise<void>((resolve) => this.retransmitter.bind(0, this.o.interface ?? '127.0.0.1', () => resolve()));
    if (this.o.heartbeatMs) {
      // Heartbeats go on after the end of the session, as end-of-session packets: a receiver that lost the
      // first one still learns where the session ended.
      this.heartbeat = setInterval(() => this.send(moldHeader(this.o.session, this.nextSeq, this.ended ? 0xffff : 0)), this.o.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  get retransmitPort(): number { return this.retransmitter.address().port; }
  get nextSeq(): number { return this.messages.length + 1; }

  /** Sends the messages (numbered on from the last) in packets to the group. */
  publish(messages: Buffer[]): void {
    const first = this.nextSeq;
    this.messages.push(...messages);
    for (const p of moldPacketize(messages, { session: this.o.session, firstSeq: first, seed: first })) this.send(p);
  }

  /** The end-of-session packet, with the next number, so receivers learn the last one. */
  endSession(): void {
    this.ended = true;
    this.send(moldHeader(this.o.session, this.nextSeq, 0xffff));
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.feed.close();
    this.retransmitter.close();
  }

  private send(p: Buffer): void {
    if (this.o.drop?.(p)) return;
    this.feed.send(p, this.o.port, this.o.group);
  }

  private serve(req: Buffer, from: dgram.RemoteInfo): void {
    if (req.length < 20 || req.toString('latin1', 0, 10).replace(/ +$/, '') !== this.o.session) return;
    this.requestsServed++;
    const seq = Number(req.readBigUInt64BE(10));
    const count = req.readUInt16BE(18);
    const upTo = Math.min(this.messages.length + 1, seq + count);
    if (seq < 1 || seq >= upTo) return;
    for (const p of moldPacketize(this.messages.slice(seq - 1, upTo - 1), { session: this.o.session, firstSeq: seq, seed: seq })) {
      if (!this.o.drop?.(p)) this.retransmitter.send(p, from.port, from.address);
    }
  }
}
