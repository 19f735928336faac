// An application's burst against a peer that reads slowly: the session stores every order at once but holds
// back what the connection cannot take (the socket and the order path stay under OUTBOUND_BACKLOG_BYTES), and
// says so (`writable`, 'drain', whenWritable()); when the peer reads again, every order arrives once, in
// MsgSeqNum order, with no gap and nothing ahead of a held-back order.
import net from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { RefDevice } from '../src/device/ref-device.js';
import { buildMessage } from '../src/fix/message.js';
import { fixTime } from '../src/session/codec.js';
import { InboundLink } from '../src/session/device-link.js';
import { FixDictionary } from '../src/session/dictionary.js';
import { FixSession } from '../src/session/session.js';
import { MessageStore } from '../src/session/store.js';
import { sessionConfig, startRunner, tempDir, type TestRunner } from './helpers/session.js';

const ORDERS = 60_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Bytes in use after a full collection (JavaScript heap and buffers): what is held, not garbage waiting
 *  for the collector. */
function heldHeap(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** A FIX acceptor that answers the Logon, then reads nothing until `read()`; counts what comes after. */
class StallingAcceptor {
  readonly server = net.createServer((s) => this.serve(s));
  private socket: net.Socket | undefined;
  private text = '';
  private loggedOn = false;
  /** MsgSeqNum and MsgType of every message after the Logon, in arrival order. */
  readonly messages: Array<{ seq: number; msgType: string }> = [];

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port)));
  }

  private serve(s: net.Socket): void {
    this.socket = s;
    s.on('error', () => undefined);
    s.on('data', (d: Buffer) => {
      this.text += d.toString('latin1');
      for (;;) {
        const m = /^8=[^\x01]*\x019=\d+\x01[\s\S]*?\x0110=\d{3}\x01/.exec(this.text);
        if (!m) break;
        this.text = this.text.slice(m[0].length);
        const msgType = /\x0135=([^\x01]*)/.exec(m[0])![1]!;
        const seq = Number(/\x0134=(\d+)/.exec(m[0])![1]);
        if (!this.loggedOn && msgType === 'A') {
          this.loggedOn = true;
          s.write(buildMessage('FIX.4.4', [[35, 'A'], [34, '1'], [49, 'EXCH'], [52, fixTime(Date.now())], [56, 'CLIENT'], [98, '0'], [108, '30']]));
          s.pause();
        } else {
          this.messages.push({ seq, msgType });
        }
      }
    });
  }

  read(): void { this.socket!.resume(); }

  close(): void {
    this.socket?.destroy();
    this.server.close();
  }
}

const order = (k: number) => ({ clOrdID: `burst-${k}`, symbol: 'AAPL', side: 'buy' as const, qty: 100, ordType: 'limit' as const, price: '190.25' });

