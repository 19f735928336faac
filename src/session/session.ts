// The FIX session state machine (FIX Session Layer Test Cases, see ../shared/FIX-SESSION-CASES.md). It
// knows nothing of sockets or devices: messages arrive already framed and checked by the device
// (`receive`), bytes leave through the connection it is attached to, and time comes from `now`.
import { EventEmitter } from 'node:events';
import type { FieldList } from '../fix/message.js';
import type { FixMessage } from '../fix/message-assembler.js';
import { ADMIN_TYPES, encodeMessage, Fields, fixTime, MSG, parseFixTime, replyRouting, TAG } from './codec.js';
import type { SessionConfig } from './config.js';
import type { FixDictionary } from './dictionary.js';
import type { MessageStore } from './store.js';
import { executionReportOf, newOrderSingle, type ExecutionReport, type Order } from './orders.js';
import { REJECT_REASON, validateMessage } from './validate.js';

export type SessionState = 'disconnected' | 'awaiting_logon' | 'active' | 'logging_out';

/** Where the session's bytes go: one TCP (or TLS) connection. `app` marks application messages, which
 *  take the device's order path; admin messages go straight out, in the same order. */
export interface Connection {
  /** false: the connection holds more than it should (the peer is slow to read); the session holds back
   *  what it sends next until connectionDrained() is called. */
  write(bytes: Buffer, kind: { app: boolean; msgType: string; seq: number }): boolean | void;
  close(): void;
}

/** A message waiting for the connection to drain, as transmit() was given it. */
interface HeldBack {
  msgType: string; seq: number; sendingTime: string; body: FieldList;
  o: { app: boolean; possDup?: boolean; origSendingTime?: string; extra?: FieldList };
}

/** A received application message, as the strategy sees it. */
export interface AppMessage {
  msgType: string;
  seq: number;
  possDup: boolean;
  /** PossResend (97): the application decides whether it has seen the message already (Test Case 19). */
  possResend: boolean;
  fields: Fields;
  /** The device's record of the message (offsets, device timestamp). */
  message: FixMessage;
}

export interface SessionEvent {
  type: 'connected' | 'logon' | 'logout' | 'disconnected' | 'gap' | 'resend' | 'reject_sent' | 'reject_received'
    | 'ignored' | 'sequence_reset' | 'test_request' | 'info';
  text: string;
  [key: string]: unknown;
}

export interface Rejection {
  kind: 'session' | 'business' | 'order' | 'cancel';
  /** The MsgSeqNum of our message that was refused, when given (45). */
  refSeqNum: number | null;
  /** SessionRejectReason (373), BusinessRejectReason (380), OrdRejReason (103) or CxlRejReason (102). */
  reason: string | null;
  /** Session rejects: the tag at fault (371). */
  refTagID: number | null;
  text: string | null;
  clOrdID: string | null;
}

function rejectOf(msgType: string, f: Fields): Rejection | null {
  const common = { refSeqNum: f.int(TAG.RefSeqNum) ?? null, refTagID: null, text: f.get(TAG.Text) ?? null, clOrdID: f.get(TAG.ClOrdID) ?? null };
  if (msgType === MSG.BusinessMessageReject) return { kind: 'business', ...common, reason: f.get(TAG.BusinessRejectReason) ?? null };
  if (msgType === MSG.ExecutionReport && f.get(TAG.OrdStatus) === '8') return { kind: 'order', ...common, reason: f.get(103) ?? null };
  if (msgType === '9') return { kind: 'cancel', ...common, reason: f.get(102) ?? null };
  return null;
}

export interface SendOptions {
  /** The message this one answers: its third-party routing comes back reversed (Test Case 18). */
  replyTo?: AppMessage;
  /** PossResend (97=Y) in the header. */
  possResend?: boolean;
}

export interface SessionEvents {
  app: [AppMessage];
  /** Execution reports (35=8), typed, for strategies; also delivered as `app`. */
  execution: [ExecutionReport, AppMessage];
  /** Whatever the counterparty refused: a session Reject (3), a BusinessMessageReject (j), an order it
   *  rejected (ExecutionReport with OrdStatus 8) or a cancel it refused (OrderCancelReject, 9). */
  reject: [Rejection];
  event: [SessionEvent];
  state: [SessionState];
  /** The session is writable again after send() found it full (see `writable`). */
  drain: [];
}

