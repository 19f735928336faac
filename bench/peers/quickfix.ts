// QuickFIX (Debian's libquickfix-dev) as a peer: programs built on demand into build/peers/ — our own
// test/peers/*.cpp, and the `executor` example Debian ships in libquickfix-doc (an acceptor that fills
// every limit order), built from /usr/share/doc as it is installed. Used by the tests and by the bench.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const HEADER = '/usr/include/quickfix/Message.h';
const EXAMPLES_PATH = 'usr/share/doc/libquickfix-doc/examples';

export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

function needQuickfix(what: string, file: string): void {
  if (!existsSync(file)) {
    throw new Error(`QuickFIX ${what} is missing (${file}): run \`sudo apt-get install -y libquickfix-dev libquickfix-doc\` (npm test does it when root)`);
  }
}

/** QuickFIX 1.15's headers use dynamic exception specifications: C++14 at the latest. */
function compile(out: string, sources: string[], includes: string[] = []): void {
  mkdirSync(path.dirname(out), { recursive: true });
  execFileSync('g++', ['-std=c++14', '-O1', ...includes.map((i) => `-I${i}`), '-o', out, ...sources, '-lquickfix', '-lpthread'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
}

const stale = (bin: string, srcs: string[]) => !existsSync(bin) || srcs.some((s) => statSync(s).mtimeMs > statSync(bin).mtimeMs);

/** Path of the built peer program `name` (test/peers/<name>.cpp). */
export function quickfixPeer(name: string): string {
  needQuickfix('headers', HEADER);
  const root = projectRoot();
  const peers = path.join(root, 'test', 'peers');
  const src = path.join(peers, `${name}.cpp`);
  const bin = path.join(root, 'build', 'peers', name);
  const headers = readdirSync(peers).filter((f) => f.endsWith('.h')).map((f) => path.join(peers, f));
  if (stale(bin, [src, ...headers])) compile(bin, [src]);
  return bin;
}

/** Path of the built QuickFIX executor example. */
export function quickfixExecutor(): string {
  needQuickfix('headers', HEADER);
  // Where slim images keep dpkg from unpacking /usr/share/doc, the bootstrap unpacks the package into build/debs.
  const examples = [path.join('/', EXAMPLES_PATH), path.join(projectRoot(), 'build', 'debs', 'libquickfix-doc', EXAMPLES_PATH)]
    .find((d) => existsSync(path.join(d, 'executor', 'C++', 'executor.cpp'))) ?? path.join('/', EXAMPLES_PATH);
  const dir = path.join(examples, 'executor', 'C++');
  needQuickfix('examples', path.join(dir, 'executor.cpp'));
  const work = path.join(projectRoot(), 'build', 'peers', 'executor-src');
  const bin = path.join(projectRoot(), 'build', 'peers', 'executor');
  const inputs = [path.join(dir, 'executor.cpp'), path.join(dir, 'Application.cpp.gz'), path.join(dir, 'Application.h')];
  if (stale(bin, inputs)) {
    mkdirSync(work, { recursive: true });
    writeFileSync(path.join(work, 'Application.cpp'), gunzipSync(readFileSync(inputs[1]!)));
    // The example includes the autotools config.h of QuickFIX's own build; nothing in it is needed here.
    writeFileSync(path.join(work, 'config.h'), '');
    compile(bin, [inputs[0]!, path.join(work, 'Application.cpp')], [work, dir]);
  }
  return bin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface QuickfixSessionSettings {
  beginString: 'FIX.4.2' | 'FIX.4.4' | 'FIXT.1.1';
  senderCompID: string;
  targetCompID: string;
  port: number;
  dir: string;
  heartBtInt?: number;
  /** Initiator only: SocketConnectHost/Port are the port above. */
  role: 'acceptor' | 'initiator';
  /** More settings for the session (they override the defaults above them). */
  extra?: string[];
  /** Several sessions in one program, each with its own settings lines (TargetCompID at least; an
   *  initiator's SocketConnectPort), in place of the one session to targetCompID. */
  sessions?: string[][];
}

/** QuickFIX checks the BeginString against the transport dictionary's version. jspurefix ships no FIXT11.xml,
 *  but its FIX50SP2.xml holds the session header, trailer and messages: that file, labelled FIXT 1.1, with
 *  only what a transport dictionary defines (fields, header, trailer, session messages and the components
 *  they use). The application messages stay in the application dictionary; without them here QuickFIX
 *  starts a session in a fraction of the time (each session copies its dictionaries). */
function fixtTransportDictionary(data: string, dir: string): string {
  const file = path.join(dir, 'FIXT11.xml');
  let xml = readFileSync(path.join(data, 'FIX50SP2.xml'), 'utf8').replace(/<fix [^>]*>/, "<fix type='FIXT' major='1' minor='1' servicepack='0'>");
  xml = xml.replace(/<message [^>]*msgcat=['"]app['"][^>]*>[\s\S]*?<\/message>/g, '');
  const used = (text: string) => [...text.matchAll(/<component name=['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  const definitions = new Map([...xml.matchAll(/<component name=['"]([^'"]+)['"][^>]*?(?<!\/)>[\s\S]*?<\/component>/g)].map((m) => [m[1]!, m[0]]));
  const keep = new Set<string>();
  const sections = /<header>[\s\S]*?<\/header>|<trailer>[\s\S]*?<\/trailer>|<messages>[\s\S]*?<\/messages>/g;
  const todo = used([...xml.matchAll(sections)].map((m) => m[0]).join(''));
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    if (keep.has(name)) continue;
    keep.add(name);
    todo.push(...used(definitions.get(name) ?? ''));
  }
  xml = xml.replace(/<components>[\s\S]*?<\/components>/, `<components>${[...keep].map((n) => definitions.get(n) ?? '').join('')}</components>`);
  writeFileSync(file, xml);
  return file;
}

/** A QuickFIX settings file with the data dictionaries of the version (jspurefix's QuickFIX-format files). */
export function quickfixSettings(s: QuickfixSessionSettings): string {
  const data = path.join(projectRoot(), 'node_modules', 'jspurefix', 'data');
  mkdirSync(s.dir, { recursive: true });
  const dictionary = s.beginString === 'FIXT.1.1'
    ? [`TransportDataDictionary=${fixtTransportDictionary(data, s.dir)}`, `AppDataDictionary=${path.join(data, 'FIX50SP2.xml')}`, 'DefaultApplVerID=FIX.5.0SP2']
    : [`DataDictionary=${path.join(data, s.beginString === 'FIX.4.2' ? 'FIX42.xml' : 'FIX44.xml')}`];
  const lines = [
    '[DEFAULT]',
    `ConnectionType=${s.role}`,
    'StartTime=00:00:00',
    'EndTime=00:00:00',
    `FileStorePath=${path.join(s.dir, 'store')}`,
    `FileLogPath=${path.join(s.dir, 'log')}`,
    'UseDataDictionary=Y',
    'ValidateUserDefinedFields=N',
    'SocketReuseAddress=Y',
    'ReconnectInterval=1',
    s.role === 'acceptor' ? `SocketAcceptPort=${s.port}` : `SocketConnectHost=127.0.0.1\nSocketConnectPort=${s.port}`,
    `BeginString=${s.beginString}`,
    `SenderCompID=${s.senderCompID}`,
    `HeartBtInt=${s.heartBtInt ?? 30}`,
    ...dictionary,
    ...(s.extra ?? []),
    ...(s.sessions ?? [[`TargetCompID=${s.targetCompID}`]]).flatMap((lines) => ['[SESSION]', ...lines]),
  ];
  const file = path.join(s.dir, 'quickfix.cfg');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Starts the QuickFIX executor on `port`; resolves once it listens. Its screen log (every message in and
 *  out) goes to `dir`/screen.log. */
export async function startExecutor(s: Omit<QuickfixSessionSettings, 'role'>): Promise<ChildProcess> {
  const cfg = quickfixSettings({ ...s, role: 'acceptor' });
  const screen = openSync(path.join(s.dir, 'screen.log'), 'w');
  const child = spawn(quickfixExecutor(), [cfg], { stdio: ['ignore', screen, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`executor exited (${code}): ${stderr}`))));
  await Promise.race([waitForPort(s.port), exited]);
  exited.catch(() => undefined);
  return child;
}