async function until(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('session back-pressure', () => {
  let peer: StallingAcceptor | undefined;
  let run: TestRunner | undefined;
  afterEach(async () => {
    await run?.runner.stop();
    peer?.close();
  });

  async function connected(): Promise<{ peer: StallingAcceptor; run: TestRunner }> {
    peer = new StallingAcceptor();
    const port = await peer.listen();
    run = await startRunner('ref', { role: 'initiator', senderCompID: 'CLIENT', targetCompID: 'EXCH', port, heartBtInt: 30 });
    await until('the Logon', () => run!.runner.session.state === 'active', 10_000);
    return { peer, run };
  }

  /** Every order arrived once, in order: seq 2..ORDERS+1 with nothing else ahead of the last. */
  function expectAllInOrder(p: StallingAcceptor): void {
    const orders = p.messages.filter((m) => m.msgType === 'D');
    expect(orders).toHaveLength(ORDERS);
    expect(p.messages.slice(0, ORDERS).map((m) => m.seq)).toEqual(Array.from({ length: ORDERS }, (_, k) => k + 2));
  }

  it('holds back a burst the peer does not read, then sends it all in order', async () => {
    const { peer: p, run: r } = await connected();
    const session = r.runner.session;
    const heapBefore = heldHeap();
    let drains = 0;
    session.on('drain', () => { drains++; });
    for (let k = 0; k < ORDERS; k++) session.send(order(k));
    expect(session.writable).toBe(false);
    // let the order path and the socket take what they can: then the session stops handing over bytes
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const grown = heldHeap() - heapBefore;
    expect(p.messages.length).toBe(0);
    expect(session.writable).toBe(false);
    // every order is in the store's journal; what waits in memory is a few bytes each, not socket bytes or
    // message bodies (15 MiB held here when this was written; 70 MiB before, and growing with the burst)
    expect(grown, `held ${(grown / 2 ** 20).toFixed(1)} MiB after the burst`).toBeLessThan(40 * 2 ** 20);

    p.read();
    await until('every order at the peer', () => p.messages.filter((m) => m.msgType === 'D').length >= ORDERS, 60_000);
    expectAllInOrder(p);
    await until('the session writable again', () => session.writable, 5_000);
    expect(drains).toBeGreaterThan(0);
  }, 120_000);

  it('lets an application pace itself with whenWritable()', async () => {
    const { peer: p, run: r } = await connected();
    const session = r.runner.session;
    let waits = 0;
    const sending = (async () => {
      for (let k = 0; k < ORDERS; k++) {
        session.send(order(k));
        if (!session.writable) {
          waits++;
          await session.whenWritable();
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    p.read();
    await sending;
    await until('every order at the peer', () => p.messages.filter((m) => m.msgType === 'D').length >= ORDERS, 60_000);
    expectAllInOrder(p);
    expect(waits).toBeGreaterThan(0);
  }, 120_000);

  it('serves a ResendRequest only up to the first message still held back, so none goes out twice', async () => {
    const config = sessionConfig({ role: 'initiator', senderCompID: 'CLIENT', targetCompID: 'EXCH', port: 1, storeDir: 'store' });
    const store = new MessageStore({ dir: tempDir(), name: 'held-back' });
    const session = new FixSession({ config, store, dictionary: FixDictionary.forBeginString('FIX.4.4') });
    const device = new RefDevice();
    const inbound = new InboundLink(device, (err) => { throw err; });
    inbound.open((m) => session.receive(m));
    const wire: string[] = [];
    let full = false;
    session.attach({ write: (bytes) => { wire.push(bytes.toString('latin1')); return !full; }, close: () => {} });
    const peer = (seq: number, msgType: string, body: Array<[number, string]>) => inbound.push(buildMessage('FIX.4.4', [
      [35, msgType], [34, String(seq)], [49, 'EXCH'], [52, fixTime(Date.now())], [56, 'CLIENT'], ...body]));
    await peer(1, 'A', [[98, '0'], [108, '30']]);
    await until('the Logon', () => session.state === 'active', 5_000);
    full = true;
    for (let k = 0; k < 4; k++) session.send(order(k));   // 2 goes to the connection, which is full: 3..5 wait
    expect(session.writable).toBe(false);
    await peer(2, '2', [[7, '1'], [16, '0']]);           // everything from 1
    await until('the ResendRequest handled', () => store.nextTargetSeq === 3, 5_000);
    full = false;
    session.connectionDrained();
    expect(session.writable).toBe(true);
    const sent = wire.map((m) => ({ seq: Number(/\x0134=(\d+)/.exec(m)![1]), msgType: /\x0135=([^\x01]*)/.exec(m)![1], possDup: m.includes('\x0143=Y') }));
    // the resend covers 1..2 (a gap fill for the Logon, order 2 again as PossDup); 3..5 go out once, new
    expect(sent.filter((m) => !m.possDup).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(sent.filter((m) => m.possDup).map((m) => [m.seq, m.msgType])).toEqual([[1, '4'], [2, 'D']]);
    session.close();
    await inbound.close();
    store.close();
  });
});
