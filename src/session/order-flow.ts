// A steady order flow for a session: limit orders with at most `window` unfilled at once, until `count`
// are filled. Used by `tickgate session --orders`, `tickgate start` and the round-trip bench.
import type { AppMessage, FixSession } from './session.js';
import type { ExecutionReport, Order } from './orders.js';

export interface OrderFlowOptions {
  count: number;
  window: number;
  /** ClOrdIDs are `<prefix><n>`, n from 1. */
  prefix: string;
  /** The n-th order (1-based), without its ClOrdID. */
  order: (n: number) => Omit<Order, 'clOrdID'>;
  /** A fill of one of the flow's orders, with the time since that order was sent. */
  onFill?: (report: ExecutionReport, message: AppMessage, roundTripNs: bigint) => void;
}

export interface OrderFlowResult {
  orders: number;
  /** From the first order sent to the last fill received. */
  seconds: number;
}

export class OrderFlow {
  readonly done: Promise<OrderFlowResult>;
  private sent = 0;
  private filled = 0;
  private started: bigint | undefined;
  private readonly open = new Map<string, bigint>();

  constructor(private readonly session: FixSession, private readonly o: OrderFlowOptions) {
    this.done = new Promise((resolve) => {
      session.on('execution', (report, message) => {
        const sentAt = this.open.get(report.clOrdID);
        if (report.ordStatus !== '2' || sentAt === undefined) return;
        this.open.delete(report.clOrdID);
        const now = process.hrtime.bigint();
        o.onFill?.(report, message, now - sentAt);
        if (++this.filled === o.count) resolve({ orders: this.filled, seconds: Number(now - this.started!) / 1e9 });
        else this.topUp();
      });
    });
    session.on('state', () => this.topUp());
    this.topUp();
  }

  private topUp(): void {
    while (this.session.state === 'active' && this.sent < this.o.count && this.open.size < this.o.window) {
      const n = ++this.sent;
      const clOrdID = `${this.o.prefix}${n}`;
      const now = process.hrtime.bigint();
      this.started ??= now;
      this.open.set(clOrdID, now);
      this.session.sendOrder({ clOrdID, ...this.o.order(n) });
    }
  }
}
