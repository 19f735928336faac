// Order books against an independent, straightforward implementation: the golden model of the feed decodes
// each message into named fields, live orders sit in one map, and a book is aggregated again from every
// live order of its stock after each message. Generated trading days, and adversarial order flow (references
// reused, unknown, over-executed; few prices, so levels aggregate; a reference moving between stocks).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeItch, generateItchSession } from '../src/itch/generator.js';
import { decodeMessage } from '../src/itch/ref-decoder.js';
import { OrderBooks, type BookLevel, type BookUpdate } from '../src/serve/order-book.js';
import { OrderTable } from '../src/serve/order-table.js';

const RUNS = Number(process.env.FC_RUNS ?? 100);
const DEPTH = 3;

/** The straightforward books: orders by reference (a decimal string), levels made again on demand. */
class NaiveBooks {
  private readonly orders = new Map<string, { stock: string; buy: boolean; price: number; shares: number }>();

  apply(msg: Buffer, seq: number): BookUpdate[] {
    const d = decodeMessage(msg);
    const f = Object.fromEntries(d.fields) as Record<string, string | number>;
    const ref = String(f.orderReferenceNumber ?? f.originalOrderReferenceNumber);
    const changed: string[] = [];
    const put = (r: string, o: { stock: string; buy: boolean; price: number; shares: number }) => {
      const old = this.orders.get(r);
      if (old) {
        this.orders.delete(r);
        if (old.stock !== o.stock) changed.push(old.stock);
      }
      this.orders.set(r, o);
      changed.push(o.stock);
    };
    const order = this.orders.get(ref);
    switch (d.msgType) {
      case 'S':
        if (f.eventCode !== 'O') break;
        changed.push(...new Set([...this.orders.values()].map((o) => o.stock)));
        changed.sort();
        this.orders.clear();
        break;
      case 'A': case 'F':
        put(ref, { stock: String(f.stock), buy: f.buySellIndicator === 'B', price: Number(f.price), shares: Number(f.shares) });
        break;
      case 'E': case 'C': case 'X': {
        if (!order) break;
        const n = Number(f.executedShares ?? f.cancelledShares);
        if (n >= order.shares) this.orders.delete(ref);
        else order.shares -= n;
        changed.push(order.stock);
        break;
      }
      case 'D':
        if (!order) break;
        this.orders.delete(ref);
        changed.push(order.stock);
        break;
      case 'U':
        if (!order) break;
        this.orders.delete(ref);
        put(String(f.newOrderReferenceNumber), { ...order, price: Number(f.price), shares: Number(f.shares) });
        break;
    }
    return changed.map((stock) => ({ stock, seq, timestamp: Number(f.timestamp), ...this.levels(stock) }));
  }

  private levels(stock: string): { bids: BookLevel[]; asks: BookLevel[] } {
    const side = (buy: boolean) => {
      const by = new Map<number, BookLevel>();
      for (const o of this.orders.values()) {
        if (o.stock !== stock || o.buy !== buy) continue;
        const l = by.get(o.price) ?? { price: o.price, shares: 0, orders: 0 };
        l.shares += o.shares;
        l.orders++;
        by.set(o.price, l);
      }
      return [...by.values()].sort((a, b) => (buy ? b.price - a.price : a.price - b.price)).slice(0, DEPTH);
    };
    return { bids: side(true), asks: side(false) };
  }
}

function compare(messages: Buffer[]): void {
  const books = new OrderBooks(DEPTH);
  const naive = new NaiveBooks();
  messages.forEach((m, i) => {
    expect(books.apply(m, i + 1)).toEqual(naive.apply(m, i + 1));
  });
}

/** Deep books: many prices (so most levels are below the best DEPTH and the level arrays grow), references
 *  on both sides of 2^32 and 2^53, stock locates that name different stocks over time. */
const deepFlow = fc.array(fc.record({
  type: fc.constantFrom('A', 'A', 'F', 'E', 'X', 'D', 'U'),
  ref: fc.integer({ min: 0, max: 40 }), newRef: fc.integer({ min: 0, max: 40 }),
  refBase: fc.constantFrom(0n, 2n ** 32n - 20n, 2n ** 53n - 20n, 2n ** 64n - 41n),
  locate: fc.integer({ min: 0, max: 2 }), stock: fc.constantFrom('AAPL', 'MSFT', 'A'),
  buy: fc.boolean(), price: fc.integer({ min: 1, max: 60 }), shares: fc.integer({ min: 1, max: 50 }),
}).map((o) => encodeItch(o.type, {
  stockLocate: o.locate, orderReferenceNumber: o.refBase + BigInt(o.ref), originalOrderReferenceNumber: o.refBase + BigInt(o.ref),
  newOrderReferenceNumber: o.refBase + BigInt(o.newRef), buySellIndicator: o.buy ? 'B' : 'S', stock: o.stock, price: o.price,
  shares: o.shares, executedShares: o.shares, cancelledShares: o.shares,
})), { minLength: 150, maxLength: 600 });

