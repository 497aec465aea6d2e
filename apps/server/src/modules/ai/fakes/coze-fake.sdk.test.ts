import { AuthenticationError, ChatEventType, CozeAPI, RoleType, WorkflowEventType } from '@coze/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CozeFake } from './coze-fake.js';

describe('Coze fake, driven by @coze/api', () => {
  const fake = new CozeFake('pat_test', '2024 年 10 月 1 日是星期二。');
  let coze: CozeAPI;
  beforeAll(async () => {
    await fake.start();
    coze = new CozeAPI({ token: 'pat_test', baseURL: fake.url });
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  const additional_messages = [{ role: RoleType.User, content: '10 月 1 日是星期几？', content_type: 'text' as const }];

  it('streams a v3 chat: deltas, completed messages, usage in chat.completed, then done', async () => {
    for (const chunking of ['frame', 'coalesce', 'split'] as const) {
      fake.next({ chunking, usage: { prompt: 614, completion: 19 } });
      const first = await coze.chat.stream({ bot_id: 'b1', user_id: 'learner-1', additional_messages });
      let text = '';
      const names: string[] = [];
      let usage: unknown;
      let conversationId = '';
      for await (const ev of first) {
        names.push(ev.event);
        if (ev.event === ChatEventType.CONVERSATION_MESSAGE_DELTA) text += ev.data.content;
        if (ev.event === ChatEventType.CONVERSATION_CHAT_CREATED) conversationId = ev.data.conversation_id;
        if (ev.event === ChatEventType.CONVERSATION_CHAT_COMPLETED) usage = ev.data.usage;
        if (ev.event === ChatEventType.DONE) break;
      }
      expect(text, chunking).toBe('2024 年 10 月 1 日是星期二。');
      expect(names[0]).toBe(ChatEventType.CONVERSATION_CHAT_CREATED);
      expect(names.at(-1)).toBe(ChatEventType.DONE);
      expect(usage).toEqual({ token_count: 633, output_count: 19, input_count: 614 });
      // Ids are 19-digit strings, never numbers.
      expect(conversationId).toMatch(/^\d{19}$/);
    }
  });

  it('takes conversation_id from the query string and continues that conversation', async () => {
    const first = coze.chat.stream({ bot_id: 'b1', user_id: 'learner-1', additional_messages });
    let conversationId = '';
    for await (const ev of await first) if (ev.event === ChatEventType.CONVERSATION_CHAT_CREATED) conversationId = ev.data.conversation_id;
    for await (const ev of await coze.chat.stream({ bot_id: 'b1', user_id: 'learner-1', conversation_id: conversationId, additional_messages })) void ev;
    const second = fake.requests.at(-1)!;
    expect(second.path).toBe('/v3/chat');
    expect(second.query.get('conversation_id')).toBe(conversationId);
    expect(second.body).toMatchObject({ bot_id: 'b1', stream: true });
    expect((second.body as Record<string, unknown>).conversation_id).toBeUndefined();
  });

  it('completes a polled chat (POST retrieve) and lists its messages', async () => {
    const r = await coze.chat.createAndPoll({ bot_id: 'b1', user_id: 'learner-1', additional_messages });
    expect(r.chat.status).toBe('completed');
    expect(r.messages!.find((m) => m.type === 'answer')!.content).toBe('2024 年 10 月 1 日是星期二。');
    expect(fake.requests.filter((q) => q.path === '/v3/chat/retrieve' && q.method === 'POST').length).toBeGreaterThanOrEqual(2);
  });

  it('reports a bad token as code 4100 on HTTP 200: AuthenticationError when blocking, an error event when streaming', async () => {
    const bad = new CozeAPI({ token: 'pat_wrong', baseURL: fake.url });
    await expect(bad.chat.createAndPoll({ bot_id: 'b1', user_id: 'u', additional_messages })).rejects.toBeInstanceOf(AuthenticationError);
    // coze-js 1.3.9 on Node streams through axios's fetch adapter, so its JSON check sees a stream,
    // not the body; the bare JSON then comes out of its parser as the end-of-stream `error` event.
    const seen: { event: string; data: unknown }[] = [];
    for await (const ev of await bad.chat.stream({ bot_id: 'b1', user_id: 'u', additional_messages })) seen.push({ ...ev });
    expect(seen).toEqual([{ event: 'error', data: expect.objectContaining({ code: 4100 }) }]);
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer pat_wrong');
  });

  it('streams a workflow run (Message, PING, Done) and runs one blocking with data as a JSON string', async () => {
    const names: string[] = [];
    let text = '';
    for await (const ev of await coze.workflows.runs.stream({ workflow_id: 'w1', parameters: { q: 'x' } })) {
      names.push(ev.event);
      if (ev.event === WorkflowEventType.MESSAGE) text += (ev.data as { content: string }).content;
    }
    expect(text).toBe('2024 年 10 月 1 日是星期二。');
    expect(names).toContain('PING');
    expect(names.at(-1)).toBe(WorkflowEventType.DONE);
    const run = await coze.workflows.runs.create({ workflow_id: 'w1', parameters: { q: 'x' } });
    expect(typeof run.data).toBe('string');
    expect(JSON.parse(run.data)).toEqual({ output: '2024 年 10 月 1 日是星期二。' });
  });

  it('sends chat.failed with last_error, and the SDK reads it as an event', async () => {
    fake.next({ variant: ['failed'] });
    let failed: { last_error?: { code: number } } | undefined;
    for await (const ev of await coze.chat.stream({ bot_id: 'b1', user_id: 'u', additional_messages })) {
      if (ev.event === ChatEventType.CONVERSATION_CHAT_FAILED) failed = ev.data;
    }
    expect(failed?.last_error?.code).toBe(5000);
  });
});
