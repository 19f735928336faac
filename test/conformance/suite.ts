// Runs the Test Case scripts against one engine, in both roles and the three versions.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { BackendName } from '../../src/device/index.js';
import { BEGIN_STRINGS, type BeginString } from '../../src/session/dictionary.js';
import { quickfixHost, runCase, tickgateHost, type EngineHost, type EngineName, type Role } from '../helpers/conformance.js';
import { CASES } from './cases.js';

export function conformanceSuite(engine: EngineName, o: { backend?: BackendName; versions?: readonly BeginString[] } = {}): void {
  describe.each(o.versions ?? BEGIN_STRINGS)('%s', (beginString) => {
    describe.each(['acceptor', 'initiator'] as Role[])('as %s', (role) => {
      const cases = CASES.filter((c) => c.roles.includes(role) && (c.versions ?? BEGIN_STRINGS).includes(beginString));
      let host: EngineHost | undefined;
      beforeAll(async () => {
        const setup = { role, beginString, cases };
        host = engine === 'tickgate' ? tickgateHost(setup, o.backend ?? 'ref') : await quickfixHost(setup);
      }, 60_000);
      afterAll(() => host?.close());
      it.concurrent.each(cases.map((c) => [`${c.ref}: ${c.title}`, c] as const))('%s', async (_, c) => {
        await runCase(c, { host: host!, engine, role, beginString });
      }, 30_000);
    });
  });
}
