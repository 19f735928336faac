// Device over the Verilator backend. Threaded: the native clock thread delivers event batches through a
// thread-safe function. Stepped: nothing moves until step(), for deterministic tests and benchmarks.
import { loadAddon, type NativeSimDevice } from './addon.js';
import type { Device, SendOptions } from './device.js';
import { EventQueue } from './event-queue.js';
import { decodeRecords, type DeviceEvent } from './events.js';
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
  private drained: (() => void) | undefined;
  private closed = false;

  constructor(options: SimDeviceOptions = {}) {
    super();
    const { SimDevice: Native } = loadAddon();
    this.native = new Native({ ...options, onEvents: (records, _cycles, queued) => this.onBatch(records, queued) });
    // A reader that falls behind holds the device (records wait in it, then ingress stalls): nothing is
    // dropped and the host's memory stays bounded.
    this.queue.setWatermarks(EVENTS_HIGH_WATER, EVENTS_LOW_WATER,
      () => { if (!this.closed) this.native.setHostReady(false); },
      () => { if (!this.closed) this.native.setHostReady(true); });
  }

  /** Events decoded and waiting for the reader. */
  get eventsWaiting(): number { return this.queue.size; }

  private onBatch(records: Buffer, queued: number): void {
    this.ingressQueued = queued;
    try {
      if (records.length) this.queue.push(decodeRecords(records));
    } catch (err) {
      this.queue.finish(err);
    }
    if (this.drained && queued <= LOW_WATER_BYTES) {
      const d = this.drained;
      this.drained = undefined;
      d();
    }
  }

  async send(bytes: Uint8Array, options: SendOptions = {}): Promise<void> {
    this.native.sendFix(bytes, options.end ?? false);
    this.ingressQueued = this.native.ingressQueued();
    if (this.ingressQueued > HIGH_WATER_BYTES) {
      await new Promise<void>((resolve) => { this.drained = resolve; });
    }
  }

  events(): AsyncIterableIterator<DeviceEvent> { return this.queue; }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.native.close();
    this.queue.finish();
    this.drained?.();
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
  ingressQueued(): number { return this.native.ingressQueued(); }
  setEgressReady(probability: number, seed = 1): void { this.native.setEgressReady(probability, seed); }

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
    return { events, egressCycles };
  }

  /** step() without decoding: the records as the device wrote them, and one little-endian u64 cycle each. */
  stepRaw(cycles: number): { records: Buffer; egressCycles: Buffer } {
    return this.native.step(cycles);
  }

  close(): void { this.native.close(); }
}
