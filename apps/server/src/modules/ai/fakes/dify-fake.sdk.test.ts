import type { Readable } from 'node:stream';
import { ChatClient, CompletionClient } from 'dify-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSse } from '../clients/sse.js';
import { DifyFake } from './dify-fake.js';

interface DifyEvent {
  event: string;
  answer?: string;
  message_id?: string;
  id?: string;
  conversation_id?: string;
  task_id?: string;
  metadata?: { usage?: { prompt_tokens: number; completion_tokens: number; total_price: string } };
  data?: { text?: string; status?: string; outputs?: Record<string, unknown> };
}

/** dify-client's bundled .d.ts lags its code (rating typed as a number, no runWorkflow): these are the 2.3.2 calls. */
interface DifyCalls {
  messageFeedback(messageId: string, rating: string, user: string): Promise<{ data: unknown }>;
  runWorkflow(inputs: Record<string, unknown>, user: string, stream?: boolean): Promise<{ data: unknown }>;
}
const calls = (c: ChatClient | CompletionClient) => c as unknown as DifyCalls;

/** dify-client (2.3.2) only proves request shape; it does not parse SSE, so its raw stream goes through our parser. */
async function events(stream: Readable): Promise<DifyEvent[]> {
  const out: DifyEvent[] = [];
  for await (const m of readSse(stream as AsyncIterable<Uint8Array>)) out.push(JSON.parse(m.data) as DifyEvent);
  return out;
}

describe('Dify fake, driven by dify-client', () => {
  const fake = new DifyFake('app-test', 'chat', '根据员工手册，客户信息必须加密保存。');
  let base: string;
  beforeAll(async () => {
    await fake.start();
    base = `${fake.url}/v1`;
  });
  beforeEach(() => {
    fake.reset();
    fake.mode = 'chat';
  });
  afterAll(() => fake.close());

  it('streams a chat answer as message deltas with pings, then message_end with usage, and no [DONE]', async () => {
    for (const chunking of ['frame', 'coalesce', 'split'] as const) {
      fake.next({ chunking, usage: { prompt: 100, completion: 20 } });
      const r = await new ChatClient('app-test', base).createChatMessage({}, '客户信息怎么保存？', 'learner-1', true, null, null);
      const list = await events(r.data as Readable);
      const answer = list.filter((e) => e.event === 'message').map((e) => e.answer).join('');
      expect(answer, chunking).toBe('根据员工手册，客户信息必须加密保存。');
      const end = list.at(-1)!;
      expect(end.event).toBe('message_end');
      expect(end.metadata!.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20 });
      expect(typeof end.metadata!.usage!.total_price).toBe('string');
      // One message id and one task id across the whole stream.
      expect(new Set(list.map((e) => e.message_id)).size).toBe(1);
      expect(new Set(list.map((e) => e.task_id)).size).toBe(1);
    }
    const seen = fake.requests[0]!;
    expect(seen.path).toBe('/v1/chat-messages');
    expect(seen.headers.authorization).toBe('Bearer app-test');
    expect(seen.body).toMatchObject({ query: '客户信息怎么保存？', user: 'learner-1', response_mode: 'streaming', inputs: {} });
  });

  it('answers a blocking chat with the answer, conversation id and usage', async () => {
    const r = await new ChatClient('app-test', base).createChatMessage({}, '你好', 'learner-1', false, null, null);
    expect(r.data).toMatchObject({ event: 'message', answer: '根据员工手册，客户信息必须加密保存。', mode: 'chat' });
    expect(r.data.conversation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.data.metadata.usage.total_tokens).toBeGreaterThan(0);
  });

  it('takes feedback on the answer message (one rating per user) and shows it in the message list', async () => {
    const client = new ChatClient('app-test', base);
    const r = await client.createChatMessage({}, '你好', 'learner-1', false, null, null);
    const feedback = await calls(client).messageFeedback(r.data.message_id, 'like', 'learner-1');
    expect(feedback.data).toEqual({ result: 'success' });
    const list = await client.getConversationMessages('learner-1', r.data.conversation_id);
    expect(list.data.data[0].feedback).toEqual({ rating: 'like' });
    // Another user cannot see or rate it; a bad rating or a non-UUID id is refused like Dify does.
    await expect(calls(client).messageFeedback(r.data.message_id, 'like', 'learner-2')).rejects.toMatchObject({ response: { status: 404 } });
    await expect(calls(client).messageFeedback(r.data.message_id, 'up', 'learner-1')).rejects.toMatchObject({ response: { status: 400 } });
    await expect(calls(client).messageFeedback('not-a-uuid', 'like', 'learner-1')).rejects.toMatchObject({ response: { status: 404 } });
  });

  it('runs a workflow: ping first, text_chunk deltas, workflow_finished; blocking gives outputs', async () => {
    fake.mode = 'workflow';
    const client = calls(new CompletionClient('app-test', base));
    const blocking = await client.runWorkflow({ query: '总结' }, 'learner-1', false);
    expect((blocking.data as { data: unknown }).data).toMatchObject({ status: 'succeeded', outputs: { text: '根据员工手册，客户信息必须加密保存。' } });
    const r = await client.runWorkflow({ query: '总结' }, 'learner-1', true);
    const list = await events(r.data as Readable);
    expect(list[0]!.event).toBe('workflow_started');
    expect(list.filter((e) => e.event === 'text_chunk').map((e) => e.data!.text).join('')).toBe('根据员工手册，客户信息必须加密保存。');
    expect(list.at(-1)).toMatchObject({ event: 'workflow_finished', data: { status: 'succeeded' } });
    // The leading ping is a data-less frame: present on the wire, invisible to a parser.
    expect(fake.requests.at(-1)!.path).toBe('/v1/workflows/run');
  });

  it('refuses the wrong route for the app type, a missing user and a wrong key with Dify envelopes', async () => {
    fake.mode = 'workflow';
    await expect(new ChatClient('app-test', base).createChatMessage({}, 'x', 'u', false, null, null)).rejects.toMatchObject({
      response: { status: 400, data: { code: 'not_chat_app', status: 400 } },
    });
    fake.mode = 'chat';
    await expect(new ChatClient('app-test', base).createChatMessage({}, 'x', '', false, null, null)).rejects.toMatchObject({ response: { status: 400, data: { code: 'invalid_param' } } });
    await expect(new ChatClient('app-wrong', base).createChatMessage({}, 'x', 'u', false, null, null)).rejects.toMatchObject({ response: { status: 401, data: { code: 'unauthorized' } } });
  });

  it('streams an agent app as agent_thought (same id, upserted) and agent_message deltas', async () => {
    fake.mode = 'agent-chat';
    const r = await new ChatClient('app-test', base).createChatMessage({}, '查一下', 'learner-1', true, null, null);
    const list = await events(r.data as Readable);
    const thoughts = list.filter((e) => e.event === 'agent_thought');
    expect(thoughts).toHaveLength(2);
    expect(new Set(thoughts.map((t) => t.id)).size).toBe(1);
    expect(list.filter((e) => e.event === 'agent_message').map((e) => e.answer).join('')).toBe('根据员工手册，客户信息必须加密保存。');
  });

  it('ends a failing stream with an error event on HTTP 200', async () => {
    fake.next({ errorAfterDeltas: 2 });
    const r = await new ChatClient('app-test', base).createChatMessage({}, 'x', 'learner-1', true, null, null);
    expect(r.status).toBe(200);
    const list = await events(r.data as Readable);
    expect(list.at(-1)).toMatchObject({ event: 'error', status: 400, code: 'completion_request_error' });
    expect(list.some((e) => e.event === 'message_end')).toBe(false);
  });
});
