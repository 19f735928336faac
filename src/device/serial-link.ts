// The host's end of the serial link (ARCHITECTURE.md "Serial board link"; hdl/boards/serial/ is the board's):
// SLIP framing, CRC-32/BZIP2, go-back-N in both directions, the board's ingress window, register
// requests with their responses, and the sync that starts a session. Transport-agnostic: bytes go out through
// `write`, bytes that arrive come in through `receive`, time through `tick` (the serial backend's worker
// drives it from a serial port; tests drive it from anything).
import { SERIAL_LINK, RECORD_BYTES } from './generated/layout.js';

const END = 0xc0;
const ESC = 0xdb;
const ESC_END = 0xdc;
const ESC_ESC = 0xdd;
const HEADER = SERIAL_LINK.headerBytes;
const CRC = SERIAL_LINK.crcBytes;
const HT = SERIAL_LINK.hostTypes;
const BT = SERIAL_LINK.boardTypes;
/** Sequence numbers are 8 bits: at most this many frames wait for an acknowledgement, so a duplicate and a
 *  frame after a gap never look alike. */
const MAX_UNACKED = 64;
/** Order egress bytes in a board frame (link_tx closes one before a beat could pass 64) and its status byte. */
const MAX_ORDER_FRAME = 64 + 1;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** The CRC-32/BZIP2 register (the IEEE 802.3 polynomial 0x04C11DB7, initial 0xFFFFFFFF, MSB first) after
 *  `bytes`; the CRC is this inverted. A frame with its CRC appended high byte first leaves CRC_RESIDUE. */
function crcRegister(bytes: Uint8Array, crc = 0xffffffff): number {
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  return crc;
}
const CRC_RESIDUE = 0xc704dd7b;

/** CRC-32/BZIP2 of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  return ~crcRegister(bytes) >>> 0;
}

/** One frame, SLIP-encoded with END before and after. */
export function slipEncode(frame: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(2 * frame.length + 2);
  let n = 0;
  out[n++] = END;
  for (let i = 0; i < frame.length; i++) {
    const b = frame[i]!;
    if (b === END) { out[n++] = ESC; out[n++] = ESC_END; } else if (b === ESC) { out[n++] = ESC; out[n++] = ESC_ESC; } else out[n++] = b;
  }
  out[n++] = END;
  return out.subarray(0, n);
}

/** SLIP decoding across chunks: each END closes a frame (empty ones are skipped); a frame with an escape
 *  that is not one is returned as bad. Frames longer than `maxFrame` are cut off and returned as bad. */
export class SlipDecoder {
  private buf: Buffer;
  private n = 0;
  private escaped = false;
  private bad = false;

  constructor(private readonly maxFrame = 4096) {
    this.buf = Buffer.allocUnsafe(maxFrame);
  }

  push(chunk: Uint8Array, onFrame: (frame: Buffer | undefined) => void): void {
    for (let i = 0; i < chunk.length; i++) {
      let b = chunk[i]!;
      if (b === END) {
        if (this.n > 0 || this.bad) onFrame(this.bad ? undefined : Buffer.from(this.buf.subarray(0, this.n)));
        this.n = 0;
        this.escaped = false;
        this.bad = false;
        continue;
      }
      if (this.escaped) {
        this.escaped = false;
        if (b === ESC_END) b = END;
        else if (b === ESC_ESC) b = ESC;
        else { this.bad = true; continue; }
      } else if (b === ESC) {
        this.escaped = true;
        continue;
      }
      if (this.n === this.maxFrame) this.bad = true;
      else this.buf[this.n++] = b;
    }
  }
}

/** A frame: header (type, seq, ack, flags, window u16 LE), payload, CRC high byte first. */
export function buildFrame(type: number, seq: number, ack: number, flags: number, payload: Uint8Array = new Uint8Array(0), window = 0): Buffer {
  const f = Buffer.allocUnsafe(HEADER + payload.length + CRC);
  f[0] = type;
  f[1] = seq & 0xff;
  f[2] = ack & 0xff;
  f[3] = flags;
  f.writeUInt16LE(window, 4);
  f.set(payload, HEADER);
  f.writeUInt32BE(crc32(f.subarray(0, HEADER + payload.length)), HEADER + payload.length);
  return f;
}

