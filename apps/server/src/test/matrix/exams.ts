import { examKit, SAMPLE_QUESTIONS, TYPES } from '../../modules/exams/exams.test-support.js';
import { login } from '../harness.js';
import { unique, type Ctx, type Entry } from './types.js';

/**
 * Authorisation-matrix entries for the exams module's routes (merged by authorization-matrix.int.test.ts).
 * Attempts belong to one person: for the owner-only attempt routes the request is aimed at the demo
 * learner's attempt, so the learner gets 200 and the other roles, once past the permission check,
 * meet the owner rule (404) — the route itself is reached by every role holding `exams.take`.
 */
interface Fixture {
  kit: ReturnType<typeof examKit>;
  ids: Record<string, string>;
  paperId: string;
  /** Published, open, every session user in its audience, many attempts allowed. */
  openExamId: string;
  /** The demo learner's running attempt of openExamId. */
  runningAttemptId: string;
  /** The demo learner's submitted attempt (exam owned by the instructor). */
  submittedAttemptId: string;
  submittedExamId: string;
  /** Question ids of submittedExamId's paper. */
  submittedIds: Record<string, string>;
  /** learner04's attempt (outside the manager's subtree) of submittedExamId. */
  outsideAttemptId: string;
}

const fixtures = new WeakMap<Ctx['t'], Promise<Fixture>>();

function fixture(ctx: Ctx): Promise<Fixture> {
  let f = fixtures.get(ctx.t);
  if (!f) {
    f = build(ctx);
    fixtures.set(ctx.t, f);
  }
  return f;
}

async function build(ctx: Ctx): Promise<Fixture> {
  const { s, t } = ctx;
  const kit = examKit(t, s.instructor);
  const outsider = await login(t, 'learner04', 'Demo@12345');
  const everyone = [s.admin.userId, s.manager.userId, s.instructor.userId, s.learner.userId];
  const open = await kit.openExam(everyone, { attemptsAllowed: 20 });
  const take = (who: typeof s.learner, examId: string) => kit.call('POST', `/api/v1/exams/${examId}/attempts`, who).then((r) => r.json().id as string);
  const runningAttemptId = await take(s.learner, open.examId);
  const graded = await kit.openExam([s.learner.userId, outsider.userId], { settings: { showAnswers: 'after_submit', reviewAllowed: true, shuffleQuestions: false, shuffleOptions: false, multiplePolicy: 'all_or_nothing' } });
  const submittedAttemptId = await take(s.learner, graded.examId);
  for (const [i, type] of TYPES.entries()) {
    await kit.call('PUT', `/api/v1/attempts/${submittedAttemptId}/answers/${graded.ids[type]}`, s.learner, { answer: SAMPLE_QUESTIONS[type].right, seq: i + 1 });
  }
  await kit.call('POST', `/api/v1/attempts/${submittedAttemptId}/submit`, s.learner);
  const outsideAttemptId = await take(outsider, graded.examId);
  return { kit, ids: open.ids, paperId: open.paperId, openExamId: open.examId, runningAttemptId, submittedAttemptId, submittedExamId: graded.examId, submittedIds: graded.ids, outsideAttemptId };
}

const examBody = (paperId: string, userIds: string[]) => ({
  title: `矩阵考试${unique()}`,
  paperId,
  opensAt: Date.now() - 60_000,
  closesAt: Date.now() + 3_600_000,
  durationMinutes: 30,
  audience: { userIds, departmentIds: [] },
});

async function draftExam(ctx: Ctx): Promise<string> {
  const f = await fixture(ctx);
  return f.kit.exam(f.paperId, { audience: { userIds: [ctx.s.learner.userId], departmentIds: [] } });
}

