// Messages produced by a real FIX engine (QuickFIX) through both backends: every one parses clean, the
// field index reproduces the engine's bytes exactly, and decoded numbers equal the engine's text.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickfixMessages } from './helpers/quickfix.js';

const bin = path.resolve(__dirname, '..', 'bin', 'tickgate.js');
const COUNT = 600;

function decode(file: string, backend: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, 'decode', 'fix', '--backend', backend, file], { encoding: 'latin1', maxBuffer: 1 << 28 },
      (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

describe('messages from QuickFIX', () => {
  let dir: string;
  let file: string;
  let wire: Buffer;
  beforeAll(() => {
    wire = quickfixMessages(COUNT);
    dir = mkdtempSync(path.join(tmpdir(), 'tickgate-qf-'));
    file = path.join(dir, 'quickfix.fix');
    writeFileSync(file, wire);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parse clean on both backends with byte-identical output, fields and decoded values matching the engine', async () => {
    const [sim, ref] = await Promise.all([decode(file, 'sim'), decode(file, 'ref')]);
    expect(sim).toBe(ref);
    const records = sim.trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toHaveLength(COUNT);
    const begins = new Set<string>();
    let groups = 0;
    let decoded = 0;
    records.forEach((r, i) => {
      expect(r.error).toBeNull();
      expect(r.msgSeqNum).toBe(i + 1);
      const text = wire.toString('latin1', r.offset, r.offset + r.length);
      expect(r.fields.map(([t, v]: [number, string]) => `${t}=${v}\x01`).join('')).toBe(text);
      begins.add(r.fields[0][1]);
      if (r.fields.some(([t]: [number]) => t === 453 || t === 268)) groups++;
      for (const [tag, value] of Object.entries(r.decoded)) {
        const raw = r.fields.find(([t]: [number]) => String(t) === tag)[1];
        expect(value).toBe(raw);
        decoded++;
      }
    });
    expect([...begins].sort()).toEqual(['FIX.4.2', 'FIX.4.4', 'FIXT.1.1']);
    expect(groups).toBeGreaterThan(COUNT / 4);
    expect(decoded).toBeGreaterThan(COUNT * 3);
  });

  it('keeps every instance of a repeating group in order', async () => {
    const records = (await decode(file, 'sim')).trim().split('\n').map((l) => JSON.parse(l));
    const md = records.find((r) => r.msgType === 'X');
    expect(md.fields.filter(([t]: [number]) => t === 270).length).toBe(3);
    expect(md.fields.filter(([t]: [number]) => t === 279).length).toBe(3);
  });
});
