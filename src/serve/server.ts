// The HTTP(S) side of `tickgate serve`: the WebSocket at /v1/stream behind bearer tokens (checked before the
// upgrade: a missing or unknown token gets 401 and no WebSocket), /metrics (figures only, no token: as
// Prometheus scrapes), the dashboard at / with its assets, other paths 404.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Registry } from 'prom-client';
import { packageRoot } from '../device/addon.js';
import type { EventHub } from './hub.js';

/** The dashboard and what it loads, from the package (no CDN): the page, its script, protobufjs's browser
 *  build and the schema it decodes with. They hold no data: the WebSocket still needs a token. */
const STATIC: Record<string, { file: string; type: string } | undefined> = {
  '/': { file: 'src/serve/dashboard/index.html', type: 'text/html; charset=utf-8' },
  '/assets/dashboard.js': { file: 'src/serve/dashboard/dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/assets/protobuf.min.js': { file: 'node_modules/protobufjs/dist/protobuf.min.js', type: 'text/javascript; charset=utf-8' },
  '/proto/tickgate.proto': { file: 'proto/tickgate.proto', type: 'text/plain; charset=utf-8' },
};

/** Largest message a client may send (a Subscribe of MAX_SUBSCRIBE_SYMBOLS symbols fits). */
const MAX_CLIENT_MESSAGE_BYTES = 256 * 1024;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Bearer tokens, compared in constant time: the candidate's digest against every token's digest, all of
 *  them, so neither the token nor which one matched shows in the time taken. */
export class TokenCheck {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(digest);
  }

  accepts(candidate: string | undefined): boolean {
    if (candidate === undefined) return false;
    const d = digest(candidate);
    let ok = false;
    for (const t of this.digests) ok = timingSafeEqual(t, d) || ok;
    return ok;
  }
}

/** The token of a request: `Authorization: Bearer <token>`, or `?token=` (browsers cannot set headers on a
 *  WebSocket). */
export function requestToken(req: http.IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  const m = auth === undefined ? null : /^Bearer +(\S+)\s*$/i.exec(auth);
  if (m) return m[1];
  return new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined;
}

export interface EventServerOptions {
  host: string;
  port: number;
  tls?: { cert: Buffer; key: Buffer };
  tokens: TokenCheck;
  hub: EventHub;
  /** /metrics, in Prometheus text format */
  metrics?: Registry;
}

export class EventServer {
  private readonly server: http.Server | https.Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });

  constructor(private readonly o: EventServerOptions) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.request(req, res);
    this.server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key }, handler) : http.createServer(handler);
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** Listens; resolves with the URL clients use (the real port when 0 was asked for). */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => {
        this.server.off('error', reject);
        const { port } = this.server.address() as { port: number };
        const host = this.o.host.includes(':') ? `[${this.o.host}]` : this.o.host;
        resolve(`${this.o.tls ? 'https' : 'http'}://${host}:${port}`);
      });
    });
  }

  async close(): Promise<void> {
    await this.o.hub.close();
    this.wss.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // keep-alive connections (a browser's, a scraper's) would hold the close open
    this.server.closeAllConnections();
    await closed;
  }

  private request(req: http.IncomingMessage, res: http.ServerResponse): void {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === '/metrics' && this.o.metrics) {
      const registry = this.o.metrics;
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
      );
      return;
    }
    if (pathname === '/v1/stream') {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('a WebSocket upgrade is expected here\n');
      return;
    }
    const asset = STATIC[pathname];
    if (asset) {
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache' }).end(readFileSync(path.join(packageRoot(), asset.file)));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/v1/stream') return refuse(socket, 404, 'Not Found');
    if (!this.o.tokens.accepts(requestToken(req))) return refuse(socket, 401, 'Unauthorized', 'WWW-Authenticate: Bearer\r\n');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.o.hub.add(ws));
  }
}

function refuse(socket: Duplex, status: number, text: string, extra = ''): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${extra}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}
