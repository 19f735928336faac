// The golden model against messages checked by hand: framing, the field index, decoded values, and each
// verdict. (The RTL is held to the same results by the differential test.)
import { describe, expect, it } from 'vitest';
import { FixParserModel, type FieldEntry, type FrameRecord, type ParsedItem } from '../src/fix/ref-parser.js';
import { buildMessage } from '../src/fix/message.js';
import { formatDecimal } from '../src/fix/message-assembler.js';

const b = (s: string) => Buffer.from(s.replace(/\|/g, '\x01'), 'latin1');
// BodyLength 5 = "35=A|"; CheckSum: sum of "8=FIX.4.4|9=5|35=A|" mod 256 = 180 (worked out by hand and
// with python3 -c "print(sum(b'8=FIX.4.4\x019=5\x0135=A\x01') % 256)")
const logon = b('8=FIX.4.4|9=5|35=A|10=180|');

function parse(input: Uint8Array | Uint8Array[], maxMsgLen?: number): ParsedItem[] {
  const m = new FixParserModel(maxMsgLen);
  const out: ParsedItem[] = [];
  for (const c of Array.isArray(input) ? input : [input]) m.push(c, out);
  return m.end(out);
}
const frames = (items: ParsedItem[]) => items.filter((i): i is FrameRecord => i.kind === 'fix_frame');
const fields = (items: ParsedItem[]) => items.filter((i): i is FieldEntry => i.kind === 'fix_field');
const spans = (items: ParsedItem[]) => frames(items).map((f) => [f.offset, f.length, f.error]);

describe('FIX parser golden model: framing', () => {
  it('frames one message from 8= to the SOH after 10= and indexes its four fields', () => {
    const items = parse(logon);
    expect(spans(items)).toEqual([[0, logon.length, null]]);
    expect(fields(items).map((f) => [f.tag, f.valueOffset, f.valueLength])).toEqual([[8, 2, 7], [9, 12, 1], [35, 17, 1], [10, 22, 3]]);
    expect(frames(items)[0]).toMatchObject({ msgType: 'A', bodyLength: 5, checksum: 180, computedChecksum: 180, fieldCount: 4 });
    expect(items.at(-1)).toEqual({ kind: 'stream_end', bytes: logon.length });
  });

  it('reports bytes before 8=FIX as one garbled span without fields, then frames the message', () => {
    const items = parse(Buffer.concat([b('junk||'), logon]));
    expect(spans(items)).toEqual([[0, 6, 'garbled'], [6, logon.length, null]]);
    expect(frames(items)[0]!.fieldCount).toBe(0);
  });

  it('reports a message interrupted by a new header as garbled and resynchronises on the new one', () => {
    const items = parse(Buffer.concat([logon.subarray(0, 14), logon]));
    expect(spans(items)).toEqual([[0, 14, 'garbled'], [14, logon.length, null]]);
    expect(frames(items)[0]!.fieldCount).toBe(2);  // 8 and 9 were complete
  });

  it('reports a message cut off by the stream end as truncated, and starts the next stream at offset 0', () => {
    expect(spans(parse([logon.subarray(0, 20)]))).toEqual([[0, 20, 'truncated']]);
    const m = new FixParserModel();
    const out: ParsedItem[] = [];
    m.push(logon.subarray(0, 20), out);
    m.end(out);
    m.push(logon, out);
    expect(spans(out)).toEqual([[0, 20, 'truncated'], [0, logon.length, null]]);
  });

  it('reports messages longer than the maximum as too_long, and exactly the maximum as fine', () => {
    expect(spans(parse(logon, logon.length))).toEqual([[0, logon.length, null]]);
    expect(spans(parse(logon, logon.length - 1))).toEqual([[0, logon.length, 'too_long']]);
  });
});

