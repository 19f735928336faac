import { it } from 'vitest';
import { SteppedSimDevice } from '../src/device/sim-device.js';
import { REG } from '../src/device/generated/layout.js';
import { runRiskSim } from './helpers/run-risk.js';
import { decodeVerdict } from '../src/risk/verdict-records.js';
it('dbg', () => {
  const dev = new SteppedSimDevice();
  const bytes = Buffer.from([56,61,70,73,88,46,52,46,50,1,57,61,55,57,1,51,53,61,68,1,51,52,61,50,1,52,57,61,84,87,1,53,50,61,50,48,50,54,49,49,50,54,45,49,48,58,48,48,58,48,48,46,48,48,48,1,53,54,61,73,83,76,68,1,53,52,61,49,1,54,48,61,50,48,50,54,49,49,50,54,45,49,48,58,48,48,58,48,48,46,48,48,48,1,49,48,61,48,53,57,1,56,61,70,73,88,46,52,46,50,1,57,61,53,1,51,53,61,68,1,49,48,61,49,56,49,1, ...Buffer.from('8=FIX.4.4\x019=516\x0135=8\x0144=0.' + '0'.repeat(300))]);
  for (const sizes of [127, 1000]) {
    const steps: any[] = [{ limits: { killSwitch: false, burst: 1, cyclesPerToken: 1, symbols: [] } }];
    for (let at = 0; at < bytes.length; at += sizes) steps.push({ bytes: bytes.subarray(at, at + sizes) });
    const r = runRiskSim(dev, { steps });
    console.log(sizes, r.records.map((x) => decodeVerdict(x)), r.counters);
  }
  dev.close();
});
