// Risk gate benchmarks, counted in simulated cycles (exact): the latency from the clock edge that takes an
// order's last beat into the core to its decision, to its verdict record leaving the core, and to its
// forwarded bytes leaving on the order egress (each byte against the cycle it came in, too), with the
// egress store and forward or cut through; and orders per cycle on back-to-back orders.
import { KIND, RECORD_BYTES } from '../src/device/generated/layout.js';
import { SteppedSimDevice } from '../src/device/sim-device.js';
import { riskLimits, riskSchema, type RiskLimits } from '../src/risk/config.js';
import { configureRisk } from '../src/risk/device-risk.js';
import { decodeVerdict } from '../src/risk/verdict-records.js';
import { buildMessage } from '../src/fix/message.js';

const LIMITS: RiskLimits = riskLimits(riskSchema.parse({
  maxOrdersPerSecond: 250_000_000, burst: 65_535,
  symbols: Object.fromEntries(Array.from({ length: 1024 }, (_, k) => [`S${k.toString(36).toUpperCase()}`, { maxQty: 1_000_000, maxNotional: 1e9, referencePrice: 100, collarBps: 1000, maxPosition: 100_000_000 }])),
}));

function order(k: number, qty: number, pad: number): Buffer {
  return buildMessage('FIX.4.4', [[35, 'D'], [34, String(k + 2)], [49, 'TW'], [52, '20261126-10:00:00.000'], [56, 'ISLD'], [11, `o${k}`],
    [55, `S${(k % 1024).toString(36).toUpperCase()}`], [54, k % 2 ? '2' : '1'], [60, '20261126-10:00:00.000'], [38, String(qty)], [40, '2'], [44, '100.25'],
    ...(pad ? [[58, 'x'.repeat(pad)] as [number, string]] : [])]);
}

function openGate(cutThrough = false): SteppedSimDevice {
  const dev = new SteppedSimDevice();
  configureRisk(dev, { ...LIMITS, cutThrough });
  return dev;
}

export interface RiskLatency {
  samples: number;
  lanes: number[];
  /** last beat in to the decision (the verdict's time) */
  decision: { min: number; max: number };
  /** last beat in to the verdict record leaving the core */
  record: { min: number; max: number };
  /** last beat in to the first and to the last forwarded byte leaving (accepted orders) */
  forwardFirst: { min: number; max: number };
  forwardLast: { min: number; max: number };
  /** each byte of an accepted order: the cycle it left minus the cycle it came in */
  perByte: { min: number; max: number };
}

const range = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs) });

/**
 * Accepted and rejected orders alone on an idle path, with the last byte in every lane of its beat. Paced:
 * a beat every 4 cycles (the order path's rate: 16 Gb/s at 250 MHz, above a 10GbE link), so nothing waits
 * at the ingress. Burst: the whole order offered at once, 8 bytes a cycle, so its last beat waits at the
 * ingress for the path's cadence.
 */
