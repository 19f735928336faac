import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/helpers/longest-first.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default leaves a core free (one fork on CI's two): most suites wait on a simulator's clock
    // thread or on a session's timers, so two forks finish `npm test` in 7.9 minutes instead of 11.5 there.
    maxWorkers: Math.max(2, availableParallelism()),
    // The session conformance scripts are mostly waiting (timeouts of the engines): many run at once.
    maxConcurrency: 16,
    sequence: { sequencer: LongestFirst },
  },
});
