import { ROLE_PERMISSIONS, ROLES, type Role } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAndLogin, type Session, type TestApp } from './harness.js';

/**
 * Walks Fastify's route table: every /api route must have an entry here. For each protected route:
 * anonymous → 401, a role without the permission → 403, each role with it → success, and a manager
 * reaching outside their department subtree → 403/404.
 */
interface Req {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}
interface Entry {
  /** A request that succeeds for any role holding the permission (may create fresh targets first). */
  ok: (ctx: Ctx) => Promise<Req> | Req;
  okStatus?: number[];
  /** The same request aimed at a record outside the manager's subtree. */
  outsideManagerScope?: (ctx: Ctx) => Promise<Req> | Req;
}
interface Ctx {
  t: TestApp;
  s: Record<'admin' | 'manager' | 'instructor' | 'learner', Session>;
  insideUserId: string;
  insideDeptId: string;
  outsideUserId: string;
  outsideDeptId: string;
  newDepartment: () => Promise<string>;
}

let seq = 0;
const unique = () => `${Date.now().toString(36)}${seq++}`;

const MATRIX: Record<string, Entry> = {
  'GET /api/v1/system/dependencies': { ok: () => ({ url: '/api/v1/system/dependencies' }) },
  'GET /api/v1/system/health': { ok: () => ({ url: '/api/v1/system/health' }) },
  'GET /api/v1/audit/health': { ok: () => ({ url: '/api/v1/audit/health' }) },
  'GET /api/v1/identity/health': { ok: () => ({ url: '/api/v1/identity/health' }) },
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
};

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
    ctx = {
      t,
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
