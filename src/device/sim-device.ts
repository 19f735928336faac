// Device over the Verilator backend. Threaded: the native clock thread delivers event batches through a
// thread-safe function. Stepped: nothing moves until step(), for deterministic tests and benchmarks.
import { loadAddon, type NativeSimDevice } from './addon.js';
import type { Device, SendOptions } from './device.js';
import { EventQueue } from './event-queue.js';
import { decodeRecords, orderOutEvent, type DeviceEvent } from './events.js';
import { RECORD_BYTES } from './generated/layout.js';

const HIGH_WATER_BYTES = 4 << 20;
const LOW_WATER_BYTES = 1 << 20;
/** Events waiting for the JavaScript reader before the device's clock is held (and back again). */
const EVENTS_HIGH_WATER = 1 << 16;
const EVENTS_LOW_WATER = 1 << 14;

export interface SimDeviceOptions {
  /** FST waveform file. */
  trace?: string;
  /** Chance that the host takes a record in a cycle; below 1 applies egress backpressure. */
  egressReadyProbability?: number;
  seed?: number;
}

function readBigCycles(buf: Buffer): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < buf.length; i += 8) out.push(buf.readBigUInt64LE(i));
  return out;
}

abstract class SimDeviceBase {
  readonly backend = 'sim' as const;
  protected abstract readonly native: NativeSimDevice;

  reset(): void { this.native.reset(); }
  readReg(addr: number): number { return this.native.readReg(addr); }
  writeReg(addr: number, value: number): void { this.native.writeReg(addr, value); }
  readReg64(addrLo: number): bigint {
    const lo = this.native.readReg(addrLo);
    const hi = this.native.readReg(addrLo + 4);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
  /** Cycles since reset was released. */
  cycles(): bigint { return this.native.cycles(); }
}

export class SimDevice extends SimDeviceBase implements Device {
  protected readonly native: NativeSimDevice;
  private readonly queue = new EventQueue<DeviceEvent>();
  private ingressQueued = 0;
  private readonly drained: Array<() => void> = [];
  private sends = 0;
  private idleSerial = 0;
  private idleWaiters: Array<{ serial: number; resolve: () => void }> = [];
  private closed = false;

  constructor(options: SimDeviceOptions = {}) {
    super();
    const { SimDevice: Native } = loadAddon();
    this.native = new Native({
      ...options,
      onEvents: (records, _cycles, queued, idle, serial, orderOut, orderEnds) => this.onBatch(records, queued, idle, serial, orderOut, orderEnds),
    });
    // A reader that falls behind holds the device (records wait in it, then ingress stalls): nothing is
    // dropped and the host's memory stays bounded.
    this.queue.setWatermarks(EVENTS_HIGH_WATER, EVENTS_LOW_WATER,
      () => { if (!this.closed) this.native.setHostReady(false); },
      () => { if (!this.closed) this.native.setHostReady(true); });
  }

  /** Events decoded and waiting for the reader. */
  get eventsWaiting(): number { return this.queue.size; }

  private onBatch(records: Buffer, queued: number, idle: boolean, serial: number, orderOut: Buffer, orderEnds: Buffer): void {
    this.ingressQueued = queued;
    try {
      const events = records.length ? decodeRecords(records) : [];
      const out = orderOutEvent(orderOut, orderEnds);
      if (out) events.push(out);
      if (events.length) this.queue.push(events);
    } catch (err) {
      this.queue.finish(err);
    }
    if (idle) {
      this.idleSerial = serial;
      this.idleWaiters = this.idleWaiters.filter((w) => (serial >= w.serial ? (w.resolve(), false) : true));
    }
    if (this.drained.length && queued <= LOW_WATER_BYTES) {
      for (const d of this.drained.splice(0)) d();
    }
  }

  async send(bytes: Uint8Array, options: SendOptions = {}): Promise<void> {
    if (bytes.length === 0 && !options.end) return;
    this.native.sendFix(bytes, options.end ?? false);
    this.sends++;
    await this.paced();
  }

  async sendFeed(packet: Uint8Array): Promise<void> {
    this.native.sendFeed(packet);
    this.sends++;
    await this.paced();
  }

  async sendOrders(bytes: Uint8Array, options: SendOptions = {}): Promise<void> {
    if (bytes.length === 0 && !options.end) return;
    this.native.sendOrders(bytes, options.end ?? false);
    this.sends++;
    await this.paced();
  }

  flush(): Promise<void> {
    if (this.closed || this.idleSerial >= this.sends) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push({ serial: this.sends, resolve }));
  }

  /** Resolves at once, or when the ingress queues (both streams) are back under the low-water mark. */
  private async paced(): Promise<void> {
    this.ingressQueued = this.native.ingressQueued();
    if (this.ingressQueued > HIGH_WATER_BYTES) {
      await new Promise<void>((resolve) => { this.drained.push(resolve); });
    }
  }

  events(): AsyncIterableIterator<DeviceEvent> { return this.queue; }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.native.close();
    this.queue.finish();
    for (const d of this.drained.splice(0)) d();
    for (const w of this.idleWaiters.splice(0)) w.resolve();
  }
}

export interface StepResult {
  events: DeviceEvent[];
  /** The cycle at which each event's record left the device. */
  egressCycles: bigint[];
}

/** The simulated device in synchronous mode: time moves only in step(). */
export class SteppedSimDevice extends SimDeviceBase {
  protected readonly native: NativeSimDevice;

  constructor(options: SimDeviceOptions = {}) {
    super();
    const { SimDevice: Native } = loadAddon();
    this.native = new Native(options);
  }

  sendNow(bytes: Uint8Array, options: SendOptions = {}): void { this.native.sendFix(bytes, options.end ?? false); }
  sendFeedNow(packet: Uint8Array): void { this.native.sendFeed(packet); }
  sendOrdersNow(bytes: Uint8Array, options: SendOptions = {}): void { this.native.sendOrders(bytes, options.end ?? false); }
  setOrderEgressReady(probability: number, seed = 1): void { this.native.setOrderEgressReady(probability, seed); }
  ingressQueued(): number { return this.native.ingressQueued(); }
  setEgressReady(probability: number, seed = 1): void { this.native.setEgressReady(probability, seed); }
  setIngressValid(probability: number, seed = 1): void { this.native.setIngressValid(probability, seed); }

  step(cycles: number): StepResult {
    const r = this.stepRaw(cycles);
    const recordCycles = readBigCycles(r.egressCycles);
    const events: DeviceEvent[] = [];
    const egressCycles: bigint[] = [];
    recordCycles.forEach((cycle, k) => {
      const before = events.length;
      decodeRecords(r.records.subarray(k * RECORD_BYTES, (k + 1) * RECORD_BYTES), events);
      for (let n = before; n < events.length; n++) egressCycles.push(cycle);
    });
    const out = orderOutEvent(r.orderOut, r.orderEnds);
    if (out) {
      events.push(out);
      egressCycles.push(this.native.cycles());
    }
    return { events, egressCycles };
  }

  /** step() without decoding: the records as the device wrote them, and one little-endian u64 cycle each. */
  stepRaw(cycles: number): { records: Buffer; egressCycles: Buffer; orderOut: Buffer; orderEnds: Buffer } {
    return this.native.step(cycles);
  }

  close(): void { this.native.close(); }
}
