// The FIX Session Layer Test Cases (../shared/FIX-SESSION-CASES.md) against our acceptor, with a scripted
// counterparty, on both device backends: every inbound byte goes through the device's parser.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_BACKENDS } from '../src/device/index.js';
import { fixTime } from '../src/session/codec.js';
import { get, RawPeer } from './helpers/raw-peer.js';
import { startRunner, type TestRunner } from './helpers/session.js';

const ACCEPTOR = { role: 'acceptor', senderCompID: 'EXCH', targetCompID: 'CLIENT', port: 0 };
const ORDER: Array<[number, string]> = [[11, 'ord-1'], [55, 'AAPL'], [54, '1'], [60, '20261125-10:00:00.000'], [38, '100'], [40, '2'], [44, '12.5']];

describe.each(LOCAL_BACKENDS)('session test cases, %s backend', (backend) => {
  let t: TestRunner;
  let peer: RawPeer;

  beforeEach(async () => {
    t = await startRunner(backend, ACCEPTOR, { app: 'fill' });
    peer = await RawPeer.connect(t.runner.port, { sender: 'CLIENT', target: 'EXCH' });
  });
  afterEach(async () => {
    peer.close();
    await t.runner.stop();
  });

  async function logon(): Promise<void> {
    peer.logon(1);
    const reply = await peer.expect('A');
    expect(get(reply, 108)).toBe('30');
    expect(get(reply, 34)).toBe('1');
  }

  it('1S a: answers a valid Logon with a Logon, header in QuickFIX order', async () => {
    await logon();
    const tags = peer.received[0]!.map(([t]) => t);
    expect(tags.slice(0, 8)).toEqual([8, 9, 35, 34, 49, 52, 56, 98]);
    expect(t.runner.session.state).toBe('active');
  });

  it('1S a: a Logon with a MsgSeqNum too high is answered, then the gap is asked for', async () => {
    peer.logon(5);
    await peer.expect('A');
    const rr = await peer.expect('2');
    expect([get(rr, 7), get(rr, 16)]).toEqual(['1', '0']);
    peer.send('4', { seq: 1, possDup: true, origSendingTime: fixTime(Date.now()) }, [[123, 'Y'], [36, '6']]);
    peer.send('1', { seq: 6 }, [[112, 'in-sync']]);
    expect(get(await peer.expect('0'), 112)).toBe('in-sync');
  });

  it('20: a ResendRequest that is itself too high is served first, then ours goes out', async () => {
    await logon();
    peer.send('D', { seq: 2 }, ORDER);
    await peer.expect('8');
    const before = peer.received.length;
    peer.send('2', { seq: 7 }, [[7, '2'], [16, '0']]);
    await peer.until((r) => r.length >= before + 2, 'resend and ResendRequest');
    const [replay, ours] = peer.received.slice(before);
    expect([get(replay!, 35), get(replay!, 34), get(replay!, 43)]).toEqual(['8', '2', 'Y']);
    expect([get(ours!, 35), get(ours!, 7)]).toEqual(['2', '3']);
    // Our gap closes with their gap fill; their ResendRequest (7) is not served twice.
    peer.send('4', { seq: 3, possDup: true, origSendingTime: fixTime(Date.now()) }, [[123, 'Y'], [36, '7']]);
    peer.send('1', { seq: 8 }, [[112, 'done']]);
    expect(get(await peer.expect('0', before + 2), 112)).toBe('done');
    expect(peer.received.slice(before + 2).filter((m) => get(m, 43) === 'Y')).toEqual([]);
  });

  it('ResetOnLogon: a Logon with ResetSeqNumFlag starts both sides at 1 again', async () => {
    await logon();
    peer.send('D', { seq: 2 }, ORDER);
    await peer.expect('8');
    peer.send('5', { seq: 3 });
    await peer.expect('5');
    await peer.waitClosed();
    expect(t.runner.session.store.nextSenderSeq).toBe(4);
    peer = await RawPeer.connect(t.runner.port, { sender: 'CLIENT', target: 'EXCH' });
    peer.logon(1, 30, [[141, 'Y']]);
    const reply = await peer.expect('A');
    expect([get(reply, 34), get(reply, 141)]).toEqual(['1', 'Y']);
    expect([t.runner.session.store.nextSenderSeq, t.runner.session.store.nextTargetSeq]).toEqual([2, 2]);
  });

  it('1S b: a second connection for a logged-on session is dropped without a byte', async () => {
    await logon();
    const second = await RawPeer.connect(t.runner.port, { sender: 'CLIENT', target: 'EXCH' });
    second.logon(2);
    await second.waitClosed();
    expect(second.bytesReceived).toBe(0);
    expect(t.runner.session.state).toBe('active');
  });

  it('1S c: a Logon with the wrong CompID is dropped without an answer', async () => {
    peer.send('A', { seq: 1, sender: 'INTRUDER' }, [[98, '0'], [108, '30']]);
    await peer.waitClosed();
    expect(peer.bytesReceived).toBe(0);
  });

  it('1S e: a first message that is not a Logon ends the connection', async () => {
    peer.send('1', { seq: 1 }, [[112, 'hello']]);
    await peer.waitClosed();
    expect(peer.bytesReceived).toBe(0);
    expect(t.events.some((e) => e.text.includes('first message not a logon'))).toBe(true);
  });

  it('2b: a MsgSeqNum too high asks for the gap', async () => {
    await logon();
    peer.send('1', { seq: 5 }, [[112, 'x']]);
    const rr = await peer.expect('2');
    expect([get(rr, 7), get(rr, 16)]).toEqual(['2', '0']);
  });

  it('2c: a MsgSeqNum too low without PossDup logs out and disconnects', async () => {
    await logon();
    peer.send('0', { seq: 2 });
    peer.send('0', { seq: 2 });
    const lo = await peer.expect('5');
    expect(get(lo, 58)).toBe('MsgSeqNum too low, expecting 3 but received 2');
    await peer.waitClosed();
  });

  it('2d, 3b, 2m: garbled, bad CheckSum and bad BodyLength messages are ignored and use no number', async () => {
    await logon();
    const good = peer.message('1', { seq: 2 }, [[112, 'after-junk']]);
    const badSum = Buffer.from(good.toString('latin1').replace(/10=\d{3}\x01$/, (m) => `10=${String((Number(m.slice(3, 6)) + 1) % 256).padStart(3, '0')}\x01`), 'latin1');
    const badLen = Buffer.from(good.toString('latin1').replace(/\x019=\d+\x01/, (m) => `\x019=${Number(m.slice(3, -1)) + 3}\x01`), 'latin1');
    peer.write(badSum);
    peer.write('8=FIX.4.4\x019=5\x0135=0\x01garbage without trailer');
    peer.write(badLen);
    peer.write(good);
    const hb = await peer.expect('0');
    expect(get(hb, 112)).toBe('after-junk');
    expect(peer.received.filter((m) => get(m, 35) === '3' || get(m, 35) === '5')).toEqual([]);
    expect(t.events.filter((e) => e.type === 'ignored').length).toBeGreaterThanOrEqual(2);
  });

  it('2e: a PossDup message already received is ignored', async () => {
    await logon();
    peer.send('D', { seq: 2 }, ORDER);
    await peer.expect('8');
    peer.send('D', { seq: 2, possDup: true, origSendingTime: fixTime(Date.now() - 1000) }, ORDER);
    peer.send('1', { seq: 3 }, [[112, 'still-here']]);
    await peer.expect('0');
    expect(peer.received.filter((m) => get(m, 35) === '8')).toHaveLength(1);
  });

  it('2f, 2g: OrigSendingTime after SendingTime, or PossDup without it, is rejected', async () => {
    await logon();
    peer.send('D', { seq: 2, possDup: true, origSendingTime: fixTime(Date.now() + 60_000) }, ORDER);
    const r1 = await peer.expect('3');
    expect([get(r1, 45), get(r1, 373)]).toEqual(['2', '10']);
    peer.send('D', { seq: 3, possDup: true }, ORDER);
    await peer.until((r) => r.filter((m) => get(m, 35) === '3').length === 2, 'second Reject');
    const r2 = peer.received.filter((m) => get(m, 35) === '3')[1]!;
    expect([get(r2, 45), get(r2, 373), get(r2, 371)]).toEqual(['3', '1', '122']);
  });

  it('2i: an unexpected BeginString logs out and disconnects', async () => {
    await logon();
    peer.send('0', { seq: 2, beginString: 'FIX.4.2' });
    await peer.expect('5');
    await peer.waitClosed();
  });

  it('2k: a wrong CompID after logon is rejected (373=9) and logged out', async () => {
    await logon();
    peer.send('0', { seq: 2, sender: 'SOMEONE' });
    const r = await peer.expect('3');
    expect(get(r, 373)).toBe('9');
    await peer.expect('5');
    await peer.waitClosed();
  });

  it('2o: SendingTime far from now is rejected (373=10) and logged out', async () => {
    await logon();
    peer.send('0', { seq: 2, sendingTime: fixTime(Date.now() - 5 * 60_000) });
    const r = await peer.expect('3');
    expect(get(r, 373)).toBe('10');
    await peer.expect('5');
  });

  it('2q: an invalid MsgType is rejected (373=11); 2r: an unsupported one gets a BusinessMessageReject', async () => {
    await logon();
    peer.send('ZZ', { seq: 2 });
    const r = await peer.expect('3');
    expect([get(r, 45), get(r, 373)]).toEqual(['2', '11']);
    peer.send('F', { seq: 3 }, [[41, 'ord-1'], [11, 'cxl-1'], [55, 'AAPL'], [54, '1'], [60, '20261125-10:00:00.000'], [38, '100']]);
    const j = await peer.expect('j');
    expect([get(j, 45), get(j, 372), get(j, 380)]).toEqual(['3', 'F', '3']);
  });

  it('4b: a TestRequest gets a Heartbeat with its TestReqID', async () => {
    await logon();
    peer.send('1', { seq: 2 }, [[112, 'ping-7']]);
    expect(get(await peer.expect('0'), 112)).toBe('ping-7');
  });

  it('8: a ResendRequest replays application messages with PossDup and gap-fills session messages', async () => {
    await logon();
    peer.send('D', { seq: 2 }, ORDER);
    const fill = await peer.expect('8');
    expect(get(fill, 34)).toBe('2');
    const before = peer.received.length;
    peer.send('2', { seq: 3 }, [[7, '1'], [16, '0']]);
    await peer.until((r) => r.length >= before + 2, 'the resend');
    const [gapFill, replay] = peer.received.slice(before);
    expect([get(gapFill!, 35), get(gapFill!, 34), get(gapFill!, 123), get(gapFill!, 36), get(gapFill!, 43)]).toEqual(['4', '1', 'Y', '2', 'Y']);
    expect([get(replay!, 35), get(replay!, 34), get(replay!, 43), get(replay!, 122)]).toEqual(['8', '2', 'Y', get(fill, 52)]);
    expect(get(replay!, 11)).toBe('ord-1');
  });

  it('18: third-party routing comes back reversed on the reply, and on its resend', async () => {
    await logon();
    peer.send('D', { seq: 2 }, [[115, 'FUNDX'], [116, 'DESK7'], ...ORDER]);
    const fill = await peer.expect('8');
    expect([get(fill, 128), get(fill, 129), get(fill, 115)]).toEqual(['FUNDX', 'DESK7', undefined]);
    expect(fill.slice(3, 9).map(([t]) => t)).toEqual([34, 49, 52, 56, 128, 129]);
    const before = peer.received.length;
    peer.send('2', { seq: 3 }, [[7, '2'], [16, '2']]);
    await peer.until((r) => r.length > before, 'the resend');
    const again = peer.received[before]!;
    expect([get(again, 43), get(again, 128), get(again, 129), get(again, 11)]).toEqual(['Y', 'FUNDX', 'DESK7', 'ord-1']);
  });

  it('10: a SequenceReset-GapFill moves the expected number forward', async () => {
    await logon();
    peer.send('4', { seq: 2, possDup: true, origSendingTime: fixTime(Date.now()) }, [[123, 'Y'], [36, '10']]);
    peer.send('1', { seq: 10 }, [[112, 'after-gap-fill']]);
    expect(get(await peer.expect('0'), 112)).toBe('after-gap-fill');
    expect(peer.received.some((m) => get(m, 35) === '2')).toBe(false);
  });

  it('11: a SequenceReset-Reset below the expected number is rejected (373=5)', async () => {
    await logon();
    peer.send('1', { seq: 2 }, [[112, 'a']]);
    peer.send('1', { seq: 3 }, [[112, 'b']]);
    peer.send('4', { seq: 1 }, [[36, '2']]);
    const r = await peer.expect('3');
    expect(get(r, 373)).toBe('5');
  });

  it('2b + 8 + 4: fills a gap from the counterparty\'s replay and processes the queued messages in order', async () => {
    await logon();
    peer.send('D', { seq: 4 }, [...ORDER.map(([t, v]) => [t, t === 11 ? 'ord-4' : v] as [number, string])]);
    const rr = await peer.expect('2');
    expect(get(rr, 7)).toBe('2');
    peer.send('D', { seq: 2, possDup: true, origSendingTime: fixTime(Date.now() - 500) }, [...ORDER.map(([t, v]) => [t, t === 11 ? 'ord-2' : v] as [number, string])]);
    peer.send('4', { seq: 3, possDup: true, origSendingTime: fixTime(Date.now()) }, [[123, 'Y'], [36, '4']]);
    await peer.until((r) => r.filter((m) => get(m, 35) === '8').length === 2, 'two fills');
    expect(peer.received.filter((m) => get(m, 35) === '8').map((m) => get(m, 11))).toEqual(['ord-2', 'ord-4']);
    expect(t.runner.session.store.nextTargetSeq).toBe(5);
  });

  it('13b: an unsolicited Logout is answered with a Logout', async () => {
    await logon();
    peer.send('5', { seq: 2 }, [[58, 'bye']]);
    await peer.expect('5');
  });

  it.each([
    { name: '14a undefined tag', body: [[11, 'x'], [9999, 'v'], ...ORDER.slice(1)], reason: '0', tag: '9999' },
    { name: '14b required tag missing', body: ORDER.filter(([t]) => t !== 40), reason: '1', tag: '40' },
    { name: '14c tag not defined for the message', body: [...ORDER, [112, 'x']], reason: '2', tag: '112' },
    { name: '14d tag without value', body: [[11, ''], ...ORDER.slice(1)], reason: '4', tag: '11' },
    { name: '14e value out of range', body: ORDER.map(([t, v]) => [t, t === 54 ? 'Z' : v]), reason: '5', tag: '54' },
    { name: '14f incorrect data format', body: ORDER.map(([t, v]) => [t, t === 38 ? '1O0' : v]), reason: '6', tag: '38' },
    { name: '14h repeated tag', body: [...ORDER, [55, 'MSFT']], reason: '13', tag: '55' },
  ] as Array<{ name: string; body: Array<[number, string]>; reason: string; tag: string }>)('$name: Reject with 373=$reason', async ({ body, reason, tag }) => {
    await logon();
    peer.send('D', { seq: 2 }, body);
    const r = await peer.expect('3');
    expect([get(r, 45), get(r, 373), get(r, 371)]).toEqual(['2', reason, tag]);
    peer.send('1', { seq: 3 }, [[112, 'numbers-moved-on']]);
    expect(get(await peer.expect('0'), 112)).toBe('numbers-moved-on');
  });

  it('14j: repeating group members out of order are rejected (373=15)', async () => {
    await logon();
    // PartiesGrp (453) members are PartyID (448), PartyIDSource (447), PartyRole (452), in that order.
    peer.send('D', { seq: 2 }, [[11, 'g-2'], [453, '1'], [448, 'BROKER'], [452, '1'], [447, 'D'], ...ORDER.slice(1)]);
    const r = await peer.expect('3');
    expect([get(r, 373), get(r, 371)]).toEqual(['15', '447']);
    peer.send('D', { seq: 3 }, [[11, 'g-3'], [453, '2'], [448, 'BROKER'], [447, 'D'], [452, '1'], [448, 'CLEARER'], [452, '4'], ...ORDER.slice(1)]);
    expect(get(await peer.expect('8'), 11)).toBe('g-3');
  });

  it('14b in a group: a required member missing from an instance is rejected (373=1)', async () => {
    await logon();
    // NewOrderCross (s): every NoSides (552) instance needs Side (54) and ClOrdID (11).
    const cross = (side: Array<[number, string]>): Array<[number, string]> => [[548, 'X1'], [549, '1'], [550, '0'], [552, '1'], ...side, [55, 'AAPL'], [60, '20261125-10:00:00.000'], [40, '2']];
    peer.send('s', { seq: 2 }, cross([[54, '1'], [38, '100']]));
    const r = await peer.expect('3');
    expect([get(r, 373), get(r, 371)]).toEqual(['1', '11']);
    peer.send('s', { seq: 3 }, cross([[54, '1'], [11, 'c-1'], [38, '100']]));
    expect(get(await peer.expect('j'), 45)).toBe('3'); // valid: the fill app says it does not support crosses
  });

  it('14i: a NumInGroup that does not match the instances is rejected (373=16)', async () => {
    await logon();
    // NewOrderSingle with PartiesGrp (453): says 2 instances, carries 1.
    peer.send('D', { seq: 2 }, [[11, 'g-1'], [453, '2'], [448, 'BROKER'], [447, 'D'], [452, '1'], ...ORDER.slice(1)]);
    const r = await peer.expect('3');
    expect([get(r, 373), get(r, 371)]).toEqual(['16', '453']);
  });
});

