// Per-module timing evidence from Yosys: each module synthesised alone with `synth_xilinx -abc9 -flatten`
// (7-series cell timing), then `sta`: the latest arrival time at any endpoint (a flip-flop input or an output
// port), the LUT levels on that path, and where it starts (a flip-flop or an input port). Yosys 0.23's cell
// models give CARRY4 and MUXF7/8 no timing arcs, so a path through a carry chain is cut there: the carry and
// mux cells on the reported path are counted, and the longest carry chain of the netlist is reported next
// to the path, since sta cannot see it. Where `sta` fails (it aborts on DSP cells in some modules), the run is repeated with DSP inference
// off and the report says so.
import { $, fs, path } from 'zx';
import { HDL_INCLUDE, moduleSources } from './rtl-sources.mjs';
import { netlistPath, readCellLibrary } from './netlist-sta.mjs';

$.quiet = true;
$.nothrow = true;

/** Yosys 0.23 has abc9 timing for 7-series only: asked for UltraScale+ (`-family xcup -abc9`) it says so
 *  and uses the 7-series models and CARRY4, so there is no separate UltraScale+ figure to report. */
export const FAMILY = 'xc7';

/** The worst path of an sta report, or null when there is none. */
export function parseSta(text, top) {
  const at = text.indexOf(`Latest arrival time in '${top}' is `);
  if (at < 0) return null;
  const ps = Number(/is (\d+):/.exec(text.slice(at))[1]);
  const block = text.slice(at, text.indexOf('\n\n', at) > 0 ? text.indexOf('\n\n', at) : undefined);
  const arcs = [...block.matchAll(/\((\w+)\.([\w\[\]]+)->\w+\)/g)];
  const cells = arcs.map((m) => m[1]);
  return {
    pathPs: ps,
    lutLevels: cells.filter((c) => /^LUT\d$/.test(c)).length,
    carryCells: cells.filter((c) => /^CARRY/.test(c)).length,
    muxCells: cells.filter((c) => /^MUXF/.test(c)).length,
    // a path from a clock-to-output arc (flip-flop, block or distributed RAM, shift register, DSP register)
    from: arcs.some((m) => /^(C|CLK\w*)$/.test(m[2])) ? 'register' : 'input',
  };
}

/** How a module is synthesised for the sta run, in the order tried: abc9 (the timing-driven mapper) first.
 *  Yosys 0.23's abc9 throws (std::out_of_range in abc9_ops) on modules with block RAMs, and sta aborts on
 *  some DSP cells; the report says which flow a figure comes from. */
const FLOWS = [
  { options: '-abc9', note: null },
  { options: '', note: 'abc9 fails on this module in Yosys 0.23: mapped with abc' },
  { options: '-nodsp', note: 'abc9 and sta fail with DSP cells in Yosys 0.23: mapped with abc, DSP inference off' },
];

/** Yosys' 7-series cell library (its specify blocks are the delays): share/yosys next to the yosys binary. */
async function cellLibrary() {
  const bin = (await $`command -v yosys`).stdout.trim();
  if (!bin) return null;
  const file = path.join(path.dirname(fs.realpathSync(bin)), '..', 'share', 'yosys', 'xilinx', 'cells_sim.v');
  return fs.existsSync(file) ? readCellLibrary(file) : null;
}
let library;

/** Synthesises `top` for `family` and runs sta; resources from `stat`; the path again with the carry chains
 *  and wide multiplexers that sta skips (scripts/netlist-sta.mjs). `skipAbc9`: abc9 is known to fail on this
 *  module (scripts/timing-budgets.json, `abcFlow`), so its attempt (up to 40 s of a CI core) is not made
 *  again; if the other flows fail, abc9 is still tried last. */
