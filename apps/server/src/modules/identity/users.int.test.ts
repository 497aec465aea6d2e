import { userPageSchema, userSchema } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, login, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';

describe('users', () => {
  let t: TestApp;
  let s: Record<'admin' | 'manager' | 'instructor', Session>;
  let depts: { id: string; name: string; parentId: string | null }[];
  const deptId = (name: string) => depts.find((d) => d.name === name)!.id;
  beforeAll(async () => {
    t = await createTestApp();
    s = await seedAndLogin(t, ['admin', 'manager', 'instructor']);
    depts = (await t.app.inject({ method: 'GET', url: '/api/v1/departments', headers: s.admin.headers })).json();
  });
  afterAll(() => t.close());

  const get = (url: string, who: Session) => t.app.inject({ method: 'GET', url, headers: who.headers });

  it('pages through users with a stable order and a total', async () => {
    const p1 = userPageSchema.parse((await get('/api/v1/users?pageSize=10', s.admin)).json());
    const p3 = userPageSchema.parse((await get('/api/v1/users?pageSize=10&page=3', s.admin)).json());
    expect(p1.total).toBe(23);
    expect(p1.items).toHaveLength(10);
    expect(p3.items).toHaveLength(3);
    expect(new Set([...p1.items, ...p3.items].map((u) => u.id)).size).toBe(13);
  });

  it('searches by name, 工号, login or e-mail and filters by role, status and department subtree', async () => {
    const byName = (await get(`/api/v1/users?q=${encodeURIComponent('王经理')}`, s.admin)).json();
    expect(byName.items.map((u: { username: string }) => u.username)).toEqual(['manager']);
    expect((await get('/api/v1/users?q=kpl0004', s.admin)).json().total).toBe(1);
    expect((await get('/api/v1/users?role=learner', s.admin)).json().total).toBe(20);
    const sales = (await get(`/api/v1/users?departmentId=${deptId('销售部')}`, s.admin)).json();
    expect(sales.total).toBe(11); // manager + 10 learners in 华东区 and 华南区
    const direct = (await get(`/api/v1/users?departmentId=${deptId('销售部')}&subtree=false`, s.admin)).json();
    expect(direct.items.map((u: { username: string }) => u.username)).toEqual(['manager']);
    expect((await get('/api/v1/users?q=50%25_', s.admin)).statusCode).toBe(200);
  });

  it('rejects bad filters with a clear 400', async () => {
    for (const q of ['page=0', 'pageSize=1000', 'role=boss', 'departmentId=nope', 'status=gone']) {
      const res = await get(`/api/v1/users?${q}`, s.admin);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('ERR-COMMON-0001');
    }
  });

  it('creates users with normalised, unique identifiers and the password policy', async () => {
    const payload = { username: 'Zhao.Liu', password: 'Welcome1', displayName: '赵六', role: 'learner', departmentId: deptId('华东区'), employeeNo: 'e9001', email: 'Zhao.Liu@Example.com', phone: '13900001111' };
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: s.admin.headers, payload });
    expect(res.statusCode).toBe(201);
    expect(userSchema.parse(res.json())).toMatchObject({ username: 'zhao.liu', employeeNo: 'E9001', email: 'zhao.liu@example.com', departmentPath: '总部/销售部/华东区' });
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: s.admin.headers, payload: { ...payload, username: 'other', email: null } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'ERR-USER-0001', details: { fields: ['employeeNo'] } });
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: s.admin.headers, payload: { ...payload, username: 'weak1', employeeNo: null, email: null, password: 'abc' } });
    expect(weak.json().error.code).toBe('ERR-AUTH-0008');
    const badPhone = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: s.admin.headers, payload: { ...payload, phone: '12345' } });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().error.details[0].path).toBe('body.phone');
    await login(t, 'E9001', 'Welcome1');
  });

  it('lets managers create learners only, inside their subtree', async () => {
    const base = { password: 'Welcome1', displayName: '小新', departmentId: deptId('华南区') };
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: s.manager.headers, payload: { ...base, username: 'xiaoxin', role: 'learner' } });
    expect(ok.statusCode).toBe(201);
    const elevated = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: s.manager.headers, payload: { ...base, username: 'boss2', role: 'admin' } });
    expect(elevated.statusCode).toBe(403);
    const outside = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: s.manager.headers, payload: { ...base, username: 'tech1', role: 'learner', departmentId: deptId('测试组') } });
    expect(outside.statusCode).toBe(403);
  });

  it('deactivates instead of deleting, and guards the actor against locking themselves out', async () => {
    const me = (await get('/api/v1/auth/me', s.admin)).json();
    const selfDisable = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${me.id}`, headers: s.admin.headers, payload: { status: 'disabled' } });
    expect(selfDisable.json().error.code).toBe('ERR-USER-0003');
    const selfDemote = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${me.id}`, headers: s.admin.headers, payload: { role: 'learner' } });
    expect(selfDemote.json().error.code).toBe('ERR-USER-0003');
    const target = (await get('/api/v1/users?q=learner12', s.admin)).json().items[0];
    const off = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${target.id}`, headers: s.admin.headers, payload: { status: 'disabled' } });
    expect(off.json().status).toBe('disabled');
    expect((await get('/api/v1/users?status=disabled', s.admin)).json().total).toBe(1);
    const promote = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${target.id}`, headers: s.admin.headers, payload: { role: 'instructor', status: 'active' } });
    expect(promote.json()).toMatchObject({ role: 'instructor', status: 'active' });
    const empty = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${target.id}`, headers: s.admin.headers, payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('lets only admins change roles', async () => {
    const target = (await get('/api/v1/users?q=learner01', s.manager)).json().items[0];
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${target.id}`, headers: s.manager.headers, payload: { role: 'manager' } });
    expect(res.statusCode).toBe(403);
  });

  it('resets a password (generated when none is given) and ends the user’s sessions', async () => {
    const victim = await login(t, 'learner15', DEMO_PASSWORD);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/users/${victim.userId}/reset-password`, headers: s.admin.headers, payload: {} });
    const { password } = res.json() as { password: string };
    expect(password).toMatch(/^.{14}$/);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: victim.refreshToken } })).statusCode).toBe(401);
    await login(t, 'learner15', password);
    const chosen = await t.app.inject({ method: 'POST', url: `/api/v1/users/${victim.userId}/reset-password`, headers: s.admin.headers, payload: { password: 'Chosen123' } });
    expect(chosen.json()).toEqual({});
    await login(t, 'learner15', 'Chosen123');
  });

  it('masks contact details for viewers who do not manage people', async () => {
    const forInstructor = (await get('/api/v1/users?q=learner02', s.instructor)).json().items[0];
    const forAdmin = (await get('/api/v1/users?q=learner02', s.admin)).json().items[0];
    expect(forAdmin.email).toBe('learner02@demo.kaopeilian.cn');
    expect(forInstructor.email).not.toBe(forAdmin.email);
    expect(forInstructor.email).toContain('***');
    expect(forInstructor.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
  });
});

describe('departments', () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    ({ admin } = await seedAndLogin(t, ['admin']));
  });
  afterAll(() => t.close());

  const tree = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/departments', headers: admin.headers })).json() as { id: string; name: string; parentId: string | null; userCount: number }[];
  const call = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url, headers: admin.headers, payload });

  it('lists the tree with member counts', async () => {
    const all = await tree();
    expect(all.find((d) => d.name === '华东区')!.userCount).toBe(5);
    expect(all.filter((d) => d.parentId === null).map((d) => d.name)).toEqual(['总部']);
  });

  it('creates, renames and refuses sibling name clashes', async () => {
    const root = (await tree()).find((d) => d.name === '总部')!;
    const created = await call('POST', '/api/v1/departments', { name: '市场部', parentId: root.id });
    expect(created.statusCode).toBe(201);
    const clash = await call('POST', '/api/v1/departments', { name: '市场部', parentId: root.id });
    expect(clash.json().error.code).toBe('ERR-DEPT-0004');
    expect((await call('PATCH', `/api/v1/departments/${created.json().id}`, { name: '品牌市场部' })).statusCode).toBe(204);
    expect((await call('POST', '/api/v1/departments', { name: 'a/b', parentId: null })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/departments', { name: '孤儿', parentId: '01a21305-1182-71ab-9dd3-5c7573f92b69' })).json().error.code).toBe('ERR-DEPT-0001');
  });

  it('moves a subtree, keeping its users in scope, and never under itself', async () => {
    const all = await tree();
    const sales = all.find((d) => d.name === '销售部')!;
    const east = all.find((d) => d.name === '华东区')!;
    const tech = all.find((d) => d.name === '技术部')!;
    const cycle = await call('PATCH', `/api/v1/departments/${sales.id}`, { parentId: east.id });
    expect(cycle.json().error.code).toBe('ERR-DEPT-0002');
    expect((await call('PATCH', `/api/v1/departments/${sales.id}`, { parentId: sales.id })).json().error.code).toBe('ERR-DEPT-0002');
    expect((await call('PATCH', `/api/v1/departments/${sales.id}`, { parentId: tech.id })).statusCode).toBe(204);
    // The subtree moved with it: filtering by 技术部 now includes the 华东区 learners.
    const inTech = await t.app.inject({ method: 'GET', url: `/api/v1/users?departmentId=${tech.id}&pageSize=200`, headers: admin.headers });
    const paths = new Set((inTech.json().items as { departmentPath: string }[]).map((u) => u.departmentPath));
    expect(paths).toContain('总部/技术部/销售部/华东区');
    // The manager of 销售部 still manages the learners below it.
    const manager = await login(t, 'manager', DEMO_PASSWORD);
    const scoped = await t.app.inject({ method: 'GET', url: '/api/v1/users?pageSize=200', headers: manager.headers });
    expect(scoped.json().total).toBe(11);
  });

  it('deletes only empty departments', async () => {
    const all = await tree();
    const east = all.find((d) => d.name === '华东区')!;
    expect((await call('DELETE', `/api/v1/departments/${east.id}`)).json().error.code).toBe('ERR-DEPT-0003');
    const parent = all.find((d) => d.name === '技术部')!;
    expect((await call('DELETE', `/api/v1/departments/${parent.id}`)).json().error.code).toBe('ERR-DEPT-0003');
    const leaf = await call('POST', '/api/v1/departments', { name: '临时组', parentId: parent.id });
    expect((await call('DELETE', `/api/v1/departments/${leaf.json().id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/v1/departments/${leaf.json().id}`)).statusCode).toBe(404);
  });

  it('answers subtree queries over 5,000 departments correctly', async () => {
    const { departments } = t.container.identity;
    const actor = { id: 'x', username: 'x', displayName: 'x', role: 'admin' as const, departmentId: null, departmentPath: null, ip: null, requestId: null };
    const root = await departments.create(actor, { name: '大集团', parentId: null });
    // 10 regions × 20 branches × 25 teams = 5,000 teams, plus their parents.
    await t.container.database.db.transaction().execute(async (trx) => {
      const rows = [];
      const rootPath = `/${root.id}/`;
      for (let r = 0; r < 10; r++) {
        const rid = `00000000-0000-7000-8000-${String(r).padStart(12, '0')}`;
        rows.push({ id: rid, parent_id: root.id, name: `区域${r}`, path: `${rootPath}${rid}/`, created_at: 1, updated_at: 1 });
        for (let b = 0; b < 20; b++) {
          const bid = `00000000-0000-7000-9000-${String(r * 100 + b).padStart(12, '0')}`;
          rows.push({ id: bid, parent_id: rid, name: `分部${b}`, path: `${rootPath}${rid}/${bid}/`, created_at: 1, updated_at: 1 });
          for (let k = 0; k < 25; k++) {
            const tid = `00000000-0000-7000-a000-${String(r * 10000 + b * 100 + k).padStart(12, '0')}`;
            rows.push({ id: tid, parent_id: bid, name: `组${k}`, path: `${rootPath}${rid}/${bid}/${tid}/`, created_at: 1, updated_at: 1 });
          }
        }
      }
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto('departments').values(rows.slice(i, i + 500)).execute();
    });
    const region3 = '00000000-0000-7000-8000-000000000003';
    const sub = await t.container.database.db.selectFrom('departments').select('id').where('path', 'like', `/${root.id}/${region3}/%`).execute();
    expect(sub).toHaveLength(1 + 20 + 25 * 20);
    const tree5k = await t.app.inject({ method: 'GET', url: '/api/v1/departments', headers: admin.headers });
    expect(tree5k.json().length).toBeGreaterThan(5210);
  });
});
