#!/usr/bin/env node
// RTL checks for CI and developers.
//   lint:  verilator --lint-only -Wall with every module as top; any message fails.
//   synth: Yosys synth_ice40 and synth_xilinx of the core, and synth_xilinx of each board top with the core and
//          the vendor IP as black boxes (all in parallel); any warning fails;
//          prints resource counts, then places and routes the ice40 netlist with nextpnr-ice40 (HX8K) for
//          an Fmax estimate. Writes build/synth/report.json (read by `npm run bench`); --json prints it.
//          --timing adds every module's worst path from Yosys sta (7-series timing; scripts/rtl-timing.mjs),
//          in the same pool of jobs as the syntheses (CI: `synth --timing --check`, one step instead of two).
//          --no-ice40 leaves out the ice40 synthesis and its place and route (CI does: the core does not fit an
//          iCE40, so they only ever report that, and they were the longest job, about 9 CPU-minutes).
//   timing: that per-module table alone; build/synth/timing.json. --check (in CI): fails when a module's
//          path exceeds its budget in scripts/timing-budgets.json by more than the tolerance there.
import { $, fs, os, path } from 'zx';
import { BOARDS, CORES, FMAX_TOP, HDL_INCLUDE, ROOT, boardFiles, boardSources, fmaxSources, hdlSources, moduleSources, shellSources, TOP } from './rtl-sources.mjs';
import { moduleTiming, timingAgainstBudgets } from './rtl-timing.mjs';

$.quiet = true;
$.nothrow = true;
const [mode = 'lint', ...flags] = process.argv.slice(2);
const json = flags.includes('--json');
const timing = flags.includes('--timing');
const ice40 = !flags.includes('--no-ice40');
const sources = hdlSources();

async function lint() {
  let failed = 0;
  for (const top of [...CORES, FMAX_TOP]) {
    const files = top === FMAX_TOP ? fmaxSources() : sources;
    const r = await $`verilator --lint-only -Wall -I${HDL_INCLUDE} --top-module ${top} ${files}`;
    const out = (r.stdout + r.stderr).trim();
    if (r.exitCode !== 0 || out) { console.error(`lint ${top}: FAILED\n${out}`); failed++; }
    else console.log(`lint ${top}: clean`);
  }
  for (const board of BOARDS) {
    const { top, models } = boardFiles(board);
    const r = await $`verilator --lint-only -Wall -I${HDL_INCLUDE} --top-module ${board.top} ${boardSources(board)} ${top} ${models}`;
    const out = (r.stdout + r.stderr).trim();
    if (r.exitCode !== 0 || out) { console.error(`lint ${board.top} (with the models of its vendor IP): FAILED\n${out}`); failed++; }
    else console.log(`lint ${board.top} (with the models of its vendor IP): clean`);
  }
  return failed;
}

/** A board top through synth_xilinx with the core and the vendor IP as black boxes: the shell's own resources.
 *  Yosys 0.23 maps to 7-series cells only; the figures are a size, not an UltraScale+ mapping. */
