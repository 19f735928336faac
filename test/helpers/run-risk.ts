// Runs order streams through the stepped simulation or the reference device, with limit commits between
// them: every verdict record as the device sent it, the messages it forwarded, and the risk counters.
import { REG } from '../../src/device/generated/layout.js';
import { RefDevice, SteppedSimDevice, type Device } from '../../src/device/index.js';
import type { RiskLimits } from '../../src/risk/config.js';
import { configureRisk, OrderPathReader } from '../../src/risk/device-risk.js';
import { configureFeed } from '../../src/itch/device-feed.js';
import { resetFeed } from './run-feed.js';
import { decodeVerdict } from '../../src/risk/verdict-records.js';

/** Limits to commit, order bytes, or MoldUDP64 packets for the feed (their trades set last trade prices). */
export type RiskStep = { limits: RiskLimits } | { bytes: Buffer; end?: boolean } | { feed: Buffer[] };

export interface RiskRun {
  /** The first step must be limits (the first commit). */
  steps: RiskStep[];
  egressReady?: number;
  orderEgressReady?: number;
  ingressValid?: number;
  seed?: number;
  /** The feed's symbol filter (`--symbols`), when the run has feed steps. */
  feedSymbols?: string[];
}

export interface RiskRunResult {
  records: Buffer[];
  forwarded: Buffer[];
  counters: Record<string, number | bigint>;
  /** Frames the egress ended with tuser (cut through, then dropped) as the host saw them, each with the
   *  count of forwarded messages before it. */
  dropped: Array<{ bytes: Buffer; after: number }>;
  /** Bytes of a frame that had not ended when the run did (cut through: its message not complete). */
  unfinished: number;
}

function riskCounters(dev: Pick<Device, 'readReg' | 'readReg64'>): RiskRunResult['counters'] {
  return {
    verdicts: dev.readReg(REG.RISK_VERDICTS), accepted: dev.readReg(REG.RISK_ACCEPTED), passed: dev.readReg(REG.RISK_PASSED),
    late: dev.readReg(REG.RISK_LATE), trades: dev.readReg(REG.RISK_TRADES), bytesIn: dev.readReg64(REG.ORDER_BYTES_IN_LO), bytesOut: dev.readReg64(REG.ORDER_BYTES_OUT_LO),
    killSwitch: dev.readReg(REG.RISK_REJECT_KILL_SWITCH), unknownSymbol: dev.readReg(REG.RISK_REJECT_UNKNOWN_SYMBOL),
    maxQty: dev.readReg(REG.RISK_REJECT_MAX_QTY), maxNotional: dev.readReg(REG.RISK_REJECT_MAX_NOTIONAL),
    priceCollar: dev.readReg(REG.RISK_REJECT_PRICE_COLLAR), maxPosition: dev.readReg(REG.RISK_REJECT_MAX_POSITION),
    rateLimit: dev.readReg(REG.RISK_REJECT_RATE_LIMIT), badOrder: dev.readReg(REG.RISK_REJECT_BAD_ORDER),
    framesDropped: dev.readReg(REG.ORDER_FRAMES_DROPPED),
  };
}

function firstLimits(run: RiskRun): RiskLimits {
  const first = run.steps[0];
  if (!first || !('limits' in first)) throw new Error('a risk run starts with its limits');
  return first.limits;
}

export function runRiskSim(dev: SteppedSimDevice, run: RiskRun): RiskRunResult {
  const feed = run.steps.some((s) => 'feed' in s);
  if (feed) {
    resetFeed(dev);
    configureFeed(dev, run.feedSymbols);
  } else dev.reset();
  dev.setEgressReady(run.egressReady ?? 1, run.seed ?? 1);
  dev.setIngressValid(run.ingressValid ?? 1, (run.seed ?? 1) + 1);
  dev.setOrderEgressReady(run.orderEgressReady ?? 1, (run.seed ?? 1) + 2);
  const programmer = configureRisk(dev, firstLimits(run));
  const reader = new OrderPathReader(true);
  const records: Buffer[] = [];
  // far more than the path needs at its slowest (a beat per 4 cycles, random gaps and back-pressure)
  const budget = 1_000_000 + 1_000 * run.steps.reduce((n, st) => n + ('bytes' in st ? st.bytes.length : 0), 0);
  const drain = () => {
    let quiet = 0;
    for (let cycles = 0; dev.ingressQueued() > 0 || quiet < 256; cycles += 64) {
      if (cycles > budget) throw new Error(`the order path made no progress: ${dev.ingressQueued()} bytes still queued`);
      const r = dev.step(64);
      for (const ev of r.events) {
        if (ev.kind === 'risk_record') records.push(Buffer.from(ev.record));
        reader.push(ev);
      }
      quiet = r.events.length || dev.ingressQueued() ? 0 : quiet + 64;
    }
  };
  for (const step of run.steps.slice(1)) {
    if ('limits' in step) {
      drain();
      programmer.commit(step.limits);
    } else if ('feed' in step) {
      drain();
      for (const p of step.feed) dev.sendFeedNow(p);
      drain();
    } else {
      dev.sendOrdersNow(step.bytes, { end: step.end });
    }
  }
  drain();
  dev.setEgressReady(1);
  dev.setIngressValid(1);
  dev.setOrderEgressReady(1);
  return { records, forwarded: reader.out.forwarded, counters: riskCounters(dev), dropped: reader.frames.droppedFrames, unfinished: reader.frames.unfinished };
}

/** The reference device; `times` (the device's decision cycles, in verdict order) replace the model's own
 *  timeline when given. */
export async function runRiskRef(run: RiskRun, times?: number[]): Promise<RiskRunResult> {
  const dev = new RefDevice();
  let next = 0;
  if (times) dev.setOrderClock(() => times[next++] ?? -1);
  const programmer = configureRisk(dev, firstLimits(run));
  if (run.steps.some((s) => 'feed' in s)) configureFeed(dev, run.feedSymbols);
  for (const step of run.steps.slice(1)) {
    if ('limits' in step) programmer.commit(step.limits);
    else if ('feed' in step) for (const p of step.feed) await dev.sendFeed(p);
    else await dev.sendOrders(step.bytes, { end: step.end });
  }
  const result = { records: [] as Buffer[], forwarded: [] as Buffer[], counters: riskCounters(dev), dropped: [] as RiskRunResult['dropped'], unfinished: 0 };
  await dev.close();
  const reader = new OrderPathReader();
  for await (const ev of dev.events()) {
    if (ev.kind === 'risk_record') result.records.push(ev.record);
    reader.push(ev);
  }
  result.forwarded = reader.out.forwarded;
  return result;
}

export const verdictTimes = (records: Buffer[]) => records.map((r) => decodeVerdict(r).time);
