import type { Usage } from '../capabilities.js';
import { AiCallError } from '../errors.js';
import { openHttp, type CallScope, type OpenedResponse } from './http.js';
import { parseJson, readSse, type SseMessage } from './sse.js';
import { accumulate, outputText, type BackendConfig, type Completion, type GenEvent, type GenerateRequest, type TextBackend } from './types.js';

interface CozeUsage {
  token_count?: number;
  output_count?: number;
  input_count?: number;
}
interface CozeError {
  code?: number;
  msg?: string;
}
interface CozeChatEvent {
  type?: string;
  content?: string;
  usage?: CozeUsage;
  last_error?: CozeError;
  code?: number;
  msg?: string;
}
interface CozeWorkflowEvent {
  content?: string;
  error_code?: number;
  error_message?: string;
  usage?: CozeUsage;
}

const toUsage = (u: CozeUsage): Usage => ({ promptTokens: u.input_count ?? 0, completionTokens: u.output_count ?? 0 });

/** Coze business codes → the HTTP status they stand for (coze-js `APIError.generate`, ai-wire-formats §3.7). */
function statusOfCode(code: number): number {
  const known: Record<number, number> = { 4000: 400, 4100: 401, 4101: 403, 4200: 404, 4013: 429, 4016: 409, 5000: 500 };
  return known[code] ?? (code >= 5000 && code < 6000 ? 500 : 400);
}

function businessError(e: CozeError, afterFirstByte: boolean): AiCallError {
  const code = e.code ?? 0;
  return new AiCallError('upstream', `Coze error ${code}: ${e.msg ?? ''}`, { status: statusOfCode(code), vendorCode: String(code), afterFirstByte });
}

/**
 * Coze (ai-wire-formats §3): v3 chat streamed for bots, workflow stream_run / run for workflows.
 * Business errors often come as HTTP 200 JSON `{code, msg}`, even on streaming requests.
 */
export class CozeClient implements TextBackend {
  constructor(readonly config: BackendConfig) {}

  get mode(): 'bot' | 'workflow' {
    return this.config.options.mode === 'workflow' ? 'workflow' : 'bot';
  }

  private url(path: string): string {
    return `${this.config.baseUrl ?? ''}${path}`;
  }

  private headers(): Record<string, string> {
    return this.config.apiKey ? { authorization: `Bearer ${this.config.apiKey}` } : {};
  }

  private parameters(req: GenerateRequest): Record<string, string> {
    return { ...req.inputs, query: req.prompt };
  }

  async open(req: GenerateRequest, scope: CallScope): Promise<AsyncIterable<GenEvent>> {
    if (this.mode === 'workflow') {
      const res = await openHttp(
        { url: this.url('/v1/workflow/stream_run'), headers: this.headers(), body: { workflow_id: this.config.appId, parameters: this.parameters(req) }, streaming: true },
        scope,
      );
      await rejectJsonBody(res);
      return this.workflowEvents(res);
    }
    const body = {
      bot_id: this.config.appId,
      user_id: req.user ?? 'kpl-system',
      stream: true,
      auto_save_history: true,
      additional_messages: [
        ...(req.history ?? []).map((t) => ({ role: t.role, type: t.role === 'user' ? 'question' : 'answer', content: t.content, content_type: 'text' })),
        { role: 'user', type: 'question', content: req.prompt, content_type: 'text' },
      ],
      ...(req.inputs && Object.keys(req.inputs).length ? { custom_variables: req.inputs } : {}),
    };
    const res = await openHttp({ url: this.url('/v3/chat'), headers: this.headers(), body, streaming: true }, scope);
    await rejectJsonBody(res);
    return this.chatEvents(res);
  }

  /** Workflows have a blocking run; a bot's non-streamed chat needs polling, so its stream is gathered instead. */
  async complete(req: GenerateRequest, scope: CallScope): Promise<Completion> {
    if (this.mode === 'bot') return accumulate(await this.open(req, scope));
    const { outputs, usage } = await this.runWorkflow(this.parameters(req), scope);
    return { text: outputText(outputs), usage };
  }

  /** A blocking workflow run: `data` is a JSON-encoded string of the outputs (or plain text). */
  async runWorkflow(parameters: Record<string, unknown>, scope: CallScope): Promise<{ outputs: unknown; usage?: Usage }> {
    const res = await openHttp({ url: this.url('/v1/workflow/run'), headers: this.headers(), body: { workflow_id: this.config.appId, parameters }, streaming: false }, scope);
    const body = parseJson<CozeError & { data?: string; usage?: CozeUsage }>(await res.text(), 'workflow run response');
    if (body.code) throw businessError(body, true);
    let outputs: unknown = body.data ?? null;
    try {
      outputs = JSON.parse(body.data ?? 'null');
    } catch {
      // "data may be non-JSON": keep the text.
    }
    return { outputs, usage: body.usage ? toUsage(body.usage) : undefined };
  }

