// The devices a command works with, one per role: the FIX receiver (inbound session bytes), the order path
// (the risk gate) and the feed. In simulation every role gets a device of its own; a board is one card with
// one of each core, so its roles share it: each role sees the events of its own core, in device order.
import type { BackendName, Device, SendOptions } from './device.js';
import { readReg64 } from './device.js';
import { EventQueue } from './event-queue.js';
import type { DeviceEvent } from './events.js';

export type DeviceRole = 'fix' | 'orders' | 'feed';

const ROLE_OF_KIND: Record<DeviceEvent['kind'], DeviceRole> = {
  fix_field: 'fix', fix_frame: 'fix', stream_end: 'fix', fix_records: 'fix',
  risk_record: 'orders', order_out: 'orders',
  feed_record: 'feed', feed_records: 'feed',
};

const ROLE_NAME: Record<DeviceRole, string> = { fix: 'FIX receiver', orders: 'order path (risk gate)', feed: 'feed core' };

/** Hands out the device of each role. */
export interface DeviceRoles {
  readonly backend: BackendName;
  /** The device for `role`; `user` names who takes it, for the error when a card's core is taken twice. */
  open(role: DeviceRole, user: string): Device;
}

/** Every role on a device of its own (sim, ref). */
export function separateDevices(backend: BackendName, open: () => Device): DeviceRoles {
  return { backend, open: () => open() };
}

/** Thrown when a command needs a core of the card twice (two FIX receivers, say). */
export class RoleTakenError extends Error {
  readonly code = 'CONFIG';
}

/** Every role on one card: opened with the first role, closed with the last. */
export function sharedCard(backend: BackendName, open: () => Device): DeviceRoles {
  let card: SharedCard | undefined;
  return {
    backend,
    open(role, user) {
      if (!card || card.closed) card = new SharedCard(open());
      return card.take(role, user);
    },
  };
}

class SharedCard {
  private readonly views = new Map<DeviceRole, RoleView>();
  private readonly pump: Promise<void>;
  closed = false;

  constructor(readonly device: Device) {
    this.pump = (async () => {
      for await (const ev of device.events()) {
        // a core nobody took sends nothing: nothing was sent to it
        this.views.get(ROLE_OF_KIND[ev.kind])?.queue.push([ev]);
      }
    })();
    this.pump.then(() => this.finishAll(), (err: unknown) => this.finishAll(err));
  }

  take(role: DeviceRole, user: string): Device {
    const holder = this.views.get(role);
    if (holder) {
      throw new RoleTakenError(`${user}: the card's ${ROLE_NAME[role]} is in use by ${holder.user}; a ${this.device.backend} card has one`);
    }
    const view = new RoleView(this, role, user);
    this.views.set(role, view);
    return view;
  }

  async release(view: RoleView): Promise<void> {
    view.queue.finish();
    view.released = true;
    if ([...this.views.values()].every((v) => v.released)) {
      this.closed = true;
      await this.device.close();
      await this.pump.catch(() => undefined);
    }
  }

  private finishAll(err?: unknown): void {
    for (const v of this.views.values()) v.queue.finish(err);
  }
}

/** One role's side of a shared card: its sends go to the card, its events are those of its core. */
class RoleView implements Device {
  readonly queue = new EventQueue<DeviceEvent>();
  released = false;

  constructor(private readonly card: SharedCard, readonly role: DeviceRole, readonly user: string) {}

  get backend(): BackendName { return this.card.device.backend; }
  reset(): void { this.card.device.reset(); }
  readReg(addr: number): number { return this.card.device.readReg(addr); }
  writeReg(addr: number, value: number): void { this.card.device.writeReg(addr, value); }
  readReg64(addrLo: number): bigint { return readReg64(this, addrLo); }
  send(bytes: Uint8Array, options?: SendOptions): Promise<void> { return this.card.device.send(bytes, options); }
  sendFeed(packet: Uint8Array): Promise<void> { return this.card.device.sendFeed(packet); }
  sendOrders(bytes: Uint8Array, options?: SendOptions): Promise<void> { return this.card.device.sendOrders(bytes, options); }
  /** Waits for everything sent to the card (by any role) and for its events to be in the roles' queues. */
  async flush(): Promise<void> {
    await this.card.device.flush();
    // the pump moves what the card has queued within microtasks: past one macrotask, it has moved it all
    await new Promise((resolve) => setImmediate(resolve));
  }
  /** The card's FIX records go to the FIX role only: asking for them changes what this role sees. */
  deliverFixRecords(): void { this.card.device.deliverFixRecords(); }
  deliverFeedRecords(): void { this.card.device.deliverFeedRecords(); }
  events(): AsyncIterableIterator<DeviceEvent> { return this.queue; }
  close(): Promise<void> { return this.released ? Promise.resolve() : this.card.release(this); }
}
