// The live orders of the order books, by 8-byte ITCH order reference: an open-addressing hash table (linear
// probing, deletion by backward shift, so no tombstones pile up over a trading day) whose keys and order
// fields sit in typed arrays. A day of Nasdaq has tens of millions of orders; a Map of objects keyed by
// numbers above 2^31 spends most of the books' time in hashing boxed keys and in the garbage collector.

const MIN_CAPACITY = 8;

export class OrderTable {
  // set by allocate()
  private mask!: number;
  private filled!: number;
  private keyHi!: Uint32Array;
  private keyLo!: Uint32Array;
  private used!: Uint8Array;
  /** the order's book (the caller's index) */
  book!: Int32Array;
  price!: Uint32Array;
  shares!: Uint32Array;
  /** 1 for a buy order */
  buy!: Uint8Array;

  constructor(capacity = MIN_CAPACITY) {
    let size = MIN_CAPACITY;
    while (size < capacity * 2) size *= 2;
    this.allocate(size);
  }

  private allocate(size: number): void {
    this.mask = size - 1;
    this.filled = 0;
    this.keyHi = new Uint32Array(size);
    this.keyLo = new Uint32Array(size);
    this.used = new Uint8Array(size);
    this.book = new Int32Array(size);
    this.price = new Uint32Array(size);
    this.shares = new Uint32Array(size);
    this.buy = new Uint8Array(size);
  }

  get size(): number { return this.filled; }

  /** The slot of the order `hi`:`lo` (the reference's two big-endian halves), or -1. */
  find(hi: number, lo: number): number {
    let i = this.home(hi, lo);
    while (this.used[i]) {
      if (this.keyLo[i] === lo && this.keyHi[i] === hi) return i;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  /** A slot for an order not in the table, its key set; the caller fills in the fields. Slots found before
   *  may move (the table grows). */
  insert(hi: number, lo: number): number {
    if ((this.filled + 1) * 2 > this.mask + 1) this.grow();
    let i = this.home(hi, lo);
    while (this.used[i]) i = (i + 1) & this.mask;
    this.used[i] = 1;
    this.keyHi[i] = hi;
    this.keyLo[i] = lo;
    this.filled++;
    return i;
  }

  /** Takes the order in `slot` out; later orders of its probe run move back so that none is left behind a
   *  hole. */
  removeAt(slot: number): void {
    const mask = this.mask;
    let hole = slot;
    let j = slot;
    for (;;) {
      j = (j + 1) & mask;
      if (!this.used[j]) break;
      const home = this.home(this.keyHi[j]!, this.keyLo[j]!);
      // j may fill the hole when its home is not cyclically within (hole, j]
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      this.move(j, hole);
      hole = j;
    }
    this.used[hole] = 0;
    this.filled--;
  }

  private move(from: number, to: number): void {
    this.keyHi[to] = this.keyHi[from]!;
    this.keyLo[to] = this.keyLo[from]!;
    this.book[to] = this.book[from]!;
    this.price[to] = this.price[from]!;
    this.shares[to] = this.shares[from]!;
    this.buy[to] = this.buy[from]!;
  }

  private home(hi: number, lo: number): number {
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 13)) & this.mask;
  }

  private grow(): void {
    const old = { keyHi: this.keyHi, keyLo: this.keyLo, used: this.used, book: this.book, price: this.price, shares: this.shares, buy: this.buy };
    this.allocate((this.mask + 1) * 2);
    for (let i = 0; i < old.used.length; i++) {
      if (!old.used[i]) continue;
      const s = this.insert(old.keyHi[i]!, old.keyLo[i]!);
      this.book[s] = old.book[i]!;
      this.price[s] = old.price[i]!;
      this.shares[s] = old.shares[i]!;
      this.buy[s] = old.buy[i]!;
    }
  }
}
