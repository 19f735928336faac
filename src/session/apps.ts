// What a session does with the application messages it receives (`tickgate session --app`).
import { MSG, TAG } from './codec.js';
import { fillFor } from './orders.js';
import type { AppMessage, FixSession } from './session.js';

export type AppName = 'fill' | 'echo' | 'print';
export const APPS: readonly AppName[] = ['fill', 'echo', 'print'];

/** One NDJSON line for a received application message. */
export function appMessageJson(m: AppMessage): string {
  return JSON.stringify({
    kind: 'app', msgType: m.msgType, seq: m.seq, possDup: m.possDup, possResend: m.possResend,
    fields: m.message.fields, decoded: m.message.decoded,
  });
}

/** Wires an application to a session. `print` writes through `writeLine`. */
export function attachApp(session: FixSession, app: AppName, writeLine: (line: string) => void): void {
  let next = 0;
  // OrderIDs and ExecIDs unique across restarts of the process too (a restarted exchange never repeats one)
  const run = Date.now().toString(36);
  const beginString = session.config.beginString;
  const seen = new RecentIds(SEEN_IDS);
  session.on('app', (m) => {
    // Test Case 19: a PossResend message whose ClOrdID this application has seen is a repeat; one it has
    // not seen is processed as new.
    const id = m.fields.get(TAG.ClOrdID);
    if (app !== 'print' && id !== undefined) {
      if (m.possResend && seen.has(id)) return;
      seen.add(id);
    }
    switch (app) {
      case 'print':
        writeLine(appMessageJson(m));
        return;
      case 'echo':
        session.send(m.msgType, m.fields.body((t) => session.dictionary.isHeader(t)), { replyTo: m, possResend: m.possResend });
        return;
      case 'fill': {
        if (m.msgType === MSG.NewOrderSingle) {
          next++;
          const fill = fillFor(m.fields, beginString, { orderID: `O${run}-${next}`, execID: `E${run}-${next}` });
          session.send(fill.msgType, fill.body, { replyTo: m });
        } else {
          session.send(MSG.BusinessMessageReject, [
            [TAG.RefSeqNum, String(m.seq)], [TAG.Text, 'Unsupported Message Type'], [TAG.RefMsgType, m.msgType],
            [TAG.BusinessRejectReason, '3'],
          ], { replyTo: m });
        }
        return;
      }
    }
  });
}


/** ClOrdIDs remembered for the PossResend check: the most recent ones, so memory stays bounded. */
const SEEN_IDS = 1 << 20;

class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly limit: number) {}
  has(id: string): boolean { return this.ids.has(id); }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value!);
  }
}