describe('FIX parser golden model: verdicts', () => {
  it('finds a wrong CheckSum, and one that is not three digits', () => {
    expect(frames(parse(b('8=FIX.4.4|9=5|35=A|10=179|')))[0]).toMatchObject({ error: 'bad_checksum', checksum: 179, computedChecksum: 180 });
    expect(frames(parse(b('8=FIX.4.4|9=5|35=A|10=18|')))[0]).toMatchObject({ error: 'bad_checksum', checksum: null });
  });

  it('finds a BodyLength that does not match, or is not a number, before the checksum', () => {
    expect(frames(parse(b('8=FIX.4.4|9=6|35=A|10=181|')))[0]).toMatchObject({ error: 'bad_body_length', bodyLength: 6 });
    expect(frames(parse(b('8=FIX.4.4|9=x|35=A|10=247|')))[0]).toMatchObject({ error: 'bad_body_length', bodyLength: null });
    // a wrong BodyLength and a wrong CheckSum: BodyLength is reported
    expect(spans(parse(b('8=FIX.4.4|9=6|35=A|10=000|')))[0]![2]).toBe('bad_body_length');
  });

  it('calls a message garbled when its header order is wrong or a field is malformed', () => {
    const wrong = [
      buildMessage('FIX.4.4', [[49, 'A'], [35, 'D']]),                                          // 35 not third
      Buffer.from(buildMessage('FIX.4.4', [[35, 'D'], [55, 'X']]).toString('latin1').replace('55=X', '5a=X'), 'latin1'),
    ];
    for (const m of wrong) expect(spans(parse(m))[0]![2]).toBe('garbled');
    expect(spans(parse(b('8=FIX.4.4|9=9|35=A|58x|10=158|')))[0]![2]).toBe('garbled');  // no "=" (BodyLength and CheckSum right)
    expect(spans(parse(b('8=FIX.4.4|9=8|35=A|=5|10=042|')))[0]![2]).toBe('garbled');   // empty tag
  });

  it('accepts FIX.4.2, FIX.4.4 and FIXT.1.1 BeginStrings', () => {
    for (const v of ['FIX.4.2', 'FIX.4.4', 'FIXT.1.1']) {
      const m = buildMessage(v, [[35, '0'], [34, '7']]);
      expect(frames(parse(m))[0]).toMatchObject({ error: null, msgType: '0', msgSeqNum: 7 });
    }
  });
});

describe('FIX parser golden model: decoded values', () => {
  const msg = buildMessage('FIX.4.4', [
    [35, 'AE'], [34, '0042'], [43, 'Y'], [97, 'N'], [38, '100'], [44, '12.50'], [31, '-0.001'], [6, '.5'],
    [14, '9223372036854775807'], [32, '9223372036854775808'], [151, '1.2.3'], [36, '1.5'], [58, '123'], [44, '7'],
  ]);
  const items = parse(msg);
  const byTag = (t: number) => fields(items).filter((f) => f.tag === t);

  it('converts integers, flags and decimals exactly, with their scale', () => {
    expect(byTag(34)[0]).toMatchObject({ decodedType: 'int', value: 42n, scale: 0 });
    expect(byTag(43)[0]).toMatchObject({ decodedType: 'flag', value: 1n });
    expect(byTag(97)[0]).toMatchObject({ decodedType: 'flag', value: 0n });
    expect(byTag(38)[0]).toMatchObject({ decodedType: 'decimal', value: 100n, scale: 0 });
    expect(byTag(44)[0]).toMatchObject({ decodedType: 'decimal', value: 1250n, scale: 2 });
    expect(byTag(31)[0]).toMatchObject({ decodedType: 'decimal', value: -1n, scale: 3 });
    expect(byTag(6)[0]).toMatchObject({ decodedType: 'decimal', value: 5n, scale: 1 });
    expect(byTag(14)[0]).toMatchObject({ decodedType: 'decimal', value: 9223372036854775807n });
  });

  it('leaves values it cannot represent exactly undecoded: past 2^63, two points, a point in an integer, text tags', () => {
    expect(byTag(32)[0]!.decodedType).toBe('none');
    expect(byTag(151)[0]!.decodedType).toBe('none');
    expect(byTag(36)[0]!.decodedType).toBe('none');
    expect(byTag(58)[0]!.decodedType).toBe('none');
  });

  it('keeps repeated tags in order in the field index and reports the message summary', () => {
    expect(byTag(44).map((f) => f.value)).toEqual([1250n, 7n]);
    expect(frames(items)[0]).toMatchObject({ error: null, msgType: 'AE', msgTypeLength: 2, msgSeqNum: 42, possDup: true, possResend: false });
  });

  it('prints decimals back exactly', () => {
    expect(formatDecimal(1250n, 2)).toBe('12.50');
    expect(formatDecimal(-1n, 3)).toBe('-0.001');
    expect(formatDecimal(5n, 1)).toBe('0.5');
    expect(formatDecimal(100n, 0)).toBe('100');
    expect(formatDecimal(-9223372036854775807n, 18)).toBe('-9.223372036854775807');
  });
});

describe('FIX parser golden model: chunking', () => {
  it('gives the same items however the stream is cut', () => {
    const stream = Buffer.concat([b('xx'), logon, buildMessage('FIX.4.2', [[35, 'D'], [44, '1.25']]), logon.subarray(0, 9)]);
    const whole = parse(stream);
    for (const size of [1, 2, 3, 7, 8, 13]) {
      const parts: Buffer[] = [];
      for (let at = 0; at < stream.length; at += size) parts.push(stream.subarray(at, at + size));
      expect(parse(parts)).toEqual(whole);
    }
  });
});
