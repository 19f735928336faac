// Per-symbol aggregated order books from ITCH 5.0 (DESIGN.md 3.7): Add Order (A, F) puts an order on its
// stock's book; Order Executed (E, C) and Order Cancel (X) take shares off it, Order Delete (D) takes it off,
// Order Replace (U) takes it off and puts the new reference on with the same side and stock, the new shares
// and price; System Event Start of Messages (S, O) empties every book. After each message that changes a
// book, the book's best levels are its update.
// Rules where the feed is inconsistent (each counted): a message naming an order reference that is not on a
// book changes nothing; an Add or Replace whose new reference is already on a book takes that order off
// first; executing or cancelling more shares than are left takes the order off.
// Messages are read from their raw bytes (the golden-model record's `raw`, or the device record turned back
// into the message), so the hot path builds no field objects.
import { OrderTable } from './order-table.js';

export interface BookLevel {
  /** ITCH price units (4 decimal places) */
  price: number;
  shares: number;
  orders: number;
}

export interface BookUpdate {
  stock: string;
  /** MoldUDP64 sequence number of the message that changed the book: a number below 2^53, else decimal */
  seq: number | string;
  timestamp: number;
  /** best (highest price) first; shared with later updates while it stays the same (never change it) */
  bids: readonly BookLevel[];
  /** best (lowest price) first; likewise */
  asks: readonly BookLevel[];
}

export interface BookCounters {
  /** messages that changed a book */
  updates: number;
  /** E, C, X, D, U naming an order reference not on a book */
  unknownOrders: number;
  /** A, F, U whose new reference was already on a book */
  duplicateOrders: number;
  /** E, C, X of more shares than were left */
  overReduced: number;
}

/** One side of one book: its levels as parallel typed arrays in worst-first order (binary search by price),
 *  so that a level coming or going near the top, where most of the flow is, moves few others. Its
 *  best levels are made again only after a change among them, and then only the changed levels get new
 *  objects: a change deeper in the book gives the same array. */
class BookSide {
  /** worst first: ascending for bids, descending for asks */
  private prices = new Uint32Array(16);
  private shares = new Float64Array(16);
  private orders = new Uint32Array(16);
  private count = 0;
  private best: readonly BookLevel[] | undefined;
  /** the best levels last handed out (kept after `best` is dropped, to reuse the unchanged ones) */
  private handedOut: readonly BookLevel[] = [];
  /** prices of levels changed since `handedOut` was made */
  private readonly changed: number[] = [];

  constructor(private readonly bids: boolean, private readonly depth: number) {}

  add(price: number, shares: number): void {
    const i = this.indexOf(price);
    this.touch(i, price);
    if (i < this.count && this.prices[i] === price) {
      this.shares[i] = this.shares[i]! + shares;
      this.orders[i] = this.orders[i]! + 1;
      return;
    }
    if (this.count === this.prices.length) this.grow();
    this.prices.copyWithin(i + 1, i, this.count);
    this.shares.copyWithin(i + 1, i, this.count);
    this.orders.copyWithin(i + 1, i, this.count);
    this.prices[i] = price;
    this.shares[i] = shares;
    this.orders[i] = 1;
    this.count++;
  }

  /** Takes `shares` off the level at `price` (which is on this side); `orderGone`: one order fewer there. */
  reduce(price: number, shares: number, orderGone: boolean): void {
    const i = this.indexOf(price);
    this.touch(i, price);
    this.shares[i] = this.shares[i]! - shares;
    if (orderGone) this.orders[i] = this.orders[i]! - 1;
    if (this.orders[i]! > 0) return;
    this.prices.copyWithin(i, i + 1, this.count);
    this.shares.copyWithin(i, i + 1, this.count);
    this.orders.copyWithin(i, i + 1, this.count);
    this.count--;
  }

  private grow(): void {
    const size = this.prices.length * 2;
    const prices = new Uint32Array(size);
    const shares = new Float64Array(size);
    const orders = new Uint32Array(size);
    prices.set(this.prices);
    shares.set(this.shares);
    orders.set(this.orders);
    this.prices = prices;
    this.shares = shares;
    this.orders = orders;
  }

  isEmpty(): boolean {
    return this.count === 0;
  }

  /** The best `depth` levels, best first. */
  top(): readonly BookLevel[] {
    if (this.best) return this.best;
    const last = this.count - 1;
    const n = Math.min(this.depth, this.count);
    const out: BookLevel[] = new Array(n);
    const before = this.handedOut;
    let j = 0;
    for (let k = 0; k < n; k++) {
      const price = this.prices[last - k]!;
      while (j < before.length && this.better(before[j]!.price, price)) j++;
      const old = before[j];
      out[k] = old !== undefined && old.price === price && !this.changed.includes(price)
        ? old
        : { price, shares: this.shares[last - k]!, orders: this.orders[last - k]! };
    }
    this.changed.length = 0;
    this.best = out;
    this.handedOut = out;
    return out;
  }

