import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const databaseUrl = z
  .string()
  .refine((v) => v.startsWith('sqlite:') || /^mysql:\/\/[^/]+\/[^/?]+/.test(v), {
    message: 'must be sqlite:<path> or mysql://user:pass@host:port/database',
  });

const encryptionKey = z.string().refine((v) => decodeKey(v) !== null, {
  message: 'must be 32 bytes, given as 64 hex characters or base64',
});

/** The one environment schema. Every variable is documented in .env.example. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: databaseUrl.default('sqlite:./data/kpl.db'),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    JWT_SECRET: z.string().optional(),
    ENCRYPTION_KEY: encryptionKey.optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    DATA_DIR: z.string().min(1).default('./data'),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.url({ message: 'each origin must be a URL such as https://training.example.com' }))),
    RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(100),
    USER_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
    LOGIN_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(20),
    RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    MATERIAL_MAX_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
    MIGRATE_ON_BOOT: booleanString.default(true),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
    TRUST_PROXY: booleanString.default(false),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    JOB_LEASE_MS: z.coerce.number().int().min(200).default(30_000),
    QUEUE_PREFIX: z.string().regex(/^[a-z0-9:_-]+$/i).default('kpl'),
    DISK_MIN_FREE_BYTES: z.coerce.number().int().min(0).default(100 * 1024 * 1024),
    SEED_PASSWORD: z.string().min(8).default('Kpl@2026demo'),
    EXAM_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (!env.JWT_SECRET) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production' });
    else if (env.JWT_SECRET.length < 32)
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be at least 32 characters in production' });
    if (!env.ENCRYPTION_KEY)
      ctx.addIssue({ code: 'custom', path: ['ENCRYPTION_KEY'], message: 'is required in production' });
  });

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<Env, 'JWT_SECRET' | 'ENCRYPTION_KEY'> {
  JWT_SECRET: string;
  /** 32 raw bytes for AES-256-GCM. */
  encryptionKey: Buffer;
  dataDir: string;
  /** Warnings to log once the logger exists (e.g. generated development secrets). */
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function decodeKey(value: string): Buffer | null {
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex');
  const b = Buffer.from(value, 'base64');
  return b.length === 32 ? b : null;
}

/**
 * Parses and validates the environment. Throws ConfigError with one readable line per problem.
 * Outside production, missing secrets are generated once and kept in DATA_DIR so restarts keep
 * sessions and encrypted values valid.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const env = parsed.data;
  const dataDir = resolve(env.DATA_DIR);
  const warnings: string[] = [];
  let { JWT_SECRET, ENCRYPTION_KEY } = env;
  if (!JWT_SECRET || !ENCRYPTION_KEY) {
    const dev = developmentSecrets(dataDir);
    if (!JWT_SECRET) JWT_SECRET = dev.jwtSecret;
    if (!ENCRYPTION_KEY) ENCRYPTION_KEY = dev.encryptionKey;
    warnings.push(`JWT_SECRET/ENCRYPTION_KEY not set: using development secrets stored in ${dev.file}. Set them in production.`);
  }
  return { ...env, JWT_SECRET, encryptionKey: decodeKey(ENCRYPTION_KEY)!, dataDir, warnings };
}

function developmentSecrets(dataDir: string): { jwtSecret: string; encryptionKey: string; file: string } {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { jwtSecret: string; encryptionKey: string };
    return { ...stored, file };
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = { jwtSecret: randomBytes(48).toString('base64url'), encryptionKey: randomBytes(32).toString('hex') };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return { ...secrets, file };
}
