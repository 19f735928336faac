#!/usr/bin/env node
// `npm run bitstream -- <card> [core_mhz=<MHz>] [jobs=<n>]`: runs the card's Vivado build
// (hdl/boards/<card>/build.tcl) in batch mode; the bitstream and reports land in build/boards/<card>/.
// Without `vivado` on the PATH it says so in one line and exits 2.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cards = readdirSync(path.join(root, 'hdl', 'boards')).filter((d) => existsSync(path.join(root, 'hdl', 'boards', d, 'build.tcl')));
const [card, ...rest] = process.argv.slice(2);

function fail(msg, code = 2) {
  process.stderr.write(`bitstream: ${msg}\n`);
  process.exit(code);
}

if (!card || !cards.includes(card)) fail(`name a card: npm run bitstream -- <card> (cards with a build: ${cards.join(', ')})`);
for (const arg of rest) if (!/^(core_mhz|jobs)=\S+$/.test(arg)) fail(`unknown argument '${arg}' (core_mhz=<MHz>, jobs=<n>)`);
const found = spawnSync('sh', ['-c', 'command -v vivado'], { encoding: 'utf8' });
if (found.status !== 0) {
  fail('vivado is not on the PATH: install Vivado (2022.1 or later, with UltraScale+ devices) and source its settings64.sh, then run this again');
}
const out = path.join(root, 'build', 'boards', card);
const r = spawnSync('vivado', ['-mode', 'batch', '-nojournal', '-log', path.join(out, 'vivado.log'), '-source', path.join(root, 'hdl', 'boards', card, 'build.tcl'),
  '-tclargs', `out=${out}`, ...rest], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
