// QuickFIX peers for the tests; the builders live in bench/peers/quickfix.ts (the bench uses them too).
import { execFileSync } from 'node:child_process';
import { quickfixPeer } from '../../bench/peers/quickfix.js';

export { quickfixPeer, quickfixExecutor, startExecutor, freePort, quickfixSettings, waitForPort } from '../../bench/peers/quickfix.js';

/** `count` messages serialised by QuickFIX, back to back. */
export function quickfixMessages(count: number): Buffer {
  return execFileSync(quickfixPeer('qf-messages'), [String(count)], { maxBuffer: 1 << 28 });
}