export interface SessionOptions {
  config: SessionConfig;
  store: MessageStore;
  dictionary: FixDictionary;
  password?: string;
  now?: () => number;
}

export class FixSession extends EventEmitter<SessionEvents> {
  readonly config: SessionConfig;
  readonly store: MessageStore;
  readonly dictionary: FixDictionary;
  private readonly password: string | undefined;
  private readonly now: () => number;
  private conn: Connection | undefined;
  private _state: SessionState = 'disconnected';
  private heartBtInt: number;
  private lastSent = 0;
  private lastReceived = 0;
  private stateSince = 0;
  private testRequestSent = 0;
  /** Messages that arrived ahead of a gap, by sequence number, until the resend closes the gap; null for
   *  one acted on when it came (a Logon, a ResendRequest), whose number counts when the gap closes. */
  private readonly queued = new Map<number, FixMessage | null>();
  /** The ResendRequest we have out: [from, to]; to 0 is "up to the latest". */
  private resendPending: { from: number; upTo: number } | undefined;
  /** While an inbound application message is being journaled with its replies: their transmissions, held
   *  until that journal write is done. */
  private heldTransmits: Array<() => void> | undefined;
  /** We sent ResendSeqNumFlag=Y in our Logon (initiator with resetOnLogon) and have reset already. */
  private sentReset = false;
  private timer: NodeJS.Timeout | undefined;
  private logoutReason = '';
  /** The connection said it is full: what is sent meanwhile waits in heldBack, in order (admin messages
   *  too, so the peer never sees a number ahead of one still waiting). */
  private connectionFull = false;
  /** A new application message waits as its MsgSeqNum alone (it is in the store); anything else as given. */
  private heldBack: Array<number | HeldBack> = [];
  private heldBackHead = 0;

  constructor(options: SessionOptions) {
    super();
    this.config = options.config;
    this.store = options.store;
    this.dictionary = options.dictionary;
    this.password = options.password;
    this.now = options.now ?? Date.now;
    this.heartBtInt = this.config.heartBtInt;
  }

  get state(): SessionState { return this._state; }
  get id(): string { return `${this.config.beginString}:${this.config.senderCompID}->${this.config.targetCompID}`; }
  get isConnected(): boolean { return this.conn !== undefined; }

  /** A transport is up: the initiator sends its Logon, the acceptor waits for one. */
  attach(conn: Connection): void {
    if (this.conn) throw new Error('session already has a connection');
    this.conn = conn;
    this.queued.clear();
    this.resendPending = undefined;
    this.sentReset = false;
    this.lastReceived = this.now();
    this.setState('awaiting_logon');
    this.note('connected', 'connected');
    if (this.config.role === 'initiator') {
      if (this.config.resetOnLogon) this.store.reset();
      this.sentReset = this.config.resetOnLogon;
      this.sendAdmin(MSG.Logon, this.logonBody(this.config.resetOnLogon, this.config.heartBtInt));
    }
    this.timer ??= setInterval(() => this.tick(), 250).unref();
  }

  /** False while the connection is full or messages wait for it: an application sending a burst should
   *  wait for the 'drain' event (or whenWritable()) before it sends more. Sending anyway is safe: every
   *  message is stored first and waits here with a few bytes of bookkeeping, not as bytes in a socket. */
  get writable(): boolean { return !this.connectionFull && this.heldBackHead === this.heldBack.length; }

  /** Resolves once the session is writable (at once when it is, or when there is no connection). */
  whenWritable(): Promise<void> {
    if (this.writable || !this.conn) return Promise.resolve();
    return new Promise((resolve) => this.once('drain', resolve));
  }

