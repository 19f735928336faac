// Types of scripts/netlist-sta.mjs, for the TypeScript tests that import it.
export interface Arc { from: string; fromBit: number | null; to: string; toBit: number | null; ps: number }
export interface CellTiming { comb: Arc[]; clockToOut: Map<string, number>; setup: Set<string> }
export interface NetlistPath {
  pathPs: number;
  lutLevels: number;
  carryCells: number;
  muxCells: number;
  from: 'register' | 'input';
  end: string;
  steps: string[];
  unknownCells: string[];
}
export function parseCellLibrary(text: string): Map<string, CellTiming>;
export function readCellLibrary(file: string): Map<string, CellTiming>;
export function netlistPath(netlist: unknown, top: string, lib: Map<string, CellTiming>): NetlistPath | null;
