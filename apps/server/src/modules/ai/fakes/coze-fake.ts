import { FakeServer, bigId, pieces, sseEvent, type FakeContext } from './fake-server.js';

interface Chat {
  id: string;
  conversationId: string;
  botId: string;
  status: 'created' | 'in_progress' | 'completed' | 'failed';
  pollsLeft: number;
  answer: string;
  answerId: string;
  usage: { token_count: number; output_count: number; input_count: number };
  createdAt: number;
}

const now = () => Math.floor(Date.now() / 1000);

/**
 * Coze open API (ai-wire-formats §3, §4): v3 chat streamed and polled, workflow run / stream_run,
 * message feedback. Business errors are HTTP 200 JSON `{code, msg}` (4100 bad token, 4000 bad
 * request, 4016 a chat already running in the conversation); streams use `event:`/`data:` without
 * spaces and end with `event:done` / `data:"[DONE]"`; ids are 19-digit strings. Variants:
 * 'http401' (a plain 401 instead of code 4100), 'failed' (conversation.chat.failed with last_error),
 * 'requires_action', 'reasoning' (reasoning_content deltas with empty content), 'follow-up',
 * 'bare-json-eof' (the stream ends with a bare JSON error and no newline), 'interrupt' (workflow).
 * `errorAfterDeltas` sends `event:error`; in a workflow stream an `Error` event.
 */
export class CozeFake extends FakeServer {
  readonly chats = new Map<string, Chat>();
  readonly feedback: { conversationId: string; messageId: string; type: string }[] = [];
  private readonly running = new Map<string, string>();
  private readonly conversations = new Set<string>();

  constructor(
    readonly token = 'pat_test',
    readonly defaultContent = '2024 年 10 月 1 日是星期二。',
    /** retrieve calls before a non-streamed chat is completed. */
    readonly pollsToComplete = 2,
  ) {
    super();
  }

  protected errorBody(status: number, code: string | number | undefined, message: string): unknown {
    return { code: Number(code ?? (status === 429 ? 4013 : status >= 500 ? 5000 : 4000)), msg: message, detail: { logid: bigId() } };
  }

  private business(ctx: FakeContext, code: number, msg: string): void {
    this.json(ctx.res, 200, { code, msg, detail: { logid: bigId() } }, { 'x-tt-logid': bigId() });
  }

