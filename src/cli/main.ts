// The tickgate command line. Exit 0 on success (malformed input is reported in records); 2 with a
// one-line message for unusable arguments or unreadable input.
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BACKENDS, DeviceProtocolError, type BoardOption, DeviceUnavailableError, openDevice, RoleTakenError, type BackendName } from '../device/index.js';
import { decodeFixStream } from '../fix/decode.js';
import { runDemo } from './demo.js';
import { ConfigError } from '../config/config.js';
import { runServe } from './serve.js';
import { appOf, runSessionCommand } from './session.js';
import { runStart } from './start.js';
import { emulatePcie, emulateSerial, EmulatorError } from './emulate.js';
import { BackendUnavailableError, checkOrders } from './check.js';
import { decodeItch, listenItch, parseLine } from './decode-itch.js';
import { FeedFormatError } from '../itch/input.js';
import { FeedConfigError } from '../itch/device-feed.js';
import { ListenError } from '../session/runner.js';
import { fsReason } from '../util/fs-errors.js';

export class UsageError extends Error {
  readonly code = 'USAGE';
}

const USAGE = `usage:
  tickgate decode fix [--backend sim|ref|pcie|serial] [--device <prefix> | --port <path> [--baud N]] [--max-message-bytes N] <file|->
  tickgate decode itch [--backend sim|ref|pcie|serial] [--device <prefix> | --port <path> [--baud N]] [--symbols A,B] [--line A=<group>:<port> ...] [--format ndjson|proto] <file|->
  tickgate decode itch --listen <group>:<port> [--interface IP] [--retransmit host:port] [--backend sim|ref|pcie|serial] [--device <prefix> | --port <path> [--baud N]] [--symbols A,B]
  tickgate check orders --config <risk.yaml> [--backend sim|ref|pcie|serial] [--device <prefix> | --port <path> [--baud N]] [--forward <file>] [--itch <capture>] <file|->
  tickgate emulate pcie --dir <dir>
  tickgate emulate serial --link <path> [--faults P] [--seed N]
  tickgate session --config <yaml> [--app fill|echo|print] [--backend sim|ref|pcie|serial] [--device <prefix> | --port <path> [--baud N]] [--orders N [--window W]] [--symbol S]
  tickgate start [--orders N] [--window W] [--itch-messages N] [--backend sim|ref|pcie|serial] [--device <prefix> | --port <path> [--baud N]]
  tickgate serve --config <yaml> [--backend sim|ref|pcie|serial] [--device <prefix> | --port <path> [--baud N]] [--wait-clients N] [--exit-at-end]
  tickgate serve --demo [--config <yaml>] [--backend sim|ref]
  tickgate demo [--messages N] [--backend sim|ref]
  tickgate --version`;

function backendOf(value: string | undefined): BackendName {
  const b = (value ?? 'sim') as BackendName;
  if (!BACKENDS.includes(b)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, not "${value}"`);
  return b;
}

/** The board: --device (pcie: the device files' prefix) or --port and --baud (serial), checked against --backend
 *  when there is one (commands with a config take the backend from it otherwise, and check again). */
function boardOf(values: { device?: string; port?: string; baud?: string }, backend: BackendName | undefined): BoardOption {
  if (values.device !== undefined && values.port !== undefined) throw new UsageError('--device (pcie) and --port (serial) name different boards: give one');
  if (values.device === '') throw new UsageError('--device must be the device files\' prefix, e.g. /dev/xdma0');
  if (values.port === '') throw new UsageError('--port must be the board\'s serial port, e.g. /dev/ttyUSB1');
  let baud: number | undefined;
  if (values.baud !== undefined) {
    baud = positiveInt(values.baud, '--baud', 0);
    if (baud < 300 || baud > 12_000_000) throw new UsageError(`--baud must be from 300 to 12000000, not ${baud}`);
  }
  if (backend !== undefined) {
    if (values.device !== undefined && backend !== 'pcie') throw new UsageError('--device is for --backend pcie');
    if (values.port !== undefined && backend !== 'serial') throw new UsageError('--port is for --backend serial');
    if (baud !== undefined && backend !== 'serial') throw new UsageError('--baud is for --backend serial');
  }
  const boardFlag = values.device !== undefined ? '--device' : values.port !== undefined ? '--port' : undefined;
  return { device: values.device ?? values.port, baud, boardFlag };
}

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > 0xffffffff) {
    throw new UsageError(`${flag} must be a whole number from 1 to 4294967295, not "${value}"`);
  }
  return n;
}

function hostPort(value: string, flag: string): { host: string; port: number } {
  const m = /^([^:]+):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535) throw new UsageError(`${flag} must be host:port, not "${value}"`);
  return { host: m[1]!, port: Number(m[2]) };
}

async function openInput(file: string | undefined): Promise<AsyncIterable<Uint8Array>> {
  if (file === undefined) throw new UsageError('missing input: give a file, or - for standard input');
  if (file === '-') return process.stdin;
  await checkReadable(file, 'input');
  return createReadStream(file, { highWaterMark: 1 << 20 });
}

/** A file that can be opened and read, not a folder; else a UsageError naming the path and why. */
async function checkReadable(file: string, what: string): Promise<void> {
  try {
    if ((await stat(file)).isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    await (await open(file, 'r')).close();
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${file}: ${fsReason(err)}`);
  }
}

