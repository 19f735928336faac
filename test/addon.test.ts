// The native addon must turn every bad argument into an exception, never a crash, and must deliver
// events from its clock thread without blocking the event loop.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../src/device/addon.js';
import { REG } from '../src/device/generated/layout.js';
import { SimDevice, type DeviceEvent } from '../src/device/index.js';
import { sampleExchangeMessages } from '../src/fix/sample-session.js';
import { enableFix, firstSeqGap } from './helpers/run-device.js';

const { SimDevice: Native } = loadAddon();

describe('native addon argument checks', () => {
  it('rejects bad constructor options with a message naming the option', () => {
    expect(() => new Native(42 as never)).toThrow(/options must be an object/);
    expect(() => new Native({ egressReadyProbability: 0 })).toThrow(/egressReadyProbability must be in \(0, 1\]/);
    expect(() => new Native({ egressReadyProbability: 'x' as never })).toThrow(/egressReadyProbability must be a number/);
    expect(() => new Native({ seed: -1 })).toThrow(/seed must be an integer/);
    expect(() => new Native({ trace: 5 as never })).toThrow(/trace must be a file path string/);
    expect(() => new Native({ onEvents: 'no' as never })).toThrow(/onEvents must be a function/);
    expect(() => new Native({ trace: '/nonexistent-dir/x.fst' })).toThrow(/cannot open trace file/);
  });

  it('rejects bad register, send and step arguments and stays usable', () => {
    const d = new Native();
    expect(() => d.readReg(-4)).toThrow(/register address must be an integer/);
    expect(() => d.readReg(1.5)).toThrow(/register address must be an integer/);
    expect(() => d.readReg('0' as never)).toThrow(/register address must be a number/);
    expect(() => d.readReg(2 ** 40)).toThrow(/register address must be an integer/);
    expect(() => d.writeReg(REG.SCRATCH, Number.NaN)).toThrow(/register value must be an integer/);
    expect(() => d.writeReg(REG.SCRATCH, 2 ** 32)).toThrow(/register value must be an integer/);
    expect(() => d.sendFix('text' as never)).toThrow(/bytes must be a Buffer or Uint8Array/);
    expect(() => d.sendFix(new Uint16Array(4) as never)).toThrow(/bytes must be a Buffer or Uint8Array/);
    expect(() => d.sendFix(Buffer.from('x'), 1 as never)).toThrow(/last must be a boolean/);
    expect(() => d.step(-1)).toThrow(/cycles must be an integer/);
    expect(() => d.step(Infinity)).toThrow(/cycles must be an integer/);
    expect(() => d.step(undefined as never)).toThrow(/cycles must be a number/);
    expect(() => d.reset(0)).toThrow(/reset cycles must be 1 to 1000000/);
    expect(() => d.setEgressReady(2)).toThrow(/probability must be in \(0, 1\]/);
    expect(() => d.setIngressValid(0)).toThrow(/ingress valid probability must be in \(0, 1\]/);
    expect(() => d.sendFeed('text' as never)).toThrow(/packet must be a Buffer or Uint8Array/);
    expect(() => d.sendFeed(Buffer.alloc(65536))).toThrow(/a UDP payload is at most 65535 bytes/);
    d.writeReg(REG.SCRATCH, 0x1234);
    expect(d.readReg(REG.SCRATCH)).toBe(0x1234);
    d.close();
    d.close();
    expect(() => d.readReg(REG.ID)).toThrow(/device is closed/);
    expect(() => d.sendFix(Buffer.from('x'))).toThrow(/device is closed/);
    expect(() => d.sendFeed(Buffer.from('x'))).toThrow(/device is closed/);
    expect(() => d.step(1)).toThrow(/device is closed/);
  });

  it('refuses step() on a device that clocks itself', () => {
    const d = new Native({ onEvents: () => {} });
    expect(() => d.step(10)).toThrow(/step\(\) is for synchronous mode/);
    d.close();
  });

  it('writes an FST waveform when asked', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tickgate-trace-'));
    try {
      const file = path.join(dir, 'core.fst');
      const d = new Native({ trace: file });
      d.writeReg(REG.CONTROL, 1);
      d.sendFix(Buffer.from('8=FIX.4.4\x019=5\x0135=0\x0110=000\x01'), true);
      d.step(50);
      d.close();
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).size).toBeGreaterThan(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('threaded simulation device', () => {
  it('delivers every event without blocking the event loop', async () => {
    const dev = new SimDevice();
    enableFix(dev);
    const messages = sampleExchangeMessages({ messages: 20_000, seed: 3 });
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    const events: DeviceEvent[] = [];
    const reader = (async () => {
      for await (const e of dev.events()) {
        events.push(e);
        if (e.kind === 'stream_end') break;
      }
    })();
    for (let i = 0; i < messages.length; i += 100) await dev.send(Buffer.concat(messages.slice(i, i + 100)));
    await dev.send(new Uint8Array(0), { end: true });
    await reader;
    clearInterval(timer);
    const frames = events.filter((e) => e.kind === 'fix_frame');
    expect(frames).toHaveLength(messages.length);
    expect(frames.every((e) => e.kind === 'fix_frame' && e.error === null)).toBe(true);
    expect(firstSeqGap(events)).toBeNull();
    expect(ticks).toBeGreaterThan(0);
    expect(dev.readReg(REG.FIX_MESSAGES)).toBe(messages.length);
    await dev.close();
  });

  it('counts how long calls waited for the model, and reads the cycle count without waiting', async () => {
    const dev = new SimDevice();
    enableFix(dev);
    const before = dev.hostWaits();
    for (let i = 0; i < 20; i++) dev.readReg(REG.FIX_MESSAGES);
    const c0 = dev.cycles();
    const mid = dev.hostWaits();
    // each register read took the model once; the cycle count took it not at all
    expect(mid.count - before.count).toBe(20);
    expect(mid.buckets.reduce((n, k) => n + k, 0)).toBe(mid.count);
    expect(mid.maxNs).toBeGreaterThan(0);
    const top = mid.buckets.reduce((last, n, k) => (n > 0 ? k : last), -1);
    expect(mid.maxNs).toBeLessThan(2 ** (top + 1));
    await dev.send(Buffer.concat(sampleExchangeMessages({ messages: 200, seed: 4 })));
    await dev.flush();
    expect(dev.cycles()).toBeGreaterThan(c0);
    await dev.close();
  });

  it('sends never take the model: none waits for the clock thread, and flush() still waits for their bytes', async () => {
    const dev = new SimDevice();
    enableFix(dev);
    const messages = sampleExchangeMessages({ messages: 3_000, seed: 5 });
    const reader = (async () => { for await (const e of dev.events()) if (e.kind === 'stream_end') break; })();
    const before = dev.hostWaits().count;
    // small sends while the clock thread is busy with the ones before (the device paces them by its ingress)
    for (let i = 0; i < messages.length; i += 30) await dev.send(Buffer.concat(messages.slice(i, i + 30)));
    expect(dev.hostWaits().count - before).toBe(0);
    await dev.flush();
    // everything sent before flush() resolved was parsed: the device's own count (one register read)
    expect(dev.readReg(REG.FIX_MESSAGES)).toBe(messages.length);
    expect(dev.hostWaits().count - before).toBe(1);
    await dev.send(new Uint8Array(0), { end: true });
    await reader;
    await dev.close();
  });

  it('holds the device while the reader falls behind: bounded waiting events, nothing lost', async () => {
    const dev = new SimDevice();
    enableFix(dev);
    const messages = sampleExchangeMessages({ messages: 20_000, seed: 5 });
    const sent = dev.send(Buffer.concat(messages), { end: true });
    // Nobody reads for a while: about 250,000 events would pile up; the device stops at the high water.
    let most = 0;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 10));
      most = Math.max(most, dev.eventsWaiting);
    }
    expect(most).toBeGreaterThan(10_000);
    // The high water (65,536) plus what was already on its way: at most 17 batches (the thread-safe
    // function's queue of 16 and one being made) of 8,192 cycles, each record at most two events.
    expect(most).toBeLessThanOrEqual((1 << 16) + 17 * 8192 * 2);
    const cyclesHeld = dev.cycles();
    await new Promise((r) => setTimeout(r, 50));
    expect(dev.cycles()).toBe(cyclesHeld); // the clock is held, not spinning
    const events: DeviceEvent[] = [];
    for await (const e of dev.events()) {
      events.push(e);
      if (e.kind === 'stream_end') break;
    }
    await sent;
    expect(events.filter((e) => e.kind === 'fix_frame')).toHaveLength(messages.length);
    expect(firstSeqGap(events)).toBeNull();
    await dev.close();
  });

  it('closes promptly while its clock thread is blocked on a full event queue', async () => {
    const dev = new SimDevice({ egressReadyProbability: 1 });
    enableFix(dev);
    const many = Buffer.concat(sampleExchangeMessages({ messages: 50_000, seed: 4 }));
    void dev.send(many);
    // Keep the event loop busy so no batch is taken: the clock thread fills the queue and blocks.
    const busyUntil = Date.now() + 300;
    while (Date.now() < busyUntil) { /* spin */ }
    const t0 = Date.now();
    await dev.close();
    expect(Date.now() - t0).toBeLessThan(2000);
    await expect(dev.send(Buffer.from('x'))).rejects.toThrow(/device is closed/);
  });
});
