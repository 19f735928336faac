// The device between session and wire: the outbound order path lets only what the device framed as one
// well-formed message leave, in order; the inbound link reports the messages of each connection's stream.
import { describe, expect, it } from 'vitest';
import { LOCAL_BACKENDS, openDevice } from '../src/device/index.js';
import { buildMessage } from '../src/fix/message.js';
import type { FixMessage } from '../src/fix/message-assembler.js';
import { FramerOrderPath, InboundLink, OutboundQueue } from '../src/session/device-link.js';
import { riskLimits, riskSchema } from '../src/risk/config.js';
import { RiskOrderPath } from '../src/risk/risk-order-path.js';

const order = (id: string) => buildMessage('FIX.4.4', [[35, 'D'], [34, '2'], [49, 'A'], [52, '20261125-10:00:00.000'], [56, 'B'], [11, id], [55, 'AAPL'], [54, '1'], [38, '10'], [40, '1']]);
const corrupt = (m: Buffer) => Buffer.from(m.toString('latin1').replace(/10=(\d{3})\x01$/, (_, d: string) => `10=${String((Number(d) + 1) % 256).padStart(3, '0')}\x01`), 'latin1');

describe.each(LOCAL_BACKENDS)('device link, %s backend', (backend) => {
  it('the order path passes well-formed orders in order and stops one the device does not frame cleanly', async () => {
    const path = new FramerOrderPath(openDevice({ backend }));
    const written: string[] = [];
    const rejected: Array<[number, string]> = [];
    const label = (b: Buffer) => { const t = b.toString('latin1'); return `${/\x0135=([^\x01]*)/.exec(t)![1]}:${/\x0111=([^\x01]*)/.exec(t)?.[1] ?? ''}`; };
    const queue = new OutboundQueue(path, (b) => written.push(label(b)), (seq, reason) => rejected.push([seq, reason]));
    queue.push(order('o1'), true, 1);
    queue.push(buildMessage('FIX.4.4', [[35, '0'], [34, '3']]), false, 2); // a session message: not checked, kept in order
    queue.push(corrupt(order('o3')), true, 3);
    queue.push(order('o4'), true, 4);
    await queue.flushed();
    await path.close();
    expect(written).toEqual(['D:o1', '0:', 'D:o4']);
    expect(rejected).toEqual([[3, 'bad_checksum']]);
  });

  // cut through, a rejected order's frame starts to leave and is dropped, and an accepted order behind it can
  // leave before the rejected one's verdict record arrives
  it.each(['storeAndForward', 'cutThrough'])('with a risk: section the order path is the device\'s risk gate: rejected orders never leave whole, others pass in order (egress %s)', async (egress) => {
    const limits = riskLimits(riskSchema.parse({ maxOrdersPerSecond: 1000, burst: 10, egress, symbols: {
      AAPL: { maxQty: 100, maxNotional: 100000, referencePrice: 190, collarBps: 500, maxPosition: 1000 } } }));
    const path = new RiskOrderPath(openDevice({ backend }), limits);
    const written: string[] = [];
    const rejected: Array<[number, string]> = [];
    const label = (b: Buffer) => { const t = b.toString('latin1'); return `${/\x0135=([^\x01]*)/.exec(t)![1]}:${/\x0111=([^\x01]*)/.exec(t)?.[1] ?? ''}`; };
    const queue = new OutboundQueue(path, (b) => written.push(label(b)), (seq, reason) => rejected.push([seq, reason]));
    const big = buildMessage('FIX.4.4', [[35, 'D'], [34, '3'], [49, 'A'], [52, '20261125-10:00:00.000'], [56, 'B'], [11, 'o2'], [55, 'AAPL'], [54, '1'], [38, '101'], [40, '1']]);
    const cancel = buildMessage('FIX.4.4', [[35, 'F'], [34, '6'], [49, 'A'], [52, '20261125-10:00:00.000'], [56, 'B'], [11, 'c5'], [41, 'o1'], [55, 'AAPL'], [54, '1']]);
    queue.push(order('o1'), true, 2);
    queue.push(big, true, 3);
    queue.push(buildMessage('FIX.4.4', [[35, '0'], [34, '4']]), false, 4);
    queue.push(corrupt(order('o4')), true, 5);
    queue.push(cancel, true, 6);
    queue.push(order('o6'), true, 7);
    await queue.flushed();
    const counters = (path as RiskOrderPath).counters();
    await path.close();
    expect(written).toEqual(['D:o1', '0:', 'F:c5', 'D:o6']);
    expect(rejected).toEqual([[3, 'max_qty'], [5, 'bad_order']]);
    expect(counters).toMatchObject({ verdicts: 4, accepted: 2, passed: 1, maxQty: 1, badOrder: 1, late: 0 });
    // the two rejected orders had started to leave when they were decided (the sim backend's RTL)
    expect(counters.droppedFrames).toBe(egress === 'cutThrough' && backend === 'sim' ? 2 : 0);
  });

  it('the inbound link gives each connection its own stream: a message cut off by a disconnect is truncated', async () => {
    const link = new InboundLink(openDevice({ backend }), (err) => { throw err; });
    const got: FixMessage[] = [];
    link.open((m) => got.push(m));
    const a = order('first');
    await link.push(a);
    await link.push(order('cut-off').subarray(0, 30));
    await link.end();
    link.open((m) => got.push(m));
    await link.push(order('second'));
    await link.end();
    await link.close();
    expect(got.map((m) => [m.frame.offset, m.frame.error, m.fields.find(([t]) => t === 11)?.[1]])).toEqual([
      [0, null, 'first'], [a.length, 'truncated', undefined], [0, null, 'second'],
    ]);
  });
});