export interface Frame {
  type: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  payload: Buffer;
}

/** A frame whose CRC holds, or undefined. */
export function parseFrame(bytes: Buffer): Frame | undefined {
  if (bytes.length < HEADER + CRC || crcRegister(bytes) !== CRC_RESIDUE) return undefined;
  return { type: bytes[0]!, seq: bytes[1]!, ack: bytes[2]!, flags: bytes[3]!, window: bytes.readUInt16LE(4), payload: bytes.subarray(HEADER, bytes.length - CRC) };
}

export type StreamKind = 'fix' | 'feed' | 'orders';
const STREAM_TYPE: Record<StreamKind, number> = { fix: HT.fix, feed: HT.feed, orders: HT.orders };

export interface RegisterAnswer {
  value: number;
  /** AXI-Lite response: 0 OKAY, 2 SLVERR, 3 DECERR. */
  resp: number;
}

/** What the host end counts: the board's view comes from its counters (`stats()`). */
export interface HostLinkCounters {
  framesIn: number;
  crcErrors: number;
  badFrames: number;
  duplicates: number;
  outOfOrder: number;
  rewindsSent: number;
  rewindsReceived: number;
  framesOut: number;
  resent: number;
  timeouts: number;
}

export interface HostLinkOptions {
  write: (bytes: Buffer) => void;
  /** Whole event records, in device order (a multiple of 64 bytes). */
  onRecords: (records: Buffer) => void;
  /** Order egress bytes; `end` when they end a frame, `dropped` when it ended with tuser. */
  onOrderBytes: (bytes: Buffer, end: boolean, dropped: boolean) => void;
  /** The host acknowledged more of its data to the board (ingress bytes taken). */
  onProgress?: () => void;
  now?: () => number;
  /** Resend what is unacknowledged after this long without progress (doubles on each resend, up to 8x). */
  resendMs?: number;
}

interface OutFrame {
  seq: number;
  type: number;
  flags: number;
  payload: Buffer;
  cost: number;     // board ingress entries it takes: payload bytes and the frame's marker
  payloadBytes: number;
}

interface PendingRegister {
  frame: OutFrame;
  sentAt: number;
  resolve: (a: RegisterAnswer) => void;
  reject: (e: Error) => void;
}

/** A sequenced board frame the host can use: one record, or order bytes and their status byte. */
function wellFormed(f: Frame): boolean {
  if (f.type === BT.records) return f.payload.length === RECORD_BYTES;
  return f.type === BT.orders && f.payload.length >= 1 && f.payload.length <= MAX_ORDER_FRAME;
}

/** The host end of one link session. Call `sync()` first; everything else waits for it. */
export class HostLink {
  readonly counters: HostLinkCounters = { framesIn: 0, crcErrors: 0, badFrames: 0, duplicates: 0, outOfOrder: 0, rewindsSent: 0, rewindsReceived: 0, framesOut: 0, resent: 0, timeouts: 0 };
  /** Stream payload bytes the board has acknowledged since the last sync. */
  acknowledgedBytes = 0;
  private readonly decoder = new SlipDecoder(HEADER + SERIAL_LINK.maxPayload + CRC + 16);
  private readonly now: () => number;
  private readonly resendMs: number;
  private nextSeq = 0;          // host sequence
  private expected = 0;         // next board sequence
  private window = 0;           // board ingress entries free, as last advertised
  private readonly queue: OutFrame[] = [];     // not yet sent
  private readonly unacked: OutFrame[] = [];   // sent, not yet acknowledged
  private register: PendingRegister | undefined;
  private readonly registerQueue: Array<Omit<PendingRegister, 'sentAt'>> = [];
  private lastProgress = 0;
  private backoff = 1;
  private rewindAt = -Infinity;
  private ackOwed = false;
  private synced = false;
  private syncWait: { nonce: number; resolve: (info: SyncInfo) => void } | undefined;
  // a new link starts from a random nonce, so an answer to an earlier process's sync is not taken for its own
  private nonce = Math.floor(Math.random() * 256);
  private statsWait: Array<(counters: number[]) => void> = [];

