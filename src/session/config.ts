// The `session:` section of the config (DESIGN.md 3.5).
import { z } from 'zod';
import { BEGIN_STRINGS } from './dictionary.js';

const compId = z.string().min(1, 'must not be empty').regex(/^[^\x01=]+$/, 'must not contain SOH or "="');
const seconds = (max: number) => z.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

export const sessionSchema = z.strictObject({
  role: z.enum(['acceptor', 'initiator'], { error: 'must be "acceptor" or "initiator"' }),
  beginString: z.enum(BEGIN_STRINGS, { error: `must be one of ${BEGIN_STRINGS.join(', ')}` }),
  /** FIXT.1.1 only: the application version (1137); 9 is FIX.5.0SP2. */
  defaultApplVerID: z.string().regex(/^\d+$/, 'must be an ApplVerID number such as 9').optional(),
  senderCompID: compId,
  targetCompID: compId,
  host: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  port: z.number().int('must be a whole number').min(0, 'must be from 0 to 65535').max(65535, 'must be from 0 to 65535'),
  heartBtInt: seconds(3600).default(30),
  resetOnLogon: z.boolean({ error: 'must be true or false' }).default(false),
  storeDir: z.string().min(1, 'must not be empty').default('./var/store'),
  /** fdatasync after every store write: survives power loss, not only a killed process. */
  fsync: z.boolean({ error: 'must be true or false' }).default(false),
  username: z.string().optional(),
  passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
  passwordFile: z.string().min(1).optional(),
  password: z.never({ error: 'the password never sits in the config: name an environment variable (passwordEnv) or a file (passwordFile)' }).optional(),
  tls: z.strictObject({
    cert: z.string().optional(),
    key: z.string().optional(),
    ca: z.string().optional(),
    servername: z.string().optional(),
    rejectUnauthorized: z.boolean().default(true),
  }).optional(),
  reconnect: z.strictObject({
    initialMs: z.number().int().min(1).default(500),
    maxMs: z.number().int().min(1).default(30_000),
    /** Each wait is drawn uniformly from [d × (1 − jitter), d × (1 + jitter)]. */
    jitter: z.number().min(0).max(1).default(0.2),
    /** Attempts before giving up; 0 tries forever. */
    maxAttempts: z.number().int().min(0).default(0),
  }).default({ initialMs: 500, maxMs: 30_000, jitter: 0.2, maxAttempts: 0 }),
  sendingTimeToleranceSec: seconds(86_400).default(120),
  logonTimeoutSec: seconds(3600).default(10),
  logoutTimeoutSec: seconds(3600).default(2),
  /** Check received messages against the data dictionary (Test Case 14). */
  validate: z.boolean().default(true),
}).superRefine((s, ctx) => {
  if (s.beginString === 'FIXT.1.1' && s.defaultApplVerID === undefined) {
    ctx.addIssue({ code: 'custom', path: ['defaultApplVerID'], message: 'is required with beginString FIXT.1.1 (9 for FIX.5.0SP2)' });
  }
  if (s.beginString !== 'FIXT.1.1' && s.defaultApplVerID !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['defaultApplVerID'], message: 'only applies to beginString FIXT.1.1' });
  }
  if (s.passwordEnv !== undefined && s.passwordFile !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['passwordEnv'], message: 'give passwordEnv or passwordFile, not both' });
  }
  if (s.role === 'initiator' && s.port === 0) {
    ctx.addIssue({ code: 'custom', path: ['port'], message: 'an initiator needs the port to connect to' });
  }
  if (s.reconnect.maxMs < s.reconnect.initialMs) {
    ctx.addIssue({ code: 'custom', path: ['reconnect', 'maxMs'], message: 'must not be below reconnect.initialMs' });
  }
});

export type SessionConfig = z.output<typeof sessionSchema>;
