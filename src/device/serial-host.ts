// The serial backend's link process: owns the serial port (the `serialport` package) and the host end of the
// link (serial-link.ts), so the link keeps time and answers the board while the tickgate process is busy or
// blocked in a register access. A process, not a worker thread: serialport's reader polls on the main
// thread's event loop (serialport/node-serialport#2974), so it runs only on a process's main thread. It is
// forked by the relay thread of serial-device.ts; requests come in over the IPC channel, answers, record
// batches and failures go back the same way. It ends when its parent goes away.
import { SerialPort } from 'serialport';
import { DEVICE_ID, DEVICE_VERSION, RECORD_BYTES, REG, REG_BIT, SERIAL_LINK } from './generated/layout.js';
import { hexAddr } from './device.js';
import { HostLink, type StreamKind } from './serial-link.js';
import { ORDER_FRAME_DROPPED } from './events.js';
import type { HostMessage, LinkRequest, SerialLinkOptions } from './serial-shared.js';

const data = JSON.parse(process.argv[2] ?? '{}') as SerialLinkOptions;
const where = `serial device ${data.port}`;
const post = (m: HostMessage) => process.send!(m);

/** Answers the waiting call; `text` is an error message when resp is -1. */
function answer(value: number, resp: number, text?: string): void {
  post({ type: 'answer', value, resp, text });
}

class DeviceError extends Error {}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const port = new SerialPort({ path: data.port, baudRate: data.baud, autoOpen: false });
let records: Buffer[] = [];
let orderBytes: Buffer[] = [];
let orderLength = 0;
let orderEnds: number[] = [];
let recordsReceived = 0;
let orderBytesReceived = 0;
const payloadSent = { fix: 0, feed: 0, orders: 0 };
let failed: string | undefined;

const link = new HostLink({
  write: (bytes) => port.write(bytes),
  onRecords: (r) => { records.push(Buffer.from(r)); recordsReceived++; },
  onOrderBytes: (bytes, end, dropped) => {
    orderBytes.push(Buffer.from(bytes));
    orderLength += bytes.length;
    orderBytesReceived += bytes.length;
    if (end) orderEnds.push((orderLength | (dropped ? ORDER_FRAME_DROPPED : 0)) >>> 0);
  },
  resendMs: data.resendMs,
});

/** What arrived since the last batch, to the main thread. */
function flushBatch(idleSerial?: number): void {
  if (!records.length && !orderEnds.length && !orderLength && idleSerial === undefined && !batchWanted) return;
  batchWanted = false;
  const rec = Buffer.concat(records);
  const out = Buffer.concat(orderBytes);
  const ends = Buffer.alloc(4 * orderEnds.length);
  orderEnds.forEach((e, i) => ends.writeUInt32LE(e, 4 * i));
  records = [];
  orderBytes = [];
  orderLength = 0;
  orderEnds = [];
  post({ type: 'batch', records: rec, orderOut: out, orderEnds: ends, acked: link.acknowledgedBytes, idleSerial });
}
let batchWanted = false;

function fail(why: string): void {
  if (failed) return;
  failed = `${where}: ${why}`;
  flushBatch();
  post({ type: 'failed', error: failed });
}

// a serial port delivers a few bytes at a time: batches leave every couple of milliseconds, not per chunk
let flushTimer: NodeJS.Timeout | undefined;
port.on('data', (chunk: Buffer) => {
  const before = link.acknowledgedBytes;
  link.receive(chunk);
  if (link.acknowledgedBytes !== before) batchWanted = true;
  flushTimer ??= setTimeout(() => { flushTimer = undefined; flushBatch(); }, 2);
});
port.on('error', (err) => fail(err.message));
port.on('close', () => { if (!closing) fail('the port closed (was the board unplugged?)'); });
let closing = false;

const timer = setInterval(() => {
  link.tick();
  if (!failed && link.stalledFor() > data.timeoutMs) {
    fail(link.waitingForWindow
      ? `stopped taking input: its ingress stayed full for ${data.timeoutMs} ms (is its ingress disabled in CONTROL?)`
      : `the board stopped answering: nothing acknowledged for ${data.timeoutMs} ms`);
  }
}, 5);

async function register(write: boolean, addr: number, value = 0): Promise<number> {
  if (failed) throw new DeviceError(failed);
  const a = await withTimeout(write ? link.writeRegister(addr, value) : link.readRegister(addr), `the register ${write ? 'write' : 'read'} at ${hexAddr(addr)}`);
  if (a.resp !== 0) throw new RegisterRefused(`register ${write ? 'write' : 'read'} at ${hexAddr(addr)} refused (${a.resp === 2 ? 'SLVERR' : 'DECERR'})`, a.resp);
  if (write && addr === REG.COUNTER_CLEAR && (value & 1)) {
    // the counters the idle check compares with restart from zero
    payloadSent.fix = payloadSent.feed = payloadSent.orders = 0;
    recordsReceived = 0;
    orderBytesReceived = 0;
  }
  return a.value;
}
class RegisterRefused extends Error {
  constructor(message: string, readonly resp: number) { super(message); }
}

async function read64(lo: number): Promise<bigint> {
  const l = await register(false, lo);
  const h = await register(false, lo + 4);
  return (BigInt(h >>> 0) << 32n) | BigInt(l >>> 0);
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new DeviceError(`${where}: no answer to ${what} within ${data.timeoutMs} ms`)), data.timeoutMs);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

