// The session's outbound order path through the device's risk gate: every application message goes into the
// order ingress as one continuous stream; an order (D, G) is accepted when its verdict says so and its bytes
// come out of the order egress, rejected with the verdict's reason otherwise; other messages pass when their
// bytes come out.
import type { Device } from '../device/device.js';
import { REG } from '../device/generated/layout.js';
import { OrderFrames } from '../device/order-frames.js';
import type { OrderPath, OrderVerdict } from '../session/device-link.js';
import type { RiskLimits } from './config.js';
import { configureRisk, type RiskProgrammer } from './device-risk.js';
import { decodeVerdict } from './verdict-records.js';

interface Waiting {
  offset: number;
  bytes: Buffer;
  rejected?: string;
  forwarded?: boolean;
  resolve: (v: OrderVerdict) => void;
  reject: (err: Error) => void;
}

export class RiskOrderPath implements OrderPath {
  private readonly waiting: Waiting[] = [];
  private readonly reader: Promise<void>;
  private sent = 0;
  private readonly frames = new OrderFrames();
  /** Why the device's answers can no longer be matched to the messages: every check since fails with it. */
  private failure: Error | undefined;
  readonly programmer: RiskProgrammer;

  constructor(private readonly device: Device, limits: RiskLimits) {
    this.programmer = configureRisk(device, limits);
    this.reader = (async () => {
      for await (const ev of device.events()) {
        if (ev.kind === 'risk_record') {
          const v = decodeVerdict(ev.record);
          const w = this.waiting.find((x) => x.offset === v.offset);
          // On a card, verdict records and the order egress come back on separate channels: an accepted
          // order may be out (and settled) before its verdict arrives.
          if (!w && v.accepted && v.offset < (this.waiting[0]?.offset ?? this.sent)) continue;
          if (!w) throw new Error(`order path: a verdict for bytes nobody sent (offset ${v.offset})`);
          if (!v.accepted) w.rejected = v.reason ?? 'rejected';
          this.settle();
        } else if (ev.kind === 'order_out') {
          // cut through, an accepted order can leave before the verdict record of a rejected one before it
          for (const frame of this.frames.push(ev)) {
            const w = this.waiting.find((x) => x.rejected === undefined && !x.forwarded && x.bytes.equals(frame));
            if (!w) throw new Error(`order path: the device forwarded ${frame.length} bytes nobody sent or already forwarded`);
            w.forwarded = true;
            this.settle();
          }
        }
      }
    })();
    this.reader.catch((err: Error) => {
      this.failure = err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    });
  }

  /** Messages resolve in the order they were sent, each once forwarded or rejected. */
  private settle(): void {
    while (this.waiting[0] && (this.waiting[0].rejected !== undefined || this.waiting[0].forwarded)) {
      const w = this.waiting.shift()!;
      w.resolve(w.forwarded ? { accepted: true, reason: null } : { accepted: false, reason: w.rejected! });
    }
  }

  check(bytes: Buffer): Promise<OrderVerdict> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ offset: this.sent, bytes, resolve, reject });
      this.sent += bytes.length;
      this.device.sendOrders(bytes).catch(reject);
    });
  }

  /** The gate's counters: verdicts, accepted, and rejects by reason. */
  counters(): Record<string, number> {
    const d = this.device;
    return {
      verdicts: d.readReg(REG.RISK_VERDICTS), accepted: d.readReg(REG.RISK_ACCEPTED), passed: d.readReg(REG.RISK_PASSED),
      killSwitch: d.readReg(REG.RISK_REJECT_KILL_SWITCH), unknownSymbol: d.readReg(REG.RISK_REJECT_UNKNOWN_SYMBOL),
      maxQty: d.readReg(REG.RISK_REJECT_MAX_QTY), maxNotional: d.readReg(REG.RISK_REJECT_MAX_NOTIONAL),
      priceCollar: d.readReg(REG.RISK_REJECT_PRICE_COLLAR), maxPosition: d.readReg(REG.RISK_REJECT_MAX_POSITION),
      rateLimit: d.readReg(REG.RISK_REJECT_RATE_LIMIT), badOrder: d.readReg(REG.RISK_REJECT_BAD_ORDER), late: d.readReg(REG.RISK_LATE),
      droppedFrames: this.frames.dropped,
    };
  }

  async close(): Promise<void> {
    await this.device.close();
    await this.reader.catch(() => undefined);
    for (const w of this.waiting.splice(0)) w.resolve({ accepted: false, reason: 'device closed' });
  }
}
