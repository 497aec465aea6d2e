import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiFake } from '../fakes/openai-fake.js';
import { backendConfig, failureOf, streamAll, testScope } from '../test/helpers.js';
import { OpenAiCompatibleClient } from './openai-compatible.js';

const ANSWER = '第二十九条规定，处理敏感个人信息应当取得个人的单独同意。';

describe('OpenAiCompatibleClient against the OpenAI-compatible fake', () => {
  const fake = new OpenAiFake('sk-test', ANSWER);
  let client: OpenAiCompatibleClient;
  beforeAll(async () => {
    await fake.start();
    client = new OpenAiCompatibleClient(backendConfig('openai-compatible', `${fake.url}/v1`, { apiKey: 'sk-test', model: 'deepseek-chat' }));
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  it('streams the answer and its usage whatever the chunking and vendor flavour, never the reasoning', async () => {
    const variants = [[], ['reasoning'], ['reasoning-vllm'], ['ollama'], ['keep-alive'], ['azure-empty-first']];
    for (const chunking of ['frame', 'coalesce', 'split'] as const) {
      for (const variant of variants) {
        fake.next({ chunking, variant, usage: { prompt: 30, completion: 12 } });
        const r = await streamAll(client);
        expect(r.text, `${chunking} ${variant.join()}`).toBe(ANSWER);
        expect(r.usage).toEqual({ promptTokens: 30, completionTokens: 12 });
      }
    }
  });

  it('sends system, history and user turns, include_usage, limits and the vendor extras', async () => {
    const c = new OpenAiCompatibleClient(
      backendConfig('openai-compatible', `${fake.url}/v1`, { apiKey: 'sk-test', model: 'qwen-plus', options: { temperature: 0.2, maxTokens: 500, jsonMode: true, extraBody: { enable_thinking: false } } }),
    );
    await streamAll(c, { history: [{ role: 'user', content: '上一问' }, { role: 'assistant', content: '上一答' }], json: true, user: 'u1' });
    const req = fake.requests[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test');
    expect(req.body).toEqual({
      enable_thinking: false,
      model: 'qwen-plus',
      messages: [
        { role: 'system', content: '你是助手' },
        { role: 'user', content: '上一问' },
        { role: 'assistant', content: '上一答' },
        { role: 'user', content: '你好' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 500,
      response_format: { type: 'json_object' },
      user: 'u1',
    });
  });

  it('completes blocking (even after leading blank lines) and reads a blocking answer to a streaming request', async () => {
    fake.next({ variant: ['blank-lines'] });
    const r = await client.complete({ system: '', prompt: '你好' }, testScope());
    expect(r.text).toBe(ANSWER);
    expect((fake.requests[0]!.body as { stream: boolean }).stream).toBe(false);
    fake.next({ variant: ['ignore-stream'] });
    expect((await streamAll(client)).text).toBe(ANSWER);
  });

  it('embeds texts in input order', async () => {
    const r = await client.embed!(['个人信息', '敏感信息', '个人信息'], testScope());
    expect(r.vectors).toHaveLength(3);
    expect(r.vectors[0]).toEqual(r.vectors[2]);
    expect(r.vectors[0]).not.toEqual(r.vectors[1]);
    expect(r.usage!.promptTokens).toBeGreaterThan(0);
  });

  it('classifies failures: auth, rate limit with Retry-After, 5xx, in-stream error, cut and malformed streams, reset', async () => {
    const wrong = new OpenAiCompatibleClient(backendConfig('openai-compatible', `${fake.url}/v1`, { apiKey: 'nope' }));
    expect(await failureOf(streamAll(wrong))).toMatchObject({ kind: 'http', info: { status: 401, vendorCode: 'invalid_api_key' } });

    fake.next({ status: 429, headers: { 'retry-after': '2' } });
    const limited = await failureOf(streamAll(client));
    expect(limited).toMatchObject({ kind: 'http', info: { status: 429, retryAfterMs: 2000 } });
    expect(limited.retriable).toBe(true);

    fake.next({ status: 503 });
    expect((await failureOf(streamAll(client))).retriable).toBe(true);

    fake.next({ errorAfterDeltas: 2 });
    const mid = await failureOf(streamAll(client));
    expect(mid).toMatchObject({ kind: 'upstream', info: { status: 500, afterFirstByte: true } });
    expect(mid.retriable).toBe(false);

    fake.next({ truncateAfterFrames: 4 });
    expect(await failureOf(streamAll(client))).toMatchObject({ kind: 'protocol', info: { afterFirstByte: true } });

    fake.next({ malformedAt: 2 });
    expect(await failureOf(streamAll(client))).toMatchObject({ kind: 'protocol' });

    fake.next({ resetAfterFrames: 3 });
    const reset = await failureOf(streamAll(client));
    expect(reset).toMatchObject({ kind: 'network', info: { afterFirstByte: true } });
    expect(reset.retriable).toBe(false);
  });

  it('times out waiting for headers (connect) and for the first byte, and closes the connection', async () => {
    fake.next({ headersDelayMs: 1_000 });
    expect(await failureOf(streamAll(client, {}, { ...testScope(), connectTimeoutMs: 100 }))).toMatchObject({ kind: 'timeout', info: { phase: 'connect' } });
    fake.next({ firstByteDelayMs: 1_000 });
    expect(await failureOf(streamAll(client, {}, { ...testScope(), firstByteTimeoutMs: 100 }))).toMatchObject({ kind: 'timeout', info: { phase: 'first-byte' } });
    await fake.waitFor((r) => r.clientAborted);
  });
});
