// The reference device: the whole core (registers, counters, parser, record sequence) in TypeScript.
// It has no clock: timestamps and the cycle counter read 0, and nothing is ever stalled. It sends one
// field entry per record where the RTL packs up to two, so its EVENTS_OUT and record sequence numbers
// count differently; everything else matches the RTL exactly.
import { fieldValue, FixParserModel, type FieldState, type FrameRecord } from '../fix/ref-parser.js';
import { recordViews, writeFieldRecord, writeFrameRecord, writeStreamEndRecord } from '../fix/ref-records.js';
import { encodeFeedRecord, itchRecordCount, writeItchRecords } from '../itch/feed-records.js';
import { FeedDecoder, SESSION_SLOTS, type FeedOutput, type SymbolFilter } from '../itch/ref-decoder.js';
import type { WireSubscription } from '../itch/ref-udp-rx.js';
import type { SymbolLimits } from '../risk/config.js';
import { RiskGateModel, RISK_REASONS, type GateOutput } from '../risk/ref-gate.js';
import { RISK_TABLE_SLOTS, SymbolHash, symbolKey } from '../risk/symbol-table.js';
import { encodeVerdict } from '../risk/verdict-records.js';
import { hexAddr, RegisterError, type Device, type SendOptions } from './device.js';
import { EventQueue } from './event-queue.js';
import type { DeviceEvent } from './events.js';
import { CSR_WINDOW_BYTES, DECODED_NAME, DEVICE_ID, DEVICE_VERSION, RECORD_AT_COMMON, RECORD_BYTES, REG, REG_BIT, REG_RESET, WIRE_SUBSCRIPTIONS } from './generated/layout.js';

const U32 = 0xffffffff;
const SETTLED = Promise.resolve();
/** Events waiting for the reader above which a send waits for it, and the level it waits for. */
export const EVENTS_HIGH_WATER = 1 << 12;
const EVENTS_LOW_WATER = 1 << 10;
/** The largest piece of a stream write decoded before the pacing is asked (about 1,500 field events). */
const SEND_SLICE_BYTES = 1 << 14;
/** How long a send waits for a reader that takes nothing before it decides there is none. */
const READER_PATIENCE_MS = 200;
/** Records in one fix_records event (2 KiB): the queue paces by events, so at most EVENTS_HIGH_WATER of
 *  these (8 MiB) wait for the reader. With 128 a record (32 MiB waiting), `decode fix` of 1 GB into a pipe
 *  peaked at 227 MB; with 32, at 184–186 MB, at the same speed. */
const FIX_RECORDS_PER_EVENT = 32;
/** The same for feed_records events (8 KiB: an ITCH message is one or two records, where a FIX message is a
 *  score of them). */
const FEED_RECORDS_PER_EVENT = 128;

const TRADE = 0x50;         // P
const CROSS_TRADE = 0x51;   // Q
/** The Stock (trailing spaces dropped) and price of an ITCH trade (P, Q), as the gate's trade tap reads
 *  them (hdl/risk/trade_tap.v); it sees messages before the symbol filter. */
function tradeOf(packet: Buffer, at: number): { symbol: string; price: bigint } | undefined {
  const type = packet[at];
  if (type !== TRADE && type !== CROSS_TRADE) return undefined;
  const [stockAt, priceAt] = type === TRADE ? [at + 24, at + 32] : [at + 19, at + 27];
  const stock = packet.toString('latin1', stockAt, stockAt + 8);
  if (stock.includes('\0')) return undefined;
  return { symbol: stock.replace(/ +$/, ''), price: BigInt(packet.readUInt32BE(priceAt)) };
}
const RISK_REJECT_REGS: readonly number[] = [
  REG.RISK_REJECT_KILL_SWITCH, REG.RISK_REJECT_UNKNOWN_SYMBOL, REG.RISK_REJECT_MAX_QTY, REG.RISK_REJECT_MAX_NOTIONAL,
  REG.RISK_REJECT_PRICE_COLLAR, REG.RISK_REJECT_MAX_POSITION, REG.RISK_REJECT_RATE_LIMIT, REG.RISK_REJECT_BAD_ORDER,
];
const RISK_LIMIT_REGS: readonly number[] = [
  REG.RISK_LIMIT_MAX_QTY, REG.RISK_LIMIT_NOTIONAL_LO, REG.RISK_LIMIT_NOTIONAL_HI, REG.RISK_LIMIT_REF_LO, REG.RISK_LIMIT_REF_HI,
  REG.RISK_LIMIT_COLLAR_BPS, REG.RISK_LIMIT_POSITION_LO, REG.RISK_LIMIT_POSITION_HI,
];
const RISK_HASH_KEY_REGS = [REG.RISK_SHADOW_HASH_KEY0, REG.RISK_SHADOW_HASH_KEY1, REG.RISK_SHADOW_HASH_KEY2] as const;
/** Read/write risk registers the reference device just holds. */
const RISK_HELD_REGS: ReadonlySet<number> = new Set([
  REG.RISK_SHADOW_CONTROL, REG.RISK_SHADOW_CYCLES_PER_TOKEN, REG.RISK_SYM_LO, REG.RISK_SYM_HI, ...RISK_LIMIT_REGS,
  ...RISK_HASH_KEY_REGS,
]);
/** FEED_SUB_SLOTS of the RTL core. */
export const FEED_SUB_SLOTS = 32;

