// Order books (src/serve/order-book.ts) on a generated trading day: every ITCH message applied in order,
// each book-changing one giving its BookUpdate (10 levels a side), counted. Against it, in the same process,
// the same messages decoded into golden-model field objects alone: what a book built on those would pay
// before it did any work.
import { generateItchSession } from '../src/itch/generator.js';
import { decodeMessage } from '../src/itch/ref-decoder.js';
import { OrderBooks } from '../src/serve/order-book.js';
import { median, repeat } from './stats.js';

export interface OrderBookRates {
  messages: number;
  updates: number;
  updatesPerSecond: number;
  fieldDecodePerSecond: number;
  runs: number;
}

export async function orderBookRates(runs: number): Promise<OrderBookRates> {
  const messages = generateItchSession({ seed: 9, symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'META', 'GOOG', 'AMD'], messages: 500_000 });
  const books = await repeat(runs, () => {
    const b = new OrderBooks(10);
    let updates = 0;
    for (let i = 0; i < messages.length; i++) updates += b.apply(messages[i]!, i + 1).length;
    return updates;
  });
  const decode = await repeat(runs, () => {
    let n = 0;
    for (const m of messages) n += decodeMessage(m).fields.length;
    return n;
  });
  return {
    messages: messages.length, updates: books.result,
    updatesPerSecond: books.result / median(books.seconds), fieldDecodePerSecond: messages.length / median(decode.seconds), runs,
  };
}
