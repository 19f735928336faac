// The risk gate's symbol table as the device holds it (hdl/risk/risk_symbol_table.v): two ways of 512
// buckets of two slots. A symbol (8 bytes, NUL padded) may sit in either slot of bucket hash[8:0] of way 0 or
// of bucket hash[17:9] of way 1; each slot holds the symbol's index into the limits and positions. Indexes
// are stable for a device's life: a symbol keeps its index (and so its position) across limit changes, as
// the golden model keeps positions per symbol.
//
// The hash is keyed: two fixed chi rounds (bit i ^= ~bit i+r AND bit i+2r, r = 1 then 8) and then a
// Toeplitz hash under the bank's 81-bit key. Why all of this. A fixed pair of linear hashes (the CRC-32 pair
// this table had) sends structured names (S0000..S1023) onto few slots: only 788 of that family fit. A keyed
// linear hash alone still fails for 40-50 % of keys on such families at 1,024 symbols in 2 × 1,024 single
// slots; buckets of two (four places per symbol) and the chi rounds before the key bring every family
// tried, and random ticker sets, to no failing key in 100 (measured in test/risk-symbol-table.test.ts).
// Placement is exact: each symbol is placed by a breadth-first search for a chain of moves ending in a free
// slot (an augmenting path), which finds a placement whenever one exists under the key. A set a key cannot
// hold is placed under the next key of a fixed sequence, up to MAX_KEYS.
import { RISK_SYMBOL_CAPACITY } from './config.js';

/** Slots per way (buckets × 2); RISK_SYM_WRITE's SLOT field. */
export const RISK_TABLE_SLOTS = 1024;
const BUCKETS = RISK_TABLE_SLOTS / 2;
/** Keys of the sequence tried before a set of symbols is given up as unplaceable. */
export const MAX_KEYS = 64;
const KEY_BITS = 81;
const HASH_BITS = 18;

export class SymbolTableError extends Error {
  readonly code = 'RISK_SYMBOL_TABLE';
}

/** The symbol as the table compares it: its bytes, NUL padded to 8. */
export function symbolKey(symbol: string): Buffer {
  const key = Buffer.alloc(8);
  key.write(symbol, 'latin1');
  return key;
}

/** An 81-bit hash key as the three RISK_SHADOW_HASH_KEY registers hold it (bits 31:0, 63:32, 80:64). */
export type HashKey = readonly [number, number, number];

/** Key `n` of the fixed sequence the host tries (splitmix64 from n: independent-looking, reproducible). */
export function hashKeyOf(n: number): HashKey {
  const mask = (1n << 64n) - 1n;
  let state = (BigInt(n) * 0x9e3779b97f4a7c15n) & mask;
  const next = () => {
    state = (state + 0x9e3779b97f4a7c15n) & mask;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
    return z ^ (z >> 31n);
  };
  const a = next();
  const b = next();
  return [Number(a & 0xffffffffn), Number(a >> 32n), Number(b & ((1n << BigInt(KEY_BITS - 64)) - 1n))];
}

/** For each hash bit j, the 64-bit window of the key it sees (bit i of window j = key bit i + j). */
function windows(key: HashKey): Array<[number, number]> {
  const k = BigInt(key[0] >>> 0) | (BigInt(key[1] >>> 0) << 32n) | (BigInt(key[2] >>> 0) << 64n);
  return Array.from({ length: HASH_BITS }, (_, j) => {
    const w = (k >> BigInt(j)) & ((1n << 64n) - 1n);
    return [Number(w & 0xffffffffn), Number(w >> 32n)];
  });
}

function parity32(v: number): number {
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  v ^= v >>> 2;
  v ^= v >>> 1;
  return v & 1;
}

/** One chi round over the 64 bits: bit i ^= ~bit (i+r) AND bit (i+2r), indexes mod 64. */
function chi(x: bigint, r: number): bigint {
  const mask = (1n << 64n) - 1n;
  const rot = (v: bigint, n: number) => ((v >> BigInt(n)) | (v << BigInt(64 - n))) & mask;   // bit i = bit i+n
  return x ^ (~rot(x, r) & mask & rot(x, 2 * r));
}

/** Where a symbol may sit under a key: its bucket in way 0 and in way 1. */
export class SymbolHash {
  private readonly w: Array<[number, number]>;

  constructor(readonly key: HashKey) {
    this.w = windows(key);
  }

