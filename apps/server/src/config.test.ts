import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'kpl-config-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config', () => {
  it('works with no environment at all, generating development secrets once', () => {
    const dataDir = tmp();
    const a = loadConfig({ DATA_DIR: dataDir });
    expect(a).toMatchObject({ PORT: 3000, DATABASE_URL: 'sqlite:./data/kpl.db', NODE_ENV: 'development', RATE_LIMIT_MAX: 100 });
    expect(a.REDIS_URL).toBeUndefined();
    expect(a.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(a.encryptionKey).toHaveLength(32);
    expect(a.warnings.join()).toMatch(/development secrets/);
    const file = join(dataDir, 'dev-secrets.json');
    expect(existsSync(file)).toBe(true);
    const b = loadConfig({ DATA_DIR: dataDir });
    expect(b.JWT_SECRET).toBe(a.JWT_SECRET);
    expect(JSON.parse(readFileSync(file, 'utf8')).jwtSecret).toBe(a.JWT_SECRET);
  });

  it('honours PORT, DATABASE_URL and REDIS_URL', () => {
    const c = loadConfig({ DATA_DIR: tmp(), PORT: '8080', DATABASE_URL: 'mysql://u:p@db:3306/kpl', REDIS_URL: 'redis://cache:6379' });
    expect(c).toMatchObject({ PORT: 8080, DATABASE_URL: 'mysql://u:p@db:3306/kpl', REDIS_URL: 'redis://cache:6379' });
  });

  it('reports one readable line per bad value', () => {
    const p = problems({ DATA_DIR: tmp(), PORT: 'eighty', DATABASE_URL: 'postgres://x/y', LOG_LEVEL: 'loud', REDIS_URL: 'http://x' });
    expect(p).toHaveLength(4);
    expect(p.find((l) => l.startsWith('PORT:'))).toBeDefined();
    expect(p.find((l) => l.startsWith('DATABASE_URL:'))).toMatch(/sqlite:<path> or mysql:\/\//);
    expect(p.find((l) => l.startsWith('LOG_LEVEL:'))).toBeDefined();
    expect(p.find((l) => l.startsWith('REDIS_URL:'))).toMatch(/redis:\/\//);
  });

  it('demands strong secrets in production', () => {
    const p = problems({ NODE_ENV: 'production', JWT_SECRET: 'short', DATA_DIR: tmp() });
    expect(p).toContain('JWT_SECRET: must be at least 32 characters in production');
    expect(p).toContain('ENCRYPTION_KEY: is required in production');
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), ENCRYPTION_KEY: 'ab'.repeat(32), DATA_DIR: tmp() })).toEqual([]);
    expect(problems({ ENCRYPTION_KEY: 'too-short', DATA_DIR: tmp() })[0]).toMatch(/^ENCRYPTION_KEY: must be 32 bytes/);
  });

  it('parses lists and booleans', () => {
    const c = loadConfig({ DATA_DIR: tmp(), CORS_ORIGINS: 'https://a.example.com, https://b.example.com', MIGRATE_ON_BOOT: 'false' });
    expect(c.CORS_ORIGINS).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(c.MIGRATE_ON_BOOT).toBe(false);
    expect(problems({ DATA_DIR: tmp(), CORS_ORIGINS: 'not a url' })[0]).toMatch(/^CORS_ORIGINS/);
  });

  it('stops the process with a non-zero exit and a readable message on bad env', () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const res = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', main, 'web'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', JWT_SECRET: 'short', PORT: '-5', DATA_DIR: tmp() },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('Invalid configuration:');
    expect(res.stderr).toContain('  - PORT:');
    expect(res.stderr).toContain('  - JWT_SECRET: must be at least 32 characters in production');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown process role', () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const res = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', main, 'gateway'], { encoding: 'utf8', timeout: 20_000 });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('Unknown process role "gateway"');
  });
});
