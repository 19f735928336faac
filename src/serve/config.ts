// The `serve:` and `feed:` sections of the config (DESIGN.md 3.7).
import { z } from 'zod';
import { isTimeZone } from './exchange-clock.js';

const hostPort = z.string().regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8080')
  .refine((v) => Number(v.split(':')[1]) <= 65535, 'the port must be from 0 to 65535');

export const serveSchema = z.strictObject({
  /** HTTP(S): WebSocket at /v1/stream. */
  listen: hostPort.default('127.0.0.1:8080'),
  tls: z.strictObject({
    cert: z.string().min(1, 'must be the path of a PEM certificate'),
    key: z.string().min(1, 'must be the path of a PEM private key'),
  }).optional(),
  /** Comma-separated bearer tokens, read from this environment variable; never in the file. */
  tokensEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable').default('TICKGATE_TOKENS'),
  tokens: z.never({ error: 'tokens never sit in the config: name the environment variable that holds them (tokensEnv)' }).optional(),
  /** Per client: a client further behind is disconnected (close code 4008). */
  maxQueueBytes: z.number().int('must be a whole number').min(65_536, 'must be at least 65536').max(2 ** 31, 'must be at most 2147483648').default(8 * 2 ** 20),
  /** Price levels per side in book events. */
  bookDepth: z.number().int('must be a whole number').min(1, 'must be from 1 to 100').max(100, 'must be from 1 to 100').default(10),
  /** Every event also to this NATS JetStream stream, on tickgate.<kind>.<symbol>. */
  nats: z.strictObject({
    url: z.string().regex(/^nats:\/\/[^\s/:]+:\d{1,5}$/, 'must be nats://host:port'),
    stream: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a JetStream stream name (letters, digits, _ and -)').default('TICKGATE'),
  }).optional(),
});

export type ServeConfig = z.infer<typeof serveSchema>;

const symbol = z.string().regex(/^[\x21-\x7e][\x20-\x7e]{0,7}$/, 'must be an ITCH symbol (1 to 8 printable ASCII characters)');

const ipv4 = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'must be an IPv4 address');

/** Nasdaq's Timestamps count from midnight Eastern time. */
export const NASDAQ_TIME_ZONE = 'America/New_York';

export const feedSchema = z.strictObject({
  /** A pcap, pcapng, MoldUDP64 stream or BinaryFILE ... */
  source: z.string().min(1, 'must be the path of a capture, a MoldUDP64 stream or a BinaryFILE').optional(),
  /** ... or a live MoldUDP64 multicast group, group:port. */
  listen: hostPort.optional(),
  /** listen: the interface address that joins the group (default 127.0.0.1). */
  interface: ipv4.optional(),
  /** listen: the retransmission server, host:port; without it gaps are reported, not recovered. */
  retransmit: hostPort.optional(),
  /** Replay speed in messages per second; 0: as fast as the device goes. */
  rate: z.number().min(0, 'must be 0 (as fast as the device goes) or more').default(0),
  /** The exchange's time zone, in which ITCH Timestamps count from midnight (for the feed latency). */
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone name, e.g. America/New_York or UTC').default(NASDAQ_TIME_ZONE),
  /** Device-side symbol filter (DESIGN.md 3.3). */
  symbols: z.array(symbol).min(1, 'must list at least one symbol (leave it out to take every symbol)').optional(),
}).superRefine((f, ctx) => {
  if ((f.source === undefined) === (f.listen === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['source'], message: 'give either source (a file) or listen (a multicast group:port)' });
  }
  for (const key of ['interface', 'retransmit'] as const) {
    if (f[key] !== undefined && f.listen === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is for a live feed (listen)' });
  }
});

export type FeedConfig = z.infer<typeof feedSchema>;
