import type { Usage } from '../capabilities.js';
import { AiCallError } from '../errors.js';
import { openHttp, type CallScope, type OpenedResponse } from './http.js';
import { parseJson, readSse } from './sse.js';
import { accumulate, outputText, type BackendConfig, type Completion, type GenEvent, type GenerateRequest, type TextBackend } from './types.js';

interface DifyUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}
interface DifyEvent {
  event?: string;
  answer?: string;
  message_id?: string;
  status?: number;
  code?: string;
  message?: string;
  metadata?: { usage?: DifyUsage };
  data?: { text?: string; status?: string; error?: string | null; outputs?: Record<string, unknown> | null; total_tokens?: number };
}

export type DifyMode = 'chat' | 'completion' | 'workflow';
export type DifyRating = 'like' | 'dislike' | null;

const toUsage = (u: DifyUsage): Usage => ({ promptTokens: u.prompt_tokens ?? 0, completionTokens: u.completion_tokens ?? 0 });

/**
 * Dify Service API (ai-wire-formats §2): chat / completion / workflow apps, streamed. The app holds
 * its own prompt; we send the task as the query (and in `inputs.query`) plus named inputs. Dify keeps
 * conversations server-side, so earlier turns travel inside the query and as `inputs.history`.
 */
export class DifyClient implements TextBackend {
  constructor(readonly config: BackendConfig) {}

  get mode(): DifyMode {
    const m = this.config.options.mode;
    return m === 'completion' || m === 'workflow' ? m : 'chat';
  }

  private url(path: string): string {
    return `${this.config.baseUrl ?? ''}${path}`;
  }

  private headers(): Record<string, string> {
    return this.config.apiKey ? { authorization: `Bearer ${this.config.apiKey}` } : {};
  }

  private request(req: GenerateRequest): { path: string; body: Record<string, unknown> } {
    const history = (req.history ?? []).map((t) => `${t.role === 'user' ? '用户' : '助手'}：${t.content}`).join('\n');
    const query = history ? `【此前的对话】\n${history}\n\n【当前】\n${req.prompt}` : req.prompt;
    const inputs = { ...req.inputs, query, ...(history ? { history } : {}) };
    const user = req.user ?? 'kpl-system';
    switch (this.mode) {
      case 'workflow':
        return { path: '/workflows/run', body: { inputs, user, response_mode: 'streaming' } };
      case 'completion':
        return { path: '/completion-messages', body: { inputs, query, user, response_mode: 'streaming' } };
      default:
        return { path: '/chat-messages', body: { query, inputs, user, response_mode: 'streaming', conversation_id: '', auto_generate_name: false } };
    }
  }

  async open(req: GenerateRequest, scope: CallScope): Promise<AsyncIterable<GenEvent>> {
    const { path, body } = this.request(req);
    const res = await openHttp({ url: this.url(path), headers: this.headers(), body, streaming: true }, scope);
    if (res.mediaType === 'application/json') throw new AiCallError('protocol', `Dify answered JSON to a streaming request: ${(await res.text()).slice(0, 200)}`);
    return this.events(res);
  }

  /** Agent apps refuse blocking mode, so the answer is always streamed and gathered. */
  async complete(req: GenerateRequest, scope: CallScope): Promise<Completion> {
    return accumulate(await this.open(req, scope));
  }

  /** Learner thumbs up/down on an answer (`null` revokes). Needs the answer's message id and the same user. */
  async feedback(messageId: string, rating: DifyRating, user: string, scope: CallScope, content?: string): Promise<void> {
    const res = await openHttp(
      { url: this.url(`/messages/${encodeURIComponent(messageId)}/feedbacks`), headers: this.headers(), body: { rating, user, ...(content ? { content } : {}) }, streaming: false },
      scope,
    );
    const body = parseJson<{ result?: string }>(await res.text(), 'feedback response');
    if (body.result !== 'success') throw new AiCallError('protocol', 'Dify did not confirm the feedback');
  }

  private async *events(res: OpenedResponse): AsyncGenerator<GenEvent> {
    let ended = false;
    let streamedText = false;
    for await (const m of readSse(res.chunks())) {
      if (m.event === 'raw' || m.event === 'ping') continue;
      const e = parseJson<DifyEvent>(m.data, 'Dify event');
      switch (e.event) {
        case 'message':
        case 'agent_message':
          if (e.answer) {
            streamedText = true;
            yield { type: 'text', text: e.answer };
          }
          break;
        case 'text_chunk':
          if (e.data?.text) {
            streamedText = true;
            yield { type: 'text', text: e.data.text };
          }
          break;
        case 'message_replace':
          yield { type: 'replace', text: e.answer ?? '' };
          break;
        case 'message_end':
          if (e.metadata?.usage) yield { type: 'usage', usage: toUsage(e.metadata.usage) };
          ended = true;
          break;
        case 'workflow_finished': {
          const status = e.data?.status;
          if (status === 'failed' || status === 'stopped') {
            throw new AiCallError('upstream', `workflow ${status}: ${e.data?.error ?? ''}`, { vendorCode: `workflow_${status}`, afterFirstByte: true });
          }
          if (!streamedText) {
            const text = outputText(e.data?.outputs);
            if (text) yield { type: 'text', text };
          }
          // Chatflow reports usage in message_end; a plain workflow only has the total.
          if (!ended && e.data?.total_tokens) yield { type: 'usage', usage: { promptTokens: 0, completionTokens: e.data.total_tokens } };
          ended = true;
          break;
        }
        case 'error':
          throw new AiCallError('upstream', `in-stream error: ${e.message ?? 'unknown'}`, { status: e.status, vendorCode: e.code, afterFirstByte: true });
        default:
        // agent_thought, node_*, workflow_started, message_file, tts…: progress we do not show.
      }
    }
    // Dify closes after its terminal event and sends no [DONE]; without one the stream was cut.
    if (!ended) throw new AiCallError('protocol', 'the stream ended before message_end / workflow_finished', { afterFirstByte: true });
  }
}