async function synthBoard(board, dir) {
  const log = path.join(dir, `yosys-${board.name}.log`);
  const { top, models } = boardFiles(board);
  const core = path.join(ROOT, 'hdl', 'core', `${TOP}.v`);
  const vendorModels = models.filter((f) => !YOSYS_XILINX_CELLS.has(path.basename(f, '.v')));
  const script = `read_verilog -sv -I${HDL_INCLUDE} ${[...shellSources(board), ...hdlSources(['common']), ...top].join(' ')}; `
    + `read_verilog -lib -sv -I${HDL_INCLUDE} ${[core, ...vendorModels].join(' ')}; synth_xilinx -top ${board.top}; stat`;
  const t0 = Date.now();
  const r = await $`yosys -q -l ${log} -p ${script}`;
  const text = await fs.readFile(log, 'utf8').catch(() => '');
  const warnings = text.split('\n').filter((l) => /^Warning:/.test(l) && !YOSYS_BRAM_PORT_QUIRK.test(l));
  const cells = cellCounts(text, board.top);
  const blackBoxes = [TOP, ...vendorModels.map((f) => path.basename(f, '.v'))].filter((m) => cells[m]);
  return {
    board: board.name, top: board.top, part: board.part, ok: r.exitCode === 0 && warnings.length === 0, warnings,
    seconds: (Date.now() - t0) / 1000, blackBoxes, errors: r.exitCode === 0 ? '' : (r.stderr || text.slice(-2000)),
    shell: { luts: sum(cells, /^LUT\d$/), ffs: sum(cells, /^FD/), lutram: sum(cells, /^RAM\d+[MSX]/), bram: sum(cells, /^RAMB/), carry: sum(cells, /^CARRY/), dsp: sum(cells, /^DSP/) },
    device: { luts: board.lut, ffs: board.ff, bram: board.bram, dsp: board.dsp },
  };
}
// primitives Yosys' synth_xilinx knows itself: their models are for Verilator only
const YOSYS_XILINX_CELLS = new Set(['IBUF', 'IBUFDS_GTE4', 'BUFG', 'OBUF', 'MMCME2_BASE']);

// Yosys 0.23's synth_xilinx warns for every block RAM it maps: its RAMB36E1/RAMB18E1 mapping connects the
// data and write-enable ports at the widths of a newer cell model. A bare 1-write/1-read memory of any shape
// (64K x 1 to 2K x 210) gives the same warnings, so they say nothing about our RTL; they are the only ones
// let through.
const YOSYS_BRAM_PORT_QUIRK = /^Warning: Resizing cell port \S+\.(DIADI|DIBDI|DOADO|DOBDO|DIPADIP|DIPBDIP|DOPADOP|DOPBDOP|WEA|WEBWE) from (64|8|4) bits to (32|16|4|2) bits\.$/;

function cellCounts(log, top) {
  // the totals of the last statistics block: "design hierarchy" when the netlist kept its hierarchy,
  // else the top module's own block
  const hier = log.lastIndexOf('=== design hierarchy ===');
  const at = hier >= 0 ? hier : log.lastIndexOf(`=== ${top} ===`);
  const end = log.indexOf('\n\n\n', at);
  const block = log.slice(at, end > 0 ? end : undefined);
  const cells = {};
  const from = block.indexOf('Number of cells:');
  for (const m of block.slice(from).matchAll(/^\s+(\S+)\s+(\d+)$/gm)) cells[m[1]] = Number(m[2]);
  return cells;
}

function sum(cells, re) {
  return Object.entries(cells).filter(([k]) => re.test(k)).reduce((n, [, v]) => n + v, 0);
}

// Both keep the module hierarchy (synth_xilinx does by default, synth_ice40 with -noflatten): flattened,
// Yosys' opt_share works through the walk's mux trees around every constant multiplier of bcd_to_binary
// and was still running after 9 CPU-minutes when stopped (unflattened, all of synth_ice40 takes about 5).
// ice40 synthesises the timing harness (the core plus a 128-bit LFSR driving its inputs, 129 FFs more)
// because nextpnr needs a design with few pins; xilinx synthesises the core alone.
async function synth(target, dir) {
  const log = path.join(dir, `yosys-${target}.log`);
  const top = target === 'ice40' ? FMAX_TOP : TOP;
  // the core's own sources only: what else Yosys has read moves abc's mapping (see moduleSources)
  const files = target === 'ice40' ? fmaxSources() : moduleSources(TOP);
  const json = path.join(dir, `${target}.json`);
  const script = `read_verilog -sv -I${HDL_INCLUDE} ${files.join(' ')}; synth_${target} -top ${top}${target === 'ice40' ? ` -noflatten -json ${json}` : ''}; stat`;
  const t0 = Date.now();
  const r = await $`yosys -q -l ${log} -p ${script}`;
  const text = await fs.readFile(log, 'utf8').catch(() => '');
  const warnings = text.split('\n').filter((l) => /^Warning:/.test(l) && !(target === 'xilinx' && YOSYS_BRAM_PORT_QUIRK.test(l)));
  const cells = cellCounts(text, top);
  const summary = target === 'ice40'
    ? { luts: cells.SB_LUT4 ?? 0, ffs: sum(cells, /^SB_DFF/), bram: cells.SB_RAM40_4K ?? 0, carry: cells.SB_CARRY ?? 0 }
    : { luts: sum(cells, /^LUT\d$/), ffs: sum(cells, /^FD/), lutram: sum(cells, /^RAM\d+[MSX]/), bram: sum(cells, /^RAMB/), carry: sum(cells, /^CARRY/), dsp: sum(cells, /^DSP/) };
  return { target, top, ok: r.exitCode === 0 && warnings.length === 0, exitCode: r.exitCode, warnings, seconds: (Date.now() - t0) / 1000, ...summary, json, errors: r.exitCode === 0 ? '' : (r.stderr || text.slice(-2000)) };
}

