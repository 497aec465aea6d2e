import { ROLE_PERMISSIONS, ROLES, type Role } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAndLogin, type Session } from './harness.js';
import { AI_MATRIX } from './matrix/ai.js';
import { EXAMS_MATRIX } from './matrix/exams.js';
import { GENERATION_MATRIX } from './matrix/generation.js';
import { QUESTIONS_MATRIX } from './matrix/questions.js';
import { WRONG_ANSWERS_MATRIX } from './matrix/wrong-answers.js';
import { unique, type Ctx, type Entry, type Req } from './matrix/types.js';

/**
 * Walks Fastify's route table: every /api route must have an entry here. For each protected route:
 * anonymous → 401, a role without the permission → 403, each role with it → success, and a manager
 * reaching outside their department subtree → 403/404.
 */
const CORE_MATRIX: Record<string, Entry> = {
  'GET /api/v1/system/dependencies': { ok: () => ({ url: '/api/v1/system/dependencies' }) },
  'GET /api/v1/system/health': { ok: () => ({ url: '/api/v1/system/health' }) },
  'GET /api/v1/audit/health': { ok: () => ({ url: '/api/v1/audit/health' }) },
  'GET /api/v1/identity/health': { ok: () => ({ url: '/api/v1/identity/health' }) },
  'GET /api/v1/courses/health': { ok: () => ({ url: '/api/v1/courses/health' }) },
  'POST /api/v1/auth/login': { ok: () => ({ url: '/api/v1/auth/login', payload: { username: 'learner10', password: 'Demo@12345' } }) },
  'POST /api/v1/auth/refresh': {
    ok: async ({ t }) => {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'learner11', password: 'Demo@12345' } });
      return { url: '/api/v1/auth/refresh', payload: { refreshToken: r.json().refreshToken } };
    },
  },
  'POST /api/v1/auth/register': { ok: () => ({ url: '/api/v1/auth/register', payload: { username: 'walk-in', password: 'Walkin123', displayName: '访客' } }), okStatus: [403] },
  'GET /api/v1/auth/settings': { ok: () => ({ url: '/api/v1/auth/settings' }) },
  'PUT /api/v1/auth/settings': {
    ok: () => ({
      url: '/api/v1/auth/settings',
      payload: { registrationEnabled: false, passwordPolicy: { minLength: 8, requireLetter: true, requireDigit: true, requireSymbol: false } },
    }),
  },
  'GET /api/v1/auth/me': { ok: () => ({ url: '/api/v1/auth/me' }) },
  'POST /api/v1/auth/password': {
    // Wrong current password: proves the route was reached without changing anyone's password.
    ok: () => ({ url: '/api/v1/auth/password', payload: { currentPassword: 'not-it', newPassword: 'Another123' } }),
    okStatus: [400],
  },
  'POST /api/v1/auth/logout': { ok: () => ({ url: '/api/v1/auth/logout', payload: {} }), okStatus: [204] },
  'GET /api/v1/users': { ok: () => ({ url: '/api/v1/users' }) },
  'POST /api/v1/users': {
    ok: ({ insideDeptId }) => ({ url: '/api/v1/users', payload: { username: `m${unique()}`, password: 'Passw0rd!', displayName: '新人', role: 'learner', departmentId: insideDeptId } }),
    okStatus: [201],
    outsideManagerScope: ({ outsideDeptId }) => ({
      url: '/api/v1/users',
      payload: { username: `o${unique()}`, password: 'Passw0rd!', displayName: '越权', role: 'learner', departmentId: outsideDeptId },
    }),
  },
  'GET /api/v1/users/:id': {
    ok: ({ insideUserId }) => ({ url: `/api/v1/users/${insideUserId}` }),
    outsideManagerScope: ({ outsideUserId }) => ({ url: `/api/v1/users/${outsideUserId}` }),
  },
  'PATCH /api/v1/users/:id': {
    ok: ({ insideUserId }) => ({ url: `/api/v1/users/${insideUserId}`, payload: { position: `岗位${unique()}` } }),
    outsideManagerScope: ({ outsideUserId }) => ({ url: `/api/v1/users/${outsideUserId}`, payload: { position: 'x' } }),
  },
  'POST /api/v1/users/:id/reset-password': {
    ok: ({ insideUserId }) => ({ url: `/api/v1/users/${insideUserId}/reset-password`, payload: {} }),
  },
  'GET /api/v1/departments': { ok: () => ({ url: '/api/v1/departments' }) },
  'POST /api/v1/departments': { ok: () => ({ url: '/api/v1/departments', payload: { name: `部门${unique()}`, parentId: null } }), okStatus: [201] },
  'PATCH /api/v1/departments/:id': {
    ok: async ({ newDepartment }) => ({ url: `/api/v1/departments/${await newDepartment()}`, payload: { name: `改名${unique()}` } }),
    okStatus: [204],
  },
  'DELETE /api/v1/departments/:id': {
    ok: async ({ newDepartment }) => ({ url: `/api/v1/departments/${await newDepartment()}` }),
    okStatus: [204],
  },
  'GET /api/v1/audit': { ok: () => ({ url: '/api/v1/audit' }) },
  'GET /api/v1/users/import/template': { ok: () => ({ url: '/api/v1/users/import/template' }) },
  // No file attached: reaching the 400 proves the route let the role in.
  'POST /api/v1/users/import': { ok: () => ({ url: '/api/v1/users/import', payload: { file: 'x' } }), okStatus: [400] },
  'GET /api/v1/users/export': { ok: () => ({ url: '/api/v1/users/export' }) },
  'GET /api/v1/courses': { ok: () => ({ url: '/api/v1/courses' }) },
  'POST /api/v1/courses': { ok: () => ({ url: '/api/v1/courses', payload: { title: `课程${unique()}` } }), okStatus: [201] },
  'GET /api/v1/courses/:id': { ok: ({ courseId }) => ({ url: `/api/v1/courses/${courseId}` }) },
  'PATCH /api/v1/courses/:id': { ok: ({ courseId }) => ({ url: `/api/v1/courses/${courseId}`, payload: { description: `说明${unique()}` } }) },
  'POST /api/v1/courses/:id/chapters': { ok: ({ courseId }) => ({ url: `/api/v1/courses/${courseId}/chapters`, payload: { title: `章节${unique()}` } }), okStatus: [201] },
  'PATCH /api/v1/chapters/:id': { ok: ({ chapterId }) => ({ url: `/api/v1/chapters/${chapterId}`, payload: { title: `章节${unique()}` } }), okStatus: [204] },
  'DELETE /api/v1/chapters/:id': { ok: async ({ newChapter }) => ({ url: `/api/v1/chapters/${await newChapter()}` }), okStatus: [204] },
  'POST /api/v1/courses/:id/materials': {
    ok: ({ courseId }) => {
      const fd = new FormData();
      fd.append('file', new Blob(['# 测试课程\n\n第一条 员工应当妥善保管客户的个人信息，不得泄露。']), 'note.md');
      return { url: `/api/v1/courses/${courseId}/materials`, payload: fd };
    },
    okStatus: [202],
  },
  'GET /api/v1/materials/:id': { ok: ({ materialId }) => ({ url: `/api/v1/materials/${materialId}` }) },
  'GET /api/v1/materials/:id/text': { ok: ({ materialId }) => ({ url: `/api/v1/materials/${materialId}/text` }) },
  'GET /api/v1/materials/:id/file': { ok: ({ materialId }) => ({ url: `/api/v1/materials/${materialId}/file` }) },
  'DELETE /api/v1/materials/:id': { ok: async ({ newMaterial }) => ({ url: `/api/v1/materials/${await newMaterial()}` }), okStatus: [204] },
  'POST /api/v1/materials/:id/progress': { ok: ({ materialId }) => ({ url: `/api/v1/materials/${materialId}/progress`, payload: { secondsSpent: 1 } }) },
  'GET /api/v1/search': { ok: () => ({ url: `/api/v1/search?q=${encodeURIComponent('个人信息')}` }) },
  'POST /api/v1/courses/:id/assignments': {
    ok: ({ courseId, insideUserId }) => ({ url: `/api/v1/courses/${courseId}/assignments`, payload: { userIds: [insideUserId] } }),
    okStatus: [201],
    outsideManagerScope: ({ courseId, outsideUserId }) => ({ url: `/api/v1/courses/${courseId}/assignments`, payload: { userIds: [outsideUserId] } }),
  },
  'GET /api/v1/me/courses': { ok: () => ({ url: '/api/v1/me/courses' }) },
  'GET /api/v1/courses/:id/progress': { ok: ({ courseId }) => ({ url: `/api/v1/courses/${courseId}/progress` }) },
  'GET /api/v1/courses/:id/completion': { ok: ({ courseId }) => ({ url: `/api/v1/courses/${courseId}/completion` }) },
  'GET /api/v1/courses/:id/knowledge-points': { ok: ({ courseId }) => ({ url: `/api/v1/courses/${courseId}/knowledge-points` }) },
  'POST /api/v1/courses/:id/knowledge-points/suggest': { ok: ({ courseId }) => ({ url: `/api/v1/courses/${courseId}/knowledge-points/suggest` }) },
  'POST /api/v1/courses/:id/knowledge-points': { ok: ({ courseId }) => ({ url: `/api/v1/courses/${courseId}/knowledge-points`, payload: { name: `要点${unique()}` } }), okStatus: [201] },
  'PATCH /api/v1/knowledge-points/:id': { ok: async ({ newKnowledgePoint }) => ({ url: `/api/v1/knowledge-points/${await newKnowledgePoint()}`, payload: { status: 'confirmed' } }) },
  'DELETE /api/v1/knowledge-points/:id': { ok: async ({ newKnowledgePoint }) => ({ url: `/api/v1/knowledge-points/${await newKnowledgePoint()}` }), okStatus: [204] },
};

