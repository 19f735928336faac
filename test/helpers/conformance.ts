// The conformance driver: runs a scripted counterparty against a FIX engine and checks every message the
// engine sends, field by field. The same script runs against tickgate and against QuickFIX (Debian's
// libquickfix, test/peers/qf-echo.cpp), so the expected replies are the ones QuickFIX gives; where
// tickgate deliberately differs, the script says so with an engine-specific line (ARCHITECTURE.md lists
// the differences and why).
//
// A script is a list of lines:
//   logon                 connect and log on (the tester starts as initiator or answers as acceptor)
//   connect / accept      open a connection to the engine / wait for the engine to connect
//   > 35=0|34=2           send a message; 8, 9 and 10 are added, and 49, 52, 56 unless given (-56 leaves
//                         56 out); <TIME>, <TIME-121>, <TIME+10> are now and now ± seconds
//   >raw 8=$V|9=?|35=0|...|10=?   send exactly these fields; 9=? and 10=? are computed, $V is the version
//   > bytes <text>        send text as it is (| is SOH)
//   < 35=0|34=2|112=X     the next message from the engine: header in QuickFIX's order (8, 9, 35, then the
//                         other header fields ascending), the body in the order written; 52 must be a UTC
//                         timestamp, as must any field written <TIME>; * is any value; 9 and 10 must be
//                         right
//   <qf ... / <tg ...     an expectation for QuickFIX only / tickgate only; <@FIXT.1.1 ..., <qf!FIX.4.2 ...:
//                         for that version only / all versions but that one
//   disconnect            the engine closes the connection, with nothing more sent
//   quiet <ms>            nothing arrives for that long
//   wait <ms>             let time pass
//   logout                the engine is told to log out (Test Case 12)
//   send order            the engine's application sends a NewOrderSingle (11=Q), logged on or not (16)
//   ignore heartbeats     from here on, Heartbeats without a TestReqID are not part of the transcript
//   @2 <line>             the line applies to a second connection
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, quickfixPeer, quickfixSettings } from '../../bench/peers/quickfix.js';
import type { BackendName } from '../../src/device/index.js';
import { checksum } from '../../src/fix/message.js';
import { fixTime } from '../../src/session/codec.js';
import { FixDictionary, type BeginString } from '../../src/session/dictionary.js';
import { startRunner, tempDir, type TestRunner } from './session.js';

export type Role = 'acceptor' | 'initiator';
export type EngineName = 'tickgate' | 'quickfix';
export const ENGINE_ID = 'ISLD';
/** TransactTime of the orders the engines send (send order). */
export const ORDER_TIME = '20261203-10:00:00';

export interface ConformanceCase {
  /** The Test Case reference (FIX-SESSION-CASES.md), e.g. "2c". */
  ref: string;
  title: string;
  roles: Role[];
  steps: string[];
  /** The versions the case applies to, when not all (its messages exist only there). */
  versions?: BeginString[];
  /** Engine settings the case needs. `fill`: the application supports NewOrderSingle only (tickgate's
   *  fill application; QuickFIX refuses the rest as unsupported); else the echo application. */
  engine?: { heartBtInt?: number; resetOnLogon?: boolean; app?: 'echo' | 'fill' };
}

type Field = [number, string];

const TIMESTAMP = /^\d{8}-\d{2}:\d{2}:\d{2}\.\d{3}$/;
const ANY = /^[^\x01]*$/;

/** One TCP connection of the tester: sends bytes, collects whole messages as they come. */
class TesterConnection {
  readonly received: string[] = [];
  closed = false;
  private buffer = '';
  private waiters: Array<() => void> = [];

  constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer += d.toString('latin1');
      for (;;) {
        const m = /^8=[^\x01]*\x019=(\d+)\x01/.exec(this.buffer);
        if (!m) break;
        const end = m[0].length + Number(m[1]) + 7;
        if (this.buffer.length < end) break;
        this.received.push(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end);
      }
      this.wake();
    });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => undefined);
  }

  async waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
    return true;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** The engine under test for one case. */
interface Engine {
  /** Where the tester connects (the engine as acceptor). */
  port: number;
  /** Test Case 12: the engine starts a Logout. */
  logout(): void;
  /** Test Case 16: the engine's application sends an order, logged on or not. */
  sendOrder(): void;
  close(): Promise<void>;
  /** What the engine said about the run, for failure messages. */
  describe(): string;
}

