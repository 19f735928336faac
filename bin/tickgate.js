#!/usr/bin/env node
// Entry point of the tickgate CLI; the code is the compiled TypeScript in dist/ (`npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('tickgate: not built yet: run `npm run build` in the tickgate folder\n');
  process.exit(2);
}
// A reader that closes the output early (`tickgate decode itch day.pcap | head`) ends tickgate as it ends cat:
// quietly, with the status of a process killed by SIGPIPE.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(128 + 13);
  throw err;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
