// Device over a small FPGA board on a serial line (hdl/boards/arty_a7 with the serial shell), or over the
// emulator's pseudo-terminal (`tickgate emulate serial`). The link runs in its own process (serial-host.ts:
// serialport reads only on a process's main thread), reached through a relay thread (serial-relay.ts); this
// side posts stream bytes and waits on shared memory for the answers to register accesses, which the Device
// interface makes synchronous.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from './addon.js';
import { DeviceUnavailableError, RegisterError, hexAddr } from './device.js';
import { NativeEventDevice, type NativeEventSource } from './native-event-device.js';
import { SHARED, type LinkRequest, type RelayData, type RelayMessage } from './serial-shared.js';
import type { HostLinkCounters } from './serial-link.js';
import type { SERIAL_LINK } from './generated/layout.js';

export const DEFAULT_SERIAL_BAUD = 3_000_000;

export interface SerialDeviceOptions {
  /** The serial port: /dev/ttyUSB1, or the emulator's link. */
  port: string;
  baud?: number;
  /** A board that makes no progress for this long is reported (default 10,000 ms). */
  timeoutMs?: number;
  /** Resend unacknowledged frames after this long (default 250 ms). */
  resendMs?: number;
}

/** The link's counters at both ends (SERIAL_LINK.counters on the board). */
export type LinkCounterName = (typeof SERIAL_LINK.counters)[number];

export interface SerialLinkStats {
  board: Record<LinkCounterName, number>;
  host: HostLinkCounters;
}

type OnEvents = (records: Buffer, egressCycles: Buffer, queued: number, idle: boolean, serial: number,
  orderOut: Buffer, orderEnds: Buffer, error?: string) => void;

/** A compiled module of the backend: beside this one, or in dist/ when this one runs from source (the tests). */
function compiled(name: string): URL {
  const here = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return pathToFileURL(path.join(packageRoot(), 'dist', 'src', 'device', `${name}.js`));
}

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** The NativeEventSource of the serial backend: a proxy for the link process, through the relay thread. */
class SerialLink implements NativeEventSource {
  private readonly worker: Worker;
  private readonly shared = new SharedArrayBuffer(SHARED.bytes);
  private readonly ctl = new Int32Array(this.shared, 0, SHARED.ints);
  private readonly acked = new BigInt64Array(this.shared, SHARED.ackedOffset, 1);
  private posted = 0n;
  private sends = 0;
  private closed = false;
  private readonly where: string;
  private readonly waitMs: number;

  constructor(options: SerialDeviceOptions, private readonly onEvents: OnEvents) {
    this.where = `serial device ${options.port}`;
    const timeoutMs = options.timeoutMs ?? 10_000;
    // a call waits for the worker's own time-outs, and a little more
    this.waitMs = 3 * timeoutMs + 1000;
    const workerData: RelayData = {
      shared: this.shared,
      options: { port: options.port, baud: options.baud ?? DEFAULT_SERIAL_BAUD, timeoutMs, resendMs: options.resendMs ?? 250 },
      hostModule: fileURLToPath(compiled('serial-host')),
    };
    this.worker = new Worker(compiled('serial-relay'), { workerData });
    this.worker.on('message', (m: RelayMessage) => this.onMessage(m));
    this.worker.on('error', (err) => this.onEvents(Buffer.alloc(0), Buffer.alloc(0), 0, false, 0, Buffer.alloc(0), Buffer.alloc(0), `${this.where}: ${err.message}`));
    try {
      this.call({ op: 'open' });
    } catch (err) {
      void this.worker.terminate();
      throw new DeviceUnavailableError((err as Error).message);
    }
  }

  private onMessage(m: RelayMessage): void {
    if (m.type === 'failed') {
      this.onEvents(Buffer.alloc(0), Buffer.alloc(0), this.ingressQueued(), false, 0, Buffer.alloc(0), Buffer.alloc(0), m.error);
      return;
    }
    const idle = m.idleSerial !== undefined;
    this.onEvents(asBuffer(m.records), Buffer.alloc(0), this.ingressQueued(), idle, m.idleSerial ?? 0, asBuffer(m.orderOut), asBuffer(m.orderEnds));
  }

  /** Posts a request and waits for the worker's answer. */
  private call(req: LinkRequest): { value: number; resp: number; text: string } {
    if (this.closed && req.op !== 'close') throw new DeviceUnavailableError(`${this.where} is closed`);
    const serial = Atomics.load(this.ctl, SHARED.serial);
    this.worker.postMessage(req);
    if (Atomics.wait(this.ctl, SHARED.serial, serial, this.waitMs) === 'timed-out') {
      throw new DeviceUnavailableError(`${this.where}: the link worker did not answer within ${this.waitMs} ms`);
    }
    const length = Atomics.load(this.ctl, SHARED.textLength);
    const text = length >= 0 ? Buffer.from(new Uint8Array(this.shared, SHARED.textOffset, length)).toString('utf8') : '';
    const resp = Atomics.load(this.ctl, SHARED.resp);
    if (resp === -1) throw new DeviceUnavailableError(text);
    return { value: Atomics.load(this.ctl, SHARED.value) >>> 0, resp, text };
  }

  reset(): void {
    this.call({ op: 'reset' });
  }

  readReg(addr: number): number {
    const a = this.call({ op: 'reg', write: false, addr, value: 0 });
    if (a.resp !== 0) throw new RegisterError(a.text, addr);
    return a.value;
  }

  writeReg(addr: number, value: number): void {
    const a = this.call({ op: 'reg', write: true, addr, value: value >>> 0 });
    if (a.resp !== 0) throw new RegisterError(a.text || `register write at ${hexAddr(addr)} refused`, addr);
  }

  private post(kind: 'fix' | 'feed' | 'orders', bytes: Uint8Array, end: boolean): void {
    if (this.closed) throw new DeviceUnavailableError(`${this.where} is closed`);
    const copy = new Uint8Array(bytes);
    this.posted += BigInt(copy.length);
    this.sends++;
    this.worker.postMessage({ op: 'data', kind, bytes: copy, end } satisfies LinkRequest, [copy.buffer]);
  }

  sendFix(bytes: Uint8Array, last = false): void { this.post('fix', bytes, last); }
  sendFeed(packet: Uint8Array): void { this.post('feed', packet, true); }
  sendOrders(bytes: Uint8Array, last = false): void { this.post('orders', bytes, last); }

  ingressQueued(): number {
    return Number(this.posted - Atomics.load(this.acked, 0));
  }

  requestIdle(): void {
    this.worker.postMessage({ op: 'idle', serial: this.sends } satisfies LinkRequest);
  }

  stats(): SerialLinkStats {
    return JSON.parse(this.call({ op: 'stats' }).text) as SerialLinkStats;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.call({ op: 'close' });
    } catch {
      // a worker that cannot close its port is ended anyway
    }
    void this.worker.terminate();
  }
}

export class SerialDevice extends NativeEventDevice {
  readonly backend = 'serial' as const;
  protected readonly native: SerialLink;

  /** Throws DeviceUnavailableError when the port is missing, the board does not answer or is not a tickgate
   *  board of this layout. */
  constructor(options: SerialDeviceOptions) {
    super();
    this.native = new SerialLink(options, this.onEvents);
  }

  /** The link's counters: what the board and the host detected and recovered. */
  linkStats(): SerialLinkStats {
    return this.native.stats();
  }
}