/** Where the tester waits for an initiator engine to connect. */
class TesterListener {
  readonly incoming: net.Socket[] = [];
  private wake: (() => void) | undefined;
  private constructor(readonly server: net.Server) {
    server.on('connection', (socket) => { this.incoming.push(socket); this.wake?.(); });
  }

  static async open(): Promise<TesterListener> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new TesterListener(server);
  }

  get port(): number { return (this.server.address() as net.AddressInfo).port; }

  async accept(timeoutMs: number): Promise<net.Socket | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.incoming.length === 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => { this.wake = resolve; setTimeout(resolve, 100); });
    }
    return this.incoming.shift();
  }

  close(): void {
    for (const socket of this.incoming) socket.destroy();
    this.server.close();
  }
}

/** Where one case meets its engine: the tester's CompID, and where the tester listens for an initiator. */
interface Slot {
  testerId: string;
  listener: TesterListener;
}

/** An engine in one role and version, serving the cases of a run. */
export interface EngineHost {
  slot(c: ConformanceCase): Promise<Slot>;
  engine(c: ConformanceCase, slot: Slot): Promise<Engine>;
  close(): Promise<void>;
}

export interface HostSetup {
  role: Role;
  beginString: BeginString;
  cases: ConformanceCase[];
}

/** tickgate: a session runner per case, its inbound bytes through the device of `backend`. */
export function tickgateHost(s: HostSetup, backend: BackendName): EngineHost {
  return {
    slot: async () => ({ testerId: 'TW', listener: await TesterListener.open() }),
    engine: async (c, slot) => {
      const version = s.beginString === 'FIXT.1.1' ? { defaultApplVerID: '9' } : {};
      const t: TestRunner = await startRunner(backend, {
        role: s.role, beginString: s.beginString, ...version, senderCompID: ENGINE_ID, targetCompID: slot.testerId,
        port: s.role === 'acceptor' ? 0 : slot.listener.port, heartBtInt: c.engine?.heartBtInt ?? 30,
        resetOnLogon: c.engine?.resetOnLogon ?? false, reconnect: { initialMs: 100, maxMs: 200, jitter: 0 },
      }, { app: c.engine?.app ?? 'echo' });
      return {
        port: t.runner.port,
        // The Logon response may still be in flight when the script asks: log out once logged on.
        logout: () => {
          const session = t.runner.session;
          if (session.state === 'active') return session.logout();
          const onState = (state: string) => {
            if (state !== 'active') return;
            session.off('state', onState);
            session.logout();
          };
          session.on('state', onState);
        },
        sendOrder: () => {
          t.runner.session.send('D', [[11, 'Q'], [21, '3'], [40, '1'], [54, '1'], [55, 'INTC'], [60, ORDER_TIME]]);
        },
        // the listener was opened for this case alone (slot())
        close: async () => { slot.listener.close(); await t.runner.stop(); },
        describe: () => t.events.map((e) => `${e.type}: ${e.text}`).join('\n'),
      };
    },
    close: async () => undefined,
  };
}

/** QuickFIX: one qf-echo process with a session per case (TargetCompID TW<n>), so its data dictionaries
 *  load once. As initiator each session connects to its own listener, open from the start: QuickFIX's
 *  Logon waits there until the case runs (LogonTimeout is long), because every failed connect attempt
 *  would cost QuickFIX a sequence number. */
