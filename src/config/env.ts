import path from 'node:path';
import { z } from 'zod';

/** The environment Homeward reads, parsed once at start. Unknown variables are ignored. */
const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  HOMEWARD_DATA_DIR: z.string().min(1).default('./data'),
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
});

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
  /** Whether answers carry a Server-Timing header with the database's share (for the benchmark). */
  readonly serverTiming: boolean;
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
    serverTiming: env.HOMEWARD_SERVER_TIMING,
  };
}
