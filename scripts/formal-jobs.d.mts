// Types of scripts/formal-jobs.mjs, for the TypeScript tests that import it.
export interface FormalJob {
  name: string;
  top: string;
  params?: Record<string, number>;
  solver?: 'z3' | 'cvc4';
  depth: number;
  induction?: boolean;
  ownPropertiesOnly?: boolean;
  timeoutSec?: number;
  what: string;
}
export interface FormalMutation {
  name: string;
  job: string;
  file: string;
  from: string;
  to: string;
  breaks: string;
}
export const JOBS: FormalJob[];
export const MUTATIONS: FormalMutation[];
