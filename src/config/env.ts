import path from 'node:path';
import { z } from 'zod';

const KEY_FORMAT_MESSAGE = 'must be 32 bytes, as 64 hexadecimal characters or base64 (e.g. `openssl rand -base64 32`)';
const KEY_ID = /^[a-z0-9_-]{1,32}$/;
const KEY_ID_MESSAGE = 'must be 1-32 characters a-z, 0-9, _ or -';

/** 1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, … 21st. */
export function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * PostgreSQL's shared_buffers inside the embedded database (PGlite): its page cache, part of PGlite's own
 * memory, which every start sets up — about 0.6 s of CPU at the default 128MB, 0.1 s at 16MB. A whole
 * number of megabytes, 1MB to 1024MB. The test suite, which opens some hundreds of small databases, sets 16MB.
 */
const PgliteSharedBuffers = z
  .string()
  .regex(/^\d{1,4}MB$/, 'must be a whole number of megabytes, such as 128MB')
  .refine((v) => Number.parseInt(v, 10) >= 1 && Number.parseInt(v, 10) <= 1024, 'must be between 1MB and 1024MB')
  .default('128MB');

/** HOMEWARD_PGLITE_SHARED_BUFFERS, for code that opens an embedded database without the whole configuration. */
export function pgliteSharedBuffers(source: NodeJS.ProcessEnv = process.env): string {
  const value = source.HOMEWARD_PGLITE_SHARED_BUFFERS;
  const parsed = PgliteSharedBuffers.safeParse(value === '' ? undefined : value);
  if (!parsed.success) throw new ConfigError(`environment variable HOMEWARD_PGLITE_SHARED_BUFFERS: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The environment Homeward reads, parsed once at start. Unknown variables are ignored. */
const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  HOMEWARD_DATA_DIR: z.string().min(1).default('./data'),
  HOMEWARD_PGLITE_SHARED_BUFFERS: PgliteSharedBuffers,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Set when Homeward runs behind a TLS-terminating proxy: cookies become Secure and HSTS is sent. */
  HOMEWARD_TLS: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** Trust X-Forwarded-For from a proxy in front (for per-address rate limits). */
  HOMEWARD_TRUST_PROXY: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** Seconds a session lives without activity, and at most. */
  HOMEWARD_SESSION_IDLE_SECONDS: z.coerce.number().int().min(60).default(3600),
  HOMEWARD_SESSION_MAX_SECONDS: z.coerce.number().int().min(300).default(12 * 3600),
  /** Answers carry a Server-Timing header with the database's share of the time (the benchmark reads it). */
  HOMEWARD_SERVER_TIMING: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /**
   * Seconds a background job stays claimed by its worker without a renewal (renewed every third
   * of it while the job runs): how soon another instance runs again the job of an instance that died.
   */
  HOMEWARD_JOB_LEASE_SECONDS: z.coerce.number().int().min(3).max(24 * 3600).default(300),
  /**
   * Days a case stays as it is after it ended (closed, rejected, withdrawn) before the daily retention job
   * anonymises it and its members (decision 0025). Unset: 3650 (ten years). At least 30, at most 36,500.
   */
  HOMEWARD_RETENTION_DAYS: z.coerce.number({ error: 'must be a whole number of days' }).int('must be a whole number of days').min(30, 'must be at least 30 days').max(36_500, 'must be at most 36,500 days').default(3650),
  /**
   * The key that seals the most sensitive fields at rest and the backups (decision 0024): 32 bytes,
   * as 64 hexadecimal characters or base64. Unset: a key file in the data directory (see field-keys.ts).
   */
  HOMEWARD_ENCRYPTION_KEY: z
    .string()
    .transform((value, ctx) => {
      const key = parseEncryptionKey(value);
      if (!key) ctx.addIssue({ code: 'custom', message: KEY_FORMAT_MESSAGE });
      return key ?? Buffer.alloc(0);
    })
    .optional(),
  /** The key's name, stored with every value it seals; default: the first 8 hex digits of its SHA-256. */
  HOMEWARD_ENCRYPTION_KEY_ID: z.string().regex(KEY_ID, KEY_ID_MESSAGE).optional(),
  /**
   * Retired keys (key rotation, decision 0027), comma-separated, each as HOMEWARD_ENCRYPTION_KEY, or
   * `<id>:<key>` for one whose values carry an id other than the default (it had HOMEWARD_ENCRYPTION_KEY_ID).
   * They open values, never seal one; `homeward keys rotate` re-seals what they sealed with the current key.
   */
  HOMEWARD_ENCRYPTION_KEYS_PREVIOUS: z
    .string()
    .transform((value, ctx) => {
      const keys: { id: string | undefined; key: Buffer }[] = [];
      value.split(',').forEach((raw, index) => {
        const entry = raw.trim();
        if (entry === '') return;
        const colon = entry.indexOf(':');
        const id = colon >= 0 ? entry.slice(0, colon) : undefined;
        const key = parseEncryptionKey(colon >= 0 ? entry.slice(colon + 1) : entry);
        // The entry is never echoed: it is a key.
        if (id !== undefined && !KEY_ID.test(id)) ctx.addIssue({ code: 'custom', message: `the ${ordinal(index + 1)} entry's id (before the colon) ${KEY_ID_MESSAGE}` });
        else if (!key) ctx.addIssue({ code: 'custom', message: `the ${ordinal(index + 1)} entry ${KEY_FORMAT_MESSAGE}` });
        else keys.push({ id, key });
      });
      return keys;
    })
    .optional(),
  /** A passphrase that seals backups instead of the key (scrypt); at least 12 characters. */
  HOMEWARD_BACKUP_PASSPHRASE: z.string().min(12, 'must be at least 12 characters').max(1024).optional(),
});

