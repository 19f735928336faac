// `npm start`: a simulated exchange on loopback TCP sends FIX execution reports (with one burst of line
// noise and a message cut off by the disconnect); the client side feeds the TCP byte stream into the device
// and prints each event record as NDJSON, then the device counters.
import net from 'node:net';
import { openDevice, type BackendName, type Device } from '../device/index.js';
import { REG } from '../device/generated/layout.js';
import { fixReceiverCounters } from '../device/counters.js';
import { decodeFixStream } from '../fix/decode.js';
import { sampleExchangeMessages } from '../fix/sample-session.js';

export interface DemoOptions {
  messages: number;
  backend: BackendName;
}

/** The simulated exchange: writes its messages in uneven TCP writes, then hangs up mid-message. */
function startExchange(messages: Buffer[]): Promise<net.Server> {
  const noise = Buffer.from('\r\nGARBLED LINE NOISE\x01\x01', 'latin1');
  const server = net.createServer((socket) => {
    const wire = Buffer.concat([...messages.slice(0, messages.length >> 1), noise, ...messages.slice(messages.length >> 1)]);
    const cut = messages[0]!.subarray(0, 20);
    let at = 0;
    let step = 1;
    const pump = () => {
      while (at < wire.length) {
        step = (step * 7919 + 13) % 1500;
        const piece = wire.subarray(at, Math.min(wire.length, at + 1 + step));
        at += piece.length;
        if (!socket.write(piece)) { socket.once('drain', pump); return; }
      }
      socket.end(cut);
    };
    pump();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

function counters(device: Device): Record<string, number | string> {
  return {
    ...fixReceiverCounters(device),
    events: device.readReg(REG.EVENTS_OUT),
    deviceCycles: device.readReg64(REG.CYCLE_LO).toString(),
  };
}

export async function runDemo({ messages, backend }: DemoOptions): Promise<void> {
  const exchange = await startExchange(sampleExchangeMessages({ messages, seed: 7 }));
  const port = (exchange.address() as net.AddressInfo).port;
  const device = openDevice({ backend });
  try {
    process.stderr.write(`tickgate demo: exchange on 127.0.0.1:${port}, ${messages} FIX messages, ${backend} backend\n`);
    const socket = await connect(port);
    const started = process.hrtime.bigint();
    await decodeFixStream(device, socket, (text) => { process.stdout.write(text); });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stderr.write(`tickgate demo: done in ${ms.toFixed(1)} ms; device counters ${JSON.stringify(counters(device))}\n`);
  } finally {
    await device.close();
    exchange.close();
  }
}
