// A Device over a native backend that delivers event batches from its own threads (the `sim` clock thread,
// the `pcie` reader threads): the batches are decoded into the event queue, sends are paced by the bytes
// still queued in the addon, and flush() waits for the batch that reports everything sent as processed.
import type { Device, BackendName, SendOptions } from './device.js';
import { DeviceFailedError, readReg64 } from './device.js';
import { EventQueue } from './event-queue.js';
import { decodeRecords, orderOutEvent, type DeviceEvent, type RecordRuns } from './events.js';

const HIGH_WATER_BYTES = 4 << 20;
const LOW_WATER_BYTES = 1 << 20;

/** What the addon's threaded device classes (SimDevice, PcieDevice) have in common. */
export interface NativeEventSource {
  reset(cycles?: number): void;
  readReg(addr: number): number;
  writeReg(addr: number, value: number): void;
  sendFix(bytes: Uint8Array, last?: boolean): void;
  /** One UDP payload (a MoldUDP64 packet) for the feed ingress; tlast on its last byte. */
  sendFeed(packet: Uint8Array): void;
  /** Bytes for the order ingress (the risk gate); `last` ends the stream after them. */
  sendOrders(bytes: Uint8Array, last?: boolean): void;
  ingressQueued(): number;
  /** Someone waits for everything sent so far: report it processed with an idle batch (the pcie backend
   *  polls the card's counters only then). */
  requestIdle(): void;
  close(): void;
}

export abstract class NativeEventDevice implements Device {
  abstract readonly backend: BackendName;
  protected abstract readonly native: NativeEventSource;
  protected readonly queue = new EventQueue<DeviceEvent>();
  protected closed = false;
  private ingressQueued = 0;
  private readonly drained: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private sends = 0;
  private idleSerial = 0;
  private idleWaiters: Array<{ serial: number; resolve: () => void; reject: (e: Error) => void }> = [];
  /** Set when the device failed: the event stream has ended, sends and flushes reject with it. */
  private failure: DeviceFailedError | undefined;

  /** Events decoded and waiting for the reader. */
  get eventsWaiting(): number { return this.queue.size; }

  reset(): void { this.native.reset(); }
  readReg(addr: number): number { return this.native.readReg(addr); }
  writeReg(addr: number, value: number): void { this.native.writeReg(addr, value); }
  readReg64(addrLo: number): bigint { return readReg64(this, addrLo); }

  /** The addon's onEvents callback. */
  protected readonly onEvents = (records: Buffer, _egressCycles: Buffer, queued: number, idle: boolean, serial: number,
    orderOut: Buffer, orderEnds: Buffer, error?: string): void => this.onBatch(records, queued, idle, serial, orderOut, orderEnds, error);

  private onBatch(records: Buffer, queued: number, idle: boolean, serial: number, orderOut: Buffer, orderEnds: Buffer,
    error?: string): void {
    this.ingressQueued = queued;
    try {
      const events = records.length ? decodeRecords(records, [], this.runs) : [];
      const out = orderOutEvent(orderOut, orderEnds);
      if (out) events.push(out);
      if (events.length) this.queue.push(events);
    } catch (err) {
      this.queue.finish(err);
    }
    if (error !== undefined) {
      // the device failed: the reader sees the end of the events before it; whoever sends or flushes gets the
      // error (the one place a command awaits, so it ends with the message instead of an unhandled rejection)
      this.failure ??= new DeviceFailedError(error);
      this.queue.finish();
      for (const w of [...this.drained.splice(0), ...this.idleWaiters.splice(0)]) w.reject(this.failure);
      return;
    }
    if (idle) {
      this.idleSerial = serial;
      this.idleWaiters = this.idleWaiters.filter((w) => (serial >= w.serial ? (w.resolve(), false) : true));
    }
    if (this.drained.length && queued <= LOW_WATER_BYTES) {
      for (const d of this.drained.splice(0)) d.resolve();
    }
  }

  send(bytes: Uint8Array, options: SendOptions = {}): Promise<void> {
    return this.submit(bytes.length > 0 || options.end === true, () => this.native.sendFix(bytes, options.end ?? false));
  }

  sendFeed(packet: Uint8Array): Promise<void> {
    return this.submit(true, () => this.native.sendFeed(packet));
  }

  sendOrders(bytes: Uint8Array, options: SendOptions = {}): Promise<void> {
    return this.submit(bytes.length > 0 || options.end === true, () => this.native.sendOrders(bytes, options.end ?? false));
  }

  /** Something the backend counts as a send (its idle batches report it) was done outside submit(). */
  protected countSend(): void {
    this.sends++;
  }

  /** Hands one send to the addon (when it carries anything), then waits while the ingress is full. */
  private async submit(carries: boolean, push: () => void): Promise<void> {
    if (this.failure) throw this.failure;
    if (!carries) return;
    push();
    this.sends++;
    await this.paced();
  }

  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed || this.idleSerial >= this.sends) return Promise.resolve();
    this.native.requestIdle();
    return new Promise((resolve, reject) => this.idleWaiters.push({ serial: this.sends, resolve, reject }));
  }

  /** Resolves at once, or when the ingress queues (both streams) are back under the low-water mark. */
  private async paced(): Promise<void> {
    this.ingressQueued = this.native.ingressQueued();
    if (this.ingressQueued > HIGH_WATER_BYTES) {
      await new Promise<void>((resolve, reject) => { this.drained.push({ resolve, reject }); });
    }
  }

  private readonly runs: RecordRuns = {};
  deliverFixRecords(): void { this.runs.fix = true; }
  deliverFeedRecords(): void { this.runs.feed = true; }

  events(): AsyncIterableIterator<DeviceEvent> { return this.queue; }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.native.close();
    this.queue.finish();
    for (const w of [...this.drained.splice(0), ...this.idleWaiters.splice(0)]) w.resolve();
  }
}
