// `tickgate check orders --config <risk.yaml> [--backend sim|ref] [--forward <file>] <file|->`: one verdict
// per order (DESIGN.md 3.4) as NDJSON; `--forward` writes the bytes the gate lets through to the exchange.
import { writeFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config/config.js';
import type { BackendName } from '../device/index.js';
import { riskLimits } from '../risk/config.js';
import { RiskGateModel, verdictJson } from '../risk/ref-gate.js';

export class BackendUnavailableError extends Error {
  readonly code = 'BACKEND_UNAVAILABLE';
}

export interface CheckOrdersOptions {
  configFile: string;
  backend: BackendName;
  forward: string | undefined;
  input: AsyncIterable<Uint8Array>;
  write: (text: string) => void | Promise<void>;
}

export async function checkOrders(o: CheckOrdersOptions): Promise<void> {
  const config = loadConfig(o.configFile);
  if (!config.risk) throw new ConfigError(`${o.configFile}: risk: the section is missing`);
  if (o.backend === 'sim') {
    throw new BackendUnavailableError('check orders: the risk gate is not in the RTL yet, so there is no sim backend for it; use --backend ref (the golden model)');
  }
  // The whole input first: the device timeline of the rate limiter follows from the bytes, with no gaps.
  const chunks: Buffer[] = [];
  for await (const c of o.input) chunks.push(Buffer.from(c));
  const stream = Buffer.concat(chunks);
  const gate = new RiskGateModel(riskLimits(config.risk));
  const out = gate.push(stream);
  gate.end(out);
  const lines = out.verdicts.map((v) => verdictJson(v, v.clOrdID ? stream.toString('latin1', v.clOrdID.offset, v.clOrdID.offset + v.clOrdID.length) : null));
  if (lines.length) await o.write(lines.join('\n') + '\n');
  if (o.forward !== undefined) writeFileSync(o.forward, Buffer.concat(out.forwarded));
}
