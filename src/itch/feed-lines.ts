// The NDJSON lines of `tickgate decode itch` (DESIGN.md 3.3) written straight from the device's feed records
// into an output buffer: each ITCH type's fields are read from the record's normalized body with a plan
// made once from the ITCH table, so a message costs no objects and no strings. The lines are byte for byte
// those of feedRecordJson over FeedRecordReader (the readable reference, checked against this writer by
// test/feed-lines.test.ts). Gaps, errors and session records are rare: they take that reference path.
import { ITCH_MESSAGE_AT } from '../device/generated/layout.js';
import type { PrintableFeedRecord } from './device-feed.js';
import { bodyFields, BodyFieldKind, FeedRecordWalker, uintLE } from './feed-record-walker.js';
import { ITCH_TYPES } from './messages.js';
import { feedRecordJson } from './ref-decoder.js';
import { JSON_BYTES_PER_CHAR, JSON_NUMBER_BYTES, JsonBytes } from '../util/json-bytes.js';

interface FieldPlan { key: Buffer; at: number; size: number; kind: BodyFieldKind }
/** worstBytes: the longest a line of the type can be after its line start (every alpha byte escaped as
 *  \u00XX, every number at its longest), so one reservation covers any line. */
interface TypePlan { head: Buffer; fields: FieldPlan[]; worstBytes: number }

const ascii = (s: string) => Buffer.from(s, 'latin1');

const LINE_START = ascii('{"kind":"itch","session":');
const SEQ_KEY = ascii(',"seq":');
const TRACKING_KEY = ascii(',"trackingNumber":');
const TIMESTAMP_KEY = ascii(',"timestamp":');
const NULL = ascii('null');

/** Per type byte: `","msgType":"X","stockLocate":` and the plans of the fields after Timestamp. */
const PLANS: Array<TypePlan | undefined> = new Array(256).fill(undefined);
for (const t of ITCH_TYPES.values()) {
  const head = ascii(`,"msgType":${JSON.stringify(t.type)},"stockLocate":`);
  const fields = bodyFields(t).map((f) => ({ ...f, key: ascii(`,${JSON.stringify(f.name)}:`) }));
  const worstBytes = JSON_NUMBER_BYTES + head.length + TRACKING_KEY.length + TIMESTAMP_KEY.length + 3 * JSON_NUMBER_BYTES + 2
    + fields.reduce((n, f) => n + f.key.length + (f.kind === BodyFieldKind.Alpha ? 2 + JSON_BYTES_PER_CHAR * f.size : JSON_NUMBER_BYTES), 0);
  PLANS[t.type.charCodeAt(0)] = { head, fields, worstBytes };
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
    const plan = PLANS[rec[at + ITCH_MESSAGE_AT.msgType]!]!;
    const lineStart = this.lineStart[rec[at + ITCH_MESSAGE_AT.sessionSlot]!]!;
    const j = this.json;
    j.room(lineStart.length + plan.worstBytes);
    j.bytes(lineStart);
    j.u64(rec.readUInt32LE(at + ITCH_MESSAGE_AT.moldSeq), rec.readUInt32LE(at + ITCH_MESSAGE_AT.moldSeq + 4), false);
    j.bytes(plan.head);
    j.number(rec.readUInt16LE(at + ITCH_MESSAGE_AT.stockLocate));
    j.bytes(TRACKING_KEY);
    j.number(rec.readUInt16LE(at + ITCH_MESSAGE_AT.trackingNumber));
    j.bytes(TIMESTAMP_KEY);
    j.number(timestamp);
    for (const f of plan.fields) {
      j.bytes(f.key);
      const p = from + f.at;
      switch (f.kind) {
        case BodyFieldKind.Alpha: {
          // right-padded ASCII as received, trailing spaces trimmed
          let end = p + f.size;
          while (end > p && body[end - 1] === 0x20) end--;
          j.string(body, p, end);
          break;
        }
        case BodyFieldKind.Uint: j.number(uintLE(body, p, f.size)); break;
        case BodyFieldKind.Uint64: j.u64(body.readUInt32LE(p), body.readUInt32LE(p + 4), true);
      }
    }
    j.byte(0x7d);   // }
    j.byte(0x0a);
  }
}
