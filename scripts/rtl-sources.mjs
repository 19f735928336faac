// The RTL source list and the cores, shared by the lint and synthesis checks and the tests.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HDL_INCLUDE = path.join(ROOT, 'hdl', 'generated');
const DIRS = ['common', 'csr', 'fix', 'feed', 'risk', 'core'];
/** What the device core is built from (synthesis reads these). */
const CORE_DIRS = ['common', 'csr', 'fix', 'feed', 'risk', 'core'];

export const TOP = 'tickgate_core';
/** The timing harness for place and route: the core with its inputs from an LFSR (hdl/boards/fmax/). */
export const FMAX_TOP = 'fmax_top';

export function fmaxSources() {
  return [...coreSources(), path.join(ROOT, 'hdl', 'boards', 'fmax', 'fmax_top.v')];
}

export function coreSources() {
  return hdlSources(CORE_DIRS);
}

export function hdlSources(dirs = DIRS) {
  return dirs.flatMap((d) =>
    readdirSync(path.join(ROOT, 'hdl', d)).filter((f) => f.endsWith('.v')).sort().map((f) => path.join(ROOT, 'hdl', d, f)),
  );
}

/** One module per file, named after the file: each is linted as its own top. */
export const CORES = hdlSources().map((f) => path.basename(f, '.v'));