export function riskLatency(paced: boolean, cutThrough = false): RiskLatency {
  const dev = openGate(cutThrough);
  const decision: number[] = [];
  const record: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const perByte: number[] = [];
  const lanes = new Set<number>();
  try {
    for (let k = 0; k < 32; k++) {
      const m = order(k, k % 4 === 3 ? 2_000_000 : 100, k % 8);   // every fourth over maxQty
      lanes.add((m.length - 1) % 8);
      // paced: beat j is put on the ingress at cycle start + 4j
      const start = dev.cycles();
      let sent = 0;
      let lastBeat = -1n;
      let rec: bigint | undefined;
      let out0: bigint | undefined;
      let out1: bigint | undefined;
      const inAt: number[] = [];            // the cycle each byte entered the core, and left it
      const outAt: number[] = [];
      for (let n = 0; n < m.length * 4 + 200 && (rec === undefined || (k % 4 !== 3 && out1 === undefined)); n++) {
        const before = dev.cycles();
        if (sent < m.length && (!paced || before === start + BigInt(4 * (sent / 8)))) {
          const n = paced ? 8 : m.length;
          dev.sendOrdersNow(m.subarray(sent, sent + n), { end: false });
          sent = Math.min(sent + n, m.length);
        }
        const queued = dev.ingressQueued();
        const r = dev.stepRaw(1);
        for (let taken = sent - dev.ingressQueued(); inAt.length < taken;) inAt.push(Number(before));
        for (let b = 0; b < r.orderOut.length; b++) outAt.push(Number(before));
        if (queued > 0 && dev.ingressQueued() === 0 && sent === m.length) lastBeat = before;
        for (let at = 0; at < r.records.length; at += RECORD_BYTES) {
          if (r.records[at] === KIND.risk_verdict) {
            rec = r.egressCycles.readBigUInt64LE((at / RECORD_BYTES) * 8);
            decision.push(decodeVerdict(r.records.subarray(at, at + RECORD_BYTES)).time - Number(lastBeat));
          }
        }
        if (r.orderOut.length) {
          out0 ??= before;
          if (r.orderEnds.length) out1 = before;
        }
      }
      if (rec === undefined || lastBeat < 0n) throw new Error(`risk latency bench: no verdict for order ${k}`);
      record.push(Number(rec - lastBeat));
      if (k % 4 !== 3) {
        if (out0 === undefined || out1 === undefined) throw new Error(`risk latency bench: order ${k} was not forwarded`);
        first.push(Number(out0 - lastBeat));
        last.push(Number(out1 - lastBeat));
        if (outAt.length !== m.length) throw new Error(`risk latency bench: order ${k} left with ${outAt.length} bytes, not ${m.length}`);
        perByte.push(...outAt.map((t, i) => t - inAt[i]!));
      }
      dev.stepRaw(64);
    }
    return { samples: decision.length, lanes: [...lanes].sort(), decision: range(decision), record: range(record), forwardFirst: range(first), forwardLast: range(last), perByte: range(perByte) };
  } finally {
    dev.close();
  }
}

export interface RiskThroughput {
  orders: number;
  bytes: number;
  cycles: number;
  ordersPerCycle: number;
  bytesPerCycle: number;
  /** fewest cycles between two decisions on orders seen in the run */
  minDecisionSpacing: number;
}

/** The shortest D message the parser frames: 22 bytes, no fields (a bad_order, but a full pass of the
 *  checker). */
const SHORTEST_ORDER = buildMessage('FIX', [[35, 'D']]);

/** Back-to-back orders over the 1,024 symbols: real ones (about 140 bytes, all accepted), or the shortest
 *  D messages (all bad_order). */
export function riskThroughput(count: number, shortest = false, cutThrough = false): RiskThroughput {
  const dev = openGate(cutThrough);
  try {
    const orders = Array.from({ length: count }, (_, k) => (shortest ? SHORTEST_ORDER : order(k, 100, 0)));
    const wire = Buffer.concat(orders);
    const start = dev.cycles();
    dev.sendOrdersNow(wire, { end: true });
    const times: number[] = [];
    let lastOut = start;
    for (let guard = 0; dev.ingressQueued() > 0 || guard < 4; guard += dev.ingressQueued() > 0 ? 0 : 1) {
      const r = dev.stepRaw(1024);
      for (let at = 0; at < r.records.length; at += RECORD_BYTES) {
        if (r.records[at] !== KIND.risk_verdict) continue;
        const v = decodeVerdict(r.records.subarray(at, at + RECORD_BYTES));
        if (v.accepted === shortest) throw new Error(`risk bench: unexpected verdict ${v.reason}`);
        times.push(v.time);
        lastOut = r.egressCycles.readBigUInt64LE((at / RECORD_BYTES) * 8);
      }
    }
    if (times.length !== count) throw new Error(`risk bench: ${times.length} verdicts for ${count} orders`);
    const cycles = Number(lastOut - start) + 1;
    const spacing = Math.min(...times.slice(1).map((t, i) => t - times[i]!));
    return { orders: count, bytes: wire.length, cycles, ordersPerCycle: count / cycles, bytesPerCycle: wire.length / cycles, minDecisionSpacing: spacing };
  } finally {
    dev.close();
  }
}