  constructor(private readonly o: HostLinkOptions) {
    this.now = o.now ?? (() => performance.now());
    this.resendMs = o.resendMs ?? 250;
  }

  /** Nothing waits to be sent or acknowledged, and no register request is open. */
  get settled(): boolean {
    return this.queue.length === 0 && this.unacked.length === 0 && !this.register && this.registerQueue.length === 0;
  }

  /** Stream frames wait for the board's window, none for an acknowledgement: the board is there but does
   *  not take input. */
  get waitingForWindow(): boolean {
    return this.queue.length > 0 && this.unacked.length === 0;
  }

  /** Milliseconds since the board last acknowledged anything, while something waits for it; else 0. */
  stalledFor(): number {
    return this.settled ? 0 : this.now() - this.lastProgress;
  }

  /** Starts a session: the board resets the link and the core. Resolves with what the board says of itself;
   *  sends the request again every `resendMs` until the board answers (the caller bounds the wait). */
  sync(): Promise<SyncInfo> {
    this.synced = false;
    this.queue.length = 0;
    this.unacked.length = 0;
    for (const r of [...(this.register ? [this.register] : []), ...this.registerQueue.splice(0)]) r.reject(new Error('the link was reset'));
    this.register = undefined;
    for (const w of this.statsWait.splice(0)) w([]);
    this.nonce = (this.nonce + 1) & 0xff;
    const nonce = this.nonce;
    return new Promise((resolve) => {
      this.syncWait = { nonce, resolve };
      this.sendSync();
    });
  }

  private syncSentAt = 0;
  private sendSync(): void {
    this.syncSentAt = this.now();
    this.o.write(slipEncode(buildFrame(HT.sync, this.nonce, 0, 0)));
  }

  /** Queues stream bytes: frames of at most maxPayload bytes, END on the last when `end`; FIX and order
   *  frames ask the board to pass their bytes on at once (FLUSH), feed packets leave in whole beats. */
  send(kind: StreamKind, bytes: Uint8Array, end: boolean): void {
    if (this.settled) this.lastProgress = this.now();
    const flush = kind === 'feed' ? 0 : 1 << SERIAL_LINK.dataFlags.FLUSH;
    const max = SERIAL_LINK.maxPayload;
    let at = 0;
    do {
      const n = Math.min(max, bytes.length - at);
      const last = at + n === bytes.length;
      const payload = Buffer.from(bytes.subarray(at, at + n));
      const flags = flush | (last && end ? 1 << SERIAL_LINK.dataFlags.END : 0);
      this.queue.push({ seq: -1, type: STREAM_TYPE[kind], flags, payload, cost: n + 1, payloadBytes: n });
      at += n;
    } while (at < bytes.length);
    this.pump();
  }

  readRegister(addr: number): Promise<RegisterAnswer> {
    const p = Buffer.alloc(2);
    p.writeUInt16LE(addr);
    return this.requestRegister(HT.regRead, p);
  }

  writeRegister(addr: number, value: number): Promise<RegisterAnswer> {
    const p = Buffer.alloc(6);
    p.writeUInt16LE(addr, 0);
    p.writeUInt32LE(value >>> 0, 2);
    return this.requestRegister(HT.regWrite, p);
  }

  /** The board's link counters (SERIAL_LINK.counters, in order). */
  stats(): Promise<number[]> {
    return new Promise((resolve) => {
      this.statsWait.push(resolve);
      this.sendStatsRequest();
    });
  }