  /** A change of the level at `price` (index `i`, or where it goes): among the best ones, it drops them. */
  private touch(i: number, price: number): void {
    if (i + this.depth < this.count) return;
    this.best = undefined;
    this.changed.push(price);
  }

  private better(a: number, b: number): boolean {
    return this.bids ? a > b : a < b;
  }

  /** Where `price` is or would go in `prices`. */
  private indexOf(price: number): number {
    const prices = this.prices;
    let lo = 0;
    let hi = this.count;
    if (this.bids) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (prices[mid]! < price) lo = mid + 1;
        else hi = mid;
      }
    } else {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (prices[mid]! > price) lo = mid + 1;
        else hi = mid;
      }
    }
    return lo;
  }
}

class SymbolBook {
  readonly bids: BookSide;
  readonly asks: BookSide;
  /** the book's last update */
  last: BookUpdate | undefined;
  constructor(readonly stock: string, depth: number, readonly stockHi: number, readonly stockLo: number) {
    this.bids = new BookSide(true, depth);
    this.asks = new BookSide(false, depth);
  }
}

const TWO_32 = 0x1_0000_0000;
const NO_UPDATES: readonly BookUpdate[] = [];
const timestampOf = (msg: Buffer) => msg.readUInt16BE(5) * TWO_32 + msg.readUInt32BE(7);
const NO_BOOK = -1;
/** A sequence number as BookUpdate.seq has it. */
const seqOf = (seq: number | bigint) => (typeof seq === 'bigint' && seq > Number.MAX_SAFE_INTEGER ? seq.toString() : Number(seq));

export class OrderBooks {
  readonly counters: BookCounters = { updates: 0, unknownOrders: 0, duplicateOrders: 0, overReduced: 0 };
  private readonly byStock = new Map<string, number>();
  private readonly books: SymbolBook[] = [];
  /** the book an Add with this Stock Locate named last (checked against the Stock bytes before use) */
  private readonly bookOfLocate = new Int32Array(0x1_0000).fill(NO_BOOK);
  private orders = new OrderTable(1 << 17);
  /** Another book the message at hand changed (an Add reusing a reference of that book). */
  private changed = NO_BOOK;
  /** what apply returns, filled again each time */
  private readonly one: BookUpdate[] = [undefined as unknown as BookUpdate];
  private readonly two: BookUpdate[] = [undefined as unknown as BookUpdate, undefined as unknown as BookUpdate];

  /** @param depth levels per side in an update (the config's bookDepth) */
  constructor(private readonly depth = 10) {}

  /** One ITCH message as received; the updates of the books it changed: none or one (two when an Add
   *  reuses a reference that was on another stock's book: that book first). The array is the same one each
   *  time: read it before the next call. */
  apply(msg: Buffer, seq: number | bigint): readonly BookUpdate[] {
    this.changed = NO_BOOK;
    let book: number;
    switch (msg[0]) {
      case 0x41: // A
      case 0x46: // F
        book = this.add(msg.readUInt32BE(11), msg.readUInt32BE(15), msg[19] === 0x42, msg.readUInt32BE(20), this.bookOf(msg), msg.readUInt32BE(32));
        break;
      case 0x45: // E
      case 0x43: // C
      case 0x58: // X
        book = this.reduce(msg.readUInt32BE(11), msg.readUInt32BE(15), msg.readUInt32BE(19));
        break;
      case 0x44: // D
        book = this.remove(msg.readUInt32BE(11), msg.readUInt32BE(15));
        break;
      case 0x55: { // U
        const slot = this.orders.find(msg.readUInt32BE(11), msg.readUInt32BE(15));
        if (slot < 0) {
          this.counters.unknownOrders++;
          return NO_UPDATES;
        }
        const buy = this.orders.buy[slot] === 1;
        const original = this.orders.book[slot]!;
        this.removeAt(slot);
        book = this.add(msg.readUInt32BE(19), msg.readUInt32BE(23), buy, msg.readUInt32BE(27), original, msg.readUInt32BE(31));
        break;
      }
      case 0x53: // S
        return msg[11] === 0x4f ? this.startOfMessages(seq, timestampOf(msg)) : NO_UPDATES;
      default:
        return NO_UPDATES;
    }
    if (book === NO_BOOK) return NO_UPDATES;
    const at = seqOf(seq);
    const timestamp = timestampOf(msg);
    if (this.changed !== NO_BOOK && this.changed !== book) {
      this.two[0] = this.update(this.changed, at, timestamp);
      this.two[1] = this.update(book, at, timestamp);
      return this.two;
    }
    this.one[0] = this.update(book, at, timestamp);
    return this.one;
  }