  /** The connection can take more: what waited goes out, in order, until it is full again. */
  connectionDrained(): void {
    this.connectionFull = false;
    while (this.conn && !this.connectionFull && this.heldBackHead < this.heldBack.length) {
      const next = this.heldBack[this.heldBackHead]!;
      if (typeof next !== 'number') {
        this.heldBackHead++;
        this.writeOut(next);
        continue;
      }
      // a run of application messages, read back from the store together
      let last = this.heldBackHead;
      while (last + 1 < this.heldBack.length && last - this.heldBackHead < 255 && this.heldBack[last + 1] === (this.heldBack[last] as number) + 1) last++;
      const stored = this.store.sentBetween(next, this.heldBack[last] as number);
      for (let seq = next, k = 0; seq <= (this.heldBack[last] as number) && this.conn && !this.connectionFull; seq++) {
        this.heldBackHead++;
        const m = stored[k]?.seq === seq ? stored[k++]! : undefined;
        if (m) this.writeOut({ msgType: m.msgType, seq, sendingTime: m.sendingTime, body: m.body, o: { app: true, extra: m.routing } });
      }
    }
    if (this.heldBackHead === this.heldBack.length) {
      this.heldBack = [];
      this.heldBackHead = 0;
      if (!this.connectionFull) this.emit('drain');
    }
  }