  /** Thumbs up/down on an answer message. */
  async feedback(conversationId: string, messageId: string, type: 'like' | 'unlike', scope: CallScope, comment?: string): Promise<void> {
    const res = await openHttp(
      {
        url: this.url(`/v1/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/feedback`),
        headers: this.headers(),
        body: { feedback_type: type, ...(comment ? { comment } : {}) },
        streaming: false,
      },
      scope,
    );
    const body = parseJson<CozeError>(await res.text(), 'feedback response');
    if (body.code) throw businessError(body, true);
  }

  private async *chatEvents(res: OpenedResponse): AsyncGenerator<GenEvent> {
    let completed = false;
    for await (const m of readSse(res.chunks())) {
      if (m.event === 'raw') throw rawError(m);
      if (m.event === 'done') return;
      if (!m.data) continue;
      switch (m.event) {
        case 'conversation.message.delta': {
          const e = parseJson<CozeChatEvent>(m.data, 'Coze message delta');
          // Deep-thinking bots stream reasoning_content with an empty content: not part of the answer.
          if ((e.type ?? 'answer') === 'answer' && e.content) yield { type: 'text', text: e.content };
          break;
        }
        case 'conversation.chat.completed': {
          const e = parseJson<CozeChatEvent>(m.data, 'Coze chat');
          if (e.usage) yield { type: 'usage', usage: toUsage(e.usage) };
          completed = true;
          break;
        }
        case 'conversation.chat.failed': {
          // The capture carries the Chat object with last_error; the doc overview a bare {code,msg}.
          const e = parseJson<CozeChatEvent>(m.data, 'Coze chat');
          throw businessError(e.last_error ?? { code: e.code, msg: e.msg }, true);
        }
        case 'conversation.chat.requires_action':
          throw new AiCallError('upstream', 'the bot asked for tool outputs, which this platform does not provide', { vendorCode: 'requires_action', afterFirstByte: true });
        case 'error':
          throw businessError(parseJson<CozeError>(m.data, 'Coze error'), true);
        default:
        // chat.created / in_progress, message.completed (repeats the deltas), audio…
      }
    }
    if (!completed) throw new AiCallError('protocol', 'the stream ended before conversation.chat.completed', { afterFirstByte: true });
  }

  private async *workflowEvents(res: OpenedResponse): AsyncGenerator<GenEvent> {
    for await (const m of readSse(res.chunks())) {
      switch (m.event) {
        case 'raw':
          throw rawError(m);
        case 'Message': {
          const e = parseJson<CozeWorkflowEvent>(m.data, 'Coze workflow message');
          if (e.content) yield { type: 'text', text: e.content };
          if (e.usage) yield { type: 'usage', usage: toUsage(e.usage) };
          break;
        }
        case 'Error': {
          const e = parseJson<CozeWorkflowEvent>(m.data, 'Coze workflow error');
          throw businessError({ code: e.error_code, msg: e.error_message }, true);
        }
        case 'Interrupt':
          throw new AiCallError('upstream', 'the workflow stopped for input, which this platform does not provide', { vendorCode: 'interrupt', afterFirstByte: true });
        case 'Done':
          return;
        default:
        // PING heartbeats.
      }
    }
    throw new AiCallError('protocol', 'the workflow stream ended before Done', { afterFirstByte: true });
  }
}

/** HTTP 200 with a JSON body on a streaming request is an error envelope (or a blocking body we did not ask for). */
async function rejectJsonBody(res: OpenedResponse): Promise<void> {
  if (res.mediaType !== 'application/json') return;
  const body = parseJson<CozeError>(await res.text(), 'Coze response');
  throw body.code ? businessError(body, false) : new AiCallError('protocol', 'Coze answered JSON to a streaming request');
}

/** A stream that ends with a bare JSON error and no newline (coze-js turns it into an error event). */
function rawError(m: SseMessage): AiCallError {
  try {
    return businessError(JSON.parse(m.data) as CozeError, true);
  } catch {
    return new AiCallError('protocol', `not an SSE line: ${m.data.slice(0, 120)}`, { afterFirstByte: true });
  }
}
