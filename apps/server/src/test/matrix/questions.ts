import type { Ctx, Entry } from './types.js';
import { unique } from './types.js';

interface Fixture {
  bankId: string;
  questionId: string;
  versionId: string;
}

/** A bank owned by the demo instructor (so both the owner and administrators may edit it) with one question. */
const fixtures = new WeakMap<Ctx['t'], Promise<Fixture>>();

function fixture(ctx: Ctx): Promise<Fixture> {
  let f = fixtures.get(ctx.t);
  if (!f) {
    f = (async () => {
      const as = (url: string, payload: unknown) => ctx.t.app.inject({ method: 'POST', url, headers: ctx.s.instructor.headers, payload: payload as object });
      const bank = await as('/api/v1/question-banks', { name: '矩阵题库' });
      const question = await as('/api/v1/questions', { bankId: bank.json().id, content: { type: 'true_false', stem: '个人信息受法律保护。', correct: true } });
      if (question.statusCode !== 201) throw new Error(`matrix question fixture: ${question.body}`);
      return { bankId: bank.json().id, questionId: question.json().id, versionId: question.json().currentVersionId };
    })();
    fixtures.set(ctx.t, f);
  }
  return f;
}

const gift = () => {
  const fd = new FormData();
  fd.append('file', new Blob(['::矩阵::个人信息处理者应当对其个人信息处理活动负责。{T}\n']), 'matrix.gift.txt');
  return fd;
};

/** Authorisation-matrix entries for the questions module's routes (merged by authorization-matrix.int.test.ts). */
export const QUESTIONS_MATRIX: Record<string, Entry> = {
  'GET /api/v1/questions/health': { ok: () => ({ url: '/api/v1/questions/health' }) },
  'GET /api/v1/question-banks': { ok: () => ({ url: '/api/v1/question-banks' }) },
  'POST /api/v1/question-banks': { ok: () => ({ url: '/api/v1/question-banks', payload: { name: `题库${unique()}` } }), okStatus: [201] },
  'PATCH /api/v1/question-banks/:id': {
    ok: async (ctx) => ({ url: `/api/v1/question-banks/${(await fixture(ctx)).bankId}`, payload: { description: `说明${unique()}` } }),
  },
  'GET /api/v1/questions': { ok: () => ({ url: '/api/v1/questions?type=true_false' }) },
  'POST /api/v1/questions': {
    ok: async (ctx) => ({ url: '/api/v1/questions', payload: { bankId: (await fixture(ctx)).bankId, content: { type: 'true_false', stem: `判断${unique()}`, correct: false } } }),
    okStatus: [201],
  },
  'GET /api/v1/questions/:id': { ok: async (ctx) => ({ url: `/api/v1/questions/${(await fixture(ctx)).questionId}` }) },
  'PATCH /api/v1/questions/:id': {
    ok: async (ctx) => ({ url: `/api/v1/questions/${(await fixture(ctx)).questionId}`, payload: { defaultPoints: 2 } }),
  },
  'GET /api/v1/questions/:id/versions/:versionId': {
    ok: async (ctx) => {
      const f = await fixture(ctx);
      return { url: `/api/v1/questions/${f.questionId}/versions/${f.versionId}` };
    },
  },
  'GET /api/v1/questions/import/template': { ok: () => ({ url: '/api/v1/questions/import/template' }) },
  'POST /api/v1/questions/import': {
    ok: async (ctx) => ({ url: `/api/v1/questions/import?format=gift&dryRun=true&bankId=${(await fixture(ctx)).bankId}`, payload: gift() }),
  },
  'GET /api/v1/questions/export': { ok: async (ctx) => ({ url: `/api/v1/questions/export?format=gift&bankId=${(await fixture(ctx)).bankId}` }) },
};