export class RefDevice implements Device {
  readonly backend = 'ref' as const;
  private readonly queue = new EventQueue<DeviceEvent>();
  /** Senders waiting for the reader (paced()). */
  private lowWaiters: Array<() => void> = [];
  /** The reader's taken count when it was last found taking nothing: no pacing until it moves. */
  private readerGoneAt = -1;
  private parser = new FixParserModel();
  private held: { bytes: Uint8Array; end: boolean }[] = [];
  private scratch = 0;
  private control = 0;
  private maxMsgLen = 0;
  private hiLatch = 0;
  private seq = 0;
  private counters = RefDevice.zeroCounters();
  private feed = new FeedDecoder();
  /** Where the feed's message records are written: zeroed slabs cut into records, never reused. */
  private readonly records = new RecordSlabs();
  private feedHeld: Buffer[] = [];
  private feedBytes = 0n;
  private subSymbolLo = 0;
  private subSymbolHi = 0;
  private subscriptions: Array<Buffer | undefined> = [];
  /** The wire ingress's table registers and entries (FEED_LINE_*). */
  private lineAddress = 0;
  private linePort = 0;
  private lines: Array<WireSubscription | undefined> = [];
  /** A/B arbitration: the registers, and the hold settings the arbiter has taken (when it was empty) */
  private arb = { holdPackets: 0, holdBeats: 0, idleCycles: 0, taken: { holdPackets: 0, holdBeats: -1 } };
  private risk = RefDevice.freshRisk();
  private ordersHeld: { bytes: Uint8Array; end: boolean }[] = [];

  /** The risk gate's registers and banks, and the golden model that decides. */
  private static freshRisk() {
    const bank = () => ({
      ways: [new Array<{ symbol: string; index: number } | undefined>(RISK_TABLE_SLOTS).fill(undefined),
        new Array<{ symbol: string; index: number } | undefined>(RISK_TABLE_SLOTS).fill(undefined)],
      limits: new Map<number, number[]>(),
      hash: new SymbolHash([0, 0, 0]),
    });
    return {
      active: 0,
      banks: [bank(), bank()],
      regs: new Map<number, number>([[REG.RISK_SHADOW_CONTROL, REG_RESET.RISK_SHADOW_CONTROL], [REG.RISK_SHADOW_CYCLES_PER_TOKEN, REG_RESET.RISK_SHADOW_CYCLES_PER_TOKEN],
        [REG.RISK_SHADOW_HASH_KEY0, REG_RESET.RISK_SHADOW_HASH_KEY0], [REG.RISK_SHADOW_HASH_KEY1, REG_RESET.RISK_SHADOW_HASH_KEY1],
        [REG.RISK_SHADOW_HASH_KEY2, REG_RESET.RISK_SHADOW_HASH_KEY2]]),
      gate: new RiskGateModel(),
      counters: { verdicts: 0, accepted: 0, passed: 0, trades: 0, bytesIn: 0n, bytesOut: 0n, rejects: new Array<number>(RISK_REASONS.length).fill(0) },
    };
  }

  private static zeroCounters() {
    return {
      messages: 0, bytes: 0n, garbled: 0, garbledBytes: 0, truncated: 0, tooLong: 0, badChecksum: 0, badBodyLength: 0,
      fields: 0, streams: 0, eventsOut: 0,
    };
  }

  constructor() {
    this.reset();
    this.queue.setWatermarks(EVENTS_HIGH_WATER, EVENTS_LOW_WATER, () => {}, () => this.wakeSenders());
  }

  private wakeSenders(): void {
    for (const done of this.lowWaiters.splice(0)) done();
  }

