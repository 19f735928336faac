// A single-consumer async queue of events: the device pushes batches, one reader iterates.
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: ((r: IteratorResult<T>) => void) | undefined;
  private failWaiter: ((e: unknown) => void) | undefined;
  private done = false;
  private error: unknown;
  private watermarks: { high: number; low: number; onHigh: () => void; onLow: () => void; above: boolean } | undefined;
  /** Items the reader has taken so far. */
  taken = 0;

  /** Calls onHigh when more than `high` items wait, then onLow once the reader has brought them to `low`. */
  setWatermarks(high: number, low: number, onHigh: () => void, onLow: () => void): void {
    this.watermarks = { high, low, onHigh, onLow, above: false };
  }

  push(items: readonly T[]): void {
    if (this.done) return;
    for (const item of items) this.items.push(item);
    this.wake();
    const w = this.watermarks;
    if (w && !w.above && this.size > w.high) {
      w.above = true;
      w.onHigh();
    }
  }

  /** Ends the iteration after the queued items; with an error, the reader gets it after them. */
  finish(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.error = error;
    this.wake();
  }

  get size(): number {
    return this.items.length - this.head;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) return Promise.resolve({ value: this.take(), done: false });
    if (this.done) return this.error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failWaiter = reject;
    });
  }

  /** Up to `max` items at once (at least one), or undefined at the end: for a reader that takes many items
   *  per turn, without a promise per item. */
  async nextBatch(max = 4096): Promise<T[] | undefined> {
    if (this.head >= this.items.length) {
      const first = await this.next();
      if (first.done) return undefined;
      const rest = this.takeMany(max - 1);
      rest.unshift(first.value);
      return rest;
    }
    return this.takeMany(max);
  }

  return(): Promise<IteratorResult<T>> {
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private takeMany(max: number): T[] {
    const n = Math.min(max, this.items.length - this.head);
    const out = this.items.slice(this.head, this.head + n);
    this.head += n;
    this.taken += n;
    this.tookSome();
    return out;
  }

  private take(): T {
    const item = this.items[this.head++]!;
    this.taken++;
    this.tookSome();
    return item;
  }

  private tookSome(): void {
    const w = this.watermarks;
    if (w?.above && this.size <= w.low) {
      w.above = false;
      w.onLow();
    }
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private wake(): void {
    const resolve = this.waiter;
    const reject = this.failWaiter;
    if (!resolve || !reject) return;
    this.waiter = this.failWaiter = undefined;
    if (this.head < this.items.length) resolve({ value: this.take(), done: false });
    else if (this.done) this.error === undefined ? resolve({ value: undefined, done: true }) : reject(this.error);
    else { this.waiter = resolve; this.failWaiter = reject; }
  }
}
