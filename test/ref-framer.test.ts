import { describe, expect, it } from 'vitest';
import { FixFramerModel, type FrameSpan } from '../src/fix/ref-framer.js';
import { buildMessage } from '../src/fix/message.js';

const b = (s: string) => Buffer.from(s.replace(/\|/g, '\x01'), 'latin1');
const logon = b('8=FIX.4.4|9=5|35=A|10=178|');
const frame = (offset: number, length: number, error: FrameSpan['error'] = null): FrameSpan => ({ kind: 'fix_frame', offset, length, error });
const end = (bytes: number): FrameSpan => ({ kind: 'stream_end', offset: bytes, length: 0, error: null });

function frames(input: Uint8Array | Uint8Array[], maxMsgLen?: number): FrameSpan[] {
  const m = new FixFramerModel(maxMsgLen);
  const out: FrameSpan[] = [];
  for (const c of Array.isArray(input) ? input : [input]) m.push(c, out);
  return m.end(out);
}

describe('FIX framer reference model', () => {
  it('frames one message from 8= to the SOH after 10=', () => {
    expect(frames(logon)).toEqual([frame(0, logon.length), end(logon.length)]);
  });

  it('frames back-to-back messages with their offsets', () => {
    const m2 = buildMessage('FIX.4.2', [[35, 'D'], [11, 'ORD1'], [38, '100']]);
    expect(frames(Buffer.concat([logon, m2]))).toEqual([frame(0, logon.length), frame(logon.length, m2.length), end(logon.length + m2.length)]);
  });

  it('reports bytes before 8=FIX as one garbled span and then frames the message', () => {
    expect(frames(Buffer.concat([b('junk||'), logon]))).toEqual([frame(0, 6, 'garbled'), frame(6, logon.length), end(6 + logon.length)]);
  });

  it('reports a message interrupted by a new header as garbled and resynchronises on the new one', () => {
    const cut = logon.subarray(0, 12);
    expect(frames(Buffer.concat([cut, b('|'), logon]))).toEqual([frame(0, 13, 'garbled'), frame(13, logon.length), end(13 + logon.length)]);
  });

  it('reports a message cut off by the stream end as truncated', () => {
    expect(frames(logon.subarray(0, 20))).toEqual([frame(0, 20, 'truncated'), end(20)]);
  });

  it('reports trailing bytes that never start a message as garbled', () => {
    expect(frames(Buffer.concat([logon, b('8=FI')]))).toEqual([frame(0, logon.length), frame(logon.length, 4, 'garbled'), end(logon.length + 4)]);
  });

  it('reports messages longer than the maximum as too_long, and exactly the maximum as fine', () => {
    expect(frames(logon, logon.length)).toEqual([frame(0, logon.length), end(logon.length)]);
    expect(frames(logon, logon.length - 1)).toEqual([frame(0, logon.length, 'too_long'), end(logon.length)]);
    expect(frames(logon.subarray(0, 20), 19)).toEqual([frame(0, 20, 'too_long'), end(20)]);
  });

  it('gives only stream_end for an empty stream', () => {
    expect(frames(new Uint8Array(0))).toEqual([end(0)]);
  });

  it('finds patterns split across pushes exactly as in one piece', () => {
    const whole = Buffer.concat([b('x|8=F'), logon, logon]);
    const bytewise = [...whole].map((x) => Uint8Array.of(x));
    expect(frames(bytewise)).toEqual(frames(whole));
  });

  it('starts each stream at offset 0 after the end of the previous one', () => {
    const m = new FixFramerModel();
    const first = m.end(m.push(logon.subarray(0, 10)));
    const second = m.end(m.push(logon));
    expect(first).toEqual([frame(0, 10, 'truncated'), end(10)]);
    expect(second).toEqual([frame(0, logon.length), end(logon.length)]);
  });
});
