// Per-symbol aggregated order books from ITCH 5.0 (DESIGN.md 3.7): Add Order (A, F) puts an order on its
// stock's book; Order Executed (E, C) and Order Cancel (X) take shares off it, Order Delete (D) takes it off,
// Order Replace (U) takes it off and puts the new reference on with the same side and stock, the new shares
// and price. After each message that changes a book, the book's best levels are its update.
// Rules where the feed is inconsistent (each counted): a message naming an order reference that is not on a
// book changes nothing; an Add or Replace whose new reference is already on a book takes that order off
// first; executing or cancelling more shares than are left takes the order off.
// Messages are read from their raw bytes (the golden-model record's `raw`, or the device record turned back
// into the message), so the hot path builds no field objects.

export interface BookLevel {
  /** ITCH price units (4 decimal places) */
  price: number;
  shares: number;
  orders: number;
}

export interface BookUpdate {
  stock: string;
  /** MoldUDP64 sequence number of the message that changed the book, decimal */
  seq: string;
  timestamp: number;
  /** best (highest price) first; frozen, and shared with later updates while it stays the same */
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

interface Order {
  book: SymbolBook;
  buy: boolean;
  price: number;
  shares: number;
}

/** One side of one book: levels by price, and their prices in best-first order. Its best levels are made
 *  again only after a change among them: a change deeper in the book gives the same (frozen) array. */
class BookSide {
  /** best first: descending for bids, ascending for asks */
  private readonly prices: number[] = [];
  private readonly levels = new Map<number, { shares: number; orders: number }>();
  private best: readonly BookLevel[] | undefined;

  constructor(private readonly descending: boolean, private readonly depth: number) {}

  add(price: number, shares: number): void {
    if (this.amongBest(price)) this.best = undefined;
    const level = this.levels.get(price);
    if (level) {
      level.shares += shares;
      level.orders++;
      return;
    }
    this.levels.set(price, { shares, orders: 1 });
    this.prices.splice(this.insertAt(price), 0, price);
  }

  /** Takes `shares` off the level at `price`; `orderGone`: one order fewer there. */
  reduce(price: number, shares: number, orderGone: boolean): void {
    if (this.amongBest(price)) this.best = undefined;
    const level = this.levels.get(price)!;
    level.shares -= shares;
    if (orderGone) level.orders--;
    if (level.orders > 0) return;
    this.levels.delete(price);
    this.prices.splice(this.insertAt(price), 1);
  }

  /** The best `depth` levels, best first. */
  top(): readonly BookLevel[] {
    if (this.best) return this.best;
    const n = Math.min(this.depth, this.prices.length);
    const out: BookLevel[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const price = this.prices[i]!;
      const level = this.levels.get(price)!;
      out[i] = Object.freeze({ price, shares: level.shares, orders: level.orders });
    }
    this.best = Object.freeze(out);
    return this.best;
  }

  /** A change at `price` changes the best levels: it is at or better than the last of them, or there are
   *  fewer of them than `depth`. */
  private amongBest(price: number): boolean {
    const n = this.prices.length;
    if (n < this.depth) return true;
    const last = this.prices[this.depth - 1]!;
    return this.descending ? price >= last : price <= last;
  }

