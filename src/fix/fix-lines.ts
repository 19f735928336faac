// The NDJSON lines of `tickgate decode fix` (DESIGN.md 3.2) written straight from the device's FIX records
// (fix_records events) and the stream bytes the host holds, into an output buffer: a message's field entries
// wait in typed arrays until its fix_frame record, then its line is written byte by byte. Lines are byte for
// byte those of fixMessageJson over FixMessageAssembler (the readable reference, checked against this writer
// by test/fix-lines.test.ts), with the same checks that nothing was lost between the device and here.
import { DeviceProtocolError } from '../device/events.js';
import {
  DECODED, ERROR, ERROR_NAME, FIX_FIELDS_AT, FIX_FIELDS_ENTRY_AT, FIX_FRAME_AT, FRAME_FLAG, KIND,
} from '../device/generated/layout.js';
import { RecordCursor } from '../device/record-cursor.js';
import { JSON_BYTES_PER_CHAR, JSON_NUMBER_BYTES, JsonBytes } from '../util/json-bytes.js';
import { HeldStreamBytes } from './held-bytes.js';
import { formatDecimal } from './message-assembler.js';

const TWO_32 = 0x1_0000_0000;
/** hi words within ±this keep a 64-bit value within Number.MAX_SAFE_INTEGER */
const SAFE_HI = 0x20_0000;
const ascii = (s: string) => Buffer.from(s, 'latin1');
const LINE_START = ascii('{"kind":"fix","offset":');
const LENGTH_KEY = ascii(',"length":');
const MSG_TYPE_KEY = ascii(',"msgType":');
const SEQ_KEY = ascii(',"msgSeqNum":');
const ERROR_KEY = ascii(',"error":');
const FIELDS_KEY = ascii(',"fields":[');
const DECODED_KEY = ascii('],"decoded":{');
const LINE_END = ascii('}}\n');
const NULL = ascii('null');
/** `"name"` per error code; null for none. */
const ERROR_JSON: Array<Buffer | null | undefined> = [];
for (const [code, name] of Object.entries(ERROR_NAME)) ERROR_JSON[Number(code)] = name === 'none' ? null : ascii(JSON.stringify(name));
/** The fixed part of a line: keys, brackets, the error name. */
const LINE_BYTES = 160;

export class FixLineWriter {
  private readonly json: JsonBytes;
  private readonly bytes = new HeldStreamBytes();
  private readonly cursor = new RecordCursor();
  // the field entries of the message whose fix_frame has not come yet
  private count = 0;
  private messageOffset = new Float64Array(64);
  private tag = new Uint32Array(64);
  private valueOffset = new Uint32Array(64);
  private valueLength = new Uint32Array(64);
  private type = new Uint8Array(64);
  private scale = new Uint8Array(64);
  private valueLo = new Uint32Array(64);
  private valueHi = new Int32Array(64);
  /** Entries of the message being written whose value is decoded, first of their tag, by tag. */
  private decoded = new Int32Array(64);

  constructor(blockBytes = 1 << 20) {
    this.json = new JsonBytes(blockBytes);
  }

  /** Bytes of lines written and not yet taken. */
  get size(): number { return this.json.size; }

  /** The lines written since the last take. */
  take(): Buffer { return this.json.take(); }

  /** Bytes of the stream, in order, before the device sees them. */
  append(bytes: Uint8Array): void { this.bytes.append(bytes); }

  /** Walks a fix_records batch; true when it held the stream's end (what follows it is not read). */
  records(batch: Buffer): boolean {
    const c = this.cursor.reset(batch);
    while (c.next()) {
      const kind = c.kind;
      if (kind === KIND.fix_fields) this.fields(c);
      else if (kind === KIND.fix_frame) this.frame(c);
      else if (kind === KIND.stream_end) {
        if (this.count) throw new DeviceProtocolError(`${this.count} field entries without a message record at stream end`);
        this.bytes.restart();
        return true;
      } else {
        throw new DeviceProtocolError(`record ${c.seq} of kind ${kind} among the FIX records`);
      }
    }
    return false;
  }

