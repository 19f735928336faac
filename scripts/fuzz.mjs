#!/usr/bin/env node
// The standing fuzz campaign: runs the differential and hostile-input properties again and again with fresh
// seeds and many more cases than `npm test` does, for a time or a number of rounds, and prints the seed and
// the command that reproduces any failure.
//   npm run fuzz -- [--minutes M | --rounds N] [--suites fix,itch,risk,input] [--scale K] [--seed S]
// --scale multiplies each property's case count (default 10: ten times npm test's); --seed fixes the first
// round's seed (later rounds count up from it). Failure logs go to build/fuzz/.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Each suite: its test files and the environment variable that sets its case count, with npm test's count.
const SUITES = {
  fix: [
    { file: 'test/parser.diff.test.ts', runs: 'FC_RUNS', base: 1000 },
    { file: 'test/message-assembler.test.ts', runs: 'FC_RUNS', base: 1000, share: 0.1 },   // it runs FC_RUNS / 10
  ],
  itch: [
    { file: 'test/feed-core.diff.test.ts', runs: 'FC_RUNS_FEED', base: 150 },
    { file: 'test/itch-ref.test.ts', runs: 'FC_RUNS', base: 300 },
    { file: 'test/feed-framer.rtl.test.ts', runs: 'FC_RUNS_RTL', base: 40 },
  ],
  risk: [
    { file: 'test/risk-core.diff.test.ts', runs: 'FC_RUNS_RISK', base: 100 },
    { file: 'test/risk.prop.test.ts', runs: 'FC_RUNS', base: 300 },
    { file: 'test/risk-checker.rtl.test.ts', runs: 'FC_RUNS_CHECKER', base: 300 },
  ],
  // raw MoldUDP64 streams, pcap/pcapng frames, configs
  input: [
    { file: 'test/input.fuzz.test.ts', runs: 'FC_RUNS_INPUT', base: 200 },
  ],
};

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' }, rounds: { type: 'string' }, suites: { type: 'string' }, scale: { type: 'string' }, seed: { type: 'string' },
  },
});
const num = (v, name, fallback) => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) { console.error(`fuzz: --${name} must be a positive number, not "${v}"`); process.exit(2); }
  return n;
};
const suites = (values.suites ?? Object.keys(SUITES).join(',')).split(',').map((s) => s.trim());
for (const s of suites) if (!SUITES[s]) { console.error(`fuzz: unknown suite "${s}"; the suites are ${Object.keys(SUITES).join(', ')}`); process.exit(2); }
const scale = num(values.scale, 'scale', 10);
const rounds = values.rounds === undefined ? Infinity : num(values.rounds, 'rounds', 1);
const deadline = Date.now() + 60_000 * num(values.minutes, 'minutes', values.rounds === undefined ? 10 : Infinity);
let seed = values.seed === undefined ? randomInt(1, 2 ** 31 - 1) : num(values.seed, 'seed', 1);

/** fast-check properties in a test file (each runs its case count once per round). */
const properties = (file) => (readFileSync(path.join(root, file), 'utf8').match(/fc\.assert\(/g) ?? []).length;

const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const failures = [];
let cases = 0;
let round = 0;
const started = Date.now();
const logDir = path.join(root, 'build', 'fuzz');
mkdirSync(logDir, { recursive: true });

console.log(`fuzz: suites ${suites.join(', ')}; ${scale}× npm test's cases; ${rounds === Infinity ? `until ${new Date(deadline).toISOString()}` : `${rounds} rounds`}`);
while (round < rounds && Date.now() < deadline) {
  round++;
  for (const suite of suites) {
    for (const t of SUITES[suite]) {
      if (Date.now() >= deadline) break;
      const runs = Math.round(t.base * scale);
      const env = { ...process.env, FC_SEED: String(seed), [t.runs]: String(runs) };
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [vitest, 'run', t.file], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 });
      const tried = Math.round(runs * (t.share ?? 1)) * properties(t.file);
      cases += tried;
      const secs = ((Date.now() - t0) / 1000).toFixed(0);
      if (r.status === 0) {
        console.log(`round ${round} seed ${seed} ${t.file}: ok, ${tried} cases, ${secs} s`);
      } else {
        const log = path.join(logDir, `${seed}-${path.basename(t.file, '.test.ts')}.log`);
        writeFileSync(log, r.stdout + r.stderr);
        const repro = `FC_SEED=${seed} ${t.runs}=${runs} npx vitest run ${t.file}`;
        failures.push({ seed, file: t.file, repro, log });
        console.log(`round ${round} seed ${seed} ${t.file}: FAILED (${secs} s): reproduce with \`${repro}\`, output in ${path.relative(root, log)}`);
      }
    }
  }
  seed = (seed % (2 ** 31 - 2)) + 1;
}
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`fuzz: ${round} rounds in ${minutes} min, ${cases} generated cases, ${failures.length} failures`);
for (const f of failures) console.log(`  seed ${f.seed} ${f.file}: ${f.repro}`);
process.exit(failures.length ? 1 : 0);
