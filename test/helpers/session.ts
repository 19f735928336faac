// Session runners for tests: configs through the real schema, stores in fresh temporary folders.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendName } from '../../src/device/index.js';
import { attachApp, type AppName } from '../../src/session/apps.js';
import { sessionSchema, type SessionConfig } from '../../src/session/config.js';
import { SessionRunner } from '../../src/session/runner.js';
import type { SessionEvent } from '../../src/session/session.js';

export function tempDir(prefix = 'tickgate-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function sessionConfig(fields: Record<string, unknown>): SessionConfig {
  return sessionSchema.parse({ beginString: 'FIX.4.4', host: '127.0.0.1', ...fields });
}

export interface TestRunner {
  runner: SessionRunner;
  events: SessionEvent[];
  dir: string;
}

export async function startRunner(
  backend: BackendName,
  fields: Record<string, unknown>,
  o: { app?: AppName; dir?: string; untilLogout?: boolean } = {},
): Promise<TestRunner> {
  const dir = o.dir ?? tempDir();
  const runner = new SessionRunner({ config: sessionConfig({ storeDir: 'store', ...fields }), baseDir: dir, backend, untilLogout: o.untilLogout ?? false });
  const events: SessionEvent[] = [];
  runner.session.on('event', (e) => events.push(e));
  if (o.app) attachApp(runner.session, o.app, () => undefined);
  await runner.start();
  return { runner, events, dir };
}