/** nextpnr-ice40 place and route on an HX8K; the Fmax it reports for clk. */
async function fmax(json, dir) {
  const t0 = Date.now();
  const r = await $`nextpnr-ice40 --hx8k --package ct256 --json ${json} --pcf-allow-unconstrained --freq 100 --seed 1 --log ${path.join(dir, 'nextpnr.log')}`;
  const text = await fs.readFile(path.join(dir, 'nextpnr.log'), 'utf8').catch(() => r.stderr);
  const all = [...text.matchAll(/Max frequency for clock\s+'[^']*':\s+([\d.]+) MHz/g)];
  const util = /ICESTORM_LC:\s+(\d+)\/\s*(\d+)/.exec(text);
  return {
    ok: r.exitCode === 0 && all.length > 0,
    fmaxMHz: all.length ? Number(all.at(-1)[1]) : null,
    logicCells: util ? `${util[1]}/${util[2]}` : null,
    seconds: (Date.now() - t0) / 1000,
    error: r.exitCode === 0 ? '' : text.split('\n').filter((l) => /ERROR/.test(l)).join('\n'),
  };
}

// The modules the core is made of. Left out: the core itself and order_path, which only wire measured modules
// together; flattened, Yosys 0.23 ran over 10 CPU-minutes on order_path (abc9 and sta fail on its block RAMs
// and DSPs, so it goes through every flow) without a report.
const COMPOSITIONS = [TOP, 'order_path'];
const TIMED = CORES.filter((m) => !COMPOSITIONS.includes(m));

/** Runs the jobs, as many at once as there are cores, in the order given (longest first keeps the cores busy
 *  to the end). */
async function pool(jobs) {
  const queue = [...jobs];
  const worker = async () => { for (let job = queue.shift(); job; job = queue.shift()) await job(); };
  await Promise.all(Array.from({ length: Math.max(1, os.cpus().length) }, worker));
}

/** The jobs that time every module, and the table they fill (in TIMED order). */
function moduleTimingJobs(dir) {
  const found = {};
  // the biggest first (source size stands for synthesis time), so that no long run starts last
  const size = (m) => moduleSources(m).reduce((n, f) => n + fs.statSync(f).size, 0);
  const { abcFlow } = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'timing-budgets.json'), 'utf8'));
  const jobs = [...TIMED].sort((a, b) => size(b) - size(a)).map((m) => async () => {
    const { module: _m, family: _f, ...figures } = await moduleTiming(m, dir, undefined, { skipAbc9: abcFlow.includes(m) });
    found[m] = figures;
  });
  return { jobs, modules: () => Object.fromEntries(TIMED.map((m) => [m, found[m]])) };
}

async function timeModules(dir) {
  const { jobs, modules } = moduleTimingJobs(dir);
  await pool(jobs);
  return modules();
}

