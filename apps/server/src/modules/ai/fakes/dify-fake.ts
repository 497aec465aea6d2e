import { FakeServer, pieces, sseData, sseEvent, uuid, type FakeContext } from './fake-server.js';

export type DifyAppMode = 'chat' | 'agent-chat' | 'advanced-chat' | 'completion' | 'workflow';

interface StoredMessage {
  id: string;
  conversationId: string | null;
  user: string;
  query: string;
  inputs: unknown;
  answer: string;
  rating: 'like' | 'dislike' | null;
  content: string | null;
  createdAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const now = () => Math.floor(Date.now() / 1000);

/**
 * A Dify Service API app (ai-wire-formats §2, §4): chat / agent / chatflow / completion / workflow,
 * blocking and streamed, stop endpoints, message feedback and the message list. Streams carry
 * `event: ping` frames without data, no `[DONE]`, usage prices as strings. Variants:
 * 'replace' (message_replace after the deltas), 'direct' (char-by-char direct output, zero usage),
 * 'failed' (workflow_finished with status failed). `errorAfterDeltas` sends Dify's in-stream
 * `error` event on HTTP 200.
 */
export class DifyFake extends FakeServer {
  readonly messages = new Map<string, StoredMessage>();
  private readonly conversations = new Map<string, string>();
  private readonly stopped = new Set<string>();
  private active = 0;

  constructor(
    readonly appKey = 'app-test',
    public mode: DifyAppMode = 'chat',
    readonly defaultContent = '根据手册，员工应妥善保管客户信息。',
    /** Above this many concurrent streams the app answers 429 too_many_requests. */
    readonly maxConcurrent = 10,
  ) {
    super();
  }

  protected errorBody(status: number, code: string | number | undefined, message: string): unknown {
    const byStatus: Record<number, string> = { 400: 'invalid_param', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 429: 'too_many_requests' };
    return { code: code ?? byStatus[status] ?? 'internal_server_error', message, status };
  }

  private fail(ctx: FakeContext, status: number, code: string, message: string): void {
    this.json(ctx.res, status, { code, message, status });
  }

  protected async handle(ctx: FakeContext): Promise<void> {
    const { req, record } = ctx;
    if (req.headers.authorization !== `Bearer ${this.appKey}`) return this.fail(ctx, 401, 'unauthorized', 'Access token is invalid');
    const p = record.path;
    let m: RegExpExecArray | null;
    if (record.method === 'POST' && p === '/v1/chat-messages') return this.chat(ctx);
    if (record.method === 'POST' && p === '/v1/completion-messages') return this.completion(ctx);
    if (record.method === 'POST' && (p === '/v1/workflows/run' || /^\/v1\/workflows\/[^/]+\/run$/.test(p))) return this.workflow(ctx);
    if (record.method === 'POST' && (m = /^\/v1\/(?:chat-messages|completion-messages|workflows\/tasks)\/([^/]+)\/stop$/.exec(p))) {
      if (!this.userOf(ctx)) return this.fail(ctx, 400, 'invalid_param', 'user is required');
      this.stopped.add(m[1]!);
      return this.json(ctx.res, 200, { result: 'success' });
    }
    if (record.method === 'POST' && (m = /^\/v1\/messages\/([^/]+)\/feedbacks$/.exec(p))) return this.feedback(ctx, m[1]!);
    if (record.method === 'GET' && p === '/v1/messages') return this.listMessages(ctx);
    if (record.method === 'GET' && p === '/v1/app/feedbacks') {
      const data = [...this.messages.values()]
        .filter((x) => x.rating)
        .map((x) => ({ id: uuid(), app_id: 'fake-app', conversation_id: x.conversationId, message_id: x.id, rating: x.rating, content: x.content, from_source: 'user', from_end_user_id: x.user, from_account_id: null }));
      return this.json(ctx.res, 200, { data });
    }
    this.fail(ctx, 404, 'not_found', 'The requested URL was not found on the server.');
  }

