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
