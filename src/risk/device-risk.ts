// The risk gate through a device: limits written to the shadow bank through registers and committed at
// once, orders in on the order ingress, verdicts and forwarded bytes back (src/risk/verdict-records.ts).
import type { Device } from '../device/device.js';
import type { DeviceEvent } from '../device/events.js';
import { OrderFrames } from '../device/order-frames.js';
import { REG, REG_BIT } from '../device/generated/layout.js';
import type { RiskLimits, SymbolLimits } from './config.js';
import { placeSymbols, symbolKey, SymbolIndexes, type Ways } from './symbol-table.js';
import { decodeVerdict, type VerdictFromDevice } from './verdict-records.js';

type Registers = Pick<Device, 'readReg' | 'writeReg'>;

/** Reads of RISK_STATUS before the device is given up on (each read is a few device cycles). */
const CLEARING_POLLS = 100_000;

interface Bank {
  ways: Ways;
  /** the number of the hash key the bank's table is placed under */
  keyNumber: number;
  limits: Map<number, string>;
}

const emptyBank = (): Bank => ({ ways: [new Array(1024).fill(undefined), new Array(1024).fill(undefined)], keyNumber: 0, limits: new Map() });

/** The limit registers of one symbol, in RISK_LIMIT_* order. */
function limitWords(l: SymbolLimits): number[] {
  const lo = (v: bigint) => Number(v & 0xffffffffn);
  const hi = (v: bigint) => Number(v >> 32n);
  return [lo(l.maxQty), lo(l.maxNotional), hi(l.maxNotional), lo(l.referencePrice), hi(l.referencePrice), lo(l.collarBps), lo(l.maxPosition), hi(l.maxPosition)];
}

const LIMIT_REGS = [
  REG.RISK_LIMIT_MAX_QTY, REG.RISK_LIMIT_NOTIONAL_LO, REG.RISK_LIMIT_NOTIONAL_HI, REG.RISK_LIMIT_REF_LO, REG.RISK_LIMIT_REF_HI,
  REG.RISK_LIMIT_COLLAR_BPS, REG.RISK_LIMIT_POSITION_LO, REG.RISK_LIMIT_POSITION_HI,
];

/** Writes limits into a device's shadow bank and commits them. Keeps what each bank holds, so a change
 *  writes only what differs, and the symbols' indexes, which never change. One per device. */
export class RiskProgrammer {
  private readonly indexes = new SymbolIndexes();
  private readonly banks: [Bank, Bank] = [emptyBank(), emptyBank()];

  constructor(private readonly device: Registers) {}

  /** Commits `limits`; orders whose first field is parsed after this are checked against them. */
  commit(limits: RiskLimits): void {
    this.waitCleared();
    const shadow = 1 - ((this.device.readReg(REG.RISK_STATUS) >>> REG_BIT.RISK_STATUS_ACTIVE_BANK) & 1);
    const bank = this.banks[shadow]!;
    const entries = limits.symbols.map((l) => ({ symbol: l.symbol, index: this.indexes.indexOf(l.symbol) }));
    const { ways, keyNumber, key } = placeSymbols(entries, bank.keyNumber);
    for (const way of [0, 1] as const) {
      ways[way].forEach((entry, slot) => {
        const was = bank.ways[way][slot];
        if (was?.symbol === entry?.symbol && was?.index === entry?.index) return;
        const key = entry ? symbolKey(entry.symbol) : Buffer.alloc(8);
        this.device.writeReg(REG.RISK_SYM_LO, key.readUInt32LE(0));
        this.device.writeReg(REG.RISK_SYM_HI, key.readUInt32LE(4));
        const valid = entry ? 1 << REG_BIT.RISK_SYM_WRITE_VALID : 0;
        this.device.writeReg(REG.RISK_SYM_WRITE, (slot | (way << REG_BIT.RISK_SYM_WRITE_WAY) | ((entry?.index ?? 0) << 16) | valid) >>> 0);
      });
    }
    bank.ways = ways;
    bank.keyNumber = keyNumber;
    this.device.writeReg(REG.RISK_SHADOW_HASH_KEY0, key[0] >>> 0);
    this.device.writeReg(REG.RISK_SHADOW_HASH_KEY1, key[1] >>> 0);
    this.device.writeReg(REG.RISK_SHADOW_HASH_KEY2, key[2] >>> 0);
    limits.symbols.forEach((l, k) => {
      const index = entries[k]!.index;
      const words = limitWords(l);
      const text = words.join(',');
      if (bank.limits.get(index) === text) return;
      words.forEach((w, i) => this.device.writeReg(LIMIT_REGS[i]!, w >>> 0));
      this.device.writeReg(REG.RISK_LIMIT_WRITE, index);
      bank.limits.set(index, text);
    });
    this.device.writeReg(REG.RISK_SHADOW_CONTROL, ((limits.burst << 16) | (limits.killSwitch ? 1 << REG_BIT.RISK_SHADOW_CONTROL_KILL_SWITCH : 0)
      | (limits.referenceFromItch ? 1 << REG_BIT.RISK_SHADOW_CONTROL_REF_FROM_ITCH : 0)
      | (limits.cutThrough ? 1 << REG_BIT.RISK_SHADOW_CONTROL_CUT_THROUGH : 0)) >>> 0);
    this.device.writeReg(REG.RISK_SHADOW_CYCLES_PER_TOKEN, limits.cyclesPerToken >>> 0);
    this.device.writeReg(REG.RISK_COMMIT, 1);
  }

  /** After reset the device empties its tables; writes before that is done would be lost. */
  private waitCleared(): void {
    for (let n = 0; n < CLEARING_POLLS; n++) {
      if (!((this.device.readReg(REG.RISK_STATUS) >>> REG_BIT.RISK_STATUS_CLEARING) & 1)) return;
    }
    throw new Error('the risk gate did not finish clearing its tables after reset');
  }
}

/** Commits the limits and opens the order ingress. */
export function configureRisk(device: Registers, limits: RiskLimits): RiskProgrammer {
  const programmer = new RiskProgrammer(device);
  programmer.commit(limits);
  device.writeReg(REG.CONTROL, (device.readReg(REG.CONTROL) | (1 << REG_BIT.CONTROL_ORDER_RX_ENABLE)) >>> 0);
  return programmer;
}

/** What the order path of a device gave back: verdicts in order, and the forwarded messages. */
export interface OrderPathOutput {
  verdicts: VerdictFromDevice[];
  /** Each message that left on the order egress (frames dropped with tuser are not among them). */
  forwarded: Buffer[];
}

/** Collects the order path's events: verdict records and the order egress, split into messages. */
export class OrderPathReader {
  readonly out: OrderPathOutput = { verdicts: [], forwarded: [] };
  /** The egress frames, with the count of frames cut through and then dropped. */
  readonly frames: OrderFrames;

  constructor(keepDropped = false) {
    this.frames = new OrderFrames(keepDropped);
  }

  push(ev: DeviceEvent): void {
    if (ev.kind === 'risk_record') this.out.verdicts.push(decodeVerdict(ev.record));
    else if (ev.kind === 'order_out') this.out.forwarded.push(...this.frames.push(ev));
  }
}
