// The serial link through the emulator (`tickgate emulate serial`): how much of the emulated UART line the
// link turns into payload. Counted in the board's cycles (the emulator's line runs at CLKS_PER_BIT cycles a
// bit, so its capacity is cycles / (10 x CLKS_PER_BIT) bytes each way), not in wall time, which is only the
// simulator's speed. The board-to-host direction carries the records and is the bottleneck: a 64-byte record
// travels in a frame of 6 header, 4 CRC and 2 delimiter bytes (and an escape for each 0xC0 or 0xDB in it), so
// the framing ceiling is at most 64/76 of the line.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serialEmulatorPath } from '../src/cli/emulate.js';
import { packageRoot } from '../src/device/addon.js';
import { SerialDevice } from '../src/device/serial-device.js';
import { configureFeed } from '../src/itch/device-feed.js';
import { RECORD_BYTES, REG, SERIAL_LINK } from '../src/device/generated/layout.js';

export interface SerialLinkRates {
  messages: number;
  records: number;
  clksPerBit: number;
  boardCycles: number;
  /** Record bytes delivered / the line's capacity to the host in those cycles. */
  payloadOfLine: number;
  /** The framing's ceiling for records: 64 / (64 + header + CRC + 2 delimiters). */
  framingCeiling: number;
  /** payloadOfLine / framingCeiling. */
  ofCeiling: number;
  /** What that means at 3,000,000 baud: record payload kB/s and records/s. */
  at3MBaud: { payloadKBytesPerSecond: number; recordsPerSecond: number };
  wallSeconds: number;
  link: unknown;
}

/** The emulator's bit time, as sim/Makefile builds it. */
function emulatorClksPerBit(): number {
  const m = /^SERIAL_CLKS_PER_BIT\s*\?=\s*(\d+)/m.exec(readFileSync(path.join(packageRoot(), 'sim', 'Makefile'), 'utf8'));
  if (!m) throw new Error('sim/Makefile does not say SERIAL_CLKS_PER_BIT');
  return Number(m[1]);
}

export async function serialLinkRates(packets: Buffer[], messages: number): Promise<SerialLinkRates> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickgate-bench-serial-'));
  const link = path.join(dir, 'tty');
  const emulator = spawn(serialEmulatorPath(), [link], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise<void>((resolve, reject) => {
      emulator.stdout!.once('data', () => resolve());
      emulator.once('exit', (code) => reject(new Error(`the serial emulator exited ${code}`)));
    });
    const dev = new SerialDevice({ port: link });
    configureFeed(dev);
    let records = 0;
    const reading = (async () => { for await (const ev of dev.events()) if (ev.kind === 'feed_record') records++; })();
    const c0 = dev.readReg64(REG.CYCLE_LO);
    const t0 = performance.now();
    for (const p of packets) await dev.sendFeed(p);
    await dev.flush();
    const wallSeconds = (performance.now() - t0) / 1000;
    const c1 = dev.readReg64(REG.CYCLE_LO);
    const sent = dev.readReg(REG.EVENTS_OUT);
    const stats = dev.linkStats();
    await dev.close();
    await reading;
    const clksPerBit = emulatorClksPerBit();
    const boardCycles = Number(c1 - c0);
    const lineBytes = boardCycles / (10 * clksPerBit);
    const payloadOfLine = (sent * RECORD_BYTES) / lineBytes;
    const framingCeiling = RECORD_BYTES / (RECORD_BYTES + SERIAL_LINK.headerBytes + SERIAL_LINK.crcBytes + 2);
    const ofCeiling = payloadOfLine / framingCeiling;
    const lineAt3M = 3_000_000 / 10;
    return {
      messages, records, clksPerBit, boardCycles, payloadOfLine, framingCeiling, ofCeiling,
      at3MBaud: { payloadKBytesPerSecond: payloadOfLine * lineAt3M / 1000, recordsPerSecond: payloadOfLine * lineAt3M / RECORD_BYTES },
      wallSeconds, link: stats,
    };
  } finally {
    emulator.kill('SIGTERM');
    await new Promise((resolve) => emulator.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
