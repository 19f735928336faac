// Opening a device by backend name.
import type { BackendName, Device } from './device.js';
import { RefDevice } from './ref-device.js';
import { SimDevice, type SimDeviceOptions } from './sim-device.js';

export * from './device.js';
export * from './events.js';
export { RefDevice } from './ref-device.js';
export { SimDevice, SteppedSimDevice } from './sim-device.js';

export interface OpenOptions extends SimDeviceOptions {
  backend: BackendName;
}

export function openDevice(options: OpenOptions): Device {
  const { backend, ...rest } = options;
  switch (backend) {
    case 'sim': return new SimDevice(rest);
    case 'ref': return new RefDevice();
  }
}
export * from './generated/layout.js';
export { fixReceiverCounters } from './counters.js';
