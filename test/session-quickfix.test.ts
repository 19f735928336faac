// Interoperability with QuickFIX (Debian's libquickfix-dev): our initiator against the `executor` example
// from libquickfix-doc, including a connection cut mid-stream; QuickFIX's initiator (test/peers/
// qf-initiator.cpp) against our acceptor; and QuickFIX misbehaving on purpose (test/peers/qf-misbehave.cpp)
// against us in both roles. Every inbound byte goes through the simulated device.
import { execFile, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionRunner } from '../src/session/runner.js';
import { freePort, quickfixLog, quickfixPeer, quickfixSettings, startExecutor } from './helpers/quickfix.js';
import { startRunner, tempDir } from './helpers/session.js';

const run = promisify(execFile);

/** Sends `count` limit orders, `batch` at a time every `everyMs`; resolves with the ClOrdIDs filled. */
function sendOrders(runner: SessionRunner, count: number, o: { batch: number; everyMs: number; prefix: string }): Promise<Set<string>> {
  const filled = new Set<string>();
  return new Promise((resolve) => {
    runner.session.on('execution', (er) => {
      if (er.ordStatus === '2') filled.add(er.clOrdID);
      if (filled.size === count) resolve(filled);
    });
    let sent = 0;
    const timer = setInterval(() => {
      if (runner.session.state !== 'active' && sent === 0) return;
      for (let i = 0; i < o.batch && sent < count; i++) {
        sent++;
        runner.session.sendOrder({ clOrdID: `${o.prefix}-${sent}`, symbol: sent % 3 ? 'AAPL' : 'MSFT', side: sent % 2 ? 'buy' : 'sell', qty: 100 + (sent % 9), ordType: 'limit', price: (150 + (sent % 40) / 4).toFixed(2) });
      }
      if (sent === count) clearInterval(timer);
    }, o.everyMs);
  });
}

function waitState(runner: SessionRunner, state: string, timeoutMs = 10_000): Promise<void> {
  if (runner.session.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`session not ${state} after ${timeoutMs} ms`)), timeoutMs);
    runner.session.on('state', (s) => { if (s === state) { clearTimeout(t); resolve(); } });
  });
}

/**
 * A TCP relay whose first connection fails once the client has sent `cutAfter` bytes: the chunk that crosses
 * the mark is dropped and both sockets are destroyed, so messages the client sent are lost in the link
 * whatever the timing (bytes in flight the other way are lost too, when there are any).
 */
async function startRelay(target: number, cutAfter: number): Promise<{ port: number; wasCut: () => boolean; close: () => void }> {
  let forwarded = 0;
  let cut = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('data', (d) => {
      if (!cut && forwarded + d.length > cutAfter) {
        cut = true;
        client.removeAllListeners('data');
        upstream.removeAllListeners('data');
        end();
        return;
      }
      forwarded += d.length;
      upstream.write(d);
    });
    upstream.on('data', (d) => client.write(d));
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as net.AddressInfo).port, wasCut: () => cut, close: () => server.close() };
}

