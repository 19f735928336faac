// One card, three roles: the FIX receiver, the order path and the feed core of a board are shared by the parts
// of a command that use them (a session's inbound side and order path, the market data of `start`); each part
// sees its own core's events in device order, a core cannot be taken twice, and the card closes with the last
// part. Checked over the golden model, which emits all three kinds on one device like a card does. Also the
// config's device: section.
import { describe, expect, it } from 'vitest';
import { chooseDevice, ConfigError, parseConfig } from '../src/config/config.js';
import { RefDevice, REG, REG_BIT, type Device, type DeviceEvent } from '../src/device/index.js';
import { RoleTakenError, separateDevices, sharedCard } from '../src/device/device-roles.js';
import { sampleExchangeMessages } from '../src/fix/sample-session.js';
import { generateItchSession, moldPacketize } from '../src/itch/generator.js';
import { configureFeed } from '../src/itch/device-feed.js';

async function drain(device: Device): Promise<DeviceEvent[]> {
  const out: DeviceEvent[] = [];
  for await (const ev of device.events()) out.push(ev);
  return out;
}

describe('sharedCard', () => {
  it('hands each role the events of its own core, in the order the card sent them, and closes the card with the last role', async () => {
    const opened: RefDevice[] = [];
    let closed = 0;
    const roles = sharedCard('ref', () => {
      const d = new RefDevice();
      const close = d.close.bind(d);
      d.close = () => { closed++; return close(); };
      opened.push(d);
      return d;
    });
    const fix = roles.open('fix', 'inbound');
    const feed = roles.open('feed', 'market data');
    expect(opened).toHaveLength(1);
    fix.writeReg(REG.CONTROL, fix.readReg(REG.CONTROL) | (1 << REG_BIT.CONTROL_FIX_RX_ENABLE));
    configureFeed(feed);
    const fixEvents = drain(fix);
    const feedEvents = drain(feed);
    const msgs = sampleExchangeMessages({ messages: 20, seed: 3 });
    const packets = moldPacketize(generateItchSession({ seed: 3, symbols: ['AAPL'], messages: 200 }), { session: 'TESTSESS01', firstSeq: 1 });
    // interleaved, as a session's bytes and the feed arrive
    for (let i = 0; i < Math.max(msgs.length, packets.length); i++) {
      if (msgs[i]) await fix.send(msgs[i]!);
      if (packets[i]) await feed.sendFeed(packets[i]!);
    }
    await fix.send(new Uint8Array(0), { end: true });
    await feed.flush();

    // the same input on two devices of their own: what each role must see
    const alone = async (role: 'fix' | 'feed') => {
      const d = new RefDevice();
      const events = drain(d);
      if (role === 'fix') {
        d.writeReg(REG.CONTROL, d.readReg(REG.CONTROL) | (1 << REG_BIT.CONTROL_FIX_RX_ENABLE));
        for (const m of msgs) await d.send(m);
        await d.send(new Uint8Array(0), { end: true });
      } else {
        configureFeed(d);
        for (const p of packets) await d.sendFeed(p);
      }
      await d.flush();
      await d.close();
      return events;
    };
    await fix.close();
    expect(closed, 'the card stays open while the feed holds it').toBe(0);
    await feed.close();
    expect(closed, 'and closes with the last role').toBe(1);
    const shape = (evs: DeviceEvent[]) => evs.map((e) => JSON.stringify(e, (k, v) => (k === 'seq' ? undefined : typeof v === 'bigint' ? v.toString() : v)));
    const seenFix = await fixEvents;
    const seenFeed = await feedEvents;
    expect(seenFix.length).toBeGreaterThan(20);
    expect(seenFeed.length, JSON.stringify(seenFeed.slice(0, 3).map((e) => 'record' in e ? e.record.subarray(0, 8).toString('hex') : e.kind))).toBeGreaterThan(10);
    expect(shape(seenFix), 'the FIX role: the FIX events, as on a device of its own').toEqual(shape(await alone('fix')));
    // a feed record as the feed sees it: without the card-wide record number (FIX records came in between)
    const feedShape = (evs: DeviceEvent[]) => evs.map((e) => ('record' in e ? Buffer.concat([e.record.subarray(0, 4), e.record.subarray(8)]).toString('hex') : e.kind));
    expect(feedShape(seenFeed), 'the feed role: the feed records, as on a device of its own').toEqual(feedShape(await alone('feed')));
  });

  it('refuses a core that is taken, naming who holds it; the next open after the last close is a new card', async () => {
    let opens = 0;
    const roles = sharedCard('pcie', () => { opens++; return new RefDevice(); });
    const inbound = roles.open('fix', 'session X: inbound messages');
    expect(() => roles.open('fix', 'session X: order path')).toThrow(RoleTakenError);
    expect(() => roles.open('fix', 'session X: order path'))
      .toThrow("session X: order path: the card's FIX receiver is in use by session X: inbound messages; a ref card has one");
    const orders = roles.open('orders', 'session X: order path');
    await inbound.close();
    await orders.close();
    expect(opens).toBe(1);
    const again = roles.open('fix', 'next');
    expect(opens).toBe(2);
    await again.close();
  });

  it('separate devices: every open is a device of its own, any role any number of times', async () => {
    const roles = separateDevices('ref', () => new RefDevice());
    const a = roles.open('fix', 'a');
    const b = roles.open('fix', 'b');
    expect(a).not.toBe(b);
    await a.close();
    await b.close();
  });
});