/** 32 bytes from 64 hex digits or base64 (standard or URL-safe, padded or not); null otherwise. */
export function parseEncryptionKey(value: string): Buffer | null {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return key;
  }
  return null;
}

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  readonly database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly tls: boolean;
  readonly trustProxy: boolean;
  readonly sessionIdleSeconds: number;
  readonly sessionMaxSeconds: number;
  readonly jobLeaseSeconds: number;
  /** Days after a case ended before it is anonymised (HOMEWARD_RETENTION_DAYS, default 3650). */
  readonly retentionDays: number;
  /** Whether answers carry a Server-Timing header with the database's share (for the benchmark). */
  readonly serverTiming: boolean;
  /** The key of HOMEWARD_ENCRYPTION_KEY and its id, if set. */
  readonly encryptionKey: { readonly id: string | undefined; readonly key: Buffer } | null;
  /** The retired keys of HOMEWARD_ENCRYPTION_KEYS_PREVIOUS (they open, never seal), in the order given. */
  readonly previousEncryptionKeys: readonly { readonly id: string | undefined; readonly key: Buffer }[];
  readonly backupPassphrase: string | null;
}

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming the variable that is wrong. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means unset (`DATABASE_URL= homeward serve` uses the embedded database).
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`environment variable ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.HOMEWARD_DATA_DIR);
  return {
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    dataDir,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    tls: env.HOMEWARD_TLS,
    trustProxy: env.HOMEWARD_TRUST_PROXY,
    sessionIdleSeconds: env.HOMEWARD_SESSION_IDLE_SECONDS,
    sessionMaxSeconds: env.HOMEWARD_SESSION_MAX_SECONDS,
    jobLeaseSeconds: env.HOMEWARD_JOB_LEASE_SECONDS,
    retentionDays: env.HOMEWARD_RETENTION_DAYS,
    serverTiming: env.HOMEWARD_SERVER_TIMING,
    encryptionKey: env.HOMEWARD_ENCRYPTION_KEY ? { id: env.HOMEWARD_ENCRYPTION_KEY_ID, key: env.HOMEWARD_ENCRYPTION_KEY } : null,
    previousEncryptionKeys: env.HOMEWARD_ENCRYPTION_KEYS_PREVIOUS ?? [],
    backupPassphrase: env.HOMEWARD_BACKUP_PASSPHRASE ?? null,
  };
}