  /** Where `price` is or would go in `prices` (binary search). */
  private insertAt(price: number): number {
    let lo = 0;
    let hi = this.prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = this.prices[mid]!;
      if (this.descending ? p > price : p < price) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

class SymbolBook {
  readonly bids: BookSide;
  readonly asks: BookSide;
  constructor(readonly stock: string, depth: number) {
    this.bids = new BookSide(true, depth);
    this.asks = new BookSide(false, depth);
  }
}

const TWO_32 = 0x1_0000_0000;
/** An 8-byte order reference as a Map key: a number below 2^53, else a bigint (never both for one value). */
function orderRef(msg: Buffer, at: number): number | bigint {
  const hi = msg.readUInt32BE(at);
  return hi < 0x20_0000 ? hi * TWO_32 + msg.readUInt32BE(at + 4) : msg.readBigUInt64BE(at);
}

const NO_UPDATES: readonly BookUpdate[] = [];
const timestampOf = (msg: Buffer) => msg.readUInt16BE(5) * TWO_32 + msg.readUInt32BE(7);

export class OrderBooks {
  readonly counters: BookCounters = { updates: 0, unknownOrders: 0, duplicateOrders: 0, overReduced: 0 };
  private readonly books = new Map<string, SymbolBook>();
  private readonly orders = new Map<number | bigint, Order>();
  /** Another book the message at hand changed (an Add reusing a reference of that book). */
  private changed: SymbolBook | undefined;

  /** @param depth levels per side in an update (the config's bookDepth) */
  constructor(private readonly depth = 10) {}

  /** One ITCH message as received; the updates of the books it changed: none or one (two when an Add
   *  reuses a reference that was on another stock's book: that book first). */
  apply(msg: Buffer, seq: number | bigint): readonly BookUpdate[] {
    this.changed = undefined;
    let book: SymbolBook | undefined;
    switch (msg[0]) {
      case 0x41: // A
      case 0x46: // F
        book = this.add(orderRef(msg, 11), msg[19] === 0x42, msg.readUInt32BE(20), this.book(msg.toString('latin1', 24, 32)), msg.readUInt32BE(32));
        break;
      case 0x45: // E
      case 0x43: // C
      case 0x58: // X
        book = this.reduce(orderRef(msg, 11), msg.readUInt32BE(19));
        break;
      case 0x44: // D
        book = this.remove(orderRef(msg, 11));
        break;
      case 0x55: { // U
        const original = this.orders.get(orderRef(msg, 11));
        if (!original) {
          this.counters.unknownOrders++;
          return NO_UPDATES;
        }
        this.remove(orderRef(msg, 11));
        book = this.add(orderRef(msg, 19), original.buy, msg.readUInt32BE(27), original.book, msg.readUInt32BE(31));
        break;
      }
      default:
        return NO_UPDATES;
    }
    if (!book) return NO_UPDATES;
    const at = String(seq);
    const timestamp = timestampOf(msg);
    return this.changed && this.changed !== book
      ? [this.update(this.changed, at, timestamp), this.update(book, at, timestamp)]
      : [this.update(book, at, timestamp)];
  }

  private update(b: SymbolBook, seq: string, timestamp: number): BookUpdate {
    this.counters.updates++;
    return { stock: b.stock, seq, timestamp, bids: b.bids.top(), asks: b.asks.top() };
  }

  /** The book of a stock now (best levels, `depth` per side), or undefined when no order named it yet. */
  snapshot(stock: string): { bids: readonly BookLevel[]; asks: readonly BookLevel[] } | undefined {
    const book = this.books.get(stock);
    return book && { bids: book.bids.top(), asks: book.asks.top() };
  }

  get stocks(): string[] { return [...this.books.keys()]; }

  private book(stockField: string): SymbolBook {
    let end = stockField.length;
    while (end > 0 && stockField.charCodeAt(end - 1) === 0x20) end--;
    const stock = end === stockField.length ? stockField : stockField.slice(0, end);
    let book = this.books.get(stock);
    if (!book) {
      book = new SymbolBook(stock, this.depth);
      this.books.set(stock, book);
    }
    return book;
  }

  private add(ref: number | bigint, buy: boolean, shares: number, book: SymbolBook, price: number): SymbolBook {
    if (this.orders.has(ref)) {
      this.counters.duplicateOrders++;
      this.changed = this.remove(ref);
    }
    this.orders.set(ref, { book, buy, price, shares });
    (buy ? book.bids : book.asks).add(price, shares);
    return book;
  }

  private reduce(ref: number | bigint, shares: number): SymbolBook | undefined {
    const order = this.orders.get(ref);
    if (!order) {
      this.counters.unknownOrders++;
      return undefined;
    }
    if (shares >= order.shares) {
      if (shares > order.shares) this.counters.overReduced++;
      return this.remove(ref);
    }
    order.shares -= shares;
    (order.buy ? order.book.bids : order.book.asks).reduce(order.price, shares, false);
    return order.book;
  }

  private remove(ref: number | bigint): SymbolBook | undefined {
    const order = this.orders.get(ref);
    if (!order) {
      this.counters.unknownOrders++;
      return undefined;
    }
    this.orders.delete(ref);
    (order.buy ? order.book.bids : order.book.asks).reduce(order.price, order.shares, true);
    return order.book;
  }
}
