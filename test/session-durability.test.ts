// The message store survives `kill -9`: a `tickgate session` process is killed mid-stream against the
// QuickFIX executor and started again; QuickFIX's own log shows no sequence number reused or lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageStore } from '../src/session/store.js';
import { freePort, quickfixLog, startExecutor } from './helpers/quickfix.js';
import { tempDir } from './helpers/session.js';

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

  it('refuses a journal damaged before its last line', () => {
    const dir = tempDir('tickgate-store-');
    const a = new MessageStore({ dir, name: 'X' });
    a.recordSent('A', 't0', null);
    a.close();
    writeFileSync(a.file, 'not json\n' + readFileSync(a.file, 'utf8'));
    expect(() => new MessageStore({ dir, name: 'X' })).toThrow(/line 1 is damaged/);
  });
});