  protected async handle(ctx: FakeContext): Promise<void> {
    const { req, record, script } = ctx;
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      if (script.variant?.includes('http401')) return this.json(ctx.res, 401, { code: 4100, msg: 'authentication is invalid' });
      return this.business(ctx, 4100, 'authentication is invalid');
    }
    const p = record.path;
    let m: RegExpExecArray | null;
    if (record.method === 'POST' && p === '/v3/chat') return this.chat(ctx);
    if ((record.method === 'GET' || record.method === 'POST') && p === '/v3/chat/retrieve') return this.retrieve(ctx);
    if (record.method === 'GET' && p === '/v3/chat/message/list') return this.messageList(ctx);
    if (record.method === 'POST' && p === '/v1/workflow/run') return this.workflowRun(ctx);
    if (record.method === 'POST' && p === '/v1/workflow/stream_run') return this.workflowStream(ctx);
    if (record.method === 'POST' && (m = /^\/v1\/conversations\/([^/]+)\/messages\/([^/]+)\/feedback$/.exec(p))) return this.giveFeedback(ctx, m[1]!, m[2]!);
    this.json(ctx.res, 404, { code: 4200, msg: `no route ${p}` });
  }

  private chatObject(c: Chat) {
    return {
      id: c.id,
      conversation_id: c.conversationId,
      bot_id: c.botId,
      created_at: c.createdAt,
      ...(c.status === 'completed' ? { completed_at: now() } : {}),
      last_error: { code: 0, msg: '' },
      status: c.status,
      usage: c.status === 'completed' ? c.usage : { token_count: 0, output_count: 0, input_count: 0 },
    };
  }

  private message(c: Chat, type: string, content: string, id = c.answerId) {
    return { id, conversation_id: c.conversationId, bot_id: c.botId, role: 'assistant', type, content, content_type: 'text', chat_id: c.id, section_id: c.conversationId, created_at: c.createdAt, updated_at: now() };
  }

  private async chat(ctx: FakeContext): Promise<void> {
    const { body, record, script } = ctx;
    if (typeof body.bot_id !== 'string' || !body.bot_id) return this.business(ctx, 4000, 'bot_id is required');
    let conversationId = record.query.get('conversation_id') ?? '';
    if (conversationId && !this.conversations.has(conversationId)) return this.business(ctx, 4200, 'conversation not found');
    if (!conversationId) conversationId = bigId();
    this.conversations.add(conversationId);
    if (this.running.has(conversationId)) return this.business(ctx, 4016, 'Conversation occupied: a chat is in progress in this conversation.');
    const content = script.content ?? this.defaultContent;
    const c: Chat = {
      id: bigId(),
      conversationId,
      botId: body.bot_id,
      status: 'in_progress',
      pollsLeft: this.pollsToComplete,
      answer: content,
      answerId: bigId(),
      usage: { token_count: (script.usage?.prompt ?? 614) + (script.usage?.completion ?? 19), output_count: script.usage?.completion ?? 19, input_count: script.usage?.prompt ?? 614 },
      createdAt: now(),
    };
    this.chats.set(c.id, c);
    if (body.stream !== true) {
      if (body.auto_save_history === false) return this.business(ctx, 4000, 'auto_save_history must be true when stream is false');
      return this.json(ctx.res, 200, { code: 0, msg: '', data: this.chatObject(c) }, { 'x-tt-logid': bigId() });
    }

    const variant = new Set(script.variant ?? []);
    const ev = (name: string, data: unknown) => sseEvent(name, data, { space: false });
    const frames = [ev('conversation.chat.created', { ...this.chatObject(c), status: 'created' }), ev('conversation.chat.in_progress', this.chatObject(c))];
    if (variant.has('reasoning')) {
      for (const r of pieces('先算出那天是星期几。', 4)) frames.push(ev('conversation.message.delta', { ...this.message(c, 'answer', ''), reasoning_content: r }));
    }
    const deltas = pieces(content, script.pieceSize ?? 3);
    for (let i = 0; i < deltas.length; i++) {
      if (script.errorAfterDeltas === i) {
        frames.push(ev('error', { code: 5000, msg: 'internal error' }));
        return this.stream(ctx, conversationId, frames);
      }
      frames.push(ev('conversation.message.delta', this.message(c, 'answer', deltas[i]!)));
    }
    if (variant.has('failed')) {
      frames.push(ev('conversation.chat.failed', { ...this.chatObject(c), status: 'failed', last_error: { code: 5000, msg: 'event interval error' } }));
      return this.stream(ctx, conversationId, frames);
    }
    if (variant.has('requires_action')) {
      frames.push(
        ev('conversation.chat.requires_action', {
          ...this.chatObject(c),
          status: 'requires_action',
          required_action: { type: 'submit_tool_outputs', submit_tool_outputs: { tool_calls: [{ id: bigId(), type: 'function', function: { name: 'lookup', arguments: '{}' } }] } },
        }),
      );
      return this.stream(ctx, conversationId, frames);
    }
    frames.push(ev('conversation.message.completed', this.message(c, 'answer', content)));
    frames.push(ev('conversation.message.completed', this.message(c, 'verbose', JSON.stringify({ msg_type: 'generate_answer_finish', data: '', from_module: null, from_unit: null }), bigId())));
    if (variant.has('follow-up')) frames.push(ev('conversation.message.completed', this.message(c, 'follow_up', '还有别的问题吗？', bigId())));
    c.status = 'completed';
    if (variant.has('bare-json-eof')) {
      frames.push(JSON.stringify({ code: 4013, msg: 'rate limited mid-stream' }));
      return this.stream(ctx, conversationId, frames);
    }
    frames.push(ev('conversation.chat.completed', this.chatObject(c)));
    frames.push(ev('done', '"[DONE]"'));
    await this.stream(ctx, conversationId, frames);
  }

  private async stream(ctx: FakeContext, conversationId: string, frames: string[]): Promise<void> {
    this.running.set(conversationId, 'streaming');
    try {
      await this.sse(ctx, frames, { 'x-tt-logid': bigId() });
    } finally {
      this.running.delete(conversationId);
    }
  }

  private retrieve(ctx: FakeContext): void {
    const c = this.chats.get(ctx.record.query.get('chat_id') ?? '');
    if (!c || c.conversationId !== ctx.record.query.get('conversation_id')) return this.business(ctx, 4200, 'chat not found');
    if (c.status === 'in_progress' && --c.pollsLeft <= 0) c.status = 'completed';
    this.json(ctx.res, 200, { code: 0, msg: '', data: this.chatObject(c) });
  }

  private messageList(ctx: FakeContext): void {
    const c = this.chats.get(ctx.record.query.get('chat_id') ?? '');
    if (!c || c.conversationId !== ctx.record.query.get('conversation_id')) return this.business(ctx, 4200, 'chat not found');
    const data = c.status === 'completed' ? [this.message(c, 'answer', c.answer), this.message(c, 'verbose', JSON.stringify({ msg_type: 'generate_answer_finish', data: '' }), bigId())] : [];
    this.json(ctx.res, 200, { code: 0, msg: '', data });
  }

  private workflowRun(ctx: FakeContext): void {
    const { body, script } = ctx;
    if (typeof body.workflow_id !== 'string' || !body.workflow_id) return this.business(ctx, 4000, 'workflow_id is required');
    if (body.bot_id && body.app_id) return this.business(ctx, 4000, 'bot_id and app_id cannot both be set');
    const content = script.content ?? this.defaultContent;
    const usage = { input_count: script.usage?.prompt ?? 50, output_count: script.usage?.completion ?? 20, token_count: (script.usage?.prompt ?? 50) + (script.usage?.completion ?? 20) };
    this.json(ctx.res, 200, { code: 0, msg: '', data: JSON.stringify({ output: content }), debug_url: `https://www.coze.cn/work_flow?execute_id=${bigId()}`, usage, execute_id: bigId(), detail: { logid: bigId() } });
  }

  private async workflowStream(ctx: FakeContext): Promise<void> {
    const { body, script } = ctx;
    if (typeof body.workflow_id !== 'string' || !body.workflow_id) return this.business(ctx, 4000, 'workflow_id is required');
    const content = script.content ?? this.defaultContent;
    const variant = new Set(script.variant ?? []);
    let id = 0;
    const ev = (name: string, data: unknown) => sseEvent(name, data, { id: String(id++) });
    const frames: string[] = [];
    const deltas = pieces(content, script.pieceSize ?? 3);
    const usage = { input_count: script.usage?.prompt ?? 50, output_count: script.usage?.completion ?? 20, token_count: (script.usage?.prompt ?? 50) + (script.usage?.completion ?? 20) };
    for (let i = 0; i < deltas.length; i++) {
      if (script.errorAfterDeltas === i) {
        frames.push(ev('Error', { error_code: 720702011, error_message: 'workflow node failed' }));
        return void (await this.sse(ctx, frames));
      }
      const last = i === deltas.length - 1;
      frames.push(ev('Message', { content: deltas[i], node_is_finish: last, node_seq_id: String(i), node_title: 'End', node_id: '900001', ...(last ? { usage } : {}) }));
      if (i === 0) frames.push(ev('PING', { content: '{}' }));
    }
    if (variant.has('interrupt')) {
      frames.push(ev('Interrupt', { interrupt_data: { event_id: bigId(), type: 2 }, node_title: 'Question' }));
      return void (await this.sse(ctx, frames));
    }
    frames.push(ev('Done', { debug_url: 'https://www.coze.cn/work_flow?execute_id=1' }));
    await this.sse(ctx, frames);
  }

  private giveFeedback(ctx: FakeContext, conversationId: string, messageId: string): void {
    const type = ctx.body.feedback_type;
    if (type !== 'like' && type !== 'unlike') return this.business(ctx, 4000, 'feedback_type must be like or unlike');
    const known = [...this.chats.values()].some((c) => c.conversationId === conversationId && c.answerId === messageId);
    if (!known) return this.business(ctx, 4200, 'message not found');
    this.feedback.push({ conversationId, messageId, type });
    this.json(ctx.res, 200, { code: 0, msg: '', detail: { logid: bigId() } });
  }
}