  private statsSentAt = 0;
  private sendStatsRequest(): void {
    this.statsSentAt = this.now();
    this.o.write(slipEncode(buildFrame(HT.stats, 0, this.expected, 0)));
  }

  private requestRegister(type: number, payload: Buffer): Promise<RegisterAnswer> {
    if (this.settled) this.lastProgress = this.now();
    return new Promise((resolve, reject) => {
      this.registerQueue.push({ frame: { seq: -1, type, flags: 0, payload, cost: 0, payloadBytes: 0 }, resolve, reject });
      this.pump();
    });
  }

  /** Sends what the window allows, in order. A register request goes out at once, ahead of stream frames
   *  still queued (as on the other backends, where a register access does not wait for queued ingress), and
   *  waits for its answer alone. */
  private pump(): void {
    if (!this.synced) return;
    let sent = false;
    if (!this.register && this.registerQueue.length && this.unacked.length < MAX_UNACKED) {
      const r = this.registerQueue.shift()!;
      this.register = { ...r, sentAt: this.now() };
      this.transmit(r.frame);
      sent = true;
    }
    let inFlight = 0;
    for (const f of this.unacked) inFlight += f.cost;
    while (this.queue.length && this.unacked.length < MAX_UNACKED) {
      const next = this.queue[0]!;
      if (inFlight + next.cost > this.window) break;
      this.queue.shift();
      this.transmit(next);
      inFlight += next.cost;
      sent = true;
    }
    if (sent) this.ackOwed = false;
  }

  private transmit(f: OutFrame): void {
    if (f.seq < 0) {
      f.seq = this.nextSeq;
      this.nextSeq = (this.nextSeq + 1) & 0xff;
      this.counters.framesOut++;
    }
    if (this.unacked.length === 0) this.lastProgress = this.now();
    if (!this.unacked.includes(f)) this.unacked.push(f);
    this.o.write(slipEncode(buildFrame(f.type, f.seq, this.expected, f.flags, f.payload)));
  }

  /** Bytes from the port. */
  receive(chunk: Uint8Array): void {
    this.decoder.push(chunk, (bytes) => {
      if (!bytes) { this.counters.badFrames++; return; }
      const f = parseFrame(bytes);
      if (!f) { this.counters.crcErrors++; return; }
      this.counters.framesIn++;
      this.onFrame(f);
    });
    if (this.synced) {
      this.pump();
      if (this.ackOwed) this.sendAck(false);
    }
  }

  private onFrame(f: Frame): void {
    if (f.type === BT.syncAck) {
      if (this.syncWait && f.seq === this.syncWait.nonce) {
        const wait = this.syncWait;
        this.syncWait = undefined;
        this.synced = true;
        this.nextSeq = 0;
        this.expected = 0;
        this.window = f.window;
        this.acknowledgedBytes = 0;
        this.lastProgress = this.now();
        wait.resolve({ version: f.payload[0] ?? 0, slots: f.payload[1] ?? 0, fifoDepth: 1 << (f.payload[2] ?? 0) });
      }
      return;
    }
    if (!this.synced) return; // frames of an earlier session
    this.onAck(f.ack, f.window);
    // the board saw a frame after a lost one: resend from the first unacknowledged now rather than at the
    // timeout, but once per burst (the frames still on the line behind the loss ask again)
    if ((f.flags >> SERIAL_LINK.ackFlags.REWIND) & 1 && this.unacked.length && this.now() - this.wentBackAt > this.resendMs / 2) {
      this.counters.rewindsReceived++;
      this.goBack();
    }
    if (f.type < SERIAL_LINK.boardSequencedBelow) {
      const ahead = (f.seq - this.expected) & 0xff;
      if (!wellFormed(f)) {
        // never taken in sequence: the board sends it again, and a slot is not skipped for a frame not used
        this.counters.badFrames++;
      } else if (ahead === 0) {
        this.expected = (this.expected + 1) & 0xff;
        this.ackOwed = true;
        this.rewindAt = -Infinity;
        this.deliver(f);
      } else if (ahead < 128) {
        this.counters.outOfOrder++;
        // one request to resend per gap, repeated only when it goes unanswered
        if (this.now() - this.rewindAt > this.resendMs) this.sendAck(true);
      } else {
        this.counters.duplicates++;
        this.ackOwed = true;
      }
      return;
    }
    if (f.type === BT.regResponse) {
      const r = this.register;
      if (r && r.frame.seq === f.seq && f.payload.length >= 5) {
        this.register = undefined;
        r.resolve({ value: f.payload.readUInt32LE(0), resp: f.payload[4]! & 3 });
      }
    } else if (f.type === BT.stats) {
      const values: number[] = [];
      for (let i = 0; i + 4 <= f.payload.length; i += 4) values.push(f.payload.readUInt32LE(i));
      this.statsWait.shift()?.(values);
    }
  }

