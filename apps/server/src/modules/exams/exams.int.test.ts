import { attemptDetailSchema, examAttemptPageSchema, examSchema, liveViewSchema, myExamsSchema, paperCheckSchema, paperDetailSchema, paperSchema } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { examKit, SAMPLE_QUESTIONS, TYPES } from './exams.test-support.js';

describe(`papers and exams (${backend})`, () => {
  let t: TestApp;
  let s: Record<'admin' | 'instructor' | 'manager' | 'learner01' | 'learner02' | 'learner03' | 'learner04', Session>;
  let kit: ReturnType<typeof examKit>;
  let bankId: string;
  /** Question ids of the paper bank: 4 single, 2 true/false, 1 short answer. */
  const singles: string[] = [];

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, who: Session, payload?: unknown) => kit.call(method, url, who, payload);

  beforeAll(async () => {
    t = await createTestApp();
    s = await seedAndLogin(t, ['admin', 'instructor', 'manager', 'learner01', 'learner02', 'learner03', 'learner04']);
    kit = examKit(t, s.instructor);
    bankId = await kit.bank('试卷规则题库');
    for (let i = 0; i < 4; i++) singles.push(await kit.question(bankId, { ...SAMPLE_QUESTIONS.single.content, stem: `单选${i}`, difficulty: i < 2 ? 2 : 4 } as typeof SAMPLE_QUESTIONS.single.content));
    for (let i = 0; i < 2; i++) await kit.question(bankId, { ...SAMPLE_QUESTIONS.true_false.content, stem: `判断${i}` } as typeof SAMPLE_QUESTIONS.true_false.content);
    await kit.question(bankId, SAMPLE_QUESTIONS.short_answer.content);
  });
  afterAll(() => t.close());

  describe('papers', () => {
    it('checks random rules against the bank, overlapping rules included, without saving', async () => {
      const rules = [
        { bankIds: [bankId], count: 3, pointsEach: 2 },
        { bankIds: [bankId], types: ['single'], count: 4, pointsEach: 1 },
      ];
      const res = await call('POST', '/api/v1/papers/check', s.instructor, { rules });
      expect(res.statusCode, res.body).toBe(200);
      // 7 questions, 4 singles: rule 2 takes all singles, rule 1 the other three.
      expect(paperCheckSchema.parse(res.json())).toEqual({
        ok: true,
        questionCount: 7,
        totalPoints: 10,
        rules: [
          { index: 0, requested: 3, matching: 7, available: 3, ok: true },
          { index: 1, requested: 4, matching: 4, available: 4, ok: true },
        ],
      });
      const tooMany = (await call('POST', '/api/v1/papers/check', s.instructor, { rules: [...rules, { bankIds: [bankId], difficultyMin: 4, count: 1, pointsEach: 1 }] })).json();
      expect(tooMany.ok).toBe(false);
      expect(tooMany.rules[2]).toMatchObject({ matching: 2, available: 0, ok: false });
      expect((await call('GET', '/api/v1/papers?pageSize=100', s.instructor)).json().total).toBe(0);
    });

    it('refuses to save a paper the bank cannot fill (422 with availability per rule)', async () => {
      const res = await call('POST', '/api/v1/papers', s.instructor, { mode: 'random', title: '太多', rules: [{ bankIds: [bankId], types: ['true_false'], count: 3, pointsEach: 1 }] });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'ERR-EXAM-0008', details: { rules: [{ requested: 3, matching: 2, available: 2, ok: false }] } });
      const missing = await call('POST', '/api/v1/papers', s.instructor, { mode: 'fixed', title: '缺题', items: [{ questionId: singles[0] }, { questionId: '00000000-0000-7000-8000-000000000001' }] });
      expect(missing.statusCode).toBe(422);
      expect(missing.json().error.details).toEqual({ missingQuestionIds: ['00000000-0000-7000-8000-000000000001'] });
      const twice = await call('POST', '/api/v1/papers', s.instructor, { mode: 'fixed', title: '重复', items: [{ questionId: singles[0] }, { questionId: singles[0] }] });
      expect(twice.statusCode).toBe(400);
    });

    it('saves fixed papers with default or given points, previews them, and locks questions once attempted', async () => {
      const res = await call('POST', '/api/v1/papers', s.instructor, { mode: 'fixed', title: '固定卷', items: [{ questionId: singles[0] }, { questionId: singles[1], points: 5.5 }] });
      expect(res.statusCode, res.body).toBe(201);
      const paper = paperSchema.parse(res.json());
      expect(paper).toMatchObject({ mode: 'fixed', questionCount: 2, totalPoints: 7.5, locked: false, rules: null, ownerId: s.instructor.userId });
      expect(paper.items).toEqual([
        { questionId: singles[0], points: 2 },
        { questionId: singles[1], points: 5.5 },
      ]);
      const detail = paperDetailSchema.parse((await call('GET', `/api/v1/papers/${paper.id}`, s.instructor)).json());
      expect(detail.preview!.map((p) => p.stem)).toEqual(['单选0', '单选1']);

      const renamed = await call('PATCH', `/api/v1/papers/${paper.id}`, s.instructor, { title: '固定卷（改）', items: [{ questionId: singles[2] }] });
      expect(renamed.json()).toMatchObject({ title: '固定卷（改）', questionCount: 1, totalPoints: 2 });

      const examId = await kit.exam(paper.id, { audience: { userIds: [s.learner01.userId], departmentIds: [] } });
      await kit.publish(examId);
      await call('POST', `/api/v1/exams/${examId}/attempts`, s.learner01);
      const locked = await call('PATCH', `/api/v1/papers/${paper.id}`, s.instructor, { items: [{ questionId: singles[3] }] });
      expect(locked.statusCode).toBe(409);
      expect((await call('PATCH', `/api/v1/papers/${paper.id}`, s.instructor, { title: '仍可改名' })).json()).toMatchObject({ locked: true, title: '仍可改名' });
      // Only the owner (or an admin) edits.
      expect((await call('PATCH', `/api/v1/papers/${paper.id}`, s.admin, { description: '管理员备注' })).statusCode).toBe(200);
    });
  });

  describe('exams', () => {
    it('validates, publishes once, and keeps drafts to their owner', async () => {
      const paperId = await kit.fixedPaper([singles[0]!]);
      const base = { title: '月考', paperId, opensAt: Date.now(), closesAt: Date.now() + 3_600_000, durationMinutes: 20 };
      expect((await call('POST', '/api/v1/exams', s.instructor, { ...base, closesAt: base.opensAt })).statusCode).toBe(400);
      expect((await call('POST', '/api/v1/exams', s.instructor, { ...base, paperId: '00000000-0000-7000-8000-000000000002' })).json().error.code).toBe('ERR-EXAM-0002');
      expect((await call('POST', '/api/v1/exams', s.instructor, { ...base, audience: { departmentIds: ['00000000-0000-7000-8000-000000000003'] } })).json().error.code).toBe('ERR-DEPT-0001');
      expect((await call('POST', '/api/v1/exams', s.instructor, { ...base, audience: { userIds: ['00000000-0000-7000-8000-000000000004'] } })).json().error.code).toBe('ERR-USER-0002');

      const created = await call('POST', '/api/v1/exams', s.instructor, base);
      expect(created.statusCode, created.body).toBe(201);
      const exam = examSchema.parse(created.json());
      expect(exam).toMatchObject({ status: 'draft', attemptsAllowed: 1, passMark: 60, questionCount: 1, totalPoints: 2, settings: { showAnswers: 'after_close', multiplePolicy: 'all_or_nothing' } });
      expect((await call('GET', `/api/v1/exams/${exam.id}`, s.manager)).statusCode).toBe(404);
      const empty = await call('POST', `/api/v1/exams/${exam.id}/publish`, s.instructor);
      expect(empty.statusCode).toBe(400);

      await call('PATCH', `/api/v1/exams/${exam.id}`, s.instructor, { audience: { departmentIds: [], userIds: [s.learner02.userId] } });
      const published = await call('POST', `/api/v1/exams/${exam.id}/publish`, s.instructor);
      expect(published.json()).toMatchObject({ status: 'published', audience: { userIds: [s.learner02.userId] } });
      expect((await call('POST', `/api/v1/exams/${exam.id}/publish`, s.instructor)).statusCode).toBe(200);
      expect((await call('GET', `/api/v1/exams/${exam.id}`, s.manager)).statusCode).toBe(200);
      expect((await call('GET', '/api/v1/exams?pageSize=100', s.manager)).json().items.map((e: { id: string }) => e.id)).toContain(exam.id);
      // The manager reads but does not write.
      expect((await call('PATCH', `/api/v1/exams/${exam.id}`, s.manager, { title: 'x' })).statusCode).toBe(403);
    });

    it('freezes what makes attempts unequal once someone started; closing submits running attempts', async () => {
      const { examId, ids } = await kit.openExam([s.learner03.userId]);
      const attemptId = (await call('POST', `/api/v1/exams/${examId}/attempts`, s.learner03)).json().id as string;
      await call('PUT', `/api/v1/attempts/${attemptId}/answers/${ids.single}`, s.learner03, { answer: 'A', seq: 1 });
      const frozen = await call('PATCH', `/api/v1/exams/${examId}`, s.instructor, { durationMinutes: 90 });
      expect(frozen.statusCode).toBe(409);
      expect(frozen.json().error.details).toEqual({ fields: ['durationMinutes'] });
      const later = Date.now() + 7_200_000;
      expect((await call('PATCH', `/api/v1/exams/${examId}`, s.instructor, { closesAt: later, settings: { showAnswers: 'never' } })).json()).toMatchObject({ closesAt: later, settings: { showAnswers: 'never' } });

      const closed = await call('POST', `/api/v1/exams/${examId}/close`, s.instructor);
      expect(closed.json()).toMatchObject({ status: 'closed' });
      const attempt = (await call('GET', `/api/v1/attempts/${attemptId}`, s.learner03)).json();
      expect(attempt).toMatchObject({ status: 'submitted', submitReason: 'closed' });
      const result = (await call('GET', `/api/v1/attempts/${attemptId}/result`, s.learner03)).json();
      expect(result.score).toBe(2);
      expect((await call('POST', `/api/v1/exams/${examId}/attempts`, s.learner03)).json().error.code).toBe('ERR-EXAM-0004');
      expect((await call('PATCH', `/api/v1/exams/${examId}`, s.instructor, { durationMinutes: 5 })).statusCode).toBe(409);
      expect((await call('PATCH', `/api/v1/exams/${examId}`, s.instructor, { title: '已结束的月考' })).statusCode).toBe(200);
    });

    it("shows learners their exams: upcoming, available, in progress and done with the best score", async () => {
      const learner = s.learner04;
      const available = await kit.openExam([learner.userId], { attemptsAllowed: 3 });
      const running = await kit.openExam([learner.userId]);
      const done = await kit.openExam([learner.userId], { attemptsAllowed: 2 });
      const upcoming = await kit.openExam([learner.userId], { opensAt: Date.now() + 3_600_000, closesAt: Date.now() + 7_200_000 });
      await call('POST', `/api/v1/exams/${running.examId}/attempts`, learner);
      for (const pick of ['wrong', 'right'] as const) {
        const id = (await call('POST', `/api/v1/exams/${done.examId}/attempts`, learner)).json().id as string;
        for (const [i, type] of TYPES.entries()) await call('PUT', `/api/v1/attempts/${id}/answers/${done.ids[type]}`, learner, { answer: SAMPLE_QUESTIONS[type][pick], seq: i + 1 });
        await call('POST', `/api/v1/attempts/${id}/submit`, learner);
      }
      const mine = myExamsSchema.parse((await call('GET', '/api/v1/me/exams', learner)).json());
      const idsOf = (list: { id: string }[]) => list.map((e) => e.id);
      expect(idsOf(mine.upcoming)).toEqual([upcoming.examId]);
      expect(idsOf(mine.available)).toEqual([available.examId]);
      expect(idsOf(mine.inProgress)).toEqual([running.examId]);
      expect(idsOf(mine.done)).toEqual([done.examId]);
      expect(mine.inProgress[0]!.runningAttemptId).not.toBeNull();
      expect(mine.done[0]).toMatchObject({ attemptsUsed: 2, bestScore: 8, bestPercent: 44.44, passed: null });
    });
  });

  describe('instructor and manager views', () => {
    let examId: string;
    let ids: Record<string, string>;
    const attemptOf: Record<string, string> = {};

    beforeAll(async () => {
      // learner01 (华东区) and learner02 (华南区) are in the manager's 销售部; learner03 (客户服务部) is not.
      ({ examId, ids } = await kit.openExam([s.learner01.userId, s.learner02.userId, s.learner03.userId], { passMark: 40 }));
      for (const who of ['learner01', 'learner02', 'learner03'] as const) {
        attemptOf[who] = (await call('POST', `/api/v1/exams/${examId}/attempts`, s[who])).json().id;
      }
      for (const [i, type] of TYPES.entries()) await call('PUT', `/api/v1/attempts/${attemptOf.learner01}/answers/${ids[type]}`, s.learner01, { answer: SAMPLE_QUESTIONS[type].right, seq: i + 1 });
      await call('PUT', `/api/v1/attempts/${attemptOf.learner02}/answers/${ids.single}`, s.learner02, { answer: 'B', seq: 1 });
      await call('POST', `/api/v1/attempts/${attemptOf.learner01}/submit`, s.learner01);
      await call('PUT', `/api/v1/attempts/${attemptOf.learner01}/grades/${ids.short_answer}`, s.instructor, { score: 8 });
    });

    it('records proctoring events in capped batches and shows them with the attempt', async () => {
      const at = Date.now();
      const batch = await call('POST', `/api/v1/attempts/${attemptOf.learner02}/events`, s.learner02, {
        events: [
          { kind: 'tab_hidden', at, detail: '切到其他标签页' },
          { kind: 'paste', at: at + 1 },
        ],
      });
      expect(batch.json()).toEqual({ recorded: 2, total: 2, capped: false });
      expect((await call('POST', `/api/v1/attempts/${attemptOf.learner02}/events`, s.learner02, { events: [{ kind: 'keylogger', at }] })).statusCode).toBe(400);
      expect((await call('POST', `/api/v1/attempts/${attemptOf.learner02}/events`, s.learner01, { events: [{ kind: 'copy', at }] })).statusCode).toBe(404);
      const fifty = { events: Array.from({ length: 50 }, (_, i) => ({ kind: 'blur', at: at + 10 + i })) };
      let last = { recorded: 0, total: 0, capped: false };
      for (let i = 0; i < 20; i++) last = (await call('POST', `/api/v1/attempts/${attemptOf.learner02}/events`, s.learner02, fifty)).json();
      expect(last).toEqual({ recorded: 48, total: 1000, capped: true });

      const detail = attemptDetailSchema.parse((await call('GET', `/api/v1/exams/${examId}/attempts/${attemptOf.learner02}`, s.instructor)).json());
      expect(detail.events).toHaveLength(1000);
      expect(detail.events[0]).toEqual({ kind: 'tab_hidden', at, detail: '切到其他标签页' });
      expect(detail).toMatchObject({ status: 'in_progress', displayName: expect.any(String), departmentPath: '总部/销售部/华南区' });
      expect(detail.questions!.find((q) => q.questionId === ids.single)).toMatchObject({ answer: 'B', key: { correctOptions: ['A'] } });
    });

    it('lists attempts with filters; managers see only their subtree', async () => {
      const all = examAttemptPageSchema.parse((await call('GET', `/api/v1/exams/${examId}/attempts`, s.instructor)).json());
      expect(all.total).toBe(3);
      const l1 = all.items.find((i) => i.id === attemptOf.learner01)!;
      expect(l1).toMatchObject({ status: 'submitted', score: 16, maxScore: 18, passed: true, pendingCount: 0, departmentPath: '总部/销售部/华东区' });
      expect(all.items.find((i) => i.id === attemptOf.learner02)!.eventCount).toBe(1000);
      const q = (query: string, who = s.instructor) => call('GET', `/api/v1/exams/${examId}/attempts?${query}`, who).then((r) => examAttemptPageSchema.parse(r.json()).items.map((i) => i.id).sort());
      expect(await q('status=in_progress')).toEqual([attemptOf.learner02, attemptOf.learner03].sort());
      expect(await q('passed=true')).toEqual([attemptOf.learner01]);
      expect(await q(`q=${encodeURIComponent('learner03')}`)).toEqual([attemptOf.learner03]);
      const users = (await call('GET', '/api/v1/users?pageSize=200', s.admin)).json().items as { username: string; departmentId: string }[];
      const sales = users.find((u) => u.username === 'manager')!.departmentId;
      expect(await q(`departmentId=${sales}`)).toEqual([attemptOf.learner01, attemptOf.learner02].sort());

      expect(await q('', s.manager)).toEqual([attemptOf.learner01, attemptOf.learner02].sort());
      expect((await call('GET', `/api/v1/exams/${examId}/attempts/${attemptOf.learner03}`, s.manager)).statusCode).toBe(404);
      expect((await call('GET', `/api/v1/exams/${examId}/attempts/${attemptOf.learner01}`, s.manager)).statusCode).toBe(200);
    });

    it('shows who is taking the exam now', async () => {
      const live = liveViewSchema.parse((await call('GET', `/api/v1/exams/${examId}/live`, s.instructor)).json());
      expect(live.takers.map((x) => x.attemptId).sort()).toEqual([attemptOf.learner02, attemptOf.learner03].sort());
      const l2 = live.takers.find((x) => x.attemptId === attemptOf.learner02)!;
      expect(l2).toMatchObject({ answeredCount: 1, questionCount: 5, eventCount: 1000, departmentPath: '总部/销售部/华南区' });
      expect(l2.lastSavedAt).not.toBeNull();
      expect(l2.remainingMs).toBeGreaterThan(0);
      expect(live.takers.find((x) => x.attemptId === attemptOf.learner03)).toMatchObject({ answeredCount: 0, lastSavedAt: null });
      const managerLive = liveViewSchema.parse((await call('GET', `/api/v1/exams/${examId}/live`, s.manager)).json());
      expect(managerLive.takers.map((x) => x.attemptId)).toEqual([attemptOf.learner02]);
    });
  });
});
