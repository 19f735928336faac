// Golden model of the pre-trade risk gate on the outbound order path (DESIGN.md 3.4). The rules below are
// the contract the RTL gate must implement exactly; a differential test will hold it to them.
//
// Framing. The order stream is framed by the FIX parser (src/fix/ref-parser.ts rules). Well-formed messages
// other than NewOrderSingle (D) and OrderCancelReplaceRequest (G) pass through untouched and get no verdict.
// Every other span gets a verdict and, unless accepted, never leaves: garbled, truncated and too_long spans
// and messages with a bad CheckSum or BodyLength are `bad_order` (a D or G among them is still `kill_switch`
// first when the switch is on).
//
// Fields of an order, first occurrence of each tag: ClOrdID (11, 1+ bytes), Symbol (55, 1+ bytes; one with a NUL
// byte is never in the table), Side (54:
// 1 buy; 2, 5, 6 sell), OrderQty (38: a whole number above 0, no decimal places), OrdType (40: 1 market,
// 2 limit), Price (44, limit orders: above 0, at most 4 decimal places, held as an integer of 1/10,000,
// below 2^48). A field that is missing or breaks its rule makes the order `bad_order`, unless a check
// before bad_order already rejects it; a check whose inputs are missing or broken does not reject.
//
// Checks, in this priority; the first that rejects names the reason:
// Reference price: the configured referencePrice, or with referenceFromItch the price of the feed's last
// trade (P, Q) of the symbol, when one came while the symbol was in the table (trade()).
//
//   kill_switch     the switch is on
//   unknown_symbol  the symbol is not in the table (a symbol longer than 8 bytes never is)
//   max_qty         qty > maxQty
//   max_notional    qty × px > maxNotional; px is the limit price, or the reference price for market orders
//                   (the gate forms qty × px only for qty < 2^32: a larger qty is over every maxQty)
//   price_collar    limit orders: |price − ref| × 10,000 > collarBps × ref
//   max_position    |position ± qty| > maxPosition; position is the net of accepted buys minus sells per
//                   symbol (an accepted G counts its full quantity again: the gate keeps no order book)
//   rate_limit      the token bucket is empty
//   bad_order       see above
// An accepted order moves the position and takes a token; a rejected one changes nothing.
//
// Token bucket on device time. It holds at most `burst` tokens and starts full (at the first commit). While
// not full it gains one token every `cyclesPerToken` cycles; while full, no credit builds up. A token
// earned at cycle t is there for a decision at cycle t. The burst and rate in use are those of the last
// order decided: an order checked under newly committed limits first clips the bucket to its burst (and
// drops credit beyond one token at its rate), then the new rate holds. So a rate change applies from the
// first order checked under it, a fact of the decision timeline alone. The order path takes one
// 8-byte beat every 4 cycles (the gate's parser never stalls at that rate), and the gate decides a span at
// a fixed cycle after the beat holding its last byte entered, plus the span's rank among the verdict spans
// ending in that beat (0, 1, ...), plus one for a span that is not an order (the end of a garbled span is
// only known when the next "8=FIX" is). So the decision time is 4 × (index of that beat) + rank (+ 1) plus a
// constant:
// with the stream sent as one piece the bucket's timeline follows from the bytes alone, and the model
// reproduces the device exactly.
//
// Banks. A span is checked against the limits (symbol table, kill switch, rate, reference source) in force
// when the device's parser first reported its fields. The parser reports fields in pairs (a lone field
// waits for the next one), so that is when the span's second field was parsed; for a span with at most
// one field, when it is decided. A message whose first two fields came before a commit is thus checked
// under the old limits, as the device does (it captures the bank with the first field record).
//
// Symbol indexes (the verdict's symbolIndex, the device's limits and positions) are given out in the order
// symbols are first committed and never change (src/risk/symbol-table.ts).
import { FixParserModel, type FieldEntry, type FrameRecord } from '../fix/ref-parser.js';
import { PRICE_SCALE, type RiskLimits, type SymbolLimits } from './config.js';
import { SymbolIndexes } from './symbol-table.js';

export const RISK_REASONS = ['kill_switch', 'unknown_symbol', 'max_qty', 'max_notional', 'price_collar', 'max_position', 'rate_limit', 'bad_order'] as const;
export type RiskReason = (typeof RISK_REASONS)[number];

