// risk_verdict records (spec/device.yaml) to and from the golden model's verdicts. The reference device
// writes the model's verdicts with encodeVerdict; the host reads either device's records with decodeVerdict.
import {
  ERROR, ERROR_NAME, KIND, RECORD_BYTES, RISK_REASON, RISK_REASON_NAME, RISK_VERDICT_AT, RISK_VERDICT_BYTES, VERDICT_FLAG,
  readRiskVerdict, writeRiskVerdict,
} from '../device/generated/layout.js';
import { DeviceProtocolError } from '../device/events.js';
import type { RiskReason, Verdict } from './ref-gate.js';

/** A verdict as the record carries it: the model's Verdict but for msgType (not in the record) and with the
 *  time as the device's cycle counter, low 32 bits. */
export type VerdictFromDevice = Omit<Verdict, 'msgType'>;

function readUint(buf: Uint8Array, at: number, bytes: number): bigint {
  let v = 0n;
  for (let i = bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[at + i]!);
  return v;
}

function writeUint(buf: Uint8Array, at: number, bytes: number, v: bigint): void {
  for (let i = 0; i < bytes; i++) buf[at + i] = Number((v >> BigInt(8 * i)) & 0xffn);
}

const flag = (on: boolean, bit: number) => (on ? 1 << bit : 0);

/** The record the device sends for `v` (sequence number 0; the device stamps it). */
export function encodeVerdict(v: Verdict): Buffer {
  const buf = Buffer.alloc(RECORD_BYTES);
  const flags = flag(v.clOrdID !== null, VERDICT_FLAG.CLORDID) | flag(v.symbolIndex !== null, VERDICT_FLAG.SYMBOL)
    | flag(v.side !== null, VERDICT_FLAG.SIDE) | flag(v.side === -1, VERDICT_FLAG.SELL) | flag(v.qty !== null, VERDICT_FLAG.QTY)
    | flag(v.price !== null, VERDICT_FLAG.PRICE) | flag(v.notional !== null, VERDICT_FLAG.NOTIONAL) | flag(v.position !== null, VERDICT_FLAG.POSITION);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  writeRiskVerdict(view, 0, {
    kind: KIND.risk_verdict,
    error: v.error === null ? ERROR.none : ERROR[v.error],
    seq: 0,
    reason: v.reason === null ? RISK_REASON.accepted : RISK_REASON[v.reason],
    flags,
    offset: BigInt(v.offset),
    length: Math.min(v.length, 0xffffffff),
    clOrdIdOffset: v.clOrdID ? v.clOrdID.offset - v.offset : 0,
    clOrdIdLength: v.clOrdID ? Math.min(v.clOrdID.length, 0xffff) : 0,
    qty: v.qty ?? 0n,
    position: v.position ?? 0n,
    symbolIndex: v.symbolIndex ?? 0,
    tokens: v.tokens,
    time: v.time >>> 0,
  });
  writeUint(buf, RISK_VERDICT_AT.price, RISK_VERDICT_BYTES.price, v.price ?? 0n);
  writeUint(buf, RISK_VERDICT_AT.notional, RISK_VERDICT_BYTES.notional, v.notional ?? 0n);
  return buf;
}

export function decodeVerdict(record: Uint8Array): VerdictFromDevice {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const r = readRiskVerdict(view, 0);
  if (r.kind !== KIND.risk_verdict) throw new DeviceProtocolError(`record ${r.seq} is not a risk verdict (kind ${r.kind})`);
  const reasonName = RISK_REASON_NAME[r.reason];
  const errorName = ERROR_NAME[r.error];
  if (reasonName === undefined) throw new DeviceProtocolError(`verdict record ${r.seq} has unknown reason ${r.reason}`);
  if (errorName === undefined) throw new DeviceProtocolError(`verdict record ${r.seq} has unknown error ${r.error}`);
  const has = (bit: number) => ((r.flags >>> bit) & 1) === 1;
  const offset = Number(r.offset);
  const reason: RiskReason | null = reasonName === 'accepted' ? null : reasonName;
  return {
    offset,
    length: r.length,
    error: errorName === 'none' ? null : errorName,
    clOrdID: has(VERDICT_FLAG.CLORDID) ? { offset: offset + r.clOrdIdOffset, length: r.clOrdIdLength } : null,
    accepted: reason === null,
    reason,
    symbolIndex: has(VERDICT_FLAG.SYMBOL) ? r.symbolIndex : null,
    side: has(VERDICT_FLAG.SIDE) ? (has(VERDICT_FLAG.SELL) ? -1 : 1) : null,
    qty: has(VERDICT_FLAG.QTY) ? r.qty : null,
    price: has(VERDICT_FLAG.PRICE) ? readUint(record, RISK_VERDICT_AT.price, RISK_VERDICT_BYTES.price) : null,
    notional: has(VERDICT_FLAG.NOTIONAL) ? readUint(record, RISK_VERDICT_AT.notional, RISK_VERDICT_BYTES.notional) : null,
    position: has(VERDICT_FLAG.POSITION) ? r.position : null,
    tokens: r.tokens,
    time: r.time,
  };
}
