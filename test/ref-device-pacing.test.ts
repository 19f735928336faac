// The reference device has no clock to hold: a sender is paced by the events still waiting for the reader.
import { describe, expect, it } from 'vitest';
import { RefDevice } from '../src/device/index.js';
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
    expect(total).toBeGreaterThan(1 << 17);   // well past the high-water mark of 65,536
    expect(most).toBeLessThanOrEqual((1 << 16) + perSend);
    await dev.close();
  });

  it('never waits for a reader that is not there: a caller may send everything, then read', async () => {
    const dev = new RefDevice();
    enableFix(dev);
    for (const [i, m] of messages.entries()) await dev.send(m, { end: i === messages.length - 1 });
    const waiting = dev.eventsWaiting;
    expect(waiting).toBeGreaterThan(1 << 17);
    expect(await countEvents(dev)).toBe(waiting);
    expect(dev.eventsWaiting).toBe(0);
    await dev.close();
  });
});
