// Runs a FIX byte stream through a device and hands back one NDJSON line per message record, in stream order.
import { REG, REG_BIT } from '../device/generated/layout.js';
import type { Device } from '../device/device.js';
import { FixMessageAssembler, fixMessageJson } from './message-assembler.js';

export interface DecodeFixOptions {
  /** Messages longer than this are reported too_long. */
  maxMessageBytes?: number;
}

export async function decodeFixStream(
  device: Device,
  input: AsyncIterable<Uint8Array>,
  writeLines: (text: string) => void | Promise<void>,
  options: DecodeFixOptions = {},
): Promise<void> {
  if (options.maxMessageBytes !== undefined) device.writeReg(REG.FIX_MAX_MSG_LEN, options.maxMessageBytes);
  device.writeReg(REG.CONTROL, device.readReg(REG.CONTROL) | (1 << REG_BIT.CONTROL_FIX_RX_ENABLE));
  const assembler = new FixMessageAssembler();
  const printer = (async () => {
    let lines: string[] = [];
    const flush = async () => {
      if (lines.length) await writeLines(lines.join('\n') + '\n');
      lines = [];
    };
    for await (const ev of device.events()) {
      if (ev.kind === 'stream_end') break;
      if (ev.kind === 'fix_field') { assembler.field(ev); continue; }
      if (ev.kind !== 'fix_frame') continue;
      lines.push(fixMessageJson(assembler.frame(ev)));
      if (lines.length >= 1024) await flush();
    }
    await flush();
  })();
  const feeder = (async () => {
    for await (const chunk of input) {
      assembler.append(chunk);
      await device.send(chunk);
    }
    await device.send(new Uint8Array(0), { end: true });
  })();
  await Promise.all([feeder, printer]);
}