  private fields(c: RecordCursor): void {
    const n = c.u8(FIX_FIELDS_AT.count);
    const messageOffset = this.safeU64(c, FIX_FIELDS_AT.messageOffset, 'message offset');
    for (let k = 0; k < n; k++) {
      const e = c.fieldAt(k);
      const type = c.u8(e + FIX_FIELDS_ENTRY_AT.decodedType);
      if (type > DECODED.decimal) throw new DeviceProtocolError(`record ${c.seq} has unknown decoded type ${type}`);
      if (this.count === this.tag.length) this.grow();
      const i = this.count++;
      this.messageOffset[i] = messageOffset;
      this.tag[i] = c.u32(e + FIX_FIELDS_ENTRY_AT.tag);
      this.valueOffset[i] = c.u32(e + FIX_FIELDS_ENTRY_AT.valueOffset);
      this.valueLength[i] = c.u32(e + FIX_FIELDS_ENTRY_AT.valueLength);
      this.type[i] = type;
      this.scale[i] = c.u8(e + FIX_FIELDS_ENTRY_AT.scale);
      this.valueLo[i] = c.u32(e + FIX_FIELDS_ENTRY_AT.value);
      this.valueHi[i] = c.i32(e + FIX_FIELDS_ENTRY_AT.value + 4);
    }
  }

  private grow(): void {
    const n = this.tag.length * 2;
    const more = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.messageOffset = more(this.messageOffset, (k) => new Float64Array(k));
    this.tag = more(this.tag, (k) => new Uint32Array(k));
    this.valueOffset = more(this.valueOffset, (k) => new Uint32Array(k));
    this.valueLength = more(this.valueLength, (k) => new Uint32Array(k));
    this.type = more(this.type, (k) => new Uint8Array(k));
    this.scale = more(this.scale, (k) => new Uint8Array(k));
    this.valueLo = more(this.valueLo, (k) => new Uint32Array(k));
    this.valueHi = more(this.valueHi, (k) => new Int32Array(k));
  }

  private safeU64(c: RecordCursor, field: number, what: string): number {
    if (c.u32(field + 4) >= SAFE_HI) throw new DeviceProtocolError(`${what} is beyond 2^53`);
    return c.u64(field);
  }

  private frame(c: RecordCursor): void {
    const errorCode = c.u8(FIX_FRAME_AT.error);
    const errorJson = ERROR_JSON[errorCode];
    if (errorJson === undefined) throw new DeviceProtocolError(`record ${c.seq} has unknown error code ${errorCode}`);
    const offset = this.safeU64(c, FIX_FRAME_AT.offset, 'offset');
    const length = c.u32(FIX_FRAME_AT.length);
    const fieldCount = c.u32(FIX_FRAME_AT.fieldCount);
    const n = this.count;
    this.count = 0;
    if (n !== fieldCount) {
      throw new DeviceProtocolError(`message at ${offset}: ${n} field entries arrived, the record says ${fieldCount}`);
    }
    // fields are reported for messages that reached their trailer and were well-formed (hasFields)
    const withFields = errorCode === ERROR.none || errorCode === ERROR.bad_checksum || errorCode === ERROR.bad_body_length;
    let msg: Buffer | undefined;
    if (withFields) {
      msg = this.bytes.locate(offset, length);
      this.msgFrom = this.bytes.at;
      this.msgEnd = this.msgFrom + length;
      for (let i = 0; i < n; i++) {
        if (this.messageOffset[i] !== offset) throw new DeviceProtocolError(`field entry of message ${this.messageOffset[i]} inside message ${offset}`);
      }
    }
    const j = this.json;
    j.room(LINE_BYTES + 2 * JSON_NUMBER_BYTES);
    j.bytes(LINE_START);
    j.number(offset);
    j.bytes(LENGTH_KEY);
    j.number(length);
    j.bytes(MSG_TYPE_KEY);
    if (msg !== undefined && n > 2) this.value(msg, 2);
    else j.bytes(NULL);
    j.bytes(SEQ_KEY);
    if (withFields && ((c.u8(FIX_FRAME_AT.flags) >> FRAME_FLAG.MSG_SEQ_NUM) & 1) === 1) j.number(c.u32(FIX_FRAME_AT.msgSeqNum));
    else j.bytes(NULL);
    j.bytes(ERROR_KEY);
    j.bytes(errorJson ?? NULL);
    j.bytes(FIELDS_KEY);
    if (msg !== undefined) {
      for (let i = 0; i < n; i++) {
        j.room(4 + JSON_NUMBER_BYTES + 2 + JSON_BYTES_PER_CHAR * this.valueLength[i]!);
        if (i > 0) j.byte(0x2c);
        j.byte(0x5b);   // [
        j.number(this.tag[i]!);
        j.byte(0x2c);
        this.value(msg, i);
        j.byte(0x5d);   // ]
      }
    }
    j.room(DECODED_KEY.length);
    j.bytes(DECODED_KEY);
    if (msg !== undefined) this.writeDecoded(n);
    j.room(LINE_END.length);
    j.bytes(LINE_END);
    this.bytes.release(offset + length);
  }

