// The PCIe path through the emulator (`tickgate emulate pcie`): records per second and MB/s that reach the
// host through the emulated card-to-host DMA, a trading day of ITCH packets in through host-to-card writes.
// The emulator clocks the Verilated board top (shell, clock crossings, core), so this is the simulator's
// speed seen through the xdma driver's file semantics, not a card's.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emulatorPath } from '../src/cli/emulate.js';
import { PcieDevice } from '../src/device/pcie-device.js';
import { configureFeed } from '../src/itch/device-feed.js';
import { RECORD_BYTES } from '../src/device/generated/layout.js';
import { median, timed } from './stats.js';

export interface PcieRates {
  messages: number;
  records: number;
  recordsPerSecond: number;
  megabytesPerSecond: number;
  runs: number;
}

export async function pcieEmulatedRates(packets: Buffer[], messages: number, runs: number): Promise<PcieRates> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickgate-bench-pcie-'));
  mkdirSync(path.join(dir, 'card'));
  const emulator = spawn(emulatorPath(), [path.join(dir, 'card')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const device = await new Promise<string>((resolve, reject) => {
      emulator.stdout!.once('data', (d: Buffer) => resolve(/^ready (\S+)/.exec(d.toString())?.[1] ?? ''));
      emulator.once('exit', (code) => reject(new Error(`the PCIe emulator exited ${code}`)));
    });
    const seconds: number[] = [];
    let records = 0;
    for (let run = 0; run < runs; run++) {
      const dev = new PcieDevice({ device });
      configureFeed(dev);
      let n = 0;
      const reading = (async () => { for await (const ev of dev.events()) if (ev.kind === 'feed_record') n++; })();
      const t = await timed(async () => {
        for (const p of packets) await dev.sendFeed(p);
        await dev.flush();
      });
      await dev.close();
      await reading;
      seconds.push(t.seconds);
      records = n;
    }
    const s = median(seconds);
    return { messages, records, recordsPerSecond: records / s, megabytesPerSecond: records * RECORD_BYTES / s / 1e6, runs };
  } finally {
    emulator.kill('SIGTERM');
    await new Promise((resolve) => emulator.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
