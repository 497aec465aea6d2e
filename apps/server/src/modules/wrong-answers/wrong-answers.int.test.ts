import { practiceResultSchema, wrongAnswerPageSchema, wrongAnswerSummarySchema, type AttemptOutcome, type QuestionContentInput } from '@kpl/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../platform/ids.js';
import { createTestApp, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';

/**
 * The wrong-answer book through HTTP, on real question versions made with the question bank's API.
 * Outcomes are recorded through the service and the durable job, as the exams module does after grading.
 */
describe('wrong-answer book', () => {
  let t: TestApp;
  let s: Record<'admin' | 'instructor' | 'learner01' | 'learner02', Session>;
  let bankId: string;

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, who: Session, payload?: unknown) =>
    t.app.inject({ method, url, headers: who.headers, payload: payload as object });

  const single = (stem: string, kp: string): QuestionContentInput => ({
    type: 'single',
    stem,
    options: [
      { key: 'A', text: '甲' },
      { key: 'B', text: '乙' },
      { key: 'C', text: '丙' },
    ],
    correct: ['B'],
    explanation: `${stem}的解析`,
    knowledgePoints: [kp],
  });

  /** Creates a question and returns its id and current version id. */
  async function question(content: QuestionContentInput) {
    const res = await call('POST', '/api/v1/questions', s.instructor, { bankId, content });
    expect(res.statusCode, res.body).toBe(201);
    const detail = (await call('GET', `/api/v1/questions/${res.json().id}`, s.instructor)).json();
    return { questionId: detail.id as string, versionId: detail.currentVersionId as string };
  }

  const outcome = (who: Session, items: AttemptOutcome['items'], attemptId = newId()): AttemptOutcome => ({
    userId: who.userId,
    attemptId,
    examId: newId(),
    examTitle: '合规月考',
    items,
  });

  const list = async (who: Session, query = '') => wrongAnswerPageSchema.parse((await call('GET', `/api/v1/me/wrong-answers${query}`, who)).json());
  const summary = async (who: Session) => wrongAnswerSummarySchema.parse((await call('GET', '/api/v1/me/wrong-answers/summary', who)).json());
  const practice = (who: Session, id: string, answer: unknown) => call('POST', `/api/v1/me/wrong-answers/${id}/practice`, who, { answer });
  const record = (o: AttemptOutcome) => t.container.wrongAnswers.service.record(o);

  beforeAll(async () => {
    t = await createTestApp();
    s = await seedAndLogin(t, ['admin', 'instructor', 'learner01', 'learner02']);
    const bank = await call('POST', '/api/v1/question-banks', s.instructor, { name: '错题本测试题库' });
    expect(bank.statusCode, bank.body).toBe(201);
    bankId = bank.json().id;
  });
  afterAll(() => t.close());

  it('lists wrong objective answers with the learner view (no key), skipping right and short answers', async () => {
    const q1 = await question(single('个人信息处理者应当遵循什么原则', '处理原则'));
    const q2 = await question({ type: 'true_false', stem: '敏感个人信息可以随意处理', correct: false, knowledgePoints: ['敏感信息'] });
    const q3 = await question({ type: 'fill_blank', stem: '《个人信息保护法》自____年起施行', blanks: [{ accepted: ['2021'] }], knowledgePoints: ['处理原则'] });
    const q4 = await question({ type: 'short_answer', stem: '简述告知同意规则', referenceAnswer: '告知并取得同意', rubric: [{ point: '告知', weight: 1 }] });
    const res = await record(
      outcome(s.learner01, [
        { ...q1, correct: false },
        { ...q2, correct: true },
        { ...q3, correct: false },
        { ...q4, correct: false },
      ]),
    );
    expect(res).toEqual({ applied: true, changed: 2 });

    const page = await list(s.learner01);
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.questionId).sort()).toEqual([q1.questionId, q3.questionId].sort());
    const e1 = page.items.find((i) => i.questionId === q1.questionId)!;
    expect(e1).toMatchObject({ status: 'active', wrongCount: 1, streak: 0, examTitle: '合规月考', knowledgePoints: ['处理原则'] });
    expect(e1.question).toMatchObject({ versionId: q1.versionId, type: 'single', stem: '个人信息处理者应当遵循什么原则' });
    expect(e1.question.options?.map((o) => o.key)).toEqual(['A', 'B', 'C']);
    const raw = (await call('GET', '/api/v1/me/wrong-answers', s.learner01)).body;
    expect(raw).not.toContain('correct');
    expect(raw).not.toContain('的解析');

    expect(await summary(s.learner01)).toEqual({ active: 2, byKnowledgePoint: [{ knowledgePoint: '处理原则', count: 2 }] });
    expect((await list(s.learner01, `?knowledgePoint=${encodeURIComponent('处理原则')}&pageSize=1`)).items).toHaveLength(1);
    expect((await list(s.learner01, `?knowledgePoint=${encodeURIComponent('敏感信息')}`)).total).toBe(0);
    // Other learners' books are their own.
    expect((await list(s.learner02)).total).toBe(0);
  });

  it('records the same attempt once, through the service and through the durable job', async () => {
    const q = await question(single('同一次考试重复记录', '幂等'));
    const o = outcome(s.learner02, [{ ...q, correct: false }]);
    expect(await record(o)).toEqual({ applied: true, changed: 1 });
    const before = await list(s.learner02);
    expect(await record(o)).toEqual({ applied: false, changed: 0 });
    // Concurrent duplicates too.
    const again = await Promise.all([record(o), record(o), record(o)]);
    expect(again.every((r) => !r.applied)).toBe(true);
    // A new attempt delivered five times at once (several workers): applied exactly once.
    const racing = outcome(s.learner02, [{ ...q, correct: false }]);
    const raced = await Promise.all(Array.from({ length: 5 }, () => record(racing)));
    expect(raced.filter((r) => r.applied)).toHaveLength(1);
    expect((await list(s.learner02)).items[0]).toMatchObject({ wrongCount: 2 });

    t.container.queue.start();
    const jobs = [await t.container.wrongAnswers.enqueueOutcome(o), await t.container.wrongAnswers.enqueueOutcome(o)];
    for (const id of jobs) await waitJob(id!);
    const settled = await list(s.learner02);
    expect(settled.items).toHaveLength(before.items.length);
    expect(settled.items[0]).toMatchObject({ wrongCount: 2, streak: 0 });
    expect(before.items[0]).toMatchObject({ wrongCount: 1, streak: 0 });

    // A new attempt through the job is applied.
    const next = outcome(s.learner02, [{ ...q, correct: false }]);
    await waitJob((await t.container.wrongAnswers.enqueueOutcome(next))!);
    expect((await list(s.learner02)).items.find((i) => i.questionId === q.questionId)?.wrongCount).toBe(3);
    expect(await t.container.wrongAnswers.service.recorded([o.attemptId, next.attemptId, newId()])).toEqual(new Set([o.attemptId, next.attemptId]));
    // Nothing graded yet: nothing to enqueue.
    expect(await t.container.wrongAnswers.enqueueOutcome(outcome(s.learner02, [{ ...q, correct: null }]))).toBeNull();
  });

  async function waitJob(id: string) {
    for (let i = 0; i < 200; i++) {
      const job = await t.container.queue.get(id);
      if (job?.status === 'completed') return job;
      if (job?.status === 'failed') throw new Error(`job failed: ${job.error}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('job did not finish');
  }

  it('clears an entry after two right practice answers in a row, with key and explanation', async () => {
    const q = await question(single('两次答对移出错题本', '清除'));
    await record(outcome(s.learner01, [{ ...q, correct: false }]));
    const entry = (await list(s.learner01)).items.find((i) => i.questionId === q.questionId)!;

    const first = await practice(s.learner01, entry.id, 'B');
    expect(first.statusCode, first.body).toBe(200);
    const r1 = practiceResultSchema.parse(first.json());
    expect(r1).toMatchObject({ correct: true, streak: 1, status: 'active', cleared: false });
    expect(r1.review).toMatchObject({ key: { correctOptions: ['B'] }, explanation: '两次答对移出错题本的解析', answer: 'B' });

    const second = practiceResultSchema.parse((await practice(s.learner01, entry.id, 'B')).json());
    expect(second).toMatchObject({ correct: true, streak: 2, status: 'cleared', cleared: true });
    expect((await list(s.learner01)).items.some((i) => i.id === entry.id)).toBe(false);

    const third = await practice(s.learner01, entry.id, 'B');
    expect(third.statusCode).toBe(409);
  });

  it('keeps an entry after right, wrong, right; a wrong practice answer resets the streak', async () => {
    const q = await question({ type: 'multiple', stem: '多选：哪些属于敏感个人信息', options: [{ key: 'A', text: '生物识别' }, { key: 'B', text: '姓名' }, { key: 'C', text: '医疗健康' }], correct: ['A', 'C'], knowledgePoints: ['敏感信息'] });
    await record(outcome(s.learner01, [{ ...q, correct: false }]));
    const entry = (await list(s.learner01)).items.find((i) => i.questionId === q.questionId)!;

    expect(practiceResultSchema.parse((await practice(s.learner01, entry.id, ['C', 'A'])).json())).toMatchObject({ correct: true, streak: 1 });
    const wrong = practiceResultSchema.parse((await practice(s.learner01, entry.id, ['A'])).json());
    expect(wrong).toMatchObject({ correct: false, streak: 0, status: 'active', cleared: false });
    expect(wrong.detail).toMatchObject({ missedChoices: ['C'] });
    expect(practiceResultSchema.parse((await practice(s.learner01, entry.id, ['A', 'C'])).json())).toMatchObject({ correct: true, streak: 1, status: 'active' });

    const after = (await list(s.learner01)).items.find((i) => i.id === entry.id)!;
    expect(after).toMatchObject({ status: 'active', streak: 1, wrongCount: 2 });
  });

  it('counts right exam answers toward the streak and reactivates a cleared entry on a new version', async () => {
    const q = await question(single('考试中答对也计入连对', '考试连对'));
    await record(outcome(s.learner02, [{ ...q, correct: false }]));
    const entry = (await list(s.learner02)).items.find((i) => i.questionId === q.questionId)!;
    await record(outcome(s.learner02, [{ ...q, correct: true }]));
    expect((await list(s.learner02)).items.find((i) => i.id === entry.id)).toMatchObject({ streak: 1, status: 'active' });
    expect(practiceResultSchema.parse((await practice(s.learner02, entry.id, 'B')).json())).toMatchObject({ cleared: true });

    // The key is corrected (a new version); a wrong answer on it brings the entry back, pinned to it.
    const edited = await call('PATCH', `/api/v1/questions/${q.questionId}`, s.instructor, { content: { ...single('考试中答对也计入连对（修订）', '考试连对'), correct: ['C'] } });
    expect(edited.statusCode, edited.body).toBe(200);
    const v2 = (await call('GET', `/api/v1/questions/${q.questionId}`, s.instructor)).json().currentVersionId as string;
    expect(v2).not.toBe(q.versionId);
    await record(outcome(s.learner02, [{ questionId: q.questionId, versionId: v2, correct: false }]));
    const back = (await list(s.learner02)).items.find((i) => i.id === entry.id)!;
    expect(back).toMatchObject({ status: 'active', streak: 0, wrongCount: 2 });
    expect(back.question).toMatchObject({ versionId: v2, stem: '考试中答对也计入连对（修订）' });
    // A right answer in an exam on yet another version counts toward the streak; the pin stays.
    await call('PATCH', `/api/v1/questions/${q.questionId}`, s.instructor, { content: { ...single('考试中答对也计入连对（再修订）', '考试连对'), correct: ['C'] } });
    const v3 = (await call('GET', `/api/v1/questions/${q.questionId}`, s.instructor)).json().currentVersionId as string;
    expect(v3).not.toBe(v2);
    expect(await record(outcome(s.learner02, [{ questionId: q.questionId, versionId: v3, correct: true }]))).toEqual({ applied: true, changed: 1 });
    expect((await list(s.learner02)).items.find((i) => i.id === entry.id)).toMatchObject({ streak: 1, question: { versionId: v2 } });
    // Practice grades against the pinned version's key.
    expect(practiceResultSchema.parse((await practice(s.learner02, entry.id, 'C')).json())).toMatchObject({ correct: true, cleared: true });
  });

  it("answers 404 for another learner's entry or an unknown one, and 400 for a malformed answer", async () => {
    const q = await question({ type: 'fill_blank', stem: '两个空：____和____', blanks: [{ accepted: ['合法'] }, { accepted: ['正当'] }], knowledgePoints: ['处理原则'] });
    await record(outcome(s.learner01, [{ ...q, correct: false }]));
    const entry = (await list(s.learner01)).items.find((i) => i.questionId === q.questionId)!;

    const foreign = await practice(s.learner02, entry.id, ['合法', '正当']);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('ERR-COMMON-0005');
    expect((await practice(s.admin, entry.id, ['合法', '正当'])).statusCode).toBe(404);
    expect((await practice(s.learner01, newId(), ['合法'])).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/me/wrong-answers/not-an-id/practice', s.learner01, { answer: 'A' })).statusCode).toBe(400);

    for (const bad of ['合法', true, ['a', 'b', 'c'], '', [], null, ['', ' ']]) {
      const res = await practice(s.learner01, entry.id, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code, JSON.stringify(bad)).toMatch(/^ERR-(EXAM-0009|COMMON-0001)$/);
    }
    expect((await call('POST', `/api/v1/me/wrong-answers/${entry.id}/practice`, s.learner01, {})).statusCode).toBe(400);
    expect((await call('POST', `/api/v1/me/wrong-answers/${entry.id}/practice`, s.learner01, { answer: { a: 1 } })).statusCode).toBe(400);
    // None of that moved the streak; full-width answers are normalised.
    expect((await list(s.learner01)).items.find((i) => i.id === entry.id)?.streak).toBe(0);
    expect(practiceResultSchema.parse((await practice(s.learner01, entry.id, ['合法 ', '正当。'])).json())).toMatchObject({ correct: true, streak: 1 });
  });

  it('never answers 5xx to generated junk on the practice route or the list', async () => {
    const q = await question(single('随机输入', '健壮性'));
    await record(outcome(s.learner01, [{ ...q, correct: false }]));
    const entry = (await list(s.learner01)).items.find((i) => i.questionId === q.questionId)!;
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.string(), async (body, query) => {
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/me/wrong-answers/${entry.id}/practice`, headers: s.learner01.headers, payload: body as object });
        expect(res.statusCode, `${JSON.stringify(body)?.slice(0, 200)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        const wrapped = await practice(s.learner01, entry.id, body);
        expect(wrapped.statusCode, wrapped.body.slice(0, 200)).toBeLessThan(500);
        const listed = await t.app.inject({ method: 'GET', url: `/api/v1/me/wrong-answers?${new URLSearchParams({ page: query, pageSize: query, knowledgePoint: query })}`, headers: s.learner01.headers });
        expect(listed.statusCode, listed.body.slice(0, 200)).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
