import { AI_CAPABILITIES, BUILTIN_BACKEND_ID, aiBackendListSchema, aiSettingsSchema, aiUsageSchema, readinessSchema, type AiBackend } from '@kpl/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createContainer } from '../../container.js';
import { backend, createTestApp, isolatedEnv, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { CredentialVault } from './credentials.js';
import { OpenAiFake } from './fakes/openai-fake.js';

const KEY = 'sk-live-9f8e7d6c5b4a39281706abcd';
const grading = {
  stem: '处理敏感个人信息有什么要求？',
  referenceAnswer: '取得个人的单独同意。',
  rubric: [{ point: '单独同意', weight: 1, keywords: ['单独同意'] }],
  answer: '应当取得个人的单独同意。',
  maxScore: 5,
};
const gradedJson = JSON.stringify({ points: [{ index: 0, awarded: 5, found: ['单独同意'], missed: [], comment: '完整' }], explanation: '答到要点。', confidence: 0.95 });

describe('AI settings, backends, credentials and usage', () => {
  let t: TestApp;
  let admin: Session;
  const fake = new OpenAiFake(KEY, gradedJson);

  beforeAll(async () => {
    await fake.start();
    t = await createTestApp();
    ({ admin } = await seedAndLogin(t, ['admin']));
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url: `/api/v1/ai${url}`, headers: admin.headers, payload: payload as object });

  async function createFakeBackend(over: Record<string, unknown> = {}): Promise<AiBackend> {
    const res = await api('POST', '/backends', {
      name: `DeepSeek ${Math.random().toString(36).slice(2, 7)}`,
      kind: 'openai-compatible',
      baseUrl: `${fake.url}/v1/`,
      model: 'deepseek-chat',
      apiKey: KEY,
      options: { maxRetries: 0, breakerThreshold: 2, breakerCooldownMs: 60_000 },
      ...over,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as AiBackend;
  }

  it('starts with only the builtin engine, mapped to every capability', async () => {
    const settings = aiSettingsSchema.parse((await api('GET', '/settings')).json());
    expect(Object.keys(settings.capabilities).sort()).toEqual([...AI_CAPABILITIES].sort());
    for (const c of AI_CAPABILITIES) expect(settings.capabilities[c]).toEqual({ backendId: BUILTIN_BACKEND_ID, fallbackToBuiltin: false });
    const list = aiBackendListSchema.parse((await api('GET', '/backends')).json());
    expect(list.items.map((b) => [b.id, b.kind])).toEqual([[BUILTIN_BACKEND_ID, 'builtin']]);
    // Out of the box the capabilities answer offline.
    const graded = await t.container.ai.capabilities.gradeAnswer(grading);
    expect(graded.score).toBeGreaterThan(0);
  });

  it('stores the API key encrypted, shows it masked and never returns it', async () => {
    const created = await createFakeBackend();
    expect(created.apiKeyMasked).toBe('sk-l…abcd');
    expect(created.baseUrl).toBe(`${fake.url}/v1`);
    expect(JSON.stringify(created)).not.toContain(KEY);
    const row = await t.container.database.db.selectFrom('ai_backends').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.api_key_enc).toBeTruthy();
    expect(row.api_key_enc).not.toContain(KEY);
    expect(Buffer.from(row.api_key_enc!, 'base64').toString('latin1')).not.toContain(KEY);
    expect(new CredentialVault(t.config.encryptionKey).decrypt(row.api_key_enc!)).toBe(KEY);
    for (const res of [await api('GET', '/backends'), await api('PATCH', `/backends/${created.id}`, { name: '改名' })]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(KEY);
      expect(res.body).not.toContain(row.api_key_enc!);
    }
  });

  it('keeps the stored key when an update has none, replaces or removes it when asked', async () => {
    const b = await createFakeBackend();
    const before = await t.container.database.db.selectFrom('ai_backends').select('api_key_enc').where('id', '=', b.id).executeTakeFirstOrThrow();
    await api('PATCH', `/backends/${b.id}`, { model: 'deepseek-reasoner' });
    const kept = await t.container.database.db.selectFrom('ai_backends').select('api_key_enc').where('id', '=', b.id).executeTakeFirstOrThrow();
    expect(kept.api_key_enc).toBe(before.api_key_enc);
    expect((await api('POST', `/backends/${b.id}/test`)).json()).toMatchObject({ ok: true });

    const replaced = (await api('PATCH', `/backends/${b.id}`, { apiKey: 'sk-other-000000000000wxyz' })).json() as AiBackend;
    expect(replaced.apiKeyMasked).toBe('sk-o…wxyz');
    const failing = (await api('POST', `/backends/${b.id}/test`)).json();
    expect(failing).toMatchObject({ ok: false, errorCode: 'ERR-AI-0002' });
    const removed = (await api('PATCH', `/backends/${b.id}`, { apiKey: null })).json() as AiBackend;
    expect(removed.apiKeyMasked).toBeNull();
  });

  it('tests a connection with a tiny real call: ok with latency and a sample, or the error code', async () => {
    const b = await createFakeBackend();
    fake.next({ content: '好' });
    const ok = (await api('POST', `/backends/${b.id}/test`)).json();
    expect(ok).toMatchObject({ ok: true, sample: '好' });
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
    expect(fake.requests[0]!.body).toMatchObject({ model: 'deepseek-chat', max_tokens: 8, stream: false });

    fake.next({ status: 503 });
    expect((await api('POST', `/backends/${b.id}/test`)).json()).toMatchObject({ ok: false, errorCode: 'ERR-AI-0002' });
    const dead = await createFakeBackend({ baseUrl: 'http://127.0.0.1:1/v1' });
    expect((await api('POST', `/backends/${dead.id}/test`)).json()).toMatchObject({ ok: false, errorCode: 'ERR-AI-0002' });
    const builtin = (await api('POST', `/backends/${BUILTIN_BACKEND_ID}/test`)).json();
    expect(builtin.ok).toBe(true);
    expect((await api('POST', '/backends/00000000-0000-7000-8000-0000000000ff/test')).statusCode).toBe(404);
  });

  it('maps capabilities to backends; calls then go there, and fall back to builtin only where configured', async () => {
    const b = await createFakeBackend();
    const put = await api('PUT', '/settings', { capabilities: { gradeAnswer: { backendId: b.id, fallbackToBuiltin: false } } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().capabilities.gradeAnswer).toEqual({ backendId: b.id, fallbackToBuiltin: false });
    expect(put.json().capabilities.tutorAnswer.backendId).toBe(BUILTIN_BACKEND_ID);

    const graded = await t.container.ai.capabilities.gradeAnswer(grading);
    expect(graded).toMatchObject({ score: 5, explanation: '答到要点。', confidence: 0.95 });
    expect(fake.requests).toHaveLength(1);

    fake.always({ status: 500 });
    await expect(t.container.ai.capabilities.gradeAnswer(grading)).rejects.toMatchObject({ code: 'ERR-AI-0002', statusCode: 502 });
    await api('PUT', '/settings', { capabilities: { gradeAnswer: { backendId: b.id, fallbackToBuiltin: true } } });
    const fallback = await t.container.ai.capabilities.gradeAnswer(grading);
    expect(fallback.score).toBeGreaterThan(0);
    expect(fallback.explanation).not.toBe('答到要点。');
    await api('PUT', '/settings', { capabilities: { gradeAnswer: { backendId: BUILTIN_BACKEND_ID, fallbackToBuiltin: false } } });
  });

  it('refuses bad mappings and deleting what is in use or built in', async () => {
    const dify = (await api('POST', '/backends', { name: 'Dify 应用', kind: 'dify', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'app-x' })).json() as AiBackend;
    expect((await api('PUT', '/settings', { capabilities: { embed: { backendId: dify.id, fallbackToBuiltin: false } } })).statusCode).toBe(400);
    expect((await api('PUT', '/settings', { capabilities: { gradeAnswer: { backendId: '00000000-0000-7000-8000-0000000000ff', fallbackToBuiltin: false } } })).json().error.code).toBe('ERR-AI-0001');
    expect((await api('PUT', '/settings', { capabilities: { nonsense: { backendId: dify.id, fallbackToBuiltin: false } } })).statusCode).toBe(400);
    expect((await api('POST', '/backends', { name: 'x', kind: 'coze', baseUrl: 'http://x.test' })).statusCode).toBe(400);
    expect((await api('POST', '/backends', { name: 'x', kind: 'openai-compatible', baseUrl: 'file:///etc/passwd', model: 'm' })).statusCode).toBe(400);

    await api('PUT', '/settings', { capabilities: { rolePlayTurn: { backendId: dify.id, fallbackToBuiltin: true } } });
    const inUse = await api('DELETE', `/backends/${dify.id}`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.details).toEqual({ capabilities: ['rolePlayTurn'] });
    await api('PUT', '/settings', { capabilities: { rolePlayTurn: { backendId: BUILTIN_BACKEND_ID, fallbackToBuiltin: false } } });
    expect((await api('DELETE', `/backends/${dify.id}`)).statusCode).toBe(204);
    expect((await api('DELETE', `/backends/${BUILTIN_BACKEND_ID}`)).statusCode).toBe(409);
    expect((await api('PATCH', `/backends/${BUILTIN_BACKEND_ID}`, { name: 'x' })).statusCode).toBe(409);
  });

  it('reloads settings in every process when one publishes a change', async () => {
    const b = await createFakeBackend();
    expect((await t.container.ai.settings.getSettings()).capabilities.evaluatePractice.backendId).toBe(BUILTIN_BACKEND_ID);
    // Another process writes the mapping and announces it on the bus.
    await t.container.database.db.updateTable('ai_capability_settings').set({ backend_id: b.id }).where('capability', '=', 'evaluatePractice').execute();
    expect((await t.container.ai.settings.getSettings()).capabilities.evaluatePractice.backendId).toBe(BUILTIN_BACKEND_ID);
    await t.container.events.publish('ai.settings-changed', {});
    await new Promise((r) => setTimeout(r, backend === 'mysql' ? 200 : 20));
    expect((await t.container.ai.settings.getSettings()).capabilities.evaluatePractice.backendId).toBe(b.id);
    await api('PUT', '/settings', { capabilities: { evaluatePractice: { backendId: BUILTIN_BACKEND_ID, fallbackToBuiltin: false } } });
  });

  it('reports usage per backend and capability: calls, errors, tokens, latency', async () => {
    const b = await createFakeBackend();
    await api('PUT', '/settings', { capabilities: { gradeAnswer: { backendId: b.id, fallbackToBuiltin: false } } });
    fake.next({ usage: { prompt: 100, completion: 40 } }).next({ usage: { prompt: 60, completion: 20 } }).next({ status: 400 });
    await t.container.ai.capabilities.gradeAnswer(grading);
    await t.container.ai.capabilities.gradeAnswer(grading);
    await expect(t.container.ai.capabilities.gradeAnswer(grading)).rejects.toMatchObject({ code: 'ERR-AI-0002' });
    await t.container.ai.usage.flush();
    const usage = aiUsageSchema.parse((await api('GET', '/usage')).json());
    const row = usage.rows.find((r) => r.backendId === b.id && r.capability === 'gradeAnswer')!;
    expect(row).toMatchObject({ backendName: b.name, calls: 3, errors: 1, promptTokens: 160, completionTokens: 60 });
    expect(row.avgLatencyMs).toBeGreaterThanOrEqual(0);
    expect(row.p95LatencyMs).toBeGreaterThanOrEqual(row.p50LatencyMs);
    expect(usage.rows.some((r) => r.backendId === BUILTIN_BACKEND_ID && r.capability === 'gradeAnswer' && r.calls >= 1)).toBe(true);
    expect((await api('GET', '/usage?from=10&to=5')).statusCode).toBe(400);
    const future = aiUsageSchema.parse((await api('GET', `/usage?from=${Date.now() + 7_200_000}`)).json());
    expect(future.rows).toEqual([]);
    await api('PUT', '/settings', { capabilities: { gradeAnswer: { backendId: BUILTIN_BACKEND_ID, fallbackToBuiltin: false } } });
  });

  it('shows an open circuit in /health/ready as degraded (still ready) and in /metrics', async () => {
    const b = await createFakeBackend({ name: '熔断测试' });
    await api('PUT', '/settings', { capabilities: { evaluatePractice: { backendId: b.id, fallbackToBuiltin: false } } });
    fake.always({ status: 500 });
    const input = { scenarioId: 's', scenario: '客户投诉', transcript: [{ role: 'user' as const, content: '您好' }] };
    for (let i = 0; i < 2; i++) await expect(t.container.ai.capabilities.evaluatePractice(input)).rejects.toMatchObject({ code: 'ERR-AI-0002' });
    await expect(t.container.ai.capabilities.evaluatePractice(input)).rejects.toMatchObject({ code: 'ERR-AI-0004', statusCode: 503 });

    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    const body = readinessSchema.parse(ready.json());
    expect(body.components.ai).toMatchObject({ status: 'degraded' });
    expect(body.components.ai!.detail).toContain('熔断测试: circuit open');
    expect(body.failing).toEqual([]);
    const listed = aiBackendListSchema.parse((await api('GET', '/backends')).json()).items.find((x) => x.id === b.id)!;
    expect(listed.circuit).toBe('open');

    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('kpl_ai_circuit_state{backend="熔断测试"} 1');
    expect(metrics).toMatch(/kpl_ai_calls_total\{backend="熔断测试",capability="evaluatePractice",outcome="error"\} 3/);
    expect(metrics).toMatch(/kpl_ai_errors_total\{backend="熔断测试",capability="evaluatePractice",code="ERR-AI-0004"\} 1/);
    expect(metrics).toContain('kpl_ai_call_duration_seconds_bucket');

    // Editing the backend replaces its runtime: the circuit closes.
    await api('PATCH', `/backends/${b.id}`, { options: { maxRetries: 0, breakerThreshold: 5 } });
    expect(aiBackendListSchema.parse((await api('GET', '/backends')).json()).items.find((x) => x.id === b.id)!.circuit).toBe('closed');
    await api('PUT', '/settings', { capabilities: { evaluatePractice: { backendId: BUILTIN_BACKEND_ID, fallbackToBuiltin: false } } });
  });
});

describe('AI credentials never reach the logs', () => {
  it('logs nothing containing the key, at trace level, across create, test, calls and failures', async () => {
    const fake = new OpenAiFake(KEY, gradedJson);
    await fake.start();
    const env = await isolatedEnv();
    const lines: string[] = [];
    const pino = (await import('pino')).default;
    const { loggerOptions } = await import('../../platform/logger.js');
    const logger = pino(loggerOptions('trace'), { write: (s: string) => void lines.push(s) });
    const c = await createContainer(loadConfig(env.env), { logger });
    const app = await buildApp(c);
    try {
      const t = { app, container: c, config: c.config, close: async () => undefined } as TestApp;
      const { admin } = await seedAndLogin(t, ['admin']);
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/ai/backends',
        headers: admin.headers,
        payload: { name: '日志检查', kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, model: 'm', apiKey: KEY, options: { maxRetries: 0 } },
      });
      const id = res.json().id as string;
      await app.inject({ method: 'POST', url: `/api/v1/ai/backends/${id}/test`, headers: admin.headers });
      await app.inject({ method: 'PATCH', url: `/api/v1/ai/backends/${id}`, headers: admin.headers, payload: { apiKey: `${KEY}-new` } });
      await app.inject({ method: 'PUT', url: '/api/v1/ai/settings', headers: admin.headers, payload: { capabilities: { gradeAnswer: { backendId: id, fallbackToBuiltin: true } } } });
      await c.ai.capabilities.gradeAnswer(grading); // 401 upstream (the key changed), answered by builtin
      fake.always({ status: 500 });
      await c.ai.capabilities.gradeAnswer(grading);
      await c.ai.usage.flush();
      expect(lines.length).toBeGreaterThan(5);
      const all = lines.join('\n');
      expect(all).not.toContain(KEY);
      expect(all).not.toContain('sk-live-9f8e');
      // The audit trail records the change, not the key.
      const audit = await c.database.db.selectFrom('audit_log' as never).selectAll().execute().catch(() => []);
      expect(JSON.stringify(audit)).not.toContain(KEY);
    } finally {
      await app.close();
      await c.close();
      await env.cleanup();
      await fake.close();
    }
  });
});

describe.skipIf(backend !== 'mysql')('AI settings across processes (MariaDB + Redis)', () => {
  it('a change saved through one process is used by another at once', async () => {
    const env = await isolatedEnv();
    const one = await createContainer(loadConfig(env.env));
    const two = await createContainer(loadConfig(env.env), { migrate: false });
    const app = await buildApp(one);
    try {
      const t = { app, container: one, config: one.config, close: async () => undefined } as TestApp;
      const { admin } = await seedAndLogin(t, ['admin']);
      expect((await two.ai.settings.getSettings()).capabilities.tutorAnswer.backendId).toBe(BUILTIN_BACKEND_ID);
      const b = (
        await app.inject({ method: 'POST', url: '/api/v1/ai/backends', headers: admin.headers, payload: { name: '跨进程', kind: 'dify', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'app-1' } })
      ).json() as AiBackend;
      await app.inject({ method: 'PUT', url: '/api/v1/ai/settings', headers: admin.headers, payload: { capabilities: { tutorAnswer: { backendId: b.id, fallbackToBuiltin: true } } } });
      let seen = '';
      for (let i = 0; i < 50 && seen !== b.id; i++) {
        seen = (await two.ai.settings.getSettings()).capabilities.tutorAnswer.backendId;
        if (seen !== b.id) await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen).toBe(b.id);
    } finally {
      await app.close();
      await two.close();
      await one.close();
      await env.cleanup();
    }
  });
});
