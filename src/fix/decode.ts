// Runs a FIX byte stream through a device and hands back one NDJSON line per message record, in stream order.
// The lines are written from the device's records in place (FixLineWriter), in blocks.
import { REG, REG_BIT } from '../device/generated/layout.js';
import type { Device } from '../device/device.js';
import { FixLineWriter } from './fix-lines.js';

export interface DecodeFixOptions {
  /** Messages longer than this are reported too_long. */
  maxMessageBytes?: number;
}

/** Lines are handed on once this many bytes of them are written. */
const BLOCK_BYTES = 1 << 18;

export async function decodeFixStream(
  device: Device,
  input: AsyncIterable<Uint8Array>,
  writeLines: (lines: string | Uint8Array) => void | Promise<void>,
  options: DecodeFixOptions = {},
): Promise<void> {
  if (options.maxMessageBytes !== undefined) device.writeReg(REG.FIX_MAX_MSG_LEN, options.maxMessageBytes);
  device.deliverFixRecords();
  device.writeReg(REG.CONTROL, device.readReg(REG.CONTROL) | (1 << REG_BIT.CONTROL_FIX_RX_ENABLE));
  const lines = new FixLineWriter(BLOCK_BYTES + 4096);
  const printer = (async () => {
    for await (const ev of device.events()) {
      if (ev.kind !== 'fix_records') continue;
      const ended = lines.records(ev.records);
      if (lines.size >= BLOCK_BYTES) await writeLines(lines.take());
      if (ended) break;
    }
    if (lines.size) await writeLines(lines.take());
  })();
  const feeder = (async () => {
    for await (const chunk of input) {
      lines.append(chunk);
      await device.send(chunk);
    }
    await device.send(new Uint8Array(0), { end: true });
  })();
  await Promise.all([feeder, printer]);
}
