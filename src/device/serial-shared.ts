// What the serial backend's three parts share (serial-device.ts on the main thread, its relay thread
// serial-relay.ts, the link process serial-host.ts): the messages between them and the layout of the
// shared memory through which the relay answers the main thread's synchronous calls.
export const SHARED = {
  /** Int32 slots: serial (incremented per answer), value, resp (AXI-Lite, or -1: failed), textLength (-1: none). */
  ints: 4,
  serial: 0,
  value: 1,
  resp: 2,
  textLength: 3,
  /** BigInt64: stream payload bytes the board has acknowledged since the last reset. */
  ackedOffset: 16,
  /** The answer's text: an error message, or JSON. */
  textOffset: 32,
  textBytes: 4064,
  bytes: 4096,
} as const;

export interface SerialLinkOptions {
  port: string;
  baud: number;
  timeoutMs: number;
  resendMs: number;
}

export interface RelayData {
  shared: SharedArrayBuffer;
  options: SerialLinkOptions;
  /** The link process's module (serial-host.js). */
  hostModule: string;
}

/** Main thread to link process, through the relay. */
export type LinkRequest =
  | { op: 'data'; kind: 'fix' | 'feed' | 'orders'; bytes: Uint8Array; end: boolean }
  | { op: 'idle'; serial: number }
  | { op: 'open' }
  | { op: 'reset' }
  | { op: 'reg'; write: boolean; addr: number; value: number }
  | { op: 'stats' }
  | { op: 'close' };

export interface BatchMessage {
  type: 'batch';
  records: Uint8Array;
  orderOut: Uint8Array;
  orderEnds: Uint8Array;
  /** Stream payload bytes the board has acknowledged since the last reset. */
  acked: number;
  idleSerial?: number;
}

/** Link process to relay: answers to the waiting call, record batches, the end. */
export type HostMessage =
  | { type: 'answer'; value: number; resp: number; text?: string }
  | BatchMessage
  | { type: 'failed'; error: string };

/** Relay to main thread (answers go through the shared memory). */
export type RelayMessage = BatchMessage | { type: 'failed'; error: string };
