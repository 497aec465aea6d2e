import { createHash } from 'node:crypto';
import { FakeServer, pieces, sseData, type FakeContext } from './fake-server.js';

/**
 * An OpenAI-compatible server (ai-wire-formats §1, §4): `/v1/chat/completions` blocking and
 * streamed, `/v1/embeddings`, `/v1/models`. Variants (`script.variant`):
 * - 'reasoning'  DeepSeek/DashScope `reasoning_content` deltas before the answer;
 * - 'reasoning-vllm'  the same as `reasoning` (vLLM, Ollama);
 * - 'ollama'  role and a content key in every delta, ids `chatcmpl-<n>`, created re-stamped;
 * - 'azure-empty-first'  a first chunk with `choices: []`;
 * - 'keep-alive'  `: keep-alive` comments before the first chunk;
 * - 'blank-lines'  blank lines before a blocking body;
 * - 'ignore-stream'  answers a streaming request with a blocking JSON body.
 * Mid-stream error (`errorAfterDeltas`) is vLLM's `data: {"error":…}` then `[DONE]`.
 */
export class OpenAiFake extends FakeServer {
  constructor(
    readonly apiKey = 'test-key',
    readonly defaultContent = '你好，我是培训助手。',
  ) {
    super();
  }

  protected errorBody(status: number, code: string | number | undefined, message: string): unknown {
    const type = status === 401 ? 'invalid_request_error' : status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
    return { error: { message, type, param: null, code: code ?? (status === 429 ? 'rate_limit_exceeded' : null) } };
  }

  protected async handle(ctx: FakeContext): Promise<void> {
    const { req, res, record } = ctx;
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      this.json(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
      return;
    }
    if (record.method === 'GET' && record.path === '/v1/models') {
      this.json(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 1731000000, owned_by: 'fake' }] });
      return;
    }
    if (record.method === 'POST' && record.path === '/v1/embeddings') return this.embeddings(ctx);
    if (record.method === 'POST' && record.path === '/v1/chat/completions') return this.chat(ctx);
    this.json(res, 404, { error: { message: `Unknown path ${record.path}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } });
  }

  private embeddings({ res, body }: FakeContext): void {
    const input = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')];
    // The openai SDK asks for base64 (little-endian float32) unless told otherwise, and decodes it.
    const base64 = body.encoding_format === 'base64';
    const data = input.map((text, index) => {
      const v = vectorOf(text);
      return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v };
    });
    const tokens = input.reduce((n, t) => n + Array.from(t).length, 0);
    this.json(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  private async chat(ctx: FakeContext): Promise<void> {
    const { res, body, script } = ctx;
    const variant = new Set(script.variant ?? []);
    if (typeof body.model !== 'string' || !Array.isArray(body.messages) || body.messages.length === 0) {
      this.json(res, 400, { error: { message: 'model and a non-empty messages array are required', type: 'invalid_request_error', param: 'messages', code: null } });
      return;
    }
    const content = script.content ?? this.defaultContent;
    const usage = { prompt_tokens: script.usage?.prompt ?? 12, completion_tokens: script.usage?.completion ?? Array.from(content).length };
    const fullUsage = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
    const ollama = variant.has('ollama');
    const id = ollama ? `chatcmpl-${Math.floor(Math.random() * 999)}` : `chatcmpl-${createHash('sha1').update(String(Math.random())).digest('hex').slice(0, 24)}`;
    const created = 1731000000;
    const model = body.model;

    if (body.stream !== true || variant.has('ignore-stream')) {
      const payload = {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content, ...(variant.has('reasoning') ? { reasoning_content: '先想一想。' } : {}) }, finish_reason: 'stop', logprobs: null }],
        usage: fullUsage,
      };
      if (script.firstByteDelayMs) await new Promise((r) => setTimeout(r, script.firstByteDelayMs));
      res.writeHead(200, { 'content-type': 'application/json', ...script.headers });
      res.end(`${variant.has('blank-lines') ? '\n\n\n' : ''}${JSON.stringify(payload)}`);
      return;
    }

    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
      sseData({
        id,
        object: 'chat.completion.chunk',
        created: ollama ? Math.floor(Date.now() / 1000) : created,
        model,
        choices: [{ index: 0, delta: ollama ? { role: 'assistant', content: '', ...delta } : delta, logprobs: null, finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      });

    const frames: string[] = [];
    if (variant.has('keep-alive')) frames.push(': keep-alive\n\n', ': keep-alive\n\n');
    if (variant.has('azure-empty-first')) frames.push(sseData({ id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [] }));
    frames.push(chunk({ role: 'assistant', content: '' }));
    const reasoningField = variant.has('reasoning') ? 'reasoning_content' : variant.has('reasoning-vllm') ? 'reasoning' : null;
    if (reasoningField) {
      for (const p of pieces('先比较两个数的大小。', 4)) frames.push(chunk({ content: null, [reasoningField]: p }));
    }
    const deltas = pieces(content, script.pieceSize ?? 3);
    for (let i = 0; i < deltas.length; i++) {
      if (script.errorAfterDeltas === i) {
        frames.push(sseData({ error: { message: 'The model crashed mid-answer', type: 'server_error', param: null, code: 500 } }), sseData('[DONE]'));
        return this.sse(ctx, frames);
      }
      frames.push(chunk(reasoningField ? { content: deltas[i], [reasoningField]: null } : { content: deltas[i] }));
    }
    frames.push(chunk({}, 'stop'));
    if (includeUsage) frames.push(sseData({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: fullUsage }));
    frames.push(sseData('[DONE]'));
    await this.sse(ctx, frames, { 'x-request-id': `req_${id}` });
  }
}

/** A deterministic 8-dimensional unit vector per text. */
function vectorOf(text: string): number[] {
  const h = createHash('sha256').update(text).digest();
  const v = Array.from({ length: 8 }, (_, i) => h.readInt16BE(i * 2) / 32768);
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}
