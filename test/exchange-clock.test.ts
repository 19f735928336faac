// The exchange clock (ns since midnight in the exchange's zone, its wall clock) at known instants, and the
// demo's restamping of MoldUDP64 packets.
import { describe, expect, it } from 'vitest';
import { encodeItch, moldHeader, restampPacket } from '../src/itch/generator.js';
import { ExchangeClock, isTimeZone } from '../src/serve/exchange-clock.js';

const HOUR_NS = 3_600e9;

describe('exchange clock', () => {
  it('counts from midnight in its zone, daylight saving included', () => {
    const ny = new ExchangeClock('America/New_York');
    // 09:30 Eastern: 14:30 UTC in winter (EST), 13:30 UTC in summer (EDT)
    expect(ny.sinceMidnightNs(Date.UTC(2026, 11, 4, 14, 30))).toBe(9.5 * HOUR_NS);
    expect(ny.sinceMidnightNs(Date.UTC(2026, 6, 1, 13, 30, 0, 250))).toBe(9.5 * HOUR_NS + 250e6);
    // 01:00 UTC is 20:00 of the day before in New York
    expect(ny.sinceMidnightNs(Date.UTC(2026, 11, 5, 1, 0))).toBe(20 * HOUR_NS);
    expect(new ExchangeClock('UTC').sinceMidnightNs(Date.UTC(2026, 11, 5, 23, 59, 59, 999))).toBe(86_400e9 - 1e6);
    expect(new ExchangeClock('Asia/Kolkata').sinceMidnightNs(Date.UTC(2026, 11, 5, 0, 0))).toBe(5.5 * HOUR_NS);
  });

  it('reads now from the host clock', () => {
    const utc = new ExchangeClock('UTC');
    const before = utc.sinceMidnightNs(Date.now());
    const now = utc.nowNs();
    const after = utc.sinceMidnightNs(Date.now());
    // across midnight the later reading is the smaller one
    if (after >= before) {
      expect(now).toBeGreaterThanOrEqual(before - 1e6);
      expect(now).toBeLessThanOrEqual(after + 1e6);
    }
  });

  it('knows IANA zone names only', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Eastern')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('restampPacket', () => {
  it('sets every message Timestamp of a packet and nothing else', () => {
    const messages = [encodeItch('S', { eventCode: 'O', timestamp: 5 }), encodeItch('D', { orderReferenceNumber: 7n, timestamp: 6 })];
    const packetOf = (ms: Buffer[]) => Buffer.concat([moldHeader('RESTAMP001', 1, ms.length), ...ms.flatMap((m) => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(m.length);
      return [len, m];
    })]);
    const packet = packetOf(messages.map((m) => Buffer.from(m)));
    const ns = 34_200e9 + 123;
    const want = packetOf(messages.map((m) => {
      const copy = Buffer.from(m);
      copy.writeUIntBE(ns, 5, 6);
      return copy;
    }));
    restampPacket(packet, ns);
    expect(packet).toEqual(want);
  });

  it('leaves end-of-session, heartbeat and cut-short packets as they are', () => {
    for (const p of [moldHeader('RESTAMP001', 9, 0xffff), moldHeader('RESTAMP001', 9, 0), Buffer.concat([moldHeader('RESTAMP001', 9, 3), Buffer.from([0, 40, 1, 2])])]) {
      const before = Buffer.from(p);
      restampPacket(p, 1e12);
      expect(p).toEqual(before);
    }
  });
});
