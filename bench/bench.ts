// `npm run bench`: every performance figure of tickgate, measured on this machine. `--json` for machines.
import os from 'node:os';
import { benchMessages, framerLatency, framerThroughput, softwareRates, threadedRate } from './framer.js';

const TARGETS = { framerBytesPerCycle: 7, simCyclesPerSecond: 1_000_000 };

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const runs = 5;
  const messages = benchMessages(20_000);
  const throughput = framerThroughput(messages);
  // 8 consecutive lengths put the last byte in every lane of the beat
  const latency = framerLatency(benchMessages(40).slice(1, 33));
  const threaded = await threadedRate(messages, runs);
  const software = await softwareRates(messages, runs);
  const report = {
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    framer: { throughput, latencyCycles: latency },
    simulation: threaded,
    software,
    targets: {
      framerBytesPerCycle: { target: TARGETS.framerBytesPerCycle, measured: throughput.bytesPerCycle, met: throughput.bytesPerCycle >= TARGETS.framerBytesPerCycle },
      simCyclesPerSecond: { target: TARGETS.simCyclesPerSecond, measured: threaded.cyclesPerSecond, met: threaded.cyclesPerSecond >= TARGETS.simCyclesPerSecond },
    },
  };
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  console.log(`tickgate bench — ${report.machine.cpu}, ${report.machine.cpus} cores, Node ${report.machine.node}`);
  console.log('\nFIX framer (cycles counted in the Verilated RTL)');
  console.log(`  throughput   ${f(throughput.bytesPerCycle, 3)} bytes/cycle  (${f(throughput.bytes)} bytes, ${f(throughput.messages)} messages, ${f(throughput.cycles)} cycles)  target ≥ ${TARGETS.framerBytesPerCycle}: ${met(report.targets.framerBytesPerCycle.met)}`);
  console.log(`  latency      ${latency.min}–${latency.max} cycles from the last beat in to the record out (${latency.samples} messages, every end lane)`);
  console.log(`\nSimulation through the addon (threaded, median of ${runs} runs)`);
  console.log(`  ${f(threaded.cyclesPerSecond)} cycles/s   ${f(threaded.messagesPerSecond)} messages/s  target ≥ ${f(TARGETS.simCyclesPerSecond)} cycles/s: ${met(report.targets.simCyclesPerSecond.met)}`);
  console.log(`\nHost software (median of ${runs} runs)`);
  console.log(`  golden parser model   ${f(software.goldenModelMessagesPerSecond)} messages/s (${f(software.goldenModelMBytesPerSecond, 1)} MB/s)`);
  console.log(`  record decode         ${f(software.recordDecodeMessagesPerSecond)} messages/s (${f(software.recordDecodeRecordsPerSecond)} records/s)`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