/** A session from a clean board: link and core reset, tables cleared. */
async function resetBoard(): Promise<void> {
  const info = await withTimeout(link.sync(), 'a link reset (is the board programmed with tickgate, and the baud rate right?)');
  if (info.version !== SERIAL_LINK.version) throw new DeviceError(`${where}: link version ${info.version}, this host speaks ${SERIAL_LINK.version}: build the bitstream from this checkout`);
  payloadSent.fix = payloadSent.feed = payloadSent.orders = 0;
  recordsReceived = 0;
  orderBytesReceived = 0;
  const deadline = performance.now() + data.timeoutMs;
  for (;;) {
    const feed = await register(false, REG.FEED_STATUS);
    const risk = await register(false, REG.RISK_STATUS);
    if (!((feed >> REG_BIT.FEED_STATUS_CLEARING) & 1) && !((risk >> REG_BIT.RISK_STATUS_CLEARING) & 1)) break;
    if (performance.now() > deadline) throw new DeviceError(`${where}: timed out waiting for the core's tables to clear after reset`);
  }
}

async function open(): Promise<void> {
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(new DeviceError(`${where}: ${err.message.replace(/^Error: /, '')}`)) : resolve())));
  await resetBoard();
  const hex = (v: number) => '0x' + (v >>> 0).toString(16).toUpperCase().padStart(8, '0');
  const id = await register(false, REG.ID);
  if (id >>> 0 !== DEVICE_ID) throw new DeviceError(`${where}: is not a tickgate board: ID reads ${hex(id)}, expected ${hex(DEVICE_ID)}`);
  const version = await register(false, REG.VERSION);
  if (version >>> 0 !== DEVICE_VERSION) {
    throw new DeviceError(`${where}: bitstream version ${hex(version)} does not match this host's layout ${hex(DEVICE_VERSION)}: build the bitstream from this checkout (npm run bitstream)`);
  }
  const recordBytes = await register(false, REG.RECORD_BYTES);
  if (recordBytes !== RECORD_BYTES) throw new DeviceError(`${where}: records of ${recordBytes} bytes, this host decodes ${RECORD_BYTES}`);
}

// ---- idle: everything sent so far processed and its output here (the pcie backend's check, over the link) ----
const DRAIN_CYCLES = 256n;
let idleWanted = -1;
let idleRunning = false;

async function idleCheck(serial: number): Promise<void> {
  while (!link.settled) {
    if (failed) return;
    await sleep(1);
  }
  const sent = { ...payloadSent };
  for (;;) {
    const [fix, feed, orders] = [await read64(REG.FIX_BYTES_LO), await read64(REG.FEED_BYTES_LO), await read64(REG.ORDER_BYTES_IN_LO)];
    if (fix >= BigInt(sent.fix) && feed >= BigInt(sent.feed) && orders >= BigInt(sent.orders)) break;
    await sleep(1);
  }
  let events = await register(false, REG.EVENTS_OUT);
  let out = await read64(REG.ORDER_BYTES_OUT_LO);
  for (;;) {
    const start = await read64(REG.CYCLE_LO);
    while ((await read64(REG.CYCLE_LO)) - start < DRAIN_CYCLES) { /* a few link round trips */ }
    const eventsNow = await register(false, REG.EVENTS_OUT);
    const outNow = await read64(REG.ORDER_BYTES_OUT_LO);
    const drained = eventsNow === events && outNow === out;
    events = eventsNow;
    out = outNow;
    if (drained && (recordsReceived >>> 0) === (events >>> 0) && BigInt(orderBytesReceived) >= out) break;
    await sleep(1);
  }
  flushBatch(serial);
}

async function runIdleChecks(): Promise<void> {
  if (idleRunning) return;
  idleRunning = true;
  try {
    while (idleWanted >= 0 && !failed) {
      const serial = idleWanted;
      idleWanted = -1;
      await idleCheck(serial);
    }
  } catch (err) {
    fail((err as Error).message.replace(`${where}: `, ''));
  } finally {
    idleRunning = false;
  }
}

// ---- requests from the main thread, in order ---------------------------------------------------------------
let chain: Promise<void> = Promise.resolve();
process.on('disconnect', () => process.exit(0));
process.on('message', (m: LinkRequest) => {
  if (m.op === 'data') {
    // stream bytes go to the link at once; only requests wait for each other
    const kind: StreamKind = m.kind;
    payloadSent[kind] += m.bytes.length;
    link.send(kind, m.bytes, m.end);
    return;
  }
  if (m.op === 'idle') {
    idleWanted = Math.max(idleWanted, m.serial);
    void runIdleChecks();
    return;
  }
  chain = chain.then(async () => {
    try {
      switch (m.op) {
        case 'open': await open(); answer(0, 0); break;
        case 'reset': await resetBoard(); answer(0, 0); break;
        case 'reg': answer(await register(m.write, m.addr, m.value), 0); break;
        case 'stats': {
          const board = await withTimeout(link.stats(), 'a request for the link counters');
          answer(0, 0, JSON.stringify({ board: Object.fromEntries(SERIAL_LINK.counters.map((name, i) => [name, board[i] ?? 0])), host: link.counters }));
          break;
        }
        case 'close':
          closing = true;
          clearInterval(timer);
          await new Promise<void>((resolve) => (port.isOpen ? port.drain(() => port.close(() => resolve())) : resolve()));
          answer(0, 0);
          process.disconnect();
          break;
      }
    } catch (err) {
      answer(0, err instanceof RegisterRefused ? err.resp : -1, (err as Error).message);
    }
  });
});
