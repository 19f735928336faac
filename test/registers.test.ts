import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_ID, DEVICE_VERSION, RECORD_BYTES, REG, REG_RESET } from '../src/device/generated/layout.js';
import { RefDevice, SteppedSimDevice, type Device } from '../src/device/index.js';
import { buildMessage } from '../src/fix/message.js';
import { enableFix, readCounters, runSim } from './helpers/run-device.js';

type RegDevice = Pick<Device, 'readReg' | 'writeReg' | 'readReg64' | 'reset'>;

const backends: [string, () => RegDevice & { close(): unknown }][] = [
  ['sim', () => new SteppedSimDevice()],
  ['ref', () => new RefDevice()],
];

describe.each(backends)('registers (%s)', (_name, open) => {
  let dev: RegDevice & { close(): unknown };
  beforeAll(() => { dev = open(); });
  afterAll(() => dev.close());

  it('identifies the device', () => {
    expect(dev.readReg(REG.ID)).toBe(DEVICE_ID);
    expect(dev.readReg(REG.VERSION)).toBe(DEVICE_VERSION);
    expect(dev.readReg(REG.RECORD_BYTES)).toBe(RECORD_BYTES);
  });

  it('comes out of reset with the documented values', () => {
    dev.writeReg(REG.SCRATCH, 5);
    dev.writeReg(REG.CONTROL, 1);
    dev.reset();
    expect(dev.readReg(REG.SCRATCH)).toBe(REG_RESET.SCRATCH);
    expect(dev.readReg(REG.CONTROL)).toBe(REG_RESET.CONTROL);
    expect(dev.readReg(REG.FIX_MAX_MSG_LEN)).toBe(REG_RESET.FIX_MAX_MSG_LEN);
  });

  it('reads back every value written to the scratch, control and max-length registers', () => {
    fc.assert(
      fc.property(fc.constantFrom(REG.SCRATCH, REG.CONTROL, REG.FIX_MAX_MSG_LEN), fc.integer({ min: 0, max: 0xffffffff }), (addr, v) => {
        dev.writeReg(addr, v);
        expect(dev.readReg(addr)).toBe(v);
      }),
      { seed: 7, numRuns: 200 },
    );
    dev.reset();
  });

  it('rejects unaligned, out-of-window and unmapped addresses with a message naming the address', () => {
    expect(() => dev.readReg(0x002)).toThrow(/0x002 is not 32-bit aligned/);
    expect(() => dev.readReg(0x1000)).toThrow(/0x1000 is outside the 4096-byte register window/);
    expect(() => dev.readReg(0x7fc)).toThrow(/read from register 0x7FC failed: no readable register there/);
    expect(() => dev.writeReg(REG.ID, 1)).toThrow(/write to register 0x000 failed: no writable register there/);
    expect(() => dev.readReg(REG.COUNTER_CLEAR)).toThrow(/no readable register there/);
    expect(dev.readReg(REG.ID)).toBe(DEVICE_ID);
  });
});

describe('counters (sim)', () => {
  let sim: SteppedSimDevice;
  beforeAll(() => { sim = new SteppedSimDevice(); });
  afterAll(() => sim.close());

  it('count messages, bytes, fields and each error kind, and clear on COUNTER_CLEAR', () => {
    const m = buildMessage('FIX.4.4', [[35, '0']]);                 // 4 fields
    const badSum = Buffer.from(m.toString('latin1').replace(/10=\d{3}/, '10=999'), 'latin1');
    const badLen = Buffer.from(m.toString('latin1').replace('9=5', '9=6'), 'latin1');
    const stream = Buffer.concat([Buffer.from('noise'), m, m, badSum, badLen, m.subarray(0, 9)]);
    const got = runSim(sim, { streams: [[stream]], maxMsgLen: m.length });
    expect(readCounters(sim)).toEqual({
      FIX_MESSAGES: 2, FIX_GARBLED: 1, FIX_GARBLED_BYTES: 5, FIX_TRUNCATED: 1, FIX_TOO_LONG: 0, FIX_STREAMS: 1,
      FIX_BAD_CHECKSUM: 1, FIX_BAD_BODY_LENGTH: 1, FIX_FIELDS: 16, FIX_BYTES: String(stream.length),
    });
    expect(sim.readReg(REG.EVENTS_OUT)).toBe(new Set(got.events.flatMap((e) => ('seq' in e ? [e.seq] : []))).size);
    sim.writeReg(REG.COUNTER_CLEAR, 1);
    expect(readCounters(sim)).toEqual({
      FIX_MESSAGES: 0, FIX_GARBLED: 0, FIX_GARBLED_BYTES: 0, FIX_TRUNCATED: 0, FIX_TOO_LONG: 0, FIX_STREAMS: 0,
      FIX_BAD_CHECKSUM: 0, FIX_BAD_BODY_LENGTH: 0, FIX_FIELDS: 0, FIX_BYTES: '0',
    });
    expect(sim.readReg(REG.EVENTS_OUT)).toBe(0);
  });

  it('runs the cycle counter freely and reads it coherently as 64 bits', () => {
    sim.reset();
    sim.step(1000);
    const c = sim.readReg64(REG.CYCLE_LO);
    expect(c).toBeGreaterThanOrEqual(1000n);
    expect(c).toBeLessThan(1010n);
    expect(sim.cycles()).toBeGreaterThan(c);
  });

  it('holds FIX ingress while the path is disabled and takes it once enabled', () => {
    sim.reset();
    const m = buildMessage('FIX.4.4', [[35, '0']]);
    sim.sendNow(m, { end: true });
    expect(sim.step(500).events).toEqual([]);
    expect(sim.ingressQueued()).toBe(m.length);
    enableFix(sim);
    const got = sim.step(100).events.map((e) => e.kind);
    expect(got).toEqual(['fix_field', 'fix_field', 'fix_field', 'fix_field', 'fix_frame', 'stream_end']);
  });
});
