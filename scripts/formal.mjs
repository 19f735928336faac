#!/usr/bin/env node
// Formal proofs of the cores' FORMAL properties with yosys-smtbmc (z3), and the mutations that must break them.
//
//   npm run formal                 every proof, then every mutation (CI runs this)
//   npm run formal -- --only axis_fifo,token_bucket   some proofs (and their mutations)
//   npm run formal -- --no-mutations | --json
//
// A proof is bounded model checking from reset to `depth` cycles and, where `induction` is set, k-induction
// of the same depth (the properties then hold in every reachable state, not only the first `depth` cycles).
// Each mutation breaks the RTL on purpose (one textual change in one file) and must make its proof fail:
// a proof that passes on a broken design checks nothing. The properties live in the RTL under `ifdef FORMAL`
// (hdl/formal/axis_rules.vh has the AXI-Stream rules); jobs and mutations are in scripts/formal-jobs.mjs.
// Writes build/formal/report.json.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HDL_INCLUDE, ROOT, coreSources, hdlSources } from './rtl-sources.mjs';
import { JOBS, MUTATIONS } from './formal-jobs.mjs';

const FORMAL_INCLUDE = path.join(ROOT, 'hdl', 'formal');
const OUT = path.join(ROOT, 'build', 'formal');
// Solvers from Debian 12: z3 4.8 by default, cvc4 1.8 where z3 takes minutes (a job's `solver`); each is far
// faster than the other on some proofs. Debian's boolector (2013) breaks yosys-smtbmc's pipe.
const DEFAULT_SOLVER = 'z3';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const only = option('--only')?.split(',');
const json = flag('--json');
const withMutations = !flag('--no-mutations');

