#!/usr/bin/env node
// Makes a checkout ready to run: npm dependencies, the Debian tools (Verilator, Yosys, nextpnr, QuickFIX, tshark, SMT solvers), the
// generated-layout check, the Verilated model and addon, and the TypeScript build. Each step is skipped
// when already up to date. Plain Node on purpose: it runs before the npm dependencies exist.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const APT_PACKAGES = ['verilator', 'zlib1g-dev', 'yosys', 'nextpnr-ice40', 'libquickfix-dev', 'libquickfix-doc', 'openssl', 'tshark', 'z3', 'cvc4', 'tcl', 'libfuse3-dev', 'fuse3',
  'protobuf-compiler', 'python3-protobuf', 'python3-websockets', 'nats-server', 'chromium'];
// tshark: the reference the capture reader is tested against; z3, cvc4: the SMT solvers of `npm run formal`;
// tcl: tclsh, which runs the board builds' Vivado scripts against stubs (test/board-build.test.ts);
// libfuse3-dev, fuse3: the PCIe emulator's file system (sim/xdma-emulator) and fusermount3 to unmount it;
// protobuf-compiler, python3-protobuf, python3-websockets: the Python example of `serve` (examples/python);
// nats-server: the JetStream the tests of `serve`'s nats: start on loopback; chromium: the dashboard's page
// test (headless, driven by playwright-core, which downloads no browser)
const TOOLS = { 'nats-server': 'nats-server', chromium: 'chromium', verilator: 'verilator', yosys: 'yosys', 'nextpnr-ice40': 'nextpnr-ice40', openssl: 'openssl', tshark: 'tshark', z3: 'z3', cvc4: 'cvc4', tcl: 'tclsh', fuse3: 'fusermount3', 'protobuf-compiler': 'protoc' };

function say(msg) { if (!quiet) process.stderr.write(`bootstrap: ${msg}\n`); }
function die(msg) { process.stderr.write(`bootstrap: ${msg}\n`); process.exit(1); }

function run(cmd, args, { capture = false, env } = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: capture ? 'pipe' : ['ignore', 'inherit', 'inherit'], encoding: 'utf8', env: env ?? process.env });
  if (r.error) die(`cannot run ${cmd}: ${r.error.message}`);
  return r;
}

function must(cmd, args, what) {
  const r = run(cmd, args, { capture: true });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    die(`${what} failed (${cmd} ${args.join(' ')})`);
  }
  return r;
}

function has(cmd) { return run('sh', ['-c', `command -v ${cmd}`], { capture: true }).status === 0; }
function mtime(f) { return existsSync(f) ? statSync(f).mtimeMs : 0; }

// ---- Node ------------------------------------------------------------------------------------------
const major = Number(process.versions.node.split('.')[0]);
if (major < 20) die(`Node ${process.versions.node} is too old: tickgate needs Node 20 or later`);

// ---- npm dependencies ------------------------------------------------------------------------------
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || mtime(lock) > mtime(installed) || mtime(path.join(root, 'package.json')) > mtime(installed)) {
  const ci = existsSync(lock) && !existsSync(path.join(root, 'node_modules'));
  say(`installing npm dependencies (npm ${ci ? 'ci' : 'install'})`);
  const r = run('npm', [ci ? 'ci' : 'install', '--no-audit', '--no-fund'], { capture: true });
  if (r.status !== 0) { process.stderr.write(r.stdout + r.stderr); die('npm install failed'); }
}

// ---- Debian tools ----------------------------------------------------------------------------------
// headers that packages bring, by package
// (libquickfix-doc: the executor example the session tests build and run against)
const HEADERS = {
  'zlib1g-dev': '/usr/include/zlib.h',
  'libquickfix-dev': '/usr/include/quickfix/Message.h',
  'libquickfix-doc': '/usr/share/doc/libquickfix-doc/examples/executor/C++/executor.cpp',
  'libfuse3-dev': '/usr/include/fuse3/fuse.h',
  'python3-protobuf': '/usr/lib/python3/dist-packages/google/protobuf/__init__.py',
  'python3-websockets': '/usr/lib/python3/dist-packages/websockets/__init__.py',
};
const unpacked = (pkg, file) => existsSync(path.join(root, 'build', 'debs', pkg, file));
const missingHeaders = Object.entries(HEADERS).filter(([pkg, h]) => !existsSync(h) && !unpacked(pkg, h)).map(([pkg]) => pkg);
const missingTools = Object.entries(TOOLS).filter(([, cmd]) => !has(cmd)).map(([pkg]) => pkg);
if (missingTools.length || missingHeaders.length) {
  const pkgs = [...new Set([...missingTools, ...missingHeaders])].filter((p) => APT_PACKAGES.includes(p));
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && run('sudo', ['-n', 'true'], { capture: true }).status === 0;
  if (!isRoot && !sudo) die(`missing ${pkgs.join(', ')}: run \`sudo apt-get update && sudo apt-get install -y ${pkgs.join(' ')}\``);
  const pre = isRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  say(`installing ${pkgs.join(', ')} with apt-get`);
  const apt = (args) => {
    const [cmd, ...rest] = [...pre, 'apt-get', ...args];
    const r = run(cmd, rest, { capture: true, env });
    if (r.status !== 0) { process.stderr.write(r.stdout + r.stderr); die(`apt-get ${args[0]} failed`); }
  };
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...pkgs]);
  // Slim Debian images tell dpkg not to unpack /usr/share/doc; then the example comes out of the package
  // file itself, into build/debs/ (the tests look there too).
  if (!existsSync(HEADERS['libquickfix-doc'])) {
    const debs = path.join(root, 'build', 'debs');
    mkdirSync(debs, { recursive: true });
    const dl = spawnSync('apt-get', ['download', 'libquickfix-doc'], { cwd: debs, encoding: 'utf8' });
    const deb = readdirSync(debs).find((f) => f.startsWith('libquickfix-doc') && f.endsWith('.deb'));
    if (dl.status !== 0 || !deb) die(`libquickfix-doc installed without its examples and apt-get download failed: ${dl.stderr}`);
    must('dpkg-deb', ['-x', path.join(debs, deb), path.join(debs, 'libquickfix-doc')], 'unpacking libquickfix-doc');
  }
}

// ---- generated layouts must match the spec -----------------------------------------------------------
const gen = run(process.execPath, ['scripts/gen-layouts.mjs', '--check'], { capture: true });
if (gen.status !== 0) { process.stderr.write(gen.stderr); die('generated files are stale: run `npm run gen` and commit the result'); }

// ---- Verilated model and addon -----------------------------------------------------------------------
const makeArgs = ['-C', 'sim', `NODE=${process.execPath}`];
// the addon (the core for the `sim` backend, and the `pcie` backend's host code), the PCIe and serial emulators
const targets = [path.join(root, 'build', 'tickgate.node'), path.join(root, 'build', 'xdma-emulator', 'xdma-emulator'),
  path.join(root, 'build', 'serial-emulator', 'serial-emulator')];
const stale = targets.filter((t) => run('make', [...makeArgs, '-q', t], { capture: true }).status !== 0);
if (stale.length) {
  say(`building ${stale.map((t) => path.relative(root, t)).join(', ')} (make -C sim)`);
  must('make', [...makeArgs, '-j2', ...stale], 'building the simulation model');
}

// ---- TypeScript ----------------------------------------------------------------------------------------
must(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], 'compiling TypeScript');
