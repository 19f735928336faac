// DeviceFeed.settled(): once it resolves, the sink has every record of the packets sent before it, however
// the reader takes its events. device.flush() alone says the device has delivered them, not that the reader
// has taken them: a reader that waits a turn after a short batch (wholeInput) is still behind then.
import { describe, expect, it } from 'vitest';
import { RefDevice } from '../src/device/ref-device.js';
import { configureFeed, DeviceFeed } from '../src/itch/device-feed.js';
import { generateItchSession, moldPacketize } from '../src/itch/generator.js';

const packets = moldPacketize(generateItchSession({ seed: 3, symbols: ['AAPL', 'MSFT'], messages: 600 }), { session: 'TEST000001', firstSeq: 1 });

describe('DeviceFeed.settled()', () => {
  for (const wholeInput of [false, true]) {
    it(`resolves once the sink has every record sent before it, twice over (wholeInput: ${wholeInput})`, async () => {
      const device = new RefDevice();
      configureFeed(device);
      let records = 0;
      const feed = new DeviceFeed(device, { push() { records++; } }, { wholeInput });
      const half = packets.length >> 1;
      // a packet at a time, all in one turn: each packet's events come as a short batch of their own
      for (const p of packets.slice(0, half)) feed.packet(p);
      await feed.settled();
      const atFirst = records;
      for (const p of packets.slice(half)) feed.packet(p);
      await feed.settled();
      const atSecond = records;
      await feed.finish();
      expect(atSecond).toBe(records);
      // the first half's records were all there at the first settled(): what came after is the second half's
      const second = new RefDevice();
      configureFeed(second);
      let firstHalf = 0;
      const alone = new DeviceFeed(second, { push() { firstHalf++; } }, { wholeInput });
      for (const p of packets.slice(0, half)) alone.packet(p);
      await alone.finish();
      expect(firstHalf).toBeGreaterThan(half);
      expect(atFirst).toBe(firstHalf);
    });
  }
});
