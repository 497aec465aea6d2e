import { BUILTIN_BACKEND_ID } from '@kpl/shared';
import { unique, type Ctx, type Entry } from './types.js';

/** A fresh OpenAI-compatible backend (pointing nowhere: no route here calls it). */
async function newBackend({ t, s }: Ctx): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/ai/backends',
    headers: s.admin.headers,
    payload: { name: `矩阵后端${unique()}`, kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', apiKey: 'sk-matrix-000000000000' },
  });
  return res.json().id as string;
}

/** Authorisation-matrix entries for the ai module's routes (merged by authorization-matrix.int.test.ts). */
export const AI_MATRIX: Record<string, Entry> = {
  'GET /api/v1/ai/health': { ok: () => ({ url: '/api/v1/ai/health' }) },
  'GET /api/v1/ai/settings': { ok: () => ({ url: '/api/v1/ai/settings' }) },
  'PUT /api/v1/ai/settings': { ok: () => ({ url: '/api/v1/ai/settings', payload: { capabilities: { embed: { backendId: BUILTIN_BACKEND_ID, fallbackToBuiltin: false } } } }) },
  'GET /api/v1/ai/backends': { ok: () => ({ url: '/api/v1/ai/backends' }) },
  'POST /api/v1/ai/backends': {
    ok: () => ({ url: '/api/v1/ai/backends', payload: { name: `矩阵后端${unique()}`, kind: 'dify', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'app-matrix' } }),
    okStatus: [201],
  },
  'PATCH /api/v1/ai/backends/:id': { ok: async (ctx) => ({ url: `/api/v1/ai/backends/${await newBackend(ctx)}`, payload: { name: `改名${unique()}` } }) },
  'DELETE /api/v1/ai/backends/:id': { ok: async (ctx) => ({ url: `/api/v1/ai/backends/${await newBackend(ctx)}` }), okStatus: [204] },
  'POST /api/v1/ai/backends/:id/test': { ok: () => ({ url: `/api/v1/ai/backends/${BUILTIN_BACKEND_ID}/test` }) },
  'GET /api/v1/ai/usage': { ok: () => ({ url: '/api/v1/ai/usage' }) },
  // Answered by the builtin engine from the courses the caller may see, as an event stream.
  'POST /api/v1/ai/tutor': { ok: () => ({ url: '/api/v1/ai/tutor', payload: { question: '个人信息受什么保护？' } }) },
};
