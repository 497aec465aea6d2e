import { describe, expect, it } from 'vitest';
import { isApiError } from '../api/client';
import type { TutorEvent, TutorQuestion } from '../api/tutor';
import { createTutorChats } from './tutor-chats';

const CITATION = { chunkId: 'c1', materialId: 'm1', citation: 'pipl › 第二十九条', quote: '处理敏感个人信息应当取得个人的单独同意' };

/** A scripted tutor: each call plays the next script; `hold` waits for the caller to abort. */
function scriptedTutor(scripts: (TutorEvent | 'hold' | Error)[][]) {
  const calls: TutorQuestion[] = [];
  const ask = async function* (question: TutorQuestion, signal: AbortSignal): AsyncGenerator<TutorEvent> {
    calls.push(question);
    for (const step of scripts.shift() ?? []) {
      if (step === 'hold') {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        return;
      }
      if (step instanceof Error) throw step;
      yield step;
    }
  };
  return { ask, calls };
}

describe('createTutorChats', () => {
  it('streams an answer into the turn, then sends it as history with the follow-up', async () => {
    const tutor = scriptedTutor([
      [{ type: 'delta', text: '应当取得' }, { type: 'delta', text: '单独同意[1]' }, { type: 'citation', ...CITATION }, { type: 'done' }],
      [{ type: 'delta', text: '书面同意' }, { type: 'done' }],
    ]);
    const chats = createTutorChats(tutor.ask);

    await chats.ask('course-1', '处理敏感个人信息需要什么？');
    expect(chats.turnsOf('course-1')).toEqual([
      expect.objectContaining({ question: '处理敏感个人信息需要什么？', answer: '应当取得单独同意[1]', citations: [CITATION], status: 'done', error: null }),
    ]);
    expect(chats.pendingCourse.value).toBeNull();

    await chats.ask('course-1', '那书面呢？');
    expect(tutor.calls[1]).toEqual({
      question: '那书面呢？',
      courseId: 'course-1',
      history: [
        { role: 'user', content: '处理敏感个人信息需要什么？' },
        { role: 'assistant', content: '应当取得单独同意[1]' },
      ],
    });
    expect(chats.turnsOf('course-1').map((t) => t.answer)).toEqual(['应当取得单独同意[1]', '书面同意']);
    expect(chats.turnsOf('course-2')).toEqual([]);
  });

  it('marks a stopped answer and leaves it out of the history', async () => {
    const tutor = scriptedTutor([[{ type: 'delta', text: '一半' }, 'hold'], [{ type: 'done' }]]);
    const chats = createTutorChats(tutor.ask);

    const answering = chats.ask('course-1', '问题一');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(chats.pendingCourse.value).toBe('course-1');
    expect(chats.turnsOf('course-1')[0]).toMatchObject({ answer: '一半', status: 'streaming' });
    chats.stop();
    await answering;
    expect(chats.turnsOf('course-1')[0]).toMatchObject({ answer: '一半', status: 'stopped' });
    expect(chats.pendingCourse.value).toBeNull();

    await chats.ask('course-1', '问题二');
    expect(tutor.calls[1]!.history).toEqual([]);
  });

  it('keeps the code of an error event or a thrown error, and retries the failed question in place', async () => {
    const tutor = scriptedTutor([
      [{ type: 'delta', text: '部分' }, { type: 'error', code: 'ERR-AI-0003', message: 'late' }],
      [new TypeError('boom')],
      [{ type: 'delta', text: '完整' }, { type: 'done' }],
    ]);
    const chats = createTutorChats(tutor.ask);

    await chats.ask('course-1', '问题');
    const failed = chats.turnsOf('course-1')[0]!;
    expect(failed.status).toBe('failed');
    expect(isApiError(failed.error) && failed.error.code).toBe('ERR-AI-0003');

    await chats.retry('course-1');
    expect(chats.turnsOf('course-1')).toHaveLength(1);
    expect(chats.turnsOf('course-1')[0]!.error).toBeInstanceOf(TypeError);

    await chats.retry('course-1');
    expect(chats.turnsOf('course-1')).toEqual([expect.objectContaining({ question: '问题', answer: '完整', status: 'done' })]);
    expect(tutor.calls.map((c) => c.question)).toEqual(['问题', '问题', '问题']);
    // Nothing to retry once it worked.
    await chats.retry('course-1');
    expect(tutor.calls).toHaveLength(3);
  });

  it('asking again stops the answer still streaming; clear and reset forget conversations', async () => {
    const tutor = scriptedTutor([['hold'], [{ type: 'done' }], ['hold']]);
    const chats = createTutorChats(tutor.ask);

    const first = chats.ask('course-1', '一');
    await chats.ask('course-1', '二');
    await first;
    expect(chats.turnsOf('course-1').map((t) => t.status)).toEqual(['stopped', 'done']);

    chats.clear('course-1');
    expect(chats.turnsOf('course-1')).toEqual([]);

    const third = chats.ask('course-2', '三');
    chats.reset();
    await third;
    expect(chats.conversations.value).toEqual({});
    expect(chats.pendingCourse.value).toBeNull();
  });
});