  private userOf(ctx: FakeContext): string | null {
    const u = ctx.record.method === 'GET' ? ctx.record.query.get('user') : ctx.body.user;
    return typeof u === 'string' && u ? u : null;
  }

  private usage(ctx: FakeContext, content: string, direct: boolean) {
    const prompt = direct ? 0 : (ctx.script.usage?.prompt ?? 1033);
    const completion = direct ? 0 : (ctx.script.usage?.completion ?? Array.from(content).length);
    return {
      prompt_tokens: prompt,
      prompt_unit_price: '0.001',
      prompt_price_unit: '0.001',
      prompt_price: (prompt * 0.000001).toFixed(7),
      completion_tokens: completion,
      completion_unit_price: '0.002',
      completion_price_unit: '0.001',
      completion_price: (completion * 0.000002).toFixed(7),
      total_tokens: prompt + completion,
      total_price: (prompt * 0.000001 + completion * 0.000002).toFixed(7),
      currency: 'USD',
      latency: 1.38,
    };
  }

  private async chat(ctx: FakeContext): Promise<void> {
    const { body, script } = ctx;
    if (this.mode !== 'chat' && this.mode !== 'agent-chat' && this.mode !== 'advanced-chat') return this.fail(ctx, 400, 'not_chat_app', 'Please check if your app mode matches the right API route.');
    const user = this.userOf(ctx);
    if (!user) return this.fail(ctx, 400, 'invalid_param', 'user is required');
    if (typeof body.query !== 'string') return this.fail(ctx, 400, 'invalid_param', 'query is required');
    let conversationId = typeof body.conversation_id === 'string' ? body.conversation_id : '';
    if (conversationId) {
      if (this.conversations.get(conversationId) !== user) return this.fail(ctx, 404, 'not_found', 'Conversation Not Exists.');
    } else {
      conversationId = uuid();
      this.conversations.set(conversationId, user);
    }
    const streaming = body.response_mode === 'streaming';
    if (!streaming && this.mode === 'agent-chat') return this.fail(ctx, 400, 'app_unavailable', 'Agent Chat App does not support blocking mode');
    const variant = new Set(script.variant ?? []);
    const direct = variant.has('direct');
    const content = script.content ?? this.defaultContent;
    const messageId = uuid();
    const taskId = uuid();
    const stored: StoredMessage = { id: messageId, conversationId, user, query: body.query, inputs: body.inputs ?? {}, answer: content, rating: null, content: null, createdAt: now() };
    this.messages.set(messageId, stored);
    const resources = [{ position: 1, dataset_id: uuid(), dataset_name: '培训资料', document_id: uuid(), document_name: '安全手册.pdf', segment_id: uuid(), score: 0.82, content: content.slice(0, 20) }];
    const metadata = { usage: this.usage(ctx, content, direct), retriever_resources: resources };

    if (!streaming) {
      return this.json(ctx.res, 200, { event: 'message', task_id: taskId, id: messageId, message_id: messageId, conversation_id: conversationId, mode: this.mode, answer: content, metadata, created_at: stored.createdAt });
    }
    const common = { task_id: taskId, id: messageId, message_id: messageId, conversation_id: conversationId, created_at: stored.createdAt };
    const frames: string[] = [];
    const runId = uuid();
    if (this.mode === 'advanced-chat') {
      frames.push(sseEvent('ping'));
      frames.push(sseData({ event: 'workflow_started', task_id: taskId, workflow_run_id: runId, data: { id: runId, workflow_id: uuid(), inputs: body.inputs ?? {}, created_at: now() } }));
      frames.push(sseData({ event: 'node_started', task_id: taskId, workflow_run_id: runId, data: { id: uuid(), node_id: 'llm', node_type: 'llm', title: 'LLM', index: 1, created_at: now() } }));
    }
    if (this.mode === 'agent-chat') {
      const thoughtId = uuid();
      for (const thought of ['', '我需要先查资料。']) frames.push(sseData({ event: 'agent_thought', ...common, id: thoughtId, position: 1, thought, observation: '', tool: '', tool_input: '', message_files: [] }));
    }
    const event = this.mode === 'agent-chat' ? 'agent_message' : 'message';
    const deltas = direct ? Array.from(content) : pieces(content, script.pieceSize ?? 3);
    for (let i = 0; i < deltas.length; i++) {
      if (script.errorAfterDeltas === i) {
        frames.push(sseData({ event: 'error', message_id: messageId, conversation_id: conversationId, status: 400, code: 'completion_request_error', message: 'the model provider returned an error' }));
        return this.stream(ctx, frames, taskId);
      }
      frames.push(sseData({ event, ...common, answer: deltas[i] }));
      if (i === 0) frames.push(sseEvent('ping'));
    }
    if (variant.has('replace')) frames.push(sseData({ event: 'message_replace', ...common, answer: '该回答已被内容审核替换。' }));
    frames.push(sseData({ event: 'message_end', ...common, metadata, files: [] }));
    if (this.mode === 'advanced-chat') {
      frames.push(sseData({ event: 'workflow_finished', task_id: taskId, workflow_run_id: runId, data: { id: runId, status: 'succeeded', outputs: { answer: content }, error: null, elapsed_time: 1.2, total_tokens: metadata.usage.total_tokens, total_steps: 3, finished_at: now() } }));
    }
    await this.stream(ctx, frames, taskId, () => [sseData({ event: 'message_end', ...common, metadata: { usage: this.usage(ctx, '', true) }, files: [] })]);
  }

