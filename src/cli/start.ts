// `npm start` (`tickgate start`): the main job with no outside system. A simulated exchange (our acceptor
// with the fill app) listens on loopback and publishes an ITCH 5.0 trading day over MoldUDP64 on loopback
// multicast, with a retransmission server; a trading session (our initiator) logs on, sends orders through
// the device's order path, reads every execution report through the device's FIX parser, prints each as
// NDJSON, logs out and reports round-trip figures and the device counters. The market data is received
// with gap recovery and decoded by the device's feed core.
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BOARD_BACKENDS, openRoles, type BackendName, type DeviceRoles } from '../device/index.js';
import { configureFeed, DeviceFeed, readFeedCounters } from '../itch/device-feed.js';
import { generateItchSession } from '../itch/generator.js';
import { LiveFeed } from '../itch/live.js';
import { MoldPublisher } from '../itch/publisher.js';
import { riskLimits, riskSchema } from '../risk/config.js';
import { attachApp } from '../session/apps.js';
import { sessionSchema } from '../session/config.js';
import { OrderFlow } from '../session/order-flow.js';
import { SessionRunner } from '../session/runner.js';
import type { SessionEvent } from '../session/session.js';

export interface StartOptions {
  orders: number;
  window: number;
  backend: BackendName;
  /** pcie: the device files' prefix, serial: the port. */
  device?: string;
  baud?: number;
  /** ITCH messages the simulated exchange publishes. */
  itchMessages: number;
}

const FEED_GROUP = '239.255.77.1';

/** The client's pre-trade limits. Device time in simulation is simulated cycles, which only run while the
 *  device has work, so the rate is set in those terms: far above what the order flow reaches. */
const START_RISK = riskLimits(riskSchema.parse({
  maxOrdersPerSecond: 10_000_000, burst: 1000,
  symbols: Object.fromEntries(['AAPL', 'MSFT', 'NVDA'].map((s) => [s, { maxQty: 1000, maxNotional: 200_000, referencePrice: 190.5, collarBps: 200, maxPosition: 100_000 }])),
}));

/** The exchange's ITCH feed and our receiver for it. Market data is an extra of the main job: if this
 *  machine has no multicast on loopback, it says so and the order flow goes on. */
async function startMarketData(messages: number, devices: DeviceRoles): Promise<{ finish: () => Promise<void>; close: () => void }> {
  const say = (text: string) => process.stderr.write(`tickgate start: market data: ${text}\n`);
  const port = await new Promise<number>((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const publisher = new MoldPublisher({ session: 'SIMEX00001', group: FEED_GROUP, port, heartbeatMs: 50 });
  const types = new Map<string, number>();
  let others = 0;
  let feed: LiveFeed | undefined;
  const backend = devices.backend;
  const device = devices.open('feed', 'market data');
  configureFeed(device);
  const decoded = new DeviceFeed(device, (r) => { if (r.kind === 'itch') types.set(r.msgType, (types.get(r.msgType) ?? 0) + 1); else others++; });
  try {
    await publisher.start();
    feed = new LiveFeed({ group: FEED_GROUP, port, retransmit: { host: '127.0.0.1', port: publisher.retransmitPort }, sink: decoded });
    await feed.start();
  } catch (err) {
    say(`not available here (${(err as Error).message}); orders go on without it`);
    feed?.close();
    publisher.close();
    await decoded.finish();
    return { finish: async () => undefined, close: () => undefined };
  }
  const live = feed;
  const day = generateItchSession({ seed: 2026, symbols: ['AAPL', 'MSFT', 'NVDA'], messages });
  // Paced like a real feed (100 messages every 2 ms), alongside the order flow.
  const publishing = (async () => {
    for (let i = 0; i < day.length; i += 100) {
      publisher.publish(day.slice(i, i + 100));
      await new Promise((r) => setTimeout(r, 2));
    }
    publisher.endSession();
  })();
  return {
    finish: async () => {
      await publishing;
      const done = await Promise.race([live.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
      await device.flush();
      const counters = readFeedCounters(device);
      await decoded.finish();
      const total = [...types.values()].reduce((a, b) => a + b, 0);
      say(`${total} of ${day.length} ITCH messages received in order${done ? '' : ' (the session did not complete within 5 s)'}, `
        + `${live.recovery?.counters.requests ?? 0} retransmission requests, ${others} gap or error records; by type ${JSON.stringify(Object.fromEntries([...types].sort()))}; `
        + `decoded by the device's feed core (${backend}): ${counters.packets} packets, ${counters.messages} messages, ${counters.duplicates} duplicates dropped`);
    },
    close: () => { live.close(); publisher.close(); void decoded.finish(); },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

export async function runStart(o: StartOptions): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickgate-start-'));
  const log = (e: SessionEvent, who: string) => process.stderr.write(`tickgate start: ${who}: ${e.type}: ${e.text}\n`);
  // The client's devices: on a board, its FIX receiver, risk gate and feed core are the one card's. The
  // exchange is the outside world: on a board run it has the golden model.
  const devices = openRoles({ backend: o.backend, device: o.device, baud: o.baud });
  const exchangeBackend = BOARD_BACKENDS.includes(o.backend) ? 'ref' : o.backend;
  const exchange = new SessionRunner({
    config: sessionSchema.parse({ role: 'acceptor', beginString: 'FIX.4.4', senderCompID: 'SIMEX', targetCompID: 'TICKGATE', port: 0, storeDir: 'exchange', resetOnLogon: true }),
    baseDir: dir, backend: exchangeBackend, untilLogout: true,
  });
  attachApp(exchange.session, 'fill', () => undefined);
  exchange.session.on('event', (e) => { if (e.type !== 'connected') log(e, 'exchange'); });
  await exchange.start();
  process.stderr.write(`tickgate start: simulated exchange on 127.0.0.1:${exchange.port}; ${o.orders} orders, ${o.backend} backend${exchangeBackend === o.backend ? '' : ` (the exchange's: ${exchangeBackend})`}\n`);

  let client: SessionRunner;
  try {
    client = new SessionRunner({
      config: sessionSchema.parse({
        role: 'initiator', beginString: 'FIX.4.4', senderCompID: 'TICKGATE', targetCompID: 'SIMEX', port: exchange.port, storeDir: 'client',
        resetOnLogon: true, reconnect: { initialMs: 100, maxMs: 1000, maxAttempts: 5 },
      }),
      baseDir: dir, backend: o.backend, devices, untilLogout: true,
      risk: START_RISK,
    });
  } catch (err) {
    // the client's device cannot be opened (no card, a foreign one): the exchange goes too, or it keeps the
    // process alive
    await exchange.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
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
    process.stderr.write(`tickgate start: client risk gate (${o.backend}) counters ${JSON.stringify(client.riskCounters())}\n`);
    session.logout('all orders filled');
  });
  const feed = await startMarketData(o.itchMessages, devices);
  try {
    await client.start();
    await client.done;
    await feed.finish();
  } finally {
    feed.close();
    await client.stop();
    await exchange.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (roundTrips.length !== o.orders) throw new Error(`only ${roundTrips.length} of ${o.orders} orders were filled`);
}