/** Cycles per beat of the order path. */
export const ORDER_PATH_CYCLES_PER_BEAT = 4;
const BEAT_BYTES = 8;
const PRICE_LIMIT = 1n << 48n;
const QTY_PRODUCT_LIMIT = 1n << 32n;

export interface Verdict {
  /** The span in the order stream. */
  offset: number;
  length: number;
  msgType: string | null;
  /** The span's FIX error (a well-formed order has none). */
  error: FrameRecord['error'];
  /** ClOrdID's bytes in the stream, when the order has one. */
  clOrdID: { offset: number; length: number } | null;
  accepted: boolean;
  reason: RiskReason | null;
  /** The values the checks used (null where missing or broken). */
  symbolIndex: number | null;
  side: 1 | -1 | null;
  qty: bigint | null;
  /** Limit price, or the reference price of a market order, in 1/10,000. */
  price: bigint | null;
  notional: bigint | null;
  /** Net position of the symbol after this verdict. */
  position: bigint | null;
  /** Tokens left after this verdict. */
  tokens: number;
  /** Device time of the decision, in cycles from the first beat of the order stream. */
  time: number;
}

export interface GateOutput {
  verdicts: Verdict[];
  /** Bytes that leave for the exchange, in order: accepted orders and passed-through messages. */
  forwarded: Buffer[];
}

/** What a commit sets: the limits and the symbol table they make. */
interface Bank {
  limits: RiskLimits;
  table: Map<string, { index: number; limits: SymbolLimits }>;
}

class TokenBucket {
  tokens = 0;
  private credit = 0;
  private last = 0;
  /** No limits committed yet: the first commit fills the bucket. */
  private fresh = true;
  burst = 0;
  cyclesPerToken = 1;

  advance(time: number): void {
    if (this.tokens < this.burst) {
      const total = this.credit + (time - this.last);
      const gained = Math.floor(total / this.cyclesPerToken);
      if (this.tokens + gained >= this.burst) {
        this.tokens = this.burst;
        this.credit = 0;
      } else {
        this.tokens += gained;
        this.credit = total - gained * this.cyclesPerToken;
      }
    }
    this.last = time;
  }

  /** A commit: only the first one touches the bucket (it starts full). */
  commit(burst: number, cyclesPerToken: number): void {
    if (!this.fresh) return;
    this.fresh = false;
    this.burst = burst;
    this.cyclesPerToken = cyclesPerToken;
    this.tokens = burst;
    this.credit = 0;
  }

  /** An order decided under these limits, after `advance` to its time: their burst clips the bucket and
   *  their rate holds from now on (credit beyond their next token is dropped). */
  adopt(burst: number, cyclesPerToken: number): void {
    this.burst = burst;
    this.cyclesPerToken = cyclesPerToken;
    if (this.tokens >= burst) {
      this.tokens = burst;
      this.credit = 0;
    } else this.credit = Math.min(this.credit, cyclesPerToken - 1);
  }
}

const latin1 = (b: Buffer) => b.toString('latin1');

export class RiskGateModel {
  private readonly parser: FixParserModel;
  private limits!: RiskLimits;
  private table = new Map<string, { index: number; limits: SymbolLimits }>();
  private readonly positions = new Map<string, bigint>();
  private readonly lastTrade = new Map<string, bigint>();
  private readonly bucket: TokenBucket;
  private readonly indexes = new SymbolIndexes();
  /** The beat of the last verdict and how many verdicts ended in it. */
  private lastVerdictBeat = -1;
  private rank = 0;
  /** Stream bytes not yet released: from `base`. */
  private held = Buffer.alloc(0);
  private base = 0;
  private entries: FieldEntry[] = [];
  /** The limits in force when the span being parsed had its second field (the device's first field record). */
  private spanBank: Bank | undefined;
  /** Beats of the streams before this one, for the device timeline. */
  private beatBase = 0;
  private streamBytes = 0;

  /** When set, the decision time of each span (cycles) instead of the bytes' timeline: for a device whose
   *  input had gaps, the differential tests pass the device's own decision cycles. */
  clock?: (span: { offset: number; length: number }) => number;