  /** The transport went away (either side closed it). */
  detach(reason = 'connection closed'): void {
    if (!this.conn) return;
    this.conn = undefined;
    // what waited for the connection is in the store (application messages, resent on request) or is a
    // session message of this connection
    this.heldBack = [];
    this.heldBackHead = 0;
    this.connectionFull = false;
    this.emit('drain');
    this.setState('disconnected');
    this.note('disconnected', reason);
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Sends an order (a NewOrderSingle), or any application message by MsgType and body fields; returns its
   *  MsgSeqNum. It is stored first, so if the session is down it goes out as a PossDup resend when the
   *  counterparty asks for the gap after the next logon. */
  send(order: Order): number;
  send(msgType: string, body: FieldList, options?: SendOptions): number;
  send(what: Order | string, fields?: FieldList, options: SendOptions = {}): number {
    if (typeof what !== 'string') return this.sendOrder(what);
    const msgType = what;
    const body = fields ?? [];
    const routing: Array<[number, string]> = options.replyTo ? replyRouting(options.replyTo.fields) : [];
    if (options.possResend) routing.push([TAG.PossResend, 'Y']);
    if (ADMIN_TYPES.has(msgType)) throw new Error(`send() is for application messages; ${msgType} is a session message`);
    const sendingTime = fixTime(this.now());
    const seq = this.store.recordSent(msgType, sendingTime, body, routing);
    if (this._state === 'active') {
      const transmit = () => this.transmit(msgType, seq, sendingTime, body, { app: true, extra: routing });
      if (this.heldTransmits) this.heldTransmits.push(transmit);
      else transmit();
    }
    return seq;
  }

  /** Sends a NewOrderSingle; returns its MsgSeqNum. */
  sendOrder(order: Order): number {
    return this.send(MSG.NewOrderSingle, newOrderSingle(order, this.config.beginString, this.now()));
  }

  /** Starts a Logout; the session disconnects when the counterparty confirms or after logoutTimeoutSec. */
  logout(text = ''): void {
    if (this._state !== 'active') {
      this.disconnect(text || 'logout while not logged on');
      return;
    }
    this.startLogout(text);
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.disconnect('session closed');
  }

  // ---- inbound ---------------------------------------------------------------------------------------

  receive(message: FixMessage): void {
    if (!this.conn) return;
    const frame = message.frame;
    if (frame.error !== null) {
      // Garbled, bad CheckSum or BodyLength: ignored, no sequence number consumed (Test Cases 2d, 2m, 3b).
      // A Logon that does not frame well ends the connection without an answer (1S d), as QuickFIX does.
      this.note('ignored', `${frame.error} message at stream offset ${frame.offset} ignored`, { error: frame.error });
      if (message.msgType === MSG.Logon) this.disconnect(`Logon message is not valid (${frame.error})`);
      return;
    }
    const f = new Fields(message.fields);
    const msgType = message.msgType ?? '';
    const awaitingLogon = this._state === 'awaiting_logon';
    const seq = frame.msgSeqNum;

    // The checks run in QuickFIX's order: header presence, BeginString, the data dictionary, then
    // SendingTime, CompIDs and the sequence number.
    const missing = [TAG.SenderCompID, TAG.TargetCompID, TAG.MsgSeqNum, TAG.SendingTime].find((t) => !f.has(t));
    if (awaitingLogon && (missing !== undefined || seq === null)) return this.disconnect(`${msgType === MSG.Logon ? 'Logon' : 'first message'} without a valid ${missing ?? TAG.MsgSeqNum} field`);
    if (missing !== undefined) return this.rejectMessage(message, f, REJECT_REASON.requiredTagMissing, 'Required tag missing', missing);
    if (seq === null) return this.rejectMessage(message, f, REJECT_REASON.incorrectDataFormat, 'Incorrect data format for value', TAG.MsgSeqNum);

    if (f.get(TAG.BeginString) !== this.config.beginString) {
      if (awaitingLogon) return this.disconnect(`BeginString ${f.get(TAG.BeginString)} where ${this.config.beginString} was expected`);
      if (msgType === MSG.Logout) return this.onLogout(f, seq);
      this.consumeIfExpected(seq);
      return this.startLogout('Incorrect BeginString');
    }
    if (awaitingLogon && msgType !== MSG.Logon) {
      if (this.config.role === 'initiator') return this.logoutAndDisconnect('First message not a logon');
      return this.disconnect('first message not a logon');
    }
    // A Reject is never answered with a Reject: two engines would trade them forever.
    if (this.config.validate && msgType !== MSG.Reject) {
      const v = validateMessage(this.dictionary, message.fields);
      if (v) {
        if (awaitingLogon) return this.disconnect(`Logon is not valid: ${v.text} (${v.tag})`);
        return this.rejectMessage(message, f, v.reason, v.text, v.tag);
      }
    }
    this.lastReceived = this.now();

    const sendingTime = parseFixTime(f.get(TAG.SendingTime) ?? '');
    if (!(Math.abs(this.now() - sendingTime) <= this.config.sendingTimeToleranceSec * 1000)) {
      if (awaitingLogon && this.config.role === 'acceptor') return this.disconnect('logon SendingTime accuracy problem');
      if (awaitingLogon) return this.logoutAndDisconnect('SendingTime accuracy problem in the Logon response');
      this.sendReject(message, f, REJECT_REASON.sendingTimeAccuracy, 'SendingTime accuracy problem', undefined);
      return this.startLogout('');
    }
    if (f.get(TAG.SenderCompID) !== this.config.targetCompID || f.get(TAG.TargetCompID) !== this.config.senderCompID) {
      // Test Case 1S c: a bad Logon is dropped without answering (an answer would use a sequence number).
      if (awaitingLogon && this.config.role === 'acceptor') return this.disconnect(`logon from ${f.get(TAG.SenderCompID)} to ${f.get(TAG.TargetCompID)} does not match this session`);
      if (awaitingLogon) return this.logoutAndDisconnect('CompID problem in the Logon response');
      this.sendReject(message, f, REJECT_REASON.compIdProblem, 'CompID problem', undefined);
      return this.startLogout('');
    }

    switch (msgType) {
      case MSG.Logon: return this.onLogon(f, seq);
      // A Logout, a ResendRequest and a SequenceReset-Reset are acted on whatever their number (13, 20, 11).
      case MSG.Logout: return this.onLogout(f, seq);
      case MSG.ResendRequest: return this.onResendRequest(f, seq);
      case MSG.SequenceReset:
        if (f.get(TAG.GapFillFlag) !== 'Y') return this.applyNewSeqNo(message, f, seq, false);
    }

    const expected = this.store.nextTargetSeq;
    if (seq > expected) {
      this.queued.set(seq, message);
      this.requestResend(expected, seq);
      return;
    }
    if (seq < expected) {
      if (!message.frame.possDup) return this.logoutAndDisconnect(`MsgSeqNum too low, expecting ${expected} but received ${seq}`);
      if (this.possDupProblem(message, f)) return;
      this.note('ignored', `PossDup message ${seq} already received`);
      return;
    }
    this.process(message, f, seq);
    this.drainQueue();
  }

  /** Test Cases 2f, 2g: a PossDup message needs an OrigSendingTime no later than its SendingTime. The
   *  message is rejected and the session goes on. */
  private possDupProblem(message: FixMessage, f: Fields): boolean {
    if (!message.frame.possDup || message.msgType === MSG.SequenceReset) return false;
    const orig = f.get(TAG.OrigSendingTime);
    if (orig === undefined) {
      this.sendReject(message, f, REJECT_REASON.requiredTagMissing, 'Required tag missing', TAG.OrigSendingTime);
      return true;
    }
    if (parseFixTime(orig) > parseFixTime(f.get(TAG.SendingTime) ?? '')) {
      this.sendReject(message, f, REJECT_REASON.sendingTimeAccuracy, 'SendingTime accuracy problem', undefined);
      return true;
    }
    return false;
  }

  /** A message in sequence (or next out of the queue). */
  private process(message: FixMessage, f: Fields, seq: number): void {
    const msgType = message.msgType ?? '';
    if (this.possDupProblem(message, f)) return this.consume(seq);
    switch (msgType) {
      case MSG.Heartbeat:
        if (this.testRequestSent && f.get(TAG.TestReqID) !== undefined) this.testRequestSent = 0;
        break;
      case MSG.TestRequest:
        this.sendAdmin(MSG.Heartbeat, [[TAG.TestReqID, f.get(TAG.TestReqID) ?? '']]);
        break;
      case MSG.Reject:
        this.note('reject_received', f.get(TAG.Text) ?? 'Reject', { refSeqNum: f.int(TAG.RefSeqNum), reason: f.int(TAG.SessionRejectReason) });
        this.emit('reject', {
          kind: 'session', refSeqNum: f.int(TAG.RefSeqNum) ?? null, reason: f.get(TAG.SessionRejectReason) ?? null,
          refTagID: f.int(TAG.RefTagID) ?? null, text: f.get(TAG.Text) ?? null, clOrdID: null,
        });
        break;
      case MSG.SequenceReset:
        // Gap fill in sequence: NewSeqNo above moves on, equal changes nothing, below is refused (10, 11).
        return this.applyNewSeqNo(message, f, seq, true);
      case MSG.Logout:
      case MSG.ResendRequest:
      case MSG.Logon:
        // Queued ahead of a gap; acted on when they arrived. Their number counts now.
        break;
      default: {
        // The message counts as received together with the replies the application makes to it: one
        // journal write, and the replies reach the socket only after it, so a kill between the two can
        // neither lose a reply (the counterparty would not resend) nor answer twice.
        const app: AppMessage = { msgType, seq, possDup: message.frame.possDup, possResend: message.frame.possResend, fields: f, message };
        const held: Array<() => void> = [];
        this.heldTransmits = held;
        try {
          this.store.atomically(() => {
            this.consume(seq);
            this.emit('app', app);
            if (msgType === MSG.ExecutionReport) this.emit('execution', executionReportOf(f), app);
            const reject = rejectOf(msgType, f);
            if (reject) this.emit('reject', reject);
          });
        } finally {
          this.heldTransmits = undefined;
          for (const transmit of held) transmit();
        }
        return;
      }
    }
    this.consume(seq);
  }

  private onLogon(f: Fields, seq: number): void {
    const heartBtInt = f.int(TAG.HeartBtInt);
    if (heartBtInt === undefined) return this.disconnect('Logon without a valid HeartBtInt');
    const reset = f.get(TAG.ResetSeqNumFlag) === 'Y';
    const awaiting = this._state === 'awaiting_logon';
    // QuickFIX: a Logon on a logged-on session is not a valid state; it disconnects without a word. With
    // ResetSeqNumFlag it restarts the session at 1 (Test Case 1S, QuickFIX's SessionReset).
    if (!awaiting && !reset) return this.disconnect('Logon received while logged on');
    const answer = this.config.role === 'acceptor' || (reset && !this.sentReset);
    if (this.config.role === 'acceptor' && awaiting && this.password !== undefined && f.get(TAG.Password) !== this.password) {
      return this.disconnect('Logon with a wrong password');
    }
    // ResetSeqNumFlag, or an acceptor configured with resetOnLogon (QuickFIX's ResetOnLogon): both sides
    // start at 1 again, unless we asked for the reset ourselves and have reset already.
    if ((reset && !this.sentReset) || (this.config.role === 'acceptor' && this.config.resetOnLogon)) {
      this.store.reset();
      this.queued.clear();
      this.resendPending = undefined;
    }
    if (answer) this.heartBtInt = heartBtInt;
    const expected = this.store.nextTargetSeq;
    if (seq < expected) return this.logoutAndDisconnect(`MsgSeqNum too low, expecting ${expected} but received ${seq}`);
    if (answer) this.sendAdmin(MSG.Logon, this.logonBody(reset, heartBtInt));
    this.sentReset = false;
    this.note('logon', `logged on (${this.config.role}), next out ${this.store.nextSenderSeq}, next in ${expected}`);
    this.setState('active');
    if (seq > expected) {
      this.queued.set(seq, null);
      this.requestResend(expected, seq);
    } else {
      this.consume(seq);
      this.drainQueue();
    }
  }

  /** NewSeqNo of a SequenceReset: a Reset whatever its MsgSeqNum (Test Case 11), a GapFill in sequence (10). */
  private applyNewSeqNo(message: FixMessage, f: Fields, seq: number, gapFill: boolean): void {
    const next = f.int(TAG.NewSeqNo);
    const expected = this.store.nextTargetSeq;
    if (next === undefined) return this.sendReject(message, f, REJECT_REASON.requiredTagMissing, 'Required tag missing', TAG.NewSeqNo);
    if (next < expected) {
      this.sendReject(message, f, REJECT_REASON.valueOutOfRange, 'Value is incorrect (out of range) for this tag', undefined);
      return;
    }
    if (next === expected) {
      this.note('info', `SequenceReset to ${next}, which was already expected`);
      return;
    }
    this.store.setNextTarget(next);
    for (const s of [...this.queued.keys()]) if (s < next) this.queued.delete(s);
    this.note('sequence_reset', `${gapFill ? 'gap fill' : 'reset'}: next expected ${next}`, { from: seq, next });
    this.drainQueue();
  }

  /** Test Case 13: an answer to our Logout ends the connection; an unsolicited one is answered first. Its
   *  MsgSeqNum does not matter (a Logout too low still gets its answer). */
  private onLogout(f: Fields, seq: number): void {
    this.consumeIfExpected(seq);
    if (this._state === 'logging_out') return this.disconnect(`logout confirmed${this.logoutReason ? `: ${this.logoutReason}` : ''}`);
    this.note('logout', `counterparty logged out${f.get(TAG.Text) ? `: ${f.get(TAG.Text)}` : ''}`);
    this.sendAdmin(MSG.Logout, []);
    this.setState('logging_out');
    this.disconnect('counterparty logout');
  }

  /** Test Cases 8 and 20: served at once, whatever its MsgSeqNum. One too high keeps its place in the gap
   *  and is counted when the gap closes (QuickFIX never counts it; ARCHITECTURE.md). */
  private onResendRequest(f: Fields, seq: number): void {
    const expected = this.store.nextTargetSeq;
    this.serveResend(f);
    if (seq === expected) {
      this.consume(seq);
      this.drainQueue();
    } else if (seq > expected) {
      this.queued.set(seq, null);
      this.requestResend(expected, seq);
    }
  }

  /** A message refused by a session Reject (validation, a header field missing): its number counts when it
   *  is the expected one, except for a Logon or a SequenceReset (QuickFIX's generateReject). */
  private rejectMessage(message: FixMessage, f: Fields, reason: number, text: string, tag: number | undefined): void {
    this.sendReject(message, f, reason, text, tag);
    const msgType = message.msgType ?? '';
    const seq = message.frame.msgSeqNum;
    if (seq !== null && msgType !== MSG.Logon && msgType !== MSG.SequenceReset) this.consumeIfExpected(seq);
    this.drainQueue();
  }

  private consumeIfExpected(seq: number): void {
    if (seq === this.store.nextTargetSeq) this.store.recordReceived(seq);
  }

  private consume(seq: number): void {
    if (seq >= this.store.nextTargetSeq) this.store.recordReceived(seq);
  }

  private drainQueue(): void {
    for (;;) {
      const next = this.store.nextTargetSeq;
      for (const s of [...this.queued.keys()]) if (s < next) this.queued.delete(s);
      const m = this.queued.get(next);
      if (m === undefined || !this.conn) break;
      this.queued.delete(next);
      if (m === null) this.store.recordReceived(next);
      else this.process(m, new Fields(m.fields), next);
    }
    if (this.resendPending && this.queued.size === 0 && this.store.nextTargetSeq > this.resendPending.upTo) {
      this.note('resend', `gap closed at ${this.store.nextTargetSeq - 1}`);
      this.resendPending = undefined;
    }
  }

  private requestResend(from: number, seen: number): void {
    if (this.resendPending && this.resendPending.from <= from) {
      this.resendPending.upTo = Math.max(this.resendPending.upTo, seen);
      return;
    }
    this.resendPending = { from, upTo: seen };
    this.note('gap', `gap: expected ${from}, received ${seen}; ResendRequest ${from}..`, { expected: from, received: seen });
    this.sendAdmin(MSG.ResendRequest, [[TAG.BeginSeqNo, String(from)], [TAG.EndSeqNo, '0']]);
  }

  /** Test Case 8: stored application messages again with PossDupFlag and OrigSendingTime; session messages
   *  and anything not stored as SequenceReset-GapFill. */
  private serveResend(f: Fields): void {
    const from = f.int(TAG.BeginSeqNo) ?? 1;
    const asked = f.int(TAG.EndSeqNo) ?? 0;
    // what is held back for the connection goes out as it is, in order: not resent ahead of itself
    const last = this.firstHeldBack() - 1;
    const to = asked === 0 || asked > last ? last : asked;
    this.note('resend', `resending ${from}..${to}`, { from, to });
    let gapFrom: number | undefined;
    const stored = new Map(this.store.sentBetween(from, to).map((m) => [m.seq, m]));
    for (let s = from; s <= to; s++) {
      const m = stored.get(s);
      if (!m) { gapFrom ??= s; continue; }
      if (gapFrom !== undefined) this.sendGapFill(gapFrom, s);
      gapFrom = undefined;
      this.transmit(m.msgType, m.seq, fixTime(this.now()), m.body, { app: true, possDup: true, origSendingTime: m.sendingTime, extra: m.routing });
    }
    if (gapFrom !== undefined) this.sendGapFill(gapFrom, to + 1);
  }

  /** The lowest MsgSeqNum held back and never sent (the next one to take when nothing is). */
  private firstHeldBack(): number {
    for (let k = this.heldBackHead; k < this.heldBack.length; k++) {
      const m = this.heldBack[k]!;
      if (typeof m === 'number') return m;
      if (!m.o.possDup) return m.seq;
    }
    return this.store.nextSenderSeq;
  }

  private sendGapFill(seq: number, next: number): void {
    const now = fixTime(this.now());
    this.transmit(MSG.SequenceReset, seq, now, [[TAG.NewSeqNo, String(next)], [TAG.GapFillFlag, 'Y']], { app: false, possDup: true, origSendingTime: now });
  }

  // ---- outbound --------------------------------------------------------------------------------------

  private logonBody(reset: boolean, heartBtInt: number): FieldList {
    const body: Array<[number, string]> = [[TAG.EncryptMethod, '0'], [TAG.HeartBtInt, String(heartBtInt)]];
    if (reset) body.push([TAG.ResetSeqNumFlag, 'Y']);
    if (this.config.role === 'initiator' && this.config.username !== undefined) body.push([TAG.Username, this.config.username]);
    if (this.config.role === 'initiator' && this.password !== undefined) body.push([TAG.Password, this.password]);
    if (this.config.defaultApplVerID !== undefined) body.push([TAG.DefaultApplVerID, this.config.defaultApplVerID]);
    return body;
  }

  private sendAdmin(msgType: string, body: FieldList, extra: FieldList = []): void {
    if (!this.conn) return;
    const sendingTime = fixTime(this.now());
    const seq = this.store.recordSent(msgType, sendingTime, null);
    const transmit = () => this.transmit(msgType, seq, sendingTime, body, { app: false, extra });
    if (this.heldTransmits) this.heldTransmits.push(transmit);
    else transmit();
  }

  /** A session Reject as QuickFIX writes it: RefSeqNum, Text, RefTagID, RefMsgType, SessionRejectReason in
   *  tag order (FIX.4.2 has no reasons above 11), the rejected message's routing reversed. */
  private sendReject(message: FixMessage, f: Fields, reason: number, text: string, refTag: number | undefined): void {
    const refSeq = message.frame.msgSeqNum;
    const body: Array<[number, string]> = [];
    if (refSeq !== null) body.push([TAG.RefSeqNum, String(refSeq)]);
    if (refTag !== undefined) body.push([TAG.RefTagID, String(refTag)]);
    if (message.msgType) body.push([TAG.RefMsgType, message.msgType]);
    if (this.config.beginString !== 'FIX.4.2' || reason <= REJECT_REASON.invalidMsgType) body.push([TAG.SessionRejectReason, String(reason)]);
    body.push([TAG.Text, text]);
    body.sort((a, b) => a[0] - b[0]);
    this.note('reject_sent', `Reject of ${refSeq}: ${text}`, { refSeqNum: refSeq, reason, refTagID: refTag });
    this.sendAdmin(MSG.Reject, body, replyRouting(f));
  }

  private transmit(msgType: string, seq: number, sendingTime: string, body: FieldList,
    o: { app: boolean; possDup?: boolean; origSendingTime?: string; extra?: FieldList }): void {
    if (!this.conn) return;
    this.lastSent = this.now();
    const m = { msgType, seq, sendingTime, body, o };
    if (this.writable) this.writeOut(m);
    else this.heldBack.push(o.app && !o.possDup ? seq : m);
  }

  private writeOut({ msgType, seq, sendingTime, body, o }: HeldBack): void {
    const bytes = encodeMessage({
      beginString: this.config.beginString, msgType, senderCompID: this.config.senderCompID,
      targetCompID: this.config.targetCompID, msgSeqNum: seq, sendingTime,
      possDup: o.possDup, origSendingTime: o.origSendingTime, extra: o.extra,
    }, body);
    if (this.conn!.write(bytes, { app: o.app, msgType, seq }) === false) this.connectionFull = true;
  }

  // ---- time and teardown -----------------------------------------------------------------------------

  private tick(): void {
    const now = this.now();
    const hb = this.heartBtInt * 1000;
    if (this._state === 'awaiting_logon' && now - this.stateSince > this.config.logonTimeoutSec * 1000) {
      return this.disconnect('no Logon within logonTimeoutSec');
    }
    if (this._state === 'logging_out' && now - this.stateSince > this.config.logoutTimeoutSec * 1000) {
      return this.disconnect('no Logout reply within logoutTimeoutSec');
    }
    if (this._state !== 'active') return;
    if (this.testRequestSent && now - this.testRequestSent > hb) return this.disconnect('no answer to TestRequest');
    if (now - this.lastSent >= hb) this.sendAdmin(MSG.Heartbeat, []);
    if (!this.testRequestSent && now - this.lastReceived > hb * 1.2) {
      this.testRequestSent = now;
      // QuickFIX's TestReqID.
      const id = 'TEST';
      this.note('test_request', `nothing received for ${((now - this.lastReceived) / 1000).toFixed(1)} s; TestRequest ${id}`);
      this.sendAdmin(MSG.TestRequest, [[TAG.TestReqID, id]]);
    }
  }

  /** Logout, then wait for the counterparty's Logout (or logoutTimeoutSec) before disconnecting. */
  private startLogout(text: string): void {
    this.note('logout', text || 'logging out');
    this.logoutReason = text;
    this.sendAdmin(MSG.Logout, text ? [[TAG.Text, text]] : []);
    this.setState('logging_out');
  }

  private logoutAndDisconnect(text: string): void {
    this.note('logout', text);
    this.sendAdmin(MSG.Logout, [[TAG.Text, text]]);
    this.disconnect(text);
  }

  private disconnect(reason: string): void {
    const conn = this.conn;
    if (!conn) return;
    this.detach(reason);
    conn.close();
  }

  private setState(state: SessionState): void {
    if (this._state === state) return;
    this._state = state;
    this.stateSince = this.now();
    this.testRequestSent = 0;
    this.emit('state', state);
  }

  private note(type: SessionEvent['type'], text: string, extra: Record<string, unknown> = {}): void {
    this.emit('event', { type, text, session: this.id, ...extra });
  }
}