  reset(): void {
    this.scratch = REG_RESET.SCRATCH;
    this.control = REG_RESET.CONTROL;
    this.maxMsgLen = REG_RESET.FIX_MAX_MSG_LEN;
    this.parser = new FixParserModel(this.maxMsgLen);
    this.feed = new FeedDecoder(this.filter);
    this.feed.tap = (packet, at) => {
      if (!this.risk.gate.watchesTrades) return;
      const trade = tradeOf(packet, at);
      if (trade && this.risk.gate.trade(trade.symbol, trade.price)) this.risk.counters.trades++;
    };
    this.held = [];
    this.hiLatch = 0;
    this.seq = 0;
    this.subSymbolLo = REG_RESET.FEED_SUB_SYMBOL_LO;
    this.subSymbolHi = REG_RESET.FEED_SUB_SYMBOL_HI;
    this.subscriptions = new Array(FEED_SUB_SLOTS).fill(undefined);
    this.lineAddress = REG_RESET.FEED_LINE_ADDRESS;
    this.linePort = REG_RESET.FEED_LINE_PORT;
    this.lines = new Array(WIRE_SUBSCRIPTIONS).fill(undefined);
    this.arb = {
      holdPackets: REG_RESET.FEED_ARB_HOLD_PACKETS, holdBeats: REG_RESET.FEED_ARB_HOLD_BEATS, idleCycles: REG_RESET.FEED_ARB_IDLE_CYCLES,
      taken: { holdPackets: 0, holdBeats: -1 },
    };
    this.feedHeld = [];
    this.risk = RefDevice.freshRisk();
    this.ordersHeld = [];
    this.clearCounters();
  }

  /** The symbol filter as the registers set it: CONTROL.FEED_FILTER_ENABLE and the subscription slots. */
  private readonly filter: SymbolFilter = {
    enabled: () => ((this.control >>> REG_BIT.CONTROL_FEED_FILTER_ENABLE) & 1) === 1,
    subscribed: (stock) => this.subscriptions.some((s) => s?.equals(stock)),
  };

