// Orders per second, round trip, on loopback: a trading client sends limit orders to the QuickFIX executor
// (libquickfix-doc's example acceptor, which fills each one) with at most `window` unfilled at once, until
// `orders` fills came back. Our initiator (inbound bytes through the device, orders through its order
// path) and jspurefix's initiator run the same load against the same executor, in one run.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendName } from '../src/device/index.js';
import { sessionSchema } from '../src/session/config.js';
import { OrderFlow } from '../src/session/order-flow.js';
import { SessionRunner } from '../src/session/runner.js';
import { runJspurefixClient, type ClientRun } from './peers/jspurefix-client.js';
import { freePort, startExecutor } from './peers/quickfix.js';
import { median } from './stats.js';

export interface RoundTripResult {
  orders: number;
  window: number;
  runs: number;
  ordersPerSecond: Record<string, number>;
}

async function ourClient(port: number, backend: BackendName, orders: number, window: number, dir: string): Promise<ClientRun> {
  const runner = new SessionRunner({
    config: sessionSchema.parse({ role: 'initiator', beginString: 'FIX.4.4', senderCompID: 'TICKGATE', targetCompID: 'EXECUTOR', port, storeDir: 'store', resetOnLogon: true }),
    baseDir: dir, backend, untilLogout: true,
  });
  const flow = new OrderFlow(runner.session, {
    count: orders, window, prefix: 'tg-',
    order: (n) => ({ symbol: 'AAPL', side: n % 2 ? 'buy' : 'sell', qty: 100, ordType: 'limit', price: (100 + (n % 50) / 100).toFixed(2) }),
  });
  void flow.done.then(() => runner.session.logout('done'));
  await runner.start();
  const result = await flow.done;
  await runner.done;
  return result;
}

export async function sessionRoundTrip(o: { orders: number; window: number; runs: number }): Promise<RoundTripResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickgate-bench-'));
  const clients: Record<string, (port: number) => Promise<ClientRun>> = {
    'tickgate (sim device)': (port) => ourClient(port, 'sim', o.orders, o.window, path.join(dir, 'sim')),
    'tickgate (ref model)': (port) => ourClient(port, 'ref', o.orders, o.window, path.join(dir, 'ref')),
    jspurefix: (port) => runJspurefixClient({ port, senderCompID: 'JSCLIENT', targetCompID: 'EXECUTOR', orders: o.orders, window: o.window }),
  };
  const rates: Record<string, number[]> = Object.fromEntries(Object.keys(clients).map((k) => [k, []]));
  try {
    // Interleaved runs, a fresh executor each, so drift on a shared machine hits every client alike.
    for (let r = 0; r < o.runs; r++) {
      for (const [name, client] of Object.entries(clients)) {
        const port = await freePort();
        const sender = name === 'jspurefix' ? 'JSCLIENT' : 'TICKGATE';
        const executor = await startExecutor({ beginString: 'FIX.4.4', senderCompID: 'EXECUTOR', targetCompID: sender, port, dir: path.join(dir, `qf-${r}-${sender}`) });
        try {
          const run = await client(port);
          if (run.orders !== o.orders) throw new Error(`${name}: ${run.orders} of ${o.orders} orders filled`);
          rates[name]!.push(run.orders / run.seconds);
        } finally {
          executor.kill('SIGKILL');
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ...o, ordersPerSecond: Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)])) };
}
