// RTL hygiene that every change must keep: lint clean under verilator -Wall, generated files current.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORES, HDL_INCLUDE, hdlSources } from '../scripts/rtl-sources.mjs';

const root = path.resolve(__dirname, '..');

describe('RTL', () => {
  it.each(CORES)('%s is lint clean under verilator --lint-only -Wall', (top) => {
    const r = spawnSync('verilator', ['--lint-only', '-Wall', `-I${HDL_INCLUDE}`, '--top-module', top, ...hdlSources()], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('generated layouts match spec/device.yaml', () => {
    expect(() => execFileSync(process.execPath, ['scripts/gen-layouts.mjs', '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });
});