describe('session timers', () => {
  it('4a, 6: sends Heartbeats when idle, a TestRequest when the peer is silent, and disconnects without an answer', async () => {
    const t = await startRunner('ref', { ...ACCEPTOR, heartBtInt: 1 }, { app: 'fill' });
    const peer = await RawPeer.connect(t.runner.port, { sender: 'CLIENT', target: 'EXCH' });
    try {
      peer.logon(1, 1);
      await peer.expect('A');
      await peer.expect('0', 1, 3000);
      const tr = await peer.expect('1', 1, 4000);
      expect(get(tr, 112)).toBe('TEST');
      await peer.waitClosed(4000);
      expect(t.events.some((e) => e.text === 'no answer to TestRequest')).toBe(true);
    } finally {
      peer.close();
      await t.runner.stop();
    }
  });
});

describe('our initiator against our acceptor', () => {
  it.each(['FIX.4.2', 'FIX.4.4', 'FIXT.1.1'] as const)('%s: logon, 200 orders filled, logout', async (beginString) => {
    const version = beginString === 'FIXT.1.1' ? { defaultApplVerID: '9' } : {};
    const acceptor = await startRunner('sim', { ...ACCEPTOR, beginString, ...version }, { app: 'fill' });
    const initiator = await startRunner('sim', { role: 'initiator', beginString, ...version, senderCompID: 'CLIENT', targetCompID: 'EXCH', port: acceptor.runner.port });
    try {
      const session = initiator.runner.session;
      const filled = new Promise<Set<string>>((resolve) => {
        const ids = new Set<string>();
        session.on('execution', (er) => { if (er.ordStatus === '2') ids.add(er.clOrdID); if (ids.size === 200) resolve(ids); });
      });
      session.on('state', (s) => {
        if (s !== 'active') return;
        for (let i = 1; i <= 200; i++) session.sendOrder({ clOrdID: `v-${i}`, symbol: 'MSFT', side: i % 2 ? 'buy' : 'sell', qty: i, ordType: i % 5 ? 'limit' : 'market', price: i % 5 ? '401.5' : undefined });
      });
      expect((await filled).size).toBe(200);
      const refused = new Promise((resolve) => session.once('reject', resolve));
      const cancelSeq = session.send('F', [[41, 'v-1'], [11, 'cxl-1'], [55, 'MSFT'], [54, '1'], [60, '20261125-10:00:00.000'], [38, '1']]);
      expect(await refused).toEqual({ kind: 'business', refSeqNum: cancelSeq, reason: '3', refTagID: null, text: 'Unsupported Message Type', clOrdID: null });
      session.logout('bye');
      await new Promise<void>((resolve) => session.on('state', (s) => { if (s === 'disconnected') resolve(); }));
      for (const t of [initiator, acceptor]) {
        expect(t.events.filter((e) => ['reject_sent', 'reject_received', 'ignored', 'gap'].includes(e.type))).toEqual([]);
      }
    } finally {
      await initiator.runner.stop();
      await acceptor.runner.stop();
    }
  });
});
