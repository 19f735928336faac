#!/usr/bin/env node
// Line (and with --toggle, toggle) coverage of the RTL with Verilator's coverage: builds the coverage variant
// of the addon, runs the RTL test suites on it, merges the per-device coverage files and reports per file.
//   node scripts/coverage.mjs [--json] [--toggle] [--min-line N]
//   (fails when hdl/fix/, hdl/feed/ or hdl/risk/ line coverage is below N %)
import { $, fs, os, path } from 'zx';

$.verbose = false;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const json = process.argv.includes('--json');
const toggle = process.argv.includes('--toggle');
const minAt = process.argv.indexOf('--min-line');
const minLine = minAt > 0 ? Number(process.argv[minAt + 1]) : 0;
const SUITES = ['test/parser.diff.test.ts', 'test/registers.test.ts', 'test/quickfix-messages.test.ts', 'test/ref-parser.test.ts', 'test/feed-core.diff.test.ts', 'test/risk-core.diff.test.ts'];
/** The cores held to --min-line. */
const CHECKED = ['hdl/fix/', 'hdl/feed/', 'hdl/risk/'];

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tickgate-cov-'));
// a build with the other toggle setting is rebuilt
const variant = path.join(root, 'build', 'coverage', 'variant');
const want = toggle ? 'line+toggle' : 'line';
if ((await fs.readFile(variant, 'utf8').catch(() => '')) !== want) await fs.remove(path.join(root, 'build', 'coverage'));
await $({ cwd: root })`make -C sim COVERAGE=1 TOGGLE=${toggle ? 1 : 0} NODE=${process.execPath} -j2`;
await fs.writeFile(variant, want);
// The coverage build runs unoptimised (-O0), several times slower than the test build: fewer fast-check
// runs than `npm test` (coverage needs the lines reached, the bug hunt is npm test's), more time per test.
const runs = { FC_RUNS: process.env.FC_RUNS ?? '300', FC_RUNS_FEED: process.env.FC_RUNS_FEED ?? '25', FC_RUNS_RISK: process.env.FC_RUNS_RISK ?? '40' };
await $({ cwd: root, env: { ...process.env, TICKGATE_ADDON_VARIANT: 'coverage', TICKGATE_COVERAGE_DIR: dir, ...runs } })`npx vitest run --testTimeout 900000 ${SUITES}`;
const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.dat')).map((f) => path.join(dir, f));
if (!files.length) throw new Error('no coverage data written');
const merged = path.join(dir, 'merged.dat');
await $`verilator_coverage --write ${merged} ${files}`;
await $`verilator_coverage --annotate ${path.join(dir, 'annotated')} ${merged}`;

// coverage.dat lines: C '<key/value pairs separated by \x01, key and value by \x02>' count
const points = new Map(); // file -> { line: [hit, total], toggle: [hit, total] }
for (const raw of (await fs.readFile(merged, 'latin1')).split('\n')) {
  const m = /^C '(.*)' (\d+)$/.exec(raw);
  if (!m) continue;
  const kv = Object.fromEntries(m[1].split('\x01').filter(Boolean).map((p) => p.split('\x02')));
  const file = path.relative(root, kv.f ?? '');
  const kind = (kv.page ?? '').startsWith('v_toggle') ? 'toggle' : (kv.page ?? '').startsWith('v_line') || (kv.page ?? '').startsWith('v_branch') ? 'line' : null;
  if (!kind || !file.startsWith('hdl/')) continue;
  const entry = points.get(file) ?? { line: [0, 0], toggle: [0, 0] };
  entry[kind][1]++;
  if (Number(m[2]) > 0) entry[kind][0]++;
  points.set(file, entry);
}
const pct = ([hit, total]) => (total ? (100 * hit) / total : 100);
const rows = [...points.entries()].sort().map(([file, e]) => ({ file, line: pct(e.line), linePoints: e.line, toggle: pct(e.toggle), togglePoints: e.toggle }));
const sum = (pred, kind) => rows.filter((r) => pred(r.file)).reduce((a, r) => [a[0] + r[`${kind}Points`][0], a[1] + r[`${kind}Points`][1]], [0, 0]);
const totals = Object.fromEntries(CHECKED.map((d) => [d, { line: pct(sum((f) => f.startsWith(d), 'line')), toggle: pct(sum((f) => f.startsWith(d), 'toggle')) }]));
if (json) console.log(JSON.stringify({ rows, totals, annotated: path.join(dir, 'annotated') }, null, 2));
else {
  console.log(`RTL coverage (Verilator line/branch${toggle ? ' and toggle' : ''} points hit by the RTL test suites)`);
  const tog = (t, points) => (toggle ? `   toggle ${t.toFixed(1).padStart(5)} %${points ? ` (${points.join('/')})` : ''}` : '');
  for (const r of rows) console.log(`  ${r.file.padEnd(32)} line ${r.line.toFixed(1).padStart(5)} % (${r.linePoints.join('/')})${tog(r.toggle, r.togglePoints)}`);
  for (const [d, t] of Object.entries(totals)) console.log(`  ${d} total: line ${t.line.toFixed(1)} %${tog(t.toggle)}`);
  console.log(`  annotated sources: ${path.join(dir, 'annotated')}`);
}
const low = Object.entries(totals).filter(([, t]) => t.line < minLine);
for (const [d, t] of low) console.error(`coverage: ${d} line coverage ${t.line.toFixed(1)} % is below ${minLine} %`);
if (low.length) process.exit(1);