  /** Without limits the gate has none committed yet: every order is unknown_symbol (as the device after
   *  reset) until the first commit. */
  constructor(limits?: RiskLimits, maxMsgLen = 4096) {
    this.parser = new FixParserModel(maxMsgLen);
    this.bucket = new TokenBucket();
    if (limits) this.commit(limits);
    else this.limits = { killSwitch: false, burst: 0, cyclesPerToken: 1, symbols: [] };
  }

  /** Takes new limits at once, between orders (the device's commit register). Positions stay per symbol. */
  commit(limits: RiskLimits): void {
    this.limits = limits;
    this.table = new Map(limits.symbols.map((l) => [l.symbol, { index: l.index ?? this.indexes.indexOf(l.symbol), limits: l }]));
    this.bucket.commit(limits.burst, limits.cyclesPerToken);
  }

  position(symbol: string): bigint { return this.positions.get(symbol) ?? 0n; }

  /** Whether any symbol is in the table now (else a trade changes nothing). */
  get watchesTrades(): boolean { return this.table.size > 0; }

  /** A trade of the feed (P or Q): the symbol's last trade price, if the symbol is in the table now. */
  trade(symbol: string, price: bigint): boolean {
    if (!this.table.has(symbol)) return false;
    this.lastTrade.set(symbol, price);
    return true;
  }

  push(bytes: Uint8Array, out: GateOutput = { verdicts: [], forwarded: [] }): GateOutput {
    this.held = Buffer.concat([this.held, bytes]);
    this.streamBytes += bytes.length;
    this.consume(this.parser.push(bytes), out);
    return out;
  }

  /** The stream ended (the connection closed): a message cut off is truncated; the next stream starts anew. */
  end(out: GateOutput = { verdicts: [], forwarded: [] }): GateOutput {
    this.consume(this.parser.end(), out);
    this.beatBase += Math.ceil(this.streamBytes / BEAT_BYTES);
    this.streamBytes = 0;
    this.held = Buffer.alloc(0);
    this.base = 0;
    return out;
  }

  private consume(items: ReturnType<FixParserModel['push']>, out: GateOutput): void {
    for (const item of items) {
      if (item.kind === 'fix_field') {
        if (this.entries.length === 1) this.spanBank = { limits: this.limits, table: this.table };
        this.entries.push(item);
      }
      else if (item.kind === 'fix_frame') this.frame(item, out);
    }
  }

  private frame(f: FrameRecord, out: GateOutput): void {
    const entries = this.entries;
    this.entries = [];
    const span = this.held.subarray(f.offset - this.base, f.offset - this.base + f.length);
    const isOrder = (f.error === null || f.error === 'bad_checksum' || f.error === 'bad_body_length') && (f.msgType === 'D' || f.msgType === 'G') && f.msgTypeLength === 1;
    if (f.error === null && !isOrder) {
      out.forwarded.push(Buffer.from(span));
    } else {
      const bank = entries.length >= 2 ? this.spanBank! : { limits: this.limits, table: this.table };
      const v = this.check(f, isOrder ? entries : [], span, isOrder, bank);
      out.verdicts.push(v);
      if (v.accepted) out.forwarded.push(Buffer.from(span));
    }
    this.release(f.offset + f.length);
  }

