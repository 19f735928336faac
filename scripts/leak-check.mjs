#!/usr/bin/env node
// Leak check of the native addon: runs a workload (threaded and stepped devices, traces, bad arguments,
// close while busy) under valgrind memcheck and fails on any definite or indirect leak or memory error.
// Needs the build (`npm run build`). Takes a minute or two: node under valgrind is slow.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function workload() {
  const { SimDevice, SteppedSimDevice } = await import(path.join(root, 'dist/src/device/sim-device.js'));
  const { sampleExchangeMessages } = await import(path.join(root, 'dist/src/fix/sample-session.js'));
  const { REG } = await import(path.join(root, 'dist/src/device/generated/layout.js'));
  const { generateItchSession, moldPacketize } = await import(path.join(root, 'dist/src/itch/generator.js'));
  const { configureFeed, DeviceFeed } = await import(path.join(root, 'dist/src/itch/device-feed.js'));
  // the feed path once (its locate table clears for 65,536 cycles after reset, slow under valgrind)
  const packets = moldPacketize(generateItchSession({ seed: 1, symbols: ['AAPL'], messages: 300 }), { session: 'LEAK000001', firstSeq: 1 });
  const feedDev = new SimDevice();
  configureFeed(feedDev, ['AAPL']);
  const feed = new DeviceFeed(feedDev, () => {});
  for (const p of packets) await feed.send(p);
  await feed.finish();
  for (const bad of [() => feedDev.sendFeed('x'), () => feedDev.readReg(0)]) {
    try { await bad(); } catch { /* expected: closed, bad argument */ }
  }
  // the order path: limits committed, orders through the risk gate, verdicts and forwarded bytes back
  const { configureRisk, OrderPathReader } = await import(path.join(root, 'dist/src/risk/device-risk.js'));
  const { riskLimits, riskSchema } = await import(path.join(root, 'dist/src/risk/config.js'));
  const { buildMessage } = await import(path.join(root, 'dist/src/fix/message.js'));
  const riskDev = new SimDevice();
  configureRisk(riskDev, riskLimits(riskSchema.parse({ maxOrdersPerSecond: 1e6, burst: 10,
    symbols: { AAPL: { maxQty: 100, maxNotional: 1e6, referencePrice: 190, collarBps: 500, maxPosition: 1000 } } })));
  const orders = Buffer.concat(Array.from({ length: 40 }, (_, k) => buildMessage('FIX.4.4', [[35, 'D'], [34, String(k + 2)], [11, `o${k}`],
    [55, k % 5 ? 'AAPL' : 'MSFT'], [54, '1'], [38, String(10 + k)], [40, '2'], [44, '190']])));
  const reader = new OrderPathReader();
  const reading = (async () => { for await (const e of riskDev.events()) reader.push(e); })();
  await riskDev.sendOrders(orders, { end: true });
  await riskDev.flush();
  await riskDev.close();
  await reading;
  if (reader.out.verdicts.length !== 40) throw new Error(`leak workload: ${reader.out.verdicts.length} verdicts for 40 orders`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickgate-leak-'));
  const wire = Buffer.concat(sampleExchangeMessages({ messages: 200 }));
  for (let round = 0; round < 3; round++) {
    const dev = new SimDevice(round === 0 ? { trace: path.join(dir, 'trace.fst') } : {});
    dev.writeReg(REG.CONTROL, 1);
    await dev.send(wire, { end: true });
    for await (const e of dev.events()) if (e.kind === 'stream_end') break;
    await dev.close();
    const busy = new SimDevice();
    busy.writeReg(REG.CONTROL, 1);
    await busy.send(wire);
    await busy.close();  // while the clock thread still has work
    const stepped = new SteppedSimDevice();
    stepped.writeReg(REG.CONTROL, 1);
    stepped.sendNow(wire, { end: true });
    stepped.step(20_000);
    for (const bad of [() => stepped.readReg(0xFFC), () => stepped.writeReg(3, 1), () => stepped.step(-1)]) {
      try { bad(); } catch { /* expected */ }
    }
    stepped.close();
  }
  rmSync(dir, { recursive: true, force: true });
}

if (process.env.TICKGATE_LEAK_WORKLOAD) {
  await workload();
} else {
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'tickgate-vg-')), 'valgrind.log');
  const r = spawnSync('valgrind', ['--leak-check=full', '--show-leak-kinds=definite,indirect',
    `--suppressions=${path.join(root, 'scripts', 'valgrind-node.supp')}`,
    '--errors-for-leak-kinds=definite,indirect', '--error-exitcode=99', `--log-file=${log}`,
    process.execPath, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, TICKGATE_LEAK_WORKLOAD: '1' } });
  if (r.error) { console.error(`leak-check: cannot run valgrind (apt-get install valgrind): ${r.error.message}`); process.exit(1); }
  const text = readFileSync(log, 'utf8');
  for (const line of text.split('\n')) if (/definitely lost|indirectly lost|ERROR SUMMARY/.test(line)) console.log(line.replace(/^==\d+==\s*/, ''));
  console.log(r.status === 0 ? 'leak-check: clean' : `leak-check: FAILED (valgrind exit ${r.status}; log ${log})`);
  process.exit(r.status === 0 ? 0 : 1);
}
