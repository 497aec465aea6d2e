import type { Usage } from '../capabilities.js';
import { AiCallError } from '../errors.js';
import { openHttp, vendorError, type CallScope, type OpenedResponse } from './http.js';
import { parseJson, readSse } from './sse.js';
import type { BackendConfig, Completion, GenEvent, GenerateRequest, TextBackend } from './types.js';

interface OpenAiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}
interface ChatChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: OpenAiUsage | null;
  error?: { message?: string; code?: string | number | null; type?: string };
}
interface ChatCompletion {
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: OpenAiUsage | null;
  error?: ChatChunk['error'];
}

const toUsage = (u: OpenAiUsage): Usage => ({ promptTokens: u.prompt_tokens ?? 0, completionTokens: u.completion_tokens ?? 0 });

/**
 * OpenAI-compatible chat completions and embeddings (OpenAI, DeepSeek, Qwen/DashScope, Ollama, vLLM;
 * ai-wire-formats §1). Reasoning text (`reasoning_content` / `reasoning`) is never part of the answer.
 */
export class OpenAiCompatibleClient implements TextBackend {
  constructor(readonly config: BackendConfig) {}

  private url(path: string): string {
    return `${this.config.baseUrl ?? ''}${path}`;
  }

  private headers(): Record<string, string> {
    // Ollama and vLLM ignore the key, but proxies in front of them may not.
    return this.config.apiKey ? { authorization: `Bearer ${this.config.apiKey}` } : {};
  }

  private body(req: GenerateRequest, stream: boolean): Record<string, unknown> {
    const o = this.config.options;
    return {
      ...o.extraBody,
      model: this.config.model,
      messages: [
        ...(req.system ? [{ role: 'system', content: req.system }] : []),
        ...(req.history ?? []).map((t) => ({ role: t.role, content: t.content })),
        { role: 'user', content: req.prompt },
      ],
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
      ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
      ...((req.maxTokens ?? o.maxTokens) !== undefined ? { max_tokens: req.maxTokens ?? o.maxTokens } : {}),
      ...(req.json && o.jsonMode ? { response_format: { type: 'json_object' } } : {}),
      ...(req.user ? { user: req.user } : {}),
    };
  }

  async open(req: GenerateRequest, scope: CallScope): Promise<AsyncIterable<GenEvent>> {
    const res = await openHttp({ url: this.url('/chat/completions'), headers: this.headers(), body: this.body(req, true), streaming: true }, scope);
    // A server that ignored `stream` answers with one JSON body; serve it as a one-piece stream.
    if (res.mediaType === 'application/json') return blockingAsStream(await readCompletion(res));
    return this.events(res);
  }

  /** One blocking completion (`stream: false`). */
  async complete(req: GenerateRequest, scope: CallScope): Promise<Completion> {
    const res = await openHttp({ url: this.url('/chat/completions'), headers: this.headers(), body: this.body(req, false), streaming: false }, scope);
    return readCompletion(res);
  }

  async embed(texts: string[], scope: CallScope): Promise<{ vectors: number[][]; usage?: Usage }> {
    const model = this.config.options.embeddingModel ?? this.config.model;
    const res = await openHttp({ url: this.url('/embeddings'), headers: this.headers(), body: { model, input: texts }, streaming: false }, scope);
    const body = parseJson<{ data?: { index: number; embedding: number[] }[]; usage?: OpenAiUsage }>(await res.text(), 'embeddings response');
    if (!Array.isArray(body.data) || body.data.length !== texts.length) throw new AiCallError('protocol', 'embeddings response does not match the input', { afterFirstByte: true });
    const vectors = [...body.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    return { vectors, usage: body.usage ? toUsage(body.usage) : undefined };
  }

  private async *events(res: OpenedResponse): AsyncGenerator<GenEvent> {
    let finished = false;
    for await (const m of readSse(res.chunks())) {
      if (m.event === 'raw') continue;
      if (m.event === 'error') throw inStreamError(parseJson<ChatChunk>(m.data, 'error event').error ?? { message: m.data });
      if (m.data === '[DONE]') return;
      const chunk = parseJson<ChatChunk>(m.data, 'chat completion chunk');
      if (chunk.error) throw inStreamError(chunk.error);
      const choice = chunk.choices?.[0];
      const text = choice?.delta?.content;
      if (typeof text === 'string' && text) yield { type: 'text', text };
      if (choice?.finish_reason) finished = true;
      if (chunk.usage) yield { type: 'usage', usage: toUsage(chunk.usage) };
    }
    // Some servers omit [DONE] after a finish_reason; a stream with neither was cut short.
    if (!finished) throw new AiCallError('protocol', 'the stream ended before [DONE]', { afterFirstByte: true });
  }
}

async function readCompletion(res: OpenedResponse): Promise<Completion> {
  // Some servers send blank lines before a blocking body (keep-alive while the answer is computed).
  const body = parseJson<ChatCompletion>((await res.text()).trim(), 'chat completion');
  if (body.error) throw inStreamError(body.error);
  const content = body.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new AiCallError('protocol', 'the completion has no message content', { afterFirstByte: true });
  return { text: content, usage: body.usage ? toUsage(body.usage) : undefined };
}

async function* blockingAsStream(r: Completion): AsyncGenerator<GenEvent> {
  if (r.text) yield { type: 'text', text: r.text };
  if (r.usage) yield { type: 'usage', usage: r.usage };
}

/** vLLM puts the HTTP status in `code`; others a string code. */
function inStreamError(e: NonNullable<ChatChunk['error']>): AiCallError {
  const status = typeof e.code === 'number' ? e.code : undefined;
  const v = vendorError(JSON.stringify({ error: e }));
  return new AiCallError('upstream', `in-stream error: ${e.message ?? 'unknown'}`, { status, vendorCode: v.code, afterFirstByte: true });
}