  /** System Event "Start of Messages" opens a trading day, whose order references start again: every book
   *  is emptied, an update for each that had orders (in stock order). */
  private startOfMessages(seq: number | bigint, timestamp: number): readonly BookUpdate[] {
    const at = seqOf(seq);
    const emptied: BookUpdate[] = [];
    this.books.forEach((b, index) => {
      if (b.bids.isEmpty() && b.asks.isEmpty()) return;
      this.books[index] = new SymbolBook(b.stock, this.depth, b.stockHi, b.stockLo);
      emptied.push(this.update(index, at, timestamp));
    });
    this.orders = new OrderTable(1 << 17);
    return emptied.sort((a, b) => (a.stock < b.stock ? -1 : 1));
  }

  private update(index: number, seq: number | string, timestamp: number): BookUpdate {
    this.counters.updates++;
    const b = this.books[index]!;
    b.last = { stock: b.stock, seq, timestamp, bids: b.bids.top(), asks: b.asks.top() };
    return b.last;
  }

  /** The last update of every book (of these stocks, when given), in the order the books first appeared:
   *  each book's state now. */
  latest(stocks?: ReadonlySet<string>): BookUpdate[] {
    const out: BookUpdate[] = [];
    for (const b of this.books) if (b.last && (!stocks || stocks.has(b.stock))) out.push(b.last);
    return out;
  }

  get stocks(): string[] { return [...this.byStock.keys()]; }

  /** The book of an Add's Stock (bytes 24..31): the one its Stock Locate led to last when the Stock bytes
   *  match, else by name. */
  private bookOf(msg: Buffer): number {
    const hi = msg.readUInt32BE(24);
    const lo = msg.readUInt32BE(28);
    const locate = msg.readUInt16BE(1);
    const cached = this.bookOfLocate[locate]!;
    if (cached !== NO_BOOK) {
      const b = this.books[cached]!;
      if (b.stockHi === hi && b.stockLo === lo) return cached;
    }
    const field = msg.toString('latin1', 24, 32);
    let end = field.length;
    while (end > 0 && field.charCodeAt(end - 1) === 0x20) end--;
    const stock = field.slice(0, end);
    let index = this.byStock.get(stock);
    if (index === undefined) {
      index = this.books.length;
      this.books.push(new SymbolBook(stock, this.depth, hi, lo));
      this.byStock.set(stock, index);
    }
    // a Stock that differs only in trailing spaces is another spelling of the same book: cache by its bytes
    if (this.books[index]!.stockHi === hi && this.books[index]!.stockLo === lo) this.bookOfLocate[locate] = index;
    return index;
  }

  private side(book: number, buy: boolean): BookSide {
    const b = this.books[book]!;
    return buy ? b.bids : b.asks;
  }

  private add(hi: number, lo: number, buy: boolean, shares: number, book: number, price: number): number {
    const existing = this.orders.find(hi, lo);
    if (existing >= 0) {
      this.counters.duplicateOrders++;
      this.changed = this.removeAt(existing);
    }
    const slot = this.orders.insert(hi, lo);
    this.orders.book[slot] = book;
    this.orders.buy[slot] = buy ? 1 : 0;
    this.orders.price[slot] = price;
    this.orders.shares[slot] = shares;
    this.side(book, buy).add(price, shares);
    return book;
  }

  private reduce(hi: number, lo: number, shares: number): number {
    const slot = this.orders.find(hi, lo);
    if (slot < 0) {
      this.counters.unknownOrders++;
      return NO_BOOK;
    }
    const left = this.orders.shares[slot]!;
    if (shares >= left) {
      if (shares > left) this.counters.overReduced++;
      return this.removeAt(slot);
    }
    this.orders.shares[slot] = left - shares;
    const book = this.orders.book[slot]!;
    this.side(book, this.orders.buy[slot] === 1).reduce(this.orders.price[slot]!, shares, false);
    return book;
  }

  private remove(hi: number, lo: number): number {
    const slot = this.orders.find(hi, lo);
    if (slot < 0) {
      this.counters.unknownOrders++;
      return NO_BOOK;
    }
    return this.removeAt(slot);
  }

  private removeAt(slot: number): number {
    const book = this.orders.book[slot]!;
    this.side(book, this.orders.buy[slot] === 1).reduce(this.orders.price[slot]!, this.orders.shares[slot]!, true);
    this.orders.removeAt(slot);
    return book;
  }
}