const MATRIX: Record<string, Entry> = { ...CORE_MATRIX, ...QUESTIONS_MATRIX, ...EXAMS_MATRIX, ...AI_MATRIX, ...GENERATION_MATRIX, ...WRONG_ANSWERS_MATRIX };

type Who = keyof Ctx['s'];
const WHO: Record<Role, Who> = { admin: 'admin', manager: 'manager', instructor: 'instructor', learner: 'learner' };

describe('authorisation matrix', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    const t = await createTestApp();
    const logins = await seedAndLogin(t, ['admin', 'manager', 'instructor', 'learner01']);
    const s = { admin: logins.admin, manager: logins.manager, instructor: logins.instructor, learner: logins.learner01 };
    const users = await t.app.inject({ method: 'GET', url: '/api/v1/users?pageSize=200', headers: s.admin.headers });
    const all = users.json().items as { id: string; username: string; departmentPath: string; departmentId: string }[];
    const inside = all.find((u) => u.username === 'learner02')!; // 总部/销售部/华南区: inside the manager's 销售部
    const outside = all.find((u) => u.username === 'learner04')!; // 总部/技术部/研发中心
    expect(inside.departmentPath).toBe('总部/销售部/华南区');
    expect(outside.departmentPath).toBe('总部/技术部/研发中心');
    // A published course owned by the demo instructor, with one extracted material, assigned to learner01.
    t.container.queue.start();
    const as = (who: Session, method: 'POST' | 'PATCH', url: string, payload?: unknown) =>
      t.app.inject({ method, url, headers: who.headers, payload: payload as object });
    const courseId = (await as(s.instructor, 'POST', '/api/v1/courses', { title: '矩阵课程' })).json().id as string;
    const chapterId = (await as(s.instructor, 'POST', `/api/v1/courses/${courseId}/chapters`, { title: '第一章' })).json().id as string;
    const uploadMd = async () => {
      const fd = new FormData();
      fd.append('file', new Blob(['# 个人信息保护\n\n第一条 个人信息受法律保护。\n\n第二条 处理个人信息应当遵循合法原则。']), 'law.md');
      return (await t.app.inject({ method: 'POST', url: `/api/v1/courses/${courseId}/materials`, headers: s.admin.headers, payload: fd })).json().id as string;
    };
    const materialId = await uploadMd();
    for (let i = 0; i < 200; i++) {
      const m = await t.app.inject({ method: 'GET', url: `/api/v1/materials/${materialId}`, headers: s.admin.headers });
      if (m.json().status !== 'processing') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await as(s.instructor, 'PATCH', `/api/v1/courses/${courseId}`, { status: 'published' });
    await as(s.instructor, 'POST', `/api/v1/courses/${courseId}/assignments`, { userIds: [s.learner.userId] });
    ctx = {
      t,
      courseId,
      chapterId,
      materialId,
      newChapter: async () => (await as(s.admin, 'POST', `/api/v1/courses/${courseId}/chapters`, { title: `临时${unique()}` })).json().id,
      newMaterial: uploadMd,
      newKnowledgePoint: async () => (await as(s.admin, 'POST', `/api/v1/courses/${courseId}/knowledge-points`, { name: `临时${unique()}` })).json().id,
      s,
      insideUserId: inside.id,
      insideDeptId: inside.departmentId,
      outsideUserId: outside.id,
      outsideDeptId: outside.departmentId,
      newDepartment: async () => {
        const r = await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers: s.admin.headers, payload: { name: `临时${unique()}`, parentId: null } });
        return r.json().id as string;
      },
    };
  });
  afterAll(() => ctx.t.close());

  const send = async (method: string, req: Req, session?: Session) =>
    ctx.t.app.inject({ method: method as 'GET', url: req.url, payload: req.payload as object, headers: { ...req.headers, ...session?.headers } });

  it('has an entry for every registered /api route (add one when you add a route)', () => {
    const missing = ctx.t.app.routeTable.map((r) => `${r.method} ${r.url}`).filter((k) => !MATRIX[k]);
    expect(missing).toEqual([]);
  });

  it('enforces anonymous → 401, wrong role → 403, right role → success', async () => {
    for (const route of ctx.t.app.routeTable) {
      const key = `${route.method} ${route.url}`;
      const entry = MATRIX[key]!;
      const okStatus = entry.okStatus ?? [200];
      if (route.access === 'public') {
        const res = await send(route.method, await entry.ok(ctx));
        expect(okStatus, `${key} anonymous: ${res.body}`).toContain(res.statusCode);
        continue;
      }
      const anon = await send(route.method, await entry.ok(ctx));
      expect(anon.statusCode, `${key} anonymous`).toBe(401);
      expect(anon.json().error.code).toBe('ERR-AUTH-0001');
      for (const role of ROLES) {
        const session = ctx.s[WHO[role]];
        // Logout ends the session it is given: use a throw-away sign-in for it.
        const who = key === 'POST /api/v1/auth/logout' ? await freshSession(role) : session;
        const res = await send(route.method, await entry.ok(ctx), who);
        const allowed = (ROLE_PERMISSIONS[role] as readonly string[]).includes(route.access.permission);
        if (allowed) expect(okStatus, `${key} as ${role}: ${res.body}`).toContain(res.statusCode);
        else {
          expect(res.statusCode, `${key} as ${role}: ${res.body}`).toBe(403);
          expect(res.json().error.code).toBe('ERR-AUTH-0002');
        }
      }
    }
  });

  it('keeps managers inside their department subtree', async () => {
    let checked = 0;
    for (const route of ctx.t.app.routeTable) {
      const entry = MATRIX[`${route.method} ${route.url}`]!;
      if (!entry.outsideManagerScope || route.access === 'public') continue;
      const res = await send(route.method, await entry.outsideManagerScope(ctx), ctx.s.manager);
      expect([403, 404], `${route.method} ${route.url}: ${res.body}`).toContain(res.statusCode);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
    // The list itself is scoped: no user from outside the subtree appears.
    const list = await ctx.t.app.inject({ method: 'GET', url: '/api/v1/users?pageSize=200', headers: ctx.s.manager.headers });
    const paths = (list.json().items as { departmentPath: string }[]).map((u) => u.departmentPath);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => p.startsWith('总部/销售部'))).toBe(true);
  });

  async function freshSession(role: Role): Promise<Session> {
    const username = role === 'learner' ? 'learner01' : role;
    const r = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'Demo@12345' } });
    return { token: r.json().accessToken, refreshToken: r.json().refreshToken, userId: r.json().user.id, headers: { authorization: `Bearer ${r.json().accessToken}` } };
  }
});
