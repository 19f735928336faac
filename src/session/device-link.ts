// The device between the session and the wire, both ways.
// Inbound: every byte from the socket goes to the device's FIX receiver; the session gets the messages the
// device framed, checked and indexed (values sliced from the bytes the host holds, never re-parsed).
// Outbound: application messages pass the device's order path before they may leave (OrderPath); session
// messages wait their turn behind them, so the wire keeps sequence-number order.
import type { Device } from '../device/device.js';
import { REG, REG_BIT } from '../device/generated/layout.js';
import { FixMessageAssembler, type FixMessage } from '../fix/message-assembler.js';

/** A device stream of FIX bytes in, its messages out; one TCP connection is one device stream. */
export class InboundLink {
  private assembler = new FixMessageAssembler();
  private streamEnded: (() => void) | undefined;
  private readonly reader: Promise<void>;
  private onMessage: ((m: FixMessage) => void) | undefined;
  private closed = false;

  constructor(readonly device: Device, onError: (err: Error) => void) {
    device.writeReg(REG.CONTROL, device.readReg(REG.CONTROL) | (1 << REG_BIT.CONTROL_FIX_RX_ENABLE));
    this.reader = (async () => {
      for await (const ev of device.events()) {
        if (ev.kind === 'fix_field') this.assembler.field(ev);
        else if (ev.kind === 'fix_frame') this.onMessage?.(this.assembler.frame(ev));
        else {
          this.assembler.endStream();
          const done = this.streamEnded;
          this.streamEnded = undefined;
          done?.();
        }
      }
    })().catch(onError);
  }

  /** Routes the messages of the next stream to `onMessage`. */
  open(onMessage: (m: FixMessage) => void): void { this.onMessage = onMessage; }

  async push(bytes: Uint8Array): Promise<void> {
    if (this.closed) return;
    this.assembler.append(bytes);
    await this.device.send(bytes);
  }

  /** Ends the stream (the connection closed): a message cut off is reported truncated, then the stream ends. */
  async end(): Promise<void> {
    if (this.closed) return;
    const ended = new Promise<void>((resolve) => { this.streamEnded = resolve; });
    await this.device.send(new Uint8Array(0), { end: true });
    await ended;
    this.onMessage = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.device.close();
    await this.reader;
    this.streamEnded?.();
  }
}

export interface OrderVerdict {
  accepted: boolean;
  reason: string | null;
}

/** The outbound order path of the device: an order leaves for the exchange only if the device accepts it. */
export interface OrderPath {
  check(bytes: Buffer): Promise<OrderVerdict>;
  close(): Promise<void>;
}

/** Until the risk gate exists, the order path is the device's FIX framer: an order is accepted when the
 *  device frames it as one well-formed message of exactly its length (CheckSum and BodyLength checked). */
export class FramerOrderPath implements OrderPath {
  private readonly waiting: Array<{ length: number; resolve: (v: OrderVerdict) => void }> = [];
  private readonly reader: Promise<void>;

  constructor(private readonly device: Device) {
    device.writeReg(REG.CONTROL, device.readReg(REG.CONTROL) | (1 << REG_BIT.CONTROL_FIX_RX_ENABLE));
    this.reader = (async () => {
      for await (const ev of device.events()) {
        if (ev.kind !== 'fix_frame') continue;
        const w = this.waiting.shift();
        if (!w) throw new Error(`order path: the device framed a message nobody sent (offset ${ev.offset})`);
        w.resolve(ev.error === null && ev.length === w.length
          ? { accepted: true, reason: null }
          : { accepted: false, reason: ev.error ?? `framed as ${ev.length} bytes, sent ${w.length}` });
      }
    })();
    this.reader.catch(() => undefined);
  }

  check(bytes: Buffer): Promise<OrderVerdict> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ length: bytes.length, resolve });
      this.device.send(bytes).catch(reject);
    });
  }

  async close(): Promise<void> {
    await this.device.close();
    await this.reader.catch(() => undefined);
    for (const w of this.waiting.splice(0)) w.resolve({ accepted: false, reason: 'device closed' });
  }
}

/** Writes a session's messages in order: application messages after their order-path verdict. */
export class OutboundQueue {
  private tail: Promise<void> = Promise.resolve();
  /** Bytes pushed and not yet written or rejected. */
  pendingBytes = 0;

  constructor(
    private readonly path: OrderPath,
    private readonly write: (bytes: Buffer) => void,
    private readonly onRejected: (seq: number, reason: string) => void,
    /** Called after each message is written or rejected. */
    private readonly onSettled: () => void = () => {},
  ) {}

  push(bytes: Buffer, app: boolean, seq: number): void {
    this.pendingBytes += bytes.length;
    const settled = () => {
      this.pendingBytes -= bytes.length;
      this.onSettled();
    };
    if (!app) {
      this.tail = this.tail.then(() => { this.write(bytes); settled(); });
      return;
    }
    // an order path that failed lets nothing out: its orders are rejected with the reason
    const verdict = this.path.check(bytes).catch((err: Error): OrderVerdict => ({ accepted: false, reason: `order path failed: ${err.message}` }));
    this.tail = this.tail.then(async () => {
      const v = await verdict;
      if (v.accepted) this.write(bytes);
      else this.onRejected(seq, v.reason ?? 'rejected');
      settled();
    });
  }

  /** Resolves when everything pushed so far has been written or rejected. */
  flushed(): Promise<void> { return this.tail; }
}
