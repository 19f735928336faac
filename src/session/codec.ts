// Outbound messages as QuickFIX writes them: 8, 9, 35 first, the other header fields in ascending tag order,
// the body in the order given, CheckSum last. Inbound messages arrive already split by the device
// (src/fix/message-assembler.ts); this file only reads fields out of them.
import { buildMessage, type FieldList } from '../fix/message.js';

export const TAG = {
  BeginSeqNo: 7, BeginString: 8, BodyLength: 9, CheckSum: 10, ClOrdID: 11, CumQty: 14, EndSeqNo: 16,
  ExecID: 17, LastPx: 31, LastQty: 32, MsgSeqNum: 34, MsgType: 35, NewSeqNo: 36, OrderID: 37,
  OrderQty: 38, OrdStatus: 39, OrdType: 40, PossDupFlag: 43, Price: 44, PossResend: 97, RefSeqNum: 45, SenderCompID: 49,
  SendingTime: 52, Side: 54, Symbol: 55, TargetCompID: 56, Text: 58, TransactTime: 60, EncryptMethod: 98,
  HeartBtInt: 108, TestReqID: 112, OrigSendingTime: 122, GapFillFlag: 123, ResetSeqNumFlag: 141,
  ExecType: 150, LeavesQty: 151, AvgPx: 6, RefTagID: 371, RefMsgType: 372, SessionRejectReason: 373,
  BusinessRejectRefID: 379, BusinessRejectReason: 380, Username: 553, Password: 554,
  DefaultApplVerID: 1137,
} as const;

export const MSG = {
  Heartbeat: '0', TestRequest: '1', ResendRequest: '2', Reject: '3', SequenceReset: '4', Logout: '5',
  ExecutionReport: '8', Logon: 'A', NewOrderSingle: 'D', OrderCancelRequest: 'F',
  OrderCancelReplaceRequest: 'G', BusinessMessageReject: 'j',
} as const;

export const ADMIN_TYPES: ReadonlySet<string> = new Set(['0', '1', '2', '3', '4', '5', 'A']);

/** UTCTIMESTAMP with milliseconds: YYYYMMDD-HH:MM:SS.sss */
export function fixTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-25T21:40:00.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 23)}`;
}

/** Milliseconds since the epoch of a UTCTIMESTAMP, or NaN. */
export function parseFixTime(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3})\d{0,6})?$/.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, ms] = m;
  return Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, ms ? +ms : 0);
}

export interface OutboundHeader {
  beginString: string;
  msgType: string;
  senderCompID: string;
  targetCompID: string;
  msgSeqNum: number;
  sendingTime: string;
  possDup?: boolean;
  origSendingTime?: string;
  /** More header fields (third-party routing), placed in tag order with the others. */
  extra?: FieldList;
}

export function encodeMessage(h: OutboundHeader, body: FieldList): Buffer {
  const header: Array<[number, string]> = [
    [TAG.MsgSeqNum, String(h.msgSeqNum)],
    [TAG.SenderCompID, h.senderCompID],
    [TAG.SendingTime, h.sendingTime],
    [TAG.TargetCompID, h.targetCompID],
  ];
  if (h.possDup) header.push([TAG.PossDupFlag, 'Y']);
  if (h.origSendingTime !== undefined) header.push([TAG.OrigSendingTime, h.origSendingTime]);
  for (const [t, v] of h.extra ?? []) header.push([t, v]);
  header.sort((a, b) => a[0] - b[0]);
  return buildMessage(h.beginString, [[TAG.MsgType, h.msgType], ...header, ...body]);
}

/** Third-party routing (Test Case 18): OnBehalfOf* of a message becomes DeliverTo* of the reply, and back. */
const ROUTING_REVERSED: ReadonlyArray<[number, number]> = [[115, 128], [116, 129], [144, 145], [128, 115], [129, 116], [145, 144]];

export function replyRouting(received: Fields): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (const [from, to] of ROUTING_REVERSED) {
    const v = received.get(from);
    // An empty routing tag names nobody: nothing to send back (QuickFIX does the same).
    if (v) out.push([to, v]);
  }
  return out;
}

/** Field access on a received message's field list (first occurrence). */
export class Fields {
  private readonly first = new Map<number, string>();
  constructor(readonly list: ReadonlyArray<readonly [number, string]>) {
    for (const [t, v] of list) if (!this.first.has(t)) this.first.set(t, v);
  }
  get(tag: number): string | undefined { return this.first.get(tag); }
  has(tag: number): boolean { return this.first.has(tag); }
  int(tag: number): number | undefined {
    const v = this.first.get(tag);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  }
  /** The application body: everything after the header fields, without the trailer. */
  body(isHeader: (tag: number) => boolean): Array<[number, string]> {
    return this.list.filter(([t]) => !isHeader(t) && t !== TAG.CheckSum && t !== 93 && t !== 89).map(([t, v]) => [t, v]);
  }
}
