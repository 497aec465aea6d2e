import { attemptResultSchema, attemptSchema, paperRuleSchema, type AnswerValue, type AttemptView, type PaperRule } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, isolatedEnv, seedAndLogin, type Session, type TestApp, type TestEnv } from '../../test/harness.js';
import { optionOrderFor, orderQuestions, pickForRules, ruleFilter } from './attempt-plan.js';
import { bootOn, examKit, SAMPLE_QUESTIONS, TYPES } from './exams.test-support.js';

const GRACE_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Full marks of the sample set except the short answer (waiting for a person): 2 + 3 + 1 + 2. */
const OBJECTIVE_FULL = 8;

describe(`attempts never lose an answer (${backend})`, () => {
  let t: TestApp;
  let s: Record<'admin' | 'instructor' | 'manager' | 'learner01' | 'learner02' | 'learner03' | 'learner04', Session>;
  let kit: ReturnType<typeof examKit>;

  const start = (who: Session, examId: string) => kit.call('POST', `/api/v1/exams/${examId}/attempts`, who);
  const save = (who: Session, attemptId: string, questionId: string, answer: AnswerValue, seq: number, flagged?: boolean) =>
    kit.call('PUT', `/api/v1/attempts/${attemptId}/answers/${questionId}`, who, { answer, seq, ...(flagged !== undefined && { flagged }) });
  const submit = (who: Session, attemptId: string) => kit.call('POST', `/api/v1/attempts/${attemptId}/submit`, who);
  const resume = async (who: Session, attemptId: string) => attemptSchema.parse((await kit.call('GET', `/api/v1/attempts/${attemptId}`, who)).json());
  const answerOf = (view: AttemptView, questionId: string) => view.answers.find((a) => a.questionId === questionId)!;

  beforeAll(async () => {
    t = await createTestApp({ EXAM_GRACE_MS: String(GRACE_MS) });
    s = await seedAndLogin(t, ['admin', 'instructor', 'manager', 'learner01', 'learner02', 'learner03', 'learner04']);
    kit = examKit(t, s.instructor);
  });
  afterAll(() => t.close());

  it('starting twice — also as a burst of concurrent double-clicks — returns one attempt', async () => {
    const { examId } = await kit.openExam([s.learner01.userId]);
    const burst = await Promise.all(Array.from({ length: 6 }, () => start(s.learner01, examId)));
    expect(burst.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    const ids = new Set(burst.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    const again = await start(s.learner01, examId);
    expect(again.statusCode).toBe(200);
    const view = attemptSchema.parse(again.json());
    expect(view.id).toBe([...ids][0]);
    expect(view.questions).toHaveLength(5);
    expect(view.answers.every((a) => a.seq === 0 && a.answer === null)).toBe(true);
    // deadline = min(start + duration, window close); the countdown is by the server's clock.
    expect(view.deadline - view.startedAt).toBe(30 * 60_000);
    expect(view.remainingMs).toBeGreaterThan(29 * 60_000);
    expect(Math.abs(view.serverTime - Date.now())).toBeLessThan(5000);
    // Learners never see keys in the attempt.
    expect(again.body).not.toContain('correct');
    expect(again.body).not.toContain('referenceAnswer');
  });

  it('keeps the highest seq: duplicate and out-of-order saves are harmless', async () => {
    const { examId, ids } = await kit.openExam([s.learner02.userId]);
    const attemptId = (await start(s.learner02, examId)).json().id as string;
    const q = ids.single;
    const first = await save(s.learner02, attemptId, q, 'C', 3);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ seq: 3, stale: false });
    const late = await save(s.learner02, attemptId, q, 'B', 1);
    expect(late.statusCode).toBe(200);
    expect(late.json()).toMatchObject({ seq: 3, stale: true, savedAt: first.json().savedAt });
    const duplicate = await save(s.learner02, attemptId, q, 'C', 3);
    expect(duplicate.json()).toMatchObject({ seq: 3, stale: false });
    expect((await save(s.learner02, attemptId, q, 'A', 7, true)).json()).toMatchObject({ seq: 7, stale: false });
    const view = await resume(s.learner02, attemptId);
    expect(answerOf(view, q)).toMatchObject({ answer: 'A', seq: 7, flagged: true });
    // A later save without `flagged` keeps the flag.
    await save(s.learner02, attemptId, q, 'A', 8);
    expect(answerOf(await resume(s.learner02, attemptId), q)).toMatchObject({ seq: 8, flagged: true });
  });

  it('keeps the highest seq when saves for one question arrive concurrently in any order', async () => {
    const { examId, ids } = await kit.openExam([s.learner03.userId]);
    const attemptId = (await start(s.learner03, examId)).json().id as string;
    const seqs = Array.from({ length: 40 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
    const answers = (seq: number) => [`答案${seq}`];
    const results = await Promise.all(seqs.map((seq) => save(s.learner03, attemptId, ids.fill_blank, answers(seq), seq)));
    results.forEach((r, i) => {
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().seq).toBeGreaterThanOrEqual(seqs[i]!);
    });
    expect(answerOf(await resume(s.learner03, attemptId), ids.fill_blank)).toMatchObject({ seq: 40, answer: answers(40) });
  });

  it('checks each answer against the pinned question version', async () => {
    const { examId, ids } = await kit.openExam([s.learner04.userId]);
    const attemptId = (await start(s.learner04, examId)).json().id as string;
    const bad = [
      [ids.single, 'Z'],
      [ids.single, ['A']],
      [ids.multiple, ['A', 'A']],
      [ids.true_false, 'true'],
      [ids.fill_blank, ['1', '2', '3']],
      [ids.short_answer, 42],
    ] as const;
    for (const [q, answer] of bad) {
      const res = await save(s.learner04, attemptId, q, answer as AnswerValue, 1);
      expect(res.statusCode, `${String(answer)}: ${res.body}`).toBe(400);
      // A number is no answer value at all (schema validation); the rest do not fit the question.
      expect(res.json().error.code).toBe(answer === 42 ? 'ERR-COMMON-0001' : 'ERR-EXAM-0009');
    }
    const unknown = await save(s.learner04, attemptId, '00000000-0000-7000-8000-000000000000', 'A', 1);
    expect(unknown.statusCode).toBe(404);
    // Null clears an answer; nothing above was stored.
    expect((await save(s.learner04, attemptId, ids.single, null, 2)).statusCode).toBe(200);
    expect(answerOf(await resume(s.learner04, attemptId), ids.multiple).seq).toBe(0);
    // Someone else's attempt does not exist for them.
    expect((await save(s.learner01, attemptId, ids.single, 'A', 9)).statusCode).toBe(404);
    expect((await kit.call('GET', `/api/v1/attempts/${attemptId}`, s.learner01)).statusCode).toBe(404);
    expect((await submit(s.learner01, attemptId)).statusCode).toBe(404);
  });

  it('double submit — also concurrent — grades once and returns the same result', async () => {
    const learner = s.learner01;
    const { examId, ids } = await kit.openExam([learner.userId], { settings: { showAnswers: 'after_submit', reviewAllowed: true, shuffleQuestions: false, shuffleOptions: false, multiplePolicy: 'all_or_nothing' } });
    const attemptId = (await start(learner, examId)).json().id as string;
    for (const [i, type] of TYPES.entries()) expect((await save(learner, attemptId, ids[type], SAMPLE_QUESTIONS[type].right, i + 1)).statusCode).toBe(200);
    const submitted: string[] = [];
    const off = t.container.events.subscribe('exams.attempt-submitted', (e) => {
      if (e.payload.attemptId === attemptId) submitted.push(e.payload.reason);
    });
    const results = await Promise.all([submit(learner, attemptId), submit(learner, attemptId), submit(learner, attemptId)]);
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const bodies = results.map((r) => attemptResultSchema.parse(r.json()));
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({ status: 'submitted', submitReason: 'manual', score: OBJECTIVE_FULL, maxScore: 18, pendingCount: 1, passed: null });
    const again = attemptResultSchema.parse((await submit(learner, attemptId)).json());
    expect(again).toEqual(bodies[0]);
    await sleep(50);
    off();
    expect(submitted).toEqual(['manual']);
    const grades = await t.container.database.db.selectFrom('attempt_grades').selectAll().where('attempt_id', '=', attemptId).execute();
    expect(grades).toHaveLength(5);

    // After submit: a new save is refused; a retry of a save that was stored is still fine.
    const late = await save(learner, attemptId, ids.single, 'B', 99);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('ERR-EXAM-0007');
    expect((await save(learner, attemptId, ids.single, 'A', 1)).json()).toMatchObject({ seq: 1, stale: false });
    expect((await resume(learner, attemptId)).status).toBe('submitted');
  });

  it('saves racing a submit: every acknowledged save is graded, the rest are refused', async () => {
    const learner = s.learner03;
    const { examId, ids } = await kit.openExam([learner.userId], { attemptsAllowed: 10, settings: { showAnswers: 'after_submit', reviewAllowed: true, shuffleQuestions: false, shuffleOptions: false, multiplePolicy: 'all_or_nothing' } });
    let refused = 0;
    // At least three rounds, more until the submit has landed in the middle of a burst at least once.
    for (let round = 0; round < 3 || (refused === 0 && round < 10); round++) {
      const attemptId = (await start(learner, examId)).json().id as string;
      // Even seqs carry the right answer, odd ones a wrong one; a submit lands in the middle of the burst.
      const saves = TYPES.flatMap((type) => Array.from({ length: 8 }, (_, k) => ({ type, seq: k + 1 }))).sort(() => Math.random() - 0.5);
      const send = (x: { type: (typeof TYPES)[number]; seq: number }) =>
        save(learner, attemptId, ids[x.type], SAMPLE_QUESTIONS[x.type][x.seq % 2 === 0 ? 'right' : 'wrong'], x.seq).then((r) => ({ ...x, r }));
      const sent: ReturnType<typeof send>[] = [];
      let submitting: ReturnType<typeof submit> | null = null;
      for (const [i, x] of saves.entries()) {
        if (i === saves.length / 2) submitting = submit(learner, attemptId);
        sent.push(send(x));
        await sleep(Math.random() * 2);
      }
      const submitted = await submitting!;
      const results = await Promise.all(sent);
      refused += results.filter((x) => x.r.statusCode === 409).length;
      expect(submitted.statusCode, submitted.body).toBe(200);
      const result = attemptResultSchema.parse((await kit.call('GET', `/api/v1/attempts/${attemptId}/result`, learner)).json());
      const view = await resume(learner, attemptId);
      for (const x of results) {
        expect([200, 409], x.r.body).toContain(x.r.statusCode);
        if (x.r.statusCode === 200) expect(answerOf(view, ids[x.type]).seq).toBeGreaterThanOrEqual(x.seq);
        else expect(x.r.json().error.code).toBe('ERR-EXAM-0007');
      }
      // What was graded is exactly what is stored.
      for (const type of TYPES) {
        const q = result.questions!.find((r) => r.questionId === ids[type])!;
        const stored = answerOf(view, ids[type]);
        expect(q.answer).toEqual(stored.answer);
        if (type !== 'short_answer') expect(q.correct, type).toBe(stored.seq > 0 && stored.seq % 2 === 0);
      }
    }
    // The submit really landed in the middle of the saves.
    expect(refused).toBeGreaterThan(0);
  });

  it('refuses saves after deadline + grace; reading the attempt then submits it with its answers', async () => {
    const learner = s.learner02;
    const { examId, ids } = await kit.openExam([learner.userId], { closesAt: Date.now() + 1500 });
    const view = attemptSchema.parse((await start(learner, examId)).json());
    expect(view.deadline).toBeLessThanOrEqual(Date.now() + 1500);
    expect((await save(learner, view.id, ids.true_false, true, 1)).statusCode).toBe(200);
    await sleep(Math.max(0, view.deadline - Date.now()) + 100);
    // Within the grace period a save still lands (network lag at the last second).
    const inGrace = await save(learner, view.id, ids.single, 'A', 2);
    expect(inGrace.statusCode, inGrace.body).toBe(200);
    await sleep(Math.max(0, view.deadline + GRACE_MS - Date.now()) + 100);
    const late = await save(learner, view.id, ids.single, 'B', 3);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('ERR-EXAM-0006');
    const after = await resume(learner, view.id);
    expect(after).toMatchObject({ status: 'submitted', submitReason: 'timeout', remainingMs: 0 });
    const result = attemptResultSchema.parse((await kit.call('GET', `/api/v1/attempts/${view.id}/result`, learner)).json());
    expect(result.score).toBe(SAMPLE_QUESTIONS.true_false.points + SAMPLE_QUESTIONS.single.points);
    // The window has closed: no new attempt.
    const again = await start(learner, examId);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ERR-EXAM-0004');
  });

  it('enforces attempts allowed, the window and the audience (subtrees included)', async () => {
    const { examId } = await kit.openExam([s.learner03.userId]);
    const first = (await start(s.learner03, examId)).json().id as string;
    expect((await submit(s.learner03, first)).statusCode).toBe(200);
    const exhausted = await start(s.learner03, examId);
    expect(exhausted.statusCode).toBe(409);
    expect(exhausted.json().error.code).toBe('ERR-EXAM-0005');

    const twice = await kit.openExam([s.learner03.userId], { attemptsAllowed: 2 });
    const a1 = (await start(s.learner03, twice.examId)).json().id as string;
    await submit(s.learner03, a1);
    const second = await start(s.learner03, twice.examId);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ attemptNo: 2 });
    expect(second.json().id).not.toBe(a1);

    const later = await kit.openExam([s.learner03.userId], { opensAt: Date.now() + 3_600_000, closesAt: Date.now() + 7_200_000 });
    const early = await start(s.learner03, later.examId);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('ERR-EXAM-0004');
    const mine = (await kit.call('GET', '/api/v1/me/exams', s.learner03)).json();
    expect(mine.upcoming.map((e: { id: string }) => e.id)).toContain(later.examId);
    expect(mine.done.map((e: { id: string }) => e.id)).toContain(examId);
    expect(mine.available.map((e: { id: string }) => e.id)).not.toContain(examId);

    // Outsiders get "not found", and do not see the exam in their list.
    const outside = await start(s.learner04, examId);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.code).toBe('ERR-EXAM-0001');
    expect(JSON.stringify((await kit.call('GET', '/api/v1/me/exams', s.learner04)).json())).not.toContain(examId);

    // A department audience covers its whole subtree: 销售部 → learner01 (华东区), not learner03 (客户服务部).
    const users = (await kit.call('GET', '/api/v1/users?pageSize=200', s.admin)).json().items as { username: string; departmentPath: string; departmentId: string }[];
    const sales = users.find((u) => u.username === 'manager')!.departmentId;
    const byDept = await kit.openExam([], { audience: { departmentIds: [sales], userIds: [] } });
    expect((await start(s.learner01, byDept.examId)).statusCode).toBe(201);
    expect((await start(s.learner03, byDept.examId)).statusCode).toBe(404);
    // A draft is invisible to takers even when they are in its audience.
    const set = await kit.sampleSet();
    const draft = await kit.exam(await kit.fixedPaper([set.ids.single]), { audience: { userIds: [s.learner01.userId], departmentIds: [] } });
    expect((await start(s.learner01, draft)).statusCode).toBe(404);
  });

  it('shuffles reproducibly from the stored seed: the same order on every resume', async () => {
    const set = await kit.sampleSet();
    const more = [];
    for (let i = 0; i < 6; i++) more.push(await kit.question(set.bankId, { ...SAMPLE_QUESTIONS.single.content, stem: `第${i}题：个人信息处理者应当如何？` } as typeof SAMPLE_QUESTIONS.single.content));
    const paper = await kit.call('POST', '/api/v1/papers', s.instructor, {
      mode: 'random',
      title: '随机卷',
      rules: [
        { bankIds: [set.bankId], types: ['single'], count: 5, pointsEach: 2 },
        { bankIds: [set.bankId], count: 2, pointsEach: 4 },
      ],
    });
    expect(paper.statusCode, paper.body).toBe(201);
    const examId = await kit.exam(paper.json().id, {
      audience: { userIds: [s.learner04.userId], departmentIds: [] },
      settings: { shuffleQuestions: true, shuffleOptions: true, showAnswers: 'never', reviewAllowed: false, multiplePolicy: 'partial' },
    });
    await kit.publish(examId);
    const started = attemptSchema.parse((await start(s.learner04, examId)).json());
    expect(started.questions).toHaveLength(7);
    expect(new Set(started.questions.map((q) => q.questionId)).size).toBe(7);
    expect(started.questions.filter((q) => q.points === 2).every((q) => q.type === 'single')).toBe(true);
    const shape = (v: AttemptView) => v.questions.map((q) => [q.questionId, q.options?.map((o) => o.key).join('')]);
    expect(shape(await resume(s.learner04, started.id))).toEqual(shape(started));
    expect(shape(attemptSchema.parse((await start(s.learner04, examId)).json()))).toEqual(shape(started));

    // The questions, their order and each option order are exactly what the stored seed gives.
    const row = await t.container.database.db.selectFrom('attempts').select('seed').where('id', '=', started.id).executeTakeFirstOrThrow();
    const rules = (await kit.call('GET', `/api/v1/papers/${paper.json().id}`, s.instructor)).json().rules.map((r: unknown) => paperRuleSchema.parse(r));
    const candidates = await Promise.all(rules.map((r: PaperRule) => t.container.questions.catalog.listCurrent(ruleFilter(r))));
    const planned = orderQuestions(row.seed, pickForRules(row.seed, rules, candidates)!, true);
    expect(started.questions.map((q) => q.questionId)).toEqual(planned.map((q) => q.questionId));
    const versions = await t.container.questions.catalog.getVersions(started.questions.map((q) => q.versionId));
    for (const q of started.questions) {
      expect(q.options?.map((o) => o.key) ?? null).toEqual(optionOrderFor(row.seed, q.questionId, versions.get(q.versionId)!.content, true));
    }
  });
});

