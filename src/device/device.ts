// The Device interface that every backend presents to the rest of tickgate.
import type { DeviceEvent } from './events.js';

export type BackendName = 'sim' | 'ref' | 'pcie' | 'serial';
export const BACKENDS: readonly BackendName[] = ['sim', 'ref', 'pcie', 'serial'];
/** The backends that drive a board: one card holds every role. */
export const BOARD_BACKENDS: readonly BackendName[] = ['pcie', 'serial'];
/** The backends that need no board: the RTL in Verilator and the golden model. */
export const LOCAL_BACKENDS = ['sim', 'ref'] as const;
/** The xdma driver's device files of the first card. */
export const DEFAULT_PCIE_DEVICE = '/dev/xdma0';

/** Where a board is: for pcie the device files' prefix, for serial the port (and its baud rate). */
export interface BoardAddress {
  device?: string;
  baud?: number;
}

/** A board named on the command line, with the flag that named it (for the messages). */
export interface BoardOption extends BoardAddress {
  boardFlag?: '--device' | '--port';
}

export interface SendOptions {
  /** End the ingress stream after these bytes (a TCP close); the device answers with a stream_end event. */
  end?: boolean;
}

export interface Device {
  readonly backend: BackendName;
  /** Resets the device: registers to their reset values, queues emptied, streams restarted. */
  reset(): void;
  readReg(addr: number): number;
  writeReg(addr: number, value: number): void;
  /** Reads a 64-bit counter: LO first, which latches HI. */
  readReg64(addrLo: number): bigint;
  /** Queues bytes for the FIX ingress; resolves when the device has room for more. */
  send(bytes: Uint8Array, options?: SendOptions): Promise<void>;
  /** Queues one UDP payload (a MoldUDP64 packet) for the feed ingress; resolves when the device has room
   *  for more. */
  sendFeed(packet: Uint8Array): Promise<void>;
  /** Queues bytes for the order ingress (the risk gate); `end` ends the order stream after them. Resolves
   *  when the device has room for more. */
  sendOrders(bytes: Uint8Array, options?: SendOptions): Promise<void>;
  /** Resolves once everything sent so far is processed and its records are in the event queue. */
  flush(): Promise<void>;
  /** From now on, the FIX path's records come as fix_records events (the records as the device wrote them,
   *  many per event) instead of one fix_field, fix_frame or stream_end event each: for a reader that walks
   *  records in place. Other events are unchanged. */
  deliverFixRecords(): void;
  /** The same for the feed path: feed_records events instead of one feed_record event per record. */
  deliverFeedRecords(): void;
  /** Events in device order. One reader at a time. */
  events(): AsyncIterableIterator<DeviceEvent>;
  close(): Promise<void>;
}

/** Register access errors carry the address and what went wrong, in the words of every backend. */
export class RegisterError extends Error {
  readonly code = 'REGISTER';
  constructor(message: string, readonly addr: number) {
    super(message);
  }
}

export function hexAddr(addr: number): string {
  return '0x' + addr.toString(16).toUpperCase().padStart(3, '0');
}

/** Reads a 64-bit counter: LO first, which latches HI. */
export function readReg64(device: { readReg(addr: number): number }, addrLo: number): bigint {
  const lo = device.readReg(addrLo);
  const hi = device.readReg(addrLo + 4);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** A board that cannot be used: missing, not a tickgate card, or one that stopped answering. The message is
 *  one line and names the device; the command line exits 2 with it. */
export class DeviceUnavailableError extends Error {
  readonly code = 'DEVICE';
}

/** A board that failed while in use (a transfer failed or timed out); ends the event stream. */
export class DeviceFailedError extends DeviceUnavailableError {}
