// The risk gate's symbol table as the device holds it (hdl/risk/risk_symbol_table.v): a cuckoo hash of two
// ways of RISK_TABLE_SLOTS slots. A symbol (8 bytes, NUL padded) sits in slot CRC-32(symbol) of way 0 or slot
// CRC-32C(symbol) of way 1 (low 10 bits of each); each holds the symbol's index into the limits and
// positions. Indexes are stable for a device's life: a symbol keeps its index (and so its position) across
// limit changes, as the golden model keeps positions per symbol.
import { RISK_SYMBOL_CAPACITY } from './config.js';

export const RISK_TABLE_SLOTS = 1024;
const CRC32 = 0x04c11db7;
const CRC32C = 0x1edc6f41;
/** Displacements tried before a placement is given up (at 1,024 symbols in 2,048 slots it never is). */
const MAX_KICKS = 4096;

export class SymbolTableError extends Error {
  readonly code = 'RISK_SYMBOL_TABLE';
}

/** The symbol as the table compares it: its bytes, NUL padded to 8. */
export function symbolKey(symbol: string): Buffer {
  const key = Buffer.alloc(8);
  key.write(symbol, 'latin1');
  return key;
}

/** CRC over the 8 key bytes, first byte first, each most significant bit first; init 0, no final xor. */
function crc(key: Buffer, poly: number): number {
  let c = 0;
  for (const byte of key) {
    for (let i = 7; i >= 0; i--) {
      const fb = ((c >>> 31) ^ (byte >>> i)) & 1;
      c = ((c << 1) ^ (fb ? poly : 0)) >>> 0;
    }
  }
  return c;
}

/** The slot the symbol may take in way 0 and in way 1. */
export function slotsOf(key: Buffer): [number, number] {
  return [crc(key, CRC32) & (RISK_TABLE_SLOTS - 1), crc(key, CRC32C) & (RISK_TABLE_SLOTS - 1)];
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

/** The two ways as the device should hold them, or an error naming the symbol that did not fit. */
export function placeSymbols(entries: readonly TableEntry[]): [Array<TableEntry | undefined>, Array<TableEntry | undefined>] {
  const ways: [Array<TableEntry | undefined>, Array<TableEntry | undefined>] = [new Array(RISK_TABLE_SLOTS).fill(undefined), new Array(RISK_TABLE_SLOTS).fill(undefined)];
  for (const entry of entries) {
    let moving: TableEntry = entry;
    let way = 0;
    let placed = false;
    for (let kick = 0; kick < MAX_KICKS && !placed; kick++) {
      const slot = slotsOf(symbolKey(moving.symbol))[way]!;
      const there = ways[way]![slot];
      ways[way]![slot] = moving;
      if (there === undefined) placed = true;
      else {
        moving = there;
        way ^= 1;
      }
    }
    if (!placed) throw new SymbolTableError(`symbols: "${moving.symbol}" finds no free slot in the device's table`);
  }
  return ways;
}

/** Where the device would find `symbol`: a hit in either of its two slots. */
export function lookUp(ways: readonly [ReadonlyArray<TableEntry | undefined>, ReadonlyArray<TableEntry | undefined>], symbol: string): TableEntry | undefined {
  const [s0, s1] = slotsOf(symbolKey(symbol));
  return [ways[0][s0], ways[1][s1]].find((e) => e?.symbol === symbol);
}
