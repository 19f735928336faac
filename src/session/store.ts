// The durable message store of one session: an append-only journal of JSON lines in storeDir. Every
// record is written with one write(2) before the message it describes goes to the socket, so a killed
// process (kill -9) never loses a sequence number it used; with `fsync` each write is also flushed to the
// disk, which covers power loss. Loading replays the journal from the last reset; a torn last line (a crash
// or power loss mid-write) is cut off the file before anything is appended, so the next record starts on a
// line of its own. Records made together (a received message and the replies it caused) go out in one
// write(2), so a killed process leaves all of them or none.
import { closeSync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { FieldList } from '../fix/message.js';
import { fsReason } from '../util/fs-errors.js';

/** The store's folder or journal cannot be used; `path` names which. */
export class StoreError extends Error {
  readonly code = 'STORE';
  constructor(message: string, readonly path: string) {
    super(message);
  }
}

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
  /** Where each application message sent is in the journal (its 'sent' line), by sequence number: a resend
   *  reads it back, so the store holds 12 bytes per message, not the message. */
  private readonly sent = new SentIndex();
  /** Bytes of the journal written so far (its 'sent' lines are read back at their offsets). */
  private end = 0;
  /** Bytes of the records of an `atomically` block not yet written. */
  private pendingBytes = 0;
  private nextSender = 1;
  private nextTarget = 1;
  private createdAt = new Date().toISOString();
  /** Records of an `atomically` block not yet written. */
  private pending: string[] | undefined;
  /** Bytes of a torn last line cut off the journal when it was opened (0: none). */
  readonly tornBytesDropped: number = 0;

  constructor(options: MessageStoreOptions) {
    this.file = path.join(options.dir, `${options.name.replace(/[^A-Za-z0-9._-]/g, '_')}.journal`);
    this.fsync = options.fsync ?? false;
    try {
      mkdirSync(options.dir, { recursive: true });
    } catch (err) {
      throw new StoreError(`cannot use ${options.dir} as the message store folder: ${fsReason(err)}`, options.dir);
    }
    let valid = 0;
    let size = 0;
    try {
      if (existsSync(this.file)) {
        const bytes = readFileSync(this.file);
        size = bytes.length;
        valid = this.replay(bytes);
      }
      this.fd = openSync(this.file, 'a');
      if (valid < size) {
        ftruncateSync(this.fd, valid);
        this.tornBytesDropped = size - valid;
      }
      this.end = valid;
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(`cannot use the message store ${this.file}: ${fsReason(err)}`, this.file);
    }
    if (this.nextSender === 1 && this.nextTarget === 1 && this.sent.empty) this.append({ k: 'reset', created: this.createdAt });
  }

  /** Runs `fn`; every record it makes is written in one write(2) when it returns, so a process killed
   *  meanwhile leaves all of them in the journal or none. Nested calls join the outer one. */
  atomically<T>(fn: () => T): T {
    if (this.pending) return fn();
    this.pending = [];
    this.pendingBytes = 0;
    try {
      return fn();
    } finally {
      const lines = this.pending;
      this.pending = undefined;
      if (lines.length) this.write(lines.join(''));
    }
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
    const at = this.append(record);
    this.apply(record, at);
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

  /** Application messages sent with numbers in [from, to], for a resend, read back from the journal. */
  sentBetween(from: number, to: number): StoredMessage[] {
    const out: StoredMessage[] = [];
    const unwritten = this.pending ? Buffer.from(this.pending.join('')) : undefined;
    let reader: number | undefined;
    try {
      for (let s = Math.max(from, 1); s <= Math.min(to, this.nextSender - 1); s++) {
        const line = this.sent.line(s);
        if (!line) continue;
        let bytes: Buffer;
        if (line.at >= this.end) {
          bytes = unwritten!.subarray(line.at - this.end, line.at - this.end + line.length);
        } else {
          reader ??= openSync(this.file, 'r');
          bytes = Buffer.alloc(line.length);
          readSync(reader, bytes, 0, line.length, line.at);
        }
        const r = JSON.parse(bytes.toString('utf8')) as Extract<JournalRecord, { k: 'sent' }>;
        if (r.k !== 'sent' || r.seq !== s || !r.body || r.st === undefined) {
          throw new StoreError(`message store ${this.file}: message ${s} is not where the store wrote it`, this.file);
        }
        out.push({ seq: s, msgType: r.t, sendingTime: r.st, body: r.body, ...(r.h ? { routing: r.h } : {}) });
      }
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(`message store ${this.file}: cannot read back sent messages ${from} to ${to}: ${fsReason(err)}`, this.file);
    } finally {
      if (reader !== undefined) closeSync(reader);
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
    const line = JSON.stringify({ k: 'reset', created: this.createdAt }) + '\n';
    writeSync(fd, line);
    this.end = Buffer.byteLength(line);
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

  /** Writes a record (or adds it to the `atomically` block); gives its offset and length in the journal. */
  private append(record: JournalRecord): { at: number; length: number } {
    const line = JSON.stringify(record) + '\n';
    const length = Buffer.byteLength(line);
    const at = this.end + (this.pending ? this.pendingBytes : 0);
    if (this.pending) {
      this.pending.push(line);
      this.pendingBytes += length;
    } else {
      this.write(line);
    }
    return { at, length: length - 1 };
  }

  private write(text: string): void {
    writeSync(this.fd, text);
    this.end += Buffer.byteLength(text);
    if (this.fsync) fdatasyncSync(this.fd);
  }

  /** `line`: where the record is in the journal (a 'sent' record with a body is indexed by it). */
  private apply(r: JournalRecord, line?: { at: number; length: number }): void {
    switch (r.k) {
      case 'reset':
        this.sent.clear();
        this.nextSender = 1;
        this.nextTarget = 1;
        this.createdAt = r.created;
        break;
      case 'sent':
        if (r.body && r.st !== undefined && line) this.sent.set(r.seq, line.at, line.length);
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

  /** Applies the journal's records; returns the length of its intact part. Only the last line can be torn
   *  by a crash (it has no newline, or does not parse); a damaged line before it stops the load. */
  private replay(bytes: Buffer): number {
    let lastByte = bytes.length - 1;
    while (lastByte >= 0 && bytes[lastByte] === 0x0a) lastByte--;
    let start = 0;
    let line = 0;
    while (start < bytes.length) {
      line++;
      const end = bytes.indexOf(0x0a, start);
      const text = bytes.toString('utf8', start, end < 0 ? bytes.length : end);
      const next = end < 0 ? bytes.length : end + 1;
      const isLast = next > lastByte;
      if (end < 0) return start;            // no newline: the write never finished
      if (text !== '') {
        let record: JournalRecord;
        try {
          record = JSON.parse(text) as JournalRecord;
        } catch (err) {
          if (isLast) return start;
          throw new StoreError(`message store ${this.file}: line ${line} is damaged (${(err as Error).message})`, this.file);
        }
        this.apply(record, { at: start, length: end - start });
      }
      start = next;
    }
    return start;
  }
}

/** Journal offset and length of each sequence number's 'sent' line (length 0: none), in arrays that grow
 *  by doubling. */
class SentIndex {
  private at = new Float64Array(1024);
  private length = new Uint32Array(1024);
  private count = 0;

  get empty(): boolean { return this.count === 0; }

  set(seq: number, at: number, length: number): void {
    if (seq >= this.at.length) {
      const size = Math.max(seq + 1, this.at.length * 2);
      const bigger = new Float64Array(size);
      bigger.set(this.at);
      const longer = new Uint32Array(size);
      longer.set(this.length);
      this.at = bigger;
      this.length = longer;
    }
    if (this.length[seq] === 0) this.count++;
    this.at[seq] = at;
    this.length[seq] = length;
  }

  line(seq: number): { at: number; length: number } | undefined {
    return seq < this.length.length && this.length[seq]! > 0 ? { at: this.at[seq]!, length: this.length[seq]! } : undefined;
  }

  clear(): void {
    this.at = new Float64Array(1024);
    this.length = new Uint32Array(1024);
    this.count = 0;
  }
}
