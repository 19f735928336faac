// The YAML configuration: read, validated against the schemas of its sections, with errors that name the
// key and the problem. Relative paths in the file are taken from the file's own folder.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { riskSchema, type RiskConfig } from '../risk/config.js';
import { feedSchema, serveSchema, type FeedConfig, type ServeConfig } from '../serve/config.js';
import { sessionSchema, type SessionConfig } from '../session/config.js';
import { fsReason } from '../util/fs-errors.js';

export class ConfigError extends Error {
  readonly code = 'CONFIG';
}

const deviceSchema = z.strictObject({
  backend: z.enum(['sim', 'ref', 'pcie', 'serial'], { error: 'must be "sim", "ref", "pcie" or "serial"' }).default('sim'),
  /** pcie: the device files' prefix (default /dev/xdma0). */
  path: z.string().min(1, 'must be the device files\' prefix, e.g. /dev/xdma0').optional(),
  /** serial: the board's port. */
  port: z.string().min(1, 'must be the board\'s serial port, e.g. /dev/ttyUSB1').optional(),
  /** serial: the line's baud rate (default 3,000,000). */
  baud: z.number({ error: 'must be a whole number of bits per second' }).int('must be a whole number of bits per second')
    .min(300, 'must be at least 300').max(12_000_000, 'must be at most 12,000,000').optional(),
}).superRefine((d, ctx) => {
  if (d.path !== undefined && d.backend !== 'pcie') ctx.addIssue({ code: 'custom', path: ['path'], message: `is for backend pcie, not ${d.backend}` });
  for (const key of ['port', 'baud'] as const) {
    if (d[key] !== undefined && d.backend !== 'serial') ctx.addIssue({ code: 'custom', path: [key], message: `is for backend serial, not ${d.backend}` });
  }
  if (d.backend === 'serial' && d.port === undefined) ctx.addIssue({ code: 'custom', path: ['port'], message: 'is needed for backend serial (the board\'s serial port, e.g. /dev/ttyUSB1)' });
});

export type DeviceConfig = z.infer<typeof deviceSchema>;

const configSchema = z.strictObject({
  device: deviceSchema.optional(),
  session: sessionSchema.optional(),
  risk: riskSchema.optional(),
  serve: serveSchema.optional(),
  feed: feedSchema.optional(),
});

export interface Config {
  device: DeviceConfig;
  session?: SessionConfig;
  risk?: RiskConfig;
  serve?: ServeConfig;
  feed?: FeedConfig;
  /** The folder relative paths are resolved from. */
  baseDir: string;
}

/** A key as the error names it: plain when it is a plain name, else quoted (a key may hold '.', ':' or ' '). */
function keyName(key: PropertyKey): string {
  const k = String(key);
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

function keyPath(issuePath: ReadonlyArray<PropertyKey>): string {
  return issuePath.map(keyName).join('.') || '(top level)';
}

/** One line per problem: `<key>: <what is wrong>`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') {
      const base = keyPath(i.path);
      return i.keys.map((k) => `${base === '(top level)' ? keyName(k) : `${base}.${keyName(k)}`}: unknown key`).join('; ');
    }
    return `${keyPath(i.path)}: ${i.message}`;
  }).join('; ');
}

export function parseConfig(text: string, source: string, baseDir: string): Config {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (err) {
    throw new ConfigError(`${source}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(`${source}: ${formatIssues(result.error)}`);
  const device = result.data.device ?? { backend: 'sim' };
  if (device.path !== undefined) device.path = path.resolve(baseDir, device.path);
  if (device.port !== undefined) device.port = path.resolve(baseDir, device.port);
  const { session, risk, serve, feed } = result.data;
  return { device, session, risk, serve, feed, baseDir };
}

/** The command line's --backend and board (--device, or --port and --baud) over the config's device: section. */
export function chooseDevice(cli: { backend?: DeviceConfig['backend']; device?: string; baud?: number; boardFlag?: string },
  configured: DeviceConfig): { backend: DeviceConfig['backend']; device?: string; baud?: number } {
  const backend = cli.backend ?? configured.backend;
  if (cli.device !== undefined) {
    const flag = cli.boardFlag ?? '--device';
    const wanted = flag === '--port' ? 'serial' : 'pcie';
    if (backend !== wanted) throw new ConfigError(`${flag} is for backend ${wanted}; the backend is ${backend}`);
  }
  if (cli.baud !== undefined && backend !== 'serial') throw new ConfigError(`--baud is for backend serial; the backend is ${backend}`);
  const same = backend === configured.backend;
  const device = cli.device ?? (same ? (backend === 'serial' ? configured.port : configured.path) : undefined);
  return { backend, device, baud: cli.baud ?? (same ? configured.baud : undefined) };
}

export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config ${file}: ${fsReason(err)}`);
  }
  return parseConfig(text, file, path.dirname(path.resolve(file)));
}
