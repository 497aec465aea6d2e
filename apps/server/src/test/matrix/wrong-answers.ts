import type { Entry } from './types.js';

/** Authorisation-matrix entries for the wrong-answer book (merged by authorization-matrix.int.test.ts). */
export const WRONG_ANSWERS_MATRIX: Record<string, Entry> = {
  'GET /api/v1/wrong-answers/health': { ok: () => ({ url: '/api/v1/wrong-answers/health' }) },
  'GET /api/v1/me/wrong-answers': { ok: () => ({ url: '/api/v1/me/wrong-answers?pageSize=5' }) },
  'GET /api/v1/me/wrong-answers/summary': { ok: () => ({ url: '/api/v1/me/wrong-answers/summary' }) },
  // Entries are private to their learner, so no one entry fits every role: an id that is nobody's
  // reaches the 404, which proves the route let the role in (a role without exams.take gets 403 first).
  'POST /api/v1/me/wrong-answers/:id/practice': {
    ok: () => ({ url: '/api/v1/me/wrong-answers/01900000-0000-7000-8000-000000000000/practice', payload: { answer: 'A' } }),
    okStatus: [404],
  },
};
