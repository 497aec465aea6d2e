import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DifyFake } from '../fakes/dify-fake.js';
import { backendConfig, failureOf, streamAll, testScope } from '../test/helpers.js';
import { DifyClient } from './dify.js';
import { accumulate } from './types.js';

const ANSWER = '员工应当妥善保管客户的个人信息，不得泄露。';

describe('DifyClient against the Dify fake', () => {
  const fake = new DifyFake('app-key', 'chat', ANSWER);
  const client = (mode?: 'chat' | 'completion' | 'workflow') => new DifyClient(backendConfig('dify', `${fake.url}/v1`, { apiKey: 'app-key', options: mode ? { mode } : {} }));
  beforeAll(() => fake.start());
  beforeEach(() => {
    fake.reset();
    fake.mode = 'chat';
  });
  afterAll(() => fake.close());

  it('streams a chat app answer with usage, over pings and any chunking', async () => {
    for (const chunking of ['frame', 'coalesce', 'split'] as const) {
      fake.next({ chunking, usage: { prompt: 90, completion: 21 } });
      const r = await streamAll(client(), { inputs: { course: '合规' }, user: 'learner-1' });
      expect(r.text, chunking).toBe(ANSWER);
      expect(r.usage).toEqual({ promptTokens: 90, completionTokens: 21 });
    }
    expect(fake.requests[0]).toMatchObject({
      path: '/v1/chat-messages',
      headers: { authorization: 'Bearer app-key' },
      body: { query: '你好', inputs: { course: '合规', query: '你好' }, user: 'learner-1', response_mode: 'streaming' },
    });
  });

  it('carries earlier turns inside the query (Dify keeps conversations server-side)', async () => {
    await streamAll(client(), { history: [{ role: 'user', content: '问一' }, { role: 'assistant', content: '答一' }] });
    const body = fake.requests[0]!.body as { query: string; inputs: { history: string } };
    expect(body.query).toContain('用户：问一\n助手：答一');
    expect(body.query.endsWith('你好')).toBe(true);
    expect(body.inputs.history).toBe('用户：问一\n助手：答一');
  });

  it('reads agent, chatflow, completion and workflow apps', async () => {
    for (const mode of ['agent-chat', 'advanced-chat'] as const) {
      fake.mode = mode;
      expect((await streamAll(client())).text, mode).toBe(ANSWER);
    }
    fake.mode = 'completion';
    expect((await streamAll(client('completion'))).text).toBe(ANSWER);
    expect(fake.requests.at(-1)!.path).toBe('/v1/completion-messages');
    fake.mode = 'workflow';
    fake.next({ usage: { prompt: 40, completion: 10 } });
    const wf = await streamAll(client('workflow'));
    expect(wf).toEqual({ text: ANSWER, usage: { promptTokens: 0, completionTokens: 50 } });
    expect(fake.requests.at(-1)!.path).toBe('/v1/workflows/run');
  });

  it('applies message_replace and reads char-by-char direct output', async () => {
    fake.next({ variant: ['replace'] });
    expect((await accumulate(await client().open({ system: '', prompt: 'x' }, testScope()))).text).toBe('该回答已被内容审核替换。');
    fake.next({ variant: ['direct'] });
    expect((await streamAll(client())).text).toBe(ANSWER);
  });

  it('turns in-stream errors, failed workflows, cut streams and HTTP errors into AiCallErrors', async () => {
    fake.next({ errorAfterDeltas: 3 });
    expect(await failureOf(streamAll(client()))).toMatchObject({ kind: 'upstream', info: { status: 400, vendorCode: 'completion_request_error', afterFirstByte: true } });
    fake.mode = 'workflow';
    fake.next({ variant: ['failed'] });
    expect(await failureOf(streamAll(client('workflow')))).toMatchObject({ kind: 'upstream', info: { vendorCode: 'workflow_failed' } });
    fake.mode = 'chat';
    fake.next({ truncateAfterFrames: 3 });
    expect(await failureOf(streamAll(client()))).toMatchObject({ kind: 'protocol' });
    expect(await failureOf(streamAll(client('workflow')))).toMatchObject({ kind: 'http', info: { status: 400, vendorCode: 'not_workflow_app' } });
    fake.next({ status: 429, errorCode: 'too_many_requests' });
    const busy = await failureOf(streamAll(client()));
    expect(busy).toMatchObject({ kind: 'http', info: { status: 429, vendorCode: 'too_many_requests' } });
    expect(busy.retriable).toBe(true);
  });

  it('sends message feedback for the answer message and the same user', async () => {
    await streamAll(client(), { user: 'learner-7' });
    const messageId = [...fake.messages.keys()].at(-1);
    await client().feedback(messageId!, 'like', 'learner-7', testScope(), '讲得清楚');
    expect(fake.messages.get(messageId!)).toMatchObject({ rating: 'like', content: '讲得清楚' });
    await client().feedback(messageId!, null, 'learner-7', testScope());
    expect(fake.messages.get(messageId!)!.rating).toBeNull();
    expect(await failureOf(client().feedback(messageId!, 'like', 'someone-else', testScope()))).toMatchObject({ kind: 'http', info: { status: 404 } });
  });
});
