// The Alveo U250 build without Vivado: build.tcl, the XDC and cdc.tcl run in tclsh against stubs of the Vivado
// commands they use (test/tcl/vivado-stubs.tcl; an unknown or misspelt command stops tclsh), and what they ask
// Vivado for is checked against the RTL: the XDMA's channels and width match the shell, every source file is
// read, every pin constraint names a port of the top and every port but the transceiver lanes has a pin, and
// every register and instance the crossing constraints name exists. Also `npm run bitstream` without Vivado.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOARDS, boardFiles, boardSources } from '../scripts/rtl-sources.mjs';
import { tempDir } from './helpers/session.js';

const root = path.resolve(__dirname, '..');
const board = BOARDS.find((b) => b.name === 'alveo_u250')!;
const dir = path.join(root, 'hdl', 'boards', board.name);
const stubs = path.join(root, 'test', 'tcl', 'vivado-stubs.tcl');

/** tclsh reading a script on stdin goes on after an error: stop it, with the message on stderr and status 1. */
const guarded = (script: string) => `source {${stubs}}\nif {[catch {\n${script}\n} err]} { puts stderr $err; exit 1 }\n`;

function tcl(script: string): { calls: string[][]; out: string } {
  const out = execFileSync('tclsh', [], { input: guarded(script), encoding: 'utf8', stdio: 'pipe' });
  const calls = out.split('\n').filter((l) => l.startsWith('CALL ')).map((l) => l.slice(5).split(' '));
  return { calls, out };
}

function buildCalls(extra = '') {
  return tcl(`${extra}\nset argv {out=${tempDir('tickgate-vivado-')} core_mhz=250}\nsource {${path.join(dir, 'build.tcl')}}\n`
    + `source {${path.join(dir, 'tickgate_u250.xdc')}}\nsource {${path.join(dir, 'cdc.tcl')}}\nputs END`);
}

/** Ports of the board top, from its declaration. */
function topPorts(): string[] {
  const text = readFileSync(path.join(dir, `${board.top}.v`), 'utf8');
  const header = text.slice(text.indexOf(`module ${board.top}`), text.indexOf(');'));
  return [...header.matchAll(/^\s*(?:input|output)\s+wire\s+(?:\[[^\]]+\]\s+)?(\w+)/gm)].map((m) => m[1]!);
}

describe('Alveo U250 Vivado build (checked in tclsh with stubbed Vivado commands)', () => {
  it('runs build.tcl, the pin constraints and the crossing constraints to the end', () => {
    const { out } = buildCalls();
    expect(out).toMatch(/^END$/m);
  });

  it('asks for the XDMA the shell is written for: AXI-Stream, 512 bits, 3 H2C and 2 C2H channels, the AXI-Lite master', () => {
    const { out } = buildCalls();
    const xdma = out.split('\n').find((l) => l.includes('CONFIG.xdma_axi_intf_mm'))!;
    for (const setting of ['CONFIG.xdma_axi_intf_mm AXI_Stream', 'CONFIG.axi_data_width 512_bit', 'CONFIG.xdma_rnum_chnl 3',
      'CONFIG.xdma_wnum_chnl 2', 'CONFIG.axilite_master_en true', 'CONFIG.pl_link_cap_max_link_width X16',
      'CONFIG.PCIE_BOARD_INTERFACE pci_express_x16']) expect(xdma).toContain(setting);
    expect(out).toMatch(/CONFIG\.CLKOUT1_REQUESTED_OUT_FREQ 250 /);
    expect(out).toMatch(new RegExp(`synth_design -top ${board.top} -part ${board.part}`));
    expect(out).toMatch(/write_bitstream -force \S+tickgate_u250_top\.bit/);
  });

  it('reads every RTL file the board top is linted with', () => {
    const { calls } = buildCalls();
    const read = calls.filter((c) => c[0] === 'read_verilog').map((c) => c.at(-1)!);
    const { top } = boardFiles(board);
    expect(read.sort()).toEqual([...boardSources(board), ...top].sort());
  });

  it('builds without the board files, with a warning, and refuses an unknown argument', () => {
    const { out } = buildCalls('set stub_board_parts {}');
    expect(out).toMatch(/WARNING: no Alveo U250 board files/);
    expect(out).not.toMatch(/PCIE_BOARD_INTERFACE/);
    const r = spawnSync('tclsh', [], { input: guarded(`set argv {corr_mhz=250}\nsource {${path.join(dir, 'build.tcl')}}`), encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unknown argument 'corr_mhz=250'/);
  });

  it('pins every port of the top but the PCIe lanes, and constrains no port it does not have', () => {
    const { calls } = tcl(`source {${path.join(dir, 'tickgate_u250.xdc')}}`);
    const constrained = new Set(calls.filter((c) => c[0] === 'get_ports').map((c) => c.slice(1).join(' ').replace(/[{}]/g, '').replace(/\[.*$/, '')));
    const ports = topPorts();
    for (const p of constrained) expect(ports, `the XDC names port ${p}`).toContain(p);
    const pinned = calls.filter((c) => c[0] === 'set_property' && c.join(' ').includes('PACKAGE_PIN')).map((c) => c.at(-1)!.replace(/[{}]/g, '').replace(/\[.*$/, ''));
    expect(new Set(pinned)).toEqual(new Set(ports.filter((p) => !p.startsWith('pci_exp_'))));
  });

  it('names only registers and instances that exist in the RTL in its crossing constraints', () => {
    const { calls } = tcl(`source {${path.join(dir, 'cdc.tcl')}}`);
    const rtl = [...boardSources(board), ...boardFiles(board).top].map((f) => readFileSync(f, 'utf8')).join('\n');
    const regs = new Set([...rtl.matchAll(/\breg\s+(?:\[[^\]]+\]\s+)?(\w+)/g)].map((m) => m[1]!));
    const objects = calls.filter((c) => c[0] === 'get_cells' || c[0] === 'get_pins').flatMap((c) => c.slice(1))
      .map((a) => a.replace(/[{}]/g, '')).filter((a) => a.includes('/'));
    expect(objects.length).toBeGreaterThan(10);
    for (const o of objects) {
      const leaf = o.replace(/\/[A-Z]+$/, '').split('/').at(-1)!.replace(/\[.*$/, '').replace(/\*$/, '');
      if (leaf === 'axi_aclk' || leaf === 'clk_out1') continue; // IP pins
      // Vivado names the flops of `x` x_reg; `mem_reg*` are the LUT RAM cells of `mem`
      const reg = leaf.endsWith('_reg') ? leaf.slice(0, -4) : leaf;
      expect(regs, `${o}: no register ${reg} in the RTL`).toContain(reg);
    }
    for (const inst of ['xdma_inst', 'core_clock_inst', 'shell_inst']) expect(rtl).toMatch(new RegExp(`\\b${inst}\\s*\\(`));
  });

  it('npm run bitstream says in one line what is missing when Vivado is not installed', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'bitstream.mjs'), 'alveo_u250'], { encoding: 'utf8', env: { ...process.env, PATH: '/usr/bin:/bin' } });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/vivado is not on the PATH/);
  });
});