  private onAck(ack: number, window: number): void {
    // frames before `ack` are taken; an ack for a frame never sent is stale or corrupt and ignored
    const base = this.unacked[0]?.seq ?? this.nextSeq;
    const advance = (ack - base) & 0xff;
    if (advance > this.unacked.length) return;
    const grew = window > this.window;
    this.window = window;
    if (advance === 0) {
      if (grew && this.queue.length) this.lastProgress = this.now();
      return;
    }
    for (const f of this.unacked.splice(0, advance)) this.acknowledgedBytes += f.payloadBytes;
    this.lastProgress = this.now();
    this.backoff = 1;
    this.o.onProgress?.();
  }

  private deliver(f: Frame): void {
    if (f.type === BT.records) {
      this.o.onRecords(f.payload);
    } else {
      const status = f.payload[f.payload.length - 1]!;
      this.o.onOrderBytes(f.payload.subarray(0, f.payload.length - 1), (status >> SERIAL_LINK.orderStatus.END & 1) === 1,
        (status >> SERIAL_LINK.orderStatus.DROPPED & 1) === 1);
    }
  }

  private sendAck(rewind: boolean): void {
    if (rewind) {
      this.rewindAt = this.now();
      this.counters.rewindsSent++;
    }
    this.ackOwed = false;
    this.o.write(slipEncode(buildFrame(HT.ack, 0, this.expected, rewind ? 1 << SERIAL_LINK.ackFlags.REWIND : 0)));
  }

  private wentBackAt = -Infinity;
  private goBack(): void {
    this.wentBackAt = this.now();
    for (const f of this.unacked) { this.counters.resent++; this.transmit(f); }
  }

  /** Timers: resends and repeated requests. Call every few milliseconds. */
  tick(): void {
    const now = this.now();
    if (this.syncWait) {
      if (now - this.syncSentAt > this.resendMs) this.sendSync();
      return;
    }
    if (!this.synced) return;
    if (this.unacked.length && now - this.lastProgress > this.resendMs * this.backoff) {
      // go back: everything unacknowledged again, in order
      this.counters.timeouts++;
      this.goBack();
      this.lastProgress = now;
      this.backoff = Math.min(8, this.backoff * 2);
    }
    // a register request taken but not answered: the answer was lost; the board answers a repeat again
    const r = this.register;
    if (r && !this.unacked.includes(r.frame) && now - r.sentAt > this.resendMs) {
      r.sentAt = now;
      this.counters.resent++;
      this.o.write(slipEncode(buildFrame(r.frame.type, r.frame.seq, this.expected, 0, r.frame.payload)));
    }
    if (this.rewindAt !== -Infinity && now - this.rewindAt > this.resendMs) this.sendAck(true);
    // control requests and their answers are not sequenced: asked again until answered
    if (this.statsWait.length && now - this.statsSentAt > this.resendMs) this.sendStatsRequest();
    this.pump();
  }
}

export interface SyncInfo {
  version: number;
  slots: number;
  fifoDepth: number;
}
