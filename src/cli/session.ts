// `tickgate session --config <yaml> [--app fill|echo|print] [--orders N]`: one FIX session until
// SIGINT/SIGTERM or Logout. Received application messages (print) go to stdout as NDJSON; session events
// go to stderr, one JSON object per line.
import { riskLimits } from '../risk/config.js';
import { chooseDevice, loadConfig, ConfigError } from '../config/config.js';
import type { BackendName, BoardOption } from '../device/index.js';
import { APPS, attachApp, appMessageJson, type AppName } from '../session/apps.js';
import { SessionRunner } from '../session/runner.js';
import { OrderFlow } from '../session/order-flow.js';

export interface SessionCommandOptions {
  configFile: string;
  app: AppName;
  backend: BackendName | undefined;
  /** pcie: the device files' prefix, serial: the port (else the config's device.path or device.port). */
  device?: string;
  baud?: number;
  boardFlag?: BoardOption['boardFlag'];
  /** Initiator: send this many NewOrderSingles once logged on, log out when all are filled. */
  orders: number;
  /** Most orders unfilled at once. */
  window: number;
  symbol: string;
}

export function appOf(value: string | undefined): AppName {
  const a = (value ?? 'print') as AppName;
  if (!APPS.includes(a)) throw new ConfigError(`--app must be one of ${APPS.join(', ')}, not "${value}"`);
  return a;
}

export async function runSessionCommand(o: SessionCommandOptions): Promise<void> {
  const config = loadConfig(o.configFile);
  if (!config.session) throw new ConfigError(`${o.configFile}: session: the section is missing`);
  const runner = new SessionRunner({
    config: config.session, baseDir: config.baseDir, ...chooseDevice(o, config.device),
    risk: config.risk ? riskLimits(config.risk) : undefined,
  });
  const session = runner.session;
  session.on('event', (e) => process.stderr.write(JSON.stringify(e) + '\n'));
  attachApp(session, o.app, (line) => process.stdout.write(line + '\n'));
  if (o.orders > 0) {
    if (config.session.role !== 'initiator') throw new ConfigError('--orders needs session.role initiator');
    if (o.app !== 'print') session.on('app', (m) => process.stdout.write(appMessageJson(m) + '\n'));
    // ClOrdIDs unique per process run, so a restarted sender never repeats one.
    const flow = new OrderFlow(session, {
      count: o.orders, window: o.window, prefix: `${Date.now().toString(36)}-`,
      order: (n) => ({ symbol: o.symbol, side: n % 2 ? 'buy' : 'sell', qty: 100, ordType: 'limit', price: (100 + (n % 50) / 100).toFixed(2) }),
    });
    void flow.done.then(() => session.logout('all orders filled'));
  }
  const stop = () => { void runner.stop(); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await runner.start();
  if (config.session.role === 'acceptor') {
    process.stderr.write(JSON.stringify({ type: 'listening', text: `listening on ${config.session.host}:${runner.port}`, port: runner.port }) + '\n');
  }
  try {
    await runner.done;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
