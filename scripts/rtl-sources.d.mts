// Types of scripts/rtl-sources.mjs, for the TypeScript tests that import it.
export const ROOT: string;
export const HDL_INCLUDE: string;
export const TOP: string;
export const FMAX_TOP: string;
export const CORES: string[];
export function coreSources(): string[];
export function fmaxSources(): string[];
export function hdlSources(dirs?: string[]): string[];
export function moduleSources(top: string): string[];
export interface Board { name: string; top: string; shell: string; part: string; lut: number; ff: number; bram: number; dsp: number }
export const BOARDS: Board[];
export function boardFiles(board: Board): { top: string[]; models: string[] };
export function shellSources(board: Board): string[];
export function boardSources(board: Board): string[];
