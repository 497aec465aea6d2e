import { errorBodySchema } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';
import { createTestApp, type TestApp } from '../../test/harness.js';

const echoRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/test/echo',
    {
      config: { access: 'public' },
      schema: { body: z.object({ name: z.string().min(1), count: z.number().int().max(10) }) },
    },
    async (request) => ({ ok: true, name: request.body.name }),
  );
  app.get('/test/boom', { config: { access: 'public' } }, async () => {
    throw new Error('secret internal detail at /srv/app.ts:42');
  });
  app.get('/test/conflict', { config: { access: 'public' } }, async () => {
    throw new AppError('ERR-COMMON-0010', 'That name is taken.', { field: 'name' });
  });
  app.get('/test/protected', { config: { access: { permission: 'users.read' } } }, async () => ({ secret: 1 }));
};

function expectErrorShape(body: string, code: string, requestId?: string) {
  const parsed = errorBodySchema.parse(JSON.parse(body));
  expect(parsed.error.code).toBe(code);
  expect(parsed.error.message.length).toBeGreaterThan(0);
  if (requestId) expect(parsed.error.requestId).toBe(requestId);
  expect(body).not.toMatch(/at .+\.(ts|js):\d+/);
  return parsed.error;
}

describe('HTTP platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(
      { BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: 'https://training.example.com' },
      { routes: async (api) => api.register(echoRoutes) },
    );
  });
  afterAll(() => t.close());

  it('answers an unknown route with 404 in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.body, 'ERR-COMMON-0005', res.headers['x-request-id'] as string);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "a",',
    });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.body, 'ERR-COMMON-0002');
  });

  it('rejects a wrong content type with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/x-yaml' },
      payload: 'name: a',
    });
    expect(res.statusCode).toBe(415);
    expectErrorShape(res.body, 'ERR-COMMON-0003');
  });

  it('rejects an oversized body with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(5000), count: 1 }),
    });
    expect(res.statusCode).toBe(413);
    expectErrorShape(res.body, 'ERR-COMMON-0004');
  });

  it('lists every invalid field with its path', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/test/echo', payload: { name: '', count: 99 } });
    expect(res.statusCode).toBe(400);
    const error = expectErrorShape(res.body, 'ERR-COMMON-0001');
    const paths = (error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.count']));
  });

  it('accepts valid input', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/test/echo', payload: { name: '张三', count: 1 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, name: '张三' });
  });

  it('hides internal errors behind a generic 500', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test/boom' });
    expect(res.statusCode).toBe(500);
    const error = expectErrorShape(res.body, 'ERR-COMMON-0007');
    expect(res.body).not.toContain('secret internal detail');
    expect(error.details).toBeUndefined();
  });

  it('renders AppError with its code, message and details', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test/conflict' });
    expect(res.statusCode).toBe(409);
    const error = expectErrorShape(res.body, 'ERR-COMMON-0010');
    expect(error.message).toBe('That name is taken.');
    expect(error.details).toEqual({ field: 'name' });
  });

  it('denies a protected route by default', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test/protected' });
    expect(res.statusCode).toBe(401);
    expectErrorShape(res.body, 'ERR-AUTH-0001');
  });

  it('echoes a safe x-request-id and makes one otherwise', async () => {
    const given = await t.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const unsafe = await t.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'bad id<script>' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('continues the caller trace with a new span', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await t.app.inject({ method: 'GET', url: '/health/live', headers: { traceparent } });
    const out = String(res.headers.traceparent);
    expect(out).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(out).not.toContain('00f067aa0ba902b7');
    const fresh = await t.app.inject({ method: 'GET', url: '/health/live', headers: { traceparent: 'garbage' } });
    expect(String(fresh.headers.traceparent)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('allows only configured CORS origins', async () => {
    const ok = await t.app.inject({ method: 'GET', url: '/health/live', headers: { origin: 'https://training.example.com' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://training.example.com');
    const other = await t.app.inject({ method: 'GET', url: '/health/live', headers: { origin: 'https://evil.example.com' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves OpenAPI 3.1 and the docs UI', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    const doc = json.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/ready', '/api/v1/system/dependencies']));
    const ui = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBeLessThan(400);
  });

  it('exposes Prometheus metrics with the HTTP histogram by route and status', async () => {
    await t.app.inject({ method: 'GET', url: '/api/v1/system/dependencies' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(
      /kpl_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/api\/v1\/system\/dependencies",status_code="200"\}/,
    );
    expect(res.body).toContain('kpl_db_pool_connections');
    expect(res.body).toContain('kpl_queue_jobs');
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_MAX: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 in the error shape past the limit, but never limits probes', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      codes.push((await t.app.inject({ method: 'GET', url: '/api/v1/system/dependencies' })).statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await t.app.inject({ method: 'GET', url: '/api/v1/system/dependencies' });
    expectErrorShape(limited.body, 'ERR-COMMON-0006');
    expect(limited.headers['retry-after']).toBeDefined();
    for (let i = 0; i < 5; i++) {
      expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    }
  });
});

describe('route access declarations', () => {
  it('refuses to start when an /api route declares no access', async () => {
    await expect(
      createTestApp({}, { routes: async (api) => void api.get('/test/undeclared', async () => ({})) }),
    ).rejects.toThrow(/declares no access/);
  });
});
