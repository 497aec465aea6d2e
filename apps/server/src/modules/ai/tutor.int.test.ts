import { request } from 'node:http';
import { BUILTIN_BACKEND_ID, type AiBackend } from '@kpl/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { readSse, type SseMessage } from './clients/sse.js';
import { OpenAiFake } from './fakes/openai-fake.js';
import { startSse } from './sse-response.js';
import { seedCourse } from './test/course.js';

async function events(body: string | AsyncIterable<Uint8Array>): Promise<SseMessage[]> {
  const src = typeof body === 'string' ? (async function* () { yield new TextEncoder().encode(body); })() : body;
  const out: SseMessage[] = [];
  for await (const m of readSse(src)) out.push(m);
  return out;
}
const textOf = (list: SseMessage[]) => list.filter((m) => m.event === 'delta').map((m) => (JSON.parse(m.data) as { text: string }).text).join('');

describe('POST /api/v1/ai/tutor (event stream)', () => {
  let t: TestApp;
  let s: Record<'admin' | 'instructor' | 'learner01' | 'learner02', Session>;
  let courseId: string;
  let materialId: string;
  let backendId: string;
  const fake = new OpenAiFake('sk-tutor', '处理敏感个人信息应当取得个人的单独同意 [1]。');

  beforeAll(async () => {
    await fake.start();
    t = await createTestApp(
      {},
      {
        // A test-only stream with a fast heartbeat, to see the comments the tutor sends every 15 s.
        routes: async (api) => {
          api.get('/test/slow-sse', { config: { access: 'public' } }, async (_request, reply) => {
            const sse = startSse(reply, 50);
            setTimeout(() => {
              sse.send('done', {});
              sse.end();
            }, 180);
            return reply;
          });
        },
      },
    );
    s = await seedAndLogin(t, ['admin', 'instructor', 'learner01', 'learner02']);
    ({ courseId, materialId } = await seedCourse(t, s, s.learner01.userId));
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/backends',
      headers: s.admin.headers,
      payload: { name: '导师模型', kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, model: 'qwen-plus', apiKey: 'sk-tutor', options: { maxRetries: 0 } },
    });
    backendId = (created.json() as AiBackend).id;
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const mapTutor = (id: string, fallbackToBuiltin = false) =>
    t.app.inject({ method: 'PUT', url: '/api/v1/ai/settings', headers: s.admin.headers, payload: { capabilities: { tutorAnswer: { backendId: id, fallbackToBuiltin } } } });
  const ask = (who: Session, payload: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/ai/tutor', headers: who.headers, payload: payload as object });

  it('streams a builtin answer with citations from the learner’s course, then done', async () => {
    await mapTutor(BUILTIN_BACKEND_ID);
    const res = await ask(s.learner01, { question: '处理敏感个人信息需要什么同意？', courseId });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.headers['x-accel-buffering']).toBe('no');
    expect(res.headers['cache-control']).toContain('no-cache');
    const list = await events(res.body);
    expect(textOf(list)).toContain('单独同意');
    const citation = list.find((m) => m.event === 'citation');
    expect(JSON.parse(citation!.data)).toMatchObject({ materialId, quote: expect.stringContaining('单独同意') });
    expect(list.at(-1)!.event).toBe('done');
  });

  it('streams a remote model’s answer through the platform with the passages it was given', async () => {
    await mapTutor(backendId);
    fake.next({ usage: { prompt: 300, completion: 20 }, chunking: 'split' });
    const res = await ask(s.learner01, { question: '敏感个人信息怎么处理？', history: [{ role: 'user', content: '你好' }, { role: 'assistant', content: '你好，请提问。' }] });
    const list = await events(res.body);
    expect(textOf(list)).toBe('处理敏感个人信息应当取得个人的单独同意 [1]。');
    expect(JSON.parse(list.find((m) => m.event === 'citation')!.data)).toMatchObject({ materialId });
    expect(JSON.parse(list.at(-1)!.data)).toEqual({ usage: { promptTokens: 300, completionTokens: 20 } });
    const sent = fake.requests[0]!.body as { messages: { role: string; content: string }[] };
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(sent.messages[3]!.content).toContain('第二十九条');
  });

  it('ends with an error event carrying the code when the backend fails, or answers from builtin when configured', async () => {
    await mapTutor(backendId, false);
    fake.always({ status: 500 });
    const failed = await events((await ask(s.learner01, { question: '敏感个人信息？' })).body);
    expect(failed.map((m) => m.event)).toEqual(['error']);
    expect(JSON.parse(failed[0]!.data)).toMatchObject({ code: 'ERR-AI-0002' });

    await mapTutor(backendId, true);
    const rescued = await events((await ask(s.learner01, { question: '处理敏感个人信息需要什么同意？' })).body);
    expect(textOf(rescued)).toContain('单独同意');
    expect(rescued.at(-1)!.event).toBe('done');
  });

  it('only searches courses the caller may see', async () => {
    await mapTutor(BUILTIN_BACKEND_ID);
    // learner02 is not enrolled: naming the course is refused before any stream starts.
    const res = await ask(s.learner02, { question: '敏感个人信息', courseId });
    expect([403, 404]).toContain(res.statusCode);
    expect(res.json().error.code).toMatch(/^ERR-/);
    // Without a course, nothing of it is used.
    await mapTutor(backendId);
    await ask(s.learner02, { question: '敏感个人信息' });
    expect((fake.requests[0]!.body as { messages: { content: string }[] }).messages.at(-1)!.content).not.toContain('第二十九条');
  });

  it('validates the request', async () => {
    for (const payload of [{}, { question: '' }, { question: 'x', courseId: 'nope' }, { question: 'x', history: [{ role: 'system', content: 'x' }] }]) {
      const res = await ask(s.learner01, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('sends heartbeat comments while a stream is idle', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test/slow-sse' });
    expect(res.body.match(/^: heartbeat$/gm)?.length).toBeGreaterThanOrEqual(2);
    expect(res.body.endsWith('event: done\ndata: {}\n\n')).toBe(true);
  });

  it('cancels the upstream request when the browser disconnects', async () => {
    await mapTutor(backendId);
    fake.always({ chunkDelayMs: 100, pieceSize: 1, content: '这是一个很长的回答，会一个字一个字地慢慢出现，直到客户端断开为止。' });
    const address = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' }));
    // A plain HTTP client, destroyed after the first delta: what a browser closing the tab does.
    const received = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: address.hostname, port: address.port, path: '/api/v1/ai/tutor', method: 'POST', headers: { ...s.learner01.headers, 'content-type': 'application/json' } },
        (res) => {
          expect(res.statusCode).toBe(200);
          let seen = '';
          res.on('data', (chunk: Buffer) => {
            seen += chunk.toString('utf8');
            if (!seen.includes('event: delta')) return;
            req.destroy();
            resolve(seen);
          });
        },
      );
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.end(JSON.stringify({ question: '敏感个人信息' }));
    });
    expect(received).toMatch(/^: stream open\n\nevent: delta\n/);
    const upstream = await fake.waitFor((r) => r.clientAborted, 3_000);
    expect(upstream.finished).toBe(false);
    await t.container.ai.usage.flush();
    const usage = await t.container.database.db.selectFrom('ai_usage').selectAll().where('backend_id', '=', backendId).where('capability', '=', 'tutorAnswer').executeTakeFirst();
    expect(usage?.calls).toBeGreaterThan(0);
  });
});