export const EXAMS_MATRIX: Record<string, Entry> = {
  'GET /api/v1/exams/health': { ok: () => ({ url: '/api/v1/exams/health' }) },
  'GET /api/v1/papers': { ok: () => ({ url: '/api/v1/papers' }) },
  'POST /api/v1/papers': {
    ok: async (ctx) => {
      const f = await fixture(ctx);
      return { url: '/api/v1/papers', payload: { mode: 'fixed', title: `矩阵试卷${unique()}`, items: [{ questionId: f.ids.single }] } };
    },
    okStatus: [201],
  },
  'POST /api/v1/papers/check': { ok: () => ({ url: '/api/v1/papers/check', payload: { rules: [{ types: ['single'], count: 1, pointsEach: 2 }] } }) },
  'GET /api/v1/papers/:id': { ok: async (ctx) => ({ url: `/api/v1/papers/${(await fixture(ctx)).paperId}` }) },
  'PATCH /api/v1/papers/:id': { ok: async (ctx) => ({ url: `/api/v1/papers/${(await fixture(ctx)).paperId}`, payload: { description: `说明${unique()}` } }) },
  'GET /api/v1/exams': { ok: () => ({ url: '/api/v1/exams' }) },
  'POST /api/v1/exams': {
    ok: async (ctx) => ({ url: '/api/v1/exams', payload: examBody((await fixture(ctx)).paperId, [ctx.s.learner.userId]) }),
    okStatus: [201],
  },
  'GET /api/v1/exams/:id': { ok: async (ctx) => ({ url: `/api/v1/exams/${(await fixture(ctx)).openExamId}` }) },
  'PATCH /api/v1/exams/:id': { ok: async (ctx) => ({ url: `/api/v1/exams/${(await fixture(ctx)).openExamId}`, payload: { description: `说明${unique()}` } }) },
  'POST /api/v1/exams/:id/publish': { ok: async (ctx) => ({ url: `/api/v1/exams/${await draftExam(ctx)}/publish` }) },
  'POST /api/v1/exams/:id/close': {
    ok: async (ctx) => {
      const examId = await draftExam(ctx);
      await (await fixture(ctx)).kit.publish(examId);
      return { url: `/api/v1/exams/${examId}/close` };
    },
  },
  'GET /api/v1/exams/:id/attempts': { ok: async (ctx) => ({ url: `/api/v1/exams/${(await fixture(ctx)).submittedExamId}/attempts` }) },
  'GET /api/v1/exams/:id/attempts/:attemptId': {
    ok: async (ctx) => {
      const f = await fixture(ctx);
      return { url: `/api/v1/exams/${f.submittedExamId}/attempts/${f.submittedAttemptId}` };
    },
    outsideManagerScope: async (ctx) => {
      const f = await fixture(ctx);
      return { url: `/api/v1/exams/${f.submittedExamId}/attempts/${f.outsideAttemptId}` };
    },
  },
  'GET /api/v1/exams/:id/results/export': { ok: async (ctx) => ({ url: `/api/v1/exams/${(await fixture(ctx)).submittedExamId}/results/export` }) },
  'POST /api/v1/exams/:id/regrade': { ok: async (ctx) => ({ url: `/api/v1/exams/${(await fixture(ctx)).submittedExamId}/regrade` }) },
  'GET /api/v1/exams/:id/regrade/:jobId': {
    ok: async (ctx) => {
      const f = await fixture(ctx);
      // A queued re-grade (exams with many attempts get one); its state is readable while queued or once done.
      const { s, t } = ctx;
      const jobId = await t.container.queue.enqueue('exams.regrade', { examId: f.submittedExamId, actor: { id: s.admin.userId, displayName: '管理员', ip: null, requestId: null } });
      return { url: `/api/v1/exams/${f.submittedExamId}/regrade/${jobId}` };
    },
  },
  'GET /api/v1/exams/:id/live': { ok: async (ctx) => ({ url: `/api/v1/exams/${(await fixture(ctx)).openExamId}/live` }) },
  'GET /api/v1/me/exams': { ok: () => ({ url: '/api/v1/me/exams' }) },
  'POST /api/v1/exams/:id/attempts': { ok: async (ctx) => ({ url: `/api/v1/exams/${(await fixture(ctx)).openExamId}/attempts` }), okStatus: [200, 201] },
  'GET /api/v1/attempts/:id': { ok: async (ctx) => ({ url: `/api/v1/attempts/${(await fixture(ctx)).runningAttemptId}` }), okStatus: [200, 404] },
  'PUT /api/v1/attempts/:id/answers/:questionId': {
    ok: async (ctx) => {
      const f = await fixture(ctx);
      return { url: `/api/v1/attempts/${f.runningAttemptId}/answers/${f.ids.single}`, payload: { answer: 'A', seq: Date.now() } };
    },
    okStatus: [200, 404],
  },
  'POST /api/v1/attempts/:id/submit': { ok: async (ctx) => ({ url: `/api/v1/attempts/${(await fixture(ctx)).submittedAttemptId}/submit` }), okStatus: [200, 404] },
  'POST /api/v1/attempts/:id/events': {
    ok: async (ctx) => ({ url: `/api/v1/attempts/${(await fixture(ctx)).runningAttemptId}/events`, payload: { events: [{ kind: 'tab_hidden', at: Date.now() }] } }),
    okStatus: [200, 404],
  },
  'GET /api/v1/attempts/:id/result': { ok: async (ctx) => ({ url: `/api/v1/attempts/${(await fixture(ctx)).submittedAttemptId}/result` }), okStatus: [200, 404] },
  'GET /api/v1/grading/queue': { ok: () => ({ url: '/api/v1/grading/queue' }) },
  'PUT /api/v1/attempts/:id/grades/:questionId': {
    ok: async (ctx) => {
      const f = await fixture(ctx);
      return { url: `/api/v1/attempts/${f.submittedAttemptId}/grades/${f.submittedIds.single}`, payload: { score: 1, comment: '矩阵' } };
    },
  },
};
