import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, isolatedEnv, type TestApp, type TestEnv } from '../test/harness.js';
import { migrations } from '../db/migrations/index.js';
import { collectHealth, formatTable } from './health-check.js';

const CLI = fileURLToPath(new URL('./index.ts', import.meta.url));

describe('admin CLI', () => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await isolatedEnv();
  });
  afterAll(() => t.cleanup());

  const cli = (...args: string[]) => {
    const res = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
      env: { ...process.env, ...t.env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { code: res.status, out: res.stdout + res.stderr };
  };

  it('migrates, seeds once, and creates an administrator', () => {
    expect(cli('migrate')).toMatchObject({ code: 0, out: expect.stringContaining(`Applied: ${Object.keys(migrations).join(', ')}`) });
    expect(cli('migrate')).toMatchObject({ code: 0, out: expect.stringContaining('Database is up to date.') });
    expect(cli('seed')).toMatchObject({ code: 0, out: expect.stringContaining('Seeded the demo organisation: 23 users.') });
    expect(cli('seed')).toMatchObject({ code: 0, out: expect.stringContaining('Users already exist') });
    expect(cli('create-admin', '--username', 'root2')).toMatchObject({ code: 2, out: expect.stringContaining('needs --username and --password') });
    expect(cli('create-admin', '--username', 'root2', '--password', 'Str0ng!pass')).toMatchObject({ code: 0 });
    const dup = cli('create-admin', '--username', 'root2', '--password', 'Str0ng!pass');
    expect(dup.code).toBe(1);
    expect(dup.out).toContain('already exists');
    expect(dup.out).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('explains usage for an unknown command', () => {
    const res = cli('frobnicate');
    expect(res.code).toBe(2);
    expect(res.out).toContain('Unknown command "frobnicate"');
    expect(res.out).toContain('health-check');
  });
});

describe('health-check', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await createTestApp();
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('calls every health endpoint and reports each component', async () => {
    const rows = await collectHealth(url);
    const components = rows.map((r) => `${r.endpoint} ${r.component}`);
    expect(components).toEqual(
      expect.arrayContaining([
        '/health/live process',
        '/health/ready database',
        '/health/ready queue',
        '/health/ready disk',
        '/api/v1/system/dependencies graph',
        '/api/v1/system/health system',
        '/api/v1/identity/health identity',
      ]),
    );
    expect(rows.every((r) => r.status === 'up')).toBe(true);
    const table = formatTable(rows);
    expect(table.split('\n')[0]).toMatch(/^endpoint\s+component\s+status\s+detail$/);
  });

  it('reports an unreachable server as down', async () => {
    const rows = await collectHealth('http://127.0.0.1:1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ component: 'process', status: 'down' });
  });
});
