import { attemptDetailSchema, attemptResultSchema, gradingQueuePageSchema, type ExamSettings } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import type { GradeAnswerInput, GradeAnswerResult } from '../ai/capabilities.js';
import { examKit, examsOn, RecordingQueue, SAMPLE_QUESTIONS } from './exams.test-support.js';

const settings = (patch: Partial<ExamSettings>): ExamSettings => ({
  showAnswers: 'after_submit',
  reviewAllowed: true,
  shuffleQuestions: false,
  shuffleOptions: false,
  multiplePolicy: 'all_or_nothing',
  ...patch,
});

describe(`grading flow (${backend})`, () => {
  let t: TestApp;
  let s: Record<'admin' | 'instructor' | 'manager' | 'learner01' | 'learner02' | 'learner03' | 'learner04' | 'learner05', Session>;
  let kit: ReturnType<typeof examKit>;

  const result = async (who: Session, attemptId: string) => {
    const res = await kit.call('GET', `/api/v1/attempts/${attemptId}/result`, who);
    expect(res.statusCode, res.body).toBe(200);
    return attemptResultSchema.parse(res.json());
  };
  const grade = (who: Session, attemptId: string, questionId: string, score: number, comment = '') =>
    kit.call('PUT', `/api/v1/attempts/${attemptId}/grades/${questionId}`, who, { score, comment });

  beforeAll(async () => {
    t = await createTestApp();
    s = await seedAndLogin(t, ['admin', 'instructor', 'manager', 'learner01', 'learner02', 'learner03', 'learner04', 'learner05']);
    kit = examKit(t, s.instructor);
  });
  afterAll(() => t.close());

  it('grades objective questions at submit; a short answer waits for a person, then total and pass follow', async () => {
    const { examId, ids } = await kit.openExam([s.learner01.userId], { passMark: 80, settings: settings({}) });
    // With an AI grader wired in (the container wires one), the short answer waits for it first; a person may grade it either way.
    const waiting = t.container.exams.grades.aiAvailable ? 'pending' : 'manual';
    const graded: unknown[] = [];
    const off = t.container.events.subscribe('exams.attempt-graded', (e) => void graded.push(e.payload));
    const attemptId = await kit.start(s.learner01, examId);
    await kit.answerAll(s.learner01, attemptId, ids);
    const submitted = attemptResultSchema.parse((await kit.call('POST', `/api/v1/attempts/${attemptId}/submit`, s.learner01)).json());
    expect(submitted).toMatchObject({ score: 8, maxScore: 18, pendingCount: 1, passed: null });
    const byType = Object.fromEntries(submitted.questions!.map((q) => [q.type, q]));
    expect(byType.fill_blank).toMatchObject({ score: 2, status: 'graded', grader: 'auto', correct: true });
    expect(byType.short_answer).toMatchObject({ score: 0, status: waiting, grader: null, correct: null });
    expect(byType.single!.key).toEqual({ correctOptions: ['A'] });
    expect(submitted.byKnowledgePoint.find((k) => k.knowledgePoint === '敏感信息')).toMatchObject({ score: 4, maxScore: 4 });
    await new Promise((r) => setTimeout(r, 50));
    expect(graded).toContainEqual(
      expect.objectContaining({
        attemptId,
        examTitle: '个人信息保护月考',
        final: false,
        questions: expect.arrayContaining([
          expect.objectContaining({ questionId: ids.single, correct: true, status: 'graded' }),
          expect.objectContaining({ questionId: ids.short_answer, correct: null, status: waiting }),
        ]),
      }),
    );

    const queue = gradingQueuePageSchema.parse((await kit.call('GET', `/api/v1/grading/queue?examId=${examId}`, s.instructor)).json());
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ attemptId, questionId: ids.short_answer, status: waiting, answer: SAMPLE_QUESTIONS.short_answer.right, maxScore: 10, ai: null });
    expect(queue.items[0]!.rubric).toHaveLength(2);

    const tooMuch = await grade(s.instructor, attemptId, ids.short_answer, 11);
    expect(tooMuch.statusCode).toBe(400);
    const ok = await grade(s.instructor, attemptId, ids.short_answer, 7, '要点齐全，表述略简');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ score: 7, status: 'graded', grader: 'user', attempt: { score: 15, maxScore: 18, pendingCount: 0, passed: true } });
    const after = await result(s.learner01, attemptId);
    expect(after).toMatchObject({ score: 15, passed: true, pendingCount: 0 });
    expect(after.questions!.find((q) => q.questionId === ids.short_answer)).toMatchObject({ comment: '要点齐全，表述略简', grader: 'user', score: 7 });
    expect((await kit.call('GET', `/api/v1/grading/queue?examId=${examId}`, s.instructor)).json().total).toBe(0);

    // An override of an objective question: recomputed and audited.
    const override = await grade(s.instructor, attemptId, ids.single, 0, '答案雷同，判零分');
    expect(override.json().attempt).toMatchObject({ score: 13, passed: false });
    const audit = (await kit.call('GET', '/api/v1/audit?action=exam.grade_changed', s.admin)).json();
    const entries = audit.items.filter((i: { targetId: string }) => i.targetId === attemptId);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ actorId: s.instructor.userId, targetType: 'attempt', details: { questionId: ids.single, before: { score: 2, grader: 'auto' }, after: { score: 0 } } });
    await new Promise((r) => setTimeout(r, 50));
    off();
    expect(graded.at(-1)).toMatchObject({ final: true, passed: false, score: 13 });

    // Only the exam's owner or an admin grades; learners and managers have no grading permission.
    expect((await grade(s.learner01, attemptId, ids.single, 2)).statusCode).toBe(403);
    expect((await grade(s.manager, attemptId, ids.single, 2)).statusCode).toBe(403);
    expect((await grade(s.admin, attemptId, ids.single, 2)).statusCode).toBe(200);
  });

  it('does not grade a running attempt, and shows no result before submit', async () => {
    const { examId, ids } = await kit.openExam([s.learner02.userId]);
    const attemptId = await kit.start(s.learner02, examId);
    expect((await grade(s.instructor, attemptId, ids.single, 1)).statusCode).toBe(409);
    const early = await kit.call('GET', `/api/v1/attempts/${attemptId}/result`, s.learner02);
    expect(early.statusCode).toBe(403);
    expect(early.json().error).toMatchObject({ code: 'ERR-EXAM-0010', details: { reason: 'in_progress' } });
  });

  it('honours the result settings: review, and when keys are shown', async () => {
    const cases: [Partial<ExamSettings>, { review: boolean; answers: boolean }][] = [
      [{ showAnswers: 'never' }, { review: true, answers: false }],
      [{ showAnswers: 'after_submit' }, { review: true, answers: true }],
      [{ showAnswers: 'after_submit', reviewAllowed: false }, { review: false, answers: false }],
      [{ showAnswers: 'after_close' }, { review: true, answers: false }],
    ];
    for (const [patch, expected] of cases) {
      const { examId, ids } = await kit.openExam([s.learner03.userId], { settings: settings(patch) });
      const attemptId = await kit.start(s.learner03, examId);
      await kit.answerAll(s.learner03, attemptId, ids, 'wrong');
      await kit.call('POST', `/api/v1/attempts/${attemptId}/submit`, s.learner03);
      const r = await result(s.learner03, attemptId);
      expect({ review: r.reviewVisible, answers: r.answersVisible }, JSON.stringify(patch)).toEqual(expected);
      // Scores are always shown once submitted.
      expect(r.score).toBe(0);
      expect(r.byType.length).toBeGreaterThan(0);
      if (!expected.review) expect(r.questions).toBeNull();
      else {
        const single = r.questions!.find((q) => q.questionId === ids.single)!;
        expect(single).toMatchObject({ answer: 'B', correct: false });
        expect(single.key === null).toBe(!expected.answers);
        const blanks = r.questions!.find((q) => q.questionId === ids.fill_blank)!;
        // Grading detail names the accepted answers, so it is a key too.
        expect(blanks.detail === null).toBe(!expected.answers);
      }
      if (!expected.answers) {
        const raw = JSON.stringify(r);
        for (const secret of ['correctOptions', 'referenceAnswer', '第五条', '十一']) expect(raw).not.toContain(secret);
      }
      if (patch.showAnswers === 'after_close') {
        await kit.call('POST', `/api/v1/exams/${examId}/close`, s.instructor);
        const closed = await result(s.learner03, attemptId);
        expect(closed.answersVisible).toBe(true);
        expect(closed.questions!.find((q) => q.questionId === ids.single)!.key).toEqual({ correctOptions: ['A'] });
        expect(closed.questions!.find((q) => q.questionId === ids.single)!.explanation).toBe('《个人信息保护法》第五条。');
      }
    }
  });

  it('scores multiple choice by the exam policy (partial credit)', async () => {
    const { examId, ids } = await kit.openExam([s.learner04.userId], { settings: settings({ multiplePolicy: 'partial' }) });
    const attemptId = await kit.start(s.learner04, examId);
    await kit.call('PUT', `/api/v1/attempts/${attemptId}/answers/${ids.multiple}`, s.learner04, { answer: ['A', 'C'], seq: 1 });
    const r = attemptResultSchema.parse((await kit.call('POST', `/api/v1/attempts/${attemptId}/submit`, s.learner04)).json());
    expect(r.questions!.find((q) => q.questionId === ids.multiple)).toMatchObject({ score: 2, maxScore: 3, correct: false });
    expect(r.score).toBe(2);
  });

  it('AI grading: confident grades are final with their explanation; unsure or failing ones go to the queue', async () => {
    const calls: GradeAnswerInput[] = [];
    let behaviour: 'sure' | 'unsure' | 'fail' = 'sure';
    const grader = {
      async gradeAnswer(input: GradeAnswerInput): Promise<GradeAnswerResult> {
        calls.push(input);
        if (behaviour === 'fail') throw new Error('upstream 502');
        const sure = behaviour === 'sure';
        return {
          points: [
            { index: 0, awarded: 5, max: 5, found: ['告知'], missed: [], comment: '提到告知' },
            { index: 1, awarded: sure ? 4 : 1, max: 5, found: sure ? ['同意'] : [], missed: sure ? [] : ['同意'], comment: '同意' },
          ],
          score: sure ? 9 : 6,
          explanation: sure ? '两个要点均已答到' : '第二点不确定',
          confidence: sure ? 0.9 : 0.3,
        };
      },
    };
    const queue = new RecordingQueue();
    const ai = examsOn(t, { queue, grader });
    const { examId, ids } = await kit.openExam([s.learner05.userId, s.learner04.userId, s.learner03.userId], { settings: settings({}) });

    const takeAndSubmit = async (who: Session) => {
      const attemptId = await kit.start(who, examId);
      await kit.answerAll(who, attemptId, ids);
      expect(await ai.attempts.finalize(attemptId, 'manual')).toBe(true);
      expect(queue.enqueued.at(-1)).toMatchObject({ name: 'exams.grade-short-answers', payload: { attemptId } });
      const waiting = await t.container.database.db.selectFrom('attempt_grades').select('status').where('attempt_id', '=', attemptId).where('question_id', '=', ids.short_answer).executeTakeFirstOrThrow();
      expect(waiting.status).toBe('pending');
      return attemptId;
    };

    // Confident: graded by the AI, explanation per rubric point kept, totals final.
    const sure = await takeAndSubmit(s.learner05);
    expect(await queue.run('exams.grade-short-answers', { attemptId: sure })).toEqual({ graded: 1, manual: 0 });
    expect(calls.at(-1)).toMatchObject({ stem: '简述告知同意规则。', answer: SAMPLE_QUESTIONS.short_answer.right, maxScore: 10 });
    const sureResult = await result(s.learner05, sure);
    expect(sureResult).toMatchObject({ score: 17, pendingCount: 0, passed: true });
    expect(sureResult.questions!.find((q) => q.questionId === ids.short_answer)).toMatchObject({
      status: 'graded',
      grader: 'ai',
      score: 9,
      ai: { confidence: 0.9, explanation: '两个要点均已答到', points: [{ comment: '提到告知' }, { comment: '同意' }] },
    });
    // Running the job again changes nothing (the AI never overrides a grade).
    expect(await queue.run('exams.grade-short-answers', { attemptId: sure })).toEqual({ graded: 0, manual: 0 });

    // Unsure: the manual queue, with the AI's suggestion for the instructor.
    behaviour = 'unsure';
    const unsure = await takeAndSubmit(s.learner04);
    expect(await queue.run('exams.grade-short-answers', { attemptId: unsure })).toEqual({ graded: 0, manual: 1 });
    const q = gradingQueuePageSchema.parse((await kit.call('GET', `/api/v1/grading/queue?examId=${examId}`, s.instructor)).json());
    expect(q.items.map((i) => i.attemptId)).toEqual([unsure]);
    expect(q.items[0]).toMatchObject({ status: 'manual', ai: { score: 6, confidence: 0.3, explanation: '第二点不确定' } });
    expect((await result(s.learner04, unsure)).pendingCount).toBe(1);

    // Failing: retried by the queue; after the last try the answer waits for a person.
    behaviour = 'fail';
    const failing = await takeAndSubmit(s.learner03);
    await expect(queue.run('exams.grade-short-answers', { attemptId: failing }, 1)).rejects.toThrow('upstream 502');
    expect((await t.container.database.db.selectFrom('attempt_grades').select('status').where('attempt_id', '=', failing).where('question_id', '=', ids.short_answer).executeTakeFirstOrThrow()).status).toBe('pending');
    expect(await queue.run('exams.grade-short-answers', { attemptId: failing }, 3)).toEqual({ graded: 0, manual: 1 });
    const detail = attemptDetailSchema.parse((await kit.call('GET', `/api/v1/exams/${examId}/attempts/${failing}`, s.instructor)).json());
    expect(detail.questions!.find((x) => x.questionId === ids.short_answer)).toMatchObject({ status: 'manual', ai: null });
  });
});
