// Latencies in nanoseconds: a cycle count is only a latency at the clock the logic holds. Every figure is
// given at the 250 MHz that issue 19 aims for and at the clock the path's modules support today, from the
// worst pre-route path per module of the last `npm run timing` (build/synth/timing.json).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/device/addon.js';

export const TARGET_MHZ = 250;

/** The modules each measured path runs through (the clock of a path is its slowest module's). */
export const PATH_MODULES = {
  fix: ['fix_parser', 'bcd_to_binary', 'axis_fifo', 'axis_skid'],
  itch: ['mold_framer', 'feed_tracker', 'symbol_filter', 'sdp_ram', 'axis_fifo'],
  // the A/B arbiter is on the wire path whether or not it holds anything (straight through, it is still clocked)
  wire: ['udp_rx', 'line_arbiter', 'line_arbiter_decide', 'line_arbiter_counters', 'bram_fifo', 'udp_to_mold', 'wire_status_merge', 'mold_framer',
    'feed_tracker', 'symbol_filter', 'sdp_ram', 'axis_fifo'],
  risk: ['fix_parser', 'bcd_to_binary', 'risk_gate', 'risk_checker', 'risk_symbol_table', 'order_ring', 'token_bucket',
    'order_forwarder', 'order_cut_through', 'sdp_ram'],
} as const;

export type PathName = keyof typeof PATH_MODULES;

export interface PathClock {
  /** worst pre-route path among the path's modules, ps; null when a module was not in the timing run */
  worstPs: number | null;
  worstModule: string | null;
  /** 1e6 / worstPs: the clock the logic alone allows (routing comes on top) */
  mhz: number | null;
}

interface TimingEntry { ok?: boolean; pathPs?: number | null; withCarry?: { pathPs?: number | null } | null }

/** Which figure of the report: Yosys sta's, or the same netlist timed with its carry chains. */
export type Figure = 'sta' | 'withCarry';

export function readTimingReport(): Record<string, TimingEntry> | null {
  const file = path.join(packageRoot(), 'build', 'synth', 'timing.json');
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { modules?: Record<string, TimingEntry> };
  return report.modules ?? null;
}

export function pathClock(name: PathName, modules: Record<string, TimingEntry> | null, figure: Figure = 'sta'): PathClock {
  let worstPs: number | null = 0;
  let worstModule: string | null = null;
  for (const m of PATH_MODULES[name]) {
    const entry = modules?.[m];
    const ps = entry?.ok ? (figure === 'sta' ? entry.pathPs : entry.withCarry?.pathPs) : undefined;
    if (typeof ps !== 'number') return { worstPs: null, worstModule: null, mhz: null };
    if (ps > worstPs!) { worstPs = ps; worstModule = m; }
  }
  return { worstPs, worstModule, mhz: worstPs ? 1e6 / worstPs : null };
}

export interface LatencyNs { cycles: number; nsAtTarget: number; nsAtToday: number | null }

export function latencyNs(cycles: number, clock: PathClock): LatencyNs {
  return {
    cycles,
    nsAtTarget: cycles * 1000 / TARGET_MHZ,
    nsAtToday: clock.worstPs === null ? null : cycles * clock.worstPs / 1000,
  };
}
