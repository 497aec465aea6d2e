import type { Ctx, Entry } from './types.js';

interface Fixture {
  bankId: string;
  jobId: string;
  /** Edited by the PATCH entry (stays pending). */
  candidateId: string;
  /** Rejected by the decisions entry (a second job's). */
  rejectId: string;
}

/**
 * A bank owned by the demo instructor and one finished generation job of the instructor's on the
 * matrix course (so both the instructor and administrators may see and review it).
 */
const fixtures = new WeakMap<Ctx['t'], Promise<Fixture>>();

function fixture(ctx: Ctx): Promise<Fixture> {
  let f = fixtures.get(ctx.t);
  if (!f) {
    f = (async () => {
      const inject = (method: 'GET' | 'POST', url: string, payload?: unknown) => ctx.t.app.inject({ method, url, headers: ctx.s.instructor.headers, payload: payload as object });
      const bankId = (await inject('POST', '/api/v1/question-banks', { name: '矩阵生成题库' })).json().id as string;
      const finishedJob = async () => {
        const job = await inject('POST', '/api/v1/ai/generation-jobs', { courseId: ctx.courseId, types: ['true_false'], count: 1, bankId });
        if (job.statusCode !== 202) throw new Error(`matrix generation fixture: ${job.body}`);
        const jobId = job.json().id as string;
        for (let i = 0; i < 200; i++) {
          const status = (await inject('GET', `/api/v1/ai/generation-jobs/${jobId}`)).json().status;
          if (status === 'completed' || status === 'failed') break;
          await new Promise((r) => setTimeout(r, 50));
        }
        const queue = await inject('GET', `/api/v1/ai/review-queue?jobId=${jobId}`);
        const candidateId = queue.json().items[0]?.id as string | undefined;
        if (!candidateId) throw new Error(`matrix generation fixture: no candidate (${queue.body})`);
        return { jobId, candidateId };
      };
      const edited = await finishedJob();
      const rejected = await finishedJob();
      return { bankId, jobId: edited.jobId, candidateId: edited.candidateId, rejectId: rejected.candidateId };
    })();
    fixtures.set(ctx.t, f);
  }
  return f;
}

/** Authorisation-matrix entries for the generation module's routes (merged by authorization-matrix.int.test.ts). */
export const GENERATION_MATRIX: Record<string, Entry> = {
  'GET /api/v1/generation/health': { ok: () => ({ url: '/api/v1/generation/health' }) },
  'POST /api/v1/ai/generation-jobs': {
    ok: async (ctx) => ({ url: '/api/v1/ai/generation-jobs', payload: { materialIds: [ctx.materialId], types: ['fill_blank', 'true_false'], count: 2, bankId: (await fixture(ctx)).bankId } }),
    okStatus: [202],
  },
  'GET /api/v1/ai/generation-jobs': { ok: () => ({ url: '/api/v1/ai/generation-jobs' }) },
  'GET /api/v1/ai/generation-jobs/:id': { ok: async (ctx) => ({ url: `/api/v1/ai/generation-jobs/${(await fixture(ctx)).jobId}` }) },
  'GET /api/v1/ai/review-queue': { ok: () => ({ url: '/api/v1/ai/review-queue?status=pending' }) },
  'PATCH /api/v1/ai/review-queue/:id': {
    ok: async (ctx) => ({
      url: `/api/v1/ai/review-queue/${(await fixture(ctx)).candidateId}`,
      payload: { content: { type: 'true_false', stem: '处理个人信息应当遵循合法原则。', correct: true } },
    }),
  },
  'POST /api/v1/ai/review-queue/decisions': {
    // Rejecting an already rejected candidate answers 200 with it skipped: the route was reached either way.
    ok: async (ctx) => ({ url: '/api/v1/ai/review-queue/decisions', payload: { ids: [(await fixture(ctx)).rejectId], decision: 'reject' } }),
  },
};
