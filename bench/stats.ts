// Repeated measurement: every software figure in the benchmark is the median of several runs.
import { performance } from 'node:perf_hooks';

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The value at fraction `p` (0..1) of the sorted values: nearest rank. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
}

export interface Timed<T> {
  seconds: number;
  result: T;
}

export async function timed<T>(fn: () => T | Promise<T>): Promise<Timed<T>> {
  const t0 = performance.now();
  const result = await fn();
  return { seconds: (performance.now() - t0) / 1000, result };
}

/** Runs fn `runs` times after one warm-up run; returns each run's seconds and the last result. */
export async function repeat<T>(runs: number, fn: () => T | Promise<T>): Promise<{ seconds: number[]; result: T }> {
  await fn();
  const seconds: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t = await timed(fn);
    seconds.push(t.seconds);
    result = t.result;
  }
  return { seconds, result };
}

/** An input as a reader of a file gets it: 1 MiB pieces. */
export async function* pieces(b: Buffer): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < b.length; at += 1 << 20) yield b.subarray(at, at + (1 << 20));
}
