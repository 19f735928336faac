// Typed orders and execution reports: what a strategy sends and gets back, and their FIX fields per version.
import type { FieldList } from '../fix/message.js';
import { fixTime, MSG, TAG, type Fields } from './codec.js';

export type Side = 'buy' | 'sell';
export type OrdType = 'market' | 'limit';

export interface Order {
  clOrdID: string;
  symbol: string;
  side: Side;
  qty: string | number;
  ordType: OrdType;
  /** Limit price, as a decimal string or number; required for limit orders. */
  price?: string | number;
  account?: string;
}

export interface ExecutionReport {
  clOrdID: string;
  orderID: string;
  execID: string;
  execType: string;
  ordStatus: string;
  symbol: string;
  side: Side | string;
  lastQty: string | undefined;
  lastPx: string | undefined;
  cumQty: string | undefined;
  leavesQty: string | undefined;
  avgPx: string | undefined;
  text: string | undefined;
}

const SIDE_CODE: Record<Side, string> = { buy: '1', sell: '2' };
const ORD_TYPE_CODE: Record<OrdType, string> = { market: '1', limit: '2' };

export function newOrderSingle(order: Order, beginString: string, now = Date.now()): FieldList {
  if (order.ordType === 'limit' && order.price === undefined) throw new Error(`order ${order.clOrdID}: a limit order needs a price`);
  const body: Array<[number, string]> = [[TAG.ClOrdID, order.clOrdID]];
  if (order.account !== undefined) body.push([1, order.account]);
  if (beginString === 'FIX.4.2') body.push([21, '1']); // HandlInst, required in 4.2
  body.push([TAG.Symbol, order.symbol], [TAG.Side, SIDE_CODE[order.side]], [TAG.TransactTime, fixTime(now)], [TAG.OrderQty, String(order.qty)],
    [TAG.OrdType, ORD_TYPE_CODE[order.ordType]]);
  if (order.price !== undefined) body.push([TAG.Price, String(order.price)]);
  return body;
}

export function executionReportOf(f: Fields): ExecutionReport {
  const side = f.get(TAG.Side);
  return {
    clOrdID: f.get(TAG.ClOrdID) ?? '',
    orderID: f.get(TAG.OrderID) ?? '',
    execID: f.get(TAG.ExecID) ?? '',
    execType: f.get(TAG.ExecType) ?? '',
    ordStatus: f.get(TAG.OrdStatus) ?? '',
    symbol: f.get(TAG.Symbol) ?? '',
    side: side === '1' ? 'buy' : side === '2' ? 'sell' : side ?? '',
    lastQty: f.get(TAG.LastQty),
    lastPx: f.get(TAG.LastPx),
    cumQty: f.get(TAG.CumQty),
    leavesQty: f.get(TAG.LeavesQty),
    avgPx: f.get(TAG.AvgPx),
    text: f.get(TAG.Text),
  };
}

/** The fill the simulated exchange sends for a NewOrderSingle: all of it at the limit price (market
 *  orders at `marketPrice`). Field sets follow the version's ExecutionReport. */
export function fillFor(order: Fields, beginString: string, ids: { orderID: string; execID: string }, marketPrice = '100'): { msgType: string; body: FieldList } {
  const qty = order.get(TAG.OrderQty) ?? '0';
  const price = order.get(TAG.Price) ?? marketPrice;
  const body: Array<[number, string]> = [
    [TAG.AvgPx, price], [TAG.ClOrdID, order.get(TAG.ClOrdID) ?? ''], [TAG.CumQty, qty], [TAG.ExecID, ids.execID],
  ];
  if (beginString === 'FIX.4.2') body.push([20, '0']); // ExecTransType NEW
  body.push([TAG.LastPx, price], [TAG.LastQty, qty], [TAG.OrderID, ids.orderID], [TAG.OrderQty, qty], [TAG.OrdStatus, '2'],
    [TAG.OrdType, order.get(TAG.OrdType) ?? '2']);
  if (order.get(TAG.Price) !== undefined) body.push([TAG.Price, price]);
  body.push([TAG.Side, order.get(TAG.Side) ?? '1'], [TAG.Symbol, order.get(TAG.Symbol) ?? ''],
    [TAG.ExecType, beginString === 'FIX.4.2' ? '2' : 'F'], [TAG.LeavesQty, '0']);
  return { msgType: MSG.ExecutionReport, body };
}