/** Order flow meant to break a book: 6 references, 3 stocks, 4 prices, any share counts. */
const hostileFlow = fc.array(fc.record({
  type: fc.constantFrom('A', 'F', 'E', 'C', 'X', 'D', 'U', 'P', 'S'), eventCode: fc.constantFrom('O', 'Q'),
  ref: fc.integer({ min: 1, max: 6 }), newRef: fc.integer({ min: 1, max: 6 }),
  stock: fc.constantFrom('AAPL', 'MSFT', 'ZVZZT'), buy: fc.boolean(),
  price: fc.constantFrom(1000, 1001, 1002, 999_999), shares: fc.integer({ min: 0, max: 300 }), timestamp: fc.nat(2 ** 40),
}).map((o) => encodeItch(o.type, {
  timestamp: o.timestamp, orderReferenceNumber: BigInt(o.ref), originalOrderReferenceNumber: BigInt(o.ref), newOrderReferenceNumber: BigInt(o.newRef),
  buySellIndicator: o.buy ? 'B' : 'S', stock: o.stock, price: o.price, shares: o.shares, executedShares: o.shares, cancelledShares: o.shares,
  eventCode: o.eventCode,
})), { minLength: 20, maxLength: 200 });

describe('order books', () => {
  it('match the straightforward books on a generated trading day', () => {
    compare(generateItchSession({ seed: 5, symbols: ['AAPL', 'MSFT', 'NVDA'], messages: 5_000 }));
  });

  it('match them on hostile order flow, and count what they ignored', () => {
    fc.assert(fc.property(hostileFlow, (messages) => compare(messages)), { numRuns: RUNS });
    const books = new OrderBooks(DEPTH);
    const add = (ref: number, stock: string) => encodeItch('A', { orderReferenceNumber: BigInt(ref), buySellIndicator: 'B', shares: 100, stock, price: 5 });
    books.apply(add(1, 'AAPL'), 1);
    expect(books.apply(encodeItch('D', { orderReferenceNumber: 9n }), 2)).toEqual([]);
    expect(books.apply(encodeItch('X', { orderReferenceNumber: 1n, cancelledShares: 500 }), 3)[0]!.bids).toEqual([]);
    books.apply(add(2, 'AAPL'), 4);
    const moved = books.apply(add(2, 'MSFT'), 5);
    expect(moved.map((u) => u.stock)).toEqual(['AAPL', 'MSFT']);
    expect(books.counters).toEqual({ updates: 5, unknownOrders: 1, duplicateOrders: 1, overReduced: 1 });
  });

  it('match them on deep books with references across 2^32, 2^53 and 2^64', () => {
    fc.assert(fc.property(deepFlow, (messages) => compare(messages)), { numRuns: RUNS });
  });

  it('give a sequence number beyond 2^53 as a decimal string', () => {
    const books = new OrderBooks(DEPTH);
    const add = encodeItch('A', { orderReferenceNumber: 1n, buySellIndicator: 'S', shares: 10, stock: 'AAPL', price: 7 });
    expect(books.apply(add, 2n ** 64n - 1n)[0]!.seq).toBe('18446744073709551615');
    expect(books.apply(encodeItch('D', { orderReferenceNumber: 1n }), 2n ** 53n - 1n)[0]!.seq).toBe(2 ** 53 - 1);
  });
});

describe('order table', () => {
  // Keys from a small pool of halves, so probe runs form, wrap around the table's end and are cut by
  // deletions; the table starts at its smallest size (8 slots) and grows.
  const half = fc.constantFrom(0, 1, 2, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff);
  const op = fc.record({ remove: fc.boolean(), hi: half, lo: fc.integer({ min: 0, max: 12 }), value: fc.nat(1000) });
  it('finds, inserts and removes as a Map does', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 300, maxLength: 2000 }), (ops) => {
      const table = new OrderTable();
      const model = new Map<string, number>();
      for (const o of ops) {
        const key = `${o.hi}:${o.lo}`;
        const slot = table.find(o.hi, o.lo);
        expect(slot >= 0).toBe(model.has(key));
        if (slot >= 0) expect(table.price[slot]).toBe(model.get(key));
        if (o.remove && slot >= 0) {
          table.removeAt(slot);
          model.delete(key);
        } else if (!o.remove && slot < 0) {
          const at = table.insert(o.hi, o.lo);
          table.price[at] = o.value;
          model.set(key, o.value);
        }
        expect(table.size).toBe(model.size);
      }
      for (const [key, value] of model) {
        const [hi, lo] = key.split(':').map(Number) as [number, number];
        expect(table.price[table.find(hi, lo)]).toBe(value);
      }
    }), { numRuns: Math.max(20, RUNS / 5) });
  });
});
