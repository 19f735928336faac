#!/usr/bin/env node
// RTL checks for CI and developers.
//   lint:  verilator --lint-only -Wall with every module as top; any message fails.
//   synth: Yosys synth_ice40 and synth_xilinx of the core; any warning fails; prints resource counts
//          (add --json for a JSON object).
import { $, fs, os, path } from 'zx';
import { CORES, HDL_INCLUDE, hdlSources, TOP } from './rtl-sources.mjs';

$.quiet = true;
$.nothrow = true;
const [mode = 'lint', ...flags] = process.argv.slice(2);
const json = flags.includes('--json');
const sources = hdlSources();

async function lint() {
  let failed = 0;
  for (const top of CORES) {
    const r = await $`verilator --lint-only -Wall -I${HDL_INCLUDE} --top-module ${top} ${sources}`;
    const out = (r.stdout + r.stderr).trim();
    if (r.exitCode !== 0 || out) { console.error(`lint ${top}: FAILED\n${out}`); failed++; }
    else console.log(`lint ${top}: clean`);
  }
  return failed;
}

function cellCounts(log, top) {
  // the last "=== top ===" statistics block of the log
  const at = log.lastIndexOf(`=== ${top} ===`);
  const block = log.slice(at, log.indexOf('\n\n\n', at) > 0 ? log.indexOf('\n\n\n', at) : undefined);
  const cells = {};
  for (const m of block.matchAll(/^\s+(\S+)\s+(\d+)$/gm)) cells[m[1]] = Number(m[2]);
  return cells;
}

function sum(cells, re) {
  return Object.entries(cells).filter(([k]) => re.test(k)).reduce((n, [, v]) => n + v, 0);
}

async function synth(target) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tickgate-synth-'));
  const log = path.join(dir, 'yosys.log');
  const script = `read_verilog -sv -I${HDL_INCLUDE} ${sources.join(' ')}; synth_${target} -top ${TOP}; stat`;
  const t0 = Date.now();
  const r = await $`yosys -q -l ${log} -p ${script}`;
  const text = await fs.readFile(log, 'utf8').catch(() => '');
  await fs.rm(dir, { recursive: true, force: true });
  const warnings = text.split('\n').filter((l) => /^Warning:/.test(l));
  const cells = cellCounts(text, TOP);
  const summary = target === 'ice40'
    ? { luts: cells.SB_LUT4 ?? 0, ffs: sum(cells, /^SB_DFF/), bram: cells.SB_RAM40_4K ?? 0, carry: cells.SB_CARRY ?? 0 }
    : { luts: sum(cells, /^LUT\d$/), ffs: sum(cells, /^FD/), lutram: sum(cells, /^RAM\d+[MSX]/), bram: sum(cells, /^RAMB/), carry: sum(cells, /^CARRY/) };
  return { target, ok: r.exitCode === 0 && warnings.length === 0, exitCode: r.exitCode, warnings, seconds: (Date.now() - t0) / 1000, ...summary, errors: r.exitCode === 0 ? '' : (r.stderr || text.slice(-2000)) };
}

if (mode === 'lint') {
  process.exit((await lint()) ? 1 : 0);
} else if (mode === 'synth') {
  const results = [];
  for (const target of ['ice40', 'xilinx']) results.push(await synth(target));
  if (json) console.log(JSON.stringify({ top: TOP, results }, null, 2));
  else {
    console.log(`synthesis of ${TOP} (Yosys)`);
    console.log('target   ok     LUTs     FFs   BRAM  LUTRAM  CARRY  seconds');
    for (const r of results) {
      console.log(`${r.target.padEnd(8)} ${String(r.ok).padEnd(5)} ${String(r.luts).padStart(6)} ${String(r.ffs).padStart(7)} ${String(r.bram).padStart(6)} ${String(r.lutram ?? '-').padStart(7)} ${String(r.carry).padStart(6)} ${r.seconds.toFixed(1).padStart(8)}`);
      for (const w of r.warnings) console.log(`  ${w}`);
      if (r.errors) console.log(r.errors);
    }
  }
  process.exit(results.every((r) => r.ok) ? 0 : 1);
} else {
  console.error('usage: rtl-check.mjs lint | synth [--json]');
  process.exit(2);
}
