// Types of scripts/rtl-timing.mjs, for the TypeScript tests that import it.
export interface WorstPath {
  pathPs: number;
  lutLevels: number;
  carryCells: number;
  muxCells: number;
  from: 'register' | 'input';
}
export interface ModuleTiming extends Partial<WorstPath> {
  module: string;
  family: string;
  ok: boolean;
  seconds: number;
  lut: number;
  ff: number;
  bram: number;
  dsp: number;
  longestCarryChain: number | null;
  flow: string | null;
  note: string | null;
  /** the same netlist timed with the carry and wide-multiplexer arcs sta skips (scripts/netlist-sta.mjs) */
  withCarry: (WorstPath & { untimed: string[] }) | null;
}
export const FAMILY: string;
export function parseSta(text: string, top: string): WorstPath | null;
export function moduleTiming(top: string, dir: string, family?: string, options?: { skipAbc9?: boolean }): Promise<ModuleTiming>;
export function longestCarryChain(netlist: unknown, top: string): number;
export interface TimingBudgets { targetPs: number; tolerance: number; modules: Record<string, number> }
export function timingAgainstBudgets(modules: Record<string, { pathPs: number }>, budgets: TimingBudgets):
  { ok: boolean; errors: string[]; notes: string[]; atTarget: string[] };
