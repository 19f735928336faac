// Opening a device by backend name.
import type { BackendName, Device } from './device.js';
import { RefDevice } from './ref-device.js';
import { PcieDevice } from './pcie-device.js';
import { SimDevice, type SimDeviceOptions } from './sim-device.js';
import { separateDevices, sharedCard, type DeviceRoles } from './device-roles.js';

export * from './device.js';
export * from './events.js';
export { RefDevice } from './ref-device.js';
export { SimDevice, SteppedSimDevice } from './sim-device.js';
export { PcieDevice } from './pcie-device.js';
export { RoleTakenError, type DeviceRole, type DeviceRoles } from './device-roles.js';

export interface OpenOptions extends SimDeviceOptions {
  backend: BackendName;
  /** pcie: the device files' prefix (default /dev/xdma0). */
  device?: string;
}

export function openDevice(options: OpenOptions): Device {
  const { backend, device, ...rest } = options;
  switch (backend) {
    case 'sim': return new SimDevice(rest);
    case 'ref': return new RefDevice();
    case 'pcie': return new PcieDevice({ device });
  }
}
/** The devices of a command's roles: a device each in simulation, one shared card on a board. */
export function openRoles(options: OpenOptions): DeviceRoles {
  const open = () => openDevice(options);
  return options.backend === 'pcie' ? sharedCard(options.backend, open) : separateDevices(options.backend, open);
}
export * from './generated/layout.js';
export { fixReceiverCounters } from './counters.js';
