// Static timing over a flattened Yosys netlist (write_json after synth_xilinx) with the cell delays of Yosys'
// own 7-series library (the specify blocks of techlibs/xilinx/cells_sim.v, prjxray's slow-corner figures).
// Yosys 0.23's `sta` skips the arcs of CARRY4 and MUXF7/8 (written per bit there), so its paths stop where a
// carry chain or a wide multiplexer begins; this one follows them. Same definition of a path as `sta`: the
// latest arrival at a flip-flop or RAM input, or an output port, counted from the clock input (through the
// clock buffer and the cell's clock-to-out) or from an input port at 0. Setup times and routing are not
// added. Conditions on arcs (`if (...)`) are ignored: the slowest arc of a pin pair counts.
import fs from 'node:fs';

/** Arcs of each cell type from a cells_sim.v text: { comb: {`in:bit>out:bit` or `in>out`: ps}, clockToOut:
 *  {out: ps}, setup: Set(in) }. A pin without a bit index means every bit of it. */
export function parseCellLibrary(text) {
  const lib = new Map();
  const modRe = /^module\s+(\\?\$?\w+)/;
  let name = null;
  let inSpecify = false;
  for (const line of text.split('\n')) {
    const m = modRe.exec(line);
    if (m) { name = m[1].replace(/^\\/, ''); inSpecify = false; continue; }
    if (/^\s*specify\b/.test(line)) { inSpecify = true; if (!lib.has(name)) lib.set(name, { comb: [], clockToOut: new Map(), setup: new Set() }); continue; }
    if (/^\s*endspecify\b/.test(line)) { inSpecify = false; continue; }
    if (!inSpecify || !name) continue;
    const cell = lib.get(name);
    const code = line.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '');
    for (const st of code.split(';')) {
      let a;
      if ((a = /\(\s*(?:posedge|negedge)\s+\w+\s*=>\s*\(\s*(\w+)(?:\[(\d+)(?::\d+)?\])?\s*(?:\+|-)?:/.exec(st)) && (a.d = /=\s*\(?\s*(\d+)/.exec(st.slice(st.lastIndexOf(')'))))) {
        const out = a[1];
        cell.clockToOut.set(out, Math.max(cell.clockToOut.get(out) ?? 0, Number(a.d[1])));
      } else if ((a = /\(\s*(\w+)(?:\[(\d+)\])?\s*\*?=>\s*(\w+)(?:\[(\d+)\])?\s*\)\s*=\s*\(?\s*(\d+)/.exec(st))) {
        cell.comb.push({ from: a[1], fromBit: a[2] === undefined ? null : Number(a[2]), to: a[3], toBit: a[4] === undefined ? null : Number(a[4]), ps: Number(a[5]) });
      } else if ((a = /\$setup\s*\(\s*(\w+)/.exec(st))) {
        cell.setup.add(a[1]);
      }
    }
  }
  return lib;
}

const isLut = (t) => /^LUT\d$/.test(t);

/** The worst path of module `top` in a Yosys JSON netlist. */
export function netlistPath(netlist, top, lib) {
  const mod = netlist.modules[top];
  const clockBuffer = Math.max(0, ...(lib.get('BUFG')?.comb ?? []).map((a) => a.ps));
  // who drives each bit: { cell, type, pin, bit } or a port
  const driver = new Map();
  for (const [pname, p] of Object.entries(mod.ports)) {
    if (p.direction === 'input') p.bits.forEach((b) => typeof b === 'number' && driver.set(b, { port: pname }));
  }
  const cells = Object.entries(mod.cells);
  const unknown = new Set();
  for (const [cname, c] of cells) {
    for (const [pin, bits] of Object.entries(c.connections)) {
      if (c.port_directions[pin] !== 'output') continue;
      bits.forEach((b, i) => typeof b === 'number' && driver.set(b, { cell: cname, type: c.type, pin, bit: i, c }));
    }
    if (!lib.has(c.type) && !/^(BUFG|IBUF|OBUF|GND|VCC)$/.test(c.type)) unknown.add(c.type);
  }
  const arrival = new Map();        // bit -> { ps, from: bit | null, via: description }
  const visiting = new Set();
  const arcsInto = (type, pin, bit) => (lib.get(type)?.comb ?? []).filter((a) => a.to === pin && (a.toBit === null || a.toBit === bit));
  const at = (b) => {
    if (typeof b !== 'number') return { ps: 0, from: null, via: 'constant' };
    if (arrival.has(b)) return arrival.get(b);
    if (visiting.has(b)) return { ps: 0, from: null, via: 'loop' };
    visiting.add(b);
    const d = driver.get(b);
    let best = { ps: 0, from: null, via: 'undriven' };
    if (d?.port) best = { ps: 0, from: null, via: `input ${d.port}` };
    else if (d?.cell) {
      const cellLib = lib.get(d.type);
      if (d.type === 'BUFG' || d.type === 'IBUF') best = { ps: 0, from: null, via: d.type };
      else if (d.type === 'OBUF') {
        const i = d.c.connections.I?.[0];
        best = { ...at(i), from: i, via: 'OBUF', cell: d.cell, type: d.type };
      }
      else if (!cellLib) best = { ps: clockBuffer, from: null, via: `${d.type} (not timed)`, cell: d.cell, type: d.type };
      else if (cellLib?.clockToOut.has(d.pin)) best = { ps: clockBuffer + cellLib.clockToOut.get(d.pin), from: null, via: `${d.type}.clock->${d.pin}`, cell: d.cell, type: d.type };
      else if (cellLib?.clockToOut.size && !cellLib.comb.some((a) => a.to === d.pin)) {
        // a clocked cell's output the library gives no figure for (a block RAM's cascade pins): its slowest
        const slowest = Math.max(...cellLib.clockToOut.values());
        best = { ps: clockBuffer + slowest, from: null, via: `${d.type}.clock->${d.pin} (its slowest clock-to-out)`, cell: d.cell, type: d.type };
      }
      for (const a of arcsInto(d.type, d.pin, d.bit)) {
        const ins = d.c.connections[a.from] ?? [];
        const bits = a.fromBit === null ? ins : [ins[a.fromBit]];
        for (const ib of bits) {
          const t = at(ib).ps + a.ps;
          if (t > best.ps) best = { ps: t, from: ib, via: `${d.type}.${a.from}->${d.pin}`, cell: d.cell, type: d.type };
        }
      }
    }
    if (best.via === 'undriven' && d?.cell) {
      // an output with neither an arc nor a clock-to-out in the library (DSP48E1: its delays depend on the
      // register configuration): counted as a register's output with no delay of its own, and named
      unknown.add(d.type);
      best = { ps: clockBuffer, from: null, via: `${d.type} (not timed)`, cell: d.cell, type: d.type };
    }
    visiting.delete(b);
    arrival.set(b, best);
    return best;
  };
  // endpoints: inputs of cells that have no arc from them to an output (registers, RAM write and address
  // pins), and output ports
  const endpoints = [];
  for (const [cname, c] of cells) {
    const cellLib = lib.get(c.type);
    if (!cellLib || /^(BUFG|IBUF|OBUF)$/.test(c.type)) continue;
    for (const [pin, bits] of Object.entries(c.connections)) {
      if (c.port_directions[pin] !== 'input') continue;
      const combinational = cellLib.comb.some((a) => a.from === pin);
      if (combinational && !cellLib.setup.has(pin)) continue;
      bits.forEach((b) => typeof b === 'number' && endpoints.push({ b, where: `${c.type}.${pin}` }));
    }
  }
  for (const [pname, p] of Object.entries(mod.ports)) {
    if (p.direction === 'output') p.bits.forEach((b) => typeof b === 'number' && endpoints.push({ b, where: `output ${pname}` }));
  }
  let worst = null;
  for (const e of endpoints) {
    const a = at(e.b);
    if (!worst || a.ps > worst.ps) worst = { ps: a.ps, end: e };
  }
  if (!worst) return null;
  // names of nets, for the steps of the path: the RTL's own where one survived synthesis
  const netName = new Map();
  for (const [n, v] of Object.entries(mod.netnames ?? {})) {
    v.bits.forEach((b, i) => {
      if (typeof b !== 'number' || (netName.has(b) && !n.startsWith('$') && netName.get(b).startsWith('$')) === false && netName.has(b)) return;
      netName.set(b, `${n}${v.bits.length > 1 ? `[${i}]` : ''}`);
    });
  }
  const steps = [];
  for (let b = worst.end.b, guard = 0; typeof b === 'number' && guard < 10000; guard++) {
    const a = arrival.get(b);
    if (!a) break;
    steps.push({ ...a, net: netName.get(b) });
    b = a.from;
  }
  const types = steps.map((s) => s.type).filter(Boolean);
  const first = steps[steps.length - 1];
  return {
    pathPs: worst.ps,
    lutLevels: types.filter(isLut).length,
    carryCells: new Set(steps.filter((s) => /^CARRY/.test(s.type ?? '')).map((s) => s.cell)).size,
    muxCells: types.filter((t) => /^MUXF/.test(t)).length,
    from: first?.via?.includes('clock') ? 'register' : 'input',
    end: worst.end.where,
    steps: steps.reverse().map((s) => `${s.ps} ${s.via}${s.net && !s.net.startsWith('$') ? ` (${s.net})` : ''}`),
    unknownCells: [...unknown].sort(),
  };
}

export function readCellLibrary(file) {
  return parseCellLibrary(fs.readFileSync(file, 'utf8'));
}
