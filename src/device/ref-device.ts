// The reference device: the whole core (registers, counters, parser, record sequence) in TypeScript.
// It has no clock: timestamps and the cycle counter read 0, and nothing is ever stalled. It sends one
// field entry per record where the RTL packs up to two, so its EVENTS_OUT and record sequence numbers
// count differently; everything else matches the RTL exactly.
import { FixParserModel, type ParsedItem } from '../fix/ref-parser.js';
import { hexAddr, RegisterError, type Device, type SendOptions } from './device.js';
import { EventQueue } from './event-queue.js';
import type { DeviceEvent } from './events.js';
import { CSR_WINDOW_BYTES, DEVICE_ID, DEVICE_VERSION, RECORD_BYTES, REG, REG_BIT, REG_RESET } from './generated/layout.js';

const U32 = 0xffffffff;

export class RefDevice implements Device {
  readonly backend = 'ref' as const;
  private readonly queue = new EventQueue<DeviceEvent>();
  private parser = new FixParserModel();
  private held: { bytes: Uint8Array; end: boolean }[] = [];
  private scratch = 0;
  private control = 0;
  private maxMsgLen = 0;
  private hiLatch = 0;
  private seq = 0;
  private counters = RefDevice.zeroCounters();

  private static zeroCounters() {
    return {
      messages: 0, bytes: 0n, garbled: 0, garbledBytes: 0, truncated: 0, tooLong: 0, badChecksum: 0, badBodyLength: 0,
      fields: 0, streams: 0, eventsOut: 0,
    };
  }

  constructor() { this.reset(); }

  reset(): void {
    this.scratch = REG_RESET.SCRATCH;
    this.control = REG_RESET.CONTROL;
    this.maxMsgLen = REG_RESET.FIX_MAX_MSG_LEN;
    this.parser = new FixParserModel(this.maxMsgLen);
    this.held = [];
    this.hiLatch = 0;
    this.seq = 0;
    this.clearCounters();
  }

  private clearCounters(): void {
    this.counters = RefDevice.zeroCounters();
  }

  private checkAddress(addr: number): void {
    if (!Number.isInteger(addr) || addr < 0 || addr > U32) throw new RangeError('register address must be an integer from 0 to 2^32-1');
    if (addr % 4 !== 0) throw new RegisterError(`register address ${hexAddr(addr)} is not 32-bit aligned`, addr);
    if (addr >= CSR_WINDOW_BYTES) {
      throw new RegisterError(`register address ${hexAddr(addr)} is outside the ${CSR_WINDOW_BYTES}-byte register window`, addr);
    }
  }

  readReg(addr: number): number {
    this.checkAddress(addr);
    const c = this.counters;
    switch (addr) {
      case REG.ID: return DEVICE_ID;
      case REG.VERSION: return DEVICE_VERSION;
      case REG.SCRATCH: return this.scratch;
      case REG.CONTROL: return this.control;
      case REG.FIX_MAX_MSG_LEN: return this.maxMsgLen;
      case REG.RECORD_BYTES: return RECORD_BYTES;
      case REG.CYCLE_LO: this.hiLatch = 0; return 0;
      case REG.CYCLE_HI: return this.hiLatch;
      case REG.FIX_MESSAGES: return c.messages >>> 0;
      case REG.FIX_BYTES_LO: this.hiLatch = Number((c.bytes >> 32n) & 0xffffffffn); return Number(c.bytes & 0xffffffffn);
      case REG.FIX_BYTES_HI: return this.hiLatch;
      case REG.FIX_GARBLED: return c.garbled >>> 0;
      case REG.FIX_GARBLED_BYTES: return c.garbledBytes >>> 0;
      case REG.FIX_TRUNCATED: return c.truncated >>> 0;
      case REG.FIX_TOO_LONG: return c.tooLong >>> 0;
      case REG.FIX_STREAMS: return c.streams >>> 0;
      case REG.FIX_BAD_CHECKSUM: return c.badChecksum >>> 0;
      case REG.FIX_BAD_BODY_LENGTH: return c.badBodyLength >>> 0;
      case REG.FIX_FIELDS: return c.fields >>> 0;
      case REG.EVENTS_OUT: return c.eventsOut >>> 0;
      case REG.EVENT_STALL_CYCLES: return 0;
      default: throw new RegisterError(`read from register ${hexAddr(addr)} failed: no readable register there`, addr);
    }
  }

  writeReg(addr: number, value: number): void {
    this.checkAddress(addr);
    if (!Number.isInteger(value) || value < 0 || value > U32) throw new RangeError('register value must be an integer from 0 to 2^32-1');
    switch (addr) {
      case REG.SCRATCH: this.scratch = value; return;
      case REG.CONTROL: this.control = value; this.process(); return;
      case REG.FIX_MAX_MSG_LEN: this.maxMsgLen = value; this.parser.maxMsgLen = value; return;
      case REG.COUNTER_CLEAR: if (value & 1) this.clearCounters(); return;
      default: throw new RegisterError(`write to register ${hexAddr(addr)} failed: no writable register there`, addr);
    }
  }

  readReg64(addrLo: number): bigint {
    const lo = this.readReg(addrLo);
    return (BigInt(this.readReg(addrLo + 4)) << 32n) | BigInt(lo);
  }

  async send(bytes: Uint8Array, options: SendOptions = {}): Promise<void> {
    if (bytes.length === 0 && !options.end) return;
    this.held.push({ bytes: Uint8Array.from(bytes), end: options.end ?? false });
    this.process();
  }

  private process(): void {
    if (!((this.control >>> REG_BIT.CONTROL_FIX_RX_ENABLE) & 1)) return;
    const events: DeviceEvent[] = [];
    for (const chunk of this.held) {
      this.counters.bytes += BigInt(chunk.bytes.length);
      const items = this.parser.push(chunk.bytes);
      if (chunk.end) this.parser.end(items);
      for (const item of items) events.push(this.toEvent(item));
    }
    this.held = [];
    this.queue.push(events);
  }

  private toEvent(item: ParsedItem): DeviceEvent {
    const c = this.counters;
    const seq = this.seq;
    this.seq = (this.seq + 1) >>> 0;
    c.eventsOut++;
    switch (item.kind) {
      case 'stream_end':
        c.streams++;
        return { ...item, seq, timestamp: 0n };
      case 'fix_field':
        c.fields++;
        return { ...item, seq };
      case 'fix_frame':
        switch (item.error) {
          case null: c.messages++; break;
          case 'garbled': c.garbled++; c.garbledBytes = (c.garbledBytes + item.length) >>> 0; break;
          case 'truncated': c.truncated++; break;
          case 'too_long': c.tooLong++; break;
          case 'bad_checksum': c.badChecksum++; break;
          case 'bad_body_length': c.badBodyLength++; break;
        }
        return { ...item, seq, timestamp: 0n };
    }
  }

  events(): AsyncIterableIterator<DeviceEvent> { return this.queue; }

  async close(): Promise<void> { this.queue.finish(); }
}
