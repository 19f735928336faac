// `tickgate check orders --config <risk.yaml> [--backend sim|ref] [--forward <file>] [--itch <capture>]
// <file|->`: one verdict per order (DESIGN.md 3.4) as NDJSON; `--forward` writes the bytes the gate lets
// through to the exchange; `--itch` feeds a market-data capture through the device first, so with
// `referencePriceSource: itch` its last trades are the reference prices.
// Both backends run the same path: limits committed through the registers, the orders into the device's
// order ingress as one stream, verdict records and the order egress back.
import { writeFileSync } from 'node:fs';
import { chooseDevice, ConfigError, loadConfig } from '../config/config.js';
import { openDevice, type BackendName, type BoardOption } from '../device/index.js';
import { riskLimits } from '../risk/config.js';
import { configureRisk, OrderPathReader } from '../risk/device-risk.js';
import { verdictJson } from '../risk/ref-gate.js';
import { SymbolTableError } from '../risk/symbol-table.js';
import { configureFeed } from '../itch/device-feed.js';
import { feedPackets } from '../itch/input.js';

export class BackendUnavailableError extends Error {
  readonly code = 'BACKEND_UNAVAILABLE';
}

export interface CheckOrdersOptions {
  configFile: string;
  /** Else the config's device.backend. */
  backend?: BackendName;
  /** pcie: the device files' prefix, serial: the port (else the config's device.path or device.port) */
  device?: string;
  baud?: number;
  boardFlag?: BoardOption['boardFlag'];
  forward: string | undefined;
  /** pcap, MoldUDP64 or BinaryFILE bytes for the feed, before the orders */
  itch?: Buffer;
  input: AsyncIterable<Uint8Array>;
  write: (text: string) => void | Promise<void>;
}

export async function checkOrders(o: CheckOrdersOptions): Promise<void> {
  const config = loadConfig(o.configFile);
  if (!config.risk) throw new ConfigError(`${o.configFile}: risk: the section is missing`);
  const limits = riskLimits(config.risk);
  // The whole input first, sent as one piece: the device timeline of the rate limiter follows from the
  // bytes, with no gaps, so both backends decide the same.
  const chunks: Buffer[] = [];
  for await (const c of o.input) chunks.push(Buffer.from(c));
  const stream = Buffer.concat(chunks);
  const device = openDevice(chooseDevice(o, config.device));
  const reader = new OrderPathReader();
  const reading = (async () => { for await (const ev of device.events()) reader.push(ev); })();
  try {
    try {
      configureRisk(device, limits);
    } catch (err) {
      if (err instanceof SymbolTableError) throw new ConfigError(`${o.configFile}: risk.${err.message}`);
      throw err;
    }
    if (o.itch) {
      configureFeed(device);
      for (const p of feedPackets(o.itch)) await device.sendFeed(p);
      await device.flush();
    }
    if (stream.length) await device.sendOrders(stream, { end: true });
    await device.flush();
  } finally {
    await device.close();
    await reading;
  }
  const lines = reader.out.verdicts.map((v) => verdictJson(v, v.clOrdID ? stream.toString('latin1', v.clOrdID.offset, v.clOrdID.offset + v.clOrdID.length) : null));
  if (lines.length) await o.write(lines.join('\n') + '\n');
  if (o.forward !== undefined) writeFileSync(o.forward, Buffer.concat(reader.out.forwarded));
}
