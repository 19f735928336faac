// The dashboard of `tickgate serve --demo` in Debian's headless Chromium (driven by playwright-core, no
// browser download): the page loads from the service alone, its live figures change, the book of a chosen
// symbol fills, and a screenshot is saved (build/screenshots/dashboard.png).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'tickgate.js');

/** Debian's chromium, wherever PATH has it. */
function chromiumPath(): string {
  return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

describe('dashboard', () => {
  it('shows live figures and a book in headless Chromium', async () => {
    const serve = spawn(process.execPath, [CLI, 'serve', '--demo', '--backend', 'ref'], {
      env: { ...process.env, TICKGATE_TOKENS: 'dash-token' }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exit = new Promise<number | null>((resolve) => serve.once('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve.stdout!.on('data', (d: Buffer) => {
        out += d;
        const m = /^listening (\S+)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      void exit.then((code) => reject(new Error(`serve exited (${code})`)));
    });
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      page.on('pageerror', (e) => failed.push(e.message));
      await page.goto(`${url}/?token=dash-token&symbol=AAPL`);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'live', undefined, { timeout: 15_000 });
      const messages = async () => Number((await page.textContent('#messages'))!.replace(/,/g, ''));
      const first = await messages();
      await page.waitForFunction((n) => Number(document.getElementById('messages')!.textContent!.replace(/,/g, '')) > n + 1000, first, { timeout: 15_000 });
      await page.waitForFunction(() => Number(document.getElementById('rate')!.textContent!.replace(/,/g, '')) > 0, undefined, { timeout: 15_000 });
      await page.waitForSelector('#bids tr', { timeout: 15_000 });
      await page.waitForSelector('#asks tr', { timeout: 15_000 });
      expect(await page.inputValue('#symbol')).toBe('AAPL');
      await page.waitForFunction(() => document.getElementById('latency')!.textContent!.includes('ms'), undefined, { timeout: 15_000 });
      // the demo stamps its messages as it feeds them: the feed latency is the device and the service
      await page.waitForFunction(() => document.getElementById('feedLatency')!.textContent!.includes('ms'), undefined, { timeout: 15_000 });
      expect(await messages()).toBeGreaterThan(first);
      const shots = path.join(ROOT, 'build', 'screenshots');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });
      expect(statSync(path.join(shots, 'dashboard.png')).size).toBeGreaterThan(10_000);
      expect(failed).toEqual([]);
    } finally {
      await browser.close();
      serve.kill('SIGTERM');
      await exit;
    }
  }, 90_000);
});