/** Every module within its budgets (scripts/timing-budgets.json: sta's figure and the one with the carry
 *  chains), and every module has both. */
function checkBudgets(modules) {
  const budgets = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'timing-budgets.json'), 'utf8'));
  const withCarry = Object.fromEntries(Object.entries(modules).map(([n, m]) => [n, { pathPs: m.withCarry?.pathPs ?? Infinity }]));
  let ok = true;
  for (const [label, figures, limits] of [['sta', modules, budgets.modules], ['with carry', withCarry, budgets.withCarry]]) {
    const r = timingAgainstBudgets(figures, { ...budgets, modules: limits });
    for (const e of r.errors) console.error(`timing (${label}): ${e}`);
    for (const n of r.notes) console.log(`timing (${label}): ${n}`);
    ok &&= r.ok;
  }
  return ok;
}

function printTiming(modules) {
  console.log('worst path per module: Yosys sta after synth_xilinx -abc9 -flatten, 7-series cell timing (Yosys 0.23 has none for');
  console.log('UltraScale+). sta skips the CARRY4 and MUXF7/8 arcs; "with carry" is the same netlist timed again with them');
  console.log('(scripts/netlist-sta.mjs, the delays of Yosys\' cell library); "chain" is the longest carry chain, in CARRY4 cells');
  console.log('module                   LUTs    FFs  BRAM  DSP   sta ps  levels  from      chain   with carry ps  levels  carry cells');
  for (const [name, m] of Object.entries(modules)) {
    const w = m.withCarry;
    const untimed = w?.untimed?.length ? `  (not timed: ${w.untimed.join(', ')})` : '';
    console.log(`${name.padEnd(22)} ${String(m.lut).padStart(6)} ${String(m.ff).padStart(6)} ${String(m.bram).padStart(5)} ${String(m.dsp).padStart(4)} ${String(m.pathPs ?? '-').padStart(8)} ${String(m.lutLevels ?? '-').padStart(7)}  ${String(m.from ?? '-').padEnd(9)} ${String(m.longestCarryChain ?? '-').padStart(5)} ${String(w?.pathPs ?? '-').padStart(15)} ${String(w?.lutLevels ?? '-').padStart(7)} ${String(w?.carryCells ?? '-').padStart(12)}${m.note ? `  (${m.note})` : ''}${untimed}`);
  }
}

