import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CozeFake } from '../fakes/coze-fake.js';
import { backendConfig, failureOf, streamAll, testScope } from '../test/helpers.js';
import { CozeClient } from './coze.js';

const ANSWER = '根据规定，敏感个人信息需要单独同意。';

describe('CozeClient against the Coze fake', () => {
  const fake = new CozeFake('pat_test', ANSWER);
  const bot = (token = 'pat_test') => new CozeClient(backendConfig('coze', fake.url, { apiKey: token, appId: '7379462189365198898' }));
  const workflow = () => new CozeClient(backendConfig('coze', fake.url, { apiKey: 'pat_test', appId: '7400000000000000001', options: { mode: 'workflow' } }));
  beforeAll(() => fake.start());
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  it('streams a bot answer with usage from chat.completed, whatever the chunking; reasoning is left out', async () => {
    for (const chunking of ['frame', 'coalesce', 'split'] as const) {
      for (const variant of [[], ['reasoning'], ['follow-up']]) {
        fake.next({ chunking, variant, usage: { prompt: 600, completion: 20 } });
        const r = await streamAll(bot(), { user: 'learner-1' });
        expect(r.text, `${chunking} ${variant.join()}`).toBe(ANSWER);
        expect(r.usage).toEqual({ promptTokens: 600, completionTokens: 20 });
      }
    }
  });

  it('sends bot_id, user_id, history as additional messages and inputs as custom variables', async () => {
    await streamAll(bot(), { user: 'learner-2', inputs: { course: '合规' }, history: [{ role: 'user', content: '问一' }, { role: 'assistant', content: '答一' }] });
    const req = fake.requests[0]!;
    expect(req.path).toBe('/v3/chat');
    expect(req.query.get('conversation_id')).toBeNull();
    expect(req.body).toEqual({
      bot_id: '7379462189365198898',
      user_id: 'learner-2',
      stream: true,
      auto_save_history: true,
      additional_messages: [
        { role: 'user', type: 'question', content: '问一', content_type: 'text' },
        { role: 'assistant', type: 'answer', content: '答一', content_type: 'text' },
        { role: 'user', type: 'question', content: '你好', content_type: 'text' },
      ],
      custom_variables: { course: '合规' },
    });
  });

  it('reads business errors on HTTP 200 before the stream as upstream errors with their status', async () => {
    const auth = await failureOf(streamAll(bot('pat_wrong')));
    expect(auth).toMatchObject({ kind: 'upstream', info: { status: 401, vendorCode: '4100', afterFirstByte: false } });
    expect(auth.retriable).toBe(false);
    fake.next({ variant: ['http401'] });
    expect(await failureOf(streamAll(bot('pat_wrong')))).toMatchObject({ kind: 'http', info: { status: 401 } });
    fake.next({ status: 429 });
    const limited = await failureOf(streamAll(bot()));
    expect(limited.retriable).toBe(true);
  });

  it('fails on chat.failed, error events, requires_action, a bare JSON error at EOF and a cut stream', async () => {
    fake.next({ variant: ['failed'] });
    expect(await failureOf(streamAll(bot()))).toMatchObject({ kind: 'upstream', info: { status: 500, vendorCode: '5000', afterFirstByte: true } });
    fake.next({ errorAfterDeltas: 1 });
    expect(await failureOf(streamAll(bot()))).toMatchObject({ kind: 'upstream', info: { vendorCode: '5000' } });
    fake.next({ variant: ['requires_action'] });
    expect(await failureOf(streamAll(bot()))).toMatchObject({ kind: 'upstream', info: { vendorCode: 'requires_action' } });
    fake.next({ variant: ['bare-json-eof'] });
    expect(await failureOf(streamAll(bot()))).toMatchObject({ kind: 'upstream', info: { status: 429, vendorCode: '4013' } });
    fake.next({ truncateAfterFrames: 4 });
    expect(await failureOf(streamAll(bot()))).toMatchObject({ kind: 'protocol' });
  });

  it('streams and runs workflows (PING skipped, data string parsed), and fails on Error / Interrupt', async () => {
    fake.next({ chunking: 'split', usage: { prompt: 50, completion: 20 } });
    expect(await streamAll(workflow())).toEqual({ text: ANSWER, usage: { promptTokens: 50, completionTokens: 20 } });
    expect(fake.requests[0]).toMatchObject({ path: '/v1/workflow/stream_run', body: { workflow_id: '7400000000000000001', parameters: { query: '你好' } } });
    const blocking = await workflow().complete({ system: '', prompt: '你好' }, testScope());
    expect(blocking.text).toBe(ANSWER);
    expect(fake.requests.at(-1)!.path).toBe('/v1/workflow/run');
    fake.next({ errorAfterDeltas: 2 });
    expect(await failureOf(streamAll(workflow()))).toMatchObject({ kind: 'upstream', info: { vendorCode: '720702011' } });
    fake.next({ variant: ['interrupt'] });
    expect(await failureOf(streamAll(workflow()))).toMatchObject({ kind: 'upstream', info: { vendorCode: 'interrupt' } });
  });

  it('sends like/unlike feedback on an answer message', async () => {
    await streamAll(bot());
    const chat = [...fake.chats.values()].at(-1)!;
    await bot().feedback(chat.conversationId, chat.answerId, 'like', testScope());
    expect(fake.feedback.at(-1)).toEqual({ conversationId: chat.conversationId, messageId: chat.answerId, type: 'like' });
    expect(await failureOf(bot().feedback(chat.conversationId, '1', 'unlike', testScope()))).toMatchObject({ kind: 'upstream', info: { status: 404 } });
  });
});
