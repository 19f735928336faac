// Loads the native addon (build/tickgate.node) and describes its JavaScript surface.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeEventSource } from './native-event-device.js';

export interface SimDeviceOptions {
  /** FST waveform file to write; none when absent. */
  trace?: string;
  /** Chance in (0, 1] that the host takes a record in a given cycle (1: always). */
  egressReadyProbability?: number;
  /** Seed of the egress backpressure pattern. */
  seed?: number;
  /** Cycles the clock thread runs per batch. */
  batchCycles?: number;
  /** With a callback the device clocks itself on a native thread; without, it advances only in step(). */
  /** idle: everything of the first `sendSerial` sends is processed and its records are in this or an
   *  earlier batch. */
  onEvents?: (records: Buffer, egressCycles: Buffer, ingressQueued: number, idle: boolean, sendSerial: number,
    orderOut: Buffer, orderEnds: Buffer) => void;
}

export interface StepResult {
  records: Buffer;
  egressCycles: Buffer;
  ingressQueued: number;
  /** Bytes that left on the order egress, and where in them each frame (message) ended (uint32 LE each,
   *  ORDER_FRAME_DROPPED set when the frame ended with tuser: cut through, then dropped). */
  orderOut: Buffer;
  orderEnds: Buffer;
}

/** The methods of every threaded device (reset, registers, sends, ingressQueued, close) and the simulator's. */
export interface NativeSimDevice extends NativeEventSource {
  /** Chance in (0, 1] that the order egress takes a beat in a cycle. */
  setOrderEgressReady(probability: number, seed?: number): void;
  step(cycles: number): StepResult;
  setEgressReady(probability: number, seed?: number): void;
  /** Gaps in both ingress streams: each cycle offers the next beat with this probability. */
  setIngressValid(probability: number, seed?: number): void;
  /** Threaded mode: false stops the device's clock until true again (host back-pressure). */
  setHostReady(ready: boolean): void;
  cycles(): bigint;
  hostWaits(): HostWaits;
}

/** How long calls from JavaScript waited for the model: count, longest, and a count per power of two of
 *  nanoseconds (bucket k: waits of [2^k, 2^(k+1)) ns). */
export interface HostWaits {
  count: number;
  maxNs: number;
  buckets: number[];
}

export interface PcieDeviceOptions {
  /** The device files' prefix: <device>_user, <device>_h2c_<k>, <device>_c2h_<k>. */
  device: string;
  /** A card that makes no progress for this long is reported (default 5,000 ms). */
  timeoutMs?: number;
  /** As SimDevice's; `error` set when the card failed (that batch is the last). */
  onEvents: (records: Buffer, egressCycles: Buffer, ingressQueued: number, idle: boolean, sendSerial: number,
    orderOut: Buffer, orderEnds: Buffer, error?: string) => void;
}

/** The PcieDevice class has the methods every threaded device has, and no more. */
export type NativePcieDevice = NativeEventSource;

interface Addon {
  SimDevice: new (options?: SimDeviceOptions) => NativeSimDevice;
  PcieDevice: new (options: PcieDeviceOptions) => NativePcieDevice;
  recordBytes: number;
}

/** The repository root: the nearest folder above this file with tickgate's package.json. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'spec', 'device.yaml'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the tickgate package root');
    dir = up;
  }
}

let cached: Addon | undefined;

export function loadAddon(): Addon {
  if (cached) return cached;
  // TICKGATE_ADDON_VARIANT=coverage selects the coverage build (scripts/coverage.mjs)
  const variant = process.env.TICKGATE_ADDON_VARIANT === 'coverage' ? ['coverage'] : [];
  const file = path.join(packageRoot(), 'build', ...variant, 'tickgate.node');
  if (!existsSync(file)) {
    throw new Error(`the simulation addon ${path.relative(process.cwd(), file) || file} is not built: run \`npm run build\``);
  }
  cached = createRequire(import.meta.url)(file) as Addon;
  return cached;
}