  private check(f: FrameRecord, entries: FieldEntry[], span: Buffer, isOrder: boolean, bank: Bank): Verdict {
    const first = new Map<number, FieldEntry>();
    for (const e of entries) if (!first.has(e.tag)) first.set(e.tag, e);
    const raw = (tag: number) => {
      const e = first.get(tag);
      return e ? span.subarray(e.valueOffset, e.valueOffset + e.valueLength) : null;
    };
    const clOrdIDEntry = first.get(11);
    const clOrdID = clOrdIDEntry && clOrdIDEntry.valueLength > 0 ? { offset: f.offset + clOrdIDEntry.valueOffset, length: clOrdIDEntry.valueLength } : null;

    const symbolBytes = raw(55);
    const symbolText = symbolBytes && symbolBytes.length > 0 ? latin1(symbolBytes) : null;
    const entry = symbolText !== null && symbolText.length <= 8 && !symbolText.includes('\0') ? bank.table.get(symbolText) : undefined;
    const sideText = raw(54);
    const side = sideText?.length === 1 ? (sideText[0] === 0x31 ? 1 : [0x32, 0x35, 0x36].includes(sideText[0]!) ? -1 : null) : null;
    const ordTypeText = raw(40);
    const ordType = ordTypeText?.length === 1 ? (ordTypeText[0] === 0x31 ? 'market' : ordTypeText[0] === 0x32 ? 'limit' : null) : null;
    const qtyEntry = first.get(38);
    const qty = qtyEntry?.decodedType === 'decimal' && qtyEntry.scale === 0 && qtyEntry.value > 0n ? qtyEntry.value : null;
    const priceEntry = first.get(44);
    let limitPrice: bigint | null = null;
    if (priceEntry?.decodedType === 'decimal' && priceEntry.scale <= PRICE_SCALE && priceEntry.value > 0n) {
      const p = priceEntry.value * 10n ** BigInt(PRICE_SCALE - priceEntry.scale);
      if (p < PRICE_LIMIT) limitPrice = p;
    }
    const configured = entry?.limits;
    const traded = configured && bank.limits.referenceFromItch ? this.lastTrade.get(configured.symbol) : undefined;
    const l = configured && traded !== undefined ? { ...configured, referencePrice: traded } : configured;
    const price = ordType === 'limit' ? limitPrice : ordType === 'market' && l ? l.referencePrice : null;
    const notional = qty !== null && qty < QTY_PRODUCT_LIMIT && price !== null ? qty * price : null;
    const position = entry ? this.position(entry.limits.symbol) : null;
    const newPosition = position !== null && qty !== null && side !== null ? position + BigInt(side) * qty : null;
    const wellFormed = f.error === null && clOrdID !== null && symbolText !== null && side !== null && qty !== null && ordType !== null
      && (ordType === 'market' || limitPrice !== null);

    const beat = this.beatBase + Math.floor((f.offset + f.length - 1) / BEAT_BYTES);
    this.rank = beat === this.lastVerdictBeat ? this.rank + 1 : 0;
    this.lastVerdictBeat = beat;
    const time = this.clock ? this.clock(f) : ORDER_PATH_CYCLES_PER_BEAT * beat + this.rank + (isOrder ? 0 : 1);
    this.bucket.advance(time);
    if (isOrder) this.bucket.adopt(bank.limits.burst, bank.limits.cyclesPerToken);

    const abs = (v: bigint) => (v < 0n ? -v : v);
    let reason: RiskReason | null = null;
    if (bank.limits.killSwitch && entries.length) reason = 'kill_switch';
    else if (f.error !== null || entries.length === 0) reason = 'bad_order';
    else if (symbolText !== null && !entry) reason = 'unknown_symbol';
    else if (l && qty !== null && qty > l.maxQty) reason = 'max_qty';
    else if (l && notional !== null && notional > l.maxNotional) reason = 'max_notional';
    else if (l && ordType === 'limit' && limitPrice !== null && abs(limitPrice - l.referencePrice) * 10_000n > l.collarBps * l.referencePrice) reason = 'price_collar';
    else if (l && newPosition !== null && abs(newPosition) > l.maxPosition) reason = 'max_position';
    else if (this.bucket.tokens === 0) reason = 'rate_limit';
    else if (!wellFormed) reason = 'bad_order';

    const accepted = reason === null;
    if (accepted) {
      this.positions.set(l!.symbol, newPosition!);
      this.bucket.tokens--;
    }
    return {
      offset: f.offset, length: f.length, msgType: f.error === 'garbled' || f.error === 'truncated' || f.error === 'too_long' ? null : f.msgType,
      error: f.error, clOrdID, accepted, reason, symbolIndex: entry?.index ?? null, side, qty, price, notional,
      position: accepted ? newPosition : position, tokens: this.bucket.tokens, time,
    };
  }

  private release(upTo: number): void {
    const cut = upTo - this.base;
    if (cut <= 0) return;
    this.held = this.held.subarray(cut);
    this.base = upTo;
  }
}

/** One line of `tickgate check orders` (DESIGN.md 3.4). */
export function verdictJson(v: Pick<Verdict, 'accepted' | 'reason'>, clOrdID: string | null): string {
  return JSON.stringify({ kind: 'verdict', clOrdID, accepted: v.accepted, reason: v.reason });
}
