#!/usr/bin/env node
// Entry point of the tickgate CLI; the code is the compiled TypeScript in dist/ (`npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('tickgate: not built yet: run `npm run build` in the tickgate folder\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
