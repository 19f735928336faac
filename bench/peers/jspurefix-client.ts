// jspurefix (a real JavaScript FIX engine) as the trading client for the round-trip comparison: logs on to
// the counterparty, keeps `window` limit orders unfilled at once until `orders` are filled, logs out.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface ClientRun {
  orders: number;
  seconds: number;
}

export interface JspurefixClientOptions {
  port: number;
  senderCompID: string;
  targetCompID: string;
  orders: number;
  window: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function runJspurefixClient(o: JspurefixClientOptions): Promise<ClientRun> {
  require('reflect-metadata');
  const jf = require('jspurefix');
  const silent = new jf.JsFixWinstonLogFactory(jf.WinstonLogger.consoleOptions('error'));
  let resolveRun!: (r: ClientRun) => void;
  let rejectRun!: (e: Error) => void;
  const finished = new Promise<ClientRun>((resolve, reject) => { resolveRun = resolve; rejectRun = reject; });

  class OrderClient extends jf.AsciiSession {
    private sent = 0;
    private filled = 0;
    private readonly open = new Set<string>();
    private started = 0n;
    constructor(config: unknown) {
      super(config);
      (this as any).logReceivedMsgs = false;
    }
    private topUp(): void {
      while (this.sent < o.orders && this.open.size < o.window) {
        const id = `js-${++this.sent}`;
        this.open.add(id);
        (this as any).send('D', {
          ClOrdID: id, Instrument: { Symbol: 'AAPL' }, Side: this.sent % 2 ? '1' : '2', TransactTime: new Date(),
          OrderQtyData: { OrderQty: 100 }, OrdType: '2', Price: 100 + (this.sent % 50) / 100,
        });
      }
    }
    protected onApplicationMsg(msgType: string, view: any): void {
      if (msgType !== '8') return;
      const id = view.getString('ClOrdID') as string;
      if (view.getString('OrdStatus') !== '2' || !this.open.delete(id)) return;
      if (++this.filled === o.orders) {
        resolveRun({ orders: this.filled, seconds: Number(process.hrtime.bigint() - this.started) / 1e9 });
        (this as any).done();
      } else {
        this.topUp();
      }
    }
    protected onReady(): void {
      this.started = process.hrtime.bigint();
      this.topUp();
    }
    protected onLogon(): boolean { return true; }
    protected onStopped(error?: Error): void { if (error) rejectRun(error); }
    protected onDecoded(): void { /* no log */ }
    protected onEncoded(): void { /* no log */ }
  }

  const system = new jf.SessionContainer();
  system.registerGlobal(silent);
  const container = await system.makeSystem({
    application: { type: 'initiator', name: 'bench_client', reconnectSeconds: 0, tcp: { host: '127.0.0.1', port: o.port }, protocol: 'ascii', dictionary: 'qf44' },
    EncryptMethod: 0, ResetSeqNumFlag: true, HeartBtInt: 30, SenderCompId: o.senderCompID, TargetCompID: o.targetCompID, BeginString: 'FIX.4.4',
  });
  container.register(jf.DITokens.FixSession, { useFactory: (c: any) => new OrderClient(c.resolve(jf.DITokens.IJsFixConfig)) });
  const entity = container.resolve(jf.DITokens.FixEntity);
  const run = entity.start() as Promise<unknown>;
  const result = await finished;
  await Promise.race([run, new Promise((r) => setTimeout(r, 3000))]);
  return result;
}
