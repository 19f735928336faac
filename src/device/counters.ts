// The FIX receiver's counters as one object, read from the register map.
import type { Device } from './device.js';
import { REG } from './generated/layout.js';

export function fixReceiverCounters(device: Device): Record<string, number | string> {
  return {
    messages: device.readReg(REG.FIX_MESSAGES),
    bytes: device.readReg64(REG.FIX_BYTES_LO).toString(),
    fields: device.readReg(REG.FIX_FIELDS),
    garbled: device.readReg(REG.FIX_GARBLED),
    garbledBytes: device.readReg(REG.FIX_GARBLED_BYTES),
    badChecksum: device.readReg(REG.FIX_BAD_CHECKSUM),
    badBodyLength: device.readReg(REG.FIX_BAD_BODY_LENGTH),
    truncated: device.readReg(REG.FIX_TRUNCATED),
    tooLong: device.readReg(REG.FIX_TOO_LONG),
  };
}
