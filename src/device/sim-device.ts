// Device over the Verilator backend. Threaded: the native clock thread delivers event batches through a
// thread-safe function. Stepped: nothing moves until step(), for deterministic tests and benchmarks.
import { loadAddon, type HostWaits, type NativeSimDevice } from './addon.js';
import { readReg64, type SendOptions } from './device.js';
import { decodeRecords, orderOutEvent, type DeviceEvent } from './events.js';
import { RECORD_BYTES } from './generated/layout.js';
import { NativeEventDevice } from './native-event-device.js';

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
  readReg64(addrLo: number): bigint { return readReg64(this, addrLo); }
  /** Cycles since reset was released. */
  cycles(): bigint { return this.native.cycles(); }
}

export class SimDevice extends NativeEventDevice {
  readonly backend = 'sim' as const;
  protected readonly native: NativeSimDevice;

  constructor(options: SimDeviceOptions = {}) {
    super();
    const { SimDevice: Native } = loadAddon();
    this.native = new Native({
      ...options,
      onEvents: this.onEvents,
    });
    // A reader that falls behind holds the device (records wait in it, then ingress stalls): nothing is
    // dropped and the host's memory stays bounded.
    this.queue.setWatermarks(EVENTS_HIGH_WATER, EVENTS_LOW_WATER,
      () => { if (!this.closed) this.native.setHostReady(false); },
      () => { if (!this.closed) this.native.setHostReady(true); });
  }

  /** The simulation counts a register write as a send: the clock runs on after it (a write can set the device
   *  working), and flush() waits for it. */
  override writeReg(addr: number, value: number): void {
    super.writeReg(addr, value);
    this.countSend();
  }

  /** Cycles since reset was released. */
  cycles(): bigint { return this.native.cycles(); }

  /** How long calls into the device waited for its clock thread so far (measured in the addon, around the
   *  lock on the model: what a call waits for the simulation, and nothing else). */
  hostWaits(): HostWaits { return this.native.hostWaits(); }
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
