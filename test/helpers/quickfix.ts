// QuickFIX (Debian's libquickfix-dev) as a source of real-engine FIX messages: builds test/peers/*.cpp
// into build/peers/ when stale and runs them. Fails with the install command when QuickFIX is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const HEADER = '/usr/include/quickfix/Message.h';

/** Path of the built peer program `name` (test/peers/<name>.cpp). */
export function quickfixPeer(name: string): string {
  if (!existsSync(HEADER)) {
    throw new Error('QuickFIX headers are missing: run `sudo apt-get install -y libquickfix-dev` (npm test does it when root)');
  }
  const src = path.join(root, 'test', 'peers', `${name}.cpp`);
  const bin = path.join(root, 'build', 'peers', name);
  if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(path.dirname(bin), { recursive: true });
    // QuickFIX 1.15's headers use dynamic exception specifications: C++14 at the latest
    execFileSync('g++', ['-std=c++14', '-O1', '-o', bin, src, '-lquickfix', '-lpthread'], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  return bin;
}

/** `count` messages serialised by QuickFIX, back to back. */
export function quickfixMessages(count: number): Buffer {
  return execFileSync(quickfixPeer('qf-messages'), [String(count)], { maxBuffer: 1 << 28 });
}