  private async completion(ctx: FakeContext): Promise<void> {
    const { body, script } = ctx;
    if (this.mode !== 'completion') return this.fail(ctx, 400, 'app_unavailable', 'App unavailable, please check your app configurations.');
    const user = this.userOf(ctx);
    if (!user) return this.fail(ctx, 400, 'invalid_param', 'user is required');
    if (typeof body.inputs !== 'object' || body.inputs === null) return this.fail(ctx, 400, 'invalid_param', 'inputs is required');
    const content = script.content ?? this.defaultContent;
    const messageId = uuid();
    const taskId = uuid();
    const query = typeof body.query === 'string' ? body.query : String((body.inputs as Record<string, unknown>).query ?? '');
    this.messages.set(messageId, { id: messageId, conversationId: null, user, query, inputs: body.inputs, answer: content, rating: null, content: null, createdAt: now() });
    const metadata = { usage: this.usage(ctx, content, false) };
    if (body.response_mode !== 'streaming') {
      return this.json(ctx.res, 200, { event: 'message', task_id: taskId, id: messageId, message_id: messageId, mode: 'completion', answer: content, metadata, created_at: now() });
    }
    const common = { task_id: taskId, id: messageId, message_id: messageId, created_at: now() };
    const frames = pieces(content, script.pieceSize ?? 3).map((answer) => sseData({ event: 'message', ...common, answer }));
    frames.push(sseData({ event: 'message_end', ...common, metadata, files: [] }));
    await this.stream(ctx, frames, taskId);
  }

