// `npm start` (`tickgate start`): the main job with no outside system. A simulated exchange (our acceptor
// with the fill app) listens on loopback; a trading session (our initiator) logs on, sends orders through
// the device's order path, reads every execution report through the device's FIX parser, prints each as
// NDJSON, logs out and reports round-trip figures and the device counters.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendName } from '../device/index.js';
import { attachApp } from '../session/apps.js';
import { sessionSchema } from '../session/config.js';
import { OrderFlow } from '../session/order-flow.js';
import { SessionRunner } from '../session/runner.js';
import type { SessionEvent } from '../session/session.js';

export interface StartOptions {
  orders: number;
  window: number;
  backend: BackendName;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

export async function runStart(o: StartOptions): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickgate-start-'));
  const log = (e: SessionEvent, who: string) => process.stderr.write(`tickgate start: ${who}: ${e.type}: ${e.text}\n`);
  const exchange = new SessionRunner({
    config: sessionSchema.parse({ role: 'acceptor', beginString: 'FIX.4.4', senderCompID: 'SIMEX', targetCompID: 'TICKGATE', port: 0, storeDir: 'exchange', resetOnLogon: true }),
    baseDir: dir, backend: o.backend, untilLogout: true,
  });
  attachApp(exchange.session, 'fill', () => undefined);
  exchange.session.on('event', (e) => { if (e.type !== 'connected') log(e, 'exchange'); });
  await exchange.start();
  process.stderr.write(`tickgate start: simulated exchange on 127.0.0.1:${exchange.port}; ${o.orders} orders, ${o.backend} backend\n`);

  const client = new SessionRunner({
    config: sessionSchema.parse({
      role: 'initiator', beginString: 'FIX.4.4', senderCompID: 'TICKGATE', targetCompID: 'SIMEX', port: exchange.port, storeDir: 'client',
      resetOnLogon: true, reconnect: { initialMs: 100, maxMs: 1000, maxAttempts: 5 },
    }),
    baseDir: dir, backend: o.backend, untilLogout: true,
  });
  const session = client.session;
  session.on('event', (e) => { if (e.type !== 'connected') log(e, 'client'); });

  const roundTrips: number[] = [];
  const flow = new OrderFlow(session, {
    count: o.orders, window: o.window, prefix: 'T',
    order: (n) => ({ symbol: ['AAPL', 'MSFT', 'NVDA'][n % 3]!, side: n % 2 ? 'buy' : 'sell', qty: 100 * (1 + (n % 5)), ordType: 'limit', price: (190 + (n % 100) / 100).toFixed(2) }),
    onFill: (er, m, ns) => {
      const us = Number(ns) / 1000;
      roundTrips.push(us);
      process.stdout.write(JSON.stringify({
        kind: 'execution', clOrdID: er.clOrdID, orderID: er.orderID, execType: er.execType, ordStatus: er.ordStatus,
        symbol: er.symbol, side: er.side, lastQty: er.lastQty, lastPx: er.lastPx, seq: m.seq,
        deviceTimestamp: m.message.frame.timestamp.toString(), roundTripUs: Math.round(us),
      }) + '\n');
    },
  });
  void flow.done.then((r) => {
    const sorted = [...roundTrips].sort((a, b) => a - b);
    process.stderr.write(`tickgate start: ${r.orders} of ${o.orders} orders filled in ${r.seconds.toFixed(3)} s `
      + `(${Math.round(r.orders / r.seconds)} orders/s, window ${o.window}); round trip µs median ${percentile(sorted, 0.5).toFixed(0)}, `
      + `p99 ${percentile(sorted, 0.99).toFixed(0)}\n`);
    process.stderr.write(`tickgate start: client device (${o.backend}) FIX receiver counters ${JSON.stringify(client.inboundCounters())}\n`);
    session.logout('all orders filled');
  });
  try {
    await client.start();
    await client.done;
  } finally {
    await client.stop();
    await exchange.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (roundTrips.length !== o.orders) throw new Error(`only ${roundTrips.length} of ${o.orders} orders were filled`);
}
