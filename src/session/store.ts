// The durable message store of one session: an append-only journal of JSON lines in storeDir. Every
// record is written with one write(2) before the message it describes goes to the socket, so a killed
// process (kill -9) never loses a sequence number it used; with `fsync` each write is also flushed to the
// disk, which covers power loss. Loading replays the journal from the last reset; a torn last line (power
// loss mid-write) is dropped.
import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { FieldList } from '../fix/message.js';

export interface StoredMessage {
  seq: number;
  msgType: string;
  /** SendingTime (52) of the first transmission; resends carry it as OrigSendingTime (122). */
  sendingTime: string;
  body: FieldList;
  /** Routing header fields (third-party addressing), kept for resends. */
  routing?: FieldList;
}

type JournalRecord =
  | { k: 'reset'; created: string }
  | { k: 'sent'; seq: number; t: string; st?: string; body?: Array<[number, string]>; h?: Array<[number, string]> }
  | { k: 'recv'; seq: number }
  | { k: 'target'; next: number };

export interface MessageStoreOptions {
  dir: string;
  /** Session identity, e.g. FIX.4.4-ISLD-TW; names the journal file. */
  name: string;
  fsync?: boolean;
}

export class MessageStore {
  readonly file: string;
  private fd: number;
  private readonly fsync: boolean;
  private sent = new Map<number, StoredMessage>();
  private nextSender = 1;
  private nextTarget = 1;
  private createdAt = new Date().toISOString();

  constructor(options: MessageStoreOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.file = path.join(options.dir, `${options.name.replace(/[^A-Za-z0-9._-]/g, '_')}.journal`);
    this.fsync = options.fsync ?? false;
    if (existsSync(this.file)) this.replay(readFileSync(this.file, 'utf8'));
    this.fd = openSync(this.file, 'a');
    if (this.nextSender === 1 && this.nextTarget === 1 && this.sent.size === 0) this.append({ k: 'reset', created: this.createdAt });
  }

  get nextSenderSeq(): number { return this.nextSender; }
  get nextTargetSeq(): number { return this.nextTarget; }
  get creationTime(): string { return this.createdAt; }

  /** Takes the next outbound sequence number for a message and records it (with its body when it is an
   *  application message, so it can be resent). Returns the number. */
  recordSent(msgType: string, sendingTime: string, body: FieldList | null, routing: FieldList = []): number {
    const seq = this.nextSender;
    const record: JournalRecord = body
      ? { k: 'sent', seq, t: msgType, st: sendingTime, body: body.map(([t, v]) => [t, v]), ...(routing.length ? { h: routing.map(([t, v]) => [t, v]) } : {}) }
      : { k: 'sent', seq, t: msgType };
    this.append(record);
    this.apply(record);
    return seq;
  }

  /** The inbound message `seq` was processed: the next one expected is seq + 1. */
  recordReceived(seq: number): void {
    this.append({ k: 'recv', seq });
    this.apply({ k: 'recv', seq });
  }

  /** Sets the next inbound number (SequenceReset). */
  setNextTarget(next: number): void {
    this.append({ k: 'target', next });
    this.apply({ k: 'target', next });
  }

  /** Application messages sent with numbers in [from, to], for a resend. */
  sentBetween(from: number, to: number): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (let s = from; s <= to; s++) {
      const m = this.sent.get(s);
      if (m) out.push(m);
    }
    return out;
  }

  /** Both sequence numbers back to 1 and the sent messages forgotten; the journal starts over. */
  reset(): void {
    this.sent.clear();
    this.nextSender = 1;
    this.nextTarget = 1;
    this.createdAt = new Date().toISOString();
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w');
    writeSync(fd, JSON.stringify({ k: 'reset', created: this.createdAt }) + '\n');
    if (this.fsync) fdatasyncSync(fd);
    closeSync(fd);
    closeSync(this.fd);
    renameSync(tmp, this.file);
    this.fd = openSync(this.file, 'a');
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private append(record: JournalRecord): void {
    writeSync(this.fd, JSON.stringify(record) + '\n');
    if (this.fsync) fdatasyncSync(this.fd);
  }

  private apply(r: JournalRecord): void {
    switch (r.k) {
      case 'reset':
        this.sent.clear();
        this.nextSender = 1;
        this.nextTarget = 1;
        this.createdAt = r.created;
        break;
      case 'sent':
        if (r.body && r.st !== undefined) this.sent.set(r.seq, { seq: r.seq, msgType: r.t, sendingTime: r.st, body: r.body, ...(r.h ? { routing: r.h } : {}) });
        this.nextSender = Math.max(this.nextSender, r.seq + 1);
        break;
      case 'recv':
        this.nextTarget = Math.max(this.nextTarget, r.seq + 1);
        break;
      case 'target':
        this.nextTarget = r.next;
        break;
    }
  }

  private replay(text: string): void {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line === '') return;
      try {
        this.apply(JSON.parse(line) as JournalRecord);
      } catch (err) {
        // Only the last line can be torn by a crash; anything else means the file was damaged.
        if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l !== '')) {
          throw new Error(`message store ${this.file}: line ${i + 1} is damaged (${(err as Error).message})`);
        }
      }
    });
  }
}
