// The NDJSON lines of `tickgate decode itch` (DESIGN.md 3.3) written straight from the device's feed records
// into an output buffer: each ITCH type's fields are read from the record's normalized body by a writer
// generated once per type from the ITCH table, so a message costs no objects and no strings. The lines are byte for byte
// those of feedRecordJson over FeedRecordReader (the readable reference, checked against this writer by
// test/feed-lines.test.ts). Gaps, errors and session records are rare: they take that reference path.
import { ITCH_MESSAGE_AT } from '../device/generated/layout.js';
import type { PrintableFeedRecord } from './device-feed.js';
import { bodyFields, BodyFieldKind, FeedRecordWalker, u32LECode } from './feed-record-walker.js';
import { ITCH_TYPES, type ItchMessageType } from './messages.js';
import { feedRecordJson } from './ref-decoder.js';
import { JSON_BYTES_PER_CHAR, JSON_NUMBER_BYTES, JsonBytes, writeNumber, writeString, writeU64 } from '../util/json-bytes.js';

/** Writes a line of one ITCH type from `,"msgType":` to its newline, the session and seq written before it:
 *  rec/at its first record, body/from its normalized body, timestamp its Timestamp. Gives the position after
 *  the line. */
type LineRest = (out: Buffer, pos: number, rec: Buffer, at: number, body: Buffer, from: number, timestamp: number) => number;

const ascii = (s: string) => Buffer.from(s, 'latin1');

const LINE_START = ascii('{"kind":"itch","session":');
const SEQ_KEY = ascii(',"seq":');
const NULL = ascii('null');

/** Stores of constant bytes at `pos`, then the position moved past them. */
const constantBytes = (b: Buffer) => `${[...b].map((c, i) => `out[pos + ${i}] = ${c};`).join(' ')}\npos += ${b.length};`;

/** The line writer of an ITCH type, generated from the ITCH table so that every key is a run of constant
 *  stores and every field a read at a constant offset, with no loop over a field plan and no choice per
 *  field (the writer alone went from 1.35 M to 2.5 M messages a second with it). */
function lineRest(t: ItchMessageType): LineRest {
  const code = [
    constantBytes(ascii(`,"msgType":${JSON.stringify(t.type)},"stockLocate":`)),
    `pos = writeNumber(out, pos, rec[at + ${ITCH_MESSAGE_AT.stockLocate}] | rec[at + ${ITCH_MESSAGE_AT.stockLocate + 1}] << 8);`,
    constantBytes(ascii(',"trackingNumber":')),
    `pos = writeNumber(out, pos, rec[at + ${ITCH_MESSAGE_AT.trackingNumber}] | rec[at + ${ITCH_MESSAGE_AT.trackingNumber + 1}] << 8);`,
    constantBytes(ascii(',"timestamp":')),
    'pos = writeNumber(out, pos, timestamp);',
  ];
  for (const f of bodyFields(t)) {
    code.push(constantBytes(ascii(`,${JSON.stringify(f.name)}:`)));
    const p = `from + ${f.at}`;
    switch (f.kind) {
      case BodyFieldKind.Alpha:
        // right-padded ASCII as received, trailing spaces trimmed
        code.push(`end = ${p} + ${f.size};`, `while (end > ${p} && body[end - 1] === 0x20) end--;`, `pos = writeString(out, pos, body, ${p}, end);`);
        break;
      case BodyFieldKind.Uint:
        if (f.size !== 4) throw new Error(`ITCH ${t.type} ${f.name}: no line writer for a ${f.size}-byte integer`);
        code.push(`pos = writeNumber(out, pos, ${u32LECode('body', p)});`);
        break;
      case BodyFieldKind.Uint64:
        code.push(`pos = writeU64(out, pos, ${u32LECode('body', p)}, ${u32LECode('body', `${p} + 4`)}, true);`);
    }
  }
  code.push('out[pos] = 0x7d; out[pos + 1] = 0x0a;', 'return pos + 2;');
  const make = new Function('writeNumber', 'writeString', 'writeU64',
    `return function line_${t.type.charCodeAt(0)}(out, pos, rec, at, body, from, timestamp) {\nlet end = 0;\n${code.join('\n')}\n};`);
  return make(writeNumber, writeString, writeU64) as LineRest;
}

/** Per type byte: its line writer, and the longest its line can be after the session and seq (every alpha
 *  byte escaped as \u00XX, every number at its longest), so one reservation covers any line. */
const LINES: Array<{ rest: LineRest; worstBytes: number } | undefined> = new Array(256).fill(undefined);
for (const t of ITCH_TYPES.values()) {
  const keys = `,"msgType":${JSON.stringify(t.type)},"stockLocate":,"trackingNumber":,"timestamp":}\n`.length;
  const worstBytes = JSON_NUMBER_BYTES + keys + 3 * JSON_NUMBER_BYTES + bodyFields(t).reduce((n, f) => n + f.name.length + 4
    + (f.kind === BodyFieldKind.Alpha ? 2 + JSON_BYTES_PER_CHAR * f.size : JSON_NUMBER_BYTES), 0);
  LINES[t.type.charCodeAt(0)] = { rest: lineRest(t), worstBytes };
}

export class FeedLineWriter extends FeedRecordWalker {
  private readonly json: JsonBytes;
  /** Per session slot: a line's start up to its seq value, `{"kind":"itch","session":"NAME","seq":` (the
   *  session null for a BinaryFILE's blank one). */
  private readonly lineStart: Array<Buffer | undefined> = [];

  constructor(blockBytes = 1 << 20) {
    super();
    this.json = new JsonBytes(blockBytes);
  }

  /** Bytes of lines written and not yet taken. */
  get size(): number { return this.json.size; }

  /** The lines written since the last take. */
  take(): Buffer { return this.json.take(); }

  protected override sessionAnnounced(slot: number, name: string): void {
    this.lineStart[slot] = Buffer.concat([LINE_START, name === '' ? NULL : Buffer.from(JSON.stringify(name)), SEQ_KEY]);
  }

  protected other(r: PrintableFeedRecord): void {
    this.json.text(feedRecordJson(r) + '\n');
  }

  protected message(rec: Buffer, at: number, body: Buffer, from: number, timestamp: number): void {
    const line = LINES[rec[at + ITCH_MESSAGE_AT.msgType]!]!;
    const lineStart = this.lineStart[rec[at + ITCH_MESSAGE_AT.sessionSlot]!]!;
    const j = this.json;
    j.room(lineStart.length + line.worstBytes);
    j.out.set(lineStart, j.pos);
    j.pos += lineStart.length;
    const seq = at + ITCH_MESSAGE_AT.moldSeq;
    j.pos = writeU64(j.out, j.pos, rec.readUInt32LE(seq), rec.readUInt32LE(seq + 4), false);
    j.pos = line.rest(j.out, j.pos, rec, at, body, from, timestamp);
  }
}
