// `tickgate emulate pcie --dir <dir>`: runs the PCIe emulator (sim/xdma-emulator: the Verilated Alveo U250
// board top behind a FUSE file system with the xdma driver's device files) at <dir>. It prints
// `ready <dir>/xdma0` when the files serve and runs until SIGINT or SIGTERM, then unmounts and exits 0.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../device/addon.js';
import { fsReason } from '../util/fs-errors.js';

export class EmulatorError extends Error {
  readonly code = 'EMULATOR';
}

export function emulatorPath(): string {
  return path.join(packageRoot(), 'build', 'xdma-emulator', 'xdma-emulator');
}

export interface EmulateOptions {
  dir: string;
  /** the driver's time-outs, seconds (default 10 each, as the xdma module's h2c_timeout and c2h_timeout) */
  h2cTimeout?: number;
  c2hTimeout?: number;
}

export async function emulatePcie(o: EmulateOptions): Promise<number> {
  const bin = emulatorPath();
  if (!existsSync(bin)) throw new EmulatorError(`the PCIe emulator ${path.relative(process.cwd(), bin)} is not built: run \`npm run build\``);
  if (!existsSync('/dev/fuse')) throw new EmulatorError('emulate pcie needs FUSE: /dev/fuse is missing (in a container, pass --device /dev/fuse)');
  try {
    mkdirSync(o.dir, { recursive: true });
    if (!statSync(o.dir).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    throw new EmulatorError(`--dir ${o.dir}: ${fsReason(err)}`);
  }
  const args = [path.resolve(o.dir)];
  if (o.h2cTimeout !== undefined) args.push('--h2c-timeout', String(o.h2cTimeout));
  if (o.c2hTimeout !== undefined) args.push('--c2h-timeout', String(o.c2hTimeout));
  // the ready line names the directory as given
  return runEmulator(bin, args, (line) => line.replace(`ready ${path.resolve(o.dir)}/`, `ready ${o.dir.replace(/\/+$/, '')}/`));
}

export function serialEmulatorPath(): string {
  return path.join(packageRoot(), 'build', 'serial-emulator', 'serial-emulator');
}

export interface EmulateSerialOptions {
  link: string;
  /** Chance that the line corrupts, drops or doubles a byte, in each direction (fault injection). */
  faults?: number;
  seed?: number;
}

/** `tickgate emulate serial --link <path>`: the Verilated Arty A7 board top (sim/serial-emulator) behind a
 *  pseudo-terminal linked at <path>; prints `ready <path>` and runs until SIGINT or SIGTERM. */
export async function emulateSerial(o: EmulateSerialOptions): Promise<number> {
  const bin = serialEmulatorPath();
  if (!existsSync(bin)) throw new EmulatorError(`the serial emulator ${path.relative(process.cwd(), bin)} is not built: run \`npm run build\``);
  const dir = path.dirname(path.resolve(o.link));
  if (!existsSync(dir)) throw new EmulatorError(`--link ${o.link}: the folder ${dir} does not exist`);
  const args = [o.link];
  if (o.faults !== undefined) args.push('--faults', String(o.faults));
  if (o.seed !== undefined) args.push('--seed', String(o.seed));
  return runEmulator(bin, args, (line) => line);
}

/** Runs an emulator binary: its stdout (the ready line) through `show`, SIGINT and SIGTERM passed on. */
async function runEmulator(bin: string, args: string[], show: (text: string) => string): Promise<number> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', (chunk: Buffer) => { process.stdout.write(show(chunk.toString())); });
  const forward = (signal: NodeJS.Signals) => () => { child.kill(signal); };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', (err) => reject(new EmulatorError(`cannot run ${bin}: ${err.message}`)));
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