export async function quickfixHost(s: HostSetup): Promise<EngineHost> {
  const dir = tempDir('tickgate-conf-qf-');
  const slots = new Map<ConformanceCase, Slot>();
  for (const [i, c] of s.cases.entries()) {
    slots.set(c, { testerId: `TW${i + 1}`, listener: await TesterListener.open() });
  }
  const sessionLines = (c: ConformanceCase): string[] => {
    const slot = slots.get(c)!;
    return [
      `TargetCompID=${slot.testerId}`,
      `HeartBtInt=${c.engine?.heartBtInt ?? 30}`,
      `ResetOnLogon=${c.engine?.resetOnLogon ? 'Y' : 'N'}`,
      ...(s.role === 'initiator' ? [`SocketConnectPort=${slot.listener.port}`, 'LogonTimeout=300'] : []),
      ...(c.engine?.app === 'fill' ? ['SupportedMsgTypes=D'] : []),
    ];
  };
  const port = s.role === 'acceptor' ? await freePort() : 1;
  const cfg = quickfixSettings({
    role: s.role, beginString: s.beginString, senderCompID: ENGINE_ID, targetCompID: '', port, dir,
    extra: ['ValidateUserDefinedFields=Y'], sessions: s.cases.map(sessionLines),
  });
  mkdirSync(path.join(dir, 'log'), { recursive: true });
  const child: ChildProcess = spawn(quickfixPeer('qf-echo'), [cfg], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d: Buffer) => { output = (output + d.toString()).slice(-20_000); };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => { if (output.includes('ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`qf-echo exited (${code}): ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    slot: async (c) => slots.get(c)!,
    engine: async (_c, slot) => ({
      port,
      logout: () => { child.stdin!.write(`logout ${slot.testerId}\n`); },
      sendOrder: () => { child.stdin!.write(`order ${slot.testerId}\n`); },
      close: async () => undefined,
      describe: () => output,
    }),
    close: async () => {
      for (const slot of slots.values()) slot.listener.close();
      child.stdin!.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export interface RunContext {
  host: EngineHost;
  engine: EngineName;
  role: Role;
  beginString: BeginString;
}

/** Runs one case against one engine in one role and version; throws with the transcript on a mismatch. */
export async function runCase(c: ConformanceCase, ctx: RunContext): Promise<void> {
  const dict = FixDictionary.forBeginString(ctx.beginString);
  const heartBtInt = c.engine?.heartBtInt ?? 30;
  const slot = await ctx.host.slot(c);
  const ids = { engine: ENGINE_ID, tester: slot.testerId };
  const engine = await ctx.host.engine(c, slot);
  const conns = new Map<string, TesterConnection>();
  const consumed = new Map<string, number>();
  let ignoreHeartbeats = false;
  const log: string[] = [];

  const conn = (label: string): TesterConnection => {
    const c = conns.get(label);
    if (!c) throw new Error(`connection ${label} is not open`);
    return c;
  };
  /** The messages of a connection not yet matched, heartbeats dropped when asked. */
  const pending = (label: string): string[] => {
    const c = conn(label);
    let from = consumed.get(label) ?? 0;
    while (ignoreHeartbeats && from < c.received.length && isPlainHeartbeat(c.received[from]!)) from++;
    consumed.set(label, from);
    return c.received.slice(from);
  };
  const fail = (why: string): never => {
    const received = [...conns.entries()].map(([l, c]) => `connection ${l}:\n${c.received.map(show).join('\n') || '(nothing)'}`).join('\n');
    throw new Error(`${why}\n--- script so far:\n${log.join('\n')}\n--- received:\n${received}\n--- engine:\n${engine.describe().slice(-3000)}`);
  };

  const expandLogon = (): string[] => {
    const logon = `35=A|34=1|98=0|108=${heartBtInt}`;
    return ctx.role === 'acceptor'
      ? ['connect', `> ${logon}`, `< ${logon}`]
      : ['accept', `< ${logon}`, `> ${logon}`];
  };

  try {
    const steps = c.steps.flatMap((s) => (s === 'logon' ? expandLogon() : [s]));
    for (const raw of steps) {
      log.push(raw);
      const at = /^@(\w+)\s+(.*)$/.exec(raw);
      const label = at ? at[1]! : '1';
      const line = at ? at[2]! : raw;
      if (line === 'connect') {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(engine.port, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        conns.set(label, new TesterConnection(socket));
        consumed.set(label, 0);
      } else if (line === 'accept') {
        const s = await slot.listener.accept(8000) ?? fail('the engine did not connect');
        conns.set(label, new TesterConnection(s));
        consumed.set(label, 0);
      } else if (line.startsWith('>raw ')) {
        conn(label).socket.write(rawMessage(line.slice(5).replaceAll('$V', ctx.beginString).replaceAll('$T', ids.tester)));
      } else if (line.startsWith('> bytes ')) {
        conn(label).socket.write(Buffer.from(times(line.slice(8).replaceAll('$V', ctx.beginString).replaceAll('$T', ids.tester)).replaceAll('|', '\x01'), 'latin1'));
      } else if (line.startsWith('> ')) {
        conn(label).socket.write(testerMessage(line.slice(2).replaceAll('$T', ids.tester), ctx.beginString, ids));
      } else if (/^<(qf|tg)?([@!][\w.]+)? /.test(line)) {
        const [, only, version] = /^<(qf|tg)?([@!][\w.]+)? /.exec(line)!;
        if (only === 'qf' && ctx.engine !== 'quickfix') continue;
        if (only === 'tg' && ctx.engine !== 'tickgate') continue;
        if (version?.startsWith('@') && version.slice(1) !== ctx.beginString) continue;
        if (version?.startsWith('!') && version.slice(1) === ctx.beginString) continue;
        const c = conn(label);
        const expected = expectedFields(line.slice(line.indexOf(' ') + 1), ctx.beginString, dict, ids);
        await c.waitFor(() => pending(label).length > 0 || c.closed, 5000);
        const next = pending(label)[0] ?? fail(`expected ${showFields(expected)}, but ${c.closed ? 'the connection closed' : 'nothing came'}`);
        const problem = compare(expected, next);
        if (problem) fail(`expected ${showFields(expected)}\n     got ${show(next)}\n   (${problem})`);
        consumed.set(label, (consumed.get(label) ?? 0) + 1);
      } else if (line === 'disconnect') {
        const c = conn(label);
        await c.waitFor(() => c.closed, 6000);
        const extra = pending(label);
        if (extra.length) fail(`expected the connection to close with nothing more, got ${extra.map(show).join(' ; ')}`);
        if (!c.closed) fail('expected the engine to disconnect; the connection is still open');
      } else if (line.startsWith('quiet ')) {
        await new Promise((r) => setTimeout(r, Number(line.slice(6))));
        const extra = pending(label);
        if (extra.length) fail(`expected nothing, got ${extra.map(show).join(' ; ')}`);
      } else if (line.startsWith('wait ')) {
        await new Promise((r) => setTimeout(r, Number(line.slice(5))));
      } else if (line === 'logout') {
        engine.logout();
      } else if (line === 'send order') {
        engine.sendOrder();
      } else if (line === 'ignore heartbeats') {
        ignoreHeartbeats = true;
      } else if (line === 'close') {
        conn(label).socket.destroy();
      } else {
        throw new Error(`unknown script line: ${raw}`);
      }
    }
  } finally {
    for (const c of conns.values()) c.socket.destroy();
    await engine.close();
  }
}

function isPlainHeartbeat(m: string): boolean {
  return m.includes('\x0135=0\x01') && !m.includes('\x01112=');
}

const show = (m: string): string => m.replaceAll('\x01', '|');
const showFields = (f: Array<[number, string | RegExp]>): string => f.map(([t, v]) => `${t}=${typeof v === 'string' ? v : v === ANY ? '*' : '<TIME>'}`).join('|');

function parseFields(text: string): Field[] {
  return text.split('|').filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    return [Number(p.slice(0, eq)), p.slice(eq + 1)] as Field;
  });
}

/** <TIME>, <TIME-121>, <TIME+10>: now, and now ± seconds, as a UTC timestamp. */
function times(text: string): string {
  return text.replace(/<TIME([+-]\d+)?>/g, (_, d: string | undefined) => fixTime(Date.now() + (d ? Number(d) * 1000 : 0)));
}

function frame(beginString: string, fields: Field[]): Buffer {
  const body = fields.map(([t, v]) => `${t}=${v}\x01`).join('');
  const head = `8=${beginString}\x019=${Buffer.byteLength(body, 'latin1')}\x01`;
  const withoutTrailer = Buffer.from(head + body, 'latin1');
  return Buffer.concat([withoutTrailer, Buffer.from(`10=${checksum(withoutTrailer)}\x01`, 'latin1')]);
}

/** A message from the tester: 49, 52, 56 added after 34 unless given or struck out (-56); a 9 or 10 given
 *  in the line replaces the computed one (a wrong BodyLength or CheckSum on purpose). */
function testerMessage(line: string, beginString: BeginString, ids: { engine: string; tester: string }): Buffer {
  const tokens = times(line).split('|').filter(Boolean);
  const struck = new Set(tokens.filter((t) => t.startsWith('-')).map((t) => Number(t.slice(1))));
  let fields = parseFields(tokens.filter((t) => !t.startsWith('-')).join('|'));
  const bodyLength = fields.find(([t]) => t === 9)?.[1];
  const sum = fields.find(([t]) => t === 10)?.[1];
  const version = fields.find(([t]) => t === 8)?.[1] ?? beginString;
  fields = fields.filter(([t]) => t !== 8 && t !== 9 && t !== 10);
  const auto: Field[] = ([[49, ids.tester], [52, fixTime(Date.now())], [56, ids.engine]] as Field[])
    .filter(([t]) => !struck.has(t) && !fields.some(([u]) => u === t));
  const after = fields.findIndex(([t]) => t === 34) + 1 || 1;
  fields.splice(after, 0, ...auto);
  if (beginString === 'FIXT.1.1' && fields[0]?.[1] === 'A' && !fields.some(([t]) => t === 1137)) fields.push([1137, '9']);
  let bytes = frame(version, fields).toString('latin1');
  if (bodyLength !== undefined) bytes = bytes.replace(/\x019=\d+\x01/, `\x019=${bodyLength}\x01`);
  if (sum !== undefined) bytes = bytes.replace(/10=\d{3}\x01$/, `10=${sum}\x01`);
  return Buffer.from(bytes, 'latin1');
}

/** Exactly the fields written; 9=? and 10=? are computed over what precedes them. */
function rawMessage(line: string): Buffer {
  let out = '';
  for (const p of times(line).split('|').filter(Boolean)) {
    if (p === '9=?') {
      const rest = line.slice(line.indexOf('9=?') + 4).split('|').filter(Boolean);
      const bodyEnd = rest.findIndex((q) => q.startsWith('10='));
      const body = times(rest.slice(0, bodyEnd < 0 ? rest.length : bodyEnd).join('|')) + '|';
      out += `9=${body.length}\x01`;
    } else if (p === '10=?') {
      out += `10=${checksum(Buffer.from(out, 'latin1'))}\x01`;
    } else {
      out += `${p}\x01`;
    }
  }
  return Buffer.from(out, 'latin1');
}

/** The message expected from the engine: 8, 35, the header fields ascending (49, 52, 56 added), the body
 *  as written. FIX.4.2 has no SessionRejectReason above 11; FIXT.1.1 Logons carry DefaultApplVerID. */
function expectedFields(line: string, beginString: BeginString, dict: FixDictionary, ids: { engine: string; tester: string }): Array<[number, string | RegExp]> {
  const tokens = line.split('|').filter(Boolean);
  const struck = new Set(tokens.filter((t) => t.startsWith('-')).map((t) => Number(t.slice(1))));
  let fields: Array<[number, string | RegExp]> = parseFields(tokens.filter((t) => !t.startsWith('-')).join('|'));
  const msgType = fields.find(([t]) => t === 35)?.[1];
  fields = fields.map(([t, v]) => [t, v === '<TIME>' ? TIMESTAMP : v === '*' ? ANY : v]);
  for (const [t, v] of [[49, ids.engine], [52, TIMESTAMP], [56, ids.tester]] as Array<[number, string | RegExp]>) {
    if (!struck.has(t) && !fields.some(([u]) => u === t)) fields.push([t, v]);
  }
  if (beginString === 'FIX.4.2' && msgType === '3') {
    fields = fields.filter(([t, v]) => t !== 373 || Number(v) <= 11);
  }
  if (beginString === 'FIXT.1.1' && msgType === 'A' && !fields.some(([t]) => t === 1137)) fields.push([1137, '9']);
  const header = fields.filter(([t]) => t !== 35 && dict.isHeader(t)).sort((a, b) => a[0] - b[0]);
  const body = fields.filter(([t]) => !dict.isHeader(t));
  return [[8, beginString], [35, msgType ?? '?'], ...header, ...body];
}

/** Null when the message is the expected one, else what differs. */
function compare(expected: Array<[number, string | RegExp]>, message: string): string | null {
  const fields = parseFields(message.replaceAll('\x01', '|'));
  const [, bodyLength] = fields[1] ?? [];
  if (fields[1]?.[0] !== 9) return 'BodyLength is not the second field';
  const bodyStart = message.indexOf('\x01', message.indexOf('\x019=') + 1) + 1;
  const trailer = message.lastIndexOf('10=');
  if (Number(bodyLength) !== trailer - bodyStart) return `BodyLength ${bodyLength} where the body has ${trailer - bodyStart} bytes`;
  if (message.slice(trailer + 3, trailer + 6) !== checksum(Buffer.from(message.slice(0, trailer), 'latin1'))) return 'wrong CheckSum';
  const got = fields.filter(([t]) => t !== 9 && t !== 10);
  if (got.length !== expected.length) return `${got.length} fields where ${expected.length} were expected`;
  for (let i = 0; i < got.length; i++) {
    const [t, v] = got[i]!;
    const [et, ev] = expected[i]!;
    if (t !== et) return `field ${i + 1} is tag ${t}, expected ${et}`;
    if (typeof ev === 'string' ? v !== ev : !ev.test(v)) return `${t}=${v}, expected ${t}=${typeof ev === 'string' ? ev : ev.source}`;
  }
  return null;
}
