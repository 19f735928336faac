// Opening a device by backend name.
import { BOARD_BACKENDS, DeviceUnavailableError, type BackendName, type BoardAddress, type Device } from './device.js';
import { RefDevice } from './ref-device.js';
import { PcieDevice } from './pcie-device.js';
import { SerialDevice } from './serial-device.js';
import { SimDevice, type SimDeviceOptions } from './sim-device.js';
import { separateDevices, sharedCard, type DeviceRoles } from './device-roles.js';

export * from './device.js';
export * from './events.js';
export { RefDevice } from './ref-device.js';
export { SimDevice, SteppedSimDevice } from './sim-device.js';
export { PcieDevice } from './pcie-device.js';
export { SerialDevice, DEFAULT_SERIAL_BAUD, type SerialLinkStats } from './serial-device.js';
export { RoleTakenError, type DeviceRole, type DeviceRoles } from './device-roles.js';

export interface OpenOptions extends SimDeviceOptions, BoardAddress {
  backend: BackendName;
}

export function openDevice(options: OpenOptions): Device {
  const { backend, device, baud, ...rest } = options;
  switch (backend) {
    case 'sim': return new SimDevice(rest);
    case 'ref': return new RefDevice();
    case 'pcie': return new PcieDevice({ device });
    case 'serial':
      if (device === undefined) throw new DeviceUnavailableError('the serial backend needs a port: --port <path>, or device.port in the config');
      return new SerialDevice({ port: device, baud });
  }
}
/** The devices of a command's roles: a device each in simulation, one shared card on a board. */
export function openRoles(options: OpenOptions): DeviceRoles {
  const open = () => openDevice(options);
  return BOARD_BACKENDS.includes(options.backend) ? sharedCard(options.backend, open) : separateDevices(options.backend, open);
}
export * from './generated/layout.js';
export { fixReceiverCounters } from './counters.js';
