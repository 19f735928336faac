// The RTL source list and the cores, shared by the lint and synthesis checks and the tests.
import { readFileSync, readdirSync } from 'node:fs';
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


/** The files `top` is built from: its own and those of the modules it instantiates, transitively. Timing reads
 *  only these, because abc's mapping of a module shifts when Yosys has read unrelated files (mold_framer measured
 *  2,195 ps or 2,401 ps depending on an edit to symbol_filter.v, which it does not use). */
export function moduleSources(top) {
  const files = new Map(coreSources().map((f) => [path.basename(f, '.v'), f]));
  const needed = new Set();
  const visit = (name) => {
    if (needed.has(name) || !files.has(name)) return;
    needed.add(name);
    const text = readFileSync(files.get(name), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const m of text.matchAll(/^\s*(\w+)\s*(?:#|\w+\s*\()/gm)) visit(m[1]);
  };
  visit(top);
  if (!needed.size) throw new Error(`no source file for module ${top}`);
  return [...files].filter(([name]) => needed.has(name)).map(([, f]) => f);
}
