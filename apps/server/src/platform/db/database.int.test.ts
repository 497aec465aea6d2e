import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, isolatedEnv, type TestEnv } from '../../test/harness.js';
import { IdentityRepository, IdentityService, seedDemoOrganisation, verifyPassword } from '../../modules/identity/index.js';
import { newId, now } from '../ids.js';
import { createDatabase, type Database } from './database.js';
import { migrateToLatest, pendingMigrations } from './migrator.js';

describe(`data layer on ${backend}`, () => {
  let env: TestEnv;
  let database: Database;
  beforeAll(async () => {
    env = await isolatedEnv();
    database = createDatabase(env.env.DATABASE_URL!);
  });
  afterAll(async () => {
    await database.close();
    await env.cleanup();
  });

  it('applies every migration once, then has nothing pending', async () => {
    expect(database.dialect).toBe(backend);
    const first = await migrateToLatest(database.db);
    expect(first.applied).toEqual(['0001_platform', '0002_organisation']);
    const second = await migrateToLatest(database.db);
    expect(second.applied).toEqual([]);
    expect(await pendingMigrations(database.db)).toEqual([]);
  });

  it('round-trips Chinese and 4-byte characters, numbers and null', async () => {
    const repo = new IdentityRepository(database.db);
    const service = new IdentityService(repo);
    const deptId = await service.ensureDepartmentPath('总部/销售部/华东区');
    expect(await service.ensureDepartmentPath('总部/销售部/华东区')).toBe(deptId);
    await service.createUser({
      username: 'zhang.san',
      password: 'Passw0rd!',
      displayName: '张三𠮷😀',
      role: 'learner',
      departmentId: deptId,
      employeeNo: 'E0001',
    });
    const user = await repo.findUserByUsername('zhang.san');
    expect(user).toMatchObject({ display_name: '张三𠮷😀', role: 'learner', department_id: deptId, email: null });
    expect(typeof user!.created_at === 'number' || typeof user!.created_at === 'string').toBe(true);
    expect(Number(user!.created_at)).toBeGreaterThan(1.7e12);
    expect(await verifyPassword(user!.password_hash, 'Passw0rd!')).toBe(true);
    expect(await verifyPassword(user!.password_hash, 'wrong')).toBe(false);
    expect(user!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await repo.countUsers()).toBe(1);
  });

  it('enforces unique usernames and foreign keys', async () => {
    const t = now();
    const base = { display_name: 'x', password_hash: 'x', role: 'learner' as const, status: 'active' as const, created_at: t, updated_at: t };
    const repo = new IdentityRepository(database.db);
    await expect(repo.insertUser({ ...base, id: newId(), username: 'zhang.san' })).rejects.toThrow();
    await expect(repo.insertUser({ ...base, id: newId(), username: 'orphan', department_id: newId() })).rejects.toThrow();
  });

  it('rolls a failed transaction back completely', async () => {
    const repo = new IdentityRepository(database.db);
    const service = new IdentityService(repo);
    const before = (await repo.listDepartments()).length;
    await expect(
      repo.withTransaction(async (trx) => {
        await service.ensureDepartmentPath('回滚测试/子部门', trx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await repo.listDepartments()).length).toBe(before);
  });

  it('seeds the demo organisation once', async () => {
    const repo = new IdentityRepository(database.db);
    const service = new IdentityService(repo);
    await database.db.deleteFrom('users').execute();
    const first = await seedDemoOrganisation(repo, service, 'Demo@12345');
    expect(first).toEqual({ seeded: true, users: 23 });
    expect(await seedDemoOrganisation(repo, service, 'Demo@12345')).toEqual({ seeded: false, users: 0 });
    expect(await repo.countUsers()).toBe(23);
    const learner = await repo.findUserByUsername('learner20');
    expect(learner?.role).toBe('learner');
    // Three levels: 总部 → 销售部 → 华东区.
    const depts = await repo.listDepartments();
    const byId = new Map(depts.map((d) => [d.id, d]));
    const depth = (id: string | null): number => (id ? 1 + depth(byId.get(id)!.parent_id) : 0);
    expect(Math.max(...depts.map((d) => depth(d.id)))).toBeGreaterThanOrEqual(3);
  });

  it('reports pool statistics and answers a ping', async () => {
    await database.ping();
    const stats = database.poolStats();
    expect(stats.total).toBeGreaterThanOrEqual(1);
  });
});
