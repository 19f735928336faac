// The message store survives `kill -9`: a `tickgate session` process is killed mid-stream against the
// QuickFIX executor and started again; QuickFIX's own log shows no sequence number reused or lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageStore } from '../src/session/store.js';
import { freePort, quickfixLog, startExecutor } from './helpers/quickfix.js';
import { RawPeer } from './helpers/raw-peer.js';
import { startRunner, tempDir } from './helpers/session.js';

const CLI = path.resolve(__dirname, '..', 'bin', 'tickgate.js');

function startCli(args: string[], cwd: string): { child: ChildProcess; lines: string[]; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const parts = out.split('\n');
    out = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, stderr: () => err, exit };
}

describe('durable message store', () => {
  let executor: ChildProcess | undefined;
  afterEach(() => { executor?.kill('SIGKILL'); executor = undefined; });

  it('kill -9 mid-session, restart: no sequence number reused or lost (QuickFIX executor as the judge)', async () => {
    const dir = tempDir('tickgate-kill-');
    const port = await freePort();
    executor = await startExecutor({ beginString: 'FIX.4.4', senderCompID: 'EXECUTOR', targetCompID: 'CLIENT1', port, dir: path.join(dir, 'qf') });
    writeFileSync(path.join(dir, 'session.yaml'), [
      'session:', '  role: initiator', '  beginString: FIX.4.4', '  senderCompID: CLIENT1', '  targetCompID: EXECUTOR',
      `  port: ${port}`, '  storeDir: ./store', '  reconnect: { initialMs: 100, maxMs: 500 }', '',
    ].join('\n'));

    const first = startCli(['session', '--config', 'session.yaml', '--orders', '20000'], dir);
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (first.lines.length >= 400) { clearInterval(t); resolve(); }
      }, 2);
      first.exit.then((code) => { clearInterval(t); reject(new Error(`first run exited (${code}) early: ${first.stderr()}`)); });
    });
    first.child.kill('SIGKILL');
    await first.exit.catch(() => undefined);
    const journal = readFileSync(path.join(dir, 'store', 'FIX.4.4-CLIENT1-EXECUTOR.journal'), 'utf8');
    const usedBeforeKill = Math.max(...[...journal.matchAll(/"k":"sent","seq":(\d+)/g)].map((m) => Number(m[1])));
    expect(usedBeforeKill).toBeGreaterThan(400);

    const second = startCli(['session', '--config', 'session.yaml', '--orders', '300'], dir);
    expect(await second.exit).toBe(0);
    const events = second.stderr().trim().split('\n').map((l) => JSON.parse(l) as { type: string; text: string });
    const logon = events.find((e) => e.type === 'logon')!;
    expect(Number(/next out (\d+)/.exec(logon.text)![1])).toBe(usedBeforeKill + 2); // its Logon took usedBeforeKill + 1

    // QuickFIX's view of our numbers: fresh ones strictly increasing; fresh, resent and gap-filled ones
    // together exactly 1..last; it never had to complain.
    const seen = quickfixLog(path.join(dir, 'qf', 'screen.log'), 'CLIENT1');
    const fresh = seen.fresh;
    const covered = new Set([...seen.fresh, ...seen.possDup, ...seen.gapFilled]);
    const complaints = seen.sentTexts.filter((t) => /too low|reject/i.test(t));
    const store = new MessageStore({ dir: path.join(dir, 'store'), name: 'FIX.4.4-CLIENT1-EXECUTOR' });
    const last = store.nextSenderSeq - 1;
    store.close();
    expect(complaints).toEqual([]);
    expect(fresh.every((s, i) => i === 0 || s > fresh[i - 1]!)).toBe(true);
    expect([...covered].sort((a, b) => a - b)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(fresh.filter((s) => s > usedBeforeKill).length).toBeGreaterThanOrEqual(300);
    // Every order of the second run was filled: one execution report line each (resent fills of the first
    // run's orders come on top).
    const secondRunFills = new Set(second.lines.map((l) => JSON.parse(l) as { fields: Array<[number, string]> })
      .map((m) => m.fields.find(([t]) => t === 11)![1]));
    expect(secondRunFills.size).toBeGreaterThanOrEqual(300);
  });

  it('replays its journal: numbers, stored messages, resets; a torn last line is dropped', () => {
    const dir = tempDir('tickgate-store-');
    const a = new MessageStore({ dir, name: 'FIX.4.4-A-B' });
    expect(a.recordSent('A', 't0', null)).toBe(1);
    expect(a.recordSent('D', 't1', [[11, 'x'], [55, 'AAPL']])).toBe(2);
    a.recordReceived(1);
    a.recordReceived(2);
    a.close();
    writeFileSync(a.file, readFileSync(a.file, 'utf8') + '{"k":"sent","seq":3,"t":"D","st":"t2","bo');
    const b = new MessageStore({ dir, name: 'FIX.4.4-A-B' });
    expect([b.nextSenderSeq, b.nextTargetSeq]).toEqual([3, 3]);
    expect(b.sentBetween(1, 10)).toEqual([{ seq: 2, msgType: 'D', sendingTime: 't1', body: [[11, 'x'], [55, 'AAPL']] }]);
    b.reset();
    b.recordSent('A', 't3', null);
    b.close();
    const c = new MessageStore({ dir, name: 'FIX.4.4-A-B' });
    expect([c.nextSenderSeq, c.nextTargetSeq, c.sentBetween(1, 10).length]).toEqual([2, 1, 0]);
    c.close();
  });

  for (const [torn, make] of [
    ['sent', (s: MessageStore) => s.recordSent('D', 't9', [[11, 'torn'], [55, 'MSFT']])],
    ['received', (s: MessageStore) => s.recordReceived(3)],
  ] as const) {
    for (const side of ['initiator', 'acceptor']) {
      it(`a torn ${torn} line is cut off, and the journal stays loadable over two restarts (${side})`, () => {
        const dir = tempDir('tickgate-store-');
        const name = side === 'initiator' ? 'FIX.4.4-CLIENT-EXCH' : 'FIX.4.4-EXCH-CLIENT';
        const a = new MessageStore({ dir, name });
        a.recordSent('A', 't0', null);
        a.recordSent('D', 't1', [[11, 'a'], [55, 'AAPL']]);
        a.recordReceived(1);
        a.recordReceived(2);
        a.close();
        // the crash: the record's write stopped part way
        const whole = readFileSync(a.file);
        const probe = new MessageStore({ dir: tempDir('tickgate-probe-'), name });
        make(probe);
        probe.close();
        const line = readFileSync(probe.file, 'utf8').trim().split('\n').pop()!;
        writeFileSync(a.file, Buffer.concat([whole, Buffer.from(line.slice(0, Math.floor(line.length / 2)))]));

        const b = new MessageStore({ dir, name });
        expect(b.tornBytesDropped).toBe(Math.floor(line.length / 2));
        expect([b.nextSenderSeq, b.nextTargetSeq]).toEqual([3, 3]);
        expect(readFileSync(b.file).equals(whole)).toBe(true);
        b.recordSent('D', 't2', [[11, 'b'], [55, 'AAPL']]);
        b.recordReceived(3);
        b.close();

        const c = new MessageStore({ dir, name });
        expect(c.tornBytesDropped).toBe(0);
        expect([c.nextSenderSeq, c.nextTargetSeq]).toEqual([4, 4]);
        expect(c.sentBetween(1, 10).map((m) => m.body[0]![1])).toEqual(['a', 'b']);
        c.recordSent('0', 't3', null);
        c.close();
        const d = new MessageStore({ dir, name });
        expect([d.nextSenderSeq, d.nextTargetSeq]).toEqual([5, 4]);
        d.close();
        expect(readFileSync(d.file, 'utf8').split('\n').slice(0, -1).every((l) => JSON.parse(l) !== undefined)).toBe(true);
      });
    }
  }

  it('records made together go out in one write: all of them survive a kill, or none', () => {
    const dir = tempDir('tickgate-store-');
    const a = new MessageStore({ dir, name: 'X' });
    const writes: string[] = [];
    const target = a as unknown as { write: (t: string) => void };
    const write = target.write.bind(a);
    target.write = (t: string) => { writes.push(t); write(t); };
    a.atomically(() => {
      a.recordReceived(1);
      a.atomically(() => a.recordSent('8', 't0', [[37, 'O1']]));
      expect(writes).toEqual([]);
    });
    expect(writes).toHaveLength(1);
    expect(writes[0]!.trim().split('\n').map((l) => (JSON.parse(l) as { k: string }).k)).toEqual(['recv', 'sent']);
    a.close();
  });

  it('an order and the fill it caused are journaled in one write, and the fill is transmitted after it', async () => {
    const t = await startRunner('ref', { role: 'acceptor', senderCompID: 'EXCH', targetCompID: 'CLIENT', port: 0 }, { app: 'fill' });
    const peer = await RawPeer.connect(t.runner.port, { sender: 'CLIENT', target: 'EXCH' });
    try {
      peer.logon(1);
      await peer.expect('A');
      const log: string[] = [];
      const store = t.runner.session.store as unknown as { write: (text: string) => void };
      const write = store.write.bind(store);
      store.write = (text) => {
        log.push(`journal ${text.trim().split('\n').map((l) => (JSON.parse(l) as { k: string }).k).join('+')}`);
        write(text);
      };
      const session = t.runner.session as unknown as { transmit: (msgType: string, ...rest: unknown[]) => void };
      const transmit = session.transmit.bind(session);
      session.transmit = (msgType, ...rest) => { log.push(`transmit ${msgType}`); transmit(msgType, ...rest); };
      peer.send('D', { seq: 2 }, [[11, 'c1'], [55, 'AAPL'], [54, '1'], [60, '20261203-10:00:00.000'], [38, '100'], [40, '2'], [44, '10']]);
      await peer.expect('8');
      expect(log).toEqual(['journal recv+sent', 'transmit 8']);
    } finally {
      peer.close();
      await t.runner.stop();
    }
  });

  it('refuses a journal damaged before its last line', () => {
    const dir = tempDir('tickgate-store-');
    const a = new MessageStore({ dir, name: 'X' });
    a.recordSent('A', 't0', null);
    a.close();
    writeFileSync(a.file, 'not json\n' + readFileSync(a.file, 'utf8'));
    expect(() => new MessageStore({ dir, name: 'X' })).toThrow(/line 1 is damaged/);
  });
});
