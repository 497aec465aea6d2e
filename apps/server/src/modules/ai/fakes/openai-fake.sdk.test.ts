import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiFake } from './openai-fake.js';

/** The official SDK is the oracle: if it cannot read the fake, the fake is not faithful. */
describe('OpenAI-compatible fake, driven by the openai SDK', () => {
  const fake = new OpenAiFake('test-key', '你好，我是培训助手，很高兴为你解答。');
  let client: OpenAI;
  beforeAll(async () => {
    await fake.start();
    client = new OpenAI({ apiKey: 'test-key', baseURL: `${fake.url}/v1`, maxRetries: 0, timeout: 5_000 });
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  const messages = [{ role: 'user' as const, content: '你好' }];

  it('streams deltas, a finish_reason, the usage chunk and [DONE] — whatever the chunking', async () => {
    for (const chunking of ['frame', 'coalesce', 'split'] as const) {
      fake.next({ chunking, usage: { prompt: 7, completion: 13 } });
      const stream = await client.chat.completions.create({ model: 'm', messages, stream: true, stream_options: { include_usage: true } });
      let text = '';
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const c of stream) {
        text += c.choices[0]?.delta?.content ?? '';
        finish = c.choices[0]?.finish_reason ?? finish;
        if (c.usage) usage = c.usage;
      }
      expect(text, chunking).toBe('你好，我是培训助手，很高兴为你解答。');
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 13, total_tokens: 20 });
    }
    const seen = fake.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe('Bearer test-key');
    expect(seen.body).toMatchObject({ model: 'm', stream: true, stream_options: { include_usage: true }, messages });
  });

  it('passes the stricter accumulating helper (role, finish_reason) for every vendor flavour', async () => {
    for (const variant of [[], ['ollama'], ['reasoning'], ['reasoning-vllm'], ['keep-alive'], ['azure-empty-first']]) {
      fake.next({ variant });
      const final = await client.chat.completions.stream({ model: 'm', messages }).finalChatCompletion();
      expect(final.choices[0]!.message.content, variant.join()).toBe('你好，我是培训助手，很高兴为你解答。');
      expect(final.choices[0]!.finish_reason).toBe('stop');
    }
  });

  it('answers a blocking request with one completion and usage', async () => {
    fake.next({ variant: ['blank-lines'] });
    const r = await client.chat.completions.create({ model: 'm', messages });
    expect(r.choices[0]!.message.content).toBe('你好，我是培训助手，很高兴为你解答。');
    expect(r.usage!.total_tokens).toBeGreaterThan(0);
  });

  it('computes embeddings, one per input, in order', async () => {
    const r = await client.embeddings.create({ model: 'e', input: ['甲', '乙'] });
    expect(r.data.map((d) => d.index)).toEqual([0, 1]);
    expect(r.data[0]!.embedding).toHaveLength(8);
    expect(r.data[0]!.embedding).not.toEqual(r.data[1]!.embedding);
  });

  it('surfaces a wrong key as AuthenticationError', async () => {
    const bad = new OpenAI({ apiKey: 'wrong', baseURL: `${fake.url}/v1`, maxRetries: 0 });
    await expect(bad.chat.completions.create({ model: 'm', messages })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('is retried by the SDK after a 429 with retry-after-ms, the second attempt carrying x-stainless-retry-count', async () => {
    const retrying = new OpenAI({ apiKey: 'test-key', baseURL: `${fake.url}/v1`, maxRetries: 2 });
    fake.next({ status: 429, headers: { 'retry-after-ms': '10' } });
    const r = await retrying.chat.completions.create({ model: 'm', messages });
    expect(r.choices[0]!.message.content).toContain('培训助手');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.headers['x-stainless-retry-count']).toBe('1');
  });

  it('reports a mid-stream error chunk as APIError during iteration', async () => {
    fake.next({ errorAfterDeltas: 2 });
    const stream = await client.chat.completions.create({ model: 'm', messages, stream: true });
    const read = async () => {
      for await (const c of stream) void c;
    };
    await expect(read()).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('maps 500 and 503 to InternalServerError', async () => {
    fake.next({ status: 503 });
    await expect(client.chat.completions.create({ model: 'm', messages })).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });

  it('records a client that disconnects mid-stream', async () => {
    fake.next({ chunkDelayMs: 30, pieceSize: 1 });
    const ac = new AbortController();
    const stream = await client.chat.completions.create({ model: 'm', messages, stream: true }, { signal: ac.signal });
    let n = 0;
    try {
      for await (const c of stream) {
        void c;
        if (++n === 2) ac.abort();
      }
    } catch {
      // Depending on timing the SDK ends the iteration or throws an abort error.
    }
    expect(n).toBeLessThan(10);
    const r = await fake.waitFor((x) => x.clientAborted);
    expect(r.finished).toBe(false);
  });
});