describe('QuickFIX executor as the counterparty', () => {
  let executor: ChildProcess | undefined;
  afterEach(() => { executor?.kill('SIGKILL'); executor = undefined; });

  it.each(['FIX.4.4', 'FIX.4.2'] as const)('%s: logon, 1,000 orders all filled and matched, logout', async (beginString) => {
    const dir = tempDir('tickgate-qf-');
    const port = await freePort();
    executor = await startExecutor({ beginString, senderCompID: 'EXECUTOR', targetCompID: 'CLIENT1', port, dir: path.join(dir, 'qf') });
    const t = await startRunner('sim', { role: 'initiator', beginString, senderCompID: 'CLIENT1', targetCompID: 'EXECUTOR', port }, { dir });
    const filled = await sendOrders(t.runner, 1000, { batch: 100, everyMs: 5, prefix: 'c' });
    expect(filled.size).toBe(1000);
    for (let i = 1; i <= 1000; i++) expect(filled.has(`c-${i}`)).toBe(true);
    t.runner.session.logout('done');
    await waitState(t.runner, 'disconnected');
    expect(t.events.filter((e) => e.type === 'reject_sent' || e.type === 'reject_received' || e.type === 'gap')).toEqual([]);
    expect(t.events.filter((e) => e.type === 'disconnected').map((e) => e.text)).toEqual(['logout confirmed: done']);
    const seen = quickfixLog(path.join(dir, 'qf', 'screen.log'), 'CLIENT1');
    expect(seen.fresh).toEqual(Array.from({ length: 1002 }, (_, i) => i + 1)); // Logon, 1,000 orders, Logout
    expect(seen.possDup).toEqual([]);
    await t.runner.stop();
  });

  it('session.send(order): a market order the executor refuses arrives as a typed reject', async () => {
    const dir = tempDir('tickgate-qf-');
    const port = await freePort();
    executor = await startExecutor({ beginString: 'FIX.4.4', senderCompID: 'EXECUTOR', targetCompID: 'CLIENT1', port, dir: path.join(dir, 'qf') });
    const t = await startRunner('sim', { role: 'initiator', senderCompID: 'CLIENT1', targetCompID: 'EXECUTOR', port }, { dir });
    await waitState(t.runner, 'active');
    const rejected = new Promise((resolve) => t.runner.session.once('reject', resolve));
    const seq = t.runner.session.send({ clOrdID: 'mkt-1', symbol: 'AAPL', side: 'buy', qty: 10, ordType: 'market' });
    // The executor example fills limit orders only; anything else is an incorrect tag value (373=5) on OrdType.
    expect(await rejected).toEqual({ kind: 'session', refSeqNum: seq, reason: '5', refTagID: 40, text: 'Value is incorrect (out of range) for this tag', clOrdID: null });
    await t.runner.stop();
  });

  it('a connection cut mid-stream: reconnect, both sides resend, every order filled, no number reused or lost', async () => {
    const dir = tempDir('tickgate-qf-');
    const port = await freePort();
    executor = await startExecutor({ beginString: 'FIX.4.4', senderCompID: 'EXECUTOR', targetCompID: 'CLIENT1', port, dir: path.join(dir, 'qf') });
    // About 40 % of the 1,000 orders (each is about 150 bytes on the wire) go through before the link fails.
    const relay = await startRelay(port, 60_000);
    const t = await startRunner('sim', {
      role: 'initiator', senderCompID: 'CLIENT1', targetCompID: 'EXECUTOR', port: relay.port,
      reconnect: { initialMs: 200, maxMs: 1000, jitter: 0.2 },
    }, { dir });
    const filled = await sendOrders(t.runner, 1000, { batch: 20, everyMs: 2, prefix: 'r' });
    expect(relay.wasCut()).toBe(true);
    expect(filled.size).toBe(1000);
    const types = t.events.map((e) => e.type);
    expect(types.filter((x) => x === 'logon')).toHaveLength(2);
    expect(types).toContain('resend');
    t.runner.session.logout('done');
    await waitState(t.runner, 'disconnected');
    relay.close();
    // What QuickFIX received from us: fresh numbers strictly increasing (none reused), and fresh, resent
    // and gap-filled numbers together cover 1..last (none lost). QuickFIX never complained.
    const seen = quickfixLog(path.join(dir, 'qf', 'screen.log'), 'CLIENT1');
    const last = t.runner.session.store.nextSenderSeq - 1;
    expect(seen.fresh.every((s, i) => i === 0 || s > seen.fresh[i - 1]!)).toBe(true);
    expect(seen.possDup.length + seen.gapFilled.length).toBeGreaterThan(0);
    const covered = new Set([...seen.fresh, ...seen.possDup, ...seen.gapFilled]);
    expect([...covered].sort((a, b) => a - b)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(Math.max(...seen.fresh)).toBe(last);
    expect(seen.sentTexts.filter((x) => /too low|Reject|invalid/i.test(x))).toEqual([]);
    await t.runner.stop();
  });
});

describe('QuickFIX initiator against our acceptor', () => {
  it.each(['FIX.4.4', 'FIX.4.2', 'FIXT.1.1'] as const)('%s: 500 orders filled by our fill app', async (beginString) => {
    const dir = tempDir('tickgate-qfi-');
    const t = await startRunner('sim', {
      role: 'acceptor', beginString, senderCompID: 'TICKGATE', targetCompID: 'QFCLIENT', port: 0,
      ...(beginString === 'FIXT.1.1' ? { defaultApplVerID: '9' } : {}),
    }, { dir, app: 'fill' });
    const cfg = quickfixSettings({ role: 'initiator', beginString, senderCompID: 'QFCLIENT', targetCompID: 'TICKGATE', port: t.runner.port, dir: path.join(dir, 'qf') });
    const { stdout } = await run(quickfixPeer('qf-initiator'), [cfg, '500', '60']);
    const summary = JSON.parse(stdout.trim()) as { filled: number; rejects: number };
    expect(summary).toMatchObject({ loggedOn: true, orders: 500, filled: 500, rejects: 0 });
    expect(t.events.filter((e) => e.type === 'reject_sent' || e.type === 'ignored')).toEqual([]);
    await t.runner.stop();
  });
});

/** qf-misbehave's summary line. */
interface MisbehaviourSummary {
  ok: boolean;
  failed: string[];
  filled: number;
  duplicateFills: number;
  possDupFills: number;
  rejectReasons: string[];
  logons: number;
  logouts: number;
}

describe('QuickFIX misbehaving on purpose (test/peers/qf-misbehave.cpp)', () => {
  it.each([
    ['FIX.4.4', 'acceptor'], ['FIX.4.2', 'acceptor'], ['FIXT.1.1', 'acceptor'],
    ['FIX.4.4', 'initiator'], ['FIX.4.2', 'initiator'], ['FIXT.1.1', 'initiator'],
  ] as const)('%s, tickgate as %s: skipped numbers, bad messages, resend requests, a reset, forgotten messages; everything recovers', async (beginString, role) => {
    const dir = tempDir('tickgate-qfm-');
    const version = beginString === 'FIXT.1.1' ? { defaultApplVerID: '9' } : {};
    const qfRole = role === 'acceptor' ? 'initiator' : 'acceptor';
    // tickgate as initiator connects to QuickFIX's port; as acceptor, QuickFIX connects to tickgate's.
    const qfPort = role === 'initiator' ? await freePort() : 0;
    const t = await startRunner('sim', {
      role, beginString, ...version, senderCompID: 'TICKGATE', targetCompID: 'QF', port: qfPort,
      reconnect: { initialMs: 200, maxMs: 500, jitter: 0 },
    }, { dir, app: 'fill', untilLogout: true });
    const cfg = quickfixSettings({ role: qfRole, beginString, senderCompID: 'QF', targetCompID: 'TICKGATE', port: role === 'acceptor' ? t.runner.port : qfPort, dir: path.join(dir, 'qf') });
    const { stdout } = await run(quickfixPeer('qf-misbehave'), [cfg, '60']).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`qf-misbehave failed: ${err.stdout ?? ''} ${err.stderr ?? ''}\n${t.events.map((e) => `${e.type}: ${e.text}`).join('\n')}`);
    });
    const summary = JSON.parse(stdout.trim().split('\n').pop()!) as MisbehaviourSummary;
    expect(summary).toMatchObject({ ok: true, failed: [], filled: 8, duplicateFills: 0, logons: 1, logouts: 1 });
    // Step 4: Side out of range, then an undefined tag.
    expect(summary.rejectReasons).toEqual(['5', '0']);
    // Step 7: the fills QuickFIX asked for again came as PossDup.
    expect(summary.possDupFills).toBeGreaterThan(0);
    const types = t.events.map((e) => e.type);
    expect(types.filter((x) => x === 'logon')).toHaveLength(1);
    expect(types).toContain('gap'); // step 2
    expect(t.events.filter((e) => e.type === 'resend' && String(e.text).startsWith('resending'))).toHaveLength(2); // steps 5, 7
    expect(t.events.filter((e) => e.type === 'reject_sent').map((e) => e.reason)).toEqual([5, 0]);
    expect(t.events.some((e) => e.type === 'sequence_reset' && String(e.text).startsWith('reset'))).toBe(true); // step 6
    await t.runner.done;
  });
});
