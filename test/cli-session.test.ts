// `tickgate session` as a process (DESIGN.md 3.5): --app echo and print, events on stderr; an acceptor
// serves its counterparty's Logons until SIGTERM; and `tickgate start`, the main job.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { get, RawPeer } from './helpers/raw-peer.js';
import { tempDir } from './helpers/session.js';

const CLI = path.resolve(__dirname, '..', 'bin', 'tickgate.js');
const ORDER: Array<[number, string]> = [[11, 'e-1'], [55, 'AAPL'], [54, '2'], [60, '20261125-10:00:00.000'], [38, '250'], [40, '2'], [44, '99.125']];

function startSession(app: string): Promise<{ port: number; stdout: () => string; stderr: () => string; exit: Promise<number | null>; signal: (s: NodeJS.Signals) => void }> {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'acceptor.yaml'), [
    'session:', '  role: acceptor', '  beginString: FIX.4.4', '  senderCompID: EXCH', '  targetCompID: CLIENT', '  port: 0', '  storeDir: ./store', '',
  ].join('\n'));
  const child = spawn(process.execPath, [CLI, 'session', '--config', 'acceptor.yaml', '--app', app], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      const m = /"type":"listening".*"port":(\d+)/.exec(err);
      if (m) resolve({ port: Number(m[1]), stdout: () => out, stderr: () => err, exit, signal: (sig) => child.kill(sig) });
    });
    exit.then((code) => reject(new Error(`session exited (${code}): ${err}`)));
  });
}

describe('tickgate session', () => {
  it('--app echo sends application messages back with its own header; the acceptor takes the next Logon after a Logout, and stops on SIGTERM', async () => {
    const s = await startSession('echo');
    let peer = await RawPeer.connect(s.port, { sender: 'CLIENT', target: 'EXCH' });
    peer.logon();
    await peer.expect('A');
    peer.send('D', { seq: 2 }, ORDER);
    const echoed = await peer.expect('D');
    expect(echoed.slice(3, 7).map(([t]) => t)).toEqual([34, 49, 52, 56]);
    expect([get(echoed, 49), get(echoed, 56), get(echoed, 34)]).toEqual(['EXCH', 'CLIENT', '2']);
    expect(echoed.slice(7, -1)).toEqual(ORDER);
    peer.send('5', { seq: 3 });
    await peer.expect('5');
    await peer.waitClosed();
    // As QuickFIX acceptors do, it is still there for the next Logon, numbers carried on.
    peer = await RawPeer.connect(s.port, { sender: 'CLIENT', target: 'EXCH' });
    peer.logon(4);
    expect(get(await peer.expect('A'), 34)).toBe('4');
    s.signal('SIGTERM');
    const logout = await peer.expect('5', 1);
    expect(get(logout, 58)).toBe('session stopped');
    peer.send('5', { seq: 5 });
    expect(await s.exit).toBe(0);
    const events = s.stderr().trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(events.map((e) => e.type)).toEqual(['listening', 'connected', 'logon', 'logout', 'disconnected', 'connected', 'logon', 'logout', 'disconnected']);
  });

  it('--app print writes each application message as one NDJSON line, values as the device decoded them', async () => {
    const s = await startSession('print');
    const peer = await RawPeer.connect(s.port, { sender: 'CLIENT', target: 'EXCH' });
    peer.logon();
    await peer.expect('A');
    peer.send('D', { seq: 2 }, ORDER);
    peer.send('5', { seq: 3 });
    await peer.expect('5');
    peer.close();
    s.signal('SIGINT');
    expect(await s.exit).toBe(0);
    const lines = s.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ kind: 'app', msgType: 'D', seq: 2, possDup: false, decoded: { 38: '250', 44: '99.125', 34: '2' } });
    expect((lines[0]!.fields as Array<[number, string]>).slice(7, -1)).toEqual(ORDER);
  });
});

describe('tickgate start', () => {
  it('runs the main job: orders out through the device, every one filled by the simulated exchange; its ITCH feed arrives whole', async () => {
    const child = spawn(process.execPath, [CLI, 'start', '--orders', '300', '--itch-messages', '3000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code, err).toBe(0);
    const fills = out.trim().split('\n').map((l) => JSON.parse(l) as { clOrdID: string; ordStatus: string });
    expect(new Set(fills.map((f) => f.clOrdID)).size).toBe(300);
    expect(fills.every((f) => f.ordStatus === '2')).toBe(true);
    expect(err).toMatch(/300 of 300 orders filled/);
    expect(err).toMatch(/"messages":301,/);
    const itch = /market data: (\d+) of (\d+) ITCH messages received in order/.exec(err);
    expect(itch?.[1]).toBe(itch?.[2]);
  });
});
