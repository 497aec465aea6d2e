import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { createContainer, type Container } from '../container.js';
import { seedDemoOrganisation } from '../modules/identity/index.js';

/** Which backing services this test run uses: SQLite + memory always; MariaDB + Redis in the second run. */
export const backend = (process.env.KPL_TEST_BACKEND === 'mysql' ? 'mysql' : 'sqlite') as 'sqlite' | 'mysql';
export const MYSQL_ADMIN_URL = process.env.KPL_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const REDIS_TEST_URL = process.env.KPL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestEnv {
  env: Record<string, string>;
  dataDir: string;
  cleanup(): Promise<void>;
}

/** An isolated database (a fresh SQLite file, or a fresh MariaDB schema) and Redis key prefix. */
export async function isolatedEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kpl-test-'));
  const suffix = randomBytes(5).toString('hex');
  const prefix = `kpltest-${suffix}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-prod-000',
    ENCRYPTION_KEY: '0'.repeat(64),
    QUEUE_PREFIX: prefix,
    PORT: '0',
    // Tests send hundreds of requests from one address; the limits have their own tests.
    RATE_LIMIT_MAX: '1000000',
    USER_RATE_LIMIT_MAX: '1000000',
    LOGIN_RATE_LIMIT_MAX: '1000000',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(dataDir, 'test.db')}`,
  };
  let dropDatabase: (() => Promise<void>) | null = null;
  if (backend === 'mysql') {
    const name = `kpl_t_${suffix}`;
    const admin = await createConnection(MYSQL_ADMIN_URL);
    await admin.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
    await admin.end();
    const u = new URL(MYSQL_ADMIN_URL);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    env.REDIS_URL = REDIS_TEST_URL;
    dropDatabase = async () => {
      const c = await createConnection(MYSQL_ADMIN_URL);
      await c.query(`drop database if exists \`${name}\``);
      await c.end();
    };
  }
  Object.assign(env, overrides);
  return {
    env,
    dataDir,
    async cleanup() {
      await dropDatabase?.();
      if (env.REDIS_URL === REDIS_TEST_URL) await deleteRedisKeys(prefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const r = new Redis(REDIS_TEST_URL, { lazyConnect: true });
  try {
    await r.connect();
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  config: Config;
  close(): Promise<void>;
}

/** A container and app on an isolated backend; close() tears everything down. */
export async function createTestApp(overrides: Record<string, string> = {}, options: AppOptions = {}): Promise<TestApp> {
  const t = await isolatedEnv(overrides);
  const config = loadConfig(t.env);
  const container = await createContainer(config);
  const app = await buildApp(container, options);
  await app.ready();
  return {
    app,
    container,
    config,
    async close() {
      await app.close();
      await container.close();
      await t.cleanup();
    },
  };
}

export const DEMO_PASSWORD = 'Demo@12345';

export interface Session {
  token: string;
  refreshToken: string;
  userId: string;
  headers: { authorization: string };
}

/** Seeds the demo organisation into a test app and signs in as each given user. */
export async function seedAndLogin<U extends string>(t: TestApp, usernames: U[]): Promise<Record<U, Session>> {
  await seedDemoOrganisation(t.container.database.db, t.container.identity.departments, DEMO_PASSWORD);
  const out = {} as Record<U, Session>;
  for (const username of usernames) out[username] = await login(t, username, DEMO_PASSWORD);
  return out;
}

export async function login(t: TestApp, username: string, password: string): Promise<Session> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { accessToken: string; refreshToken: string; user: { id: string } };
  return { token: body.accessToken, refreshToken: body.refreshToken, userId: body.user.id, headers: { authorization: `Bearer ${body.accessToken}` } };
}
