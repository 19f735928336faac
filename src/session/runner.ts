// Runs one FIX session over TCP or TLS: the acceptor listens, the initiator connects and reconnects with
// exponential backoff and jitter. The bytes of every connection go through the device (device-link.ts).
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { fixReceiverCounters } from '../device/counters.js';
import { openRoles, type BackendName, type DeviceRoles } from '../device/index.js';
import { ConfigError } from '../config/config.js';
import type { SessionConfig } from './config.js';
import { FramerOrderPath, InboundLink, OutboundQueue, type OrderPath } from './device-link.js';
import type { RiskLimits } from '../risk/config.js';
import { RiskOrderPath } from '../risk/risk-order-path.js';
import { FixDictionary } from './dictionary.js';
import { FixSession } from './session.js';
import { MessageStore, StoreError } from './store.js';
import { fsReason } from '../util/fs-errors.js';

export interface SessionRunnerOptions {
  config: SessionConfig;
  /** Relative paths in the config (storeDir, TLS files, passwordFile) start here. */
  baseDir: string;
  backend: BackendName;
  /** pcie: the device files' prefix, serial: the port. */
  device?: string;
  /** serial: the baud rate. */
  baud?: number;
  /** Where the session's devices come from (default: openRoles of backend and device); on a board, a
   *  command that also runs the feed passes the card's roles so that both share the one card. */
  devices?: DeviceRoles;
  /** Stop once a Logout exchange has ended the session (the `tickgate session` contract). Default true. */
  untilLogout?: boolean;
  random?: () => number;
  /** Outbound application messages pass the device's risk gate with these limits (else the order path only
   *  checks that the device frames each message well). */
  risk?: RiskLimits;
}