describe(`attempts across restarts and workers (${backend})`, () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await isolatedEnv({ EXAM_GRACE_MS: String(GRACE_MS) });
  });
  afterAll(() => env.cleanup());

  const boot = () => bootOn(env);

  it('loses nothing across a restart between save and submit, and the sweep submits attempts that were overdue while the server was down', async () => {
    let p = await boot();
    const s = await seedAndLogin(p, ['instructor', 'learner01', 'learner02']);
    let kit = examKit(p, s.instructor);
    const one = await kit.openExam([s.learner01.userId, s.learner02.userId]);
    const a1 = await kit.start(s.learner01, one.examId);
    const a2 = await kit.start(s.learner02, one.examId);
    await kit.answerAll(s.learner01, a1, one.ids);
    await kit.answerAll(s.learner02, a2, one.ids);
    await p.close();

    // Restart: the saved answers are all there, and submit grades them.
    p = await boot();
    kit = examKit(p, s.instructor);
    const resumed = attemptSchema.parse((await kit.call('GET', `/api/v1/attempts/${a1}`, s.learner01)).json());
    expect(resumed.answers.map((a) => a.seq)).toEqual([1, 2, 3, 4, 5]);
    const result = attemptResultSchema.parse((await kit.call('POST', `/api/v1/attempts/${a1}/submit`, s.learner01)).json());
    expect(result).toMatchObject({ score: OBJECTIVE_FULL, pendingCount: 1, submitReason: 'manual' });

    // Down at the deadline: move a2's deadline into the past while no process runs.
    await p.close();
    const db = await boot();
    await db.container.database.db.updateTable('attempts').set({ deadline_at: Date.now() - 10 * 60_000 }).where('id', '=', a2).execute();
    await db.close();

    // Two workers come up and sweep at the same time: the attempt is submitted exactly once.
    const w1 = await boot();
    const w2 = await boot();
    const submitted: string[] = [];
    for (const w of [w1, w2]) w.container.events.subscribe('exams.attempt-submitted', (e) => void submitted.push(e.payload.attemptId));
    const swept = await Promise.all([w1.container.exams.sweepOverdue(), w2.container.exams.sweepOverdue()]);
    expect(swept[0] + swept[1]).toBe(1);
    expect(await w1.container.exams.sweepOverdue()).toBe(0);
    const row = await w1.container.database.db.selectFrom('attempts').selectAll().where('id', '=', a2).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'submitted', submit_reason: 'timeout', pending_count: 1 });
    expect(Number(row.score)).toBe(OBJECTIVE_FULL);
    const grades = await w1.container.database.db.selectFrom('attempt_grades').select('question_id').where('attempt_id', '=', a2).execute();
    expect(grades).toHaveLength(5);
    const viaApi = attemptResultSchema.parse((await examKit(w1, s.instructor).call('GET', `/api/v1/attempts/${a2}/result`, s.learner02)).json());
    expect(viaApi.score).toBe(OBJECTIVE_FULL);
    await sleep(50);
    expect(submitted.filter((id) => id === a2).length).toBeGreaterThanOrEqual(1);
    await w1.close();
    await w2.close();
  }, 60_000);
});