  /** Where the message being written sits in the buffer `locate` gave. */
  private msgFrom = 0;
  private msgEnd = 0;

  /** Entry i's value as a JSON string, sliced from the message as Buffer.toString would (clamped). */
  private value(msg: Buffer, i: number): void {
    let from = this.msgFrom + this.valueOffset[i]!;
    let end = from + this.valueLength[i]!;
    if (end > this.msgEnd) end = this.msgEnd;
    if (from > end) from = end;
    this.json.room(2 + JSON_BYTES_PER_CHAR * (end - from));
    this.json.string(msg, from, end);
  }

  /** `"tag":"text"` for the first decoded entry of each tag, in ascending tag order (as JSON.stringify
   *  orders the integer keys of an object). */
  private writeDecoded(n: number): void {
    if (this.decoded.length < n) this.decoded = new Int32Array(this.tag.length);
    const d = this.decoded;
    const tags = this.tag;
    // insertion by tag, the first entry of a tag kept
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (this.type[i] === DECODED.none) continue;
      const tag = tags[i]!;
      let k = count;
      while (k > 0 && tags[d[k - 1]!]! > tag) k--;
      if (k > 0 && tags[d[k - 1]!] === tag) continue;
      d.copyWithin(k + 1, k, count);
      d[k] = i;
      count++;
    }
    const j = this.json;
    for (let k = 0; k < count; k++) {
      const i = d[k]!;
      j.room(8 + 2 * JSON_NUMBER_BYTES + this.scale[i]!);
      if (k > 0) j.byte(0x2c);
      j.byte(0x22);
      j.number(this.tag[i]!);
      j.byte(0x22);
      j.byte(0x3a);
      j.byte(0x22);
      this.decodedValue(i);
      j.byte(0x22);
    }
  }

  /** decodedText of the reference: the value as an exact decimal string, a flag as Y or N. */
  private decodedValue(i: number): void {
    const hi = this.valueHi[i]!;
    const lo = this.valueLo[i]!;
    const type = this.type[i]!;
    const j = this.json;
    if (type === DECODED.flag) {
      j.byte(hi === 0 && lo === 1 ? 0x59 : 0x4e);
      return;
    }
    const scale = type === DECODED.int ? 0 : this.scale[i]!;
    if (hi > -SAFE_HI && hi < SAFE_HI) {
      const v = hi * TWO_32 + lo;
      j.decimal(v < 0, v < 0 ? -v : v, scale);
      return;
    }
    const big = (BigInt(hi) << 32n) | BigInt(lo);
    const text = type === DECODED.int ? big.toString() : formatDecimal(big, scale);
    j.pos += j.out.write(text, j.pos, 'latin1');
  }
}