  private clearCounters(): void {
    this.counters = RefDevice.zeroCounters();
    this.risk.counters = RefDevice.freshRisk().counters;
    this.feedBytes = 0n;
    // the feed path's counters live in its decoder; its tables (sessions, locates) survive a counter clear
    const fresh = new FeedDecoder().counters;
    Object.assign(this.feed.counters, { ...fresh, errors: { ...fresh.errors }, linePackets: [0, 0] });
    this.feed.clearArbiterCounters();
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
    const f = this.feed.counters;
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
      case REG.FEED_SUB_SYMBOL_LO: return this.subSymbolLo;
      case REG.FEED_SUB_SYMBOL_HI: return this.subSymbolHi;
      case REG.FEED_SUB_SLOTS: return FEED_SUB_SLOTS;
      case REG.FEED_SESSION_SLOTS: return SESSION_SLOTS;
      case REG.FEED_STATUS: return 0;
      case REG.FEED_PACKETS: return f.packets >>> 0;
      case REG.FEED_BYTES_LO: this.hiLatch = Number((this.feedBytes >> 32n) & 0xffffffffn); return Number(this.feedBytes & 0xffffffffn);
      case REG.FEED_BYTES_HI: return this.hiLatch;
      case REG.FEED_MESSAGES: return f.messages >>> 0;
      case REG.FEED_HEARTBEATS: return f.heartbeats >>> 0;
      case REG.FEED_END_OF_SESSION: return f.endOfSession >>> 0;
      case REG.FEED_DUPLICATES: return f.duplicates >>> 0;
      case REG.FEED_DUPLICATE_PACKETS: return f.duplicatePackets >>> 0;
      case REG.FEED_GAPS: return f.gaps >>> 0;
      case REG.FEED_FILTERED: return f.filtered >>> 0;
      case REG.FEED_MISSING_LO: this.hiLatch = Number(f.missing >> 32n); return Number(f.missing & 0xffffffffn);
      case REG.FEED_MISSING_HI: return this.hiLatch;
      case REG.FEED_SHORT_PACKETS: return f.errors.short_packet >>> 0;
      case REG.FEED_TRUNCATED: return f.errors.truncated_packet >>> 0;
      case REG.FEED_TRAILING: return f.errors.trailing_bytes >>> 0;
      case REG.FEED_UNKNOWN_TYPES: return f.errors.unknown_message_type >>> 0;
      case REG.FEED_BAD_LENGTHS: return f.errors.bad_length >>> 0;
      case REG.FEED_LINE_ADDRESS: return this.lineAddress;
      case REG.FEED_LINE_PORT: return this.linePort;
      case REG.FEED_LINE_SLOTS: return WIRE_SUBSCRIPTIONS;
      case REG.FEED_FRAMES: return f.frames >>> 0;
      case REG.FEED_OTHER_TRAFFIC: return f.otherTraffic >>> 0;
      case REG.FEED_LINE_A_PACKETS: return f.linePackets[0] >>> 0;
      case REG.FEED_LINE_B_PACKETS: return f.linePackets[1] >>> 0;
      case REG.FEED_TRUNCATED_FRAMES: return f.errors.truncated_frame >>> 0;
      case REG.FEED_BAD_IP_HEADERS: return f.errors.bad_ip_header >>> 0;
      case REG.FEED_BAD_IP_CHECKSUMS: return f.errors.bad_ip_checksum >>> 0;
      case REG.FEED_IP_FRAGMENTS: return f.errors.ip_fragment >>> 0;
      case REG.FEED_BAD_UDP_LENGTHS: return f.errors.bad_udp_length >>> 0;
      case REG.FEED_BAD_UDP_CHECKSUMS: return f.errors.bad_udp_checksum >>> 0;
      case REG.FEED_ARB_HOLD_PACKETS: return this.arb.holdPackets;
      case REG.FEED_ARB_HOLD_BEATS: return this.arb.holdBeats;
      case REG.FEED_ARB_IDLE_CYCLES: return this.arb.idleCycles;
      case REG.FEED_LINE_A_COVERED_LO: return this.latch64(this.feed.arbiterCounters().coveredLosses[0]);
      case REG.FEED_LINE_A_COVERED_HI: return this.hiLatch;
      case REG.FEED_LINE_B_COVERED_LO: return this.latch64(this.feed.arbiterCounters().coveredLosses[1]);
      case REG.FEED_LINE_B_COVERED_HI: return this.hiLatch;
      case REG.FEED_LINE_A_LATE: return this.feed.arbiterCounters().lateDuplicates[0] >>> 0;
      case REG.FEED_LINE_B_LATE: return this.feed.arbiterCounters().lateDuplicates[1] >>> 0;
      // no clock, so no idle time-out: only a frame that does not fit flushes by itself
      case REG.FEED_ARB_FORCED_FLUSHES: return this.feed.arbiterCounters().forcedFlushes >>> 0;
      case REG.RISK_STATUS: return this.risk.active << REG_BIT.RISK_STATUS_ACTIVE_BANK;
      case REG.RISK_SYMBOLS: return RISK_TABLE_SLOTS;
      case REG.RISK_VERDICTS: return this.risk.counters.verdicts >>> 0;
      case REG.RISK_ACCEPTED: return this.risk.counters.accepted >>> 0;
      case REG.RISK_PASSED: return this.risk.counters.passed >>> 0;
      case REG.RISK_LATE: return 0;
      case REG.RISK_TRADES: return this.risk.counters.trades >>> 0;
      // no egress timeline here: every frame leaves whole, after its verdict (store and forward)
      case REG.ORDER_FRAMES_DROPPED: return 0;
      case REG.ORDER_BYTES_IN_LO: return this.latch64(this.risk.counters.bytesIn);
      case REG.ORDER_BYTES_IN_HI: return this.hiLatch;
      case REG.ORDER_BYTES_OUT_LO: return this.latch64(this.risk.counters.bytesOut);
      case REG.ORDER_BYTES_OUT_HI: return this.hiLatch;
      default: {
        const reject = RISK_REJECT_REGS.indexOf(addr);
        if (reject >= 0) return this.risk.counters.rejects[reject]! >>> 0;
        const held = this.risk.regs.get(addr);
        if (held !== undefined) return held;
        throw new RegisterError(`read from register ${hexAddr(addr)} failed: no readable register there`, addr);
      }
    }
  }

  writeReg(addr: number, value: number): void {
    this.checkAddress(addr);
    if (!Number.isInteger(value) || value < 0 || value > U32) throw new RangeError('register value must be an integer from 0 to 2^32-1');
    switch (addr) {
      case REG.SCRATCH: this.scratch = value; return;
      case REG.CONTROL: this.control = value; this.process(); this.processFeed(); this.processOrders(); return;
      case REG.FIX_MAX_MSG_LEN: this.maxMsgLen = value; this.parser.maxMsgLen = value; return;
      case REG.COUNTER_CLEAR: if (value & 1) this.clearCounters(); return;
      case REG.FEED_SUB_SYMBOL_LO: this.subSymbolLo = value; return;
      case REG.FEED_SUB_SYMBOL_HI: this.subSymbolHi = value; return;
      case REG.FEED_SUB_WRITE: {
        const slot = value & 0xff;
        if (slot >= FEED_SUB_SLOTS) return;
        const symbol = Buffer.alloc(8);
        symbol.writeUInt32LE(this.subSymbolLo, 0);
        symbol.writeUInt32LE(this.subSymbolHi, 4);
        this.subscriptions[slot] = (value >>> REG_BIT.FEED_SUB_WRITE_VALID) & 1 ? symbol : undefined;
        return;
      }
      case REG.FEED_LINE_ADDRESS: this.lineAddress = value; return;
      case REG.FEED_LINE_PORT: this.linePort = value; return;
      case REG.FEED_LINE_WRITE: {
        // the RTL keeps the entry's fields whether or not it is valid; only valid entries take part
        this.lines[value & 0xf] = (value >>> REG_BIT.FEED_LINE_WRITE_VALID) & 1
          ? { address: this.lineAddress, port: this.linePort & 0xffff, line: (this.linePort >>> REG_BIT.FEED_LINE_PORT_LINE_B) & 1 }
          : undefined;
        return;
      }
      case REG.FEED_ARB_HOLD_PACKETS: this.arb.holdPackets = value; return;
      case REG.FEED_ARB_HOLD_BEATS: this.arb.holdBeats = value; return;
      case REG.FEED_ARB_IDLE_CYCLES: this.arb.idleCycles = value; return;
      case REG.FEED_ARB_FLUSH:
        if (value & 1) {
          this.feed.flushTo(this.feedOut);
          this.pushFeedEvents();
        }
        return;
      case REG.RISK_SYM_WRITE: {
        const key = Buffer.alloc(8);
        key.writeUInt32LE(this.risk.regs.get(REG.RISK_SYM_LO) ?? 0, 0);
        key.writeUInt32LE(this.risk.regs.get(REG.RISK_SYM_HI) ?? 0, 4);
        const end = key.indexOf(0);
        const symbol = key.toString('latin1', 0, end < 0 ? 8 : end);
        const way = (value >>> REG_BIT.RISK_SYM_WRITE_WAY) & 1;
        this.risk.banks[1 - this.risk.active]!.ways[way]![value & 0x3ff] =
          (value >>> REG_BIT.RISK_SYM_WRITE_VALID) & 1 ? { symbol, index: (value >>> 16) & 0x3ff } : undefined;
        return;
      }
      case REG.RISK_LIMIT_WRITE:
        this.risk.banks[1 - this.risk.active]!.limits.set(value & 0x3ff, RISK_LIMIT_REGS.map((r) => this.risk.regs.get(r) ?? 0));
        return;
      case REG.RISK_COMMIT:
        if (value & 1) this.commitRisk();
        return;
      default:
        if (RISK_HELD_REGS.has(addr)) { this.risk.regs.set(addr, value); return; }
        throw new RegisterError(`write to register ${hexAddr(addr)} failed: no writable register there`, addr);
    }
  }

  private latch64(v: bigint): number {
    this.hiLatch = Number((v >> 32n) & 0xffffffffn);
    return Number(v & 0xffffffffn);
  }

  /** The shadow bank becomes the active one; the model takes its limits at once, between orders. */
  private commitRisk(): void {
    const r = this.risk;
    r.active = 1 - r.active;
    const bank = r.banks[r.active]!;
    const control = r.regs.get(REG.RISK_SHADOW_CONTROL) ?? 0;
    bank.hash = new SymbolHash([r.regs.get(REG.RISK_SHADOW_HASH_KEY0) ?? 0, r.regs.get(REG.RISK_SHADOW_HASH_KEY1) ?? 0, r.regs.get(REG.RISK_SHADOW_HASH_KEY2) ?? 0]);
    const symbols: SymbolLimits[] = [];
    const found = new Set<string>();
    for (const [wayNumber, way] of bank.ways.entries()) {
      for (const [slot, e] of way.entries()) {
        // the device finds a symbol only in its own buckets under the bank's key, way 0 first
        if (!e || found.has(e.symbol) || !bank.hash.holds(wayNumber, slot, symbolKey(e.symbol))) continue;
        found.add(e.symbol);
        const w = bank.limits.get(e.index) ?? new Array<number>(8).fill(0);
        const u = (lo: number, hi = 0, hiBits = 32) => (BigInt(hi & (2 ** hiBits - 1)) << 32n) | BigInt(lo >>> 0);
        symbols.push({
          symbol: e.symbol, index: e.index, maxQty: u(w[0]!), maxNotional: u(w[1]!, w[2]!, 31), referencePrice: u(w[3]!, w[4]!, 16),
          collarBps: BigInt(w[5]! & 0xfffff), maxPosition: u(w[6]!, w[7]!, 15),
        });
      }
    }
    r.gate.commit({
      killSwitch: ((control >>> REG_BIT.RISK_SHADOW_CONTROL_KILL_SWITCH) & 1) === 1,
      referenceFromItch: ((control >>> REG_BIT.RISK_SHADOW_CONTROL_REF_FROM_ITCH) & 1) === 1,
      burst: control >>> 16,
      cyclesPerToken: Math.max(1, r.regs.get(REG.RISK_SHADOW_CYCLES_PER_TOKEN) ?? 1),
      symbols,
    });
  }

  /** The decision cycle of each verdict span, for a caller that has a device's own (the reference device
   *  has no clock; by default the model's timeline from the bytes applies). */
  setOrderClock(clock: ((span: { offset: number; length: number }) => number) | undefined): void {
    this.risk.gate.clock = clock;
  }

  async sendOrders(bytes: Uint8Array, options: SendOptions = {}): Promise<void> {
    if (bytes.length === 0 && !options.end) return;
    this.ordersHeld.push({ bytes: Uint8Array.from(bytes), end: options.end ?? false });
    this.processOrders();
    await this.paced();
  }

  private processOrders(): void {
    if (!((this.control >>> REG_BIT.CONTROL_ORDER_RX_ENABLE) & 1)) return;
    const r = this.risk;
    const out: GateOutput = { verdicts: [], forwarded: [] };
    for (const chunk of this.ordersHeld) {
      r.counters.bytesIn += BigInt(chunk.bytes.length);
      r.gate.push(chunk.bytes, out);
      if (chunk.end) r.gate.end(out);
    }
    this.ordersHeld = [];
    r.counters.passed += out.forwarded.length - out.verdicts.filter((v) => v.accepted).length;
    const events: DeviceEvent[] = out.verdicts.map((v) => {
      const record = encodeVerdict(v);
      const seq = this.stamp(record);
      r.counters.verdicts++;
      if (v.accepted) r.counters.accepted++;
      else r.counters.rejects[RISK_REASONS.indexOf(v.reason!)]!++;
      return { kind: 'risk_record', seq, record };
    });
    if (out.forwarded.length) {
      const bytes = Buffer.concat(out.forwarded);
      r.counters.bytesOut += BigInt(bytes.length);
      let end = 0;
      events.push({ kind: 'order_out', bytes, ends: out.forwarded.map((f) => (end += f.length)) });
    }
    if (events.length) this.queue.push(events);
  }

  readReg64(addrLo: number): bigint {
    const lo = this.readReg(addrLo);
    return (BigInt(this.readReg(addrLo + 4)) << 32n) | BigInt(lo);
  }

  async send(bytes: Uint8Array, options: SendOptions = {}): Promise<void> {
    if (bytes.length === 0 && !options.end) return;
    // in slices, so that the pacing holds a big write (a 1 MiB read of a file) to a few thousand events
    for (let at = 0; ; at += SEND_SLICE_BYTES) {
      const last = at + SEND_SLICE_BYTES >= bytes.length;
      this.held.push({ bytes: bytes.slice(at, at + SEND_SLICE_BYTES), end: last && (options.end ?? false) });
      this.process();
      await this.paced();
      if (last) return;
    }
  }

  private process(): void {
    if (!((this.control >>> REG_BIT.CONTROL_FIX_RX_ENABLE) & 1)) return;
    for (const chunk of this.held) {
      this.counters.bytes += BigInt(chunk.bytes.length);
      this.parser.pushTo(chunk.bytes, this.fixOut);
      if (chunk.end) this.parser.endTo(this.fixOut);
    }
    this.held = [];
    this.fixOut.endBatch();
    this.queue.push(this.fixEvents);
    this.fixEvents = [];
  }

  /** deliverFixRecords: the FIX path's output as records, not objects. */
  private fixRecords = false;
  deliverFixRecords(): void { this.fixRecords = true; }

  private fixEvents: DeviceEvent[] = [];
  /** The FIX parser's output: each entry and record numbered and counted, as an event object or written as a
   *  record into a batch (fix_records events of at most FIX_RECORDS_PER_EVENT, so the event count paces). */
  private readonly fixOut = (() => {
    // the batch being written: slab[from, used) written, room up to end
    let slab = Buffer.alloc(0);
    let view = recordViews(slab);
    let from = 0;
    let used = 0;
    let end = 0;
    /** Makes room for one more record at `used` of `view`. */
    const room = (): void => {
      if (used < end) return;
      this.endFixBatch(slab, from, used);
      from = used = this.records.take(FIX_RECORDS_PER_EVENT);
      end = from + FIX_RECORDS_PER_EVENT * RECORD_BYTES;
      if (slab !== this.records.slab) {
        slab = this.records.slab;
        view = recordViews(slab);
      }
    };
    return {
      field: (f: FieldState): void => {
        const seq = this.nextSeq();
        this.counters.fields++;
        if (this.fixRecords) { room(); writeFieldRecord(view, used, seq, f); used += RECORD_BYTES; }
        else {
          this.fixEvents.push({
            kind: 'fix_field', seq, messageOffset: f.messageOffset, tag: f.tag, valueOffset: f.valueOffset, valueLength: f.valueLength,
            decodedType: DECODED_NAME[f.type]!, scale: f.scale, value: fieldValue(f),
          });
        }
      },
      frame: (r: FrameRecord): void => {
        const seq = this.nextSeq();
        this.countFrame(r);
        if (this.fixRecords) { room(); writeFrameRecord(view, used, seq, r); used += RECORD_BYTES; }
        else this.fixEvents.push({ ...r, seq, timestamp: 0n });
      },
      streamEnd: (bytes: number): void => {
        const seq = this.nextSeq();
        this.counters.streams++;
        if (this.fixRecords) { room(); writeStreamEndRecord(view, used, seq, bytes); used += RECORD_BYTES; }
        else this.fixEvents.push({ kind: 'stream_end', bytes, seq, timestamp: 0n });
      },
      /** Sends the records written so far. */
      endBatch: (): void => {
        this.endFixBatch(slab, from, used);
        from = used;
      },
    };
  })();

  private endFixBatch(slab: Buffer, from: number, to: number): void {
    if (to > from) this.fixEvents.push({ kind: 'fix_records', records: slab.subarray(from, to) });
  }

  private nextSeq(): number {
    const seq = this.seq;
    this.seq = (this.seq + 1) >>> 0;
    this.counters.eventsOut++;
    return seq;
  }

  private countFrame(r: FrameRecord): void {
    const c = this.counters;
    switch (r.error) {
      case null: c.messages++; break;
      case 'garbled': c.garbled++; c.garbledBytes = (c.garbledBytes + r.length) >>> 0; break;
      case 'truncated': c.truncated++; break;
      case 'too_long': c.tooLong++; break;
      case 'bad_checksum': c.badChecksum++; break;
      case 'bad_body_length': c.badBodyLength++; break;
    }
  }

  async flush(): Promise<void> {}

  /** Not an async function: a packet that needs no pacing costs no promise of its own (a failure is still a
   *  rejection, never a throw). */
  sendFeed(packet: Uint8Array): Promise<void> {
    try {
      if (this.feedHeld.length === 0 && this.feedEnabled) {
        // decoded now, and nothing keeps a view of it: no copy
        this.processFeed(Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength));
      } else {
        this.feedHeld.push(Buffer.from(packet));
        this.processFeed();
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return this.queue.size > EVENTS_HIGH_WATER ? this.paced() : SETTLED;
  }

  private get feedEnabled(): boolean { return ((this.control >>> REG_BIT.CONTROL_FEED_RX_ENABLE) & 1) === 1; }

  /** Events decoded and waiting for the reader. */
  get eventsWaiting(): number { return this.queue.size; }

  /**
   * The reference device has no clock to hold, so a sender could queue every event of its input before the
   * reader takes one (a 45 MB capture grew `decode itch` past 1 GB, 42 MB of FIX into a pipe `decode fix`
   * to 2.6 GB). While more than EVENTS_HIGH_WATER events wait, a send waits until the reader has brought
   * them to EVENTS_LOW_WATER. A reader that takes nothing for READER_PATIENCE_MS is taken for none (a caller
   * that reads only after sending, or a reader that waits for this very send): the sends go on unpaced until
   * it takes an event again, so pacing never deadlocks.
   */
  private async paced(): Promise<void> {
    while (this.queue.size > EVENTS_HIGH_WATER && this.queue.taken !== this.readerGoneAt) {
      const taken = this.queue.taken;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, READER_PATIENCE_MS);
        function done(): void { clearTimeout(timer); resolve(); }
        this.lowWaiters.push(done);
      });
      if (this.queue.taken === taken) this.readerGoneAt = taken;
    }
  }

  /** Decodes the held packets, then `now` (one not held), if RX is enabled. */
  private processFeed(now?: Buffer): void {
    if (!this.feedEnabled) return;
    for (const p of this.feedHeld) this.decodeFeedPacket(p);
    this.feedHeld = [];
    if (now) this.decodeFeedPacket(now);
    this.pushFeedEvents();
  }

  private pushFeedEvents(): void {
    this.endFeedRun();
    if (this.feedEvents.length) {
      this.queue.push(this.feedEvents);
      this.feedEvents = [];
    }
  }

  /** The arbiter takes new hold settings only when it holds nothing, and then starts afresh
   *  (hdl/feed/line_arbiter.v): at most 15 packets, at most 8,191 beats. */
  private takeArbiterSettings(): void {
    const holdPackets = Math.min(this.arb.holdPackets, 15);
    const holdBeats = Math.min(this.arb.holdBeats, 8191);
    const taken = this.arb.taken;
    if (this.feed.held() > 0 || (taken.holdPackets === holdPackets && taken.holdBeats === holdBeats)) return;
    this.arb.taken = { holdPackets, holdBeats };
    this.feed.arbitrate(holdPackets, holdBeats);
  }

  private feedEvents: DeviceEvent[] = [];
  /** deliverFeedRecords: the feed path's records in runs (feed_records events), not an event each. */
  private feedRuns = false;
  deliverFeedRecords(): void { this.feedRuns = true; }
  /** The run being written: records [from, to) of `slab`. */
  private feedRun = { slab: Buffer.alloc(0), from: 0, to: 0 };

  /** Numbers the `n` records written at `at` of the records slab and sends them: as a record event each, or
   *  as part of the current run (a new run where they do not follow it in the same slab, or it is full). */
  private emitFeed(at: number, n: number): void {
    const slab = this.records.slab;
    if (!this.feedRuns) {
      for (let i = 0; i < n; i++) {
        const seq = this.nextSeq();
        slab.writeUInt32LE(seq, at + i * RECORD_BYTES + RECORD_AT_COMMON.seq);
        this.feedEvents.push({ kind: 'feed_record', seq, record: slab.subarray(at + i * RECORD_BYTES, at + (i + 1) * RECORD_BYTES) });
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const seq = this.nextSeq();
      const s = at + i * RECORD_BYTES + RECORD_AT_COMMON.seq;
      slab[s] = seq; slab[s + 1] = seq >>> 8; slab[s + 2] = seq >>> 16; slab[s + 3] = seq >>> 24;
    }
    const run = this.feedRun;
    if (run.slab !== slab || run.to !== at || run.to - run.from >= FEED_RECORDS_PER_EVENT * RECORD_BYTES) {
      this.endFeedRun();
      run.slab = slab;
      run.from = at;
    }
    run.to = at + n * RECORD_BYTES;
  }

  private endFeedRun(): void {
    const run = this.feedRun;
    if (run.to > run.from) this.feedEvents.push({ kind: 'feed_records', records: run.slab.subarray(run.from, run.to) });
    run.from = run.to;
  }

  private readonly feedOut: FeedOutput = {
    record: (r) => {
      const records = encodeFeedRecord(r);
      const at = this.records.take(records.length);
      records.forEach((record, i) => record.copy(this.records.slab, at + i * RECORD_BYTES));
      this.emitFeed(at, records.length);
    },
    message: (_session, slot, seq, packet, m) => {
      const n = itchRecordCount(packet[m]!);
      const at = this.records.take(n);
      writeItchRecords(packet, m, slot, seq, this.records.slab, at);
      this.emitFeed(at, n);
    },
  };

  /** A packet, or with CONTROL.FEED_WIRE an Ethernet frame (the table in entry order, as udp_rx matches it). */
  private decodeFeedPacket(p: Buffer): void {
    this.feedBytes += BigInt(p.length);
    if ((this.control >>> REG_BIT.CONTROL_FEED_WIRE) & 1) {
      this.takeArbiterSettings();
      this.feed.frameTo(p, this.lines.filter((l): l is WireSubscription => l !== undefined), this.feedOut);
    } else {
      this.feed.packetTo(p, this.feedOut);
    }
  }

  /** Gives a record the next sequence number, as the core's merge does, and counts it out. */
  private stamp(record: Buffer): number {
    const seq = this.nextSeq();
    record.writeUInt32LE(seq, RECORD_AT_COMMON.seq);
    return seq;
  }

  events(): AsyncIterableIterator<DeviceEvent> { return this.queue; }

  async close(): Promise<void> {
    this.queue.finish();
    this.wakeSenders();
  }
}

/** Zeroed memory for records, handed out a few records at a time from 64 KiB slabs (one allocation for a
 *  thousand records instead of one each). A slab lives as long as any record cut from it. */
class RecordSlabs {
  private static readonly BYTES = 1024 * RECORD_BYTES;
  slab = Buffer.alloc(RecordSlabs.BYTES);
  private used = 0;

  /** The offset in `slab` of `n` fresh records. */
  take(n: number): number {
    if (this.used + n * RECORD_BYTES > this.slab.length) {
      this.slab = Buffer.alloc(RecordSlabs.BYTES);
      this.used = 0;
    }
    const at = this.used;
    this.used += n * RECORD_BYTES;
    return at;
  }
}
