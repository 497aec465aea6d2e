import { readinessSchema } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, isolatedEnv, type TestApp } from '../../test/harness.js';
import { loadConfig } from '../../config.js';
import { createContainer } from '../../container.js';
import { buildApp } from '../../app.js';

describe('health endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports liveness', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'live' });
  });

  it('is ready with every component up', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    const body = readinessSchema.parse(res.json());
    const expected = backend === 'mysql' ? ['ai', 'database', 'disk', 'queue', 'redis'] : ['ai', 'database', 'disk', 'queue'];
    expect(Object.keys(body.components).sort()).toEqual(expected);
    expect(body.failing).toEqual([]);
  });

  it('serves one health route per module and the dependency graph', async () => {
    const deps = await t.app.inject({ method: 'GET', url: '/api/v1/system/dependencies' });
    expect(deps.statusCode).toBe(200);
    const graph = deps.json() as { modules: { name: string; dependsOn: string[] }[]; order: string[]; acyclic: boolean };
    expect(graph.acyclic).toBe(true);
    expect(graph.order.indexOf('system')).toBeLessThan(graph.order.indexOf('identity'));
    for (const m of graph.modules) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/${m.name}/health` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ module: m.name, status: 'up', dependsOn: m.dependsOn });
    }
  });

  it('turns unready while draining for shutdown', async () => {
    t.container.lifecycle.draining = true;
    try {
      const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json().failing).toContain('process');
    } finally {
      t.container.lifecycle.draining = false;
    }
  });
});

describe('readiness with a dead dependency', () => {
  it('answers 503 naming the database when it is unreachable', async () => {
    const env = await isolatedEnv();
    // Port 1 on loopback refuses connections at once.
    const url = backend === 'mysql' ? 'mysql://root@127.0.0.1:1/none' : env.env.DATABASE_URL!;
    const c = await createContainer(loadConfig({ ...env.env, DATABASE_URL: url }), { migrate: backend === 'sqlite' });
    if (backend === 'sqlite') {
      // Simulate the file store going away: close the connection under the running app.
      await c.database.close();
    }
    const app = await buildApp(c);
    try {
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      const body = readinessSchema.parse(res.json());
      expect(body.failing).toContain('database');
      expect(body.components.database!.status).toBe('down');
      expect(body.components.database!.detail).toBeTruthy();
      const mod = await app.inject({ method: 'GET', url: '/api/v1/identity/health' });
      expect(mod.statusCode).toBe(503);
    } finally {
      await app.close();
      await c.close().catch(() => undefined);
      await env.cleanup();
    }
  });

  it('answers 503 naming redis when it is configured but unreachable', async () => {
    const env = await isolatedEnv({ REDIS_URL: 'redis://127.0.0.1:1' });
    const c = await createContainer(loadConfig(env.env));
    const app = await buildApp(c);
    try {
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json().failing).toContain('redis');
    } finally {
      await app.close();
      await c.close().catch(() => undefined);
      await env.cleanup();
    }
  }, 20_000);
});