/** The Logon password: from the environment variable or the file the config names, never from the config. */
export function resolvePassword(config: SessionConfig, baseDir: string): string | undefined {
  if (config.passwordEnv !== undefined) {
    const value = process.env[config.passwordEnv];
    if (value === undefined) throw new ConfigError(`session.passwordEnv: the environment variable ${config.passwordEnv} is not set`);
    return value;
  }
  if (config.passwordFile !== undefined) {
    try {
      return readFileSync(path.resolve(baseDir, config.passwordFile), 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new ConfigError(`session.passwordFile: cannot read ${config.passwordFile}: ${fsReason(err)}`);
    }
  }
  return undefined;
}

function tlsFiles(config: SessionConfig, baseDir: string): { cert?: Buffer; key?: Buffer; ca?: Buffer } {
  const read = (key: 'cert' | 'key' | 'ca') => {
    const file = config.tls?.[key];
    if (file === undefined) return undefined;
    try {
      return readFileSync(path.resolve(baseDir, file));
    } catch (err) {
      throw new ConfigError(`session.tls.${key}: cannot read ${file}: ${fsReason(err)}`);
    }
  };
  return { cert: read('cert'), key: read('key'), ca: read('ca') };
}

/** The wait before reconnect attempt `attempt` (1-based): initialMs doubling up to maxMs, ± jitter. */
export function backoffDelay(attempt: number, r: SessionConfig['reconnect'], random: () => number = Math.random): number {
  const base = Math.min(r.maxMs, r.initialMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(base * (1 - r.jitter + 2 * r.jitter * random()));
}

/** The acceptor's address cannot be listened on. */
export class ListenError extends Error {
  readonly code = 'LISTEN';
}

function listenReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return 'the address is already in use (another process listens there)';
  if (code === 'EADDRNOTAVAIL') return 'no interface of this machine has that address';
  if (code === 'EACCES') return 'permission denied (ports below 1024 need privileges)';
  return (err as Error).message;
}

/** The session's message store, or a ConfigError naming session.storeDir. */
function openStore(config: SessionConfig, baseDir: string): MessageStore {
  try {
    return new MessageStore({
      dir: path.resolve(baseDir, config.storeDir),
      name: `${config.beginString}-${config.senderCompID}-${config.targetCompID}`,
      fsync: config.fsync,
    });
  } catch (err) {
    if (err instanceof StoreError) throw new ConfigError(`session.storeDir: ${err.message}`);
    throw err;
  }
}

/** Bytes written to a peer and not yet taken by it, above which we stop reading from it and hold back what
 *  the session sends ... */
export const OUTBOUND_BACKLOG_BYTES = 1 << 20;
/** ... until they are down to this. */
export const OUTBOUND_LOW_WATER_BYTES = 256 * 1024;

export class SessionRunner {
  readonly session: FixSession;
  private readonly inbound: InboundLink;
  private readonly orderPath: OrderPath;
  private server: net.Server | undefined;
  private socket: net.Socket | undefined;
  /** The connection being served (acceptor), settled once its device stream is drained. */
  private serving: Promise<void> = Promise.resolve();
  private stopping = false;
  private loggedOut = false;
  private finished!: () => void;
  private failed!: (err: Error) => void;
  /** Resolves when the session is over: Logout (with untilLogout), stop(), or reconnect attempts used up. */
  readonly done: Promise<void>;
  private readonly tlsOptions: { cert?: Buffer; key?: Buffer; ca?: Buffer } | undefined;

  constructor(private readonly options: SessionRunnerOptions) {
    const { config, baseDir } = options;
    this.tlsOptions = config.tls ? tlsFiles(config, baseDir) : undefined;
    const password = resolvePassword(config, baseDir);
    const store = openStore(config, baseDir);
    this.session = new FixSession({ config, store, dictionary: FixDictionary.forBeginString(config.beginString), password });
    this.done = new Promise((resolve, reject) => { this.finished = resolve; this.failed = reject; });
    this.done.catch(() => undefined);
    const devices = options.devices ?? openRoles({ backend: options.backend, device: options.device, baud: options.baud });
    let inboundDevice;
    try {
      inboundDevice = devices.open('fix', `session ${this.session.id}: inbound messages`);
    } catch (err) {
      store.close();
      throw err;
    }
    try {
      // on a card the FIX receiver is the inbound side's: the order path is the risk gate or nothing
      this.orderPath = options.risk
        ? new RiskOrderPath(devices.open('orders', `session ${this.session.id}: order path`), options.risk)
        : new FramerOrderPath(devices.open('fix', `session ${this.session.id}: order path without a risk: section (the FIX framer)`));
    } catch (err) {
      void inboundDevice.close();
      store.close();
      throw err;
    }
    this.inbound = new InboundLink(inboundDevice, (err) => this.fail(err));
    this.session.on('state', (s) => { if (s === 'logging_out') this.loggedOut = true; });
  }

  /** Acceptor: listening when this resolves (see `port`). Initiator: the connect loop has started. When the
   *  acceptor cannot listen, everything opened is closed again before the error is thrown. */
  async start(): Promise<void> {
    const torn = this.session.store.tornBytesDropped;
    if (torn) {
      this.session.emit('event', { type: 'info', text: `message store: cut off a torn last record of ${torn} bytes (the process died while writing it: a message it recorded as sent never left, one recorded as received will be asked for again)`, session: this.session.id });
    }
    if (this.options.config.role !== 'acceptor') return void this.connectLoop();
    try {
      await this.listen();
    } catch (err) {
      this.stopping = true;
      this.session.close();
      this.server = undefined;
      await this.shutdown();
      this.finished();
      const { host, port } = this.options.config;
      throw new ListenError(`session.port: cannot listen on ${host}:${port}: ${listenReason(err)}`);
    }
  }

  /** The risk gate's counters, when the order path is the risk gate. */
  riskCounters(): Record<string, number> | undefined {
    return this.orderPath instanceof RiskOrderPath ? this.orderPath.counters() : undefined;
  }

  /** The inbound device's FIX receiver counters (DESIGN.md register map). */
  inboundCounters(): Record<string, number | string> {
    return fixReceiverCounters(this.inbound.device);
  }

  get port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : this.options.config.port;
  }

  /** Logs out (if logged on) and closes everything. */
  async stop(): Promise<void> {
    if (this.stopping) return this.done;
    this.stopping = true;
    if (this.session.state === 'active') {
      this.session.logout('session stopped');
      await Promise.race([
        new Promise<void>((resolve) => this.session.once('state', (s) => { if (s === 'disconnected') resolve(); })),
        new Promise<void>((resolve) => setTimeout(resolve, this.options.config.logoutTimeoutSec * 1000 + 500).unref()),
      ]);
    }
    this.session.close();
    this.socket?.destroy();
    await this.shutdown();
    this.finished();
    return this.done;
  }

  private async shutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.inbound.close();
    await this.orderPath.close();
    this.session.store.close();
  }

  private fail(err: Error): void {
    this.stopping = true;
    this.session.close();
    this.socket?.destroy();
    void this.shutdown().finally(() => this.failed(err));
  }

  private listen(): Promise<void> {
    const { config } = this.options;
    const onConnection = (socket: net.Socket) => {
      // One identity per acceptor: a second connection while one is up is dropped without a byte sent
      // (Test Case 1S b: an answer would use a sequence number).
      if ((this.socket && !this.socket.destroyed) || this.stopping) {
        socket.destroy();
        this.session.emit('event', { type: 'info', text: 'second connection for a session already connected: dropped', session: this.session.id });
        return;
      }
      // The previous connection has closed but its last bytes may still be in the device: serve the new
      // one when that stream is drained.
      const previous = this.serving;
      this.serving = previous.then(async () => {
        if (this.stopping) {
          socket.destroy();
          return;
        }
        await this.serve(socket);
        this.afterConnection();
      });
    };
    this.server = this.tlsOptions
      ? tls.createServer({ ...this.tlsOptions, requestCert: this.tlsOptions.ca !== undefined, rejectUnauthorized: config.tls?.rejectUnauthorized ?? true }, onConnection)
      : net.createServer(onConnection);
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(config.port, config.host, () => resolve());
    });
  }

  private afterConnection(): void {
    if (this.stopping) return;
    if (this.loggedOut && (this.options.untilLogout ?? this.options.config.role === 'initiator')) void this.stop();
    this.loggedOut = false;
  }

  private async connectLoop(): Promise<void> {
    const { config } = this.options;
    let attempt = 0;
    while (!this.stopping) {
      let socket: net.Socket;
      try {
        socket = await this.connect();
      } catch (err) {
        attempt++;
        if (config.reconnect.maxAttempts && attempt >= config.reconnect.maxAttempts) {
          return this.fail(new Error(`cannot connect to ${config.host}:${config.port} after ${attempt} attempts: ${(err as Error).message}`));
        }
        const wait = backoffDelay(attempt, config.reconnect, this.options.random);
        this.session.emit('event', { type: 'info', text: `connect to ${config.host}:${config.port} failed (${(err as Error).message}); retry in ${wait} ms`, session: this.session.id, attempt, wait });
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      let loggedOn = false;
      const onState = (s: string) => { if (s === 'active') loggedOn = true; };
      this.session.on('state', onState);
      await this.serve(socket);
      this.session.off('state', onState);
      if (this.stopping) return;
      if (this.loggedOut && (this.options.untilLogout ?? this.options.config.role === 'initiator')) return void this.stop();
      this.loggedOut = false;
      attempt = loggedOn ? 1 : attempt + 1;
      const wait = backoffDelay(attempt, config.reconnect, this.options.random);
      this.session.emit('event', { type: 'info', text: `reconnect in ${wait} ms`, session: this.session.id, attempt, wait });
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private connect(): Promise<net.Socket> {
    const { config } = this.options;
    return new Promise((resolve, reject) => {
      const socket = this.tlsOptions
        ? tls.connect({ host: config.host, port: config.port, ...this.tlsOptions, servername: config.tls?.servername, rejectUnauthorized: config.tls?.rejectUnauthorized ?? true }, () => resolve(socket))
        : net.connect({ host: config.host, port: config.port }, () => resolve(socket));
      socket.once('error', reject);
    });
  }

  /** One connection, until it closes. */
  private async serve(socket: net.Socket): Promise<void> {
    this.socket = socket;
    socket.setNoDelay(true);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', (err) => this.session.emit('event', { type: 'info', text: `socket: ${err.message}`, session: this.session.id }));
    this.inbound.open((m) => this.session.receive(m));
    // What we send waits in the order path and then in the socket. Above OUTBOUND_BACKLOG_BYTES the session
    // holds back what it sends next (as a sequence number, its bytes in the store) until both have brought
    // it below OUTBOUND_LOW_WATER_BYTES, so an application's burst cannot grow this process.
    const backlog = () => (socket.destroyed ? 0 : out.pendingBytes + socket.writableLength);
    let full = false;
    const drained = () => {
      if (full && backlog() <= OUTBOUND_LOW_WATER_BYTES) {
        full = false;
        this.session.connectionDrained();
      }
    };
    // The messages written in one turn of the event loop leave in one write: corked at the first, uncorked
    // once the turn's callbacks and promise jobs are done (a fill answered at once by the next order costs
    // no system call of its own).
    let corked = false;
    const uncork = () => { corked = false; socket.uncork(); };
    const write = (bytes: Buffer) => {
      if (socket.destroyed) return;
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      socket.write(bytes);
    };
    const out = new OutboundQueue(this.orderPath, write, (seq, reason) => {
      this.session.emit('event', { type: 'info', text: `order ${seq} stopped by the device: ${reason}`, session: this.session.id, seq });
    }, drained);
    socket.on('drain', drained);
    // A peer that does not read what we send must not grow our memory: while more than
    // OUTBOUND_BACKLOG_BYTES wait in the socket, we stop reading what it sends (so it stops too, by TCP's
    // flow control) until the socket drains.
    const writable = () => socket.writableLength <= OUTBOUND_BACKLOG_BYTES || socket.destroyed
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
        const go = () => { socket.off('drain', go); socket.off('close', go); resolve(); };
        socket.on('drain', go);
        socket.on('close', go);
      });
    let feeding = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      const pushed = this.inbound.push(chunk);
      socket.pause();
      feeding = pushed.then(writable).then(() => { socket.resume(); }, (err) => this.fail(err as Error));
    });
    this.session.attach({
      write: (bytes, kind) => {
        out.push(bytes, kind.app, kind.seq);
        if (backlog() > OUTBOUND_BACKLOG_BYTES) full = true;
        return !full;
      },
      close: () => {
        void out.flushed().then(() => socket.end());
        setTimeout(() => socket.destroy(), 1000).unref();
      },
    });
    await closed;
    // The device may still hold the last messages the peer sent before closing (a Logout reply, say):
    // end the device stream first, so the session sees them, then tell it the connection is gone.
    await feeding;
    await this.inbound.end();
    this.session.detach();
    this.socket = undefined;
  }
}
