// Tests need Verilator and the built addon: fail once, loudly, with the command to run, never skip.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export default function setup(): void {
  try {
    execFileSync('verilator', ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error('Verilator is missing: run `sudo apt-get install -y verilator` (or `npm test`, which installs it)');
  }
  const addon = path.resolve(__dirname, '..', '..', 'build', 'tickgate.node');
  if (!existsSync(addon)) throw new Error('the simulation addon is not built: run `npm run build` (or `npm test`)');
}
