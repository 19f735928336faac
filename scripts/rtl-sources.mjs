// The RTL source list and the cores, shared by the lint and synthesis checks and the tests.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HDL_INCLUDE = path.join(ROOT, 'hdl', 'generated');
/** What the device core is built from (synthesis reads these). */
const CORE_DIRS = ['common', 'csr', 'fix', 'feed', 'risk', 'core'];
/** The board shells: between a vendor's IP and the core, vendor-free, linted and timed like the core's modules. */
const SHELL_DIRS = ['boards/xdma', 'boards/serial'];
const DIRS = [...CORE_DIRS, ...SHELL_DIRS];

/** Board tops: the shell, the core and the vendor IP, linted with behavioural models of the IP's ports
 *  (`model/`) and synthesised with the core and the IP as black boxes (the core is synthesised on its own). */
export const BOARDS = [
  { name: 'alveo_u250', top: 'tickgate_u250_top', shell: 'boards/xdma', part: 'xcu250-figd2104-2L-e', lut: 1728000, ff: 3456000, bram: 2688, dsp: 12288 },
  { name: 'arty_a7', top: 'tickgate_arty_top', shell: 'boards/serial', part: 'xc7a100tcsg324-1', lut: 63400, ff: 126800, bram: 135, dsp: 240 },
];
export function boardFiles(board) {
  const dir = path.join(ROOT, 'hdl', 'boards', board.name);
  const vfiles = (d) => readdirSync(d).filter((f) => f.endsWith('.v')).sort().map((f) => path.join(d, f));
  return { top: vfiles(dir), models: vfiles(path.join(dir, 'model')) };
}
/** The core's and the board's shell's sources (what its build reads besides its own folder). */
export function boardSources(board) {
  return hdlSources([...CORE_DIRS, board.shell]);
}
export function shellSources(board) {
  return hdlSources([board.shell]);
}

export const TOP = 'tickgate_core';
/** The timing harness for place and route: the core with its inputs from an LFSR (hdl/boards/fmax/). */
export const FMAX_TOP = 'fmax_top';

export function fmaxSources() {
  return [...moduleSources(TOP), path.join(ROOT, 'hdl', 'boards', 'fmax', 'fmax_top.v')];
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
  const files = new Map(hdlSources().map((f) => [path.basename(f, '.v'), f]));
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