describe('config device: section', () => {
  const parse = (lines: string[]) => parseConfig(lines.join('\n'), 'test.yaml', '/etc/tickgate');
  const error = (lines: string[]) => {
    try {
      parse(lines);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('accepted');
  };

  it('takes backend pcie with the device files\' prefix; a relative path is from the config\'s folder', () => {
    expect(parse(['device: { backend: pcie, path: /dev/xdma1 }']).device).toEqual({ backend: 'pcie', path: '/dev/xdma1' });
    expect(parse(['device: { backend: pcie, path: card/xdma0 }']).device).toEqual({ backend: 'pcie', path: '/etc/tickgate/card/xdma0' });
    expect(parse(['device: { backend: pcie }']).device).toEqual({ backend: 'pcie' });
    expect(parse([]).device).toEqual({ backend: 'sim' });
  });

  it.each([
    [['device: { backend: fpga }'], /test\.yaml: device\.backend: must be "sim", "ref", "pcie" or "serial"/],
    [['device: { backend: ref, path: /dev/xdma0 }'], /test\.yaml: device\.path: is for backend pcie, not ref/],
    [['device: { backend: pcie, path: "" }'], /test\.yaml: device\.path: must be the device files' prefix/],
    [['device: { backend: pcie, port: /dev/ttyUSB0 }'], /test\.yaml: device\.port: is for backend serial, not pcie/],
    [['device: { backend: serial }'], /test\.yaml: device\.port: is needed for backend serial/],
    [['device: { backend: serial, port: /dev/ttyUSB1, baud: 100 }'], /test\.yaml: device\.baud: must be at least 300/],
    [['device: { backend: serial, port: /dev/ttyUSB1, baud: fast }'], /test\.yaml: device\.baud: must be a whole number of bits per second/],
    [['device: { backend: sim, baud: 115200 }'], /test\.yaml: device\.baud: is for backend serial, not sim/],
  ])('names the key and the problem: %j', (lines, message) => {
    expect(error(lines)).toMatch(message);
  });

  it('takes backend serial with its port and baud rate', () => {
    expect(parse(['device: { backend: serial, port: /dev/ttyUSB1, baud: 3000000 }']).device).toEqual({ backend: 'serial', port: '/dev/ttyUSB1', baud: 3000000 });
    const board = { backend: 'serial' as const, port: '/dev/ttyUSB1', baud: 115200 };
    expect(chooseDevice({}, board)).toEqual({ backend: 'serial', device: '/dev/ttyUSB1', baud: 115200 });
    expect(chooseDevice({ device: '/dev/ttyACM0', boardFlag: '--port' }, board)).toEqual({ backend: 'serial', device: '/dev/ttyACM0', baud: 115200 });
    expect(() => chooseDevice({ device: '/dev/xdma0', boardFlag: '--device' }, board)).toThrow(/--device is for backend pcie; the backend is serial/);
    expect(() => chooseDevice({ backend: 'ref', baud: 9600 }, board)).toThrow(/--baud is for backend serial; the backend is ref/);
  });

  it('the command line wins over the file; the file\'s path goes with the file\'s backend only', () => {
    const card = { backend: 'pcie' as const, path: '/dev/xdma3' };
    expect(chooseDevice({}, card)).toEqual({ backend: 'pcie', device: '/dev/xdma3' });
    expect(chooseDevice({ device: '/dev/xdma0' }, card)).toEqual({ backend: 'pcie', device: '/dev/xdma0' });
    expect(chooseDevice({ backend: 'sim' }, card)).toEqual({ backend: 'sim', device: undefined });
    expect(() => chooseDevice({ backend: 'ref', device: '/dev/xdma0' }, card)).toThrow(/--device is for backend pcie; the backend is ref/);
  });
});