function run(cmd, argv, opts = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const p = spawn(cmd, argv, { cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const timer = opts.timeoutSec ? setTimeout(() => p.kill('SIGKILL'), opts.timeoutSec * 1000) : undefined;
    p.on('error', (e) => { out += String(e); });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, signal, out, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** The Yosys script that turns a job into an SMT-LIB2 model: the job's top keeps its assumptions, every module
 * below it has them turned into assertions (a submodule's input rules are then checked against its neighbours). */
function yosysScript(job, files, smt2) {
  const params = Object.entries(job.params ?? {}).map(([k, v]) => `-set ${k} ${v}`).join(' ');
  return [
    `read_verilog -formal -sv -DFORMAL -DFORMAL_TOP_${job.top} -I ${HDL_INCLUDE} -I ${FORMAL_INCLUDE} ${files.join(' ')}`,
    ...(params ? [`chparam ${params} ${job.top}`] : []),
    `prep -top ${job.top}`,
    'chformal -assume2assert A:top %n',
    'flatten',
    // a proof of the top's own properties only: what came from submodules has a '|' in its source chain
    ...(job.ownPropertiesOnly ? ['chformal -assert -remove a:src=*|*'] : []),
    'memory_nordff',
    'async2sync',
    'chformal -assume -early',
    'opt_clean',
    'setundef -anyseq',
    'opt -keepdc -fast',
    'check -assert',
    'dffunmap',
    `write_smt2 -wires ${smt2}`,
  ].join('\n');
}

function status(out) {
  const m = out.match(/Status: (PASSED|FAILED)/);
  return m ? m[1] : 'ERROR';
}

/** Builds the model and runs BMC, then induction; resolves to what happened. */
async function prove(job, dir, files) {
  mkdirSync(dir, { recursive: true });
  const smt2 = path.join(dir, 'model.smt2');
  const script = path.join(dir, 'model.ys');
  writeFileSync(script, yosysScript(job, files, smt2));
  const y = await run('yosys', ['-q', '-l', path.join(dir, 'yosys.log'), script]);
  if (y.code !== 0) return { ok: false, stage: 'yosys', detail: lastLines(y.out), seconds: y.seconds };
  const timeoutSec = job.timeoutSec ?? 300;
  const solver = job.solver ?? DEFAULT_SOLVER;
  const bmc = await run('yosys-smtbmc', ['--noprogress', '-s', solver, '-t', String(job.depth), '--dump-vcd', path.join(dir, 'bmc.vcd'), smt2], { timeoutSec });
  writeFileSync(path.join(dir, 'bmc.log'), bmc.out);
  const result = { bmc: bmc.signal ? 'TIMEOUT' : status(bmc.out), seconds: y.seconds + bmc.seconds };
  if (result.bmc !== 'PASSED') return { ...result, ok: false, stage: 'bmc', detail: failedAssertions(bmc.out) };
  if (!job.induction) return { ...result, ok: true };
  const ind = await run('yosys-smtbmc', ['--noprogress', '-s', solver, '-i', '-t', String(job.depth), '--dump-vcd', path.join(dir, 'induction.vcd'), smt2], { timeoutSec });
  writeFileSync(path.join(dir, 'induction.log'), ind.out);
  result.induction = ind.signal ? 'TIMEOUT' : status(ind.out);
  result.seconds += ind.seconds;
  return result.induction === 'PASSED' ? { ...result, ok: true } : { ...result, ok: false, stage: 'induction', detail: failedAssertions(ind.out) };
}

function lastLines(s, n = 8) { return s.trim().split('\n').slice(-n).join('\n'); }
function failedAssertions(out) {
  const lines = out.split('\n').filter((l) => /Assert failed|failed|TIMEOUT|Error|error/i.test(l)).map((l) => l.replace(/^##\s+\S+\s+/, ''));
  return lines.slice(0, 6).join('\n') || lastLines(out);
}

/** Runs tasks with at most `limit` at a time, in order of submission. */
async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) { const i = next++; results[i] = await tasks[i](); }
  }));
  return results;
}

function mutatedSources(mutation, dir) {
  const file = path.join(ROOT, mutation.file);
  const text = readFileSync(file, 'utf8');
  const hits = text.split(mutation.from).length - 1;
  if (hits !== 1) throw new Error(`mutation ${mutation.name}: "${mutation.from}" occurs ${hits} times in ${mutation.file}, not once`);
  mkdirSync(dir, { recursive: true });
  const copy = path.join(dir, path.basename(file));
  writeFileSync(copy, text.replace(mutation.from, mutation.to));
  return jobSources(JOBS.find((j) => j.name === mutation.job)).map((f) => (f === file ? copy : f));
}

/** The core's sources, and the board shells' too for a job whose top is a shell's module. */
function jobSources(job) {
  const core = coreSources();
  return core.some((f) => path.basename(f, '.v') === job.top) ? core : hdlSources();
}

const jobs = JOBS.filter((j) => !only || only.includes(j.name));
if (only) for (const name of only) if (!JOBS.some((j) => j.name === name)) { console.error(`formal: no proof named ${name}`); process.exit(2); }
const mutations = withMutations ? MUTATIONS.filter((m) => jobs.some((j) => j.name === m.job)) : [];
const limit = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
const started = Date.now();

const proofTasks = jobs.map((job) => async () => {
  const r = await prove(job, path.join(OUT, job.name), jobSources(job));
  const line = `proof ${job.name}: ${r.ok ? 'PASSED' : 'FAILED'} (BMC ${job.depth} cycles: ${r.bmc ?? '-'}` +
    `${job.induction ? `, induction: ${r.induction ?? '-'}` : ', no induction'}; ${r.seconds.toFixed(1)} s)`;
  if (!json) console.log(r.ok ? line : `${line}\n  ${(r.detail ?? '').split('\n').join('\n  ')}`);
  return { name: job.name, top: job.top, what: job.what, solver: job.solver ?? DEFAULT_SOLVER, depth: job.depth, inductionExpected: job.induction ?? false, ...r };
});
const mutationTasks = mutations.map((m) => async () => {
  const job = JOBS.find((j) => j.name === m.job);
  const dir = path.join(OUT, 'mutations', m.name);
  const r = await prove(job, dir, mutatedSources(m, dir));
  // caught: a property fails (a solver that gives up has caught nothing)
  const caught = (r.stage === 'bmc' && r.bmc === 'FAILED') || (r.stage === 'induction' && r.induction === 'FAILED');
  const outcome = caught ? `caught by ${r.stage}` : r.stage === 'yosys' ? 'DID NOT BUILD' : r.ok ? 'SURVIVED' : 'TIMEOUT';
  const line = `mutation ${m.name} (${m.job}): ${outcome} — ${m.breaks}`;
  if (!json) console.log(caught ? line : `${line}\n  ${(r.detail ?? '').split('\n').join('\n  ')}`);
  return { name: m.name, job: m.job, breaks: m.breaks, caught, stage: r.stage ?? null, seconds: r.seconds };
});

const all = await pool([...proofTasks, ...mutationTasks], limit);
const proofs = all.slice(0, proofTasks.length);
const muts = all.slice(proofTasks.length);
const report = { seconds: (Date.now() - started) / 1000, proofs, mutations: muts };
mkdirSync(OUT, { recursive: true });
writeFileSync(path.join(OUT, 'report.json'), JSON.stringify(report, null, 2) + '\n');
if (json) console.log(JSON.stringify(report, null, 2));
const failed = proofs.filter((p) => !p.ok).length;
const survived = muts.filter((m) => !m.caught).length;
console.error(`formal: ${proofs.length - failed}/${proofs.length} proofs passed, ${muts.length - survived}/${muts.length} mutations caught in ${report.seconds.toFixed(0)} s`);
process.exit(failed || survived ? 1 : 0);
