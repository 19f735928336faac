// Device over a PCIe card with the XDMA board shell, through the xdma driver's device files (or the
// emulator's, `tickgate emulate pcie`): driver/src/pcie_backend.cc does the transfers on its own threads.
import { loadAddon, type NativePcieDevice } from './addon.js';
import { DEFAULT_PCIE_DEVICE, DeviceUnavailableError } from './device.js';
import { NativeEventDevice } from './native-event-device.js';

export interface PcieDeviceOptions {
  /** The device files' prefix (default /dev/xdma0). */
  device?: string;
  timeoutMs?: number;
}

export class PcieDevice extends NativeEventDevice {
  readonly backend = 'pcie' as const;
  protected readonly native: NativePcieDevice;

  /** Throws DeviceUnavailableError when the device is missing, is not a tickgate card or does not answer. */
  constructor(options: PcieDeviceOptions = {}) {
    super();
    const { PcieDevice: Native } = loadAddon();
    try {
      this.native = new Native({
        device: options.device ?? DEFAULT_PCIE_DEVICE,
        timeoutMs: options.timeoutMs,
        onEvents: this.onEvents,
      });
    } catch (err) {
      throw new DeviceUnavailableError((err as Error).message);
    }
  }
}