/** A whole file given with an option (not standard input). */
async function readInput(file: string, option: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new UsageError(`${option}: cannot read ${file}: ${fsReason(err)}`);
  }
}

async function writeStdout(text: string | Uint8Array): Promise<void> {
  if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
}

async function decodeFix(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { backend: { type: 'string' }, device: { type: 'string' }, port: { type: 'string' }, baud: { type: 'string' }, 'max-message-bytes': { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new UsageError(`decode fix takes one input, got ${positionals.length}`);
  const backend = backendOf(values.backend);
  const maxMessageBytes = values['max-message-bytes'] === undefined
    ? undefined : positiveInt(values['max-message-bytes'], '--max-message-bytes', 4096);
  const input = await openInput(positionals[0]);
  const device = openDevice({ backend, ...boardOf(values, backend) });
  try {
    await decodeFixStream(device, input, writeStdout, { maxMessageBytes });
  } finally {
    await device.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === '-V') {
      console.log('tickgate 0.1.0');
      return 0;
    }
    if (command === undefined || command === '--help' || command === '-h') {
      console.log(USAGE);
      return 0;
    }
    if (command === 'decode') {
      const [what, ...args] = rest;
      if (what === 'fix') { await decodeFix(args); return 0; }
      if (what === 'itch') {
        const { values, positionals } = parseArgs({
          args,
          options: { backend: { type: 'string' }, device: { type: 'string' }, port: { type: 'string' }, baud: { type: 'string' }, symbols: { type: 'string' }, listen: { type: 'string' }, interface: { type: 'string' }, retransmit: { type: 'string' }, format: { type: 'string' }, line: { type: 'string', multiple: true } },
          allowPositionals: true,
        });
        if (positionals.length > 1) throw new UsageError(`decode itch takes one input, got ${positionals.length}`);
        const symbols = values.symbols?.split(',').map((s) => s.trim()).filter(Boolean);
        const backend = backendOf(values.backend);
        const board = boardOf(values, backend);
        const format = values.format ?? 'ndjson';
        if (format !== 'ndjson' && format !== 'proto') throw new UsageError(`--format: "${format}" is not a format: ndjson or proto`);
        const lines = (values.line ?? []).map(parseLine);
        if (values.listen !== undefined) {
          if (format !== 'ndjson') throw new UsageError('--format proto is for a file or stdin; --listen prints NDJSON');
          if (lines.length) throw new UsageError('--line selects streams of a capture\'s frames; --listen joins one group and takes its datagrams');
          const group = hostPort(values.listen, '--listen');
          const retransmit = values.retransmit === undefined ? undefined : hostPort(values.retransmit, '--retransmit');
          await listenItch({ backend, ...board, symbols, group: group.host, port: group.port, interface: values.interface ?? '127.0.0.1', retransmit, write: (t) => process.stdout.write(t) });
          return 0;
        }
        const input = await openInput(positionals[0]);
        await decodeItch({ backend, ...board, symbols, lines, input, format, write: writeStdout });
        return 0;
      }
      throw new UsageError(what === undefined ? 'decode needs a format: fix or itch' : `cannot decode "${what}": the formats are fix and itch`);
    }
    if (command === 'check') {
      const [what, ...args] = rest;
      if (what !== 'orders') throw new UsageError(what === undefined ? 'check needs what to check: orders' : `cannot check "${what}": the only check is orders`);
      const { values, positionals } = parseArgs({ args, options: { config: { type: 'string' }, backend: { type: 'string' }, device: { type: 'string' }, port: { type: 'string' }, baud: { type: 'string' }, forward: { type: 'string' }, itch: { type: 'string' } }, allowPositionals: true });
      if (values.config === undefined) throw new UsageError('check orders needs --config <risk.yaml>');
      if (positionals.length > 1) throw new UsageError(`check orders takes one input, got ${positionals.length}`);
      const backend = values.backend === undefined ? undefined : backendOf(values.backend);
      const input = await openInput(positionals[0]);
      const itch = values.itch === undefined ? undefined : await readInput(values.itch, '--itch');
      if (values.forward !== undefined) {
        try {
          await (await open(values.forward, 'w')).close();
        } catch (err) {
          throw new UsageError(`--forward: cannot write ${values.forward}: ${fsReason(err)}`);
        }
      }
      await checkOrders({ configFile: values.config, backend, ...boardOf(values, backend), forward: values.forward, itch, input, write: writeStdout });
      return 0;
    }
    if (command === 'session') {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { config: { type: 'string' }, app: { type: 'string' }, backend: { type: 'string' }, device: { type: 'string' }, port: { type: 'string' }, baud: { type: 'string' }, orders: { type: 'string' }, window: { type: 'string' }, symbol: { type: 'string' } },
        allowPositionals: true,
      });
      if (positionals.length) throw new UsageError(`session takes no positional arguments, got "${positionals[0]}"`);
      if (values.config === undefined) throw new UsageError('session needs --config <yaml>');
      await runSessionCommand({
        configFile: values.config,
        app: appOf(values.app),
        backend: values.backend === undefined ? undefined : backendOf(values.backend),
        ...boardOf(values, values.backend === undefined ? undefined : backendOf(values.backend)),
        orders: values.orders === undefined ? 0 : positiveInt(values.orders, '--orders', 1),
        window: positiveInt(values.window, '--window', 100),
        symbol: values.symbol ?? 'AAPL',
      });
      return 0;
    }
    if (command === 'start') {
      const { values } = parseArgs({ args: rest, options: { orders: { type: 'string' }, window: { type: 'string' }, backend: { type: 'string' }, device: { type: 'string' }, port: { type: 'string' }, baud: { type: 'string' }, 'itch-messages': { type: 'string' } } });
      await runStart({
        orders: positiveInt(values.orders, '--orders', 1000), window: positiveInt(values.window, '--window', 50), backend: backendOf(values.backend), ...boardOf(values, backendOf(values.backend)),
        itchMessages: positiveInt(values['itch-messages'], '--itch-messages', 20_000),
      });
      return 0;
    }
    if (command === 'emulate') {
      const [what, ...args] = rest;
      if (what === 'serial') {
        const { values, positionals } = parseArgs({ args, options: { link: { type: 'string' }, faults: { type: 'string' }, seed: { type: 'string' } }, allowPositionals: true });
        if (positionals.length) throw new UsageError(`emulate serial takes no positional arguments, got "${positionals[0]}"`);
        if (values.link === undefined || values.link === '') throw new UsageError('emulate serial needs --link <path>');
        let faults: number | undefined;
        if (values.faults !== undefined) {
          faults = Number(values.faults);
          if (!/^(0|0?\.\d+)$/.test(values.faults) || !(faults < 1)) throw new UsageError(`--faults must be a probability from 0 to below 1, not "${values.faults}"`);
        }
        return await emulateSerial({ link: values.link, faults, seed: values.seed === undefined ? undefined : positiveInt(values.seed, '--seed', 1) });
      }
      if (what !== 'pcie') throw new UsageError(what === undefined ? 'emulate needs a board: pcie or serial' : `cannot emulate "${what}": the boards are pcie and serial`);
      const { values, positionals } = parseArgs({ args, options: { dir: { type: 'string' }, 'h2c-timeout': { type: 'string' }, 'c2h-timeout': { type: 'string' } }, allowPositionals: true });
      if (positionals.length) throw new UsageError(`emulate pcie takes no positional arguments, got "${positionals[0]}"`);
      if (values.dir === undefined) throw new UsageError('emulate pcie needs --dir <dir>');
      return await emulatePcie({
        dir: values.dir,
        h2cTimeout: values['h2c-timeout'] === undefined ? undefined : positiveInt(values['h2c-timeout'], '--h2c-timeout', 10),
        c2hTimeout: values['c2h-timeout'] === undefined ? undefined : positiveInt(values['c2h-timeout'], '--c2h-timeout', 10),
      });
    }
    if (command === 'serve') {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { config: { type: 'string' }, backend: { type: 'string' }, device: { type: 'string' }, port: { type: 'string' }, baud: { type: 'string' }, 'wait-clients': { type: 'string' }, 'exit-at-end': { type: 'boolean' }, demo: { type: 'boolean' } },
        allowPositionals: true,
      });
      if (positionals.length) throw new UsageError(`serve takes no positional arguments, got "${positionals[0]}"`);
      if (values.config === undefined && !values.demo) throw new UsageError('serve needs --config <yaml> (or --demo)');
      const backend = values.backend === undefined ? undefined : backendOf(values.backend);
      await runServe({
        configFile: values.config, demo: values.demo ?? false, backend, ...boardOf(values, backend),
        waitClients: values['wait-clients'] === undefined ? 0 : positiveInt(values['wait-clients'], '--wait-clients', 1),
        exitAtEnd: values['exit-at-end'] ?? false,
      });
      return 0;
    }
    if (command === 'demo') {
      const { values } = parseArgs({ args: rest, options: { messages: { type: 'string' }, backend: { type: 'string' } } });
      await runDemo({ messages: positiveInt(values.messages, '--messages', 200), backend: backendOf(values.backend) });
      return 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof ConfigError || err instanceof BackendUnavailableError || err instanceof DeviceUnavailableError || err instanceof EmulatorError || err instanceof FeedFormatError || err instanceof FeedConfigError
      || err instanceof ListenError || err instanceof RoleTakenError || err instanceof DeviceProtocolError) {
      process.stderr.write(`tickgate: ${e.message}\n`);
      return 2;
    }
    if (err instanceof UsageError || e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`tickgate: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`tickgate: ${e.message}\n`);
    return 1;
  }
}