// The Arty A7-100T build (serial shell): the same checks, without IP.
describe('Arty A7-100T Vivado build (checked in tclsh with stubbed Vivado commands)', () => {
  const arty = BOARDS.find((b) => b.name === 'arty_a7')!;
  const artyDir = path.join(root, 'hdl', 'boards', arty.name);
  const build = (args = '') => tcl(`set argv {out=${tempDir('tickgate-vivado-')} ${args}}\nsource {${path.join(artyDir, 'build.tcl')}}\nputs END`);

  it('runs build.tcl to the end: synthesis of the top for the part, every RTL file it is linted with, the bitstream', () => {
    const { calls, out } = build('jobs=2');
    expect(out).toMatch(/^END$/m);
    expect(out).toMatch(new RegExp(`synth_design -top ${arty.top} -part ${arty.part}`));
    expect(out).toMatch(/write_bitstream -force \S+tickgate_arty_top\.bit/);
    const read = calls.filter((c) => c[0] === 'read_verilog').map((c) => c.at(-1)!);
    expect(read.sort()).toEqual([...boardSources(arty), ...boardFiles(arty).top].sort());
  });

  it('refuses core_mhz (the UART divisor is derived from the fixed 60 MHz) and unknown arguments', () => {
    for (const [arg, message] of [['core_mhz=100', /core clock is fixed at 60 MHz/], ['speed=3', /unknown argument 'speed=3'/]] as const) {
      const r = spawnSync('tclsh', [], { input: guarded(`set argv {${arg}}\nsource {${path.join(artyDir, 'build.tcl')}}`), encoding: 'utf8' });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(message);
    }
  });

  it('pins every port of the top, on the pins of Digilent\'s master constraints, and names no port it does not have', () => {
    const { calls } = tcl(`source {${path.join(artyDir, 'tickgate_arty.xdc')}}`);
    const text = readFileSync(path.join(artyDir, `${arty.top}.v`), 'utf8');
    const header = text.slice(text.indexOf(`module ${arty.top}`), text.indexOf(');'));
    const ports = [...header.matchAll(/^\s*(?:input|output)\s+wire\s+(?:\[[^\]]+\]\s+)?(\w+)/gm)].map((m) => m[1]!);
    const pins = new Map(calls.filter((c) => c[0] === 'set_property' && c.includes('PACKAGE_PIN'))
      .map((c) => [c.at(-1)!.replace(/[{}]/g, ''), c[c.indexOf('PACKAGE_PIN') + 1]!]));
    expect(Object.fromEntries(pins)).toEqual({
      CLK100MHZ: 'E3', ck_rst: 'C2', uart_txd_in: 'A9', uart_rxd_out: 'D10', 'led[0]': 'H5', 'led[1]': 'J5', 'led[2]': 'T9', 'led[3]': 'T10',
    });
    const named = calls.filter((c) => c[0] === 'get_ports').flatMap((c) => c.slice(1).join(' ').replace(/[{}]/g, '').split(' ')).map((p) => p.replace(/\[.*$/, ''));
    for (const p of named) expect(ports, `the XDC names port ${p}`).toContain(p);
    expect(new Set([...pins.keys()].map((p) => p.replace(/\[.*$/, '')))).toEqual(new Set(ports));
  });
});
