// The reference device has no clock to hold: a sender is paced by the events still waiting for the reader.
import { describe, expect, it } from 'vitest';
import { RefDevice } from '../src/device/index.js';
import { EVENTS_HIGH_WATER } from '../src/device/ref-device.js';
import { sampleExchangeMessages } from '../src/fix/sample-session.js';
import { enableFix } from './helpers/run-device.js';

const messages = sampleExchangeMessages({ messages: 8_000, seed: 3 });

async function countEvents(dev: RefDevice): Promise<number> {
  let n = 0;
  for await (const e of dev.events()) {
    n++;
    if (e.kind === 'stream_end') break;
  }
  return n;
}

describe('reference device pacing', () => {
  it('holds a sender while the reader is behind, so the events waiting stay bounded', async () => {
    const dev = new RefDevice();
    enableFix(dev);
    const reading = countEvents(dev);
    let most = 0;
    let perSend = 0;
    for (const [i, m] of messages.entries()) {
      const before = dev.eventsWaiting;
      await dev.send(m, { end: i === messages.length - 1 });
      perSend = Math.max(perSend, dev.eventsWaiting - before);
      most = Math.max(most, dev.eventsWaiting);
    }
    const total = await reading;
    expect(total).toBeGreaterThan(16 * EVENTS_HIGH_WATER);
    expect(most).toBeLessThanOrEqual(EVENTS_HIGH_WATER + perSend);
    await dev.close();
  });

  it('paces one big write too: it is decoded a slice at a time (a file is read a MiB at a time)', async () => {
    const dev = new RefDevice();
    enableFix(dev);
    const reading = countEvents(dev);
    let most = 0;
    const watch = setInterval(() => { most = Math.max(most, dev.eventsWaiting); }, 0);
    const sending = dev.send(Buffer.concat(messages), { end: true });
    // the first slice is decoded before send() returns its promise
    most = Math.max(most, dev.eventsWaiting);
    await sending;
    clearInterval(watch);
    const total = await reading;
    expect(total).toBeGreaterThan(16 * EVENTS_HIGH_WATER);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2 * EVENTS_HIGH_WATER);
    await dev.close();
  });

  it('never waits for a reader that is not there: a caller may send everything, then read', async () => {
    const dev = new RefDevice();
    enableFix(dev);
    for (const [i, m] of messages.entries()) await dev.send(m, { end: i === messages.length - 1 });
    const waiting = dev.eventsWaiting;
    expect(waiting).toBeGreaterThan(16 * EVENTS_HIGH_WATER);
    expect(await countEvents(dev)).toBe(waiting);
    expect(dev.eventsWaiting).toBe(0);
    await dev.close();
  });
});
