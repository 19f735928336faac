// The formal proof list (scripts/formal-jobs.mjs, run by `npm run formal` in CI): every proof has a mutation
// that must break it, and every mutation still applies to the RTL as it is (one exact match), so an edit to
// the RTL cannot quietly turn a mutation into a no-op.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOBS, MUTATIONS } from '../scripts/formal-jobs.mjs';

const root = path.resolve(import.meta.dirname, '..');

describe('formal proofs and mutations', () => {
  it('names every proof once and gives each at least one mutation', () => {
    const names = JOBS.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    for (const job of JOBS) expect(MUTATIONS.filter((m) => m.job === job.name).length, job.name).toBeGreaterThan(0);
  });

  it.each(MUTATIONS.map((m) => [m.name, m] as const))('%s applies to exactly one place and changes it', (_, m) => {
    expect(JOBS.some((j) => j.name === m.job)).toBe(true);
    const text = readFileSync(path.join(root, m.file), 'utf8');
    expect(text.split(m.from).length - 1).toBe(1);
    expect(m.to).not.toBe(m.from);
  });

  it('has a FORMAL block in the RTL of every proof\'s top', () => {
    const sources = ['common', 'core', 'csr', 'feed', 'fix', 'risk', 'boards/serial', 'boards/xdma'].flatMap((d) => {
      const dir = path.join(root, 'hdl', d);
      return [dir];
    });
    for (const job of JOBS) {
      const file = sources.map((d) => path.join(d, `${job.top}.v`)).find((f) => { try { readFileSync(f); return true; } catch { return false; } });
      expect(file, job.top).toBeDefined();
      expect(readFileSync(file!, 'utf8')).toMatch(/`ifdef FORMAL\b/);
    }
  });
});