  bucketsOf(symbolBytes: Buffer): [number, number] {
    const x = chi(chi(symbolBytes.readBigUInt64LE(0), 1), 8);
    const lo = Number(x & 0xffffffffn);
    const hi = Number(x >> 32n);
    let h = 0;
    for (let j = 0; j < HASH_BITS; j++) h |= parity32((lo & this.w[j]![0]) ^ (hi & this.w[j]![1])) << j;
    return [h & (BUCKETS - 1), h >>> 9];
  }

  /** Whether a symbol at `slot` of `way` is where the device looks for it. */
  holds(way: number, slot: number, symbolBytes: Buffer): boolean {
    return this.bucketsOf(symbolBytes)[way] === slot >> 1;
  }
}

/** Stable symbol indexes: the first time a symbol is seen it takes the next free one. */
export class SymbolIndexes {
  private readonly map = new Map<string, number>();

  indexOf(symbol: string): number {
    let index = this.map.get(symbol);
    if (index === undefined) {
      if (this.map.size >= RISK_SYMBOL_CAPACITY) {
        throw new SymbolTableError(`symbols: the device has indexes for ${RISK_SYMBOL_CAPACITY} symbols in its life and all are taken; "${symbol}" needs a reset`);
      }
      index = this.map.size;
      this.map.set(symbol, index);
    }
    return index;
  }
}

export interface TableEntry {
  symbol: string;
  index: number;
}

export type Ways = [Array<TableEntry | undefined>, Array<TableEntry | undefined>];

/** The two ways under one key, or undefined when the symbols cannot all be placed under it. */
export function placeUnder(entries: readonly TableEntry[], hash: SymbolHash): Ways | undefined {
  const N = RISK_TABLE_SLOTS;
  // slot s of way w is node w * N + s; each entry may sit at the four nodes of its two buckets
  const nodes = entries.map((e) => {
    const [b0, b1] = hash.bucketsOf(symbolKey(e.symbol));
    return [2 * b0, 2 * b0 + 1, N + 2 * b1, N + 2 * b1 + 1];
  });
  const holder = new Int32Array(2 * N).fill(-1);
  const from = new Int32Array(2 * N);
  const seen = new Int32Array(2 * N).fill(-1);
  for (let e = 0; e < entries.length; e++) {
    // breadth-first search from the entry's nodes for a free node; from[n] is the node whose holder moves
    // into n (-1 at the start), so the path is followed back once a free node is found
    const queue: number[] = [];
    for (const n of nodes[e]!) {
      if (seen[n] !== e) { seen[n] = e; from[n] = -1; queue.push(n); }
    }
    let free = -1;
    for (let q = 0; q < queue.length; q++) {
      const n = queue[q]!;
      if (holder[n] === -1) { free = n; break; }
      for (const other of nodes[holder[n]!]!) {
        if (seen[other] !== e) { seen[other] = e; from[other] = n; queue.push(other); }
      }
    }
    if (free < 0) return undefined;
    // move each holder one step along the path, then put the entry at its start
    let n = free;
    for (; from[n] !== -1; n = from[n]!) holder[n] = holder[from[n]!]!;
    holder[n] = e;
  }
  const ways: Ways = [new Array(N).fill(undefined), new Array(N).fill(undefined)];
  holder.forEach((e, n) => { if (e >= 0) ways[n < N ? 0 : 1][n % N] = entries[e]; });
  return ways;
}

export interface Placement {
  ways: Ways;
  /** the number of the key in the sequence (hashKeyOf) */
  keyNumber: number;
  key: HashKey;
}

/** Places the symbols under the first key that holds them all: `preferred` first (a bank's current key, so
 *  an unchanged set rewrites nothing), then the sequence from 0. */
export function placeSymbols(entries: readonly TableEntry[], preferred = 0): Placement {
  if (entries.length > RISK_SYMBOL_CAPACITY) {
    throw new SymbolTableError(`symbols: ${entries.length} symbols, the device's table holds ${RISK_SYMBOL_CAPACITY}`);
  }
  const order = [preferred, ...Array.from({ length: MAX_KEYS }, (_, n) => n).filter((n) => n !== preferred)];
  for (const keyNumber of order) {
    const key = hashKeyOf(keyNumber);
    const ways = placeUnder(entries, new SymbolHash(key));
    if (ways) return { ways, keyNumber, key };
  }
  throw new SymbolTableError(`symbols: these ${entries.length} symbols fit the device's table under none of ${MAX_KEYS} hash keys (report this set: it should not happen)`);
}
