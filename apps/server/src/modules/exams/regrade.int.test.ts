import { attemptResultSchema, regradeResultSchema, type AnswerValue, type ExamSettings, type QuestionContentInput, type QuestionType } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvents } from '../../platform/events/event-bus.js';
import { backend, createTestApp, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import type { GradeAnswerInput } from '../ai/capabilities.js';
import type { Actor } from '../identity/index.js';
import { examKit, examsOn, RecordingQueue, SAMPLE_QUESTIONS } from './exams.test-support.js';

const settings: ExamSettings = { showAnswers: 'after_submit', reviewAllowed: true, shuffleQuestions: false, shuffleOptions: false, multiplePolicy: 'all_or_nothing' };

/** The sample paper's full marks: 2 + 3 + 1 + 2 + 10. */
const MAX = 18;

describe(`re-grading after a key was corrected (${backend})`, () => {
  let t: TestApp;
  let s: Record<'admin' | 'instructor' | 'manager' | 'learner01' | 'learner02' | 'learner03' | 'learner04' | 'learner05', Session>;
  let kit: ReturnType<typeof examKit>;

  const take = async (who: Session, examId: string, ids: Record<QuestionType, string>, answers: Partial<Record<QuestionType, AnswerValue>>) => {
    const attemptId = await kit.start(who, examId);
    await kit.answerAll(who, attemptId, ids, answers);
    expect((await kit.call('POST', `/api/v1/attempts/${attemptId}/submit`, who)).statusCode).toBe(200);
    return attemptId;
  };
  const result = async (who: Session, attemptId: string) => attemptResultSchema.parse((await kit.call('GET', `/api/v1/attempts/${attemptId}/result`, who)).json());
  const correct = async (questionId: string, type: QuestionType, patch: Partial<QuestionContentInput>) => {
    const res = await kit.call('PATCH', `/api/v1/questions/${questionId}`, s.instructor, { content: { ...SAMPLE_QUESTIONS[type].content, ...patch } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().currentVersionId as string;
  };
  const regrade = async (who: Session, examId: string) => kit.call('POST', `/api/v1/exams/${examId}/regrade`, who);

  beforeAll(async () => {
    t = await createTestApp();
    s = await seedAndLogin(t, ['admin', 'instructor', 'manager', 'learner01', 'learner02', 'learner03', 'learner04', 'learner05']);
    kit = examKit(t, s.instructor);
  });
  afterAll(() => t.close());

  it('re-grades objective questions against the corrected version, keeps answers and overrides, and a second run changes nothing', async () => {
    const { examId, ids } = await kit.openExam([s.learner01.userId, s.learner02.userId, s.learner03.userId], { passMark: 80, settings });
    // learner01 answers everything by the (wrong) key; learner02 picks B, the right option; learner03 gets everything wrong.
    const a1 = await take(s.learner01, examId, ids, {});
    const a2 = await take(s.learner02, examId, ids, { single: 'B' });
    const a3 = await take(s.learner03, examId, ids, { single: 'B', multiple: ['A', 'C'], true_false: false, fill_blank: ['2020', '12'], short_answer: '不知道' });
    expect((await kit.call('PUT', `/api/v1/attempts/${a1}/grades/${ids.short_answer}`, s.instructor, { score: 7, comment: '' })).statusCode).toBe(200);
    // The instructor already gave learner03 the single-choice point by hand: that decision stands.
    expect((await kit.call('PUT', `/api/v1/attempts/${a3}/grades/${ids.single}`, s.instructor, { score: 2, comment: '答案有误，人工给分' })).statusCode).toBe(200);
    expect(await result(s.learner01, a1)).toMatchObject({ score: 15, passed: true });
    expect(await result(s.learner02, a2)).toMatchObject({ score: 6, pendingCount: 1 });
    expect(await result(s.learner03, a3)).toMatchObject({ score: 2 });

    // The key was wrong: B is right. The fill-in also accepts 2020 for its first blank now.
    const singleV2 = await correct(ids.single, 'single', { correct: ['B'] });
    await correct(ids.fill_blank, 'fill_blank', { blanks: [{ accepted: ['2021', '2020'] }, { accepted: ['11', '十一'] }] } as Partial<QuestionContentInput>);

    const graded: DomainEvents['exams.attempt-graded'][] = [];
    const off = t.container.events.subscribe('exams.attempt-graded', (e) => void graded.push(e.payload));
    const res = await regrade(s.instructor, examId);
    expect(res.statusCode, res.body).toBe(200);
    expect(regradeResultSchema.parse(res.json())).toEqual({
      status: 'done',
      jobId: null,
      error: null,
      counts: { attempts: 3, running: 0, attemptsRegraded: 3, scoresChanged: 3, passChanged: 1, questionsRegraded: 5, sentToGrading: 0, keptOverrides: 1, incompatible: 0 },
    });

    // learner01 loses the single-choice points (and the pass), learner02 gains them, learner03 gets a blank right.
    const r1 = await result(s.learner01, a1);
    expect(r1).toMatchObject({ score: 13, maxScore: MAX, passed: false });
    const single1 = r1.questions!.find((q) => q.questionId === ids.single)!;
    expect(single1).toMatchObject({ versionId: singleV2, answer: 'A', correct: false, score: 0, grader: 'auto', key: { correctOptions: ['B'] } });
    expect(r1.questions!.find((q) => q.questionId === ids.short_answer)).toMatchObject({ score: 7, grader: 'user' });
    expect(await result(s.learner02, a2)).toMatchObject({ score: 8, pendingCount: 1, passed: null });
    const r3 = await result(s.learner03, a3);
    expect(r3.score).toBe(3);
    expect(r3.questions!.find((q) => q.questionId === ids.single)).toMatchObject({ score: 2, grader: 'user', comment: '答案有误，人工给分' });
    expect(r3.questions!.find((q) => q.questionId === ids.fill_blank)).toMatchObject({ score: 1, answer: ['2020', '12'] });
    // The learner sees what they were given when they resume: the attempt keeps its pinned version.
    const view = (await kit.call('GET', `/api/v1/attempts/${a1}`, s.learner01)).json();
    expect(view.questions.find((q: { questionId: string }) => q.questionId === ids.single).versionId).not.toBe(singleV2);

    // The same per-question event as at submit, with the version that graded each question.
    await new Promise((r) => setTimeout(r, 50));
    off();
    const forA1 = graded.filter((e) => e.attemptId === a1).at(-1)!;
    expect(forA1).toMatchObject({ score: 13, final: true, passed: false });
    expect(forA1.questions.find((q) => q.questionId === ids.single)).toMatchObject({ versionId: singleV2, correct: false });

    const audit = (await kit.call('GET', '/api/v1/audit?action=exam.regraded', s.admin)).json();
    expect(audit.items.find((i: { targetId: string }) => i.targetId === examId)).toMatchObject({ actorId: s.instructor.userId, targetType: 'exam', details: { scoresChanged: 3 } });

    // Idempotent: nothing left to do.
    const again = regradeResultSchema.parse((await regrade(s.admin, examId)).json());
    expect(again.counts).toMatchObject({ attempts: 3, attemptsRegraded: 0, scoresChanged: 0, questionsRegraded: 0, keptOverrides: 1 });
    expect((await result(s.learner01, a1)).score).toBe(13);
    expect((await result(s.learner03, a3)).score).toBe(3);

    // Changing the key back re-grades back.
    await correct(ids.single, 'single', { correct: ['A'] });
    expect(regradeResultSchema.parse((await regrade(s.instructor, examId)).json()).counts).toMatchObject({ attemptsRegraded: 2, scoresChanged: 2 });
    expect((await result(s.learner01, a1)).score).toBe(15);
  });

  it('only the exam owner or an administrator re-grades', async () => {
    const { examId } = await kit.openExam([s.learner04.userId]);
    expect((await regrade(s.manager, examId)).statusCode).toBe(403);
    expect((await regrade(s.learner04, examId)).statusCode).toBe(403);
    expect((await regrade(s.instructor, '01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await regrade(s.admin, examId)).json()).toMatchObject({ status: 'done', counts: { attempts: 0 } });
  });

  it('leaves a rewritten question alone (incompatible) and counts running attempts', async () => {
    const { examId, ids } = await kit.openExam([s.learner04.userId, s.learner05.userId]);
    const a4 = await take(s.learner04, examId, ids, {});
    await kit.call('POST', `/api/v1/exams/${examId}/attempts`, s.learner05);
    const before = await result(s.learner04, a4);
    // Two options dropped: the learner's answer key may no longer exist.
    await correct(ids.single, 'single', { options: SAMPLE_QUESTIONS.single.content.type === 'single' ? SAMPLE_QUESTIONS.single.content.options.slice(0, 2) : [], correct: ['B'] } as Partial<QuestionContentInput>);
    const out = regradeResultSchema.parse((await regrade(s.instructor, examId)).json());
    expect(out.counts).toMatchObject({ attempts: 1, running: 1, incompatible: 1, attemptsRegraded: 0, scoresChanged: 0 });
    expect((await result(s.learner04, a4)).score).toBe(before.score);
  });

  it('runs large exams as a background job whose state and counts can be polled', async () => {
    // A second exams module on the same database and queue, with a tiny inline limit.
    const small = examsOn(t, { queue: t.container.queue, regradeInlineMax: 1 });
    const { examId, ids } = await kit.openExam([s.learner01.userId, s.learner02.userId], { settings });
    const a1 = await take(s.learner01, examId, ids, {});
    await take(s.learner02, examId, ids, { true_false: false });
    await correct(ids.true_false, 'true_false', { correct: false } as Partial<QuestionContentInput>);
    const user = await t.container.database.db.selectFrom('users').selectAll().where('id', '=', s.instructor.userId).executeTakeFirstOrThrow();
    const actor: Actor = { id: user.id, username: user.username, displayName: user.display_name, role: 'instructor', departmentId: user.department_id, departmentPath: null, ip: null, requestId: null };
    const queued = await small.regrade.request(actor, examId);
    expect(queued).toMatchObject({ status: 'queued', counts: null });
    t.container.queue.start();
    let polled = regradeResultSchema.parse((await kit.call('GET', `/api/v1/exams/${examId}/regrade/${queued.jobId}`, s.instructor)).json());
    for (const until = Date.now() + 20_000; polled.status !== 'done' && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 100));
      polled = regradeResultSchema.parse((await kit.call('GET', `/api/v1/exams/${examId}/regrade/${queued.jobId}`, s.instructor)).json());
    }
    expect(polled).toMatchObject({ status: 'done', counts: { attempts: 2, attemptsRegraded: 2, scoresChanged: 2 } });
    expect((await result(s.learner01, a1)).score).toBe(7);
    // A job id of another exam, or not a re-grade, is not found.
    const { examId: other } = await kit.openExam([s.learner01.userId]);
    expect((await kit.call('GET', `/api/v1/exams/${other}/regrade/${queued.jobId}`, s.instructor)).statusCode).toBe(404);
    expect((await kit.call('GET', `/api/v1/exams/${examId}/regrade/01900000-0000-7000-8000-000000000000`, s.instructor)).statusCode).toBe(404);
  });

  it('sends a short answer whose rubric changed back to the AI, which grades it against the new rubric', async () => {
    const calls: GradeAnswerInput[] = [];
    const queue = new RecordingQueue();
    const ai = examsOn(t, {
      queue,
      grader: {
        async gradeAnswer(input) {
          calls.push(input);
          const score = input.rubric.length === 1 ? 10 : 5;
          return { points: input.rubric.map((_, index) => ({ index, awarded: score / input.rubric.length, max: 10 / input.rubric.length, found: [], missed: [], comment: '' })), score, explanation: '', confidence: 0.95 };
        },
      },
    });
    const { examId, ids } = await kit.openExam([s.learner05.userId], { settings });
    const attemptId = (await kit.call('POST', `/api/v1/exams/${examId}/attempts`, s.learner05)).json().id as string;
    await kit.call('PUT', `/api/v1/attempts/${attemptId}/answers/${ids.short_answer}`, s.learner05, { answer: '先告知，再取得同意。', seq: 1 });
    expect(await ai.attempts.finalize(attemptId, 'manual')).toBe(true);
    await queue.run('exams.grade-short-answers', { attemptId });
    expect((await result(s.learner05, attemptId)).questions!.find((q) => q.questionId === ids.short_answer)).toMatchObject({ score: 5, grader: 'ai' });

    const v2 = await correct(ids.short_answer, 'short_answer', { rubric: [{ point: '告知并取得同意', weight: 1, keywords: ['同意'] }] } as Partial<QuestionContentInput>);
    const user = await t.container.database.db.selectFrom('users').selectAll().where('id', '=', s.instructor.userId).executeTakeFirstOrThrow();
    const out = await ai.regrade.request({ id: user.id, username: user.username, displayName: user.display_name, role: 'instructor', departmentId: null, departmentPath: null, ip: null, requestId: null }, examId);
    expect(out.counts).toMatchObject({ attemptsRegraded: 1, sentToGrading: 1, scoresChanged: 1 });
    expect(queue.enqueued.at(-1)).toMatchObject({ name: 'exams.grade-short-answers', payload: { attemptId } });
    expect((await result(s.learner05, attemptId)).questions!.find((q) => q.questionId === ids.short_answer)).toMatchObject({ status: 'pending', score: 0, versionId: v2 });
    await queue.run('exams.grade-short-answers', { attemptId });
    expect(calls.at(-1)!.rubric).toHaveLength(1);
    expect((await result(s.learner05, attemptId)).questions!.find((q) => q.questionId === ids.short_answer)).toMatchObject({ status: 'graded', score: 10, grader: 'ai', versionId: v2 });
  });
});
