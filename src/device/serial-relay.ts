// The serial backend's relay thread: forks the link process (serial-host.ts) and passes messages between it
// and the main thread. Answers to the main thread's synchronous calls go into shared memory, where the main
// thread waits for them with Atomics.wait: the main thread's event loop may be blocked, this thread's is not.
import { fork } from 'node:child_process';
import { parentPort, workerData } from 'node:worker_threads';
import { SHARED, type HostMessage, type LinkRequest, type RelayData, type RelayMessage } from './serial-shared.js';

const { shared, options, hostModule } = workerData as RelayData;
const ctl = new Int32Array(shared, 0, SHARED.ints);
const acked = new BigInt64Array(shared, SHARED.ackedOffset, 1);
const text = new Uint8Array(shared, SHARED.textOffset, SHARED.textBytes);

function answer(value: number, resp: number, message?: string): void {
  ctl[SHARED.value] = value | 0;
  ctl[SHARED.resp] = resp;
  const bytes = Buffer.from(message ?? '', 'utf8').subarray(0, SHARED.textBytes);
  text.set(bytes);
  ctl[SHARED.textLength] = message === undefined ? -1 : bytes.length;
  Atomics.add(ctl, SHARED.serial, 1);
  Atomics.notify(ctl, SHARED.serial);
}

const where = `serial device ${options.port}`;
const child = fork(hostModule, [JSON.stringify(options)], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
let ended = false;

child.on('message', (m: HostMessage) => {
  if (m.type === 'answer') { answer(m.value, m.resp, m.text); return; }
  if (m.type === 'batch') Atomics.store(acked, 0, BigInt(m.acked));
  parentPort!.postMessage(m satisfies RelayMessage);
});
child.on('exit', (code, signal) => {
  if (ended) return;
  ended = true;
  const why = `${where}: the link process ended (${signal ?? `status ${code}`})`;
  answer(0, -1, why);
  parentPort!.postMessage({ type: 'failed', error: why } satisfies RelayMessage);
  parentPort!.close();
});
parentPort!.on('message', (m: LinkRequest) => {
  if (m.op === 'close') ended = true;
  if (child.connected) child.send(m);
  else answer(0, -1, `${where}: the link process has ended`);
});
child.on('disconnect', () => { if (ended) parentPort!.close(); });
