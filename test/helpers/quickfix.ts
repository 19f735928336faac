// QuickFIX peers for the tests; the builders live in bench/peers/quickfix.ts (the bench uses them too).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { quickfixPeer } from '../../bench/peers/quickfix.js';

export { quickfixPeer, quickfixExecutor, startExecutor, freePort, quickfixSettings, waitForPort } from '../../bench/peers/quickfix.js';

/** `count` messages serialised by QuickFIX, back to back. */
export function quickfixMessages(count: number): Buffer {
  return execFileSync(quickfixPeer('qf-messages'), [String(count)], { maxBuffer: 1 << 28 });
}

/** What QuickFIX logged as received from `sender` (screen log): MsgSeqNums of fresh messages, of PossDup
 *  resends, and the numbers covered by gap fills; plus the texts of everything it sent. */
export function quickfixLog(screenLog: string, sender: string): { fresh: number[]; possDup: number[]; gapFilled: number[]; sentTexts: string[] } {
  const fresh: number[] = [];
  const possDup: number[] = [];
  const gapFilled: number[] = [];
  const sentTexts: string[] = [];
  for (const block of readFileSync(screenLog, 'latin1').split(/\n(?=<)/)) {
    const msg = /\((8=[^)]*)\)/.exec(block)?.[1];
    if (!msg) continue;
    if (block.includes('outgoing>')) {
      const text = /\x0158=([^\x01]*)\x01/.exec(msg)?.[1];
      if (text) sentTexts.push(text);
      continue;
    }
    if (!msg.includes(`\x0149=${sender}\x01`)) continue;
    const seq = Number(/\x0134=(\d+)\x01/.exec(msg)![1]);
    if (msg.includes('\x0135=4\x01') && msg.includes('\x01123=Y\x01')) {
      const next = Number(/\x0136=(\d+)\x01/.exec(msg)![1]);
      for (let s = seq; s < next; s++) gapFilled.push(s);
    } else {
      (msg.includes('\x0143=Y\x01') ? possDup : fresh).push(seq);
    }
  }
  return { fresh, possDup, gapFilled, sentTexts };
}