  private async workflow(ctx: FakeContext): Promise<void> {
    const { body, script } = ctx;
    if (this.mode !== 'workflow') return this.fail(ctx, 400, 'not_workflow_app', 'Please check if your app mode matches the right API route.');
    const user = this.userOf(ctx);
    if (!user) return this.fail(ctx, 400, 'invalid_param', 'user is required');
    const failed = (script.variant ?? []).includes('failed');
    const content = script.content ?? this.defaultContent;
    const taskId = uuid();
    const runId = uuid();
    const tokens = script.usage ? script.usage.prompt + script.usage.completion : 150;
    const finished = (status: string) => ({
      id: runId,
      workflow_id: 'wf-1',
      status,
      outputs: status === 'succeeded' ? { text: content } : null,
      error: status === 'failed' ? 'LLM node failed: provider quota exceeded' : null,
      elapsed_time: 1.23,
      total_tokens: tokens,
      total_steps: 3,
      created_at: now(),
      finished_at: now(),
    });
    if (body.response_mode !== 'streaming') return this.json(ctx.res, 200, { task_id: taskId, workflow_run_id: runId, data: finished(failed ? 'failed' : 'succeeded') });
    const head = { task_id: taskId, workflow_run_id: runId };
    const frames = [
      sseEvent('ping'),
      sseData({ event: 'workflow_started', ...head, data: { id: runId, workflow_id: 'wf-1', inputs: body.inputs ?? {}, created_at: now() } }),
      sseData({ event: 'node_started', ...head, data: { id: uuid(), node_id: 'llm', node_type: 'llm', title: 'LLM', index: 1, predecessor_node_id: 'start', inputs: {}, created_at: now() } }),
    ];
    if (!failed) for (const text of pieces(content, script.pieceSize ?? 3)) frames.push(sseData({ event: 'text_chunk', ...head, data: { text, from_variable_selector: ['llm', 'text'] } }));
    frames.push(sseData({ event: 'node_finished', ...head, data: { id: uuid(), node_id: 'llm', status: failed ? 'failed' : 'succeeded', outputs: {}, error: null, elapsed_time: 1.1, execution_metadata: { total_tokens: tokens } } }));
    frames.push(sseData({ event: 'workflow_finished', ...head, data: finished(failed ? 'failed' : 'succeeded') }));
    await this.stream(ctx, frames, taskId, () => [sseData({ event: 'workflow_finished', ...head, data: finished('stopped') })]);
  }

  private async stream(ctx: FakeContext, frames: string[], taskId: string, stoppedFrames?: () => string[]): Promise<void> {
    if (this.active >= this.maxConcurrent) {
      return this.fail(ctx, 429, 'too_many_requests', `Too many requests. The maximum concurrent requests allowed for fake-app is ${this.maxConcurrent}.`);
    }
    this.active++;
    try {
      await this.sse(ctx, frames, {}, () => (this.stopped.has(taskId) ? (stoppedFrames?.() ?? []) : undefined));
    } finally {
      this.active--;
    }
  }

  private feedback(ctx: FakeContext, messageId: string): void {
    if (!UUID.test(messageId)) return this.fail(ctx, 404, 'not_found', 'The requested URL was not found on the server.');
    const user = this.userOf(ctx);
    if (!user) return this.fail(ctx, 400, 'invalid_param', 'Arg user must be provided.');
    const rating = ctx.body.rating ?? null;
    if (rating !== null && rating !== 'like' && rating !== 'dislike') return this.fail(ctx, 400, 'invalid_param', "rating must be one of 'like', 'dislike' or null");
    const msg = this.messages.get(messageId);
    if (!msg || msg.user !== user) return this.fail(ctx, 404, 'not_found', 'Message Not Exists.');
    if (rating === null && !msg.rating) return this.fail(ctx, 400, 'invalid_param', 'Feedback does not exist.');
    msg.rating = rating;
    msg.content = typeof ctx.body.content === 'string' ? ctx.body.content : null;
    this.json(ctx.res, 200, { result: 'success' });
  }

  private listMessages(ctx: FakeContext): void {
    const user = this.userOf(ctx);
    const conversationId = ctx.record.query.get('conversation_id');
    if (!user) return this.fail(ctx, 400, 'invalid_param', 'user is required');
    if (conversationId && this.conversations.get(conversationId) !== user) return this.fail(ctx, 404, 'not_found', 'Conversation Not Exists.');
    const data = [...this.messages.values()]
      .filter((x) => x.user === user && (!conversationId || x.conversationId === conversationId))
      .map((x) => ({
        id: x.id,
        conversation_id: x.conversationId,
        inputs: x.inputs,
        query: x.query,
        answer: x.answer,
        message_files: [],
        feedback: x.rating ? { rating: x.rating } : null,
        retriever_resources: [],
        agent_thoughts: [],
        status: 'normal',
        error: null,
        created_at: x.createdAt,
      }));
    this.json(ctx.res, 200, { limit: 20, has_more: false, data });
  }
}
