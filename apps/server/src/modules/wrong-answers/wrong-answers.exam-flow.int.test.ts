import { wrongAnswerPageSchema } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { examKit, SAMPLE_QUESTIONS } from '../exams/exams.test-support.js';

/** From a submitted exam to the book, through the container's wiring and the durable job. */
describe(`wrong-answer book fed by graded exams (${backend})`, () => {
  let t: TestApp;
  let s: Record<'instructor' | 'learner01', Session>;
  let kit: ReturnType<typeof examKit>;

  beforeAll(async () => {
    t = await createTestApp();
    s = await seedAndLogin(t, ['instructor', 'learner01']);
    kit = examKit(t, s.instructor);
    t.container.queue.start();
  });
  afterAll(() => t.close());

  const book = async () => wrongAnswerPageSchema.parse((await kit.call('GET', '/api/v1/me/wrong-answers', s.learner01)).json());

  async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const v = await read();
      if (done(v)) return v;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('timed out waiting for the book');
  }

  it('puts the wrong objective answers of a submitted attempt in the book, once', async () => {
    const { examId, ids } = await kit.openExam([s.learner01.userId], { title: '错题来源考试' });
    const attemptId = await kit.start(s.learner01, examId);
    // Wrong everywhere except the true/false question.
    await kit.answerAll(s.learner01, attemptId, ids, { ...Object.fromEntries(Object.entries(SAMPLE_QUESTIONS).map(([k, v]) => [k, v.wrong])), true_false: SAMPLE_QUESTIONS.true_false.right });
    expect((await kit.call('POST', `/api/v1/attempts/${attemptId}/submit`, s.learner01)).statusCode).toBe(200);

    const listed = await until(book, (p) => p.total >= 3);
    expect(listed.items.map((i) => i.questionId).sort()).toEqual([ids.single, ids.multiple, ids.fill_blank].sort());
    expect(listed.items.every((i) => i.examTitle === '错题来源考试' && i.examId === examId && i.wrongCount === 1)).toBe(true);
    expect(await t.container.wrongAnswers.service.recorded([attemptId])).toEqual(new Set([attemptId]));

    // A second submit returns the same result; nothing is counted twice.
    expect((await kit.call('POST', `/api/v1/attempts/${attemptId}/submit`, s.learner01)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const again = await book();
    expect(again.total).toBe(3);
    expect(again.items.every((i) => i.wrongCount === 1)).toBe(true);
  });
});