if (mode === 'lint') {
  process.exit((await lint()) ? 1 : 0);
} else if (mode === 'synth') {
  // logs and netlists stay in build/synth/ for a closer look
  const dir = path.join(ROOT, 'build', 'synth');
  await fs.mkdirp(dir);
  // One pool for everything: the whole-core syntheses first (ice40, then its place and route, is the longest
  // chain), then the boards, then (with --timing) the per-module runs fill the cores while those finish.
  let pnr;
  const results = [];
  const boards = [];
  const timed = timing ? moduleTimingJobs(dir) : { jobs: [], modules: () => undefined };
  pnr = { ok: true, skipped: true, fmaxMHz: null, logicCells: null, error: '' };
  await pool([
    ...(ice40 ? [async () => {
      results[0] = await synth('ice40', dir);
      pnr = results[0].ok ? await fmax(results[0].json, dir) : { ok: false, fmaxMHz: null, logicCells: null, error: 'ice40 synthesis failed' };
    }] : []),
    async () => { results[1] = await synth('xilinx', dir); },
    ...BOARDS.map((b, i) => async () => { boards[i] = await synthBoard(b, dir); }),
    ...timed.jobs,
  ]);
  const xilinx = results[1];
  if (!ice40) results.shift();
  for (const b of boards) {
    // the whole card: the shell as synthesised here, plus the core from the full synthesis above
    b.total = { luts: b.shell.luts + xilinx.luts, ffs: b.shell.ffs + xilinx.ffs, bram: b.shell.bram + xilinx.bram, dsp: b.shell.dsp + xilinx.dsp };
  }
  for (const r of results) delete r.json;
  const modules = timed.modules();
  if (modules) await fs.writeFile(path.join(dir, 'timing.json'), JSON.stringify({ modules, date: new Date().toISOString() }, null, 2));
  const report = { top: TOP, results, boards, fmaxMHz: pnr.fmaxMHz, nextpnr: pnr, modules, date: new Date().toISOString() };
  await fs.writeFile(path.join(dir, 'report.json'), JSON.stringify(report, null, 2));
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`synthesis of ${TOP} (Yosys; ice40 includes the ${FMAX_TOP} timing harness)`);
    console.log('target   ok     LUTs     FFs   BRAM  LUTRAM  CARRY   DSP  seconds');
    for (const r of results) {
      console.log(`${r.target.padEnd(8)} ${String(r.ok).padEnd(5)} ${String(r.luts).padStart(6)} ${String(r.ffs).padStart(7)} ${String(r.bram).padStart(6)} ${String(r.lutram ?? '-').padStart(7)} ${String(r.carry).padStart(6)} ${String(r.dsp ?? '-').padStart(5)} ${r.seconds.toFixed(1).padStart(8)}`);
      for (const w of r.warnings) console.log(`  ${w}`);
      if (r.errors) console.log(r.errors);
    }
    if (pnr.skipped) console.log('ice40 synthesis and nextpnr-ice40: not run (--no-ice40)');
    else console.log(pnr.ok
      ? `nextpnr-ice40 (HX8K): ${pnr.logicCells} logic cells, Fmax ${pnr.fmaxMHz} MHz (${pnr.seconds.toFixed(1)} s)`
      : `nextpnr-ice40 (HX8K): no Fmax${pnr.logicCells ? ` (the design needs ${pnr.logicCells} logic cells)` : ''}: ${pnr.error}`);
    for (const b of boards) {
      const pct = (k) => `${(100 * b.total[k] / b.device[k]).toFixed(1)} %`;
      console.log(`board ${b.board} (${b.top}, ${b.part}; black boxes: ${b.blackBoxes.join(', ')}): ok ${b.ok}, shell ${b.shell.luts} LUTs, ${b.shell.ffs} FFs, ${b.shell.lutram} LUTRAM, ${b.shell.bram} BRAM (${b.seconds.toFixed(1)} s)`);
      console.log(`  with the core: ${b.total.luts} LUTs (${pct('luts')} of the part), ${b.total.ffs} FFs (${pct('ffs')}), ${b.total.bram} BRAM (${pct('bram')}), ${b.total.dsp} DSP (${pct('dsp')}); 7-series cells, vendor IP not counted`);
      for (const w of b.warnings) console.log(`  ${w}`);
      if (b.errors) console.log(b.errors);
    }
    if (modules) printTiming(modules);
  }
  // a design that does not fit the HX8K is reported, not a CI failure; synthesis errors and warnings are
  const timingOk = !modules || (Object.values(modules).every((m) => m.pathPs !== null) && (!flags.includes('--check') || checkBudgets(modules)));
  process.exit(results.every((r) => r.ok) && boards.every((b) => b.ok) && timingOk ? 0 : 1);
} else if (mode === 'timing') {
  // the per-module table alone (also part of `synth --timing`)
  const dir = path.join(ROOT, 'build', 'synth');
  await fs.mkdirp(dir);
  const modules = await timeModules(dir);
  await fs.writeFile(path.join(dir, 'timing.json'), JSON.stringify({ modules, date: new Date().toISOString() }, null, 2));
  if (json) console.log(JSON.stringify({ modules }, null, 2));
  else printTiming(modules);
  const measured = Object.values(modules).every((m) => m.pathPs !== null);
  process.exit(measured && (!flags.includes('--check') || checkBudgets(modules)) ? 0 : 1);
} else {
  console.error('usage: rtl-check.mjs lint | synth [--json] [--timing [--check]] | timing [--json] [--check]');
  process.exit(2);
}
