// The YAML configuration: read, validated against the schemas of its sections, with errors that name the
// key and the problem. Relative paths in the file are taken from the file's own folder.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { riskSchema, type RiskConfig } from '../risk/config.js';
import { sessionSchema, type SessionConfig } from '../session/config.js';
import { fsReason } from '../util/fs-errors.js';

export class ConfigError extends Error {
  readonly code = 'CONFIG';
}

const configSchema = z.strictObject({
  device: z.strictObject({ backend: z.enum(['sim', 'ref']).default('sim') }).optional(),
  session: sessionSchema.optional(),
  risk: riskSchema.optional(),
});

export interface Config {
  device: { backend: 'sim' | 'ref' };
  session?: SessionConfig;
  risk?: RiskConfig;
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
  return { device: result.data.device ?? { backend: 'sim' }, session: result.data.session, risk: result.data.risk, baseDir };
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
