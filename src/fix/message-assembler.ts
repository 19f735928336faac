// Puts a FIX message back together on the host from what the device sent: its field entries and its
// frame record, plus the stream bytes the host already holds (values are sliced from those, never
// re-parsed). Also checks that no field entry was lost between the device and here.
import { DeviceProtocolError, type FixFieldEvent, type FixFrameEvent } from '../device/events.js';
import type { Device } from '../device/device.js';
import { REG, REG_BIT } from '../device/generated/layout.js';
import { HeldStreamBytes } from './held-bytes.js';

export interface FixMessage {
  frame: FixFrameEvent;
  /** Every tag=value pair in order (repeating groups and duplicates included); empty for spans that are
   *  not complete messages (garbled, truncated, too_long). */
  fields: Array<[number, string]>;
  /** Decoded values as exact decimal strings (flags as Y/N), first occurrence of each tag. */
  decoded: Record<string, string>;
  /** MsgType (35) in full, when fields are given. */
  msgType: string | null;
}

/** The decimal string of mantissa / 10^scale, exactly, without exponent. */
export function formatDecimal(mantissa: bigint, scale: number): string {
  const neg = mantissa < 0n;
  const digits = (neg ? -mantissa : mantissa).toString().padStart(scale + 1, '0');
  const cut = digits.length - scale;
  return (neg ? '-' : '') + digits.slice(0, cut) + (scale ? '.' + digits.slice(cut) : '');
}

export function decodedText(f: FixFieldEvent): string | null {
  switch (f.decodedType) {
    case 'int': return f.value.toString();
    case 'flag': return f.value === 1n ? 'Y' : 'N';
    case 'decimal': return formatDecimal(f.value, f.scale);
    case 'none': return null;
  }
}

/** Spans whose fields are reported: messages that reached their trailer and were well-formed. */
export function hasFields(frame: FixFrameEvent): boolean {
  return frame.error === null || frame.error === 'bad_checksum' || frame.error === 'bad_body_length';
}

export class FixMessageAssembler {
  private readonly bytes = new HeldStreamBytes();
  private pending: FixFieldEvent[] = [];

  /** Bytes of the stream, in order, before the device sees them. */
  append(bytes: Uint8Array): void { this.bytes.append(bytes); }

  /** The stream ended: the next bytes start a new stream at offset 0. */
  endStream(): void {
    if (this.pending.length) throw new DeviceProtocolError(`${this.pending.length} field entries without a message record at stream end`);
    this.bytes.restart();
  }

  field(ev: FixFieldEvent): void { this.pending.push(ev); }

  frame(frame: FixFrameEvent): FixMessage {
    const entries = this.pending;
    this.pending = [];
    if (entries.length !== frame.fieldCount) {
      throw new DeviceProtocolError(`message at ${frame.offset}: ${entries.length} field entries arrived, the record says ${frame.fieldCount}`);
    }
    const message: FixMessage = { frame, fields: [], decoded: {}, msgType: null };
    if (hasFields(frame)) {
      const bytes = this.bytes.slice(frame.offset, frame.length);
      for (const e of entries) {
        if (e.messageOffset !== frame.offset) throw new DeviceProtocolError(`field entry of message ${e.messageOffset} inside message ${frame.offset}`);
        const value = bytes.toString('latin1', e.valueOffset, e.valueOffset + e.valueLength);
        message.fields.push([e.tag, value]);
        const text = decodedText(e);
        if (text !== null && !(String(e.tag) in message.decoded)) message.decoded[String(e.tag)] = text;
      }
      message.msgType = message.fields[2]?.[1] ?? null;
    }
    this.bytes.release(frame.offset + frame.length);
    return message;
  }
}

/** One line of `tickgate decode fix` (DESIGN.md 3.2). */
export function fixMessageJson(m: FixMessage): string {
  const f = m.frame;
  const withFields = hasFields(f);
  return JSON.stringify({
    kind: 'fix',
    offset: f.offset,
    length: f.length,
    msgType: m.msgType,
    msgSeqNum: withFields ? f.msgSeqNum : null,
    error: f.error,
    fields: m.fields,
    decoded: m.decoded,
  });
}

/** `decode fix`'s lines the readable way, for checking and measuring the line writer against: an event object
 *  per field entry and frame from the device, each message put together and printed by fixMessageJson. */
export async function referenceFixLines(device: Device, input: AsyncIterable<Uint8Array>): Promise<string> {
  device.writeReg(REG.CONTROL, device.readReg(REG.CONTROL) | (1 << REG_BIT.CONTROL_FIX_RX_ENABLE));
  const assembler = new FixMessageAssembler();
  const lines: string[] = [];
  const printer = (async () => {
    for await (const ev of device.events()) {
      if (ev.kind === 'stream_end') break;
      if (ev.kind === 'fix_field') assembler.field(ev);
      else if (ev.kind === 'fix_frame') lines.push(fixMessageJson(assembler.frame(ev)) + '\n');
    }
  })();
  for await (const chunk of input) {
    assembler.append(chunk);
    await device.send(chunk);
  }
  await device.send(new Uint8Array(0), { end: true });
  await printer;
  return lines.join('');
}