export async function moduleTiming(top, dir, family = FAMILY, { skipAbc9 = false } = {}) {
  const t0 = Date.now();
  library ??= await cellLibrary();
  const flows = skipAbc9 ? [...FLOWS.slice(1), FLOWS[0]] : FLOWS;
  for (const flow of flows) {
    const name = `timing-${top}-${family}${flow.options.replace(/\s+/g, '')}`;
    const log = path.join(dir, `${name}.log`);
    const netlist = path.join(dir, `${name}.json`);
    const script = `read_verilog -sv -I${HDL_INCLUDE} ${moduleSources(top).join(' ')}; synth_xilinx -family ${family} -flatten ${flow.options} -top ${top}; stat; write_json ${netlist}; sta`;
    const r = await $`yosys -l ${log} -p ${script}`;
    const text = await fs.readFile(log, 'utf8').catch(() => '');
    const json = await fs.readFile(netlist, 'utf8').then((j) => JSON.parse(j)).catch(() => null);
    const chain = json ? longestCarryChain(json, top) : null;
    const full = json && library ? netlistPath(json, top, library) : null;
    await fs.rm(netlist, { force: true }); // the flattened netlist with Yosys' cell library: megabytes
    const worst = r.exitCode === 0 ? parseSta(text, top) : null;
    if (!worst) continue;
    const stat = text.lastIndexOf(`=== ${top} ===`);
    const count = (re) => [...text.slice(stat).matchAll(/^\s+(\S+)\s+(\d+)$/gm)].filter((m) => re.test(m[1])).reduce((n, m) => n + Number(m[2]), 0);
    return {
      module: top, family, ok: true, seconds: (Date.now() - t0) / 1000,
      lut: count(/^LUT\d$/), ff: count(/^FD/), bram: count(/^RAMB/), dsp: count(/^DSP/),
      ...worst, longestCarryChain: chain, flow: flow.options || 'abc',
      note: skipAbc9 && flow === FLOWS[1] ? `${flow.note} (abcFlow in scripts/timing-budgets.json: not tried again)` : flow.note,
      withCarry: full && {
        pathPs: full.pathPs, lutLevels: full.lutLevels, carryCells: full.carryCells, muxCells: full.muxCells,
        from: full.from, untimed: full.unknownCells,
      },
    };
  }
  return {
    module: top, family, ok: false, seconds: (Date.now() - t0) / 1000, lut: 0, ff: 0, bram: 0, dsp: 0,
    pathPs: null, lutLevels: null, carryCells: null, muxCells: null, from: null, longestCarryChain: null, flow: null, withCarry: null,
    note: 'no sta report in any flow',
  };
}

/** The longest chain of carry cells (CARRY4 on 7-series, CARRY8 on UltraScale+) joined carry-out to
 *  carry-in in a flattened netlist: the adder or comparator that sta cannot see, in cells (4 or 8 bits each). */
export function longestCarryChain(netlist, top) {
  const cells = Object.values(netlist.modules?.[top]?.cells ?? {}).filter((c) => /^CARRY(4|8)$/.test(c.type));
  const byCarryOut = new Map();
  for (const c of cells) {
    const co = c.connections.CO ?? [];
    const last = co[co.length - 1];
    if (typeof last === 'number') byCarryOut.set(last, c);
  }
  const depth = new Map();
  const lengthOf = (c) => {
    if (depth.has(c)) return depth.get(c);
    depth.set(c, 1);
    const ci = (c.connections.CI ?? [])[0];
    const previous = typeof ci === 'number' ? byCarryOut.get(ci) : undefined;
    const n = previous ? lengthOf(previous) + 1 : 1;
    depth.set(c, n);
    return n;
  };
  return cells.reduce((max, c) => Math.max(max, lengthOf(c)), 0);
}

/**
 * Each module's worst path against its budget: over budget × (1 + tolerance) fails, as does a module without a
 * budget; a module well under a budget above the target is told to lower it.
 * @param {Record<string, { pathPs: number }>} modules
 * @param {{ targetPs: number, tolerance: number, modules: Record<string, number> }} budgets
 */
export function timingAgainstBudgets(modules, budgets) {
  const errors = [];
  const notes = [];
  const atTarget = [];
  for (const [name, m] of Object.entries(modules)) {
    const budget = budgets.modules[name];
    if (budget === undefined) {
      errors.push(`${name} has no budget in scripts/timing-budgets.json (measured ${m.pathPs} ps)`);
      continue;
    }
    const limit = Math.round(budget * (1 + budgets.tolerance));
    if (m.pathPs > limit) errors.push(`${name} ${m.pathPs} ps exceeds its budget of ${budget} ps (+${Math.round(budgets.tolerance * 100)} %: ${limit} ps)`);
    else if (budget > budgets.targetPs && m.pathPs < budget * (1 - budgets.tolerance)) notes.push(`${name} ${m.pathPs} ps is well under its budget of ${budget} ps: lower the budget`);
    if (m.pathPs <= budgets.targetPs) atTarget.push(name);
  }
  const ok = errors.length === 0;
  notes.push(`${atTarget.length} of ${Object.keys(modules).length} modules within ${budgets.targetPs} ps; ${ok ? 'every module within its budget' : 'FAILED'}`);
  return { ok, errors, notes, atTarget };
}
