// A scripted FIX counterparty for conformance tests: writes hand-made messages (any MsgSeqNum, any
// SendingTime, broken on purpose) to a session under test and reads what comes back.
import net from 'node:net';
import { buildMessage, type FieldList } from '../../src/fix/message.js';
import { fixTime } from '../../src/session/codec.js';

export type Msg = Array<[number, string]>;

export interface HeaderOverrides {
  seq: number;
  sender?: string;
  target?: string;
  sendingTime?: string;
  beginString?: string;
  possDup?: boolean;
  origSendingTime?: string;
}

export class RawPeer {
  readonly received: Msg[] = [];
  private buffer = '';
  private waiters: Array<() => void> = [];
  closed = false;
  bytesReceived = 0;

  private constructor(readonly socket: net.Socket, private readonly sender: string, private readonly target: string, private readonly beginString: string) {
    socket.on('data', (d: Buffer) => {
      this.bytesReceived += d.length;
      this.buffer += d.toString('latin1');
      for (;;) {
        const m = /^8=[^\x01]*\x019=\d+\x01[\s\S]*?\x0110=\d{3}\x01/.exec(this.buffer);
        if (!m) break;
        this.buffer = this.buffer.slice(m[0].length);
        this.received.push(m[0].split('\x01').filter(Boolean).map((f) => {
          const eq = f.indexOf('=');
          return [Number(f.slice(0, eq)), f.slice(eq + 1)] as [number, string];
        }));
      }
      this.wake();
    });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => undefined);
  }

  static connect(port: number, o: { sender: string; target: string; beginString?: string }): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawPeer(s, o.sender, o.target, o.beginString ?? 'FIX.4.4')));
      s.once('error', reject);
    });
  }

  /** A message with the header QuickFIX would write, from the peer's side, with overrides. */
  message(msgType: string, h: HeaderOverrides, body: FieldList = []): Buffer {
    const header: Array<[number, string]> = [
      [34, String(h.seq)], [49, h.sender ?? this.sender], [52, h.sendingTime ?? fixTime(Date.now())], [56, h.target ?? this.target],
    ];
    if (h.possDup) header.push([43, 'Y']);
    if (h.origSendingTime) header.push([122, h.origSendingTime]);
    header.sort((a, b) => a[0] - b[0]);
    return buildMessage(h.beginString ?? this.beginString, [[35, msgType], ...header, ...body]);
  }

  send(msgType: string, h: HeaderOverrides, body: FieldList = []): void {
    this.socket.write(this.message(msgType, h, body));
  }

  write(bytes: Buffer | string): void { this.socket.write(bytes); }

  logon(seq = 1, heartBtInt = 30, extra: FieldList = []): void {
    this.send('A', { seq }, [[98, '0'], [108, String(heartBtInt)], ...extra]);
  }

  /** Waits until `predicate` holds on the messages received so far (or the socket closed). */
  async until(predicate: (r: Msg[]) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      if (this.closed) throw new Error(`connection closed while waiting for ${what}; received ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** The next message of type `msgType` after the first `after` messages. */
  async expect(msgType: string, after = 0, timeoutMs = 5000): Promise<Msg> {
    await this.until((r) => r.slice(after).some((m) => get(m, 35) === msgType), `35=${msgType}`, timeoutMs);
    return this.received.slice(after).find((m) => get(m, 35) === msgType)!;
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error(`connection still open after ${timeoutMs} ms; received ${this.describe()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void { this.socket.destroy(); }

  describe(): string {
    return this.received.map((m) => m.map(([t, v]) => `${t}=${v}`).join('|')).join('\n') || '(nothing)';
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export function get(m: Msg, tag: number): string | undefined {
  return m.find(([t]) => t === tag)?.[1];
}
