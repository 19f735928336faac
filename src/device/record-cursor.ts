// A cursor over a batch of device records: the fields of the record under the cursor read straight from the
// batch buffer, with the offsets of the generated layout. Nothing is allocated per record, so a consumer that
// needs only some fields (a counter, a filter, a forwarder) pays for those and no more; decodeRecords
// (events.ts) builds event objects on top of the same layout for consumers that keep them.
import {
  FIX_FIELDS_AT, FIX_FIELDS_ENTRIES, FIX_FIELDS_ENTRY0, FIX_FIELDS_ENTRY_AT, FIX_FIELDS_ENTRY_STRIDE, KIND,
  RECORD_AT_COMMON, RECORD_BYTES,
} from './generated/layout.js';
import { DeviceProtocolError } from './events.js';

const TWO_32 = 0x1_0000_0000;
const KNOWN_KIND = new Uint8Array(256);
for (const k of Object.values(KIND)) KNOWN_KIND[k] = 1;

export class RecordCursor {
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private bytes: Uint8Array = new Uint8Array(0);
  /** Byte offset of the record under the cursor in the batch. */
  at = -RECORD_BYTES;

  /** Points the cursor before the first record of `batch` (a whole number of records). */
  reset(batch: Uint8Array): this {
    if (batch.byteLength % RECORD_BYTES !== 0) {
      throw new DeviceProtocolError(`record batch of ${batch.byteLength} bytes is not a multiple of ${RECORD_BYTES}`);
    }
    this.bytes = batch;
    this.view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
    this.at = -RECORD_BYTES;
    return this;
  }

  /** Moves to the next record; false past the last. A record of a kind the host does not know, or a field
   *  record with an impossible entry count, is a DeviceProtocolError (a layout mismatch or a fault). */
  next(): boolean {
    this.at += RECORD_BYTES;
    if (this.at >= this.bytes.byteLength) return false;
    const kind = this.kind;
    if (KNOWN_KIND[kind] === 0) throw new DeviceProtocolError(`record ${this.seq} has unknown kind ${kind}`);
    if (kind === KIND.fix_fields) {
      const count = this.u8(FIX_FIELDS_AT.count);
      if (count < 1 || count > FIX_FIELDS_ENTRIES) throw new DeviceProtocolError(`record ${this.seq} holds ${count} field entries`);
    }
    return true;
  }

  get kind(): number { return this.view.getUint8(this.at + RECORD_AT_COMMON.kind); }
  get seq(): number { return this.view.getUint32(this.at + RECORD_AT_COMMON.seq, true); }
  get error(): number { return this.view.getUint8(this.at + RECORD_AT_COMMON.error); }

  /** The record under the cursor, as a view of the batch (no copy). */
  record(): Uint8Array { return this.bytes.subarray(this.at, this.at + RECORD_BYTES); }

  /** Fields at a byte offset of the record (the generated *_AT tables). */
  u8(field: number): number { return this.view.getUint8(this.at + field); }
  u16(field: number): number { return this.view.getUint16(this.at + field, true); }
  u32(field: number): number { return this.view.getUint32(this.at + field, true); }
  i32(field: number): number { return this.view.getInt32(this.at + field, true); }
  /** A u64 field as a number: exact below 2^53 (offsets, counts, cycle stamps, sequence numbers of a day). */
  u64(field: number): number {
    return this.view.getUint32(this.at + field + 4, true) * TWO_32 + this.view.getUint32(this.at + field, true);
  }
  /** An i64 field as a number: exact within ±2^53. */
  i64(field: number): number {
    return this.view.getInt32(this.at + field + 4, true) * TWO_32 + this.view.getUint32(this.at + field, true);
  }
  /** A u64 field exactly (allocates a BigInt). */
  u64Exact(field: number): bigint { return this.view.getBigUint64(this.at + field, true); }

  /** fix_fields: the byte offset of entry k's field in the record. */
  fieldAt(k: number): number { return FIX_FIELDS_ENTRY0 + k * FIX_FIELDS_ENTRY_STRIDE; }
  fieldTag(k: number): number { return this.u32(this.fieldAt(k) + FIX_FIELDS_ENTRY_AT.tag); }
  fieldValueOffset(k: number): number { return this.u32(this.fieldAt(k) + FIX_FIELDS_ENTRY_AT.valueOffset); }
  fieldValueLength(k: number): number { return this.u32(this.fieldAt(k) + FIX_FIELDS_ENTRY_AT.valueLength); }
  fieldDecodedType(k: number): number { return this.u8(this.fieldAt(k) + FIX_FIELDS_ENTRY_AT.decodedType); }
  fieldScale(k: number): number { return this.u8(this.fieldAt(k) + FIX_FIELDS_ENTRY_AT.scale); }
  /** The decoded value as a number (exact within ±2^53: quantities, prices in units of 10^-scale, times). */
  fieldValue(k: number): number { return this.i64(this.fieldAt(k) + FIX_FIELDS_ENTRY_AT.value); }
}
